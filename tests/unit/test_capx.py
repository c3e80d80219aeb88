"""The CapX bridge's pure parts: the capacity tree, the mapping to skills (on the whole
October 2025 tree), the language threshold, the state kept between runs, and the skills'
identities in config/skills.yaml."""

from __future__ import annotations

import copy
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from bot.capx.mapping import listed_capacities, mapping_report, render_report, skill_of
from bot.capx.tree import CapacityTree, TreeError
from bot.capx.values import CapxRecord, CapxState, CapxValues, can_talk, resolve_record
from bot.config import DEFAULT_PATH, ConfigError, load_config
from bot.taxonomy import Taxonomy, TaxonomyError

ROOT = Path(__file__).resolve().parents[2]
#: The public facts of the bridge (../shared/capx/README.md), beside the repository.
SHARED = Path(os.environ.get("CAPX_SHARED") or ROOT.parent / "shared" / "capx")
OCTOBER = SHARED / "capacities-2025-10.json"


@pytest.fixture(scope="module")
def tax() -> Taxonomy:
    return Taxonomy.load()


@pytest.fixture(scope="module")
def october() -> CapacityTree:
    if not OCTOBER.is_file():
        pytest.skip(f"no {OCTOBER}: the October 2025 capacity tree of the Capacity Exchange "
                    "(capx-frontend's capacities.json); set CAPX_SHARED to its folder")
    return CapacityTree.from_snapshot(json.loads(OCTOBER.read_text(encoding="utf-8")))


# ------------------------------------------------------------------ the October 2025 tree


def test_the_october_tree_is_read_whole(october: CapacityTree) -> None:
    assert len(october) == 134
    assert [c.code for c in october.roots()] == [10, 36, 50, 56, 65, 74, 106]
    assert max(len(october.lineage(c.code)) for c in october) == 3
    assert october.nodes[139].name == "Pywikibot" and october.nodes[139].parent == 124


def test_every_october_capacity_maps_to_a_skill_or_is_listed_unmapped(
    october: CapacityTree, tax: Taxonomy
) -> None:
    report = mapping_report(october, tax)
    listed = listed_capacities(tax)
    unmapped = {c.code for c in report.unmapped}
    assert set(report.mapped) | unmapped == {c.code for c in october}
    assert not set(report.mapped) & unmapped
    for code, skill in report.mapped.items():
        nearest = next(step for step in october.lineage(code) if step in listed)
        assert skill == listed[nearest] and skill in tax.skills
    for code in unmapped:
        assert not set(october.lineage(code)) & set(listed), code
    assert (len(report.mapped), len(report.unmapped)) == (101, 33)
    assert report.unknown_listed == ()  # every code skills.yaml lists is in the tree
    text = render_report(report, october, tax)
    assert "134 CapX capacities: 101 map to a skill, 33 to none." in text
    assert "118  Wikipedia (under Wikimedia project)" in text
    assert "copyright-licensing  Copyright and free licences" in text


@pytest.mark.parametrize(("code", "skill"), [
    (139, "automation-tools"),      # Pywikibot: listed itself
    (126, "automation-tools"),      # AutoWikiBrowser
    (143, "paws-quarry-wdqs"),      # Wikidata Query Service
    (38, "communication-strategy"),  # community engagement: its root, communication
    (17, "governance"),             # documentation: nearest listed ancestor, governance
    (55, "qualitative-evaluation"),
    (97, "culture-heritage-approaches"),  # a Metabase item under GLAM: the nearest ancestor
    (118, None),                    # Wikipedia: nothing above it is listed
    (999, None),                    # a capacity the tree does not know
])
def test_nearest_mapped_ancestor(october: CapacityTree, tax: Taxonomy, code: int,
                                 skill: str | None) -> None:
    assert skill_of(code, october, listed_capacities(tax)) == skill


def test_the_live_list_shape_reads_too() -> None:
    tree = CapacityTree.from_skill_list([
        {"id": 10, "skill_type": None, "skill_wikidata_item": "Q1"},
        {"id": 11, "skill_type": 10, "skill_wikidata_item": "Q2"},
        {"id": 12, "skill_type": 11, "skill_wikidata_item": "Q3"},
    ])
    assert tree.lineage(12) == (12, 11, 10)
    assert tree.with_names({12: "budgeting"}).label(12) == "budgeting"
    assert tree.label(11) == "11"


@pytest.mark.parametrize("items", [
    [{"id": 1, "skill_type": 2}, {"id": 2, "skill_type": 1}],  # a circle
    [{"id": "x"}],
    [{"id": True}],
    ["not an object"],
])
def test_a_tree_that_is_not_one_is_an_error(items: list[object]) -> None:
    with pytest.raises(TreeError):
        CapacityTree.from_skill_list(items)


# ------------------------------------------------------------------ values and state


@pytest.mark.parametrize(("level", "counts"), [
    ("n", True), ("N", True), ("5", True), ("4", True), ("3", True),
    ("2", False), ("1", False), ("0", False), ("", False), ("x", False),
])
def test_can_talk_from_advanced_up(level: str, counts: bool) -> None:
    assert can_talk(level) is counts


def test_a_record_in_the_templates_terms(tax: Taxonomy) -> None:
    tree = CapacityTree.from_skill_list([
        {"id": 50, "skill_type": None}, {"id": 124, "skill_type": 50},
        {"id": 139, "skill_type": 124}, {"id": 106, "skill_type": None},
        {"id": 118, "skill_type": 106}, {"id": 12, "skill_type": None},
    ]).with_names({118: "Wikipedia"})
    record = CapxRecord(
        "Ana", share=(139, 118, 12), learn=(12,),
        languages=(("Portuguese", "n"), ("Spanish", "3"), ("French", "2"), ("Klingonese", "4")),
        territories=("Atlantis", "Brazil"), affiliations=("Wikimedia Brasil", " WikiMujeres "),
    )
    values = resolve_record(record, tree, tax)
    assert values.share == ("automation-tools", "budget-development")
    assert values.learn == ("budget-development",)
    assert values.languages == ("pt", "es")
    assert (values.country, values.region) == ("BR", tax.region_of_country("BR"))
    assert values.affiliation == "Wikimedia Brasil, WikiMujeres"
    assert values.unmapped == (("share", "Wikipedia"),)
    assert values.unknown_languages == ("Klingonese",)
    assert values.unknown_territories == ("Atlantis",)


def test_the_state_keeps_what_it_wrote_and_forgets_junk() -> None:
    state = CapxState("2026-12-01T10:00:00+00:00", {"User:Ana": 5}, {
        "Ana": CapxValues(share=("facilitation",), languages=("pt",), region="latin-america",
                          unmapped=(("learn", "Wikipedia"),)),
        "Bo": CapxValues(found=False),
    })
    assert CapxState.from_json(json.loads(json.dumps(state.as_json()))) == state
    assert CapxState.from_json("nonsense") == CapxState()
    broken = state.as_json()
    broken["users"]["Ana"]["share"] = "not a list"  # type: ignore[index]
    assert set(CapxState.from_json(broken).users) == {"Bo"}
    assert set(state.kept(["Ana"]).users) == {"Ana"}


def test_capx_is_read_at_most_daily_unless_a_capx_profile_changed() -> None:
    now = datetime(2026, 12, 2, 12, tzinfo=UTC)
    state = CapxState((now - timedelta(hours=3)).isoformat(), {"User:Ana": 5})
    assert not state.due({"User:Ana": 5}, now)
    assert state.due({"User:Ana": 6}, now)  # her profile changed
    assert state.due({"User:Ana": 5, "User:Bo": 7}, now)  # a new capx=yes profile
    assert state.due({"User:Ana": 5}, now + timedelta(hours=21))  # a day since
    assert not state.due({}, now)  # nobody asks for CapX
    assert CapxState().due({"User:Ana": 5}, now)  # never read


# ------------------------------------------------------------------ skills.yaml identities


def test_skills_carry_wikidata_items_and_capx_capacities(tax: Taxonomy) -> None:
    assert tax.skills["wikidata-basics"].qid == "Q2013"
    assert tax.skills["commons-media"].qid == "Q565"
    assert tax.thematic_areas["technology"].qid == "Q11016"
    assert 139 in tax.skills["automation-tools"].capx
    assert all(q == "" or q.startswith("Q") for q in (s.qid for s in tax.skills.values()))


def _skills_yaml() -> dict[str, object]:
    data = yaml.safe_load((ROOT / "config" / "skills.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _regions_yaml() -> object:
    return yaml.safe_load((ROOT / "config" / "regions.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("key", "value", "message"), [
    # The second skill to list a capacity is the one named (file order).
    ("capx", [139], "areas[3].skills[3].capx[6]: 139 is already listed under "
                    "'strategy-program-design'"),
    ("capx", ["x"], "areas[0].skills[0].capx[0]: got 'x' (expected a CapX skill code"),
    ("capx", 5, "areas[0].skills[0].capx: got a int (expected a list of CapX skill codes"),
    ("qid", "2013", "areas[0].skills[0].qid: got '2013' (expected a Wikidata item like Q2013"),
])
def test_a_wrong_identity_names_the_entry(key: str, value: object, message: str) -> None:
    data = copy.deepcopy(_skills_yaml())
    data["areas"][0]["skills"][0][key] = value  # type: ignore[index]
    with pytest.raises(TaxonomyError) as error:
        Taxonomy.from_data(data, _regions_yaml())
    assert message in str(error.value)


# ------------------------------------------------------------------ the configuration


def _config_with(tmp_path: Path, capx: str) -> Path:
    shipped = DEFAULT_PATH.read_text(encoding="utf-8").split("\ncapx:\n")[0]
    path = tmp_path / "letsconnect.yaml"
    path.write_text(shipped + "\ncapx:\n" + capx, encoding="utf-8")
    return path


def test_capx_is_configured_and_can_be_turned_off(tmp_path: Path) -> None:
    shipped = load_config().capx
    assert shipped.base_url == "https://capx-backend.toolforge.org"
    assert shipped.contact.startswith("https://meta.wikimedia.org/")
    off = load_config(_config_with(tmp_path, '  base_url: ""\n')).capx
    assert off.base_url == "" and off.retries == 3
    local = load_config(_config_with(tmp_path, '  base_url: "http://127.0.0.1:8300/"\n'))
    assert local.capx.base_url == "http://127.0.0.1:8300"
    with pytest.raises(ConfigError, match="capx.base_url"):
        load_config(_config_with(tmp_path, '  base_url: "capx.toolforge.org"\n'))
    with pytest.raises(ConfigError, match="capx.retries"):
        load_config(_config_with(tmp_path, "  retries: 99\n"))
