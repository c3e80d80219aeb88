"""The CapX bridge in the jobs, on the in-memory wiki with a stand-in for CapX: when the
directory job reads CapX, what it keeps when CapX fails, and what the match job sees."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from datetime import timedelta

import pytest

from bot.capx import client
from bot.capx.client import CapxError, CapxRead, CapxSettings
from bot.capx.tree import CapacityTree
from bot.capx.values import CapxRecord
from bot.demo.profiles import PROFILE_PREFIX
from bot.jobs import capx_bridge
from bot.jobs.directory import OPTIONS, directory_job
from bot.jobs.match import OPTIONS as MATCH_OPTIONS
from bot.jobs.match import match_job
from bot.wiki.memory import MemoryStore
from tests.unit.jobs.program import CONFIG, NOW, ROUND, run, small_program

STATE = CONFIG.state_page("directory")
TREE = CapacityTree.from_skill_list([{"id": 10}, {"id": 11, "skill_type": 10},
                                     {"id": 12, "skill_type": 11}, {"id": 15, "skill_type": 10}])
ANA = PROFILE_PREFIX + "Ana Capx"


class FakeCapx:
    """Answers like read_capx; ``down`` makes it fail as an unreachable server does."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self.down = False

    def __call__(self, settings: CapxSettings, users: Collection[str]) -> CapxRead:
        self.calls.append(sorted(users))
        if self.down:
            raise CapxError("no answer from /skill/ (ConnectionError), 4 times")
        record = CapxRecord("Ana Capx", share=(12,), learn=(15,), languages=(("English", "n"),),
                            territories=("Kenya",), affiliations=("Wikimedia Kenya",))
        return CapxRead(TREE, {"Ana Capx": record}, 5)


@pytest.fixture
def capx(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeCapx]:
    fake = FakeCapx()
    monkeypatch.setattr(capx_bridge, "read_capx", fake)
    monkeypatch.setattr(client, "read_capx", fake)
    yield fake


def with_ana() -> MemoryStore:
    store = small_program()
    store.add_user("Ana Capx")
    store.edit(ANA, "{{Let's Connect/Profile|consent=yes|capx=yes}}", "Ana Capx")
    return store


def test_read_once_kept_in_the_state_and_used_by_the_other_jobs(capx: FakeCapx) -> None:
    store = with_ana()
    ran = run(directory_job, store, "directory", OPTIONS)
    assert capx.calls == [["Ana Capx"]]
    assert "directory: read the Capacity Exchange: 1 of 1 capx=yes participants found, " \
        "5 requests" in ran.lines
    export = json.loads(store.text(CONFIG.export_page("directory")))
    ana = next(p for p in export["participants"] if p["user"] == "Ana Capx")
    assert (ana["share"], ana["languages"], ana["country"], ana["affiliation"]) == (
        ["budget-development"], ["en"], "KE", "Wikimedia Kenya")
    state = json.loads(store.text(STATE))
    assert state["capx"]["users"]["Ana Capx"]["share"] == ["budget-development"]
    assert "Wikimedia Kenya" in store.text(CONFIG.export_page("capx"))

    # -full within the day: CapX is not read again; the match job never reads it.
    run(directory_job, store, "directory", OPTIONS, "-full")
    run(match_job, store, "match", MATCH_OPTIONS, f"-round:{ROUND}")
    assert capx.calls == [["Ana Capx"]]
    groups = json.loads(store.text(CONFIG.export_page(f"matches/{ROUND}")))
    assert any("Ana Capx" in g["learners"] and g["skill"] == "governance"
               for g in groups["groups"])


def test_capx_down_keeps_the_last_values_and_says_so(capx: FakeCapx) -> None:
    store = with_ana()
    run(directory_job, store, "directory", OPTIONS)
    capx.down = True
    store.edit(ANA, "{{Let's Connect/Profile|consent=yes|capx=yes|bio=Hello}}",
               "Ana Capx")
    ran = run(directory_job, store, "directory", OPTIONS)
    assert len(capx.calls) == 2
    assert ("directory: the Capacity Exchange could not be read (no answer from /skill/ "
            "(ConnectionError), 4 times); 1 of 1 capx=yes participants keep the values of "
            "the last successful read") in ran.lines
    export = json.loads(store.text(CONFIG.export_page("directory")))
    ana = next(p for p in export["participants"] if p["user"] == "Ana Capx")
    assert ana["share"] == ["budget-development"]


def test_no_capx_profile_no_request_and_no_page(capx: FakeCapx) -> None:
    store = small_program()
    run(directory_job, store, "directory", OPTIONS)
    assert capx.calls == []
    assert store.text(CONFIG.export_page("capx")) is None


def test_a_day_later_capx_is_read_again(capx: FakeCapx) -> None:
    state = capx_bridge.CapxState(NOW.isoformat(), {ANA: 1})
    assert not state.due({ANA: 1}, NOW + timedelta(hours=23))
    assert state.due({ANA: 1}, NOW + timedelta(hours=24))
