"""Hooks for the whole suite.

``LETSCONNECT_NO_SKIPS=1`` (``scripts/test`` sets it) turns every skipped test
into a failure that gives the skip's reason: a missing ``lua5.1`` or browser
once hid 20 tests behind ``-q``, and a run that says "passed" must have run
everything.  Run by hand without it, pytest skips as usual and says why.

The ``slow`` mark (``scripts/test --fast`` runs ``-m "not slow"``) is put here on every
test of tests/fuzz/, and written with ``@pytest.mark.slow`` on the other tests that take
seconds each (long seeded or property runs, a reader's time limit): together they would keep
the fast tier from finishing in under a minute.  They are left out there, never skipped, and
the full run has them all.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

NO_SKIPS = "LETSCONNECT_NO_SKIPS"
SLOW_DIRECTORIES = ("tests/fuzz",)


def in_slow_directory(path: Path, root: Path) -> bool:
    """Whether the test file at ``path`` is one of those the fast tier leaves out whole."""
    try:
        where = path.relative_to(root).as_posix()
    except ValueError:
        return False
    return where.startswith(tuple(f"{d}/" for d in SLOW_DIRECTORIES))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if in_slow_directory(item.path, config.rootpath):
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
