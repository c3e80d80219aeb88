"""Data-driven directory cases: tests/data/profiles/*.txt, several cases a file.

The reader and the file format are in tests/cases.py.  A case of the directory:

    @@ case edited-by-other
    description: what the case is about (required)
    now: 2025-06-01T00:00:00Z      # optional; the run's clock
    trusted: [Coordinator]          # optional; working-group members
    blocked: [Vandal]               # optional; blocked accounts
    missing_users: [Ghost]          # optional; accounts that do not exist
    invalid_users: [Bad]            # optional; names the wiki refuses as user names
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
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest

from bot.directory.build import Directory, build_directory
from bot.directory.pages import render_by_skill, render_directory, render_export, render_problems
from bot.directory.settings import DirectorySettings
from bot.model import PageData, Revision
from bot.taxonomy import Taxonomy
from tests import cases
from tests.cases import Case

CASES = cases.load("profiles")
DEFAULT_NOW = "2025-06-01T00:00:00+00:00"
#: How many cases each file holds: a case the reader missed fails here.
PER_FILE = {"fields.txt": 5, "markup.txt": 3, "ownership.txt": 11, "status.txt": 5}


class ProfileCase:
    """A case of tests/data/profiles/: the pages, their revisions, and what to expect."""

    def __init__(self, case: Case) -> None:
        self.case, self.meta = case, case.meta
        self.pages: list[PageData] = []
        self.expect: dict[str, Any] = {}
        title: str | None = None
        revisions: list[Revision] = []
        for block in case.blocks:
            if block.head.startswith("page "):
                if title is not None:
                    self.pages.append(PageData(title, tuple(revisions)))
                title, revisions = block.head[len("page "):].strip(), []
            elif block.head.startswith("revision "):
                revisions.append(revision(block.head, block.text))
            elif block.head == "expect":
                self.expect = block.yaml() or {}
            else:
                raise AssertionError(f"{case.path.name}:{block.line}: @@ {block.head}?")
        if title is not None:
            self.pages.append(PageData(title, tuple(revisions)))
        assert "participants" in self.expect and "problems" in self.expect, str(case)

    def run(self, taxonomy: Taxonomy) -> Directory:
        now = datetime.fromisoformat(str(self.meta.get("now", DEFAULT_NOW)))
        settings = DirectorySettings(trusted=frozenset(self.meta.get("trusted", [])))
        return build_directory(
            self.pages, taxonomy, settings, now=now, blocked=self.meta.get("blocked", []),
            missing_users=self.meta.get("missing_users", []),
            invalid_users=self.meta.get("invalid_users", []),
        )

    def wrong(self, taxonomy: Taxonomy) -> list[str]:
        """What the directory made of the pages and the case does not expect."""
        directory = self.run(taxonomy)
        return (cases.wrong_items("participants", directory.profiles,
                                  self.expect["participants"] or [], label="user")
                + cases.wrong_problems(directory.problems, self.expect["problems"] or []))


def revision(head: str, text: str) -> Revision:
    """``revision 12 by Ana at T``, or a null revision ``…, text by Amina at T0``."""
    head, _, source = head.partition(", text by ")
    revid, rest = head[len("revision "):].split(" by ", 1)
    user, timestamp = rest.rsplit(" at ", 1)
    made = Revision(int(revid), user.strip(), timestamp.strip(), text)
    if source:  # a null revision (a move): the text is someone else's
        author, written = source.rsplit(" at ", 1)
        made = replace(made, author=author.strip(), authored=written.strip())
    return made


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return Taxonomy.load()


def test_every_case_is_read() -> None:
    assert cases.counts(CASES) == PER_FILE


def test_a_changed_expectation_fails(taxonomy: Taxonomy) -> None:
    """The check can fail: one value, one participant or one problem off is reported."""
    case = ProfileCase(next(c for c in CASES if c.name == "moved-by-other"))
    assert not case.wrong(taxonomy)
    first = case.expect["participants"][0]
    case.expect["participants"][0] = {**first, "timestamp": "2025-05-20T10:00:00Z"}
    assert case.wrong(taxonomy) == ["participants[0].timestamp: expected '2025-05-20T10:00:00Z', "
                                    "got '2025-05-01T10:00:00Z'"]
    case.expect["participants"][0] = first
    case.expect["problems"].append({"code": "stale"})
    assert case.wrong(taxonomy) == ["problem expected but not found: {'code': 'stale'}"]
    case.expect["problems"] = []
    assert case.wrong(taxonomy)[0].startswith("problem not expected: moved-profile")


@pytest.mark.parametrize("case", cases.params(CASES))
def test_profile_case(case: Case, taxonomy: Taxonomy) -> None:
    wrong = ProfileCase(case).wrong(taxonomy)
    assert not wrong, f"{case}\n" + "\n".join(wrong)


@pytest.mark.parametrize("case", cases.params(CASES))
def test_profile_case_output_does_not_depend_on_page_order(case: Case,
                                                           taxonomy: Taxonomy) -> None:
    profiles = ProfileCase(case)
    forward = profiles.run(taxonomy)
    profiles.pages.reverse()
    backward = profiles.run(taxonomy)
    assert forward == backward
    for render in (render_directory, render_by_skill, render_problems):
        assert render(forward, taxonomy) == render(backward, taxonomy)
    assert render_export(forward, "t") == render_export(backward, "t")
