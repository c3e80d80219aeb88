"""Data-driven directory cases: one file per case in tests/data/profiles/.

A case file reads top to bottom like the wiki would show it:

    ---
    description: what the case is about (required)
    now: 2025-06-01T00:00:00Z      # optional; the run's clock
    trusted: [Coordinator]          # optional; working-group members
    blocked: [Vandal]               # optional; blocked accounts
    missing_users: [Ghost]          # optional; accounts that do not exist
    invalid_users: [Bad]            # optional; names the wiki refuses as user names
    ---
    @@ page Grants:Knowledge Sharing/Connect/Directory/Ana
    @@ revision 12 by Ana at 2025-05-01T10:00:00Z
    {{Let's Connect/Profile ... }}          <- the wikitext of that revision
    @@ revision 11 by Ana at 2025-04-01T10:00:00Z
    ...                                      (revisions newest first, as the wiki edge gives them)
    @@ revision 13 by Bob at 2025-05-02T10:00:00Z, text by Ana at 2025-05-01T10:00:00Z
                                             (a null revision: Bob moved the page; Ana wrote it)
    @@ expect
    participants:       # every profile, in directory order; only the keys given are checked
      - {user: Ana, status: active, share: [wikidata-basics]}
    problems:           # every problem, any order; only the keys given are checked,
      - {code: unknown-skill, field: share, value: Budgetting, message: "Did you mean"}
                        # "message" is a part of the message, the rest must be equal

Lines starting with ``@@`` never occur in the wikitext of a case.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.directory.build import Directory, DirectorySettings, build_directory
from bot.directory.pages import render_by_skill, render_directory, render_export, render_problems
from bot.model import PageData, Profile, Revision
from bot.taxonomy import Taxonomy
from tests.unit.case_helpers import problem_matches

CASES = sorted((Path(__file__).parent.parent / "data" / "profiles").glob("*.txt"))
DEFAULT_NOW = "2025-06-01T00:00:00+00:00"


class Case:
    def __init__(self, path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        self.meta: dict[str, Any] = yaml.safe_load(front) or {}
        assert self.meta.get("description"), f"{path.name}: say what the case is about"
        self.pages: list[PageData] = []
        self.expect: dict[str, Any] = {}
        self._read_body(body, path.name)

    def _read_body(self, body: str, name: str) -> None:
        title: str | None = None
        revisions: list[Revision] = []
        head: str | None = None
        lines: list[str] = []

        def flush() -> None:
            nonlocal revisions
            if head is None:
                return
            if head.startswith("revision "):
                head_, _, source = head.partition(", text by ")
                revid, rest = head_[len("revision "):].split(" by ", 1)
                user, timestamp = rest.rsplit(" at ", 1)
                revision = Revision(int(revid), user.strip(), timestamp.strip(),
                                    "\n".join(lines).strip("\n"))
                if source:  # a null revision (a move): the text is someone else's
                    author, written = source.rsplit(" at ", 1)
                    revision = replace(revision, author=author.strip(), authored=written.strip())
                revisions.append(revision)
            elif head == "expect":
                self.expect = yaml.safe_load("\n".join(lines)) or {}

        def close_page() -> None:
            nonlocal revisions
            if title is not None:
                self.pages.append(PageData(title, tuple(revisions)))
            revisions = []

        for line in body.splitlines():
            if line.startswith("@@ "):
                flush()
                head, lines = line[3:].strip(), []
                if head.startswith("page "):
                    close_page()
                    title = head[len("page "):].strip()
                    head = None
                continue
            lines.append(line)
        flush()
        close_page()
        assert "participants" in self.expect and "problems" in self.expect, name

    def settings(self) -> DirectorySettings:
        return DirectorySettings(trusted=frozenset(self.meta.get("trusted", [])))

    def run(self, taxonomy: Taxonomy) -> Directory:
        now = datetime.fromisoformat(str(self.meta.get("now", DEFAULT_NOW)))
        return build_directory(
            self.pages, taxonomy, self.settings(), now=now,
            blocked=self.meta.get("blocked", []), missing_users=self.meta.get("missing_users", []),
            invalid_users=self.meta.get("invalid_users", []),
        )


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return Taxonomy.load()


def _profile_matches(profile: Profile, expected: dict[str, Any]) -> list[str]:
    wrong = []
    for key, want in expected.items():
        got = getattr(profile, key)
        got = list(got) if isinstance(got, tuple) else got
        if got != want:
            wrong.append(f"{profile.user}.{key}: expected {want!r}, got {got!r}")
    return wrong


def test_there_are_cases() -> None:
    assert len(CASES) >= 12


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case(path: Path, taxonomy: Taxonomy) -> None:
    case = Case(path)
    directory = case.run(taxonomy)

    expected_people = case.expect["participants"] or []
    assert [p.user for p in directory.profiles] == [e["user"] for e in expected_people]
    wrong = [w for p, e in zip(directory.profiles, expected_people, strict=True)
             for w in _profile_matches(p, e)]
    assert not wrong, "\n".join(wrong)

    unmatched = list(directory.problems)
    missing = []
    for expected in case.expect["problems"] or []:
        found = next((p for p in unmatched if problem_matches(p, expected)), None)
        if found is None:
            missing.append(expected)
        else:
            unmatched.remove(found)
    report = [f"expected but not found: {m}" for m in missing]
    report += [f"not expected: {p.code} {p.user!r} {p.field!r} {p.value!r}: {p.message}"
               for p in unmatched]
    assert not report, "\n".join(report)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case_output_does_not_depend_on_page_order(path: Path, taxonomy: Taxonomy) -> None:
    case = Case(path)
    forward = case.run(taxonomy)
    case.pages.reverse()
    backward = case.run(taxonomy)
    assert forward == backward
    for render in (render_directory, render_by_skill, render_problems):
        assert render(forward, taxonomy) == render(backward, taxonomy)
    assert render_export(forward, "t") == render_export(backward, "t")
