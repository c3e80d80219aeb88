"""What the data-driven case tests share: reading expected problems the same way."""

from __future__ import annotations

from typing import Any

from bot.model import Problem


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
