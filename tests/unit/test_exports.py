"""Large JSON exports are cut into parts that each fit in a wiki page."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.exports import CONTINUED, join_collections, split_collections, split_export


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


# ------------------------------------------------------------------ state pages in parts

def notices_state(sent: int, sections: int) -> dict:
    """Shaped like the notify job's state: records by id, a list of sections, small rest."""
    return {
        "schema": 1,
        "sent": {f"match:{i:016x}": {"user": f"User {i}", "kind": "match", "date": "2026-12-01"}
                 for i in range(sent)},
        "sections": [{"user": f"User {i}", "items": [f"match:{i:016x}"],
                      "stamp": f"2026-12-01T{i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d}Z"}
                     for i in range(sections)],
        "waiting": {"x": {"user": "Someone"}},
        "closed": {},
    }


def match_state(groups: int) -> dict:
    """Shaped like the match job's state: rounds of groups, one list per round."""
    return {"schema": 1, "rounds": {
        "2026-11": {"groups": [{"id": "2026-11-001", "learners": ["A"]}]},
        "2026-12": {"groups": [{"id": f"2026-12-{i:03d}", "learners": [f"User {i}"] * 3}
                               for i in range(groups)]},
    }}


def stored_size(value) -> int:
    return len(json.dumps(value, ensure_ascii=False, indent=4).encode())


def canonical(value) -> str:
    return json.dumps(value, sort_keys=True)


def split(value, max_bytes):
    return split_collections(value, lambda n: f"S/{n}.json", max_bytes)


@pytest.mark.parametrize("value", [
    notices_state(3000, 2000), notices_state(10, 4000), notices_state(4000, 0),
    match_state(3000), {"schema": 1, "inputs": {f"Page {i}": i for i in range(6000)}},
], ids=["notices", "sections", "sent", "rounds", "inputs"])
def test_a_large_state_is_cut_into_parts_that_fit_and_join_to_the_same_value(value):
    head, parts = split(value, 60_000)
    assert len(parts) > 1 and head[CONTINUED] == list(parts)
    assert all(stored_size(page) <= 60_000 for page in (head, *parts.values()))
    joined = join_collections(head, list(parts.values()))
    assert canonical(joined) == canonical(value)
    assert joined.get("sections") == value.get("sections")  # lists keep their order
    assert joined.get("rounds") == value.get("rounds")


def test_a_state_that_fits_stays_on_one_page():
    value = notices_state(20, 20)
    assert split(value, 60_000) == (value, {})


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(
    st.text(min_size=1, max_size=8),
    st.one_of(st.integers(), st.text(max_size=30),
              st.lists(st.dictionaries(st.text(max_size=5), st.text(max_size=40), max_size=4),
                       max_size=60, unique_by=lambda item: json.dumps(item, sort_keys=True)),
              st.dictionaries(st.text(max_size=12), st.lists(st.integers(), max_size=20),
                              max_size=60)),
    max_size=6))
def test_any_state_joins_back_to_itself(value):
    """Any value whose lists hold distinct items (a state's records are)."""
    head, parts = split(value, 3_000)
    joined = join_collections(head, list(parts.values()))
    assert canonical(joined) == canonical(value)
    for key, kept in value.items():
        if isinstance(kept, list):
            assert joined[key] == kept


def changed_parts(before: dict, after: dict) -> list[str]:
    return [t for t in set(before) | set(after) if before.get(t) != after.get(t)]


def test_one_more_entry_changes_one_part_and_one_more_section_the_last():
    value = notices_state(3000, 2000)
    head, parts = split(value, 60_000)
    value["sent"]["match:ffffffffffffffff"] = {"user": "New", "kind": "match"}
    head2, parts2 = split(value, 60_000)
    assert head2 == head and len(changed_parts(parts, parts2)) == 1
    value["sections"].append({"user": "New", "stamp": "2026-12-31T00:00:00Z", "items": []})
    _, parts3 = split(value, 60_000)
    assert changed_parts(parts2, parts3) in ([list(parts3)[-1]], [list(parts2)[-1]])


def test_parts_saved_by_a_run_that_stopped_before_the_head_lose_nothing():
    """A run saves the parts first and the page that names them last; stopped in between,
    the next run reads the old head with the newer parts and still knows every notice."""
    old = notices_state(3000, 2000)
    old_head, _ = split(old, 60_000)
    new = notices_state(3000, 2000)
    new["sent"]["match:ffffffffffffffff"] = {"user": "New", "kind": "match"}
    new["sections"].append({"user": "New", "stamp": "2026-12-31T00:00:00Z", "items": []})
    new_head, new_parts = split(new, 60_000)
    assert new_head[CONTINUED] == old_head[CONTINUED]
    joined = join_collections(old_head, list(new_parts.values()))
    assert canonical(joined) == canonical(new)
