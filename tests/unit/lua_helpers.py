"""Shared by the tests of the on-wiki toolset: sample taxonomies, hostile texts, and an
independent reader of the Lua the bot generates (so those checks need no Lua interpreter).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bot.i18n import LANGUAGES, fallback_chain
from bot.taxonomy import Taxonomy

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "templates_wikitext"
MODULE = SOURCE / "Module" / "Let's Connect.lua"
SESSIONS_MODULE = SOURCE / "Module" / "Let's Connect" / "Sessions.lua"
CONFIG = ROOT / "config"
LUA = shutil.which("lua5.1")
LUAC = shutil.which("luac5.1")
needs_lua = pytest.mark.skipif(
    LUA is None, reason="lua5.1 is not installed (scripts/setup installs Debian's lua5.1)")

HOSTILE = [
    'Say "hi"',
    "back\\slash",
    "two]]brackets",
    "three]]]brackets",
    "[[Category:Spam]]",
    "line\nbreak",
    "cr\rlf\r\n",
    "tab\there",
    "nul\x00after",
    "\x1b[31m escape",
    "digit after control \x01" + "7",
    "--[[ not a comment ]]",
    "ends with backslash\\",
    "ümlaut élan ñ إعداد 日本語 😀",
]


def full_labels(labels: dict) -> dict:
    """The labels given, and the other program languages filled in where their fallback
    chain finds none (the taxonomy needs all; a ``pt`` label serves ``pt-br``)."""
    english = labels.get("en", "X")
    missing = [lang for lang in LANGUAGES if lang != "en"
               and not any(code in labels for code in fallback_chain(lang, english=False))]
    return {**{lang: f"{english} ({lang})" for lang in missing}, **labels}


def sample_skills() -> dict:
    return {
        "version": 1,
        "areas": [
            {
                "id": "funding",
                "labels": {"en": "Funding", "es": "Financiación", "ar": "التمويل"},
                "skills": [
                    {
                        "id": "budget-development",
                        "labels": {
                            "en": "Budget development",
                            "es": "Elaboración de presupuestos",
                            "fr": "Élaboration du budget",
                            "pt": "Elaboração de orçamento",
                            "ar": "إعداد الميزانية",
                        },
                        "aliases": ["budget", "budgeting", "presupuesto"],
                    },
                    {
                        "id": "strategy-program-design",
                        "labels": {"en": "Strategy and program design"},
                        "aliases": ["program design"],
                    },
                ],
            },
            {
                "id": "technical",
                "labels": {"en": "Technical wiki skills"},
                "skills": [
                    {
                        "id": "wikidata-basics",
                        "labels": {"en": "Wikidata basics", "fr": "Bases de Wikidata"},
                        "aliases": ["Wikidata", "WD"],
                    },
                    {
                        "id": "paws-quarry-wdqs",
                        "labels": {"en": "Data queries (PAWS / Quarry / WDQS)"},
                        "aliases": ["PAWS", "Quarry", "M&E tools"],
                    },
                    {
                        "id": "organisational-strategy",
                        "labels": {"en": "Organisation plan and strategy"},
                    },
                ],
            },
        ],
        "ambiguous_aliases": {"strategy": ["strategy-program-design", "organisational-strategy"]},
        "thematic_areas": [
            {
                "id": "education",
                "labels": {"en": "Education", "pt": "Educação"},
                "aliases": ["edu"],
            },
            {"id": "glam", "labels": {"en": "GLAM"}, "aliases": ["museums"]},
        ],
    }


def sample_regions() -> dict:
    return {
        "regions": [
            {
                "id": "mea",
                "labels": {"en": "Middle East and Africa"},
                "countries": ["EG", "MA"],
            },
            {
                "id": "ssa",
                "labels": {"en": "Sub-Saharan Africa", "ar": "أفريقيا جنوب الصحراء الكبرى"},
                "aliases": ["SSA"],
                "countries": ["NG", "KE"],
            },
            {
                "id": "lac",
                "labels": {"en": "Latin America and the Caribbean", "es": "América Latina"},
                "aliases": ["LAC"],
                "countries": ["ar", "BR"],
            },
        ],
        "ambiguous_aliases": {"Africa": ["mea", "ssa"]},
        "country_aliases": {"Naija": "NG"},
    }


# --- an independent reader for the generated Lua ---------------------------------------------


def with_full_labels(data: dict) -> dict:
    """Every entry of a sample with labels in every program language."""
    for key in ("areas", "thematic_areas", "regions"):
        for entry in data.get(key, []):
            entry["labels"] = full_labels(entry.get("labels", {}))
            for skill in entry.get("skills", []):
                skill["labels"] = full_labels(skill.get("labels", {}))
    return data


def sample_taxonomy(skills: dict | None = None, regions: dict | None = None) -> Taxonomy:
    """The samples (or the given data) read by the bot's taxonomy, the one reader."""
    return Taxonomy.from_data(
        with_full_labels(skills if skills is not None else sample_skills()),
        with_full_labels(regions if regions is not None else sample_regions()),
    )


_TOKENS = re.compile(
    r"""(?P<space>\s+|--[^\n]*)
      |(?P<str>"(?:[^"\\\n]|\\.)*")
      |(?P<num>-?\d+(?:\.\d+)?)
      |(?P<name>[A-Za-z_][A-Za-z0-9_]*)
      |(?P<op>[{}\[\]=,;])""",
    re.X | re.S,
)
_SIMPLE = {"n": 10, "r": 13, "t": 9, "a": 7, "b": 8, "f": 12, "v": 11, "\\": 92, '"': 34, "'": 39}


def decode_lua_string(literal: str) -> str:
    """Lua 5.1's reading of a double-quoted literal (escapes included)."""
    raw = literal[1:-1].encode("utf-8")
    out = bytearray()
    i = 0
    while i < len(raw):
        if raw[i] != 0x5C:
            out.append(raw[i])
            i += 1
            continue
        nxt = chr(raw[i + 1])
        if nxt.isdigit():
            digits = re.match(rb"\d{1,3}", raw[i + 1 : i + 4]).group()
            out.append(int(digits))
            i += 1 + len(digits)
        else:
            out.append(_SIMPLE[nxt])
            i += 2
    return out.decode("utf-8")


def parse_lua_data(source: str):
    """``return <table>`` -> Python dicts/lists; fails on anything a Lua reader would reject."""
    tokens = []
    pos = 0
    while pos < len(source):
        match = _TOKENS.match(source, pos)
        assert match, f"cannot read Lua at {source[pos : pos + 40]!r}"
        pos = match.end()
        if match.lastgroup != "space":
            tokens.append((match.lastgroup, match.group()))
    assert tokens[0] == ("name", "return")
    value, end = _value(tokens, 1)
    assert end == len(tokens), "text after the returned table"
    return value


def _value(tokens, i):
    kind, text = tokens[i]
    if kind == "str":
        return decode_lua_string(text), i + 1
    if kind == "num":
        return (float(text) if "." in text else int(text)), i + 1
    if kind == "name" and text in ("true", "false"):
        return text == "true", i + 1
    assert text == "{", f"unexpected {text!r}"
    return _table(tokens, i + 1)


def _table(tokens, i):
    keyed, positional = {}, []
    while tokens[i][1] != "}":
        if tokens[i][1] == "[":
            key, i = _value(tokens, i + 1)
            assert tokens[i][1] == "]" and tokens[i + 1][1] == "="
            value, i = _value(tokens, i + 2)
            assert key not in keyed, f"key {key!r} twice"
            keyed[key] = value
        elif tokens[i][0] == "name" and tokens[i + 1][1] == "=":
            key = tokens[i][1]
            assert key not in ("true", "false", "end", "and", "or", "nil", "return")
            assert key not in keyed, f"key {key!r} twice"
            value, i = _value(tokens, i + 2)
            keyed[key] = value
        else:
            value, i = _value(tokens, i)
            positional.append(value)
        if tokens[i][1] in (",", ";"):
            i += 1
    assert not (keyed and positional), "mixed table"
    return (keyed if keyed or not positional else positional), i + 1

