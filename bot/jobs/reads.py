"""What several jobs read: the profiles, the session logs, the match state, the notice state.

Each is read once per run and kept on the run's :class:`Context` as one typed
value; a job that needs it twice (match: its own state and the groups the
outcomes may name) gets the same value again without a request.  The jobs
never import each other: what they share is here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from bot.directory.build import Directory, judge, read_pages
from bot.directory.owners import authors_to_trust, needs_history, page_owner
from bot.directory.settings import DirectorySettings
from bot.jobs.capx_bridge import with_capx
from bot.jobs.common import Context
from bot.matching.values import Group, PastGroup
from bot.model import PageData, Revision
from bot.notices.state import NoticeState
from bot.sessions.build import build_log, outcome_statuses
from bot.sessions.model import SessionLog, SessionSettings
from bot.taxonomy import Taxonomy

T = TypeVar("T")


def _once(ctx: Context, key: str, kind: type[T], make: Callable[[], T]) -> T:
    """The run's value under ``key``, made by ``make`` the first time it is asked for."""
    value = ctx.cache.get(key)
    if not isinstance(value, kind):
        value = make()
        ctx.cache[key] = value
    return value


# ------------------------------------------------------------------ profiles


def directory_settings(ctx: Context) -> DirectorySettings:
    cfg = ctx.config
    return DirectorySettings(
        template_names=(cfg.templates.profile,),
        prefixes=cfg.directory.prefixes,
        trusted=cfg.directory.trusted,
        stale_after_days=cfg.directory.stale_after_days,
        skills_page=cfg.pages.by_skill,
    )


def in_scope(title: str, prefixes: tuple[str, ...]) -> bool:
    return not prefixes or any(title.startswith(p) for p in prefixes)


@dataclass(frozen=True)
class Profiles:
    """The profile pages as read (with the older revisions their owners wrote) and the
    directory understood from them, with the owners' accounts checked."""

    pages: tuple[PageData, ...]
    directory: Directory

    def inputs(self) -> dict[str, int]:
        """Profile page -> the revision used (what the directory job remembers)."""
        return {p.title: p.revisions[0].revid for p in self.pages if p.revisions}


def read_profiles(ctx: Context, taxonomy: Taxonomy, now: datetime, expected: int = 0,
                  known: Iterable[str] = ()) -> Profiles:
    """The profiles of this run (read on the first call; ``expected``: how many pages there
    were last time, for the progress lines; ``known``: their titles, whose owners' accounts
    are asked about alongside the texts)."""
    return _once(ctx, "profiles", Profiles,
                 lambda: _read_profiles(ctx, taxonomy, now, expected, known))


def _read_profiles(ctx: Context, taxonomy: Taxonomy, now: datetime, expected: int,
                   known: Iterable[str]) -> Profiles:
    settings = directory_settings(ctx)
    pages = _profile_pages(ctx, settings, expected, known)
    directory = _compute(ctx, pages, taxonomy, now)
    # capx=yes: the empty fields from the Capacity Exchange (bot/jobs/capx_bridge.py).
    return Profiles(tuple(pages), with_capx(ctx, pages, directory, settings, taxonomy, now))


def _profile_pages(ctx: Context, settings: DirectorySettings, expected: int,
                   known: Iterable[str]) -> list[PageData]:
    """Profile pages with their latest revision, plus, where the latest is not the owner's,
    the owner's (or a trusted editor's) newest revision, fetched in batches."""
    namespaces = ctx.config.directory.namespaces
    listed = ctx.wiki.embedded_in(ctx.config.templates.profile, namespaces, expected,
                                  lambda title: page_owner(title, settings.prefixes), known)
    pages = [p for p in listed if in_scope(p.title, settings.prefixes)]
    wanted = {p.title: authors_to_trust(p, settings) for p in pages if needs_history(p, settings)}
    older = ctx.wiki.revisions_by(wanted, namespaces) if wanted else {}
    return [with_older(p, older[p.title]) if p.title in older else p for p in pages]


def with_older(page: PageData, older: Iterable[Revision]) -> PageData:
    """The page with extra revisions, newest first, each revision once."""
    revisions = {r.revid: r for r in (*page.revisions, *older)}
    return PageData(page.title, tuple(revisions[k] for k in sorted(revisions, reverse=True)))


def _compute(ctx: Context, pages: list[PageData], taxonomy: Taxonomy, now: datetime
             ) -> Directory:
    """Each page parsed once; the owners' accounts asked once (most were asked already,
    alongside the texts), then every entry judged."""
    reading = read_pages(pages, taxonomy, directory_settings(ctx), now=now)
    accounts = ctx.wiki.users(reading.users())
    missing = [name for name, facts in accounts.items() if facts["missing"]]
    missing += [user for user in reading.users() if user not in accounts]
    blocked = [name for name, facts in accounts.items() if facts["blocked"]]
    invalid = [name for name, facts in accounts.items() if facts["invalid"]]
    return judge(reading, blocked=blocked, missing_users=missing,
                 invalid_users=[*invalid, *ctx.wiki.refused])


# ---------------------------------------------------------------- match state


@dataclass(frozen=True)
class MatchState:
    """The match job's state page: the groups published, round by round.

    ``rounds`` holds the rounds that could be read; ``unreadable`` the others with
    what went wrong.  ``stored`` is each round as the page holds it, so that the
    match job writes the rounds it does not compute back exactly as they were.
    """

    rounds: Mapping[str, tuple[Group, ...]]
    unreadable: Mapping[str, Exception]
    stored: Mapping[str, Any]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> MatchState:
        stored = data.get("rounds", {})
        stored = dict(stored) if isinstance(stored, Mapping) else {}
        rounds: dict[str, tuple[Group, ...]] = {}
        unreadable: dict[str, Exception] = {}
        for round_id, value in stored.items():
            groups = value.get("groups", []) if isinstance(value, Mapping) else []
            try:
                rounds[str(round_id)] = tuple(Group.from_json(g) for g in groups)
            except (KeyError, TypeError, ValueError, AttributeError) as error:
                unreadable[str(round_id)] = error
        return cls(rounds, unreadable, stored)

    def history(self, before: str) -> list[PastGroup]:
        """The groups of the rounds before ``before``, oldest round first."""
        return [PastGroup(rid, g) for rid, groups in sorted(self.rounds.items()) if rid < before
                for g in groups]

    def published(self, round_id: str) -> list[Group]:
        return list(self.rounds.get(round_id, ()))

    def group_ids(self) -> set[str]:
        return {g.id for groups in self.rounds.values() for g in groups if g.id}

    def with_round(self, round_id: str, groups: Iterable[Group]) -> dict[str, Any]:
        """The state page's data with ``round_id`` holding ``groups``."""
        rounds = dict(self.stored)
        rounds[round_id] = {"groups": [g.as_json() for g in groups]}
        return {"schema": 1, "rounds": dict(sorted(rounds.items()))}


def read_match_state(ctx: Context) -> MatchState:
    """The groups the match job published (its state page), read once a run."""
    return _once(ctx, "match", MatchState, lambda: MatchState.from_json(
        ctx.wiki.read_json(ctx.config.state_page("match"))))


# ----------------------------------------------------------------- session logs


def session_settings(ctx: Context) -> SessionSettings:
    t = ctx.config.templates
    return SessionSettings(session_template=t.session, resource_template=t.resource,
                           outcome_template=t.outcome, space_template=t.space)


@dataclass(frozen=True)
class SessionPages:
    """Every page that uses the session, resource, outcome or space template, once each,
    with its latest text, sorted by title."""

    pages: tuple[PageData, ...]


def read_session_pages(ctx: Context) -> SessionPages:
    return _once(ctx, "sessions", SessionPages, lambda: _read_session_pages(ctx))


def _read_session_pages(ctx: Context) -> SessionPages:
    s = session_settings(ctx)
    pages: dict[str, PageData] = {}
    for template in (s.session_template, s.resource_template, s.outcome_template,
                     s.space_template):
        for page in ctx.wiki.embedded_in(template, ctx.config.sessions.namespaces):
            pages.setdefault(page.title, page)
    return SessionPages(tuple(pages[title] for title in sorted(pages)))


def read_session_log(ctx: Context, taxonomy: Taxonomy, now: datetime, *,
                     check_links: bool = False, groups: Iterable[str] = ()) -> SessionLog:
    """The session logs put together.  Outcomes may name the published groups and
    ``groups`` (the ones a run is publishing: an outcome may name one of them before the
    match state records it).  With ``check_links``, the wiki is asked which linked files
    and pages are missing, and they are reported."""
    pages = read_session_pages(ctx).pages
    settings = session_settings(ctx)
    known = read_match_state(ctx).group_ids() | set(groups)
    log = build_log(pages, taxonomy, settings, now=now, known_groups=known)
    if not check_links or not log.wiki_titles():
        return log
    gone = ctx.wiki.missing(log.wiki_titles())
    return build_log(pages, taxonomy, settings, now=now, missing_titles=gone, known_groups=known)


def read_outcome_statuses(ctx: Context, taxonomy: Taxonomy, now: datetime,
                          groups: Iterable[str] = ()) -> dict[str, str]:
    """Group id -> "held" / "not held" from the outcome pages, for the round pages."""
    return outcome_statuses(read_session_log(ctx, taxonomy, now, groups=groups).outcomes)


# ---------------------------------------------------------------- notice state


def read_notice_state(ctx: Context) -> NoticeState:
    """What the notify job sent and what waits (its state page), read once a run."""
    return _once(ctx, "notices", NoticeState, lambda: NoticeState.from_json(
        ctx.wiki.read_json(ctx.config.state_page("notify"))))
