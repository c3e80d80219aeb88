"""The fast tier (``scripts/test --fast``) leaves out the tests marked slow.

The full run has every test whatever the marks; these check that the marks fall where the
fast tier needs them.
"""

from __future__ import annotations

from pathlib import Path

from tests import conftest
from tests.unit import test_guard, test_matching

ROOT = Path(__file__).resolve().parents[2]


def _marked_slow(function: object) -> bool:
    return any(mark.name == "slow" for mark in getattr(function, "pytestmark", []))


def test_the_fuzz_tests_are_slow_and_the_others_are_not_by_place() -> None:
    fuzz = sorted((ROOT / "tests" / "fuzz").glob("test_*.py"))
    assert fuzz and all(conftest.in_slow_directory(path, ROOT) for path in fuzz)
    unit = ROOT / "tests" / "unit"
    assert not conftest.in_slow_directory(unit / "test_matching.py", ROOT)
    assert not conftest.in_slow_directory(Path("/elsewhere/test_x.py"), ROOT)


def test_the_long_runs_are_marked_where_they_are_written() -> None:
    assert _marked_slow(test_matching.test_thousands_of_random_rounds_keep_every_rule)
    assert _marked_slow(test_guard.test_unclosed_markup_is_refused_and_named)
    assert not _marked_slow(test_matching.test_json_shapes)
