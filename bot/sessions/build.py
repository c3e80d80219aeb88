"""Session logs -> Sessions, Resources, Outcomes, Spaces and the Problems found on the way.

Pure: pages in, plain data out; nothing here raises on bad input.  The four
templates (names from the configuration) are read in document order from
every page that uses them:

* ``{{Let's Connect/Session}}``: one learning space that took place or will:
  a clinic, a coffee, a regional session.  A page usually logs one session;
  a page may log several, then each is told apart by ``id=`` (or its date).
* ``{{Let's Connect/Resource}}``: a recording, slides, a document, a guide.
* ``{{Let's Connect/Outcome}}``: the short summary the program asks after a
  coffee (or a session): held or not, when, what came of it.
* ``{{Let's Connect/Space}}``: another learning space of the movement.

Decisions worth knowing:

* **Dates and times are UTC.**  ``date=`` takes ISO dates (2026-10-14), day
  and month names in English, Spanish, French or Portuguese (14 October
  2026, 14 de octubre de 2026) and numeric dates when they can only mean one
  thing (14/10/2026).  ``03/04/2026`` could be March or April: it is reported
  as ambiguous and not guessed.  A time (in ``time=`` or after the date) may
  name its zone as an offset (UTC+3, +05:30, GMT-4) or a tz database name
  (Africa/Nairobi); it is converted to UTC.  Abbreviations such as IST or
  CST mean different zones in different places, so they are reported and
  the time is dropped (the date is kept).  A session whose date cannot be
  read is reported and left out of the calendar and the figures.
* **Which session a resource belongs to.**  ``session=`` names the session's
  page (or ``page#id``, or an ``id`` used by only one session).  Without
  ``session=``, a resource on a page that logs exactly one session belongs
  to it; on a page with no session it belongs to none (a guide may stand
  alone); on a page with several it must say which.  A resource without
  skills or languages takes its session's.
* **Links** are read from the raw wikitext (``[[File:X.pdf]]``, ``[[Page|label]]``,
  ``[https://… label]``, a bare URL, ``File:X.pdf`` or a page title).  Only
  ``http(s)`` web links are accepted.  Files and wiki pages are checked by the
  job; the ones that do not exist are reported.
* **Outcomes** set the status of a coffee group: "held" as soon as one
  outcome says it was held (a meeting that happened happened, whoever
  reports it), "not held" when outcomes only say it was not, and "proposed"
  while there is none.  An outcome for a session turns a ``planned`` session
  into ``held`` (or ``cancelled``); a status the session page states itself
  is never overridden.
* A past session still marked ``planned`` is reported so that someone sets
  ``held`` or ``cancelled``; it does not count as held.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from bot.i18n.problems import SESSION, render, unreadable_reason
from bot.i18n.problems import did_you_mean as hint_message
from bot.model import PageData, Problem, ProblemParam
from bot.sessions.dates import When, parse_when
from bot.sessions.entries import RawEntry, read_entries
from bot.sessions.model import (
    NO_LINK,
    Link,
    Outcome,
    Resource,
    Session,
    SessionLog,
    SessionSettings,
    Space,
)
from bot.sessions.vocabulary import GLOBAL_REGION, LOOKUP, PARAMS, PROBLEM_PARAMS
from bot.taxonomy import Resolution, Taxonomy, did_you_mean, normalise, split_list
from bot.wikitext.entries import normalise_param_name, strip_templates
from bot.wikitext.guard import TIME_LIMIT, Unreadable, check_readable
from bot.wikitext.tables import normalise_user, valid_user_name

MAX_SUMMARY = 300
_GROUP_ID = re.compile(r"^\d{4}-\d{2}-\d{3,}$")


def _unreadable(page: PageData) -> Problem | None:
    """A problem for a page whose markup would take too long to read (it is skipped)."""
    try:
        check_readable(page.latest.text if page.latest else "")
    except Unreadable as error:
        reason = unreadable_reason(str(error), TIME_LIMIT)
        return session_problem(page.title, "unreadable-page", "", "", {"reason": reason})
    return None


def session_problem(page: str, code: str, field_name: str, value: str,
                    details: Mapping[str, ProblemParam]) -> Problem:
    """The problem ``code`` of a session log entry (its message's parameters: the field, the
    value and ``details``; ``kind`` and ``what`` are told as words of the catalogue)."""
    values: dict[str, ProblemParam] = {"field": field_name, "value": value, "hint": (),
                                       **details}
    for word in ("kind", "what"):
        if isinstance(values.get(word), str):
            values[word] = (f"{SESSION}{word}-{values[word]}",)
    params = tuple(values[name] for name in PROBLEM_PARAMS[code])
    key = SESSION + code
    return Problem(page=page, user="", code=code, field=field_name, value=value,
                   message=render(key, params, "en"), key=key, params=params)


# --- building the log ----------------------------------------------------------------------


class _Report:
    def __init__(self) -> None:
        self.problems: list[tuple[int, int, Problem]] = []

    def add(self, entry: RawEntry, code: str, field_name: str = "", value: str = "",
            **details: ProblemParam) -> None:
        problem = session_problem(entry.entry.page, code, field_name, value,
                                  {"kind": entry.kind, **details})
        self.problems.append((entry.position, len(self.problems), problem))


class _Values:
    """An entry's plain values; templates inside them reported and removed."""

    def __init__(self, raw: RawEntry, report: _Report) -> None:
        self.raw, self.values = raw, {}
        entry = raw.entry
        for name, value in entry.params.items():
            if name in entry.templated:
                report.add(raw, "template-in-value", name, value)
                value = strip_templates(value)
            self.values[name] = " ".join(value.split()) if name != "summary" else value.strip()
        for name in entry.duplicates:
            report.add(raw, "duplicate-parameter", name, self.values.get(name, ""))
        for name in entry.unknown:
            close = difflib.get_close_matches(normalise_param_name(name),
                                              list(PARAMS[raw.kind]), n=1, cutoff=0.7)
            hint = hint_message(close[:1])
            report.add(raw, "unknown-parameter", name, name, hint=hint,
                       params=", ".join(p for p in PARAMS[raw.kind] if p != "nocat"))

    def get(self, name: str) -> str:
        return self.values.get(name, "")


@dataclass
class _Builder:
    taxonomy: Taxonomy
    now: datetime
    missing: frozenset[str] | None
    known_groups: frozenset[str] | None
    report: _Report = field(default_factory=_Report)

    # -- shared field readers

    def word(self, kind: str, raw: RawEntry, values: _Values, name: str, default: str,
             code: str) -> str:
        text = values.get(name)
        if not text:
            return default
        found = LOOKUP[kind].get(normalise(text))
        if found is None:
            self.report.add(raw, code, name, text)
            return default
        return found

    def resolve_all(self, raw: RawEntry, values: _Values, name: str,
                    resolve: Callable[[str], Resolution], code: str) -> tuple[str, ...]:
        ids: list[str] = []
        for item in split_list(values.get(name)):
            resolution = resolve(item)
            if resolution.value is not None:  # resolution.ok
                if resolution.value not in ids:
                    ids.append(resolution.value)
            else:
                self.report.add(raw, code, name, item, hint=did_you_mean(resolution.suggestion))
        return tuple(ids)

    def languages(self, raw: RawEntry, values: _Values, name: str = "languages"
                  ) -> tuple[str, ...]:
        return self.resolve_all(raw, values, name, self.taxonomy.resolve_language,
                                "unknown-language")

    def region(self, raw: RawEntry, values: _Values) -> str:
        text = values.get("region")
        if not text or normalise(text) in GLOBAL_REGION:
            return ""
        resolution = self.taxonomy.resolve_region(text)
        if resolution.value is not None:  # resolution.ok
            return resolution.value
        hint = did_you_mean(resolution.suggestion)
        self.report.add(raw, "unknown-region", "region", text, hint=hint)
        return ""

    def link(self, raw: RawEntry, values: _Values, name: str) -> Link:
        link = raw.links.get(name)
        written = values.get(name)
        if link is None:
            if name not in raw.entry.templated:
                self.report.add(raw, "bad-link", name, written)
            return NO_LINK
        if self.missing is not None and link.wiki_title in self.missing:
            what = "file" if link.kind == "file" else "page"
            self.report.add(raw, "missing-page", name, link.target, what=what)
        return link

    def title(self, raw: RawEntry, values: _Values, name: str = "title") -> str:
        text = _one_line(values.get(name), 200)
        if text:
            return text
        used = raw.entry.page.rsplit("/", 1)[-1]
        self.report.add(raw, "no-title", name, "", used=used)
        return used

    # -- the four kinds

    def session(self, raw: RawEntry, values: _Values) -> Session | None:
        when = parse_when(values.get("date"), values.get("time"))
        for code, value, details in when.problems:
            self.report.add(raw, code, "time" if code in ("bad-time", "unknown-timezone")
                            and values.get("time") else "date", value, **details)
        if when.start is None:
            return None
        spoken = self.languages(raw, values)
        interpreted = self.languages(raw, values, "interpretation")
        status = self.word("status", raw, values, "status", "planned", "unknown-status")
        return Session(
            key="", page=raw.entry.page, start=when.start, has_time=when.has_time,
            title=self.title(raw, values),
            format=self.word("format", raw, values, "format", "other", "unknown-format"),
            status=status,
            region=self.region(raw, values),
            languages=tuple(dict.fromkeys(spoken + interpreted)),
            interpretation=interpreted,
            skills=self.resolve_all(raw, values, "skills", self.taxonomy.resolve_skill,
                                    "unknown-skill"),
            sharers=self.sharers(raw, values),
            participants=self.participants(raw, values),
            registration=self.link(raw, values, "registration"),
            summary=_one_line(values.get("summary"), MAX_SUMMARY),
            id=_one_line(values.get("id"), 60),
        )

    def sharers(self, raw: RawEntry, values: _Values) -> tuple[str, ...]:
        names: list[str] = []
        for item in split_list(values.get("sharers")):
            name = normalise_user(item)
            if valid_user_name(name):
                if name not in names:
                    names.append(name)
            else:
                self.report.add(raw, "bad-sharer", "sharers", item)
        return tuple(names)

    def participants(self, raw: RawEntry, values: _Values) -> int | None:
        text = values.get("participants").replace(",", "").strip()
        if not text:
            return None
        if re.fullmatch(r"\d{1,5}", text):
            return int(text)
        self.report.add(raw, "bad-participants", "participants", values.get("participants"))
        return None

    def resource(self, raw: RawEntry, values: _Values) -> Resource:
        title = self.title(raw, values)
        link = self.link(raw, values, "link")
        if raw.links.get("link") == NO_LINK:
            self.report.add(raw, "no-link", "link", "", title=title)
        return Resource(
            page=raw.entry.page, index=raw.entry.index, title=title, link=link,
            type=self.word("type", raw, values, "type", "other", "unknown-type"),
            languages=self.languages(raw, values),
            skills=self.resolve_all(raw, values, "skills", self.taxonomy.resolve_skill,
                                    "unknown-skill"),
        )

    def outcome(self, raw: RawEntry, values: _Values) -> Outcome | None:
        held_text = values.get("held")
        held = LOOKUP["held"].get(normalise(held_text)) if held_text else None
        group = values.get("group").strip()
        if group and not _GROUP_ID.match(group):
            self.report.add(raw, "bad-group", "group", group)
            return None
        if group and self.known_groups is not None and group not in self.known_groups:
            self.report.add(raw, "unknown-group", "group", group)
            return None
        if not held_text:
            self.report.add(raw, "no-held", "held", "")
            return None
        if held is None:
            self.report.add(raw, "bad-held", "held", held_text)
            return None
        when = parse_when(values.get("date")) if values.get("date") else When()
        for code, value, details in when.problems:
            self.report.add(raw, code, "date", value, **details)
        return Outcome(
            page=raw.entry.page, index=raw.entry.index, held=held == "yes", group=group,
            date=when.start.strftime("%Y-%m-%d") if when.start else "",
            summary=_one_line(values.get("summary"), MAX_SUMMARY),
        )

    def space(self, raw: RawEntry, values: _Values) -> Space | None:
        name = _one_line(values.get("name"), 200)
        if not name:
            self.report.add(raw, "no-name", "name", "")
            return None
        topics, others = self.topics(raw, values)
        return Space(
            page=raw.entry.page, index=raw.entry.index, name=name,
            organiser=_one_line(values.get("organiser"), 200), region=self.region(raw, values),
            topics=topics, other_topics=others, languages=self.languages(raw, values),
            link=self.link(raw, values, "link"), schedule=_one_line(values.get("schedule"), 200),
        )

    def topics(self, raw: RawEntry, values: _Values) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Thematic areas, skill areas or skills; other words kept as written."""
        ids: list[str] = []
        others: list[str] = []
        for item in split_list(values.get("topics")):
            # A space's topic is a theme first ("education"), then a skill area, then a skill.
            found = self.taxonomy.resolve_area(item)
            if not found.ok and _skill_area_id(self.taxonomy, item):
                found = Resolution(_skill_area_id(self.taxonomy, item))
            if not found.ok:
                found = self.taxonomy.resolve_skill(item)
            if found.value is not None:  # found.ok
                if found.value not in ids:
                    ids.append(found.value)
            else:
                self.report.add(raw, "unknown-topic", "topics", item,
                                hint=did_you_mean(found.suggestion))
                others.append(_one_line(item, 80))
        return tuple(ids), tuple(others)


def _skill_area_id(taxonomy: Taxonomy, text: str) -> str | None:
    key = normalise(text)
    for area_id, area in taxonomy.areas.items():
        names = {normalise(area_id), *(normalise(v) for v in area.labels.values())}
        if key in names:
            return area_id
    return None


def _one_line(text: str, limit: int) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def build_log(
    pages: Iterable[PageData],
    taxonomy: Taxonomy,
    settings: SessionSettings | None = None,
    *,
    now: datetime,
    missing_titles: Collection[str] | None = None,
    known_groups: Collection[str] | None = None,
) -> SessionLog:
    """Read every page's entries and put them together.

    ``missing_titles`` are the linked files and pages the wiki does not have
    (None: not checked yet).  ``known_groups`` are the published coffee groups'
    ids (None: outcomes are not checked against them).
    """
    settings = settings or SessionSettings()
    builder = _Builder(
        taxonomy, now,
        None if missing_titles is None else frozenset(missing_titles),
        None if known_groups is None else frozenset(known_groups),
    )
    pages = sorted(pages, key=lambda p: p.title)
    by_page: dict[str, list[RawEntry]] = {p.title: read_entries(p, settings) for p in pages}
    entries = _sessions(builder, by_page)
    sessions = [session for _, session in entries]
    index = _SessionIndex(sessions)
    resources: list[Resource] = []
    outcomes: list[Outcome] = []
    spaces: list[Space] = []
    page_times = {p.title: (p.latest.timestamp[:10] if p.latest else "") for p in pages}
    for title, raws in by_page.items():
        on_page = [s for s in sessions if s.page == title]
        for raw in raws:
            if raw.kind == "resource":
                resources.append(_place_resource(builder, raw, index, on_page, page_times))
            elif raw.kind == "outcome":
                outcome = _place_outcome(builder, raw, index, on_page)
                if outcome is not None:
                    outcomes.append(outcome)
            elif raw.kind == "space":
                space = builder.space(raw, _Values(raw, builder.report))
                if space is not None:
                    spaces.append(space)
    sessions = _apply_outcomes(sessions, outcomes)
    for (raw, _), session in zip(entries, sessions, strict=True):
        if session.status == "planned" and not session.upcoming(builder.now):
            builder.report.add(raw, "status-not-updated", "status",
                               raw.entry.params.get("status", ""),
                               date=session.start.strftime("%Y-%m-%d"))
    problems = _sorted_problems(builder.report, by_page)
    unreadable = [p for p in (_unreadable(page) for page in pages) if p is not None]
    if unreadable:  # a page-level problem: sorted in by page, the others keep their order
        problems = tuple(sorted([*problems, *unreadable], key=lambda p: p.page))
    resources.sort(key=lambda r: (r.date, r.page, -r.index), reverse=True)
    return SessionLog(
        sessions=tuple(sorted(sessions, key=lambda s: (s.start, s.key))),
        resources=tuple(resources),
        outcomes=tuple(outcomes),
        spaces=tuple(sorted(spaces, key=lambda s: (s.name.casefold(), s.page, s.index))),
        problems=problems,
    )


def _sorted_problems(report: _Report, by_page: Mapping[str, list[RawEntry]]
                     ) -> tuple[Problem, ...]:
    order = {title: i for i, title in enumerate(by_page)}
    ranked = sorted(report.problems, key=lambda item: (order.get(item[2].page, 0), item[0],
                                                       item[1]))
    return tuple(problem for _, _, problem in ranked)


def _sessions(builder: _Builder, by_page: Mapping[str, list[RawEntry]]
              ) -> list[tuple[RawEntry, Session]]:
    found: list[tuple[RawEntry, Session]] = []
    for title, raws in by_page.items():
        here: list[tuple[RawEntry, Session]] = []
        for raw in raws:
            if raw.kind != "session":
                continue
            session = builder.session(raw, _Values(raw, builder.report))
            if session is not None:
                here.append((raw, session))
        keys: set[str] = set()
        for raw, session in here:
            key = title
            if len(here) > 1:
                ident = session.id or session.start.strftime("%Y-%m-%d")
                key = f"{title}#{ident}"
                number = 2
                while key in keys:
                    key, number = f"{title}#{ident}-{number}", number + 1
            keys.add(key)
            found.append((raw, replace(session, key=key)))
    return found


class _SessionIndex:
    """Finds the session a ``session=`` value names."""

    def __init__(self, sessions: Sequence[Session]) -> None:
        self.by_key = {s.key: s for s in sessions}
        self.by_page: dict[str, list[Session]] = {}
        self.by_id: dict[str, list[Session]] = {}
        for s in sessions:
            self.by_page.setdefault(s.page, []).append(s)
            if s.id:
                self.by_id.setdefault(normalise(s.id), []).append(s)

    def find(self, written: str, link: Link | None, here: str) -> tuple[Session | None, str]:
        """The session, or None and the problem code."""
        candidates = []
        if link is not None and link.kind == "page":
            anchor = written.split("#", 1)[1].strip() if "#" in written else ""
            key = f"{link.target}#{anchor}" if anchor else link.target
            candidates = [key, link.target]
        if written.startswith("#"):
            candidates.append(f"{here}#{written[1:].strip()}")
        for key in candidates:
            if key in self.by_key and "#" in key:
                return self.by_key[key], ""
            on_page = self.by_page.get(key, [])
            if len(on_page) == 1:
                return on_page[0], ""
            if len(on_page) > 1:
                return None, "ambiguous-session"
        by_id = self.by_id.get(normalise(written.lstrip("#")), [])
        if len(by_id) == 1:
            return by_id[0], ""
        return None, "ambiguous-session" if by_id else "unknown-session"


def _target_session(builder: _Builder, raw: RawEntry, values: _Values, index: _SessionIndex,
                    on_page: Sequence[Session]) -> Session | None:
    written = values.get("session")
    if written:
        session, code = index.find(written, raw.links.get("session"), raw.entry.page)
        if session is None:
            builder.report.add(raw, code, "session", written)
        return session
    if len(on_page) == 1:
        return on_page[0]
    if len(on_page) > 1:
        builder.report.add(raw, "which-session", "session", "")
    return None


def _place_resource(builder: _Builder, raw: RawEntry, index: _SessionIndex,
                    on_page: Sequence[Session], page_times: Mapping[str, str]) -> Resource:
    values = _Values(raw, builder.report)
    resource = builder.resource(raw, values)
    session = _target_session(builder, raw, values, index, on_page)
    link_missing = bool(builder.missing and resource.link.wiki_title in builder.missing)
    if session is None:
        return replace(resource, date=page_times.get(raw.entry.page, ""),
                       link_missing=link_missing)
    return replace(
        resource,
        session=session.key,
        date=session.start.strftime("%Y-%m-%d"),
        skills=resource.skills or session.skills,
        languages=resource.languages or session.languages,
        link_missing=link_missing,
    )


def _place_outcome(builder: _Builder, raw: RawEntry, index: _SessionIndex,
                   on_page: Sequence[Session]) -> Outcome | None:
    values = _Values(raw, builder.report)
    outcome = builder.outcome(raw, values)
    if outcome is None:
        return None
    if outcome.group:
        return outcome
    if not values.get("session") and not on_page:
        builder.report.add(raw, "no-target", "group", "")
        return None
    session = _target_session(builder, raw, values, index, on_page)
    return replace(outcome, session=session.key) if session else None


def _apply_outcomes(sessions: list[Session], outcomes: Sequence[Outcome]) -> list[Session]:
    """An outcome turns a planned session into held (or cancelled)."""
    said: dict[str, bool] = {}
    for outcome in outcomes:
        if outcome.session:
            said[outcome.session] = said.get(outcome.session, False) or outcome.held
    result = []
    for session in sessions:
        if session.key in said and session.status == "planned":
            session = replace(session, status="held" if said[session.key] else "cancelled")
        result.append(session)
    return result


def outcome_statuses(outcomes: Iterable[Outcome]) -> dict[str, str]:
    """Group id -> "held" or "not held", for the round pages (groups not listed stay
    "proposed").  One outcome saying held is enough."""
    statuses: dict[str, str] = {}
    for outcome in outcomes:
        if not outcome.group:
            continue
        if outcome.held or statuses.get(outcome.group) == "held":
            statuses[outcome.group] = "held"
        else:
            statuses[outcome.group] = "not held"
    return dict(sorted(statuses.items()))
