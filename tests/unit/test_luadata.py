"""The on-wiki toolset: the generated Lua data module and the files in templates_wikitext/.

The data module is read back with a small Lua-literal parser written here (so the
checks run without a Lua interpreter).  When ``lua5.1`` is installed, the module
and Module:Let's Connect are also run for real, against a stand-in for
Scribunto's ``mw`` library; those tests are skipped otherwise.
"""

from __future__ import annotations

import copy
import json
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from bot.onwiki.bundle import TEMPLATEDATA_PLACEHOLDER, assemble, title_for
from bot.onwiki.luadata import (
    LuaDataError,
    fold_diacritics,
    key_forms,
    loose_key,
    lua_string,
    normalise_key,
    render_lua_data,
)

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "templates_wikitext"
MODULE = SOURCE / "Module" / "Let's Connect.lua"
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
                "countries": ["NG", "EG", "KE", "MA"],
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


@pytest.fixture(scope="module")
def data() -> dict:
    return parse_lua_data(render_lua_data(sample_skills(), sample_regions()))


# --- escaping ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings_read_back_exactly(text):
    literal = lua_string(text)
    assert decode_lua_string(literal) == text
    assert "\n" not in literal and "\r" not in literal
    assert "]]" not in literal


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_any_text_reads_back_exactly(text):
    literal = lua_string(text)
    assert decode_lua_string(literal) == text
    assert "]]" not in literal
    assert not any(ord(c) < 32 for c in literal)


def test_lone_surrogates_become_replacement_characters():
    assert decode_lua_string(lua_string("a\ud800b")) == "a\ufffdb"


def test_hostile_labels_survive_the_whole_module():
    skills = sample_skills()
    skill = skills["areas"][0]["skills"][0]
    skill["labels"] = {f"l{i}": text for i, text in enumerate(HOSTILE)}
    skill["aliases"] = HOSTILE
    source = render_lua_data(skills, sample_regions())
    parsed = parse_lua_data(source)["skills"]["budget-development"]
    # Surrounding whitespace is trimmed; everything else arrives byte for byte.
    assert parsed["labels"] == {f"l{i}": text.strip() for i, text in enumerate(HOSTILE)}
    assert parsed["aliases"] == [text.strip() for text in HOSTILE]
    body = source.split("return", 1)[1]
    assert "]]" not in body


def test_keys_that_are_lua_keywords_or_not_identifiers_are_bracketed(data):
    regions = copy.deepcopy(sample_regions())
    regions["regions"].append({"id": "end", "labels": {"en": "X"}, "countries": []})
    source = render_lua_data(sample_skills(), regions)
    assert '["end"] = {' in source
    assert '["budget-development"] = {' in source
    assert parse_lua_data(source)["regions"]["end"]["labels"] == {"en": "X"}


# --- content ----------------------------------------------------------------------------------


def test_header_says_where_the_page_comes_from():
    source = render_lua_data(sample_skills(), sample_regions())
    header = source.split("return", 1)[0]
    assert all(line.startswith("--") for line in header.strip().splitlines())
    assert "config/skills.yaml" in header
    assert "letsconnect deploy" in header
    assert "do not edit" in header.lower()


def test_output_is_deterministic_and_independent_of_mapping_order():
    first = render_lua_data(sample_skills(), sample_regions())
    assert render_lua_data(sample_skills(), sample_regions()) == first
    shuffled = sample_skills()
    for area in shuffled["areas"]:
        for skill in area["skills"]:
            skill["labels"] = dict(reversed(list(skill["labels"].items())))
    assert render_lua_data(shuffled, sample_regions()) == first


def test_skills_areas_and_order(data):
    skill = data["skills"]["budget-development"]
    assert skill["area"] == "funding"
    assert skill["labels"]["ar"] == "إعداد الميزانية"
    assert skill["aliases"] == ["budget", "budgeting", "presupuesto"]
    assert data["areas"]["funding"]["skills"] == ["budget-development", "strategy-program-design"]
    assert data["areaOrder"] == ["funding", "technical"]
    assert data["skillOrder"][0] == "budget-development"
    assert data["thematic"]["education"]["labels"]["pt"] == "Educação"
    assert data["thematicOrder"] == ["education", "glam"]
    assert data["languages"] == ["en", "es", "fr", "pt", "ar"]


@pytest.mark.parametrize(
    ("typed", "skill"),
    [
        ("budget-development", "budget-development"),
        ("Budget_Development", "budget-development"),
        ("  budget   development ", "budget-development"),
        ("Elaboración de presupuestos", "budget-development"),
        ("elaboracion de presupuestos", "budget-development"),
        ("ELABORATION DU BUDGET", "budget-development"),
        ("presupuesto", "budget-development"),
        ("اعداد الميزانية", "budget-development"),
        ("wd", "wikidata-basics"),
        ("Bases de Wikidata", "wikidata-basics"),
        ("m&e tools", "paws-quarry-wdqs"),
        ("M.E. tools", "paws-quarry-wdqs"),
        ("data queries paws quarry wdqs", "paws-quarry-wdqs"),
    ],
)
def test_lookup_finds_skills_the_way_people_type_them(data, typed, skill):
    found = [data["lookup"].get(key) for key in key_forms(typed)]
    assert skill in found and found[0] in (skill, None)


def test_lookup_keys_are_normalised(data):
    for key in data["lookup"]:
        assert key == key.strip() and "  " not in key and "_" not in key and "-" not in key
        assert key == key.lower()


def test_an_alias_never_takes_over_another_skills_id_or_label():
    skills = sample_skills()
    # Listed first, claims the label of a later skill and the id of another.
    skills["areas"][0]["skills"][0]["aliases"] += ["Wikidata basics", "organisational-strategy"]
    data = parse_lua_data(render_lua_data(skills, sample_regions()))
    assert data["lookup"]["wikidata basics"] == "wikidata-basics"
    assert data["lookup"]["organisational strategy"] == "organisational-strategy"


def test_ambiguous_words_list_their_skills_and_do_not_resolve(data):
    assert data["ambiguous"]["strategy"] == ["strategy-program-design", "organisational-strategy"]
    assert "strategy" not in data["lookup"]


def test_ambiguous_alias_naming_an_unknown_skill_is_refused():
    skills = sample_skills()
    skills["ambiguous_aliases"]["plan"] = ["budget-development", "no-such-skill"]
    with pytest.raises(LuaDataError, match="no-such-skill"):
        render_lua_data(skills, sample_regions())


def test_regions_countries_and_names(data):
    assert data["regions"]["ssa"]["countries"] == ["NG", "KE"]
    # NG is in both the umbrella region and Sub-Saharan Africa: the smaller one wins.
    assert data["countries"]["NG"] == "ssa"
    assert data["countries"]["EG"] == "mea"
    assert data["countries"]["AR"] == "lac"  # codes are upper-cased
    assert data["countryNames"]["EG"]["en"] == "Egypt"
    assert data["countryNames"]["NG"]["ar"] == "نيجيريا"
    lookup = data["countryLookup"]
    assert lookup["nigeria"] == "NG" and lookup["ng"] == "NG" and lookup["nga"] == "NG"
    assert lookup["naija"] == "NG"
    assert lookup["egipto"] == "EG"
    assert data["regionLookup"]["latin america and the caribbean"] == "lac"
    assert data["regionLookup"]["lac"] == "lac"
    assert data["regionAmbiguous"]["africa"] == ["mea", "ssa"]


@pytest.mark.parametrize(
    ("skills", "message"),
    [
        ({"areas": [{"id": "a", "skills": [{"labels": {"en": "No id"}}]}]}, "missing id"),
        (
            {"areas": [{"id": "a", "skills": [{"id": "x"}, {"id": "x"}]}]},
            "'x' is used twice",
        ),
        ({"areas": [{"id": "a", "skills": [{"id": "x", "labels": ["en"]}]}]}, "labels"),
        ({"areas": "funding"}, "areas must be a list"),
    ],
)
def test_broken_taxonomy_is_refused_with_the_entry_named(skills, message):
    with pytest.raises(LuaDataError, match=message):
        render_lua_data(skills, {})


def test_empty_taxonomy_still_makes_a_valid_module():
    data = parse_lua_data(render_lua_data({}, {}))
    assert data["skills"] == {} and data["lookup"] == {} and data["regions"] == {}


def test_yaml_scalars_that_are_not_text_become_text():
    skills = {"areas": [{"id": "a", "skills": [{"id": "x", "labels": {"en": 2024, "es": True}}]}]}
    data = parse_lua_data(render_lua_data(skills, {}))
    assert data["skills"]["x"]["labels"] == {"en": "2024", "es": "yes"}


# --- normalisation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Budget_Development", "budget development"),
        (" budget -- development ", "budget development"),
        ("Plans d’apprentissage", "plans d'apprentissage"),
        ("Élaboración", "élaboración"),
    ],
)
def test_normalise_key(text, key):
    assert normalise_key(text) == key


def test_folding_and_loose_forms():
    assert fold_diacritics("Élaboración") == "Elaboracion"
    assert loose_key("M&E") == "m e"
    assert loose_key("Wikidata: basics!") == "wikidata basics"
    assert loose_key("مكتبـة") == "مكتبه"  # tatweel dropped, ة folded
    assert key_forms("Éva") == ["éva", "eva"]
    assert key_forms("") == []


# --- the real configuration ------------------------------------------------------------------


def _config(name: str) -> dict:
    path = CONFIG / name
    if not path.is_file():
        pytest.skip(f"config/{name} is not there yet")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_real_config_renders_and_every_name_finds_its_own_entry():
    skills, regions = _config("skills.yaml"), _config("regions.yaml")
    data = parse_lua_data(render_lua_data(skills, regions))
    for area in skills["areas"]:
        for skill in area["skills"]:
            for text in [skill["id"], *skill["labels"].values(), *skill.get("aliases", [])]:
                assert data["lookup"][key_forms(str(text))[0]] == skill["id"], text
    for region in regions["regions"]:
        for text in [region["id"], *region["labels"].values(), *region.get("aliases", [])]:
            assert data["regionLookup"][key_forms(str(text))[0]] == region["id"], text
        for code in region["countries"]:
            assert code in data["countries"]


def test_real_data_module_fits_comfortably_on_a_wiki_page():
    source = render_lua_data(_config("skills.yaml"), _config("regions.yaml"))
    assert len(source.encode("utf-8")) < 1_000_000  # MediaWiki's page limit is 2 MB


# --- the files in templates_wikitext/ ---------------------------------------------------------

ALLOWED_NAMESPACES = {"Template", "Module", "Category", "Grants"}  # Grants: task, landing page
TEMPLATEDATA_TYPES = {
    "unknown", "number", "string", "line", "boolean", "date", "url", "wiki-page-name",
    "wiki-file-name", "wiki-template-name", "wiki-user-name", "content",
    "unbalanced-wikitext",
}  # fmt: skip
PARAM_KEYS = {
    "label", "description", "type", "required", "suggested", "deprecated", "aliases",
    "default", "autovalue", "example", "suggestedvalues", "inherits",
}  # fmt: skip


def _live(text: str) -> str:
    """Wikitext without the parts shown as examples (<nowiki>, <pre>), which never run."""
    return re.sub(r"<(nowiki|pre)>.*?</\1>", "", text, flags=re.S)


def _files() -> dict[str, str]:
    return {
        p.relative_to(SOURCE).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(SOURCE.rglob("*"))
        if p.is_file()
    }


def _templatedata_files() -> list[str]:
    return [path for path in _files() if path.endswith(".templatedata.json")]


def test_every_file_maps_to_a_valid_title():
    pages = [path for path in _files() if not path.endswith(".templatedata.json")]
    assert pages
    for path in pages:
        title, model = title_for(path)
        namespace, _, name = title.partition(":")
        assert namespace in ALLOWED_NAMESPACES, path
        assert not re.search(r"[#<>\[\]|{}_]", title), path
        assert all(part == part.strip() and part for part in name.split("/")), path
        assert len(title.encode("utf-8")) <= 255
        assert (model == "Scribunto") == (namespace == "Module" and path.endswith(".lua"))


def test_the_bundle_assembles_and_places_every_templatedata():
    files = _files()
    pages = assemble(files)
    for path in _templatedata_files():
        owner = path[: -len(".templatedata.json")]
        doc = files[f"{owner}/doc.wikitext"]
        assert doc.count(TEMPLATEDATA_PLACEHOLDER) == 1, owner
        title, _ = title_for(f"{owner}/doc.wikitext")
        assert pages[title].text.count("<templatedata>") == 1
        assert TEMPLATEDATA_PLACEHOLDER not in pages[title].text


@pytest.mark.parametrize("path", _templatedata_files())
def test_templatedata_is_valid(path):
    data = json.loads(_files()[path])
    assert isinstance(data["params"], dict) and data["params"]
    _interface_text(data["description"])
    assert data.get("format") in ("block", "inline")
    assert sorted(data["paramOrder"]) == sorted(data["params"])
    names = set(data["params"])
    seen_aliases: set[str] = set()
    for name, param in data["params"].items():
        assert set(param) <= PARAM_KEYS, (name, set(param) - PARAM_KEYS)
        _interface_text(param["label"])
        _interface_text(param["description"])
        assert param["type"] in TEMPLATEDATA_TYPES
        for alias in param.get("aliases", []):
            assert alias not in names and alias not in seen_aliases
            seen_aliases.add(alias)
        for key in ("default", "example"):
            if key in param:
                assert isinstance(param[key], str | dict)
        assert isinstance(param.get("required", False), bool)
        assert isinstance(param.get("suggested", False), bool)
        assert all(isinstance(v, str) for v in param.get("suggestedvalues", []))


def _interface_text(value) -> None:
    """TemplateData text: a string, or language code -> string with English present."""
    if isinstance(value, dict):
        assert "en" in value and all(isinstance(v, str) and v for v in value.values())
    else:
        assert isinstance(value, str) and value


def test_profile_templatedata_matches_the_parameters_the_module_reads():
    source = MODULE.read_text(encoding="utf-8")
    params = re.findall(r'"(\w+)"', re.search(r"local PARAMS = \{(.*?)\}", source, re.S).group(1))
    aliases = dict(re.findall(r"(\w+) = \"(\w+)\"", source.split("local PARAM_ALIASES", 1)[1]
                              .split("}", 1)[0]))  # fmt: skip
    data = json.loads(_files()["Template/Let's Connect/Profile.templatedata.json"])
    assert set(data["params"]) == set(params)
    td_aliases = {a: name for name, p in data["params"].items() for a in p.get("aliases", [])}
    assert td_aliases == aliases
    assert data["params"]["consent"]["required"] is True
    assert data["format"] == "block"


def test_templates_document_every_parameter_they_use():
    files = _files()
    for path, text in files.items():
        if not path.startswith("Template/") or path.endswith(("/doc.wikitext", ".json")):
            continue
        if path.endswith("/preload.wikitext"):
            continue
        owner = path[: -len(".wikitext")]
        assert f"{owner}/doc.wikitext" in files, f"{path} has no doc page"
        assert f"{{{{Template:{owner.split('/', 1)[1]}/doc}}}}" in text, path
        used = set(re.findall(r"\{\{\{([^|{}]+)", text))
        if used:
            td = json.loads(files[f"{owner}.templatedata.json"])
            assert used <= set(td["params"]), (path, used - set(td["params"]))


def test_every_invoke_names_a_function_of_the_module():
    modules = {
        "Let's Connect": MODULE,
        "Let's Connect/Sessions": MODULE.parent / "Let's Connect" / "Sessions.lua",
    }
    functions = {}
    for name, path in modules.items():
        source = path.read_text(encoding="utf-8")
        found = set(re.findall(r"^function p\.(\w+)\(", source, re.M))
        functions[name] = found | set(re.findall(r"^p\.(\w+) = ", source, re.M))
    invoked = set()
    for path, text in _files().items():
        pattern = r"\{\{\s*#invoke:\s*([^|}]+)\|\s*([^|}\s]+)"
        for module, function in re.findall(pattern, _live(text)):
            assert module.strip() in modules, path
            if module.strip() == "Let's Connect":
                invoked.add(function)
            assert function in functions[module.strip()], f"{path} invokes missing {function}"
    assert {"profile", "skill", "region", "marker"} <= invoked


def test_markers_take_only_the_section_name():
    files = _files()
    for name in ("Start", "End"):
        text = files[f"Template/Let's Connect/{name}.wikitext"]
        assert set(re.findall(r"\{\{\{([^|{}]+)", text)) == {"1"}


def _strip_comments(text: str) -> str:
    return re.sub(r"<!--.*?-->", "", text, flags=re.S)


def _template_params(text: str) -> dict[str, str]:
    body = text.split("{{Let's Connect/Profile", 1)[1].split("\n}}", 1)[0]
    params = {}
    for part in _strip_comments(body).split("\n|")[1:]:
        name, _, value = part.partition("=")
        params[name.strip()] = value.strip()
    return params


def test_preload_lists_every_parameter_empty_and_leaves_consent_to_the_person():
    text = _files()["Template/Let's Connect/Profile/preload.wikitext"]
    assert text.count("<!--") == text.count("-->")
    assert not re.search(r"<!--((?!-->).)*<!--", text, re.S), "a comment opens inside a comment"
    params = _template_params(text)
    td = json.loads(_files()["Template/Let's Connect/Profile.templatedata.json"])
    assert set(params) == set(td["params"]) - {"nocat"}
    assert all(value == "" for value in params.values()), params
    assert "consent" in params and params["consent"] == ""


def test_profile_doc_has_example_button_and_placeholder():
    doc = _files()["Template/Let's Connect/Profile/doc.wikitext"]
    assert "{{Let's Connect/Add profile}}" in doc
    assert doc.count(TEMPLATEDATA_PLACEHOLDER) == 1
    td = json.loads(_files()["Template/Let's Connect/Profile.templatedata.json"])
    for name in td["params"]:
        assert f"<code>{name}</code>" in doc, f"parameter {name} is not explained"
    shown = _template_params(doc.split("<pre>", 1)[1])
    assert shown["consent"] == "yes"


def test_profile_doc_example_uses_skills_the_directory_knows():
    skills, regions = _config("skills.yaml"), _config("regions.yaml")
    data = parse_lua_data(render_lua_data(skills, regions))
    doc = _files()["Template/Let's Connect/Profile/doc.wikitext"]
    shown = _template_params(doc.split("<pre>", 1)[1])
    for field, table in (("share", "lookup"), ("learn", "lookup"), ("areas", "thematicLookup")):
        for item in shown[field].split(","):
            assert any(key in data[table] for key in key_forms(item)), (field, item)
    assert any(key in data["countryLookup"] for key in key_forms(shown["country"]))


def test_add_profile_is_an_inputbox_creating_directory_pages_with_the_preload():
    text = _files()["Template/Let's Connect/Add profile.wikitext"]
    assert "{{#tag:inputbox|" in text
    assert "type=create" in text
    assert "prefix={{{prefix|Grants:Knowledge Sharing/Connect/Directory/}}}" in text
    assert "preload=Template:Let's Connect/Profile/preload" in text
    assert "buttonlabel=" in text


def test_every_message_the_module_uses_exists_in_every_language():
    source = MODULE.read_text(encoding="utf-8")
    tables = {}
    for lang, body in re.findall(r"^i18n\.(\w+) = \{\n(.*?)^\}", source, re.S | re.M):
        tables[lang] = set(re.findall(r'^\t\["([^"]+)"\] =', body, re.M))
    assert set(tables) == {"en", "es", "fr", "pt", "ar"}
    for lang, keys in tables.items():
        assert keys <= tables["en"], (lang, keys - tables["en"])
        assert tables["en"] - keys <= {"none"}, (lang, tables["en"] - keys)
    used = set(re.findall(r'msg\(\w+, "([^"]+[^-])"[,)]', source))
    used |= set(re.findall(r'add\("(\w+)"', source))
    used |= set(re.findall(r'\{\s*"(p-[a-z-]+)"', source))
    used |= {f"format-{f}" for f in ("1:1", "group", "clinic")}
    assert used <= tables["en"], used - tables["en"]
    for path, text in _files().items():
        if not path.endswith(".wikitext"):
            continue
        for key in re.findall(r"#invoke:Let's Connect\|message\|([^|}]+)", _live(text)):
            assert key in tables["en"], (path, key)


# --- running the Lua ------------------------------------------------------------------------

HARNESS = r"""
-- A stand-in for the parts of Scribunto's mw library that Module:Let's Connect uses.
local MODULE, DATA, SCENARIO = arg[1], arg[2], arg[3]

local ENTITIES = { ['"'] = "&#34;", ["&"] = "&#38;", ["'"] = "&#39;", ["<"] = "&#60;",
	["="] = "&#61;", [">"] = "&#62;", ["["] = "&#91;", ["]"] = "&#93;", ["{"] = "&#123;",
	["|"] = "&#124;", ["}"] = "&#125;" }

local function utf8char(cp)
	if cp < 0x80 then return string.char(cp) end
	if cp < 0x800 then
		return string.char(0xC0 + math.floor(cp / 0x40), 0x80 + cp % 0x40)
	end
	return string.char(0xE0 + math.floor(cp / 0x1000), 0x80 + math.floor(cp / 0x40) % 0x40,
		0x80 + cp % 0x40)
end

-- ASCII and Latin-1 capitals only: enough for the test texts.
local function lower(s)
	s = s:lower()
	return (s:gsub("\195([\128-\158])", function(c)
		if c == "\151" then return "\195" .. c end
		return "\195" .. string.char(c:byte() + 32)
	end))
end

local state = {}
local NAMES = { en = "English", es = "español", fr = "français", pt = "português",
	ar = "العربية" }

mw = {
	text = {
		trim = function(s) return (s:gsub("^%s+", ""):gsub("%s+$", "")) end,
		nowiki = function(s)
			s = s:gsub('["&\'<=>%[%]{|}]', ENTITIES)
			s = s:gsub("^([#*:;])", function(c) return "&#" .. c:byte() .. ";" end)
			return (s:gsub("\n([#*:; ])", function(c) return "\n&#" .. c:byte() .. ";" end))
		end,
		killMarkers = function(s) return (s:gsub("\127'\"`UNIQ.-QINU`\"'\127", "")) end,
	},
	ustring = {
		lower = lower,
		char = utf8char,
		toNFC = function(s) return s end,
		toNFKD = function(s) return s end,
		gsub = function(s, pattern, repl)
			if pattern:find("[\128-\255]") then return s, 0 end
			if pattern == "%p" then
				for _, mark in ipairs({ "’", "‘", "“", "”", "«", "»", "،", "…" }) do
					s = s:gsub(mark, repl)
				end
			end
			return string.gsub(s, pattern, repl)
		end,
	},
	title = {
		getCurrentTitle = function() return state.title end,
		new = function(text, ns)
			if type(text) ~= "string" or text:find("[#<>%[%]|{}\n]") then return nil end
			local prefix, rest = text:match("^([%a ]+):(.*)$")
			local namespaces = { user = 2, ["user talk"] = 3, template = 10 }
			if prefix and namespaces[prefix:lower()] then
				ns, text = namespaces[prefix:lower()], rest
			end
			text = text:gsub("^%s+", ""):gsub("%s+$", "")
			if text == "" then return nil end
			return { namespace = ns or 0, text = text, rootText = text:match("^[^/]*"),
				prefixedText = text }
		end,
	},
	language = {
		getContentLanguage = function()
			return { getCode = function() return state.content or "en" end }
		end,
		getFallbacksFor = function(code)
			if code == "arz" then return { "ar", "en" } end
			return { "en" }
		end,
		isKnownLanguageTag = function(code) return NAMES[code] ~= nil end,
		fetchLanguageName = function(code) return NAMES[code] or "" end,
	},
	loadData = function(page)
		if state.dataMissing then error("no such module: " .. page) end
		return dofile(DATA)
	end,
}

local function newFrame(case)
	local parent = case.parent and { args = case.parent }
	return {
		args = case.args or {},
		getParent = function()
			if case.brokenParent then error("broken frame") end
			return parent
		end,
		preprocess = function(_, text)
			if text == "{{int:lang}}" then return state.lang end
			if text == "{{REVISIONID}}" then return state.revid end
			error("unexpected preprocess: " .. text)
		end,
	}
end

local function run(case)
	state = { lang = case.lang or "en", revid = case.revid or "", title = case.title,
		dataMissing = case.dataMissing, content = case.content }
	local p = dofile(MODULE)
	if case.call then
		local out = p[case.call](case.value)
		if type(out) == "table" then return table.concat(out, "\31") end
		return tostring(out)
	end
	return p[case.fn](newFrame(case))
end

for i, case in ipairs(dofile(SCENARIO)) do
	local ok, out = pcall(run, case)
	io.write("\30", ok and "ok" or "ERROR", "\29", tostring(out))
end
"""


def _lua_literal(value) -> str:
    """Scenario values as Lua source: every string byte as a decimal escape."""
    if isinstance(value, str):
        return '"' + "".join(f"\\{b}" for b in value.encode("utf-8")) + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dict):
        items = ", ".join(f"[{_lua_literal(k)}] = {_lua_literal(v)}" for k, v in value.items())
        return "{ " + items + " }"
    raise TypeError(value)


@pytest.fixture(scope="module")
def lua_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("lua")
    (folder / "harness.lua").write_text(HARNESS, encoding="utf-8")
    (folder / "data.lua").write_text(
        render_lua_data(sample_skills(), sample_regions()), encoding="utf-8"
    )
    return folder


def run_module(folder: Path, cases: list[dict]) -> list[str]:
    scenario = folder / "scenario.lua"
    scenario.write_text(
        "return {\n" + ",\n".join(_lua_literal(c) for c in cases) + "\n}\n", encoding="utf-8"
    )
    result = subprocess.run(
        [LUA, str(folder / "harness.lua"), str(MODULE), str(folder / "data.lua"), str(scenario)],
        capture_output=True,
        timeout=120,
        check=True,
    )
    outputs = []
    for chunk in result.stdout.decode("utf-8").split("\x1e")[1:]:
        status, _, out = chunk.partition("\x1d")
        assert status == "ok", out
        outputs.append(out)
    assert len(outputs) == len(cases)
    return outputs


DIRECTORY = {
    "namespace": 200,
    "rootText": "Grants:Knowledge Sharing",
    "prefixedText": "Grants:Knowledge Sharing/Connect/Directory/Alice",
}
TEMPLATE_PAGE = {
    "namespace": 10,
    "rootText": "Let's Connect",
    "prefixedText": "Template:Let's Connect/Profile/doc",
}
GOOD = {
    "consent": "yes",
    "share": "budget, Wikidata",
    "learn": "Data queries (PAWS, Quarry, WDQS)",
    "languages": "en, es-3",
    "country": "Naija",
    "capacity": "2",
    "formats": "1:1, groups",
    "areas": "edu",
}
ERROR_CARD = "could not be shown"


ALLOWED_GLOBALS = {
    "mw", "pcall", "type", "ipairs", "pairs", "tostring", "tonumber", "table", "math",
    "string", "unpack", "error", "select", "next",
}  # fmt: skip


@pytest.mark.skipif(
    LUAC is None, reason="luac5.1 is not installed (scripts/setup installs Debian's lua5.1)")
def test_module_and_data_compile_and_the_module_makes_no_globals(lua_dir):
    listing = subprocess.run(
        [LUAC, "-l", "-p", str(MODULE), str(lua_dir / "data.lua")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "SETGLOBAL" not in listing
    read = set(re.findall(r"GETGLOBAL\s.*?; (\w+)", listing))
    assert read and read <= ALLOWED_GLOBALS, read - ALLOWED_GLOBALS


@needs_lua
def test_data_module_loads_in_lua_with_hostile_labels_intact(tmp_path):
    skills = sample_skills()
    skills["areas"][0]["skills"][0]["labels"] = {"en": "".join(HOSTILE)}
    (tmp_path / "data.lua").write_text(render_lua_data(skills, sample_regions()), "utf-8")
    (tmp_path / "read.lua").write_text(
        'local d = dofile(arg[1]); io.write(d.skills["budget-development"].labels.en, "\\30",'
        ' d.lookup["budget"], "\\30", d.countries.NG)',
        "utf-8",
    )
    out = subprocess.run(
        [LUA, str(tmp_path / "read.lua"), str(tmp_path / "data.lua")], capture_output=True
    )
    label, budget, region = out.stdout.decode("utf-8").split("\x1e")
    assert label == "".join(HOSTILE)
    assert (budget, region) == ("budget-development", "ssa")


@needs_lua
def test_profile_card_of_a_good_profile(lua_dir):
    preview, saved = run_module(
        lua_dir,
        [
            {"fn": "profile", "title": DIRECTORY, "parent": GOOD},
            {"fn": "profile", "title": DIRECTORY, "parent": GOOD, "revid": "42"},
        ],
    )
    assert "letsconnect-problems" not in preview
    for shown in ("Budget development", "Wikidata basics", "Data queries", "English",
                  "español (3)", "Sub-Saharan Africa", "Nigeria", "Education",
                  "[[User:Alice|Alice]]", "1:1 conversations", "small groups"):  # fmt: skip
        assert shown in preview, shown
    assert "learning clinics" not in preview
    assert "[[Category:" not in preview
    assert "[[Category:Let's Connect profiles|Alice]]" in saved
    assert "with problems" not in saved


@needs_lua
def test_preview_lists_every_mistake_with_its_raw_value(lua_dir):
    (out,) = run_module(
        lua_dir,
        [
            {
                "fn": "profile",
                "title": DIRECTORY,
                "parent": {
                    "share": "budget, Knitting",
                    "learn": "strategy",
                    "capacity": "9",
                    "formats": "dance",
                    "region": "Africa",
                    "sahre": "typo",
                },
            }
        ],
    )
    box = out.split("letsconnect-problems", 1)[1].split("</ul>", 1)[0]
    expected = [
        "consent is empty",
        "“Knitting” (in share) is not in the list of skills",
        "“strategy” (in learn) could mean more than one skill: Strategy and program design, "
        "Organisation plan and strategy",
        "capacity should be from 1 to 4 (you wrote 9)",
        "“dance” is not a format",
        "languages is empty",
        "“Africa” could mean more than one region",
        "“sahre” is not a parameter",
    ]
    for text in expected:
        assert text in box, text
    assert box.count("<li>") == len(expected)
    assert "[[Category:" not in out


@needs_lua
def test_saved_profile_with_problems_is_tracked_but_shows_no_box(lua_dir):
    (out,) = run_module(
        lua_dir, [{"fn": "profile", "title": DIRECTORY, "revid": "7", "parent": {"share": "x"}}]
    )
    assert "letsconnect-problems" not in out
    assert "[[Category:Let's Connect profiles with problems|Alice]]" in out
    assert "[[Category:Let's Connect profiles|Alice]]" in out


@needs_lua
def test_no_categories_on_template_pages_or_with_nocat(lua_dir):
    outs = run_module(
        lua_dir,
        [
            {"fn": "profile", "title": TEMPLATE_PAGE, "revid": "7", "parent": {"user": "X"}},
            {"fn": "profile", "title": DIRECTORY, "revid": "7", "parent": {"nocat": "yes"}},
        ],
    )
    assert all("[[Category:" not in out for out in outs)


@needs_lua
def test_hostile_input_is_escaped_and_never_breaks_the_card(lua_dir):
    evil = "]]{{evil}}<b>[[Category:Spam]]|}\n* item\n{|"
    params = ["user", "consent", "share", "learn", "languages", "region", "country",
              "affiliation", "areas", "capacity", "formats", "notify", "lang", "bio"]  # fmt: skip
    cases = [
        {"fn": "profile", "title": DIRECTORY, "parent": {name: evil for name in params}},
        {"fn": "profile", "title": DIRECTORY, "revid": "1", "parent": {"bio": evil, "x": evil}},
    ]
    rng = random.Random(20240601)
    alphabet = list("[]{}|=<>'\"&#*:;,;\n -_") + ["\x7f'\"`UNIQ--nowiki-1-QINU`\"'\x7f", "é", "،"]
    for _ in range(150):
        args = {
            rng.choice(params + ["1", "junk"]): "".join(rng.choices(alphabet, k=rng.randint(0, 30)))
            for _ in range(rng.randint(0, 8))
        }
        cases.append(
            {
                "fn": "profile",
                "title": DIRECTORY,
                "parent": args,
                "lang": rng.choice(["en", "ar", "xx", ""]),
                "revid": rng.choice(["", "3"]),
            }
        )
    outs = run_module(lua_dir, cases)
    for out in outs:
        assert ERROR_CARD not in out
        assert "{{" not in out and "<b>" not in out and "UNIQ" not in out
        assert "[[Category:Spam" not in out
        assert "\n*" not in out and "\n{|" not in out
    assert outs[0].count("<li>") >= 8


@needs_lua
def test_a_failure_inside_the_module_shows_a_box_not_a_script_error(lua_dir):
    (out,) = run_module(lua_dir, [{"fn": "profile", "title": DIRECTORY, "brokenParent": True}])
    assert ERROR_CARD in out and "broken frame" in out


@needs_lua
def test_reader_language_and_direction(lua_dir):
    arabic, fallback, portuguese, egyptian = run_module(
        lua_dir,
        [
            {"fn": "profile", "title": DIRECTORY, "lang": "ar", "parent": GOOD},
            {"fn": "profile", "title": DIRECTORY, "lang": "⧼lang⧽", "parent": GOOD},
            {"fn": "profile", "title": DIRECTORY, "lang": "pt-br", "parent": GOOD},
            {"fn": "skill", "lang": "arz", "args": {1: "budget"}},
        ],
    )
    assert 'dir="rtl"' in arabic and 'lang="ar"' in arabic
    assert "إعداد الميزانية" in arabic and "يشارك" in arabic
    assert "أفريقيا جنوب الصحراء الكبرى" in arabic
    assert 'lang="en"' in fallback and 'dir="ltr"' in fallback and "Shares" in fallback
    assert "Compartilha" in portuguese and "Elaboração de orçamento" in portuguese
    assert egyptian == "إعداد الميزانية"


@needs_lua
def test_missing_data_page_is_reported_not_fatal(lua_dir):
    (out,) = run_module(
        lua_dir, [{"fn": "profile", "title": DIRECTORY, "parent": GOOD, "dataMissing": True}]
    )
    assert ERROR_CARD not in out
    assert "could not be read" in out
    assert "is not in the list of skills" not in out


@needs_lua
def test_page_owner_is_the_default_user(lua_dir):
    user_page = {"namespace": 2, "rootText": "Bob", "prefixedText": "User:Bob/Let's Connect"}
    elsewhere = {"namespace": 0, "rootText": "Sandbox", "prefixedText": "Sandbox"}
    bob, nobody, invalid = run_module(
        lua_dir,
        [
            {"fn": "profile", "title": user_page, "parent": GOOD},
            {"fn": "profile", "title": elsewhere, "parent": GOOD},
            {"fn": "profile", "title": elsewhere, "parent": {**GOOD, "user": "Eve]]"}},
        ],
    )
    assert "[[User:Bob|Bob]]" in bob
    assert "whose profile this is" in nobody
    assert "cannot be a user name" in invalid and "[[User:Eve" not in invalid


@needs_lua
def test_label_templates(lua_dir):
    outs = run_module(
        lua_dir,
        [
            {"fn": "skill", "lang": "es", "args": {1: "budget-development"}},
            {"fn": "skill", "args": {1: "Élaboration du budget"}},
            {"fn": "skill", "args": {1: "budget", "lang": "fr"}},
            {"fn": "skill", "args": {1: "Knitting]]{{x}}"}},
            {"fn": "skill", "args": {1: ""}},
            {"fn": "region", "args": {1: "SSA"}},
            {"fn": "region", "lang": "es", "args": {1: "lac"}},
            {"fn": "area", "args": {1: "funding"}},
            {"fn": "area", "lang": "pt", "args": {1: "edu"}},
            {"fn": "skill", "parent": {1: "wd"}},
        ],
    )
    assert outs[:3] == [
        "Elaboración de presupuestos",
        "Budget development",
        "Élaboration du budget",
    ]
    assert "Knitting" in outs[3] and "]]" not in outs[3] and "{{" not in outs[3]
    assert outs[4] == ""
    assert outs[5:] == [
        "Sub-Saharan Africa",
        "América Latina",
        "Funding",
        "Educação",
        "Wikidata basics",
    ]


@needs_lua
def test_markers_messages_and_lists(lua_dir):
    start, end, message, unknown, skills, regions = run_module(
        lua_dir,
        [
            {"fn": "marker", "lang": "fr", "args": {1: "start", 2: 'by "skill"'}},
            {"fn": "marker", "args": {1: "end", 2: 'by "skill"'}},
            {"fn": "message", "lang": "es", "args": {1: "addprofile-button"}},
            {"fn": "message", "args": {1: "no-such-message"}},
            {"fn": "list", "args": {1: "skills"}},
            {"fn": "list", "args": {1: "regions"}},
        ],
    )
    assert 'id="letsconnect-start-by__skill_"' in start and "bot Let's Connect" in start
    assert end == '<div class="letsconnect-end" id="letsconnect-end-by__skill_"></div>'
    assert message == "Añade tu perfil"
    assert unknown == ""
    for skill_id in sample_skills()["areas"][1]["skills"]:
        assert f"<code>{skill_id['id']}</code>" in skills
    assert "Nigeria (NG)" in regions


@needs_lua
@pytest.mark.parametrize(
    "text",
    ["Budget_Development", "  M&E  tools ", "Wikidata: basics!", "l’ete", "مكتبـة ى", "a--b__c"],
)
def test_lua_computes_the_same_key_forms_as_python(lua_dir, text):
    # The stand-in mw.ustring has no Unicode normalisation, so only texts that NFC/NFKD
    # leave unchanged are compared.
    (out,) = run_module(lua_dir, [{"call": "_keyForms", "value": text}])
    assert out.split("\x1f") == key_forms(text)
