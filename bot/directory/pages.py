"""The text of the directory's generated sections, in each language of the program, and its
JSON export.

Everything here is deterministic: the same directory renders to byte-identical
text, so a job can skip an edit that would change nothing.  Rows are sorted by
user name (ignoring case); regions and areas follow the taxonomy's order (the order of
the configuration files, the same in every language); skills are sorted by their label in
the page's language.

Decisions:

* Only ``active`` profiles (which always have consent) are shown in the
  directory and counted in the skills page.
* Each language has its own version of every page (:mod:`bot.wikitext.versions`), so
  labels are written out in that language: a template per cell would cost the parser
  more than a page of 5,000 profiles allows.  Headings are plain text in the page's
  language; a region's anchor therefore differs between versions.
* Every piece of participant text goes through :func:`escape`; the only links on these
  pages are the bot's own user links and page links.
* A problem line is told in its owner's language (:func:`owner_languages`, the rule
  of the notices), marked with ``lang``/``dir`` when that is not the page's language.  The
  export keeps each problem's English ``message``.
* The export lists every profile.  Profiles with consent that are not
  quarantined carry their data; the others (no consent, or an entry nobody
  trustworthy saved) carry only ``user``, ``page`` and ``status``, so that
  nothing a participant did not agree to publish, or did not write, is
  exported.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache

from bot.directory.build import Directory
from bot.i18n.catalogue import Catalogue
from bot.i18n.choice import choose_language, problem_line
from bot.i18n.words import and_more, join, more_problems_text, number
from bot.i18n.words import text as page_text
from bot.limits import PER_ENTRY, per_entry
from bot.model import JSON, Problem, Profile
from bot.taxonomy import Taxonomy, label_order
from bot.wikitext.tables import escape, page_link, render_table, user_link

EXPORT_SCHEMA = 1
#: Why an entry is quarantined: note code -> message key.
_REASONS = {
    "untrusted": "reason-untrusted",
    "no-such-user": "reason-no-such-user",
    "bad-user-name": "reason-bad-user-name",
}


class _Messages(Catalogue):
    prefix = "letsconnect-directory-"


@cache
def _messages() -> _Messages:
    return _Messages.load()


def _t(key: str, lang: str, *params: object) -> str:
    """A message of these pages in ``lang``: wikitext from the catalogue (its entities
    kept), so ``params`` must already be safe (escaped text, numbers)."""
    return _messages().text(key, lang, *params)


def _headers(lang: str, *keys: str) -> list[str]:
    return [_t(f"column-{key}", lang) for key in keys]


def _skill_cell(taxonomy: Taxonomy, skill_ids: Iterable[str], lang: str) -> str:
    return join([escape(taxonomy.skill_label(s, lang)) for s in skill_ids], lang)


# --- the directory ---------------------------------------------------------------------


def render_directory(directory: Directory, taxonomy: Taxonomy, lang: str = "en") -> str:
    """One section per region, a sortable table of active participants in each."""
    shown = directory.active()
    by_region: dict[str, list[Profile]] = {}
    for profile in shown:
        key = profile.region if profile.region in taxonomy.regions else ""
        by_region.setdefault(key, []).append(profile)
    parts = [_t("count", lang, number(len(shown), lang))]
    for region_id in taxonomy.regions:
        heading = taxonomy.region_label(region_id, lang)
        parts.append(_region_section(heading, by_region.get(region_id, []), taxonomy, lang))
    if by_region.get(""):
        parts.append(_region_section(_t("no-region", lang), by_region[""], taxonomy, lang,
                                     escaped=True))
    return "\n\n".join(parts) + "\n"


def _region_section(heading: str, profiles: list[Profile], taxonomy: Taxonomy,
                    lang: str, escaped: bool = False) -> str:
    lines = [f"== {heading if escaped else escape(heading)} ==",
             _t("region-count", lang, number(len(profiles), lang))]
    if profiles:
        headers = _headers(lang, "user", "country", "languages", "affiliation", "shares",
                           "learns")
        rows = [_directory_row(p, taxonomy, lang) for p in _by_user(profiles)]
        lines.append(render_table(headers, rows))
    return "\n".join(lines)


def _directory_row(profile: Profile, taxonomy: Taxonomy, lang: str) -> list[str]:
    # The first languages only: one entry listing every language there is must not make
    # a row as long as a page (the export keeps them all).
    languages = [escape(taxonomy.language_name(c, lang)) for c in profile.languages[:PER_ENTRY]]
    return [
        user_link(profile.user),
        escape(taxonomy.country_name(profile.country, lang)) if profile.country else "",
        and_more(languages, len(profile.languages), "more-languages", lang),
        escape(profile.affiliation),
        _skill_cell(taxonomy, profile.share, lang),
        _skill_cell(taxonomy, profile.learn, lang),
    ]


def _by_user(profiles: Iterable[Profile]) -> list[Profile]:
    return sorted(profiles, key=lambda p: (p.user.casefold(), p.user))


# --- by skill --------------------------------------------------------------------------


def render_by_skill(directory: Directory, taxonomy: Taxonomy, lang: str = "en") -> str:
    """Every skill, grouped by area, with who shares and who wants to learn it;
    then the skills that learners want and nobody shares."""
    shown = _by_user(directory.active())
    sharers = _people_by_skill(shown, "share")
    learners = _people_by_skill(shown, "learn")
    parts = []
    headers = _headers(lang, "skill", "sharers", "shared-by", "learners", "learns")
    for heading, skill_ids in _skill_groups(taxonomy, lang):
        rows = [_skill_row(taxonomy.skill_label(s, lang), sharers.get(s, []),
                           learners.get(s, []), lang) for s in skill_ids]
        parts.append(f"== {heading} ==\n" + render_table(headers, rows))
    parts.append(_sharers_wanted(sharers, learners, taxonomy, lang))
    return "\n\n".join(parts) + "\n"


def _people_by_skill(profiles: list[Profile], attribute: str) -> dict[str, list[str]]:
    people: dict[str, list[str]] = {}
    for profile in profiles:
        for skill_id in getattr(profile, attribute):
            people.setdefault(skill_id, []).append(profile.user)
    return people


def _skill_groups(taxonomy: Taxonomy, lang: str) -> list[tuple[str, list[str]]]:
    """(heading as wikitext, skill ids sorted by their label in ``lang``) for each area
    with skills."""
    groups: dict[str, list[str]] = {area_id: [] for area_id in taxonomy.areas}
    others: list[str] = []
    for skill_id, entry in taxonomy.skills.items():
        groups.get(entry.area, others).append(skill_id)
    result = [(escape(taxonomy.area_label(a, lang)), ids) for a, ids in groups.items() if ids]
    if others:
        result.append((_t("other-skills", lang), others))
    return [(heading, sorted(ids, key=lambda s: label_order(taxonomy.skill_label(s, lang))))
            for heading, ids in result]


def _skill_row(label: str, sharers: list[str], learners: list[str], lang: str) -> list[str]:
    return [
        escape(label),
        number(len(sharers), lang),
        join([user_link(u) for u in sharers], lang),
        number(len(learners), lang),
        join([user_link(u) for u in learners], lang),
    ]


def _sharers_wanted(sharers: dict[str, list[str]], learners: dict[str, list[str]],
                    taxonomy: Taxonomy, lang: str) -> str:
    wanted = [(s, len(people)) for s, people in learners.items() if not sharers.get(s)]
    wanted.sort(key=lambda item: (-item[1], label_order(taxonomy.skill_label(item[0], lang))))
    lines = [f"== {_t('wanted-heading', lang)} ==", _t("wanted-intro", lang)]
    if not wanted:
        lines.append(_t("wanted-none", lang))
    lines.extend("* " + _t("wanted-line", lang, escape(taxonomy.skill_label(s, lang)),
                           number(n, lang))
                 for s, n in wanted)
    return "\n".join(lines)


# --- problems --------------------------------------------------------------------------


def render_problems(directory: Directory, taxonomy: Taxonomy, lang: str = "en") -> str:
    """A table of every problem, then the entries that are quarantined.

    One entry shows at most ``PER_ENTRY`` problems, then a row saying how many more
    it has: an entry with thousands of mistakes must not make the page too big to save
    (nor unreadable for everyone else).  Each line is in its owner's language, whatever
    the page's: it is the owner who has to act on it."""
    del taxonomy  # messages are already complete; kept for a uniform signature
    problems = directory.problems
    pages = {p.page for p in problems}
    parts = [_t("problems-count", lang, number(len(problems), lang), number(len(pages), lang))]
    if problems:
        headers = _headers(lang, "page", "owner", "field", "problem")
        langs = owner_languages(directory.profiles)
        rows = []
        for problem, more in per_entry(problems):
            owner = langs.get((problem.page, problem.user), "en")
            rows.append(_problem_row(problem, problem.field,
                                     problem_line(problem, owner, problem.user, escape, lang)))
            if more:
                rows.append(_problem_row(problem, "", problem_line(
                    problem, owner, problem.user, escape, lang,
                    text=more_problems_text(more, "entry", owner))))
        parts.append(render_table(headers, rows))
    parts.append(_quarantined(directory, lang))
    return "\n\n".join(parts) + "\n"


def _problem_row(problem: Problem, field: str, text: str) -> list[str]:
    return [page_link(problem.page), user_link(problem.user) if problem.user else "",
            escape(field), text]


def owner_languages(profiles: Iterable[Profile]) -> dict[tuple[str, str], str]:
    """(page, owner) -> the language the owner is told their problems in
    (:func:`bot.i18n.choice.choose_language`, the notices' rule).  A quarantined entry's
    fields are not its owner's word, so its problems stay in English."""
    return {(p.page, p.user): choose_language(p.lang, p.languages)
            for p in profiles if p.status != "quarantined"}


def _quarantined(directory: Directory, lang: str) -> str:
    lines = [f"== {_t('quarantined-heading', lang)} ==", _t("quarantined-intro", lang)]
    held = [p for p in directory.profiles if p.status == "quarantined"]
    if not held:
        lines.append(_t("none", lang))
    for profile in held:
        keys = [key for code, key in _REASONS.items() if code in profile.notes]
        reasons = [_t(key, lang) for key in keys or ["reason-other"]]
        text = _semicolons(reasons, lang)
        lines.append(f"* {page_link(profile.page)}: {user_link(profile.user)} ({text})")
    return "\n".join(lines)


def _semicolons(items: list[str], lang: str) -> str:
    return page_text("semicolon-separator", lang).join(items)


# --- export ----------------------------------------------------------------------------


def _export_profile(profile: Profile) -> dict[str, JSON]:
    if profile.consent and profile.status != "quarantined":
        return profile.as_json()
    return {"user": profile.user, "page": profile.page, "status": profile.status}


def render_export(directory: Directory, generated: str) -> str:
    """The JSON page beside the tables, for dashboards and other tools.

    As on the problems page, one entry gives at most ``PER_ENTRY`` problems; when an
    entry has more, ``problems_left_out`` counts them."""
    grouped = per_entry(directory.problems)
    data: dict[str, object] = {
        "schema": EXPORT_SCHEMA,
        "generated": generated,
        "participants": [_export_profile(p) for p in directory.profiles],
        "problems": [p.as_json() for p, _ in grouped],
    }
    left_out = [{"page": p.page, "user": p.user, "count": more} for p, more in grouped if more]
    if left_out:
        data["problems_left_out"] = left_out
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)
