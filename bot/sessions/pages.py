"""The text of the resource index, the calendar, the session problems page and two exports.

Deterministic like the directory pages: the same log (and, for the calendar,
the same "now") renders to byte-identical text, so a re-run saves nothing.

Decisions:

* **Slow connections first.**  The resource index is made of plain lists, one
  line per resource, no images; only the calendar's two overviews are tables
  (sortable, because readers look for a date or a language).
* Headings are plain English labels (a heading made by a template would give
  each reader a different anchor); list items show skills through
  ``{{Let's Connect/Skill}}`` only in the calendar tables, where they are few.
* Every value a person typed goes through :func:`escape`; the only links are
  page links the bot checked the shape of and web links whose address holds
  no character that could start markup (``'``, ``~`` and ``__`` are
  percent-encoded, which every web server reads the same way) and no
  invisible one that could reorder the page's text (bidi and C1 controls are
  percent-encoded too).
* A resource whose file or page is missing is still listed (its red link says
  so) and reported on the problems page.
* A page's problems are told in its owner's language (the person who saved its
  latest version, when they have a profile: see docs/sessions.md), else in English;
  the page's headings and "…and N more" lines stay in English.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from urllib.parse import quote

from bot.i18n.choice import problem_line
from bot.limits import PER_ENTRY, and_more, first_items, more_problems_text, per_entry
from bot.model import JSON
from bot.sessions.model import Link, Resource, Session, SessionLog, Space
from bot.taxonomy import Taxonomy
from bot.wikitext.tables import escape, page_link, render_table, skill, user_link

EXPORT_SCHEMA = 1
NEWEST = 10
EVERY_REGION = "Every region"
OTHER_TOPICS = "Other topics"
NO_SKILL = "Resources without a skill"
NO_LANGUAGE = "Language not given"
#: Characters a web address may hold that show nothing but can reorder or hide text.
_INVISIBLE = re.compile("[\x80-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def safe_url(url: str) -> str:
    """The address with the characters that could start wiki markup percent-encoded, and
    the invisible ones that could reorder the text around the link (bidi controls) or
    hide in it (C1 controls)."""
    url = _INVISIBLE.sub(lambda found: quote(found.group()), url)
    return url.replace("'", "%27").replace("~", "%7E").replace("__", "_%5F")


def link_text(link: Link, label: str) -> str:
    """A link to a web address, a file or a page, labelled with escaped text."""
    if link.kind == "url":
        return f"[{safe_url(link.target)} {escape(label)}]"
    if link.kind in ("file", "page"):
        return page_link(link.target, label)
    return escape(label)


def _language_names(codes: Sequence[str], taxonomy: Taxonomy) -> str:
    """The first ``PER_ENTRY`` languages by name, then how many more: one entry listing
    every language there is must not make a row as long as a page."""
    names = ", ".join(taxonomy.language_name(c, "en") for c in codes[:PER_ENTRY])
    return names + and_more(len(codes) - PER_ENTRY, "language")


def _when(session: Session) -> str:
    return session.start.strftime("%Y-%m-%d %H:%M" if session.has_time else "%Y-%m-%d")


def _session_link(session: Session) -> str:
    return page_link(session.page, session.title)


# --- the resource index ----------------------------------------------------------------------


def render_resources(log: SessionLog, taxonomy: Taxonomy) -> str:
    """Every resource by skill area and skill, then by language; newest first everywhere."""
    held, documented = len(log.held()), len(log.documented())
    sessions = {s.key: s for s in log.sessions}
    parts = [
        f"'''{_plural(len(log.resources), 'resource', 'resources')}'''. "
        f"{documented} of {_plural(held, 'held session', 'held sessions')} "
        f"{'has' if documented == 1 else 'have'} at least one resource"
        f"{f' ({_percent(documented, held)})' if held else ''}."
    ]
    if not log.resources:
        parts.append("''No resource has been logged yet.''")
        return "\n\n".join(parts) + "\n"
    newest = [_item(r, sessions, taxonomy) for r in log.resources[:NEWEST]]
    parts.append("== Newest ==\n" + "\n".join(newest))
    parts.append("== By skill ==\n" + _by_skill(log.resources, sessions, taxonomy))
    parts.append("== By language ==\n" + _by_language(log.resources, sessions, taxonomy))
    return "\n\n".join(parts) + "\n"


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "0%"


def _item(resource: Resource, sessions: dict[str, Session], taxonomy: Taxonomy) -> str:
    words = [resource.type]
    if resource.languages:
        words.append(_language_names(resource.languages, taxonomy))
    line = f"* {escape(resource.date) + ' · ' if resource.date else ''}"
    line += link_text(resource.link, resource.title)
    line += f" ({escape(' · '.join(words))})"
    if not resource.link.kind:
        line += " ''no link yet''"
    session = sessions.get(resource.session)
    if session is not None:
        line += f" · from {_session_link(session)}"
    return line


def _by_skill(resources: Sequence[Resource], sessions: dict[str, Session],
              taxonomy: Taxonomy) -> str:
    blocks = []
    for area_id, area in taxonomy.areas.items():
        lines = []
        for skill_id in area.skills:
            items = [r for r in resources if skill_id in r.skills]
            if items:
                lines.append(f"==== {escape(taxonomy.skill_label(skill_id, 'en'))} ====")
                lines += [_item(r, sessions, taxonomy) for r in items]
        if lines:
            blocks.append(f"=== {escape(taxonomy.area_label(area_id, 'en'))} ===\n"
                          + "\n".join(lines))
    known = set(taxonomy.skills)
    rest = [r for r in resources if not known.intersection(r.skills)]
    if rest:
        blocks.append(f"=== {NO_SKILL} ===\n"
                      + "\n".join(_item(r, sessions, taxonomy) for r in rest))
    return "\n\n".join(blocks)


def _by_language(resources: Sequence[Resource], sessions: dict[str, Session], taxonomy: Taxonomy
                 ) -> str:
    # A resource is listed under its first PER_ENTRY languages only (its line names the
    # rest): one resource in every language must not be listed thousands of times.
    listed = {id(r): r.languages[:PER_ENTRY] for r in resources}
    codes = sorted({c for r in resources for c in listed[id(r)]},
                   key=lambda c: (taxonomy.language_name(c, "en").casefold(), c))
    blocks = []
    for code in codes:
        items = [_item(r, sessions, taxonomy) for r in resources if code in listed[id(r)]]
        blocks.append(f"=== {escape(taxonomy.language_name(code, 'en'))} ===\n"
                      + "\n".join(items))
    rest = [r for r in resources if not r.languages]
    if rest:
        blocks.append(f"=== {NO_LANGUAGE} ===\n"
                      + "\n".join(_item(r, sessions, taxonomy) for r in rest))
    return "\n\n".join(blocks)


# --- the calendar ----------------------------------------------------------------------------


def render_calendar(log: SessionLog, taxonomy: Taxonomy, now: datetime) -> str:
    """Upcoming sessions and other spaces, by region and by topic; past sessions by month."""
    upcoming = [s for s in log.sessions if s.upcoming(now)]
    past = [s for s in log.sessions if not s.upcoming(now)]
    coming = [s for s in upcoming if s.status != "cancelled"]
    parts = [
        f"'''{_plural(len(coming), 'upcoming session', 'upcoming sessions')}''' and "
        f"'''{_plural(len(log.spaces), 'other learning space', 'other learning spaces')}'''. "
        "Times are in UTC.",
        "== Upcoming sessions ==\n" + _upcoming_table(upcoming, taxonomy),
        "== By region ==\n" + _by_region(coming, log.spaces, taxonomy),
        "== By topic ==\n" + _by_topic(coming, log.spaces, taxonomy),
        "== Other learning spaces ==\n" + _spaces_table(log.spaces, taxonomy),
        "== Past sessions ==\n" + _past(past, log),
    ]
    return "\n\n".join(parts) + "\n"


def _upcoming_table(sessions: Sequence[Session], taxonomy: Taxonomy) -> str:
    if not sessions:
        return "''No session is planned yet.''"
    headers = ["Date (UTC)", "Session", "Format", "Region", "Languages", "Skills", "Sharers",
               "Registration"]
    rows = []
    for s in sessions:
        title = _session_link(s) + (" ''(cancelled)''" if s.status == "cancelled" else "")
        languages = _language_names(s.languages, taxonomy)
        if s.interpretation:
            languages += f" (interpretation: {_language_names(s.interpretation, taxonomy)})"
        rows.append([
            escape(_when(s)), title, escape(s.format), escape(_region(s.region, taxonomy)),
            escape(languages), ", ".join(skill(k) for k in s.skills),
            first_items([user_link(u) for u in s.sharers[:PER_ENTRY]], "sharer",
                        len(s.sharers)),
            link_text(s.registration, "register") if s.registration.kind else "",
        ])
    return render_table(headers, rows)


def _region(region: str, taxonomy: Taxonomy) -> str:
    return taxonomy.region_label(region, "en") if region else EVERY_REGION


def _session_line(session: Session) -> str:
    return f"* {escape(_when(session))} · {_session_link(session)} ({escape(session.format)})"


def _space_line(space: Space) -> str:
    line = f"* {link_text(space.link, space.name)}"
    if space.schedule:
        line += f" ({escape(space.schedule)})"
    return line


def _by_region(sessions: Sequence[Session], spaces: Sequence[Space], taxonomy: Taxonomy) -> str:
    blocks = []
    for region in [*taxonomy.regions, ""]:
        lines = [_session_line(s) for s in sessions if s.region == region]
        lines += [_space_line(s) for s in spaces if s.region == region]
        if lines:
            blocks.append(f"=== {escape(_region(region, taxonomy))} ===\n" + "\n".join(lines))
    return "\n\n".join(blocks) or "''Nothing planned yet.''"


def _areas_of(ids: Iterable[str], taxonomy: Taxonomy) -> set[str]:
    """Skill ids and area ids -> the skill areas and thematic areas they belong to."""
    areas = set()
    for ident in ids:
        if ident in taxonomy.skills:
            areas.add(taxonomy.skills[ident].area)
        elif ident in taxonomy.areas or ident in taxonomy.thematic_areas:
            areas.add(ident)
    return areas


def _by_topic(sessions: Sequence[Session], spaces: Sequence[Space], taxonomy: Taxonomy) -> str:
    blocks = []
    for area in [*taxonomy.areas, *taxonomy.thematic_areas]:
        lines = [_session_line(s) for s in sessions if area in _areas_of(s.skills, taxonomy)]
        lines += [_space_line(s) for s in spaces if area in _areas_of(s.topics, taxonomy)]
        if lines:
            blocks.append(f"=== {escape(taxonomy.area_label(area, 'en'))} ===\n"
                          + "\n".join(lines))
    others = [s for s in spaces if s.other_topics]
    if others:
        lines = [_space_line(s) + f" — {escape(first_items(s.other_topics, 'topic'))}"
                 for s in others]
        blocks.append(f"=== {OTHER_TOPICS} ===\n" + "\n".join(lines))
    return "\n\n".join(blocks) or "''Nothing planned yet.''"


def _spaces_table(spaces: Sequence[Space], taxonomy: Taxonomy) -> str:
    if not spaces:
        return "''No other learning space is listed yet.''"
    headers = ["Space", "Organiser", "Region", "Topics", "Languages", "Schedule"]
    rows = []
    for s in spaces:
        topics = [taxonomy.skill_label(t, "en") if t in taxonomy.skills
                  else taxonomy.area_label(t, "en") for t in s.topics]
        rows.append([
            link_text(s.link, s.name), escape(s.organiser), escape(_region(s.region, taxonomy)),
            escape(first_items([*topics, *s.other_topics], "topic")),
            escape(_language_names(s.languages, taxonomy)), escape(s.schedule),
        ])
    return render_table(headers, rows)


def _past(sessions: Sequence[Session], log: SessionLog) -> str:
    if not sessions:
        return "''No session has taken place yet.''"
    months: dict[str, list[Session]] = {}
    for s in sorted(sessions, key=lambda s: (s.start, s.key), reverse=True):
        months.setdefault(s.month, []).append(s)
    blocks = []
    headers = ["Date (UTC)", "Session", "Format", "Status", "Participants", "Resources"]
    for month, items in months.items():
        label = datetime.strptime(month, "%Y-%m").strftime("%B %Y")
        rows = [[
            escape(_when(s)), _session_link(s), escape(s.format),
            escape(s.status if s.status != "planned" else "planned (not updated)"),
            "" if s.participants is None else str(s.participants),
            str(len(log.resources_of(s.key))),
        ] for s in items]
        blocks.append(f"=== {label} ===\n" + render_table(headers, rows))
    return "\n\n".join(blocks)


# --- problems --------------------------------------------------------------------------------


def render_session_problems(log: SessionLog,
                            owners: Mapping[str, tuple[str, str]] | None = None) -> str:
    """Every problem in the session logs, with what to do about it: at most ``PER_ENTRY``
    a page, then how many more (one page full of mistakes must not make this page too
    big to save).  ``owners``: page -> (its owner, their language); a page's problems are
    told in its owner's language (marked with it), else in English."""
    owners = owners or {}
    problems = log.problems
    pages = {p.page for p in problems}
    parts = [f"{_plural(len(problems), 'problem', 'problems')} "
             f"on {_plural(len(pages), 'page', 'pages')}."]
    if problems:
        headers = ["Page", "Field", "What is wrong / how to fix"]
        rows = []
        for problem, more in per_entry(problems):
            owner, lang = owners.get(problem.page, ("", "en"))
            rows.append([page_link(problem.page), escape(problem.field),
                         problem_line(problem, lang, owner, escape)])
            if more:
                rows.append([page_link(problem.page), "",
                             escape(more_problems_text(more, "page"))])
        parts.append(render_table(headers, rows))
    return "\n\n".join(parts) + "\n"


# --- exports ---------------------------------------------------------------------------------


def _session_json(session: Session, log: SessionLog) -> dict[str, JSON]:
    return {
        "page": session.key,
        "date": session.date,
        "title": session.title,
        "format": session.format,
        "region": session.region,
        "languages": list(session.languages),
        "skills": list(session.skills),
        "status": session.status,
        "resources": [
            {"title": r.title, "link": r.link.as_text(), "type": r.type}
            for r in log.resources_of(session.key)
        ],
    }


def render_sessions_export(log: SessionLog, generated: str) -> str:
    data = {
        "schema": EXPORT_SCHEMA,
        "generated": generated,
        "sessions": [_session_json(s, log) for s in log.sessions],
    }
    return json.dumps(data, ensure_ascii=False, indent=1)


def render_resources_export(log: SessionLog, generated: str) -> str:
    data = {
        "schema": EXPORT_SCHEMA,
        "generated": generated,
        "resources": [r.as_json() for r in log.resources],
    }
    return json.dumps(data, ensure_ascii=False, indent=1)
