"""Data-driven cases for the four session templates: tests/data/sessions/*.txt, several a file.

The reader and the file format are in tests/cases.py.  A case of the session log:

    @@ case budget-clinic
    description: what the case is about (required)
    now: 2026-11-01T00:00:00Z            # the run's clock
    missing: [File:Lost.pdf]              # optional; linked titles the wiki does not have
    known_groups: [2026-11-001]           # optional; published coffee groups
    @@ page Grants:Knowledge Sharing/Connect/Sessions/2026-10 Budget clinic
    @@ saved 2026-10-20T10:00:00Z         # optional; when the page was last saved
    {{Let's Connect/Session|...}}          <- the page's wikitext (default save: 2025-01-01)
    @@ expect
    sessions: [...]    # every session, in calendar order; only the keys given are checked
    resources: [...]   # every resource, newest first
    outcomes: [...]    # every outcome counted
    spaces: [...]      # every space, by name
    statuses: {...}    # outcome_statuses()
    problems: [...]    # every problem, any order; "message" is a part of the message
    @@ preview
    - "text"           # what the template preview box shows for the first page
                       # (checked on the real wiki by tests/integration/test_sessions.py)

A list left out of ``expect`` is not checked; ``problems`` is always checked.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from bot.i18n import LANGUAGES
from bot.model import PageData, Revision
from bot.sessions.build import build_log, outcome_statuses
from bot.sessions.model import Link, SessionLog
from bot.sessions.pages import (
    render_calendar,
    render_resources,
    render_resources_export,
    render_session_problems,
    render_sessions_export,
)
from bot.taxonomy import Taxonomy
from tests import cases

SESSION_CASES = cases.load("sessions")
DEFAULT_SAVED = "2025-01-01T00:00:00Z"
#: How many cases each file holds: a case the reader missed fails here.
PER_FILE = {"dates.txt": 3, "fields.txt": 4, "outcomes.txt": 1, "resources.txt": 4,
            "spaces.txt": 1}


class SessionCase:
    """A case of tests/data/sessions/: the pages, what to expect, what the preview shows."""

    def __init__(self, case: cases.Case) -> None:
        self.case, self.meta = case, case.meta
        self.pages: list[PageData] = []
        self.expect: dict[str, Any] = {}
        self.preview: list[str] = []
        for block in case.blocks:
            if block.head.startswith("page "):
                self.pages.append(page(block.head[5:].strip(), DEFAULT_SAVED, block.text))
            elif block.head.startswith("saved "):
                self.pages[-1] = page(self.pages[-1].title, block.head[6:].strip(), block.text)
            elif block.head == "expect":
                self.expect = block.yaml() or {}
            elif block.head == "preview":
                self.preview = block.yaml() or []
            else:
                raise AssertionError(f"{case.path.name}:{block.line}: @@ {block.head}?")
        assert "problems" in self.expect, str(case)

    @property
    def now(self) -> datetime:
        return datetime.fromisoformat(str(self.meta["now"]).replace("Z", "+00:00"))

    def run(self, taxonomy: Taxonomy, pages: list[PageData] | None = None) -> SessionLog:
        known = self.meta.get("known_groups")
        return build_log(
            pages if pages is not None else self.pages, taxonomy, now=self.now,
            missing_titles=self.meta.get("missing", []),
            known_groups=None if known is None else [str(g) for g in known],
        )

    def wrong(self, taxonomy: Taxonomy) -> list[str]:
        """What the session log made of the pages and the case does not expect."""
        log = self.run(taxonomy)
        wrong: list[str] = []
        for kind in ("sessions", "resources", "outcomes", "spaces"):
            if kind in self.expect:
                wrong += cases.wrong_items(kind, getattr(log, kind), self.expect[kind] or [],
                                           value)
        if "statuses" in self.expect:
            want = {str(k): v for k, v in (self.expect["statuses"] or {}).items()}
            if outcome_statuses(log.outcomes) != want:
                wrong.append(f"statuses: expected {want}, got {outcome_statuses(log.outcomes)}")
        return wrong + cases.wrong_problems(log.problems, self.expect["problems"] or [])


def page(title: str, saved: str, text: str) -> PageData:
    return PageData(title, (Revision(1, "Someone", saved, text),))


def value(item: Any, key: str) -> Any:
    """``link_kind`` is the kind of ``link``; a link is its target."""
    if key.endswith("_kind"):
        return getattr(item, key[: -len("_kind")]).kind
    found = cases.plain(item, key)
    return found.target if isinstance(found, Link) else found


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return Taxonomy.load()


def test_every_case_is_read() -> None:
    assert cases.counts(SESSION_CASES) == PER_FILE


def test_a_changed_expectation_fails(taxonomy: Taxonomy) -> None:
    """The check can fail: one value, one session or one problem off is reported."""
    case = SessionCase(next(c for c in SESSION_CASES if c.name == "session-complete"))
    assert not case.wrong(taxonomy)
    case.expect["sessions"][0]["participants"] = 24
    assert case.wrong(taxonomy) == ["sessions[0].participants: expected 24, got 23"]
    case.expect["sessions"].append({"title": "Another"})
    assert case.wrong(taxonomy)[0].startswith("sessions: expected 2, got 1")
    case.expect = {"problems": [{"code": "no-date"}]}
    assert case.wrong(taxonomy) == ["problem expected but not found: {'code': 'no-date'}"]


@pytest.mark.parametrize("case", cases.params(SESSION_CASES))
def test_session_case(case: cases.Case, taxonomy: Taxonomy) -> None:
    wrong = SessionCase(case).wrong(taxonomy)
    assert not wrong, f"{case}\n" + "\n".join(wrong)


@pytest.mark.parametrize("case", cases.params(SESSION_CASES))
def test_session_case_output_does_not_depend_on_page_order(case: cases.Case,
                                                           taxonomy: Taxonomy) -> None:
    sessions = SessionCase(case)
    forward = sessions.run(taxonomy)
    backward = sessions.run(taxonomy, list(reversed(sessions.pages)))
    assert forward == backward
    now = sessions.now
    for lang in LANGUAGES:
        assert (render_resources(forward, taxonomy, lang)
                == render_resources(backward, taxonomy, lang))
        assert (render_calendar(forward, taxonomy, now, lang)
                == render_calendar(backward, taxonomy, now, lang))
        assert (render_session_problems(forward, lang=lang)
                == render_session_problems(backward, lang=lang))
    assert render_sessions_export(forward, "t") == render_sessions_export(backward, "t")
    assert render_resources_export(forward, "t") == render_resources_export(backward, "t")
