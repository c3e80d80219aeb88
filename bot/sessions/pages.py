"""The text of the resource index, the calendar, the session problems page (each in every
language of the program) and two exports.

Deterministic like the directory pages: the same log (and, for the calendar,
the same "now") renders to byte-identical text, so a re-run saves nothing.

Decisions:

* **Slow connections first.**  The resource index is made of plain lists, one
  line per resource, no images; only the calendar's two overviews are tables
  (sortable, because readers look for a date or a language).
* Each language has its own version of every page (:mod:`bot.wikitext.versions`), so
  every word is written out in that language: headings, column headers, sentences and
  counts from the ``letsconnect-sessionpage-`` messages (``bot/i18n/sessionpages/``), a
  session's format, status and a resource's type from the session cards' own words
  (``letsconnect-sessions-``), skill, area, region and language names from the taxonomy,
  skills and languages sorted by their name in the page's language.  Regions and areas
  follow the taxonomy's order, the same in every language.  Headings are plain text: a
  heading made by a template would give each reader a different anchor.
* Dates and times stay ISO (2026-12-05 14:00, in UTC): they read the same in every
  language.  On a page written right to left, each date, user name and title a person
  typed is isolated (``<bdi>``) so that nothing around it reorders.
* Every value a person typed goes through :func:`escape`; the only links are
  page links the bot checked the shape of and web links whose address holds
  no character that could start markup (``'``, ``~`` and ``__`` are
  percent-encoded, which every web server reads the same way) and no
  invisible one that could reorder the page's text (bidi and C1 controls are
  percent-encoded too).  Messages are trusted wikitext: what goes into them is escaped.
* A resource whose file or page is missing is still listed (its red link says
  so) and reported on the problems page.
* A page's problems are told in its owner's language (the person who saved its
  latest version, when they have a profile: see docs/sessions.md), else in English,
  marked with it when that is not the page's language; so is the line that stands for
  the problems of a page not listed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from urllib.parse import quote

from bot.i18n.catalogue import messages
from bot.i18n.choice import problem_line
from bot.i18n.words import and_more, join, more_problems_text, number
from bot.i18n.words import text as page_text
from bot.limits import PER_ENTRY, per_entry
from bot.model import JSON
from bot.sessions.model import Link, Resource, Session, SessionLog, Space
from bot.taxonomy import Taxonomy, label_order
from bot.wikitext.tables import escape, page_link, render_table, user_link
from bot.wikitext.versions import isolated, ltr

EXPORT_SCHEMA = 1
NEWEST = 10
#: Characters a web address may hold that show nothing but can reorder or hide text.
_INVISIBLE = re.compile("[\x80-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


#: A message of these pages in ``lang``: wikitext from the catalogue (its entities kept), so
#: its parameters must already be safe (escaped text, links, numbers).
_t = messages("letsconnect-sessionpage-")
#: The session cards' words (Module:Let's Connect/Sessions): formats, statuses, types.
_card = messages("letsconnect-sessions-")


def _word(kind: str, value: str, lang: str) -> str:
    """A session's format or status, a resource's type, as the session cards say it."""
    return _card(f"{kind}-{value}", lang)


def _headers(lang: str, *keys: str) -> list[str]:
    return [_t(f"column-{key}", lang) for key in keys]


def _italic(key: str, lang: str) -> str:
    return f"''{_t(key, lang)}''"


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


def _language_names(codes: Sequence[str], taxonomy: Taxonomy, lang: str) -> str:
    """The first ``PER_ENTRY`` languages by name, then how many more: one entry listing
    every language there is must not make a row as long as a page."""
    names = [escape(taxonomy.language_name(c, lang)) for c in codes[:PER_ENTRY]]
    return and_more(names, len(codes), "more-languages", lang)


def _skill_names(skill_ids: Iterable[str], taxonomy: Taxonomy, lang: str) -> list[str]:
    """Skill (or area) names in ``lang``, escaped, sorted as a reader of it expects."""
    labels = [taxonomy.skill_label(s, lang) if s in taxonomy.skills
              else taxonomy.area_label(s, lang) for s in skill_ids]
    return [escape(label) for label in sorted(labels, key=label_order)]


def _when(session: Session, lang: str) -> str:
    when = session.start.strftime("%Y-%m-%d %H:%M" if session.has_time else "%Y-%m-%d")
    return ltr(escape(when), lang)


def _session_link(session: Session, lang: str) -> str:
    return isolated(page_link(session.page, session.title), lang)


def _format(session: Session, lang: str) -> str:
    return _word("format", session.format, lang)


# --- the resource index ----------------------------------------------------------------------


def render_resources(log: SessionLog, taxonomy: Taxonomy, lang: str = "en") -> str:
    """Every resource by skill area and skill, then by language; newest first everywhere."""
    held, documented = len(log.held()), len(log.documented())
    sessions = {s.key: s for s in log.sessions}
    total = _t("resources-total", lang, number(len(log.resources), lang))
    if held:
        share = page_text("percent", lang, number(round(100 * documented / held), lang))
        total += " " + _t("resources-documented", lang, number(documented, lang),
                          number(held, lang), share)
    else:
        total += " " + _t("resources-none-held", lang)
    parts = [total]
    if not log.resources:
        parts.append(_italic("no-resources", lang))
        return "\n\n".join(parts) + "\n"
    newest = [_item(r, sessions, taxonomy, lang) for r in log.resources[:NEWEST]]
    parts.append(f"== {_t('heading-newest', lang)} ==\n" + "\n".join(newest))
    parts.append(f"== {_t('heading-by-skill', lang)} ==\n"
                 + _by_skill(log.resources, sessions, taxonomy, lang))
    parts.append(f"== {_t('heading-by-language', lang)} ==\n"
                 + _by_language(log.resources, sessions, taxonomy, lang))
    return "\n\n".join(parts) + "\n"


def _item(resource: Resource, sessions: dict[str, Session], taxonomy: Taxonomy,
          lang: str) -> str:
    words = [_word("type", resource.type, lang)]
    if resource.languages:
        words.append(_language_names(resource.languages, taxonomy, lang))
    date = ltr(escape(resource.date), lang)
    line = f"* {date + ' · ' if resource.date else ''}"
    line += isolated(link_text(resource.link, resource.title), lang)
    line += f" ({' · '.join(words)})"
    if not resource.link.kind:
        line += f" ''{_card('no-link', lang)}''"
    session = sessions.get(resource.session)
    if session is not None:
        line += " · " + _t("item-from", lang, _session_link(session, lang))
    return line


def _by_skill(resources: Sequence[Resource], sessions: dict[str, Session],
              taxonomy: Taxonomy, lang: str) -> str:
    blocks = []
    for area_id, area in taxonomy.areas.items():
        lines = []
        for skill_id in sorted(area.skills,
                               key=lambda s: label_order(taxonomy.skill_label(s, lang))):
            items = [r for r in resources if skill_id in r.skills]
            if items:
                lines.append(f"==== {escape(taxonomy.skill_label(skill_id, lang))} ====")
                lines += [_item(r, sessions, taxonomy, lang) for r in items]
        if lines:
            blocks.append(f"=== {escape(taxonomy.area_label(area_id, lang))} ===\n"
                          + "\n".join(lines))
    known = set(taxonomy.skills)
    rest = [r for r in resources if not known.intersection(r.skills)]
    if rest:
        blocks.append(f"=== {_t('no-skill', lang)} ===\n"
                      + "\n".join(_item(r, sessions, taxonomy, lang) for r in rest))
    return "\n\n".join(blocks)


def _by_language(resources: Sequence[Resource], sessions: dict[str, Session],
                 taxonomy: Taxonomy, lang: str) -> str:
    # A resource is listed under its first PER_ENTRY languages only (its line names the
    # rest): one resource in every language must not be listed thousands of times.
    listed = {id(r): r.languages[:PER_ENTRY] for r in resources}
    codes = sorted({c for r in resources for c in listed[id(r)]},
                   key=lambda c: (label_order(taxonomy.language_name(c, lang)), c))
    blocks = []
    for code in codes:
        items = [_item(r, sessions, taxonomy, lang) for r in resources
                 if code in listed[id(r)]]
        blocks.append(f"=== {escape(taxonomy.language_name(code, lang))} ===\n"
                      + "\n".join(items))
    rest = [r for r in resources if not r.languages]
    if rest:
        blocks.append(f"=== {_t('no-language', lang)} ===\n"
                      + "\n".join(_item(r, sessions, taxonomy, lang) for r in rest))
    return "\n\n".join(blocks)


# --- the calendar ----------------------------------------------------------------------------


def render_calendar(log: SessionLog, taxonomy: Taxonomy, now: datetime, lang: str = "en") -> str:
    """Upcoming sessions and other spaces, by region and by topic; past sessions by month."""
    upcoming = [s for s in log.sessions if s.upcoming(now)]
    past = [s for s in log.sessions if not s.upcoming(now)]
    coming = [s for s in upcoming if s.status != "cancelled"]
    parts = [
        _t("calendar-total", lang, number(len(coming), lang), number(len(log.spaces), lang)),
        f"== {_t('heading-upcoming', lang)} ==\n" + _upcoming_table(upcoming, taxonomy, lang),
        f"== {_t('heading-by-region', lang)} ==\n"
        + _by_region(coming, log.spaces, taxonomy, lang),
        f"== {_t('heading-by-topic', lang)} ==\n"
        + _by_topic(coming, log.spaces, taxonomy, lang),
        f"== {_t('heading-spaces', lang)} ==\n" + _spaces_table(log.spaces, taxonomy, lang),
        f"== {_t('heading-past', lang)} ==\n" + _past(past, log, lang),
    ]
    return "\n\n".join(parts) + "\n"


def _upcoming_table(sessions: Sequence[Session], taxonomy: Taxonomy, lang: str) -> str:
    if not sessions:
        return _italic("no-session-planned", lang)
    headers = _headers(lang, "date", "session", "format", "region", "languages", "skills",
                       "sharers", "registration")
    rows = []
    for s in sessions:
        title = _session_link(s, lang)
        if s.status == "cancelled":
            title += f" ''({_word('status', 'cancelled', lang)})''"
        languages = _language_names(s.languages, taxonomy, lang)
        if s.interpretation:
            languages = _t("languages-interpreted", lang, languages,
                           _language_names(s.interpretation, taxonomy, lang))
        sharers = [isolated(user_link(u), lang) for u in s.sharers[:PER_ENTRY]]
        rows.append([
            _when(s, lang), title, _format(s, lang), _region(s.region, taxonomy, lang),
            languages, join(_skill_names(s.skills, taxonomy, lang), lang),
            and_more(sharers, len(s.sharers), "more-sharers", lang),
            link_text(s.registration, _t("register", lang)) if s.registration.kind else "",
        ])
    return render_table(headers, rows)


def _region(region: str, taxonomy: Taxonomy, lang: str) -> str:
    """The region's name (wikitext), or "every region" for a session open to all."""
    if not region:
        return _card("every-region", lang)
    return escape(taxonomy.region_label(region, lang))


def _session_line(session: Session, lang: str) -> str:
    return (f"* {_when(session, lang)} · {_session_link(session, lang)} "
            f"({_format(session, lang)})")


def _space_line(space: Space, lang: str) -> str:
    line = f"* {isolated(link_text(space.link, space.name), lang)}"
    if space.schedule:
        line += f" ({isolated(escape(space.schedule), lang)})"
    return line


def _by_region(sessions: Sequence[Session], spaces: Sequence[Space], taxonomy: Taxonomy,
               lang: str) -> str:
    blocks = []
    for region in [*taxonomy.regions, ""]:
        lines = [_session_line(s, lang) for s in sessions if s.region == region]
        lines += [_space_line(s, lang) for s in spaces if s.region == region]
        if lines:
            blocks.append(f"=== {_region(region, taxonomy, lang)} ===\n" + "\n".join(lines))
    return "\n\n".join(blocks) or _italic("nothing-planned", lang)


def _areas_of(ids: Iterable[str], taxonomy: Taxonomy) -> set[str]:
    """Skill ids and area ids -> the skill areas and thematic areas they belong to."""
    areas = set()
    for ident in ids:
        if ident in taxonomy.skills:
            areas.add(taxonomy.skills[ident].area)
        elif ident in taxonomy.areas or ident in taxonomy.thematic_areas:
            areas.add(ident)
    return areas


def _other_topics(space: Space, lang: str) -> str:
    """The topics of a space that are in no list, as written, the first ``PER_ENTRY``."""
    written = [isolated(escape(t), lang) for t in space.other_topics[:PER_ENTRY]]
    return and_more(written, len(space.other_topics), "more-topics", lang)


def _by_topic(sessions: Sequence[Session], spaces: Sequence[Space], taxonomy: Taxonomy,
              lang: str) -> str:
    blocks = []
    for area in [*taxonomy.areas, *taxonomy.thematic_areas]:
        lines = [_session_line(s, lang) for s in sessions
                 if area in _areas_of(s.skills, taxonomy)]
        lines += [_space_line(s, lang) for s in spaces if area in _areas_of(s.topics, taxonomy)]
        if lines:
            blocks.append(f"=== {escape(taxonomy.area_label(area, lang))} ===\n"
                          + "\n".join(lines))
    others = [s for s in spaces if s.other_topics]
    if others:
        lines = [_space_line(s, lang) + f" — {_other_topics(s, lang)}" for s in others]
        blocks.append(f"=== {_t('other-topics', lang)} ===\n" + "\n".join(lines))
    return "\n\n".join(blocks) or _italic("nothing-planned", lang)


def _spaces_table(spaces: Sequence[Space], taxonomy: Taxonomy, lang: str) -> str:
    if not spaces:
        return _italic("no-spaces", lang)
    headers = _headers(lang, "space", "organiser", "region", "topics", "languages",
                       "schedule")
    rows = []
    for s in spaces:
        topics = [*_skill_names(s.topics, taxonomy, lang),
                  *(isolated(escape(t), lang) for t in s.other_topics)]
        rows.append([
            isolated(link_text(s.link, s.name), lang), isolated(escape(s.organiser), lang),
            _region(s.region, taxonomy, lang),
            and_more(topics[:PER_ENTRY], len(topics), "more-topics", lang),
            _language_names(s.languages, taxonomy, lang), isolated(escape(s.schedule), lang),
        ])
    return render_table(headers, rows)


def _month(month: str, lang: str) -> str:
    """A month ("2026-11") as a heading in ``lang`` ("November 2026")."""
    year, _, number_of_month = month.partition("-")
    return _t(f"month-{int(number_of_month)}", lang, year)


def _status(session: Session, lang: str) -> str:
    if session.status == "planned":  # a past session nobody said took place or not
        return _t("status-not-updated", lang)
    return _word("status", session.status, lang)


def _past(sessions: Sequence[Session], log: SessionLog, lang: str) -> str:
    if not sessions:
        return _italic("no-past", lang)
    months: dict[str, list[Session]] = {}
    for s in sorted(sessions, key=lambda s: (s.start, s.key), reverse=True):
        months.setdefault(s.month, []).append(s)
    blocks = []
    headers = _headers(lang, "date", "session", "format", "status", "participants",
                       "resources")
    for month, items in months.items():
        rows = [[
            _when(s, lang), _session_link(s, lang), _format(s, lang), _status(s, lang),
            "" if s.participants is None else number(s.participants, lang),
            number(len(log.resources_of(s.key)), lang),
        ] for s in items]
        blocks.append(f"=== {_month(month, lang)} ===\n" + render_table(headers, rows))
    return "\n\n".join(blocks)


# --- problems --------------------------------------------------------------------------------


def render_session_problems(log: SessionLog,
                            owners: Mapping[str, tuple[str, str]] | None = None,
                            lang: str = "en") -> str:
    """Every problem in the session logs, with what to do about it: at most ``PER_ENTRY``
    a page, then how many more (one page full of mistakes must not make this page too
    big to save).  ``owners``: page -> (its owner, their language); a page's problems are
    told in its owner's language (marked with it when it is not the page's ``lang``), else
    in English."""
    owners = owners or {}
    problems = log.problems
    pages = {p.page for p in problems}
    parts = [_t("problems-count", lang, number(len(problems), lang), number(len(pages), lang))]
    if problems:
        headers = _headers(lang, "page", "field", "problem")
        rows = []
        for problem, more in per_entry(problems):
            owner, told = owners.get(problem.page, ("", "en"))
            where = isolated(page_link(problem.page), lang)
            rows.append([where, isolated(escape(problem.field), lang),
                         problem_line(problem, told, owner, escape, lang)])
            if more:
                rows.append([where, "", problem_line(
                    problem, told, owner, escape, lang,
                    text=more_problems_text(more, "page", told))])
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
