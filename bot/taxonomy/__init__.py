"""Skills, thematic areas, regions, countries and languages: ids, labels, resolving.

Participants write their profiles by hand, in five languages and with typos.
This module turns what they wrote into the stable ids the rest of the bot
works with ("Presupuesto" -> ``budget-development``, "Maroc" -> ``MA``,
"português" -> ``pt``), and back into labels for readers.

Skills, thematic areas and regions come from config/skills.yaml and
config/regions.yaml, so the working group can change them without touching
code; countries and languages come from the ISO and CLDR data that pycountry
and langcodes ship, because hand-made lists of those go stale.

Resolving never raises for odd input: an answer that is not understood is a
:class:`Resolution` with ``value=None`` and, when a close match exists, a
suggestion to show the participant ("did you mean Budget development?").

Everything here is pure: text and plain data in and out, no wiki access.
"""

from __future__ import annotations

import functools
import gettext
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import langcodes
import pycountry
import yaml
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.i18n import LANGUAGES

__all__ = [
    "LANGS",
    "Area",
    "Region",
    "Resolution",
    "Skill",
    "Taxonomy",
    "TaxonomyError",
    "normalise",
    "split_list",
]

#: The program's languages: every label exists in each of them.
LANGS = LANGUAGES  # the one list: bot/i18n/languages.json

#: Where Taxonomy.load() looks when no path is given.
CONFIG_DIR = Path(__file__).resolve().parents[2] / "config"

#: Codes outside ISO 3166-1 that participants' countries really use.
EXTRA_COUNTRIES = {"XK": "Kosovo"}

#: Below this similarity (0-100) a fuzzy match is noise, not a typo.
FUZZY_CUTOFF = 86
#: Shorter texts are too short to tell a typo from another word.
FUZZY_MIN_LENGTH = 4
#: Resolved texts kept per taxonomy; far above a directory's distinct answers.
CACHE_LIMIT = 50_000

_KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_COUNTRY_CODE = re.compile(r"[A-Z]{2}\Z")
_NOT_LANGUAGES = frozenset({"und", "zxx", "mul", "mis"})
#: Words people put in a list of languages that happen to be ISO 639-3 codes ("etc" is Etchemaa).
_FILLER_WORDS = frozenset(
    {"all", "and", "any", "etc", "nil", "non", "not", "oui", "sim", "tba", "tbd", "the", "yes"}
)


class TaxonomyError(ValueError):
    """The taxonomy files are unusable; the message names the file, the entry and the fix."""


@dataclass(frozen=True)
class Resolution:
    """What a participant's text was understood as.

    ``value`` is the canonical id or code, ``None`` when not understood; a
    ``suggestion`` is only given when something close exists, so that callers
    can tell "a typo" (ask them) from "noise" (just report it).
    """

    value: str | None
    suggestion: str | None = None

    @property
    def ok(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Skill:
    """One skill; ``labels`` stay out of the hash so skills can be set members."""

    id: str
    area: str
    labels: dict[str, str] = field(hash=False)
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Area:
    """A skill area (``skills`` in yaml order) or a thematic area (``skills=()``)."""

    id: str
    labels: dict[str, str] = field(hash=False)
    skills: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Region:
    """A Wikimedia region; ``countries`` are ISO 3166-1 alpha-2 codes, in file order."""

    id: str
    labels: dict[str, str] = field(hash=False)
    countries: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


# --- text helpers ------------------------------------------------------------------------------

# Arabic letters people type interchangeably (and Persian keyboard forms), and the tatweel.
_ARABIC_FOLD = str.maketrans({"ى": "ي", "ة": "ه", "ی": "ي", "ک": "ك", "ٱ": "ا", "ـ": None})


def normalise(text: str) -> str:
    """The form texts are compared in: what people vary without meaning something else.

    Case, accents and Arabic diacritics, hyphens, underscores, punctuation and
    runs of spaces all go: "Évaluation", "evaluation" and " EVALUATION. " are
    the same answer.  Punctuation becomes a space rather than vanishing so
    that "Art+Feminism" stays two words.
    """
    # Casefold between two decompositions: some compatibility forms decompose to capitals ("㎒").
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", str(text)).casefold())
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Mn":
            continue
        kept.append(" " if category[0] in "PS" else ch)
    return " ".join("".join(kept).translate(_ARABIC_FOLD).split())


_BREAK_TAGS = re.compile(r"<br\s*/?\s*>|\{\{\s*(?:·|•|bull)\s*\}\}", re.IGNORECASE)
_SPACED_DOTS = re.compile(r"\s[·・]\s")
_LIST_MARKER = re.compile(r"^[*#:•●▪‣◦\-–—]+\s*")
_INLINE_SEPARATORS = frozenset(",;،؛、，；•●▪‣◦")
_BRACKETS = {")": "(", "]": "[", "}": "{", "）": "（"}


def split_list(text: str) -> list[str]:
    """Items of a list a participant typed, in their order.

    Commas (Latin, Arabic, ideographic), semicolons, newlines, ``<br>`` and
    bullets separate items; wikitext list markers at the start of an item are
    dropped.  Commas inside balanced brackets do not split, so "Wikimedia tools
    (PAWS, Quarry, WDQS)" and ``[[Page, with comma]]`` stay whole.  A lone
    middle dot only separates when spaced, because Catalan writes "l·l".
    """
    if not text:
        return []
    text = _SPACED_DOTS.sub("•", _BREAK_TAGS.sub("\n", str(text)))
    items = []
    for line in text.splitlines():
        for part in _split_outside_brackets(line):
            item = _LIST_MARKER.sub("", part.strip()).strip()
            if item:
                items.append(item)
    return items


def _split_outside_brackets(line: str) -> list[str]:
    protected = _bracketed_positions(line)
    parts, start = [], 0
    for i, ch in enumerate(line):
        if ch in _INLINE_SEPARATORS and i not in protected:
            parts.append(line[start:i])
            start = i + 1
    parts.append(line[start:])
    return parts


def _bracketed_positions(line: str) -> set[int]:
    """Positions inside a matched bracket pair; an unmatched bracket protects nothing."""
    stack: list[tuple[str, int]] = []
    protected: set[int] = set()
    for i, ch in enumerate(line):
        if ch in "([{（":
            stack.append((ch, i))
        elif ch in _BRACKETS:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == _BRACKETS[ch]:
                    protected.update(range(stack[depth][1], i + 1))
                    del stack[depth:]
                    break
    return protected


def _label(labels: Mapping[str, str], lang: str, fallback: str) -> str:
    """The label in ``lang`` (or its base language, "pt-BR" -> "pt"), else English."""
    base = lang.split("-")[0].lower() if lang else "en"
    return labels.get(lang) or labels.get(base) or labels.get("en") or fallback


# --- lookup index ------------------------------------------------------------------------------


class _Index:
    """Normalised id/label/alias -> entity id(s), with a fuzzy fallback for suggestions.

    Built once at load; every key belongs to one entity unless it was declared
    ambiguous, so a label can never silently resolve to another skill.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.exact: dict[str, tuple[str, ...]] = {}
        self._claims: dict[str, tuple[str, str]] = {}
        self._fuzzy: dict[str, tuple[tuple[str, ...], str | None]] = {}
        self._choices: list[str] = []

    def claim(self, text: str, ident: str, lang: str | None, where: str) -> None:
        key = normalise(text)
        if not key:
            raise TaxonomyError(
                f"{self.source}: {where}: {text!r} has no letters or digits "
                "(expected a word people could type)"
            )
        owner = self._claims.get(key)
        if owner is not None and owner[0] != ident:
            raise TaxonomyError(
                f"{self.source}: {where}: {text!r} is already used by {owner[0]!r} "
                f"({owner[1]}); expected each id, label and alias to belong to one entry "
                "(list words that fit several entries under ambiguous_aliases)"
            )
        if owner is None:
            self._claims[key] = (ident, where)
            self.exact[key] = (ident,)
            self._fuzzy[key] = ((ident,), lang)

    def claim_ambiguous(self, text: str, idents: tuple[str, ...], where: str) -> None:
        key = normalise(text)
        if not key:
            raise TaxonomyError(f"{self.source}: {where}: {text!r} has no letters or digits")
        owner = self._claims.get(key)
        if owner is not None:
            raise TaxonomyError(
                f"{self.source}: {where}: {text!r} is also an id, label or alias of "
                f"{owner[0]!r} ({owner[1]}); expected ambiguous aliases to be used nowhere else"
            )
        known = self.exact.get(key)
        if known is not None and set(known) != set(idents):
            raise TaxonomyError(
                f"{self.source}: {where}: {text!r} is listed twice with different entries"
            )
        self.exact[key] = idents
        self._fuzzy[key] = (idents, None)

    def freeze(self) -> None:
        self._choices = list(self._fuzzy)

    def resolve(self, text: str, label: Callable[[str, str], str]) -> Resolution:
        key = normalise(text)
        if not key:
            return Resolution(None)
        found = self.exact.get(key)
        if found is None and "(" in text:
            # "Wikidata (beginner)": the bracket is a qualifier, not part of the answer.
            found = self.exact.get(normalise(re.sub(r"\([^()]*\)", " ", text)))
        if found is not None and len(found) == 1:
            return Resolution(found[0])
        if found is not None:  # declared ambiguous: name the candidates
            return Resolution(None, _join_labels(found, "en", label))
        match = _closest(key, self._choices, self._fuzzy)
        if match is None:
            return Resolution(None)
        idents, lang = match
        return Resolution(None, _join_labels(idents, lang or "en", label))


def _join_labels(idents: Iterable[str], lang: str, label: Callable[[str, str], str]) -> str:
    return " / ".join(label(ident, lang) for ident in idents)


def _similarity(a: str, b: str, **kwargs: Any) -> float:
    """Plain edit similarity, or the same with words sorted when only the order differs.

    Sorting alone is not enough: a typo in a first letter moves the word.
    """
    return max(fuzz.ratio(a, b, **kwargs), fuzz.token_sort_ratio(a, b, **kwargs))


def _closest(key: str, choices: list[str], targets: Mapping[str, Any]) -> Any | None:
    """The target of the most similar choice, when similar enough to be a typo.

    Word order does not count ("development budget"), swapped letters count
    as one slip; very short texts get no suggestion because almost any two
    short words look alike.
    """
    if len(key) < FUZZY_MIN_LENGTH or not choices:
        return None
    best = process.extractOne(key, choices, scorer=_similarity, score_cutoff=FUZZY_CUTOFF)
    if best is None:
        # One slip in a short word ("Ugnada") costs too many percent; count edits instead.
        allowed = 1 if len(key) <= 8 else 2
        best = process.extractOne(key, choices, scorer=OSA.distance, score_cutoff=allowed)
    if best is None:
        return None
    return targets[best[0]]


# --- reading and checking the yaml -------------------------------------------------------------


class _Checker:
    """Turns parsed yaml into checked values; every error names the file and the key."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str, expected: str) -> TaxonomyError:
        place = f"{self.source}: {where}" if where else self.source
        return TaxonomyError(f"{place}: {problem} (expected {expected})")

    def mapping(self, value: Any, where: str, allowed: Iterable[str]) -> Mapping[str, Any]:
        allowed = tuple(allowed)
        if not isinstance(value, Mapping):
            raise self.fail(where, f"got {_kind(value)}", f"a mapping with {', '.join(allowed)}")
        unknown = [str(k) for k in value if k not in allowed]
        if unknown:
            raise self.fail(where, f"unknown key {unknown[0]!r}", f"only {', '.join(allowed)}")
        return value

    def items(self, value: Any, where: str, *, required: bool = True) -> list[Any]:
        if value is None and not required:
            return []
        if not isinstance(value, list) or (required and not value):
            raise self.fail(where, f"got {_kind(value)}", "a non-empty list")
        return value

    def ident(self, entry: Mapping[str, Any], where: str, seen: set[str]) -> str:
        value = entry.get("id")
        if not isinstance(value, str) or not _KEBAB.match(value):
            raise self.fail(
                f"{where}.id", f"got {value!r}", "a lowercase-kebab id like 'budget-development'"
            )
        if value in seen:
            raise self.fail(f"{where}.id", f"{value!r} is used twice", "unique ids")
        seen.add(value)
        return value

    def labels(self, entry: Mapping[str, Any], where: str) -> dict[str, str]:
        raw = entry.get("labels")
        if not isinstance(raw, Mapping):
            raise self.fail(f"{where}.labels", f"got {_kind(raw)}", f"labels in {', '.join(LANGS)}")
        labels = {}
        for lang, text in raw.items():
            if not isinstance(text, str) or not text.strip():
                raise self.fail(f"{where}.labels.{lang}", f"got {text!r}", "a non-empty text")
            labels[str(lang)] = text.strip()
        missing = [lang for lang in LANGS if lang not in labels]
        if missing:
            raise self.fail(
                f"{where}.labels",
                f"no label in {', '.join(missing)}",
                f"labels in {', '.join(LANGS)}",
            )
        return labels

    def texts(self, value: Any, where: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(where, f"got {_kind(value)}", "a list of texts")
        out: list[str] = []
        for i, text in enumerate(value):
            if not isinstance(text, str | int | float) or isinstance(text, bool):
                raise self.fail(f"{where}[{i}]", f"got {text!r}", "a text (quote it in yaml)")
            text = str(text).strip()
            if text and text not in out:
                out.append(text)
        return tuple(out)

    def country(self, value: Any, where: str) -> str:
        if isinstance(value, bool):
            raise self.fail(
                where,
                f"got {value!r}",
                'a country code; write "NO" in quotes, yaml reads NO as false',
            )
        code = str(value).strip().upper() if isinstance(value, str) else ""
        if not _COUNTRY_CODE.match(code) or code not in _known_countries():
            raise self.fail(where, f"got {value!r}", "an ISO 3166-1 alpha-2 country code")
        return code


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return f"the text {value!r}"
    return f"a {type(value).__name__}"


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise TaxonomyError(f"{path}: cannot read the file ({err.strerror or err})") from err
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        place = f" line {mark.line + 1}" if mark is not None else ""
        raise TaxonomyError(f"{path}:{place} is not valid YAML ({err})") from err


def _check_version(check: _Checker, data: Mapping[str, Any]) -> None:
    if "version" in data and data["version"] != 1:
        raise check.fail("version", f"got {data['version']!r}", "version: 1")


def _ambiguous(
    check: _Checker, raw: Any, index: _Index, known: Mapping[str, Any], where: str
) -> None:
    if raw is None:
        return
    if not isinstance(raw, Mapping):
        raise check.fail(where, f"got {_kind(raw)}", "a mapping of word to a list of ids")
    for text, targets in raw.items():
        place = f"{where}.{text}"
        ids = check.texts(targets, place)
        unknown = [i for i in ids if i not in known]
        if len(ids) < 2 or unknown:
            problem = f"unknown id {unknown[0]!r}" if unknown else "fewer than two ids"
            raise check.fail(place, problem, "two or more ids defined in this file")
        index.claim_ambiguous(str(text), ids, place)


def _claim_entry(
    index: _Index, ident: str, labels: Mapping[str, str], aliases: Iterable[str], where: str
) -> None:
    index.claim(ident, ident, None, f"{where}.id")
    for lang, text in labels.items():
        index.claim(text, ident, lang, f"{where}.labels.{lang}")
    for i, alias in enumerate(aliases):
        index.claim(alias, ident, None, f"{where}.aliases[{i}]")


@dataclass
class _SkillData:
    areas: dict[str, Area]
    skills: dict[str, Skill]
    thematic: dict[str, Area]
    skill_index: _Index
    area_index: _Index


def _parse_skills(data: Any, source: str) -> _SkillData:
    check = _Checker(source)
    top = check.mapping(data, "", ["version", "areas", "thematic_areas", "ambiguous_aliases"])
    _check_version(check, top)
    out = _SkillData({}, {}, {}, _Index(source), _Index(source))
    area_ids: set[str] = set()
    skill_ids: set[str] = set()
    for a, raw_area in enumerate(check.items(top.get("areas"), "areas")):
        where = f"areas[{a}]"
        area = check.mapping(raw_area, where, ["id", "labels", "skills"])
        area_id = check.ident(area, where, area_ids)
        members = []
        for s, raw_skill in enumerate(check.items(area.get("skills"), f"{where}.skills")):
            swhere = f"{where}.skills[{s}]"
            skill = check.mapping(raw_skill, swhere, ["id", "labels", "aliases"])
            skill_id = check.ident(skill, swhere, skill_ids)
            labels = check.labels(skill, swhere)
            aliases = check.texts(skill.get("aliases"), f"{swhere}.aliases")
            _claim_entry(out.skill_index, skill_id, labels, aliases, swhere)
            out.skills[skill_id] = Skill(skill_id, area_id, labels, aliases)
            members.append(skill_id)
        out.areas[area_id] = Area(area_id, check.labels(area, where), tuple(members))
    theme_ids: set[str] = set()
    themes = check.items(top.get("thematic_areas"), "thematic_areas", required=False)
    for t, raw_theme in enumerate(themes):
        where = f"thematic_areas[{t}]"
        theme = check.mapping(raw_theme, where, ["id", "labels", "aliases"])
        theme_id = check.ident(theme, where, theme_ids)
        if theme_id in out.areas:
            raise check.fail(f"{where}.id", f"{theme_id!r} is also a skill area", "distinct ids")
        labels = check.labels(theme, where)
        aliases = check.texts(theme.get("aliases"), f"{where}.aliases")
        _claim_entry(out.area_index, theme_id, labels, aliases, where)
        out.thematic[theme_id] = Area(theme_id, labels, (), aliases)
    _ambiguous(
        check, top.get("ambiguous_aliases"), out.skill_index, out.skills, "ambiguous_aliases"
    )
    out.skill_index.freeze()
    out.area_index.freeze()
    return out


@dataclass
class _RegionData:
    regions: dict[str, Region]
    index: _Index
    country_region: dict[str, str]
    country_aliases: dict[str, str]


def _parse_regions(data: Any, source: str) -> _RegionData:
    check = _Checker(source)
    top = check.mapping(data, "", ["version", "regions", "ambiguous_aliases", "country_aliases"])
    _check_version(check, top)
    out = _RegionData({}, _Index(source), {}, {})
    ids: set[str] = set()
    for r, raw_region in enumerate(check.items(top.get("regions"), "regions")):
        where = f"regions[{r}]"
        region = check.mapping(raw_region, where, ["id", "labels", "aliases", "countries"])
        region_id = check.ident(region, where, ids)
        labels = check.labels(region, where)
        aliases = check.texts(region.get("aliases"), f"{where}.aliases")
        _claim_entry(out.index, region_id, labels, aliases, where)
        codes = []
        for c, raw in enumerate(check.items(region.get("countries"), f"{where}.countries")):
            code = check.country(raw, f"{where}.countries[{c}]")
            other = out.country_region.setdefault(code, region_id)
            if other != region_id or code in codes:
                raise check.fail(
                    f"{where}.countries[{c}]",
                    f"{code} is already in {other!r}",
                    "each country once",
                )
            codes.append(code)
        out.regions[region_id] = Region(region_id, labels, tuple(codes), aliases)
    _ambiguous(check, top.get("ambiguous_aliases"), out.index, out.regions, "ambiguous_aliases")
    raw_aliases = top.get("country_aliases") or {}
    if not isinstance(raw_aliases, Mapping):
        raise check.fail(
            "country_aliases", f"got {_kind(raw_aliases)}", "a mapping of name to code"
        )
    for name, code in raw_aliases.items():
        key = normalise(str(name))
        if not key:
            raise check.fail(f"country_aliases.{name}", "the name has no letters", "a name")
        out.country_aliases[key] = check.country(code, f"country_aliases.{name}")
    out.index.freeze()
    return out


# --- countries and languages (library data, built once per process) ---------------------------


@functools.cache
def _known_countries() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries) | frozenset(EXTRA_COUNTRIES)


@functools.cache
def _alpha3() -> dict[str, str]:
    return {c.alpha_3: c.alpha_2 for c in pycountry.countries}


@functools.cache
def _country_translator(lang: str) -> Callable[[str], str]:
    if lang == "en":
        return str
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]).gettext
    except OSError:
        return str


@functools.cache
def _cldr_country_name(code: str, lang: str) -> str | None:
    """CLDR's everyday name ("South Korea", "Iran"), or None when CLDR has none."""
    try:
        name = langcodes.Language.make(territory=code).territory_name(lang)
    except (LookupError, ValueError):
        return None
    if not name or name.upper() == code or "[" in name:
        return None
    return name


@functools.cache
def _country_names() -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """Normalised country name -> code, and the same keys -> (code, language) for suggestions.

    Names come from ISO 3166 (pycountry, with its translations) and from
    CLDR (langcodes), in the program's languages.  A name two countries share
    is dropped: guessing between them would be worse than asking.
    """
    claims: dict[str, set[str]] = {}
    langs_of: dict[str, tuple[str, str]] = {}
    for code, lang, name in _country_name_entries():
        key = normalise(name)
        if key:
            claims.setdefault(key, set()).add(code)
            langs_of.setdefault(key, (code, lang))
    names = {key: next(iter(codes)) for key, codes in claims.items() if len(codes) == 1}
    return names, {key: langs_of[key] for key in names}


def _country_name_entries() -> Iterable[tuple[str, str, str]]:
    for country in pycountry.countries:
        iso_names = [
            getattr(country, attr)
            for attr in ("common_name", "name", "official_name")
            if getattr(country, attr, None)
        ]
        for lang in LANGS:
            cldr = _cldr_country_name(country.alpha_2, lang)
            if cldr:
                yield country.alpha_2, lang, cldr
            translate = _country_translator(lang)
            for name in iso_names:
                yield country.alpha_2, lang, translate(name)
    for code, name in EXTRA_COUNTRIES.items():
        for lang in LANGS:
            yield code, lang, _cldr_country_name(code, lang) or name


@functools.cache
def _name_trie(category: str) -> Any | None:
    """The name table langcodes searches, to tell an exact name from a prefix guess."""
    try:
        from language_data.names import load_trie
        from language_data.util import data_filename

        return load_trie(data_filename(f"trie/und/name_to_{category}.marisa"))
    except Exception:  # noqa: BLE001 - without it we simply trust langcodes' answer
        return None


@functools.cache
def _language_names() -> dict[str, tuple[str, str]]:
    """Normalised names of the ISO 639-1 languages -> (code, language of the name).

    Catches what langcodes needs exact ("espanol" without its tilde) and feeds
    suggestions for typos ("Portugese").
    """
    names: dict[str, tuple[str, str]] = {}
    for entry in pycountry.languages:
        code = getattr(entry, "alpha_2", None)
        if not code or not langcodes.tag_is_valid(code):
            continue
        code = langcodes.standardize_tag(code, macro=True)
        language = langcodes.Language.get(code)
        for lang in LANGS:
            names.setdefault(normalise(language.display_name(lang)), (code, lang))
        names.setdefault(normalise(language.autonym()), (code, code))
    names.pop("", None)
    return names


def _usable_language(tag: str) -> str | None:
    """A standard tag for a real language, or None for "undetermined", private use and the like."""
    try:
        if not langcodes.tag_is_valid(tag):
            return None
        standard = langcodes.standardize_tag(tag, macro=True)
        parsed = langcodes.Language.get(standard)
    except (LookupError, ValueError):
        return None
    subtag, territory = parsed.language, parsed.territory
    if not subtag or subtag in _NOT_LANGUAGES or "qaa" <= subtag <= "qtz":
        return None
    if territory and not (territory.isdigit() or territory in _known_countries()):
        return None  # well-formed but made up, like "ar-XX"
    return standard


_TAG_SHAPE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*\Z")
# Babel levels ("fr-2", "es-N"); level 0 means "does not speak it", so it is not accepted.
_BABEL_LEVEL = re.compile(r"([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)[-_](?:[1-5]|N|n)\Z")


def _language_by_code(text: str) -> str | None:
    if not _TAG_SHAPE.match(text) or text.casefold() in _FILLER_WORDS:
        return None
    return _usable_language(text.replace("_", "-"))


def _language_by_name(text: str) -> str | None:
    found = _find_name("language", text)
    tag = _usable_language(str(found)) if found is not None else None
    if tag:
        return tag
    entry = _language_names().get(normalise(text))
    return entry[0] if entry else None


def _find_name(category: str, text: str) -> langcodes.Language | None:
    """langcodes' lookup of a language or territory by name, in any language it knows.

    Control characters are removed first (the name tables choke on NUL), and
    any failure counts as "not found": one participant's odd text must never
    stop a run.
    """
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C").strip()
    if not text:
        return None
    try:
        found = langcodes.Language.find_name(category, text)
        return found if _is_whole_name(text, category) else None
    except Exception:  # noqa: BLE001 - see above
        return None


def _is_whole_name(text: str, category: str) -> bool:
    """True unless langcodes matched only the start of a word.

    langcodes accepts a known name followed by anything ("Hakka dialect"),
    which also turns "Darija" into Dari and "Nigerai" into Niger; a name must
    end at a word boundary.  And "English & French" is two answers, not
    English with a remark: the rest must not name another one.
    """
    trie = _name_trie(category)
    if trie is None:
        return True
    from language_data.names import normalize_name

    lookup = normalize_name(text)
    if lookup in trie:
        return True
    prefixes = [p for p in trie.prefixes(lookup) if len(p) >= 4]
    if not prefixes:
        return False
    rest = lookup[len(max(prefixes, key=len)) :]
    if rest[:1] != " ":
        return False
    return not any(word in trie for word in normalise(rest).split() if len(word) >= 3)


def _language_candidates(text: str) -> list[str]:
    """The text, then the text without what people add to a language: levels, notes."""
    candidates = [text]
    level = _BABEL_LEVEL.fullmatch(text)
    if level:
        candidates.append(level.group(1))
    for pattern in (r"\([^()]*\)", r"[:：].*", r"\s[-–—]\s.*", r"\s+(?:[1-5]|N)\Z"):
        stripped = re.sub(pattern, " ", text).strip()
        if stripped and stripped not in candidates:
            candidates.append(stripped)
    return candidates


# --- the taxonomy ------------------------------------------------------------------------------


class Taxonomy:
    """Skills, areas and regions from the config files, and resolvers for profile answers.

    Build it with :meth:`load` or :meth:`from_data`.  Resolvers remember their
    answers: a directory run asks about the same few hundred texts thousands
    of times.
    """

    skills: dict[str, Skill]
    areas: dict[str, Area]
    regions: dict[str, Region]
    thematic_areas: dict[str, Area]

    def __init__(self, skill_data: _SkillData, region_data: _RegionData) -> None:
        self.skills = skill_data.skills
        self.areas = skill_data.areas
        self.thematic_areas = skill_data.thematic
        self.regions = region_data.regions
        self._skill_index = skill_data.skill_index
        self._area_index = skill_data.area_index
        self._region_index = region_data.index
        self._country_region = region_data.country_region
        self._country_aliases = region_data.country_aliases
        self._cache: dict[tuple[str, str], Resolution] = {}

    @classmethod
    def load(
        cls, skills_path: str | Path | None = None, regions_path: str | Path | None = None
    ) -> Taxonomy:
        """Read the two yaml files (default: config/ at the repository root)."""
        skills_file = Path(skills_path) if skills_path else CONFIG_DIR / "skills.yaml"
        regions_file = Path(regions_path) if regions_path else CONFIG_DIR / "regions.yaml"
        return cls.from_data(
            _read_yaml(skills_file),
            _read_yaml(regions_file),
            skills_source=str(skills_file),
            regions_source=str(regions_file),
        )

    @classmethod
    def from_data(
        cls,
        skills: dict,
        regions: dict,
        *,
        skills_source: str = "skills.yaml",
        regions_source: str = "regions.yaml",
    ) -> Taxonomy:
        """Build from already-parsed yaml; the sources only name the files in errors."""
        return cls(_parse_skills(skills, skills_source), _parse_regions(regions, regions_source))

    # -- resolving ----------------------------------------------------------------------------

    def resolve_skill(self, text: str) -> Resolution:
        return self._cached("skill", text, lambda t: self._skill_index.resolve(t, self.skill_label))

    def resolve_area(self, text: str) -> Resolution:
        """A thematic area (the profile's ``areas``), not a skill area."""
        return self._cached("area", text, lambda t: self._area_index.resolve(t, self.area_label))

    def resolve_region(self, text: str) -> Resolution:
        return self._cached("region", text, self._resolve_region)

    def resolve_country(self, text: str) -> Resolution:
        """ISO 3166-1 alpha-2 code, upper case, from a code or a name in many languages."""
        return self._cached("country", text, self._resolve_country)

    def resolve_language(self, text: str) -> Resolution:
        """A standard BCP 47 tag from a code ("pt-BR", "en-3") or a name ("español", "العربية")."""
        return self._cached("language", text, self._resolve_language)

    def _cached(self, kind: str, text: str, resolve: Callable[[str], Resolution]) -> Resolution:
        text = "" if text is None else str(text).strip()
        key = (kind, text)
        found = self._cache.get(key)
        if found is None:
            if len(self._cache) >= CACHE_LIMIT:
                self._cache.clear()
            found = self._cache[key] = resolve(text)
        return found

    def _resolve_region(self, text: str) -> Resolution:
        found = self._region_index.resolve(text, self.region_label)
        if found.ok or found.suggestion:
            return found
        # A country in the region field: point to its region rather than saying nothing.
        country = self._resolve_country(text)
        region = self.region_of_country(country.value) if country.ok else None
        return Resolution(None, self.region_label(region) if region else None)

    def _resolve_country(self, text: str) -> Resolution:
        key = normalise(text)
        if not key:
            return Resolution(None)
        code = self._country_code(text, key)
        if code:
            return Resolution(code)
        targets = self._country_targets
        match = _closest(key, list(targets), targets)
        return Resolution(None, self.country_name(*match) if match else None)

    @functools.cached_property
    def _country_targets(self) -> dict[str, tuple[str, str]]:
        """Every country name and alias -> (code, language to suggest it in)."""
        _, langs = _country_names()
        return {**langs, **{key: (code, "en") for key, code in self._country_aliases.items()}}

    def _country_code(self, text: str, key: str) -> str | None:
        compact = key.replace(" ", "").upper()
        if len(compact) == 2 and compact in _known_countries():
            return compact
        if len(compact) == 3 and compact in _alpha3():
            return _alpha3()[compact]
        names, _ = _country_names()
        code = self._country_aliases.get(key) or names.get(key)
        if code:
            return code
        if key.startswith("the "):
            return self._country_code(text[4:], key[4:])
        found = _find_name("territory", text)
        territory = found.territory if found is not None else None
        return territory if territory in _known_countries() else None

    def _resolve_language(self, text: str) -> Resolution:
        if not normalise(text):
            return Resolution(None)
        for candidate in _language_candidates(text):
            tag = _language_by_code(candidate) or _language_by_name(candidate)
            if tag:
                return Resolution(tag)
        names = _language_names()
        match = _closest(normalise(text), list(names), names)
        return Resolution(None, self.language_name(*match) if match else None)

    # -- labels -------------------------------------------------------------------------------

    def skill_label(self, skill_id: str, lang: str = "en") -> str:
        skill = self.skills.get(skill_id)
        return _label(skill.labels, lang, skill_id) if skill else skill_id

    def area_label(self, area_id: str, lang: str = "en") -> str:
        """A thematic area's or a skill area's label (their ids never collide)."""
        area = self.thematic_areas.get(area_id) or self.areas.get(area_id)
        return _label(area.labels, lang, area_id) if area else area_id

    def region_label(self, region_id: str, lang: str = "en") -> str:
        region = self.regions.get(region_id)
        return _label(region.labels, lang, region_id) if region else region_id

    def country_name(self, code: str, lang: str = "en") -> str:
        """CLDR's everyday name ("Iran", not "Iran, Islamic Republic of"), ISO's as a fallback."""
        code = (code or "").strip().upper()
        if code not in _known_countries():
            return code
        base = (lang or "en").split("-")[0].lower()
        name = _cldr_country_name(code, lang) or _cldr_country_name(code, base)
        if name:
            return name
        country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
        if country is None:
            return EXTRA_COUNTRIES.get(code, code)
        return _country_translator(base)(getattr(country, "common_name", None) or country.name)

    def language_name(self, code: str, lang: str = "en") -> str:
        """The language's name in ``lang`` ("espagnol" for es in fr); the code if unknown."""
        if not _usable_language(code or ""):
            return code
        try:
            return langcodes.Language.get(code).display_name(lang or "en")
        except (LookupError, ValueError):
            return code

    def region_of_country(self, code: str) -> str | None:
        return self._country_region.get((code or "").strip().upper())


def did_you_mean(suggestion: str | None) -> str:
    """The taxonomy's suggestion is already a label (several joined by " / " when
    the word fits more than one entry)."""
    if not suggestion:
        return ""
    choices = [c.strip() for c in suggestion.split(" / ") if c.strip()]
    if len(choices) > 1:
        quoted = [f"“{c}”" for c in choices]
        return f" Which one did you mean: {', '.join(quoted[:-1])} or {quoted[-1]}?"
    return f" Did you mean “{suggestion.strip()}”?"
