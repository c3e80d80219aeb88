"""``LETSCONNECT_NO_SKIPS=1`` (set by scripts/test) makes every skip fail the run.

A fresh machine without ``lua5.1`` once skipped 20 tests, hidden by ``-q``; the
hook in tests/conftest.py is run here on a small suite of its own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SUITE = {
    "test_some.py": """
import pytest

def test_runs():
    pass

@pytest.mark.skipif(True, reason="lua5.1 is not installed")
def test_needs_lua():
    pass

def test_skips_inside():
    pytest.skip("chromium is missing")

@pytest.mark.xfail(reason="a known bug", strict=True)
def test_known_bug():
    assert False
""",
    "test_module.py": """
import pytest

pytest.importorskip("no_such_package_here", reason="the selenium package is missing")

def test_never_collected():
    pass
""",
}


def run_suite(tmp_path: Path, no_skips: str | None) -> subprocess.CompletedProcess:
    shutil.copy(ROOT / "tests" / "conftest.py", tmp_path / "conftest.py")
    for name, text in SUITE.items():
        (tmp_path / name).write_text(text)
    env = {k: v for k, v in os.environ.items() if k != "LETSCONNECT_NO_SKIPS"}
    if no_skips is not None:
        env["LETSCONNECT_NO_SKIPS"] = no_skips
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir",
         str(tmp_path), str(tmp_path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )


def test_without_the_variable_skips_stay_skips(tmp_path):
    result = run_suite(tmp_path, None)
    assert result.returncode == 0, result.stdout
    assert "1 passed, 3 skipped, 1 xfailed" in result.stdout


def test_with_the_variable_every_skip_fails_and_says_why(tmp_path):
    result = run_suite(tmp_path, "1")
    assert result.returncode == 1, result.stdout
    out = result.stdout
    for reason in ("lua5.1 is not installed", "chromium is missing"):
        assert f"LETSCONNECT_NO_SKIPS=1 allows no skip: Skipped: {reason}" in out, reason
    summary = out.split("short test summary")[-1]
    assert "test_some.py::test_needs_lua" in summary
    assert "test_some.py::test_skips_inside" in summary
    assert "test_known_bug" not in summary  # an expected failure is not a skip
    # A module skipped whole is listed, and the run fails, without stopping the others.
    assert "test_module.py: Skipped: the selenium package is missing" in out
    assert "1 passed" in out


def test_zero_means_off(tmp_path):
    assert run_suite(tmp_path, "0").returncode == 0
