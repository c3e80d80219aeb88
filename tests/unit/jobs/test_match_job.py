"""The match job end to end on the in-memory wiki: groups computed, published, kept."""

from __future__ import annotations

import json

import pytest

from bot.config import ConfigError
from bot.jobs.match import OPTIONS, match_job
from tests.unit.jobs.program import CONFIG, ROUND, edits_by_bot, run, section, small_program

PAGE = f"{CONFIG.pages.matches}/{ROUND}"
STATE = CONFIG.state_page("match")


def match(store, *args):
    return run(match_job, store, "match", OPTIONS, f"-round:{ROUND}", *args)


def test_a_round_is_published_with_its_export_and_remembered():
    store = small_program()
    ran = match(store)
    groups = json.loads(store.text(STATE))["rounds"][ROUND]["groups"]
    assert {g["sharer"] for g in groups} == {"Ana Sharer", "Ben Sharer"}
    assert {u for g in groups for u in g["learners"]} == {"Cy Learner", "Dee Learner",
                                                          "Eli Learner"}
    table = section(store, PAGE, "matches")
    assert all(g["id"] in table for g in groups)
    export = json.loads(store.text(CONFIG.export_page(f"matches/{ROUND}")))
    assert [g["id"] for g in export["groups"]] == [g["id"] for g in groups]
    assert ran.lines[-1].startswith(f"match: round {ROUND}: {len(groups)} groups (0 kept)")
    assert ran.wiki.reads[STATE] == 1  # the match state is read once a run


def test_a_rerun_keeps_the_groups_and_saves_nothing():
    store = small_program()
    match(store)
    edits = edits_by_bot(store)
    state = store.text(STATE)
    ran = match(store)
    assert edits_by_bot(store) == edits and store.text(STATE) == state
    assert "groups (2 kept)" in ran.lines[-1]


def test_an_outcome_gives_a_group_its_status():
    store = small_program()
    match(store)
    group = json.loads(store.text(STATE))["rounds"][ROUND]["groups"][0]["id"]
    store.edit("Grants:Knowledge Sharing/Connect/Coffees/One",
               f"{{{{Let's Connect/Outcome\n|group = {group}\n|held = yes\n}}}}", "Cy Learner")
    match(store)
    row = next(line for line in section(store, PAGE, "matches").split("|-") if group in line)
    assert "held" in row.lower()


def test_a_state_written_by_hand_with_a_broken_earlier_round_stops_the_run():
    store = small_program()
    store.edit(STATE, json.dumps({"rounds": {"2000-01": {"groups": [{"id": "x"}]}}}), "Helper")
    with pytest.raises(KeyError):
        match(store)


def test_options_are_the_jobs_own():
    store = small_program()
    with pytest.raises(ConfigError, match="expected a month as YYYY-MM"):
        run(match_job, store, "match", OPTIONS, "-round:soon")
    with pytest.raises(ConfigError, match="unknown option '-full'"):
        run(match_job, store, "match", OPTIONS, "-full")
