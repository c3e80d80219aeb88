"""Large JSON exports are cut into parts that each fit in a wiki page."""

import json

from bot.exports import split_export


def participants(n: int) -> list[dict]:
    return [{"user": f"User {i}", "share": ["budget-development"] * 5} for i in range(n)]


def test_a_small_export_stays_in_one_page():
    value = {"schema": 1, "generated": "x", "participants": participants(3)}
    head, parts = split_export(value, "participants", lambda n: f"P/{n}.json")
    assert head == value and parts == {}


def test_a_large_export_is_cut_into_parts_that_fit_and_lose_nothing():
    value = {"schema": 1, "generated": "x", "participants": participants(2000), "problems": []}
    head, parts = split_export(value, "participants", lambda n: f"P/{n}.json", max_bytes=50_000)
    assert len(parts) > 1
    assert head["parts"] == list(parts) and head["participants_count"] == 2000
    assert "participants" not in head and head["problems"] == []
    for part in parts.values():
        assert len(json.dumps(part, indent=4).encode()) <= 50_000
    joined = [p for part in parts.values() for p in part["participants"]]
    assert joined == value["participants"]
