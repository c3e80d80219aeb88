"""The taxonomy as a Lua data module, so on-wiki templates resolve skills like the bot does.

``letsconnect deploy`` writes the result of :func:`render_lua_data` to
``Module:Let's Connect/data``; ``Module:Let's Connect`` reads it with
``mw.loadData``.  It is rendered from the bot's own :class:`bot.taxonomy.Taxonomy`
(config/skills.yaml and config/regions.yaml, read and checked there once), so a
skill the card accepts is a skill the bot accepts.

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
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from bot.i18n import LANGUAGES
from bot.taxonomy.text import fold_marks

if TYPE_CHECKING:
    from bot.taxonomy import Taxonomy

__all__ = [
    "LuaTable",
    "LuaValue",
    "fold_diacritics",
    "key_forms",
    "loose_key",
    "lua_string",
    "lua_table",
    "normalise_key",
    "render_lua_data",
]

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
_SIMPLE_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_INLINE_LIMIT = 90


#: Plain data a Lua table literal can hold.
LuaValue = str | int | float | bool | Mapping[str, "LuaValue"] | Sequence["LuaValue"]
LuaTable = dict[str, LuaValue]


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
    text = fold_marks(unicodedata.normalize("NFKD", str(text)).lower())
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


def _lua_scalar(value: LuaValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return repr(value)
    return lua_string(str(value))


def _lua_value(value: LuaValue, depth: int) -> str:
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


def lua_table(data: LuaTable) -> str:
    """A Lua table constructor for plain data: keys sorted, lists in order."""
    return _lua_value(data, 0)


def _children(value: Mapping[str, LuaValue] | Sequence[LuaValue]) -> Iterable[LuaValue]:
    return value.values() if isinstance(value, Mapping) else value


# --- the taxonomy as tables ------------------------------------------------------------------

Entry = tuple[str, Mapping[str, str], Sequence[str]]


def _build_lookup(entries: Sequence[Entry]) -> dict[str, str]:
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
    words: Mapping[str, Sequence[str]], lookup: Mapping[str, str]
) -> dict[str, list[str]]:
    """Words that fit several entries -> their ids, under every key form.

    A word that also resolves on its own stays with that entry: the lookup wins.
    """
    table: dict[str, list[str]] = {}
    for word, ids in words.items():
        for key in key_forms(word):
            if key not in lookup:
                table.setdefault(key, list(ids))
    return table


def skill_tables(taxonomy: Taxonomy) -> LuaTable:
    """The skills, areas and thematic areas with their labels and aliases, as the on-wiki
    reader looks them up (and the profile form lists them)."""
    skills = taxonomy.skills
    areas = taxonomy.areas
    thematic = taxonomy.thematic_areas
    skill_entries: list[Entry] = [(s.id, s.labels, s.aliases) for s in skills.values()]
    lookup = _build_lookup(skill_entries)
    return {
        "areas": {a.id: {"labels": a.labels, "skills": list(a.skills)} for a in areas.values()},
        "areaOrder": list(areas),
        "areaLookup": _build_lookup([(a.id, a.labels, a.aliases) for a in areas.values()]),
        "skills": {
            s.id: {"area": s.area, "labels": s.labels, "aliases": list(s.aliases)}
            for s in skills.values()
        },
        "skillOrder": list(skills),
        "lookup": lookup,
        "ambiguous": _ambiguous(taxonomy.ambiguous_skill_words(), lookup),
        "thematic": {
            t.id: {"labels": t.labels, "aliases": list(t.aliases)} for t in thematic.values()
        },
        "thematicOrder": list(thematic),
        "thematicLookup": _build_lookup([(t.id, t.labels, t.aliases) for t in thematic.values()]),
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
                aliases.append(str(value))
    return aliases


def region_tables(taxonomy: Taxonomy) -> LuaTable:
    """The regions and countries with their labels and aliases, for the same readers."""
    regions = taxonomy.regions
    entries: list[Entry] = [(r.id, r.labels, r.aliases) for r in regions.values()]
    countries = taxonomy.country_regions()
    extra: dict[str, list[str]] = {}
    for name, code in taxonomy.country_alias_names().items():
        extra.setdefault(code, []).append(name)
    codes = sorted(set(countries) | set(extra))
    names = {code: _country_names(code) for code in codes}
    country_entries: list[Entry] = [
        (code, {}, _country_aliases(code, names[code]) + extra.get(code, [])) for code in codes
    ]
    lookup = _build_lookup(entries)
    return {
        "regions": {
            r.id: {"labels": r.labels, "aliases": list(r.aliases), "countries": list(r.countries)}
            for r in regions.values()
        },
        "regionOrder": list(regions),
        "regionLookup": lookup,
        "regionAmbiguous": _ambiguous(taxonomy.ambiguous_region_words(), lookup),
        "countries": countries,
        "countryNames": {code: n for code, n in names.items() if n},
        "countryLookup": _build_lookup(country_entries),
    }


def render_lua_data(taxonomy: Taxonomy) -> str:
    """The source of ``Module:Let's Connect/data`` for this taxonomy.

    The taxonomy was read and checked once, by :class:`bot.taxonomy.Taxonomy`
    (a missing or repeated id, an ambiguous alias naming an unknown id, a
    country in two regions are refused there); this only lays it out for Lua.
    """
    data: LuaTable = {
        "version": 1,
        "languages": list(LANGUAGES),
        **skill_tables(taxonomy),
        **region_tables(taxonomy),
    }
    return HEADER + "\nreturn " + _lua_value(data, 0) + "\n"
