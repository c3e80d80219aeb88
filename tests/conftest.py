"""Hooks for the whole suite.

``LETSCONNECT_NO_SKIPS=1`` (``scripts/test`` sets it) turns every skipped test
into a failure that gives the skip's reason: a missing ``lua5.1`` or browser
once hid 20 tests behind ``-q``, and a run that says "passed" must have run
everything.  Run by hand without it, pytest skips as usual and says why.

The ``slow`` mark (``scripts/test --fast`` runs ``-m "not slow"``) is on every test of
tests/fuzz/ and on the tests named in ``SLOW``: each takes seconds (long seeded or property
runs, a reader's time limit), and together they would keep the fast tier from finishing in
under a minute.  They are left out there, never skipped, and the full run has them all.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

NO_SKIPS = "LETSCONNECT_NO_SKIPS"
#: Tests that take seconds each, by file (relative to the repository) and function name;
#: a new one is better marked ``@pytest.mark.slow`` where it is written.
SLOW = {
    "tests/unit/test_matching.py": {
        "test_never_fewer_than_the_greedy_baseline_on_1000_rounds",
        "test_thousands_of_random_rounds_keep_every_rule",
        "test_rounds_too_large_for_one_model_are_solved_in_chunks",
        "test_tiny_rounds_are_optimal_against_brute_force",
        "test_seeded_tiny_rounds_are_optimal_against_brute_force",
    },
    "tests/unit/test_guard.py": {
        "test_unclosed_markup_is_refused_and_named",
        "test_an_unreadable_profile_is_reported_and_the_others_are_listed",
        "test_an_unreadable_session_log_is_reported_and_the_others_are_read",
    },
}
SLOW_DIRECTORIES = ("tests/fuzz",)


def slow(path: Path, root: Path, name: str) -> bool:
    """Whether the test ``name`` of the file at ``path`` belongs to the slow tier."""
    try:
        where = path.relative_to(root).as_posix()
    except ValueError:
        return False
    return name in SLOW.get(where, ()) or where.startswith(
        tuple(f"{d}/" for d in SLOW_DIRECTORIES))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        name = getattr(item, "originalname", item.name)
        if slow(item.path, config.rootpath, name):
            item.add_marker(pytest.mark.slow)


def _no_skips() -> bool:
    return os.environ.get(NO_SKIPS, "") not in {"", "0"}


def _reason(report: pytest.CollectReport | pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:  # (file, line, "Skipped: why")
        return str(longrepr[2])
    return str(longrepr)


def _fail(report: pytest.CollectReport | pytest.TestReport) -> None:
    report.outcome = "failed"
    report.longrepr = (
        f"skipped, and {NO_SKIPS}=1 allows no skip: {_reason(report)}\n"
        "Install what is missing (scripts/setup, scripts/install-browser) and run again."
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if _no_skips() and report.skipped and not hasattr(report, "wasxfail"):
        _fail(report)
    return report


#: Modules skipped whole (``pytest.importorskip``): failing their collection would stop
#: the run, so they are reported at the end and fail the session instead.
_skipped_modules: list[str] = []


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if _no_skips() and report.skipped:
        _skipped_modules.append(f"{report.nodeid}: {_reason(report)}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _skipped_modules and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter) -> None:
    if _skipped_modules:
        terminalreporter.section(f"skipped modules ({NO_SKIPS}=1 allows no skip)", red=True)
        for line in _skipped_modules:
            terminalreporter.line(line, red=True)
        terminalreporter.line("Install what is missing (scripts/setup, scripts/install-browser) "
                              "and run again.")
