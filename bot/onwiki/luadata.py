"""The taxonomy as a Lua data module, so on-wiki templates resolve skills like the bot does.

``letsconnect deploy`` writes the result of :func:`render_lua_data` to
``Module:Let's Connect/data``; ``Module:Let's Connect`` reads it with
``mw.loadData``.  One source (config/skills.yaml, config/regions.yaml) feeds
both the bot and the profile card, so a skill the card accepts is a skill the
bot accepts.

The output is deterministic (sorted keys, no timestamps): deploy compares it
with the page on the wiki and saves only when it changed.

Lookup keys follow :func:`normalise_key` (lowercase; spaces, underscores and
hyphens collapsed), plus the diacritic-free form and a forgiving
:func:`loose_key` form (see :func:`key_forms`).  ``Module:Let's Connect``
computes the same forms from what people type and tries them in the same
order; the variants are precomputed here because Python has the Unicode
tables that Lua lacks.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from bot.i18n import LANGUAGES

__all__ = [
    "LuaDataError",
    "fold_diacritics",
    "key_forms",
    "loose_key",
    "lua_string",
    "normalise_key",
    "render_lua_data",
]

#: The languages the program works in; the card falls back to English.

HEADER = (
    "-- Module:Let's Connect/data\n"
    "-- GENERATED PAGE: do not edit it by hand, your changes will be overwritten.\n"
    "-- It is made from config/skills.yaml and config/regions.yaml in the Let's Connect\n"
    "-- bot's repository by `letsconnect deploy`. Change those files instead.\n"
    "-- Read by Module:Let's Connect with mw.loadData().\n"
)

_LUA_KEYWORDS = frozenset(
    "and break do else elseif end false for function if in local nil not or repeat "
    "return then true until while".split()
)
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_SEPARATORS = re.compile(r"[\s_\-]+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
# Arabic letters people type interchangeably, and the tatweel (same table in the Lua module).
_ARABIC_FOLD = str.maketrans(
    {
        "\u0649": "\u064a",
        "\u0629": "\u0647",
        "\u06cc": "\u064a",
        "\u06a9": "\u0643",
        "\u0671": "\u0627",
        "\u0640": None,
    }
)
_SIMPLE_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_INLINE_LIMIT = 90


class LuaDataError(ValueError):
    """The taxonomy cannot become a data module; the message names the entry."""


# --- normalisation ---------------------------------------------------------------------------


def normalise_key(text: str) -> str:
    """Lowercase, NFC, typographic apostrophes -> ', runs of spaces/underscores/hyphens
    -> one space, trimmed.

    "Budget_development", "budget-development" and " Budget  Development " must
    all find the same skill; the Lua side does exactly these steps.
    """
    text = unicodedata.normalize("NFC", str(text)).lower().translate(_APOSTROPHES)
    return _SEPARATORS.sub(" ", text).strip()


def fold_diacritics(text: str) -> str:
    """Drop combining marks (é -> e, Arabic harakat) so people may type without them."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", stripped)


def loose_key(text: str) -> str:
    """The most forgiving form: no diacritics, punctuation and symbols read as spaces,
    Arabic letters people type interchangeably folded together.

    Close to how the bot compares answers (bot/taxonomy/), restricted to what
    Module:Let's Connect can redo in Lua, so "M&E", "m.e" and "Wikidata: basics"
    find the same entry on the card as in the bot.
    """
    text = unicodedata.normalize("NFKD", str(text)).lower()
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Mn":
            continue
        kept.append(" " if category[0] in "PS" else ch)
    text = "".join(kept).translate(_ARABIC_FOLD)
    return unicodedata.normalize("NFC", " ".join(text.split()))


def key_forms(text: str) -> list[str]:
    """Every lookup key for ``text``, strictest first, without repeats or empties.

    Module:Let's Connect tries the same forms in the same order.
    """
    forms = []
    for key in (normalise_key(text), normalise_key(fold_diacritics(text)), loose_key(text)):
        if key and key not in forms:
            forms.append(key)
    return forms


# --- Lua serialisation -----------------------------------------------------------------------


def lua_string(text: str) -> str:
    """A double-quoted Lua 5.1 string literal that reads back as ``text``.

    Control characters use three-digit decimal escapes so a following digit in
    the label cannot be swallowed; ``]]`` is broken up so the text can never
    close a long bracket if someone pastes it into a ``--[[ ]]`` comment.
    Lone surrogates (impossible in UTF-8) become U+FFFD.
    """
    out = []
    for ch in str(text):
        code = ord(ch)
        if ch in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[ch])
        elif code < 32 or code == 127:
            out.append(f"\\{code:03d}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\ufffd")
        else:
            out.append(ch)
    body = "".join(out)
    body = re.sub(r"\](?=\])", r"\\093", body)
    return f'"{body}"'


def _lua_key(key: str) -> str:
    if _IDENTIFIER.match(key) and key not in _LUA_KEYWORDS:
        return key
    return f"[{lua_string(key)}]"


def _lua_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return repr(value)
    return lua_string(value)


def _lua_value(value: Any, depth: int) -> str:
    """Serialise plain data; small flat tables stay on one line to keep the page readable."""
    if isinstance(value, Mapping):
        items = [
            f"{_lua_key(str(k))} = {_lua_value(value[k], depth + 1)}"
            for k in sorted(value, key=str)
        ]
    elif isinstance(value, list | tuple):
        items = [_lua_value(v, depth + 1) for v in value]
    else:
        return _lua_scalar(value)
    if not items:
        return "{}"
    flat = not any(isinstance(v, Mapping | list | tuple) for v in _children(value))
    inline = "{ " + ", ".join(items) + " }"
    if flat and len(inline) <= _INLINE_LIMIT:
        return inline
    pad = "\t" * (depth + 1)
    return "{\n" + "".join(f"{pad}{item},\n" for item in items) + "\t" * depth + "}"


def _children(value: Mapping | list | tuple) -> Iterable[Any]:
    return value.values() if isinstance(value, Mapping) else value


# --- reading the taxonomy --------------------------------------------------------------------


def _text(value: Any) -> str:
    """YAML may hand over numbers or booleans for labels; the wiki needs text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).strip()


def _labels(entry: Mapping, where: str) -> dict[str, str]:
    raw = entry.get("labels") or {}
    if not isinstance(raw, Mapping):
        raise LuaDataError(f"{where}: labels must be a mapping of language code to text")
    return {str(lang): _text(label) for lang, label in raw.items() if _text(label)}


def _aliases(entry: Mapping, where: str) -> list[str]:
    raw = entry.get("aliases") or []
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list | tuple):
        raise LuaDataError(f"{where}: aliases must be a list")
    return [a for a in (_text(x) for x in raw) if a]


def _entry_id(entry: Any, where: str, seen: set[str]) -> str:
    if not isinstance(entry, Mapping):
        raise LuaDataError(f"{where}: expected a mapping with an id")
    ident = _text(entry.get("id"))
    if not ident:
        raise LuaDataError(f"{where}: missing id")
    if ident in seen:
        raise LuaDataError(f"{where}: the id {ident!r} is used twice")
    seen.add(ident)
    return ident


def _list(parent: Mapping, key: str, where: str) -> list:
    raw = parent.get(key) or []
    if not isinstance(raw, list):
        raise LuaDataError(f"{where}: {key} must be a list")
    return raw


def _build_lookup(entries: list[tuple[str, dict[str, str], list[str]]]) -> dict[str, str]:
    """Every key form of every id/label/alias -> id; the first claim wins.

    Claims go in passes (all ids, then English labels, other labels, aliases),
    strict forms before forgiving ones, so that a skill's own id or label can
    never be taken over by another skill's alias or by a folded look-alike.
    """
    passes: list[list[tuple[str, str]]] = [
        [(ident, ident) for ident, _, _ in entries],
        [(labels["en"], ident) for ident, labels, _ in entries if "en" in labels],
        [
            (label, ident)
            for ident, labels, _ in entries
            for lang, label in sorted(labels.items())
            if lang != "en"
        ],
        [(alias, ident) for ident, _, aliases in entries for alias in aliases],
    ]
    lookup: dict[str, str] = {}
    for form in range(3):
        for claims in passes:
            for text, ident in claims:
                forms = key_forms(text)
                if form < len(forms):
                    lookup.setdefault(forms[form], ident)
    return lookup


def _ambiguous(
    raw: Any, known: Mapping[str, Any], lookup: Mapping[str, str], where: str
) -> dict[str, list[str]]:
    """Words that fit several entries -> their ids, under every key form.

    A word that also resolves on its own stays with that entry: the lookup wins.
    """
    if not raw:
        return {}
    if not isinstance(raw, Mapping):
        raise LuaDataError(f"{where}: ambiguous_aliases must map a word to a list of ids")
    table: dict[str, list[str]] = {}
    for word, idents in raw.items():
        idents = [idents] if isinstance(idents, str) else list(idents or [])
        ids = [_text(i) for i in idents if _text(i)]
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise LuaDataError(f"{where}: ambiguous_aliases[{word!r}] names unknown ids {unknown}")
        for key in key_forms(_text(word)):
            if key not in lookup:
                table.setdefault(key, ids)
    return table


def _skill_tables(skills: Mapping) -> dict[str, Any]:
    areas: dict[str, Any] = {}
    area_order: list[str] = []
    skill_table: dict[str, Any] = {}
    skill_order: list[str] = []
    skill_entries = []
    area_entries = []
    seen_areas: set[str] = set()
    seen_skills: set[str] = set()
    for a, area in enumerate(_list(skills, "areas", "skills.yaml")):
        where = f"skills.yaml areas[{a}]"
        area_id = _entry_id(area, where, seen_areas)
        labels = _labels(area, where)
        members = []
        for s, skill in enumerate(_list(area, "skills", where)):
            swhere = f"{where} skills[{s}]"
            skill_id = _entry_id(skill, swhere, seen_skills)
            slabels, saliases = _labels(skill, swhere), _aliases(skill, swhere)
            skill_table[skill_id] = {"area": area_id, "labels": slabels, "aliases": saliases}
            skill_order.append(skill_id)
            skill_entries.append((skill_id, slabels, saliases))
            members.append(skill_id)
        areas[area_id] = {"labels": labels, "skills": members}
        area_order.append(area_id)
        area_entries.append((area_id, labels, _aliases(area, where)))
    thematic: dict[str, Any] = {}
    thematic_order: list[str] = []
    thematic_entries = []
    seen_thematic: set[str] = set()
    for t, theme in enumerate(_list(skills, "thematic_areas", "skills.yaml")):
        where = f"skills.yaml thematic_areas[{t}]"
        theme_id = _entry_id(theme, where, seen_thematic)
        labels, aliases = _labels(theme, where), _aliases(theme, where)
        thematic[theme_id] = {"labels": labels, "aliases": aliases}
        thematic_order.append(theme_id)
        thematic_entries.append((theme_id, labels, aliases))
    lookup = _build_lookup(skill_entries)
    ambiguous = _ambiguous(
        skills.get("ambiguous_aliases"), skill_table, lookup, "skills.yaml ambiguous_aliases"
    )
    return {
        "areas": areas,
        "areaOrder": area_order,
        "areaLookup": _build_lookup(area_entries),
        "skills": skill_table,
        "skillOrder": skill_order,
        "lookup": lookup,
        "ambiguous": ambiguous,
        "thematic": thematic,
        "thematicOrder": thematic_order,
        "thematicLookup": _build_lookup(thematic_entries),
    }


def _country_names(code: str) -> dict[str, str]:
    """Country names in the program's languages, from the CLDR data langcodes ships."""
    try:
        import langcodes

        tag = langcodes.Language.make(territory=code)
        names = {lang: tag.territory_name(lang) for lang in LANGUAGES}
    except Exception:  # noqa: BLE001 - names are a nicety; the code still works without them
        return {}
    return {lang: name for lang, name in names.items() if name and name.upper() != code}


def _country_aliases(code: str, names: Mapping[str, str]) -> list[str]:
    aliases = [code, *names.values()]
    try:
        import pycountry

        country = pycountry.countries.get(alpha_2=code)
    except Exception:  # noqa: BLE001 - pycountry data problems must not stop a deploy
        country = None
    if country is not None:
        for attr in ("alpha_3", "name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                aliases.append(value)
    return aliases


def _region_tables(regions: Mapping) -> dict[str, Any]:
    table: dict[str, Any] = {}
    order: list[str] = []
    entries = []
    seen: set[str] = set()
    for r, region in enumerate(_list(regions, "regions", "regions.yaml")):
        where = f"regions.yaml regions[{r}]"
        region_id = _entry_id(region, where, seen)
        labels, aliases = _labels(region, where), _aliases(region, where)
        codes = [_text(c).upper() for c in _list(region, "countries", where) if _text(c)]
        table[region_id] = {"labels": labels, "aliases": aliases, "countries": codes}
        order.append(region_id)
        entries.append((region_id, labels, aliases))
    countries = _country_regions(table, order)
    extra = _extra_country_aliases(regions.get("country_aliases"))
    codes = sorted(set(countries) | set(extra))
    names = {code: _country_names(code) for code in codes}
    country_entries = [
        (code, {}, _country_aliases(code, names[code]) + extra.get(code, [])) for code in codes
    ]
    lookup = _build_lookup(entries)
    ambiguous = _ambiguous(
        regions.get("ambiguous_aliases"), table, lookup, "regions.yaml ambiguous_aliases"
    )
    return {
        "regions": table,
        "regionOrder": order,
        "regionLookup": lookup,
        "regionAmbiguous": ambiguous,
        "countries": countries,
        "countryNames": {code: n for code, n in names.items() if n},
        "countryLookup": _build_lookup(country_entries),
    }


def _extra_country_aliases(raw: Any) -> dict[str, list[str]]:
    """``country_aliases`` (short form -> code) turned around: code -> short forms."""
    if not raw:
        return {}
    if not isinstance(raw, Mapping):
        raise LuaDataError("regions.yaml country_aliases: must map a name to a country code")
    extra: dict[str, list[str]] = {}
    for name, code in raw.items():
        if _text(name) and _text(code):
            extra.setdefault(_text(code).upper(), []).append(_text(name))
    return extra


def _country_regions(table: Mapping[str, Any], order: list[str]) -> dict[str, str]:
    """Country code -> the most specific region listing it (fewest countries, then file order).

    Umbrella regions (Middle East and Africa) and their parts (MENA,
    Sub-Saharan Africa) may both list a country; the part is the useful answer.
    """
    ranked = sorted(order, key=lambda rid: (len(table[rid]["countries"]), order.index(rid)))
    countries: dict[str, str] = {}
    for region_id in ranked:
        for code in table[region_id]["countries"]:
            countries.setdefault(code, region_id)
    return countries


def render_lua_data(skills: dict, regions: dict) -> str:
    """The source of ``Module:Let's Connect/data`` for this taxonomy.

    ``skills`` and ``regions`` are the parsed config/skills.yaml and
    config/regions.yaml.  Raises :class:`LuaDataError` for a missing or
    repeated id, the one mistake that would make the wiki and the bot disagree.
    """
    skills = skills or {}
    regions = regions or {}
    if not isinstance(skills, Mapping) or not isinstance(regions, Mapping):
        raise LuaDataError("skills.yaml and regions.yaml must each hold a mapping")
    data: dict[str, Any] = {
        "version": skills.get("version", 1),
        "languages": list(LANGUAGES),
        **_skill_tables(skills),
        **_region_tables(regions),
    }
    return HEADER + "\nreturn " + _lua_value(data, 0) + "\n"
