"""Data-driven cases for the four session templates: one file per case in tests/data/sessions/.

A case file reads top to bottom like the wiki would show it:

    ---
    description: what the case is about (required)
    now: 2026-11-01T00:00:00Z            # the run's clock
    missing: [File:Lost.pdf]              # optional; linked titles the wiki does not have
    known_groups: [2026-11-001]           # optional; published coffee groups
    ---
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
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.model import PageData, Revision
from bot.sessions.build import Link, SessionLog, build_log, outcome_statuses
from bot.sessions.pages import (
    render_calendar,
    render_resources,
    render_resources_export,
    render_session_problems,
    render_sessions_export,
)
from bot.taxonomy import Taxonomy
from tests.unit.case_helpers import problem_matches

CASES = sorted((Path(__file__).parent.parent / "data" / "sessions").glob("*.txt"))
DEFAULT_SAVED = "2025-01-01T00:00:00Z"


class Case:
    def __init__(self, path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        self.meta: dict[str, Any] = yaml.safe_load(front) or {}
        assert self.meta.get("description"), f"{path.name}: say what the case is about"
        self.pages: list[PageData] = []
        self.expect: dict[str, Any] = {}
        self.preview: list[str] = []
        self._read_body(body)
        assert "problems" in self.expect, path.name

    def _read_body(self, body: str) -> None:
        blocks: list[tuple[str, list[str]]] = []
        for line in body.splitlines():
            if line.startswith("@@ "):
                blocks.append((line[3:].strip(), []))
            elif blocks:
                blocks[-1][1].append(line)
        saved = DEFAULT_SAVED
        for head, lines in blocks:
            content = "\n".join(lines).strip("\n")
            if head.startswith("page "):
                saved = DEFAULT_SAVED
                self.pages.append(PageData(head[5:].strip(), (Revision(1, "Someone", saved,
                                                                       content),)))
            elif head.startswith("saved "):
                saved = head[6:].strip()
                last = self.pages[-1]
                self.pages[-1] = PageData(last.title, (Revision(1, "Someone", saved, content),))
            elif head == "expect":
                self.expect = yaml.safe_load(content) or {}
            elif head == "preview":
                self.preview = yaml.safe_load(content) or []

    def run(self, taxonomy: Taxonomy, pages: list[PageData] | None = None) -> SessionLog:
        known = self.meta.get("known_groups")
        return build_log(
            pages if pages is not None else self.pages, taxonomy,
            now=datetime.fromisoformat(str(self.meta["now"]).replace("Z", "+00:00")),
            missing_titles=self.meta.get("missing", []),
            known_groups=None if known is None else [str(g) for g in known],
        )


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return Taxonomy.load()


def _value(item: Any, key: str) -> Any:
    if key.endswith("_kind"):
        return getattr(item, key[: -len("_kind")]).kind
    value = getattr(item, key)
    if isinstance(value, Link):
        return value.target
    if isinstance(value, tuple):
        return list(value)
    return value


def _wrong(kind: str, found: tuple, expected: list[dict[str, Any]]) -> list[str]:
    if len(found) != len(expected):
        shown = [getattr(f, "title", None) or getattr(f, "name", None) or f for f in found]
        return [f"{kind}: expected {len(expected)}, got {len(found)}: {shown}"]
    wrong = []
    for number, (item, want) in enumerate(zip(found, expected, strict=True)):
        for key, value in want.items():
            got = _value(item, key)
            if got != (str(value) if isinstance(got, str) and value is not None else value):
                wrong.append(f"{kind}[{number}].{key}: expected {value!r}, got {got!r}")
    return wrong


def test_there_are_cases() -> None:
    assert len(CASES) >= 12


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case(path: Path, taxonomy: Taxonomy) -> None:
    case = Case(path)
    log = case.run(taxonomy)
    wrong: list[str] = []
    for kind in ("sessions", "resources", "outcomes", "spaces"):
        if kind in case.expect:
            wrong += _wrong(kind, getattr(log, kind), case.expect[kind] or [])
    if "statuses" in case.expect:
        want = {str(k): v for k, v in (case.expect["statuses"] or {}).items()}
        if outcome_statuses(log.outcomes) != want:
            wrong.append(f"statuses: expected {want}, got {outcome_statuses(log.outcomes)}")
    unmatched = list(log.problems)
    for expected in case.expect["problems"] or []:
        found = next((p for p in unmatched if problem_matches(p, expected)), None)
        if found is None:
            wrong.append(f"problem expected but not found: {expected}")
        else:
            unmatched.remove(found)
    wrong += [f"problem not expected: {p.code} {p.field!r} {p.value!r}: {p.message}"
              for p in unmatched]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case_output_does_not_depend_on_page_order(path: Path, taxonomy: Taxonomy) -> None:
    case = Case(path)
    forward = case.run(taxonomy)
    backward = case.run(taxonomy, list(reversed(case.pages)))
    assert forward == backward
    now = datetime.fromisoformat(str(case.meta["now"]).replace("Z", "+00:00"))
    assert render_resources(forward, taxonomy) == render_resources(backward, taxonomy)
    assert render_calendar(forward, taxonomy, now) == render_calendar(backward, taxonomy, now)
    assert render_session_problems(forward) == render_session_problems(backward)
    assert render_sessions_export(forward, "t") == render_sessions_export(backward, "t")
    assert render_resources_export(forward, "t") == render_resources_export(backward, "t")
