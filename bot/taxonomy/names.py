"""Countries and languages: codes from names in many languages and names from codes.

The data is ISO's and CLDR's, as pycountry, langcodes and language_data ship
it, because hand-made lists of those go stale; the tables are built once per
process.
"""

from __future__ import annotations

import functools
import gettext
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import langcodes
import pycountry

from bot.taxonomy.model import LANGS
from bot.taxonomy.text import normalise

#: Codes outside ISO 3166-1 that participants' countries really use.
EXTRA_COUNTRIES = {"XK": "Kosovo"}
_NOT_LANGUAGES = frozenset({"und", "zxx", "mul", "mis"})
#: Words people put in a list of languages that happen to be ISO 639-3 codes ("etc" is Etchemaa).
_FILLER_WORDS = frozenset(
    {"all", "and", "any", "etc", "nil", "non", "not", "oui", "sim", "tba", "tbd", "the", "yes"}
)



@functools.cache
def known_countries() -> frozenset[str]:
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
def country_names() -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
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
def language_names() -> dict[str, tuple[str, str]]:
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
    if territory and not (territory.isdigit() or territory in known_countries()):
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
    entry = language_names().get(normalise(text))
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


# --- what the taxonomy asks ---------------------------------------------------------------------


def country_code(text: str, key: str, aliases: Mapping[str, str]) -> str | None:
    """The ISO 3166-1 alpha-2 code of a code, name or alias; ``key`` is ``text`` normalised."""
    compact = key.replace(" ", "").upper()
    if len(compact) == 2 and compact in known_countries():
        return compact
    if len(compact) == 3 and compact in _alpha3():
        return _alpha3()[compact]
    names, _ = country_names()
    code = aliases.get(key) or names.get(key)
    if code:
        return code
    if key.startswith("the "):
        return country_code(text[4:], key[4:], aliases)
    found = _find_name("territory", text)
    territory = found.territory if found is not None else None
    return territory if territory in known_countries() else None


def language_tag(text: str) -> str | None:
    """A standard tag for a language's code or name, tried as written and without additions."""
    for candidate in _language_candidates(text):
        tag = _language_by_code(candidate) or _language_by_name(candidate)
        if tag:
            return tag
    return None


def country_name(code: str, lang: str = "en") -> str:
    """CLDR's everyday name ("Iran", not "Iran, Islamic Republic of"), ISO's as a fallback."""
    code = (code or "").strip().upper()
    if code not in known_countries():
        return code
    base = (lang or "en").split("-")[0].lower()
    name = _cldr_country_name(code, lang) or _cldr_country_name(code, base)
    if name:
        return name
    country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    if country is None:
        return EXTRA_COUNTRIES.get(code, code)
    return _country_translator(base)(getattr(country, "common_name", None) or country.name)

def language_name(code: str, lang: str = "en") -> str:
    """The language's name in ``lang`` ("espagnol" for es in fr); the code if unknown."""
    if not _usable_language(code or ""):
        return code
    try:
        return langcodes.Language.get(code).display_name(lang or "en")
    except (LookupError, ValueError):
        return code
