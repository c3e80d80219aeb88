"""The fast tier (``scripts/test --fast``) leaves out what tests/conftest.py marks slow.

A name in ``SLOW`` that no longer names a test would put a slow test back into the fast
tier without a word; the full run has every test whatever the marks.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests import conftest

ROOT = Path(__file__).resolve().parents[2]


def test_every_test_named_slow_exists() -> None:
    for where, names in conftest.SLOW.items():
        tree = ast.parse((ROOT / where).read_text(encoding="utf-8"))
        defined = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
        assert names <= defined, f"{where}: no test named {sorted(names - defined)}"


def test_the_fuzz_tests_are_slow_and_the_case_tests_are_not() -> None:
    fuzz = sorted((ROOT / "tests" / "fuzz").glob("test_*.py"))
    assert fuzz and all(conftest.slow(path, ROOT, "test_anything") for path in fuzz)
    unit = ROOT / "tests" / "unit"
    assert conftest.slow(unit / "test_matching.py", ROOT,
                         "test_thousands_of_random_rounds_keep_every_rule")
    assert not conftest.slow(unit / "test_matching.py", ROOT, "test_json_shapes")
    assert not conftest.slow(unit / "test_directory_cases.py", ROOT, "test_profile_case")
    assert not conftest.slow(Path("/elsewhere/test_x.py"), ROOT, "test_x")
