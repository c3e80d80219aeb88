"""The generated data module (``Module:Let's Connect/data``, bot/onwiki/luadata.py).

It is rendered from the bot's own taxonomy (bot/taxonomy), and read back here with
the independent Lua-literal reader of lua_helpers.py.
"""

from __future__ import annotations

import copy

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from bot.onwiki.luadata import (
    _build_lookup,
    fold_diacritics,
    key_forms,
    loose_key,
    lua_string,
    normalise_key,
    render_lua_data,
)
from bot.taxonomy import Taxonomy, TaxonomyError
from tests.unit.lua_helpers import (
    CONFIG,
    HOSTILE,
    decode_lua_string,
    full_labels,
    parse_lua_data,
    sample_regions,
    sample_skills,
    sample_taxonomy,
)


@pytest.fixture(scope="module")
def data() -> dict:
    return parse_lua_data(render_lua_data(sample_taxonomy()))


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
    hostile = {f"l{i}": text for i, text in enumerate(HOSTILE)}
    skill["labels"] = full_labels({**skill["labels"], **hostile})
    skill["aliases"] = HOSTILE
    source = render_lua_data(sample_taxonomy(skills))
    parsed = parse_lua_data(source)["skills"]["budget-development"]
    # Surrounding whitespace is trimmed; everything else arrives byte for byte.
    labels = parsed["labels"]
    assert {k: v for k, v in labels.items() if k in hostile} == {
        k: text.strip() for k, text in hostile.items()
    }
    assert parsed["aliases"] == [text.strip() for text in HOSTILE]
    body = source.split("return", 1)[1]
    assert "]]" not in body


def test_keys_that_are_lua_keywords_or_not_identifiers_are_bracketed(data):
    regions = copy.deepcopy(sample_regions())
    regions["regions"].append({"id": "end", "labels": {"en": "X"}, "countries": ["FR"]})
    source = render_lua_data(sample_taxonomy(regions=regions))
    assert '["end"] = {' in source
    assert '["budget-development"] = {' in source
    assert parse_lua_data(source)["regions"]["end"]["labels"] == full_labels({"en": "X"})


# --- content ----------------------------------------------------------------------------------


def test_header_says_where_the_page_comes_from():
    source = render_lua_data(sample_taxonomy())
    header = source.split("return", 1)[0]
    assert all(line.startswith("--") for line in header.strip().splitlines())
    assert "config/skills.yaml" in header
    assert "letsconnect deploy" in header
    assert "do not edit" in header.lower()


def test_output_is_deterministic_and_independent_of_mapping_order():
    first = render_lua_data(sample_taxonomy())
    assert render_lua_data(sample_taxonomy()) == first
    shuffled = sample_skills()
    for area in shuffled["areas"]:
        for skill in area["skills"]:
            skill["labels"] = dict(reversed(list(full_labels(skill["labels"]).items())))
    assert render_lua_data(sample_taxonomy(shuffled)) == first


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
    assert data["languages"] == ["en", "es", "fr", "pt-br", "ar"]


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
    # Listed first, claims the label of a later skill and the id of another: the
    # taxonomy refuses that file ...
    skills["areas"][0]["skills"][0]["aliases"] += ["Wikidata basics", "organisational-strategy"]
    with pytest.raises(TaxonomyError, match="already used by"):
        sample_taxonomy(skills)
    # ... and the lookup's passes would keep ids and labels with their own entries anyway.
    lookup = _build_lookup([
        ("budget-development", {"en": "Budget"}, ["Wikidata basics", "organisational-strategy"]),
        ("wikidata-basics", {"en": "Wikidata basics"}, []),
        ("organisational-strategy", {"en": "Organisation plan and strategy"}, []),
    ])
    assert lookup["wikidata basics"] == "wikidata-basics"
    assert lookup["organisational strategy"] == "organisational-strategy"


def test_ambiguous_words_list_their_skills_and_do_not_resolve(data):
    assert data["ambiguous"]["strategy"] == ["strategy-program-design", "organisational-strategy"]
    assert "strategy" not in data["lookup"]


def test_ambiguous_alias_naming_an_unknown_skill_is_refused():
    skills = sample_skills()
    skills["ambiguous_aliases"]["plan"] = ["budget-development", "no-such-skill"]
    with pytest.raises(TaxonomyError, match="no-such-skill"):
        sample_taxonomy(skills)


def test_regions_countries_and_names(data):
    assert data["regions"]["ssa"]["countries"] == ["NG", "KE"]
    assert data["regions"]["mea"]["countries"] == ["EG", "MA"]
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


def test_a_country_in_two_regions_is_refused_the_taxonomys_rule():
    # One rule for the bot and the card: the taxonomy refuses the file, so the
    # data module can never disagree with the bot about a country's region.
    regions = sample_regions()
    regions["regions"][0]["countries"].append("NG")
    with pytest.raises(TaxonomyError, match="NG is already in 'ssa'|NG is already in 'mea'"):
        sample_taxonomy(regions=regions)


def _labelled(entry: dict) -> dict:
    return {**entry, "labels": full_labels(entry.get("labels", {"en": entry.get("id", "x")}))}


@pytest.mark.parametrize(
    ("skills", "message"),
    [
        ({"areas": [_labelled({"id": "a", "skills": [_labelled({})]})]}, r"skills\[0\]\.id"),
        (
            {"areas": [_labelled({"id": "a", "skills": [_labelled({"id": "x"}),
                                                        _labelled({"id": "x"})]})]},
            "'x' is used twice",
        ),
        ({"areas": [_labelled({"id": "a", "skills": [{"id": "x", "labels": ["en"]}]})]},
         "labels"),
        ({"areas": "funding"}, "areas"),
    ],
)
def test_broken_taxonomy_is_refused_with_the_entry_named(skills, message):
    with pytest.raises(TaxonomyError, match=message):
        Taxonomy.from_data(skills, sample_regions())


def test_empty_taxonomy_is_refused():
    with pytest.raises(TaxonomyError, match="areas"):
        Taxonomy.from_data({}, {})


def test_yaml_scalars_that_are_not_text_are_refused():
    skill = {"id": "x", "labels": full_labels({"en": 2024, "es": True})}
    skills = {"areas": [_labelled({"id": "a", "skills": [skill]})]}
    with pytest.raises(TaxonomyError, match="a non-empty text"):
        Taxonomy.from_data(skills, sample_regions())


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
    return yaml.safe_load((CONFIG / name).read_text(encoding="utf-8"))


def _real_taxonomy() -> Taxonomy:
    return Taxonomy.load(CONFIG / "skills.yaml", CONFIG / "regions.yaml")


def test_real_config_renders_and_every_name_finds_its_own_entry():
    skills, regions = _config("skills.yaml"), _config("regions.yaml")
    data = parse_lua_data(render_lua_data(_real_taxonomy()))
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
    source = render_lua_data(_real_taxonomy())
    assert len(source.encode("utf-8")) < 1_000_000  # MediaWiki's page limit is 2 MB


