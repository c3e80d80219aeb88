"""The data-driven cases of tests/data/capx/: a capx=yes entry and its CapX profile, run
through the directory, the mapping and the merge."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.capx.merge import capx_profiles, merge
from bot.capx.tree import CapacityTree
from bot.capx.values import CapxRecord, CapxValues, resolve_record
from bot.directory.build import build_directory
from bot.directory.settings import DirectorySettings
from bot.model import PageData, Revision
from bot.taxonomy import Taxonomy
from tests.cases import Case, load, params, wrong_problems

CASES = load("capx")
NOW = datetime(2026, 12, 1, tzinfo=UTC)
TREE = CapacityTree.from_skill_list([
    {"id": 50}, {"id": 124, "skill_type": 50}, {"id": 139, "skill_type": 124},
    {"id": 106}, {"id": 109, "skill_type": 106}, {"id": 118, "skill_type": 109},
    {"id": 10}, {"id": 11, "skill_type": 10}, {"id": 12, "skill_type": 11},
    {"id": 65}, {"id": 86, "skill_type": 65}, {"id": 68, "skill_type": 65},
]).with_names({118: "Wikipedia", 68: "empathy", 139: "Pywikibot"})
SETTINGS = DirectorySettings()
TITLE = "Grants:Knowledge Sharing/Connect/Directory/Ana"


@pytest.fixture(scope="module")
def tax() -> Taxonomy:
    return Taxonomy.load()


def _values(raw: Any, tax: Taxonomy) -> CapxValues:
    if raw is None:
        return CapxValues(found=False)
    record = CapxRecord(
        "Ana", share=tuple(raw.get("share", ())), learn=tuple(raw.get("learn", ())),
        languages=tuple((str(n), str(level)) for n, level in raw.get("languages", ())),
        territories=tuple(raw.get("territories", ())),
        affiliations=tuple(raw.get("affiliations", ())),
    )
    return resolve_record(record, TREE, tax)


@pytest.mark.parametrize("case", params(CASES))
def test_capx_case(case: Case, tax: Taxonomy) -> None:
    blocks = {b.head: b for b in case.blocks}
    page = PageData(TITLE, (Revision(5, "Ana", "2026-11-30T10:00:00Z", blocks["entry"].text),))
    directory = build_directory([page], tax, SETTINGS, now=NOW)
    users = capx_profiles([page], directory, SETTINGS)
    merged = merge(directory, users, {"Ana": _values(case.meta["capx"], tax)},
                   SETTINGS.skills_page)
    expect = blocks["expect"].yaml()
    (profile,) = merged.directory.profiles
    wrong = [f"profile.{key}: expected {want!r}, got {getattr(profile, key)!r}"
             for key, want in expect["profile"].items()
             if (list(got) if isinstance(got := getattr(profile, key), tuple) else got) != want]
    got_marks = list(merged.from_capx.get("Ana", ()))
    if got_marks != expect["from_capx"]:
        wrong.append(f"from_capx: expected {expect['from_capx']}, got {got_marks}")
    wrong += wrong_problems(merged.directory.problems, expect["problems"])
    assert not wrong, f"{case}:\n" + "\n".join(wrong)
    assert set(profile.notes) == {p.code for p in merged.directory.problems}, case
