"""The match state page, read once into one typed value by every job that needs it."""

from __future__ import annotations

from bot.jobs.reads import MatchState
from bot.matching.values import Group

GROUP = {"id": "2026-10-001", "sharer": "Ana", "learners": ["Ben"], "skill": "wikidata",
         "language": "en"}


def test_a_round_that_cannot_be_read_is_set_aside_and_kept_as_it_was():
    stored = {"2026-10": {"groups": [GROUP]}, "2026-11": {"groups": ["junk"]}, "2026-12": "junk"}
    state = MatchState.from_json({"rounds": stored})
    assert [g.id for g in state.published("2026-10")] == ["2026-10-001"]
    assert set(state.unreadable) == {"2026-11"}
    assert state.published("2026-12") == []  # a round that is not a mapping holds no group
    assert state.group_ids() == {"2026-10-001"}
    # The match job writes back what it does not compute exactly as the page held it.
    rewritten = state.with_round("2026-12", [])
    assert rewritten["rounds"]["2026-11"] == {"groups": ["junk"]}


def test_history_is_the_rounds_before_in_order():
    stored = {"2026-11": {"groups": [dict(GROUP, id="2026-11-001")]},
              "2026-10": {"groups": [GROUP]}}
    state = MatchState.from_json({"rounds": stored})
    assert [p.group.id for p in state.history("2026-12")] == ["2026-10-001", "2026-11-001"]
    assert [p.group.id for p in state.history("2026-11")] == ["2026-10-001"]
    assert isinstance(state.published("2026-10")[0], Group)


def test_a_state_page_that_is_not_what_the_job_writes_reads_as_empty():
    for data in ({}, {"rounds": "junk"}, {"rounds": []}):
        state = MatchState.from_json(data)
        assert state.rounds == {} and state.history("2026-12") == []
