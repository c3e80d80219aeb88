"""The text of the directory's generated sections and its JSON export.

Everything here is deterministic: the same directory renders to byte-identical
text, so a job can skip an edit that would change nothing.  Rows are sorted by
user name (ignoring case), regions and areas follow the taxonomy's order,
which is the order of the configuration files.

Decisions:

* Only ``active`` profiles (which always have consent) are shown in the
  directory and counted in the skills page.
* Skills are rendered as ``{{Let's Connect/Skill|<id>}}`` so that readers see
  the label in their interface language.  Region and area headings are plain
  English labels: a heading produced by a template would give each reader a
  different section anchor and break links to ``#Sub-Saharan Africa``.
  Counts go in a line under each heading, not in it, for the same reason.
* Every piece of participant text goes through :func:`escape`; the only links
  and templates on these pages are the bot's own user links, page links and
  skill templates.
* A problem line is told in its owner's language (:func:`owner_languages`, the rule
  of the notices), marked with ``lang``/``dir`` when it is not English; the page's
  headings, column headers and "…and N more" lines stay in English.  The export keeps
  each problem's English ``message``.
* The export lists every profile.  Profiles with consent that are not
  quarantined carry their data; the others (no consent, or an entry nobody
  trustworthy saved) carry only ``user``, ``page`` and ``status``, so that
  nothing a participant did not agree to publish, or did not write, is
  exported.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from bot.directory.build import Directory
from bot.i18n.choice import choose_language, problem_line
from bot.limits import PER_ENTRY, and_more, more_problems_text, per_entry
from bot.model import JSON, Problem, Profile
from bot.taxonomy import Taxonomy
from bot.wikitext.tables import escape, page_link, render_table, skill, user_link

NO_REGION = "Region not given"
OTHER_SKILLS = "Other skills"
EXPORT_SCHEMA = 1
_REASONS = {
    "untrusted": "no version saved by the owner or the working group",
    "no-such-user": "the account does not exist",
    "bad-user-name": "not a valid user name",
}


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _label(lookup: Callable[[str], str], key: str) -> str:
    """A label from the taxonomy, or the key itself when the taxonomy does not know it
    (hand-built data, or a config that dropped an entry)."""
    try:
        return str(lookup(key) or key)
    except (KeyError, LookupError, ValueError, AttributeError):
        return key


def _area_label(taxonomy: Taxonomy, area_id: str) -> str:
    return _label(lambda a: taxonomy.area_label(a, "en"), area_id)


# --- the directory ---------------------------------------------------------------------


def render_directory(directory: Directory, taxonomy: Taxonomy) -> str:
    """One section per region, a sortable table of active participants in each."""
    shown = directory.active()
    by_region: dict[str, list[Profile]] = {}
    for profile in shown:
        key = profile.region if profile.region in taxonomy.regions else ""
        by_region.setdefault(key, []).append(profile)
    parts = [f"{_plural(len(shown), 'participant', 'participants')} in the directory."]
    for region_id in taxonomy.regions:
        heading = _label(lambda r: taxonomy.region_label(r, "en"), region_id)
        parts.append(_region_section(heading, by_region.get(region_id, []), taxonomy))
    if by_region.get(""):
        parts.append(_region_section(NO_REGION, by_region[""], taxonomy))
    return "\n\n".join(parts) + "\n"


def _region_section(heading: str, profiles: list[Profile], taxonomy: Taxonomy) -> str:
    lines = [f"== {escape(heading)} ==", _plural(len(profiles), "participant.", "participants.")]
    if profiles:
        headers = ["User", "Country", "Languages", "Affiliation", "Shares", "Wants to learn"]
        rows = [_directory_row(p, taxonomy) for p in _by_user(profiles)]
        lines.append(render_table(headers, rows))
    return "\n".join(lines)


def _directory_row(profile: Profile, taxonomy: Taxonomy) -> list[str]:
    country = _label(lambda c: taxonomy.country_name(c, "en"), profile.country)
    # The first languages only: one entry listing every language there is must not make
    # a row as long as a page (the export keeps them all).
    languages = [_label(lambda c: taxonomy.language_name(c, "en"), c)
                 for c in profile.languages[:PER_ENTRY]]
    more = and_more(len(profile.languages) - len(languages), "language")
    return [
        user_link(profile.user),
        escape(country) if profile.country else "",
        escape(", ".join(languages) + more),
        escape(profile.affiliation),
        ", ".join(skill(s) for s in profile.share),
        ", ".join(skill(s) for s in profile.learn),
    ]


def _by_user(profiles: Iterable[Profile]) -> list[Profile]:
    return sorted(profiles, key=lambda p: (p.user.casefold(), p.user))


# --- by skill --------------------------------------------------------------------------


def render_by_skill(directory: Directory, taxonomy: Taxonomy) -> str:
    """Every skill, grouped by area, with who shares and who wants to learn it;
    then the skills that learners want and nobody shares."""
    shown = _by_user(directory.active())
    sharers = _people_by_skill(shown, "share")
    learners = _people_by_skill(shown, "learn")
    parts = []
    for heading, skill_ids in _skill_groups(taxonomy):
        rows = [_skill_row(s, sharers.get(s, []), learners.get(s, [])) for s in skill_ids]
        headers = ["Skill", "Sharers", "Shared by", "Learners", "Wants to learn"]
        parts.append(f"== {escape(heading)} ==\n" + render_table(headers, rows))
    parts.append(_sharers_wanted(sharers, learners, taxonomy))
    return "\n\n".join(parts) + "\n"


def _people_by_skill(profiles: list[Profile], attribute: str) -> dict[str, list[str]]:
    people: dict[str, list[str]] = {}
    for profile in profiles:
        for skill_id in getattr(profile, attribute):
            people.setdefault(skill_id, []).append(profile.user)
    return people


def _skill_groups(taxonomy: Taxonomy) -> list[tuple[str, list[str]]]:
    groups: dict[str, list[str]] = {area_id: [] for area_id in taxonomy.areas}
    others: list[str] = []
    for skill_id, entry in taxonomy.skills.items():
        groups.get(entry.area, others).append(skill_id)
    result = [(_area_label(taxonomy, a), ids) for a, ids in groups.items() if ids]
    if others:
        result.append((OTHER_SKILLS, others))
    return result


def _skill_row(skill_id: str, sharers: list[str], learners: list[str]) -> list[str]:
    return [
        skill(skill_id),
        str(len(sharers)),
        ", ".join(user_link(u) for u in sharers),
        str(len(learners)),
        ", ".join(user_link(u) for u in learners),
    ]


def _sharers_wanted(
    sharers: dict[str, list[str]], learners: dict[str, list[str]], taxonomy: Taxonomy
) -> str:
    wanted = [(s, len(people)) for s, people in learners.items() if not sharers.get(s)]
    wanted.sort(key=lambda item: (-item[1], _skill_sort_label(taxonomy, item[0]), item[0]))
    lines = ["== Sharers wanted ==",
             "Skills that participants want to learn and no active participant shares, "
             "most wanted first."]
    if not wanted:
        lines.append("Every skill someone wants to learn has at least one sharer.")
    lines.extend(f"* {skill(s)}: wanted by {_plural(n, 'participant', 'participants')}"
                 for s, n in wanted)
    return "\n".join(lines)


def _skill_sort_label(taxonomy: Taxonomy, skill_id: str) -> str:
    if skill_id not in taxonomy.skills:
        return skill_id.casefold()
    return _label(lambda s: taxonomy.skill_label(s, "en"), skill_id).casefold()


# --- problems --------------------------------------------------------------------------


def render_problems(directory: Directory, taxonomy: Taxonomy) -> str:
    """A table of every problem, then the entries that are quarantined.

    One entry shows at most ``PER_ENTRY`` problems, then a row saying how many more
    it has: an entry with thousands of mistakes must not make the page too big to save
    (nor unreadable for everyone else)."""
    del taxonomy  # messages are already complete; kept for a uniform signature
    problems = directory.problems
    pages = {p.page for p in problems}
    parts = [f"{_plural(len(problems), 'problem', 'problems')} "
             f"on {_plural(len(pages), 'page', 'pages')}."]
    if problems:
        headers = ["Page", "Owner", "Field", "What is wrong / how to fix"]
        langs = owner_languages(directory.profiles)
        rows = []
        for problem, more in per_entry(problems):
            lang = langs.get((problem.page, problem.user), "en")
            rows.append(_problem_row(problem, problem.field,
                                     problem_line(problem, lang, problem.user, escape)))
            if more:
                rows.append(_problem_row(problem, "", escape(more_problems_text(more))))
        parts.append(render_table(headers, rows))
    parts.append(_quarantined(directory))
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


def _quarantined(directory: Directory) -> str:
    lines = ["== Quarantined entries ==",
             "These entries are not shown, matched or notified until their owner saves them."]
    held = [p for p in directory.profiles if p.status == "quarantined"]
    if not held:
        lines.append("None.")
    for profile in held:
        codes = [c for c in _REASONS if c in profile.notes]
        reasons = "; ".join(_REASONS[c] for c in codes) or "no trustworthy version"
        lines.append(f"* {page_link(profile.page)}: {user_link(profile.user)} ({reasons})")
    return "\n".join(lines)


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
