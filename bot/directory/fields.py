"""The fields of one profile entry: reading, resolving and checking them, and the
problems found on the way, each with a message a newcomer understands.

**Field rules.**  Region comes from ``region=`` when it is understood (an
explicit answer wins; a country outside that region is reported as
``region-country-mismatch``), else from the country.  ``capacity`` is the
number of coffees a month as a sharer: default 1, at most 4 (larger numbers are
capped and reported); 0 is allowed and means "listed, but not sharing this
month".  ``formats`` defaults to all three; unknown words are reported and
ignored.  ``notify`` defaults to yes; an unreadable answer counts as no (never
message someone who may have said no).  A value containing a template is
reported and read without the template.  Affiliation and bio are one line of at
most 200 characters.  ``capx=yes`` asks the bot to fill what the entry leaves empty
from the participant's Capacity Exchange profile (bot/capx/).

"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypedDict

from bot.i18n.problems import PROFILE, english_message, render, unreadable_reason
from bot.i18n.problems import did_you_mean as hint_message
from bot.model import Entry, Problem, ProblemParam
from bot.taxonomy import Resolution, Taxonomy, did_you_mean, split_list
from bot.wikitext.entries import strip_templates
from bot.wikitext.guard import TIME_LIMIT
from bot.wikitext.tables import normalise_user

#: Canonical parameter names of the profile template.
PROFILE_PARAMS = (
    "user", "region", "country", "languages", "affiliation", "share", "learn", "areas",
    "capacity", "formats", "notify", "consent", "lang", "bio", "capx",
)


#: Other names people write for the parameters (matched ignoring case and underscores).
PROFILE_ALIASES: dict[str, str] = {
    **{name: name for name in PROFILE_PARAMS},
    "username": "user", "user name": "user", "account": "user",
    "shares": "share", "sharing": "share", "skills to share": "share", "can share": "share",
    "offers": "share",
    "learning": "learn", "wants": "learn", "wants to learn": "learn",
    "skills to learn": "learn", "learns": "learn",
    "language": "languages", "spoken languages": "languages",
    "group": "affiliation", "affiliate": "affiliation", "organization": "affiliation",
    "organisation": "affiliation", "affiliations": "affiliation",
    "topics": "areas", "thematic areas": "areas", "area": "areas",
    "format": "formats",
    "about": "bio", "biography": "bio",
    "notice language": "lang",
}


FORMATS = ("1:1", "group", "clinic")
MAX_CAPACITY = 4
DEFAULT_CAPACITY = 1
MAX_TEXT = 200
#: Items read from one list field (there are fewer skills than this in all).
MAX_ITEMS = 60
DEFAULT_SKILLS_PAGE = "Grants:Knowledge Sharing/Connect/Skills"

#: The words read as each format, in the program's languages (the profile form offers the
#: same, ``bot.onwiki.formdata``).
FORMAT_WORDS = {
    "1:1": (
        "11", "1on1", "1to1", "onetoone", "oneonone", "individual", "individuel", "coffee",
        "coffees", "tea", "coffeetea", "coffeeortea", "فردي",
    ),
    "group": ("group", "groups", "smallgroup", "cluster", "grupo", "grupos", "groupe", "groupes",
              "مجموعة", "جماعي"),
    "clinic": ("clinic", "clinics", "learningclinic", "learningclinics", "clinica", "clínica",
               "clinicas", "clínicas", "clinique", "cliniques", "عيادة"),
}
_FORMAT_LOOKUP = {word: fmt for fmt, words in FORMAT_WORDS.items() for word in words}
#: The words read as yes and no (consent, capx), in the program's languages.
YES_WORDS = frozenset({"yes", "y", "true", "1", "on", "si", "sí", "oui", "sim", "ja", "نعم"})
NO_WORDS = frozenset({"no", "n", "false", "0", "off", "non", "não", "nao", "nein", "لا"})


#: The parameters of each problem's message, ``$2`` on (``$1`` is the reader): the message
#: is ``letsconnect-problem-<code>`` in the catalogue (``bot/i18n/<lang>.json``), what is
#: wrong, then how to fix it, told in any language by :mod:`bot.i18n.problems`.
PARAMS: dict[str, tuple[str, ...]] = {
    "unknown-skill": ("value", "field", "skills_page", "hint"),
    "unknown-area": ("value", "field", "skills_page", "hint"),
    "unknown-country": ("value", "hint"),
    "unknown-language": ("value", "field", "hint"),
    "unknown-region": ("value", "hint"),
    "region-country-mismatch": ("region", "country", "country_region"),
    "no-consent": (),
    "duplicate-parameter": ("field",),
    "unknown-parameter": ("value", "params", "hint"),
    "bad-capacity": ("value", "used", "max_capacity"),
    "bad-formats": ("value",),
    "bad-notify": ("value",),
    "no-languages": (),
    "template-in-value": ("field", "value"),
    "edited-by-other": ("latest_user", "latest_revid", "changes", "used_revid", "used_user",
                        "owner"),
    "untrusted": ("owner",),
    "no-such-user": ("value",),
    "bad-user-name": ("value", "hint"),
    "too-many-items": ("field", "count", "limit"),
    "unreadable-page": ("reason",),
    "moved-profile": ("mover", "revid", "owner"),
    "no-user": ("number",),
    "user-mismatch": ("owner", "value"),
    "blocked": (),
    "duplicate-profile": ("owner", "other_page", "other_revid"),
    "stale": ("owner", "date", "days"),
    "empty-profile": (),
}
#: The English text of each problem's message, as the catalogue has it.
MESSAGES: dict[str, str] = {code: english_message(PROFILE + code) for code in PARAMS}


class ProblemReport:
    """Collects the problems of one entry, all with the same page and user."""

    def __init__(self, page: str, user: str, skills_page: str) -> None:
        self.page, self.user, self.skills_page = page, user, skills_page
        self.problems: list[Problem] = []

    def add(self, code: str, field_name: str = "", value: str = "", **details: object) -> None:
        self.problems.append(problem(self.page, self.user, code, field_name, value,
                                     skills_page=self.skills_page, **details))


def problem(
    page: str, user: str, code: str, field_name: str, value: str, **details: object
) -> Problem:
    """The problem ``code`` of an entry; ``details`` give its message's other parameters
    (a message of the catalogue as a tuple, its key first: a hint, a word)."""
    values: dict[str, object] = {
        "field": field_name, "value": value, "hint": (), "owner": user,
        "skills_page": DEFAULT_SKILLS_PAGE, "max_capacity": MAX_CAPACITY, **details}
    if code == "unreadable-page":
        values["reason"] = unreadable_reason(str(values["reason"]), TIME_LIMIT)
    params = tuple(_param(values[name]) for name in PARAMS[code])
    key = PROFILE + code
    return Problem(page=page, user=user, code=code, field=field_name, value=value,
                   message=render(key, params, "en", user), key=key, params=params)


def _param(value: object) -> ProblemParam:
    if isinstance(value, tuple):
        return tuple(str(part) for part in value)
    return str(value)


@dataclass
class EntryReader:
    """The values of one entry, with templates already reported and removed."""

    entry: Entry
    report: ProblemReport
    values: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name, value in self.entry.params.items():
            if name in self.entry.templated:
                self.report.add("template-in-value", name, value)
                value = strip_templates(value)
            self.values[name] = value.strip()

    def get(self, name: str) -> str:
        return self.values.get(name, "")


def report_parameters(
    entry: Entry, reader: EntryReader, title_owner: str | None, report: ProblemReport
) -> None:
    for name in entry.duplicates:
        report.add("duplicate-parameter", name, reader.get(name))
    for name in entry.unknown:
        report.add("unknown-parameter", name, name, hint=_did_you_mean_param(name),
                   params=", ".join(PROFILE_PARAMS))
    written = normalise_user(reader.get("user"))
    if title_owner is not None and written and written != title_owner:
        report.add("user-mismatch", "user", reader.get("user"))
    if not reader.get("share") and not reader.get("learn"):
        report.add("empty-profile")


def _did_you_mean_param(name: str) -> tuple[str, ...]:
    close = difflib.get_close_matches(name.casefold(), list(PROFILE_ALIASES), n=1, cutoff=0.7)
    return hint_message([PROFILE_ALIASES[close[0]]] if close else [])


def _items(reader: EntryReader, name: str) -> list[str]:
    """The items of a list field, at most :data:`MAX_ITEMS` of them: every item costs a
    lookup, so a list of thousands would make one entry slow down every job."""
    items = [item for item in split_list(reader.get(name)) if item.strip()]
    if len(items) > MAX_ITEMS:
        # Reported for the entry as a whole (no field), so that it comes first among the
        # entry's problems and is seen even when the rest are summed up as "N more".
        reader.report.add("too-many-items", "", str(len(items)), field=name,
                          count=len(items), limit=MAX_ITEMS)
    return items[:MAX_ITEMS]


def _resolve_all(
    reader: EntryReader,
    name: str,
    resolve: Callable[[str], Resolution],
    code: str,
    report: ProblemReport,
) -> tuple[str, ...]:
    ids: list[str] = []
    for item in _items(reader, name):
        resolution = resolve(item)
        if resolution.value is not None:
            if resolution.value not in ids:
                ids.append(resolution.value)
        else:
            report.add(code, name, item, hint=did_you_mean(resolution.suggestion))
    return tuple(ids)


def _resolve_one(
    reader: EntryReader,
    name: str,
    resolve: Callable[[str], Resolution],
    code: str,
    report: ProblemReport,
) -> str:
    """The id of the field's one value, or "" (empty, or reported as ``code``)."""
    value = reader.get(name)
    if not value:
        return ""
    resolution = resolve(value)
    if resolution.value is None:
        report.add(code, name, value, hint=did_you_mean(resolution.suggestion))
        return ""
    return resolution.value


class SkillFields(TypedDict):
    share: tuple[str, ...]
    learn: tuple[str, ...]
    areas: tuple[str, ...]


class LanguageFields(TypedDict):
    languages: tuple[str, ...]
    lang: str


class PlaceFields(TypedDict):
    country: str
    region: str


class ParticipationFields(TypedDict):
    capacity: int
    formats: tuple[str, ...]
    notify: bool
    consent: bool


def read_skills(reader: EntryReader, tax: Taxonomy, report: ProblemReport) -> SkillFields:
    return {
        "share": _resolve_all(reader, "share", tax.resolve_skill, "unknown-skill", report),
        "learn": _resolve_all(reader, "learn", tax.resolve_skill, "unknown-skill", report),
        "areas": _resolve_all(reader, "areas", tax.resolve_area, "unknown-area", report),
    }


def read_languages(reader: EntryReader, tax: Taxonomy, report: ProblemReport) -> LanguageFields:
    languages = _resolve_all(reader, "languages", tax.resolve_language, "unknown-language",
                             report)
    if not languages:
        report.add("no-languages", "languages", reader.get("languages"))
    lang = _resolve_one(reader, "lang", tax.resolve_language, "unknown-language", report)
    return {"languages": languages, "lang": lang}


def read_place(reader: EntryReader, tax: Taxonomy, report: ProblemReport) -> PlaceFields:
    country = _resolve_one(reader, "country", tax.resolve_country, "unknown-country", report)
    country_region = (tax.region_of_country(country) if country else None) or ""
    region = _resolve_one(reader, "region", tax.resolve_region, "unknown-region", report)
    if region and country and country_region and country_region != region:
        if country not in tax.regions[region].countries:
            report.add("region-country-mismatch", "region", reader.get("region"),
                       region=tax.region_label(region, "en"),
                       country=tax.country_name(country, "en"),
                       country_region=tax.region_label(country_region, "en"))
    return {"country": country, "region": region or country_region}


def read_participation(reader: EntryReader, report: ProblemReport) -> ParticipationFields:
    return {
        "capacity": _capacity(reader.get("capacity"), report),
        "formats": _formats(reader, report),
        "notify": _notify(reader.get("notify"), report),
        "consent": yes_no(reader.get("consent")) is True,
    }


def _capacity(value: str, report: ProblemReport) -> int:
    if not value:
        return DEFAULT_CAPACITY
    if re.fullmatch(r"\d{1,6}", value):
        number = int(value)
        if number <= MAX_CAPACITY:
            return number
        report.add("bad-capacity", "capacity", value, used=MAX_CAPACITY)
        return MAX_CAPACITY
    report.add("bad-capacity", "capacity", value, used=DEFAULT_CAPACITY)
    return DEFAULT_CAPACITY


def _formats(reader: EntryReader, report: ProblemReport) -> tuple[str, ...]:
    chosen: set[str] = set()
    for item in _items(reader, "formats"):
        key = re.sub(r"[\s\-_:/.]+", "", item.casefold())
        if key in _FORMAT_LOOKUP:
            chosen.add(_FORMAT_LOOKUP[key])
        else:
            report.add("bad-formats", "formats", item)
    return tuple(f for f in FORMATS if f in chosen) or FORMATS


def yes_no(value: str) -> bool | None:
    word = value.strip().casefold().rstrip(".!")
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    return None


def _notify(value: str, report: ProblemReport) -> bool:
    if not value:
        return True
    answer = yes_no(value)
    if answer is None:
        report.add("bad-notify", "notify", value)
        return False
    return answer


def one_line(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= MAX_TEXT else line[: MAX_TEXT - 1].rstrip() + "…"
