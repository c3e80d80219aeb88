"""What matching takes and gives: settings, groups, results, round ids.

The rest of the bot (jobs, notices, stats) works with these; everything else in
``bot.matching`` is internal to computing a round.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypedDict

from bot.model import JSON

#: Context kinds, in the order they are listed in ``Group.context``.
CONTEXT_KINDS = ("region", "country", "area")
DEFAULT_WEIGHTS: Mapping[str, float] = {"region": 3, "country": 2, "area": 1}

#: Reasons a wanted skill stays unplaced, most fundamental first.
REASONS = (
    "no-sharer",  # no other active participant shares the skill
    "no-common-language",  # sharers exist, none speaks a language the learner speaks
    "repeat",  # every sharer who could take them met them for it in recent rounds
    "format",  # the learner only takes part in clinics (formats without 1:1 or group)
    "learner-limit",  # already placed in as many groups as allowed this round
    "sharers-at-capacity",  # possible sharers' groups are all taken this round
)

_ROUND = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class MatchSettings:
    """What the working group may tune; the defaults are the program's own."""

    max_group_size: int = 4  # sharer + up to 3 learners
    learner_groups_per_round: int = 1
    no_repeat_rounds: int = 6
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    time_limit_s: float = 60.0

    def __post_init__(self) -> None:
        if not isinstance(self.max_group_size, int) or self.max_group_size < 2:
            raise ValueError("max_group_size must be a whole number of at least 2")
        if not isinstance(self.learner_groups_per_round, int) or self.learner_groups_per_round < 0:
            raise ValueError("learner_groups_per_round must be a whole number of at least 0")
        if not isinstance(self.no_repeat_rounds, int) or self.no_repeat_rounds < 0:
            raise ValueError("no_repeat_rounds must be a whole number of at least 0")
        if not self.time_limit_s > 0:
            raise ValueError("time_limit_s must be positive")
        unknown = set(self.weights) - set(CONTEXT_KINDS)
        if unknown:
            raise ValueError(f"unknown context weight(s): {', '.join(sorted(unknown))}")
        weights = {kind: self.weights.get(kind, 0) for kind in CONTEXT_KINDS}
        for kind, value in weights.items():
            # whole numbers keep context scores integral, which exact lexicographic solving needs
            whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
            if isinstance(value, bool) or not whole or not 0 <= value <= 1000:
                raise ValueError(f"weight for {kind} must be a whole number from 0 to 1000")
            weights[kind] = int(value)
        # A kind left out of the mapping counts for nothing, so a config may name only some.
        object.__setattr__(self, "weights", weights)


DEFAULT_SETTINGS = MatchSettings()


@dataclass(frozen=True)
class Group:
    """One learning group of a round, as published."""

    id: str
    skill: str
    sharer: str
    learners: tuple[str, ...]
    language: str
    context: tuple[str, ...] = ()

    @property
    def members(self) -> tuple[str, ...]:
        return (self.sharer, *self.learners)

    def as_json(self) -> dict[str, JSON]:
        return {
            "id": self.id,
            "skill": self.skill,
            "language": self.language,
            "sharer": self.sharer,
            "learners": list(self.learners),
            "context": list(self.context),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Group:
        """Read back what ``as_json`` wrote (the on-wiki state keeps groups this way)."""
        return cls(
            id=str(data["id"]),
            skill=str(data["skill"]),
            sharer=str(data["sharer"]),
            learners=tuple(sorted(str(u) for u in data.get("learners", ()))),
            language=str(data.get("language", "")),
            context=tuple(str(c) for c in data.get("context", ())),
        )


class PastGroup(NamedTuple):
    """A group of an earlier round; a plain ``(round, group)`` tuple works the same."""

    round: str
    group: Group


@dataclass(frozen=True)
class Unmatched:
    """A wanted skill that got no group this round, and why (one of ``REASONS``)."""

    user: str
    skill: str
    reason: str

    def as_json(self) -> dict[str, JSON]:
        return {"user": self.user, "skill": self.skill, "reason": self.reason}


class MatchStats(TypedDict, total=False):
    """How a result was reached (``MatchResult.stats``): the solver's figures, or the method."""

    method: str
    parts_exact: int
    parts_rounded: int
    placed: int
    placed_bound: int | None
    context: int
    context_bound: int | None


@dataclass(frozen=True)
class MatchResult:
    """The round's groups (published ones first, unchanged), and what stayed open.

    ``optimal`` says placements and context are proven best.  It is False when
    ``time_limit_s`` ran out or a part was too large for branch and bound; the
    groups are valid all the same.  ``stats`` tells how the solver did: parts
    solved exactly or by rounding, and the placements and context it reached
    against the relaxation's bound (``context_bound`` only when placements reach
    ``placed_bound``; ``None`` where unknown).
    """

    round: str
    groups: tuple[Group, ...]
    unmatched: tuple[Unmatched, ...]
    sharers_wanted: dict[str, int]
    optimal: bool = True
    stats: MatchStats = field(default_factory=lambda: MatchStats(), compare=False)

    @property
    def placements(self) -> int:
        """Learner placements (learner–skill pairs in a group), published ones included."""
        return sum(len(g.learners) for g in self.groups)

    def as_json(self) -> dict[str, JSON]:
        return {
            "round": self.round,
            "groups": [g.as_json() for g in self.groups],
            "unmatched": [u.as_json() for u in self.unmatched],
            "sharers_wanted": dict(self.sharers_wanted),
            "optimal": self.optimal,
        }


def round_id_for(date: datetime.date) -> str:
    """The round a day belongs to: its calendar month."""
    return f"{date.year:04d}-{date.month:02d}"


def rounds_between(a: str, b: str) -> int:
    """Months from round ``a`` to round ``b`` (negative when ``b`` is earlier)."""
    ya, ma = _parse_round(a)
    yb, mb = _parse_round(b)
    return (yb - ya) * 12 + (mb - ma)


def _parse_round(round_id: str) -> tuple[int, int]:
    found = _ROUND.fullmatch(round_id.strip()) if isinstance(round_id, str) else None
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise ValueError(f"not a round id (YYYY-MM): {round_id!r}")
    return int(found.group(1)), int(found.group(2))
