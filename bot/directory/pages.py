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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from bot.directory.build import Directory
from bot.i18n import LANGUAGES
from bot.i18n.catalogue import messages
from bot.i18n.choice import choose_language, problem_line
from bot.i18n.words import and_more, join, more_problems_text, number
from bot.i18n.words import text as page_text
from bot.limits import PER_ENTRY, byte_size, per_entry
from bot.model import JSON, Problem, Profile
from bot.taxonomy import Taxonomy, label_order
from bot.taxonomy.model import identities
from bot.wikitext.tables import escape, page_link, render_table, user_link
from bot.wikitext.versions import version_title

EXPORT_SCHEMA = 1
#: Why an entry is quarantined: note code -> message key.
_REASONS = {
    "untrusted": "reason-untrusted",
    "no-such-user": "reason-no-such-user",
    "bad-user-name": "reason-bad-user-name",
}


#: A message of these pages in ``lang``: wikitext from the catalogue (its entities kept), so
#: its parameters must already be safe (escaped text, numbers).
_t = messages("letsconnect-directory-")


def _headers(lang: str, *keys: str) -> list[str]:
    return [_t(f"column-{key}", lang) for key in keys]


def _skill_cell(taxonomy: Taxonomy, skill_ids: Iterable[str], lang: str) -> str:
    return join([escape(taxonomy.skill_label(s, lang)) for s in skill_ids], lang)


# --- the directory ---------------------------------------------------------------------

#: Above this many bytes in any language, the directory is split into one page per region.
#: Meta refuses a page over 2,048 KiB; a page of a million bytes of table already takes the
#: parser seconds, and the working group's own text shares the page.
SPLIT_AT = 1_000_000
#: The last part of the title of the page for participants who gave no region.
NO_REGION_PAGE = "Region not given"


def render_directory(directory: Directory, taxonomy: Taxonomy, lang: str = "en") -> str:
    """One section per region, a sortable table of active participants in each."""
    regions = _regions(directory, taxonomy, lang)
    parts = [_t("count", lang, number(len(directory.active()), lang))]
    parts.extend(_region_section(label, profiles, taxonomy, lang)
                 for _, label, profiles in regions)
    return "\n\n".join(parts) + "\n"


def _regions(directory: Directory, taxonomy: Taxonomy,
             lang: str) -> list[tuple[str, str, list[Profile]]]:
    """(region id, its name in ``lang``, its active profiles) in the taxonomy's order, then
    the participants who gave no region ("" as id), if any."""
    by_region: dict[str, list[Profile]] = {}
    for profile in directory.active():
        key = profile.region if profile.region in taxonomy.regions else ""
        by_region.setdefault(key, []).append(profile)
    regions = [(r, taxonomy.region_label(r, lang), by_region.get(r, []))
               for r in taxonomy.regions]
    if by_region.get(""):
        regions.append(("", _t("no-region", lang), by_region[""]))
    return regions


def region_page(base: str, taxonomy: Taxonomy, region_id: str) -> str:
    """The title of a region's page when the directory is split: ``<directory>/<region's
    English name>`` (a title stays the same in every language; its versions add ``/es``…)."""
    name = taxonomy.region_label(region_id, "en") if region_id else NO_REGION_PAGE
    return f"{base}/{name}"


@dataclass(frozen=True)
class DirectoryPages:
    """The pages of the directory: base title -> its text in a language.  ``pages`` are
    written; ``pointers`` (region pages of an earlier split, the directory fitting on one
    page again) are written only where the page exists, to send readers back."""

    pages: dict[str, Callable[[str], str]]
    pointers: dict[str, Callable[[str], str]]


def directory_pages(directory: Directory, taxonomy: Taxonomy, base: str,
                    split_at: int | None = None) -> DirectoryPages:
    """The directory on one page, or, when that page would pass ``split_at`` bytes
    (default :data:`SPLIT_AT`) in any language, an index on the directory page and one
    page per region (and one for those who gave none, if anyone)."""
    limit = SPLIT_AT if split_at is None else split_at
    whole = {lang: render_directory(directory, taxonomy, lang) for lang in LANGUAGES}
    if max(byte_size(text) for text in whole.values()) <= limit:
        back = partial(_pointer, base)
        titles = [region_page(base, taxonomy, r) for r in (*taxonomy.regions, "")]
        return DirectoryPages({base: whole.__getitem__}, dict.fromkeys(titles, back))
    pages: dict[str, Callable[[str], str]] = {base: partial(_index, directory, taxonomy, base)}
    for region_id, _, _ in _regions(directory, taxonomy, "en"):
        pages[region_page(base, taxonomy, region_id)] = partial(
            _region_page, directory, taxonomy, base, region_id)
    return DirectoryPages(pages, {})


def _index(directory: Directory, taxonomy: Taxonomy, base: str, lang: str) -> str:
    lines = [_t("count", lang, number(len(directory.active()), lang)), "",
             _t("by-region", lang)]
    for region_id, label, profiles in _regions(directory, taxonomy, lang):
        link = page_link(version_title(region_page(base, taxonomy, region_id), lang), label)
        lines.append("* " + _t("region-link", lang, link, number(len(profiles), lang)))
    return "\n".join(lines) + "\n"


def _region_page(directory: Directory, taxonomy: Taxonomy, base: str, region_id: str,
                 lang: str) -> str:
    back = _t("region-of", lang, page_link(version_title(base, lang)))
    for rid, label, profiles in _regions(directory, taxonomy, lang):
        if rid == region_id:
            return back + "\n\n" + _region_section(label, profiles, taxonomy, lang) + "\n"
    raise KeyError(region_id)


def _pointer(base: str, lang: str) -> str:
    return _t("one-page-again", lang, page_link(version_title(base, lang))) + "\n"


def _region_section(label: str, profiles: list[Profile], taxonomy: Taxonomy,
                    lang: str) -> str:
    lines = [f"== {escape(label)} ==",
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


def render_export(directory: Directory, generated: str, taxonomy: Taxonomy | None = None,
                  from_capx: Mapping[str, Sequence[str]] | None = None) -> str:
    """The JSON page beside the tables, for dashboards and other tools.

    As on the problems page, one entry gives at most ``PER_ENTRY`` problems; when an
    entry has more, ``problems_left_out`` counts them.  With the taxonomy, ``skills``
    gives each skill named its Wikidata item and CapX capacities; ``from_capx`` names,
    per participant, the fields that came from the Capacity Exchange."""
    grouped = per_entry(directory.problems)
    participants = [_export_profile(p) for p in directory.profiles]
    for entry in participants:
        taken = (from_capx or {}).get(str(entry["user"]))
        if taken and "share" in entry:
            entry["from_capx"] = list(taken)
    data: dict[str, object] = {
        "schema": EXPORT_SCHEMA,
        "generated": generated,
        "participants": participants,
        "problems": [p.as_json() for p, _ in grouped],
    }
    if taxonomy is not None:
        named = {s for p in directory.profiles for s in (*p.share, *p.learn)}
        data["skills"] = identities(taxonomy.skills, named)
    left_out = [{"page": p.page, "user": p.user, "count": more} for p, more in grouped if more]
    if left_out:
        data["problems_left_out"] = left_out
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)
