"""Profile pages -> the skills directory: Profiles and the Problems found on the way.

Pure: pages and revisions in, plain data out.  Nothing here raises on bad
input; everything a participant could fix becomes a :class:`Problem` with a
message a newcomer understands.

Whose entry it is and which revision counts: :mod:`bot.directory.owners`.  How
each field is read: :mod:`bot.directory.fields`.

**Status**, when several apply: quarantined > blocked > opted-out > stale >
active.  Quarantined means no trustworthy revision, an account that does not
exist, or a name that cannot be an account.  Opted-out means the entry does not
say ``consent=yes``; an explicit ``consent=no`` is a choice, not a problem, so
only a missing or unreadable answer is reported.  Stale means the revision used
is older than ``stale_after_days``.

**One profile per user.**  When a user has several entries, the newest
(revision time, then revision id, then position on the page: the last one wins
as for parameters) is kept, preferring any trustworthy entry over a
quarantined one so that a forged entry cannot push out the real one; the
others are reported as ``duplicate-profile``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from bot.directory.fields import (
    EntryReader,
    ProblemReport,
    one_line,
    problem,
    read_languages,
    read_participation,
    read_place,
    read_skills,
    report_parameters,
    yes_no,
)
from bot.directory.owners import (
    edited_by_other,
    entries_differ,
    entry_owner,
    moved_profile,
    owners_of,
    page_owner,
    profile_entries,
    taken_by_move,
    unattributed,
)
from bot.directory.settings import DirectorySettings
from bot.i18n.problems import PROFILE
from bot.model import Entry, PageData, Problem, Profile, Revision
from bot.taxonomy import Taxonomy
from bot.wikitext.guard import Unreadable, check_readable
from bot.wikitext.tables import normalise_user, valid_user_name


@dataclass(frozen=True)
class Directory:
    """What one directory run understood: the input of matching, notices and pages."""

    profiles: tuple[Profile, ...]  # every entry understood, any status, sorted by user
    problems: tuple[Problem, ...]  # sorted by page, user, field

    def active(self) -> tuple[Profile, ...]:
        """The profiles that may be shown and matched."""
        return tuple(p for p in self.profiles if p.status == "active" and p.consent)


def build_directory(
    pages: Sequence[PageData],
    taxonomy: Taxonomy,
    settings: DirectorySettings,
    *,
    now: datetime,
    blocked: Collection[str] = (),
    missing_users: Collection[str] = (),
    invalid_users: Collection[str] = (),
) -> Directory:
    """Every profile entry on ``pages``, judged by the rules in the module docstring.

    ``invalid_users`` are names the wiki itself refused as user names (it is the
    judge: a name our own check lets through may still be one it refuses)."""
    return judge(read_pages(pages, taxonomy, settings, now=now), blocked=blocked,
                 missing_users=missing_users, invalid_users=invalid_users)


@dataclass(frozen=True)
class Reading:
    """What the pages say, each read once, before the wiki is asked about the owners'
    accounts: a job reads the pages, asks the wiki about :meth:`users`, then
    :func:`judge` gives the :class:`Directory` without parsing any page again."""

    candidates: tuple[_Candidate, ...]
    problems: tuple[Problem, ...]  # the pages' own problems (moves, unreadable, no owner)
    context: _Context

    def users(self) -> set[str]:
        """Everyone an entry belongs to: the names to ask the wiki about."""
        return {c.profile.user for c in self.candidates}


def read_pages(
    pages: Sequence[PageData], taxonomy: Taxonomy, settings: DirectorySettings, *, now: datetime
) -> Reading:
    """Parse every page once and read every entry's fields (the costly part)."""
    context = _Context(
        taxonomy=taxonomy,
        settings=settings,
        now=now if now.tzinfo else now.replace(tzinfo=UTC),
        trusted=frozenset(normalise_user(u) for u in settings.trusted),
    )
    candidates: list[_Candidate] = []
    problems: list[Problem] = []
    for page in sorted(pages, key=lambda p: p.title):
        found, reported = _page_candidates(page, context)
        candidates.extend(found)
        problems.extend(reported)
    return Reading(tuple(candidates), tuple(problems), context)


def judge(
    reading: Reading,
    *,
    blocked: Collection[str] = (),
    missing_users: Collection[str] = (),
    invalid_users: Collection[str] = (),
) -> Directory:
    """Each entry's status with what the wiki says of its owner's account, one profile per
    user; nothing is parsed here."""
    facts = _Accounts(
        blocked=frozenset(normalise_user(u) for u in blocked),
        missing=frozenset(normalise_user(u) for u in missing_users),
        invalid=frozenset(normalise_user(u) for u in invalid_users),
    )
    judged = [_judged(c, reading.context, facts) for c in reading.candidates]
    profiles, more = _one_per_user(judged)
    problems = [*reading.problems, *(p for c in judged for p in c.problems), *more]
    return Directory(
        profiles=tuple(sorted(profiles, key=lambda p: (p.user.casefold(), p.user))),
        problems=tuple(sorted(set(problems), key=_problem_key)),
    )


def _problem_key(p: Problem) -> tuple[str, ...]:
    return (p.page, p.user, p.field, p.code, p.value, p.message)


@dataclass(frozen=True)
class _Context:
    taxonomy: Taxonomy
    settings: DirectorySettings
    now: datetime
    trusted: frozenset[str]


@dataclass(frozen=True)
class _Accounts:
    """What the wiki says of the owners' accounts."""

    blocked: frozenset[str] = frozenset()
    missing: frozenset[str] = frozenset()
    invalid: frozenset[str] = frozenset()


@dataclass(frozen=True)
class _Candidate:
    """One entry as read.  Before :func:`judge`, ``profile`` has no status and
    ``problems`` holds what its fields say; after, both are complete."""

    profile: Profile
    problems: tuple[Problem, ...]
    index: int
    revision: Revision
    consent_text: str
    trusted: bool

    @property
    def rank(self) -> tuple[bool, str, int, int]:
        """Bigger is better: trustworthy, then newest, then last on the page."""
        p = self.profile
        return (p.status != "quarantined", _sortable_time(p.timestamp), p.revision, self.index)


def _page_candidates(page: PageData, ctx: _Context) -> tuple[list[_Candidate], list[Problem]]:
    latest = page.latest
    if not page.exists or latest is None:
        return [], []
    title_owner = page_owner(page.title, ctx.settings.prefixes)
    try:
        check_readable(latest.text)
    except Unreadable as error:
        return [], [problem(page.title, title_owner or "", "unreadable-page", "", "",
                            reason=str(error))]
    problems: list[Problem] = []
    taker = taken_by_move(page, title_owner, ctx.trusted)
    if taker is not None:
        title_owner = normalise_user(latest.writer)
        problems.append(moved_profile(page, title_owner, taker))
    parsed: dict[int, list[Entry]] = {}

    def entries_of(position: int) -> list[Entry]:
        if position not in parsed:
            parsed[position] = profile_entries(page.revisions[position], page.title, ctx.settings)
        return parsed[position]

    candidates: list[_Candidate] = []
    for entry in entries_of(0):
        if entry_owner(entry, title_owner) == "":
            problems.append(unattributed(entry))
    for owner in owners_of(page, entries_of, title_owner):
        found, reported = _owner_candidates(page, owner, title_owner, entries_of, ctx)
        candidates.extend(found)
        problems.extend(reported)
    return candidates, problems


def _owner_candidates(
    page: PageData,
    owner: str,
    title_owner: str | None,
    entries_of: Callable[[int], list[Entry]],
    ctx: _Context,
) -> tuple[list[_Candidate], list[Problem]]:
    accepted = ctx.trusted | {owner}
    latest_mine = [e for e in entries_of(0) if entry_owner(e, title_owner) == owner]
    position = next(
        (i for i, r in enumerate(page.revisions) if normalise_user(r.writer) in accepted), None
    )
    used = [] if position is None else [
        e for e in entries_of(position) if entry_owner(e, title_owner) == owner
    ]
    if position is None or not used:
        # Only untrusted revisions hold an entry for this owner (or none does).
        found = [_candidate(e, page.revisions[0], owner, title_owner, ctx, trusted=False)
                 for e in latest_mine]
        return found, []
    revision = page.revisions[position]
    if revision.null:  # the text's own time counts (a move does not make an entry fresh)
        revision = replace(revision, timestamp=revision.written)
    problems: list[Problem] = []
    if position > 0 and entries_differ(latest_mine, used):
        problems.append(edited_by_other(page, owner, latest_mine, used, revision))
    found = [_candidate(e, revision, owner, title_owner, ctx, trusted=True) for e in used]
    return found, problems


def _candidate(
    entry: Entry, revision: Revision, owner: str, title_owner: str | None, ctx: _Context,
    *, trusted: bool,
) -> _Candidate:
    report = ProblemReport(entry.page, owner, ctx.settings.skills_page)
    reader = EntryReader(entry, report)
    report_parameters(entry, reader, title_owner, report)
    profile = Profile(
        user=owner,
        page=entry.page,
        revision=revision.revid,
        timestamp=revision.timestamp,
        affiliation=one_line(reader.get("affiliation")),
        bio=one_line(reader.get("bio")),
        **read_skills(reader, ctx.taxonomy, report),
        **read_place(reader, ctx.taxonomy, report),
        **read_languages(reader, ctx.taxonomy, report),
        **read_participation(reader, report),
    )
    return _Candidate(profile, tuple(report.problems), entry.index, revision,
                      reader.get("consent"), trusted)


def _judged(candidate: _Candidate, ctx: _Context, accounts: _Accounts) -> _Candidate:
    """The candidate with its status and every problem, its owner's account known."""
    profile = candidate.profile
    report = ProblemReport(profile.page, profile.user, ctx.settings.skills_page)
    report.problems.extend(candidate.problems)
    status = _status(profile, candidate.consent_text, candidate.revision, ctx, accounts,
                     report, trusted=candidate.trusted)
    notes = tuple(sorted({p.code for p in report.problems}))
    return replace(candidate, profile=replace(profile, status=status, notes=notes),
                   problems=tuple(report.problems))


def _status(
    profile: Profile, consent_text: str, revision: Revision, ctx: _Context, accounts: _Accounts,
    report: ProblemReport, *, trusted: bool,
) -> str:
    """The first status that applies, in precedence order; every reason is reported."""
    owner = profile.user
    statuses: list[str] = []
    if not valid_user_name(owner) or owner in accounts.invalid:
        report.add("bad-user-name", "user", owner, hint=_invisible_hint(owner))
        statuses.append("quarantined")
    elif owner in accounts.missing:
        report.add("no-such-user", "user", owner)
        statuses.append("quarantined")
    if not trusted:
        if not statuses:  # for a name that is no account, "not saved by them" says nothing new
            report.add("untrusted", "", revision.user)
        statuses.append("quarantined")
    if owner in accounts.blocked:
        report.add("blocked", "", owner)
        statuses.append("blocked")
    if not profile.consent:
        if yes_no(consent_text) is not False:
            report.add("no-consent", "consent", consent_text)
        statuses.append("opted-out")
    if not statuses and _is_stale(revision.timestamp, ctx):
        report.add("stale", "", revision.timestamp, date=revision.timestamp[:10],
                   days=ctx.settings.stale_after_days)
        statuses.append("stale")
    return statuses[0] if statuses else "active"


def _invisible_hint(name: str) -> tuple[str, ...]:
    """Name the characters a reader cannot see (a zero-width joiner looks like nothing)."""
    hidden = sorted({ch for ch in name
                     if unicodedata.category(ch) in ("Cf", "Cc", "Co", "Zl", "Zp")
                     or (unicodedata.category(ch) == "Zs" and ch != " ")})
    if not hidden:
        return ()
    codes = ", ".join(f"U+{ord(ch):04X} ({unicodedata.name(ch, 'unnamed')})" for ch in hidden)
    return (PROFILE + "hint-invisible", codes)  # a message of the catalogue


def _parse_time(timestamp: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(timestamp.strip())
    except (ValueError, AttributeError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _sortable_time(timestamp: str) -> str:
    parsed = _parse_time(timestamp)
    return parsed.astimezone(UTC).isoformat() if parsed else ""


def _is_stale(timestamp: str, ctx: _Context) -> bool:
    """A revision whose time cannot be read is not called stale: the wiki edge
    always gives times, so this only protects hand-made data."""
    parsed = _parse_time(timestamp)
    return parsed is not None and ctx.now - parsed > timedelta(days=ctx.settings.stale_after_days)


def _one_per_user(candidates: list[_Candidate]) -> tuple[list[Profile], list[Problem]]:
    by_user: dict[str, list[_Candidate]] = {}
    for candidate in candidates:
        by_user.setdefault(candidate.profile.user, []).append(candidate)
    profiles: list[Profile] = []
    problems: list[Problem] = []
    for group in by_user.values():
        group.sort(key=lambda c: (c.rank, c.profile.page), reverse=True)
        kept = group[0]
        profiles.append(kept.profile)
        for dropped in group[1:]:
            problems.append(problem(
                dropped.profile.page, dropped.profile.user, "duplicate-profile", "",
                str(dropped.profile.revision), other_page=kept.profile.page,
                other_revid=kept.profile.revision,
            ))
    return profiles, problems
