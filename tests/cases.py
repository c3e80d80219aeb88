"""The data-driven cases: one reader for every file of cases under tests/data/.

A file holds several cases on one subject.  Each case starts with a line
``@@ case <name>`` and reads top to bottom like the wiki would show it::

    # What the file is about (comment lines and blank lines before the first case).

    @@ case moved-by-other
    description: >                  # YAML up to the first block: what the case is about
      Bob moves Amina's page ...    # (required), and the settings of the run
    trusted: [Coordinator]
    @@ page Grants:Knowledge Sharing/Connect/Directory/Ana
    @@ revision 12 by Ana at 2025-05-01T10:00:00Z
    {{Let's Connect/Profile ...}}   <- a block: its head, then its lines up to the next "@@ "
    @@ expect
    problems: [...]                 <- a block whose lines are YAML

    @@ case the-next-case
    ...

Lines starting with ``@@ `` never occur in the wikitext of a case.  The name is what pytest
shows (``test_profile_case[moved-by-other]``) and is unique in its directory.  What the heads of the
blocks mean is the business of each test module (tests/unit/test_directory_cases.py for
tests/data/profiles/, tests/unit/test_sessions_cases.py for tests/data/sessions/).

Files of YAML with a list of cases that carry an ``id`` (tests/data/bots/cases.yaml) are read
into the same cases, whose ``meta`` is the whole mapping and which have no blocks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.model import Problem

DATA = Path(__file__).parent / "data"
CASE = "@@ case "
NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class Block:
    """``@@ head`` and the lines up to the next ``@@`` line."""

    head: str
    text: str
    line: int

    def yaml(self) -> Any:
        return yaml.safe_load(self.text)


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    line: int
    meta: dict[str, Any]
    blocks: tuple[Block, ...] = field(default=())

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(DATA.parent.parent)}:{self.line}"

    def __str__(self) -> str:
        return f"{self.name} ({self.where})"


def read_cases(path: Path) -> list[Case]:
    """Every case of a file, in file order."""
    if path.suffix == ".yaml":
        return _read_yaml(path)
    cases: list[Case] = []
    name, start = "", 0
    meta: list[str] = []
    blocks: list[tuple[str, int, list[str]]] = []

    def close() -> None:
        if not name:
            return
        where = f"{path.name}:{start}"
        values = yaml.safe_load("".join(f"{line}\n" for line in meta)) or {}
        assert isinstance(values, dict), f"{where}: the lines after {CASE}are YAML settings"
        assert values.get("description"), f"{where}: say what the case is about"
        cases.append(Case(name, path, start, values, tuple(
            Block(head, "\n".join(lines).strip("\n"), line) for head, line, lines in blocks)))

    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith(CASE):
            close()
            name, start, meta, blocks = line[len(CASE):].strip(), number, [], []
            assert NAME.fullmatch(name), f"{path.name}:{number}: a name in lower-case-words"
        elif not name:
            assert not line.strip() or line.startswith("#"), \
                f"{path.name}:{number}: only comments before the first {CASE.strip()}"
        elif line.startswith("@@ "):
            blocks.append((line[3:].strip(), number, []))
        elif blocks:
            blocks[-1][2].append(line)
        else:
            meta.append(line)
    close()
    return cases


def _read_yaml(path: Path) -> list[Case]:
    listed = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
    return [Case(str(case["id"]), path, number, case) for number, case in enumerate(listed, 1)]


def load(subject: str, pattern: str = "*.txt") -> list[Case]:
    """Every case of tests/data/<subject>/, file by file; names are unique."""
    cases = [c for path in sorted((DATA / subject).glob(pattern)) for c in read_cases(path)]
    seen: dict[str, Case] = {}
    for case in cases:
        assert case.name not in seen, f"{case} has the name of {seen[case.name]}"
        seen[case.name] = case
    return cases


def params(cases: Iterable[Case]) -> list[Any]:
    """The cases for ``pytest.mark.parametrize``, each shown by its name."""
    return [pytest.param(case, id=case.name) for case in cases]


def counts(cases: Iterable[Case]) -> dict[str, int]:
    """How many cases each file holds."""
    found: dict[str, int] = {}
    for case in cases:
        found[case.path.name] = found.get(case.path.name, 0) + 1
    return found


# --- comparing what a job made with what a case expects -------------------------------------------


def problem_matches(problem: Problem, expected: dict[str, Any]) -> bool:
    """Every expected field equal, except ``message``, which only has to contain the text."""
    for key, want in expected.items():
        got = getattr(problem, key)
        if key == "message":
            if str(want) not in got:
                return False
        elif got != str(want):
            return False
    return True


def wrong_problems(found: Iterable[Problem], expected: Iterable[dict[str, Any]]) -> list[str]:
    """Every expected problem found, in any order, and no other."""
    unmatched = list(found)
    wrong = []
    for want in expected:
        match = next((p for p in unmatched if problem_matches(p, want)), None)
        if match is None:
            wrong.append(f"problem expected but not found: {want}")
        else:
            unmatched.remove(match)
    return wrong + [f"problem not expected: {p.code} {p.user!r} {p.field!r} {p.value!r}: "
                    f"{p.message}" for p in unmatched]


def plain(item: Any, key: str) -> Any:
    """An attribute as a case writes it: tuples as lists."""
    value = getattr(item, key)
    return list(value) if isinstance(value, tuple) else value


def wrong_items(kind: str, found: Sequence[Any], expected: Sequence[dict[str, Any]],
                value: Callable[[Any, str], Any] = plain, label: str = "title") -> list[str]:
    """As many items as expected, in order, each with the expected value of every key given
    (a value YAML read as a date or a number matches the same text)."""
    if len(found) != len(expected):
        shown = [getattr(f, label, None) or getattr(f, "name", None) or f for f in found]
        return [f"{kind}: expected {len(expected)}, got {len(found)}: {shown}"]
    wrong = []
    for number, (item, want) in enumerate(zip(found, expected, strict=True)):
        for key, written in want.items():
            got = value(item, key)
            if got != (str(written) if isinstance(got, str) and written is not None else written):
                wrong.append(f"{kind}[{number}].{key}: expected {written!r}, got {got!r}")
    return wrong
