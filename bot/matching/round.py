"""Learning–sharing groups for one round, computed exactly (pure: no wiki, no I/O).

A round (default: a calendar month, id ``YYYY-MM``) turns the active
participants into groups: one skill, one sharer who shares it, one to three
learners who want it, a language every member speaks.  What counts as best
comes from the program, in this order (``docs/matching.md`` has the details):

1. the most wanted skills placed (learner placements);
2. then the most shared context (same region, same country, a shared thematic
   area), as the Movement Strategy asks;
3. then the load spread over sharers: each learner costs the number of the
   sharer's group they make up, past groups included, so sharers with fewer
   past groups come first and nobody gets a second group before a first.

It is a mixed-integer program solved with HiGHS (``highspy``), not a greedy
rule, because a greedy rule cannot promise (1): one early choice can block two
later learners.  To stay small with thousands of participants, learners and
sharers do not get a variable per pair: they meet in "hubs" keyed by the
context they have in common, which is exact because a pair's context score
depends only on that key.  Independent parts are solved separately; parts too
large for branch and bound are solved by relaxation and rounding, with the
relaxation's bound kept in ``MatchResult.stats``; rounds far larger than the
program's are solved as network flows.  ``baseline_match`` is the
greedy rule of the Capacity Exchange, kept for comparison and to fill what a
time-out leaves open.

``match_round`` and ``baseline_match`` are pure functions of their arguments;
input order never changes the result.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.matching.clock import _Clock
from bot.matching.greedy import _Greedy
from bot.matching.instance import _Blocked, _blocked, _Instance, _prepare
from bot.matching.result import _finish
from bot.matching.values import (
    DEFAULT_SETTINGS,
    Group,
    MatchResult,
    MatchSettings,
    _parse_round,
)
from bot.model import Profile


def match_round(
    profiles: Sequence[Profile],
    round_id: str,
    settings: MatchSettings = DEFAULT_SETTINGS,
    history: Sequence[tuple[str, Group]] = (),
    published: Sequence[Group] = (),
) -> MatchResult:
    """The round's groups: published ones unchanged, the rest filled optimally.

    Only ``status == "active"`` profiles take part (filtered here).  ``history``
    holds earlier rounds' groups as ``PastGroup(round, group)`` (or plain
    tuples): they forbid repeats within ``no_repeat_rounds`` and count as load.
    ``published`` groups of this round are kept as they are, even when a member
    is no longer active; they use up capacity and learner limits, and new group
    ids continue after theirs.
    """
    # the solver (SciPy, HiGHS) is loaded only here: jobs that read rounds do not pay for it
    from bot.matching.solve import _solve

    clock = _Clock(settings.time_limit_s)
    inst, published, blocked = _round(profiles, round_id, settings, history, published)
    groups, optimal, stats = _solve(inst, blocked, clock)
    if not optimal:
        groups = _Greedy(inst, blocked, groups).run()  # fill anything a time-out left open
    return _finish(inst, round_id, published, groups, blocked, optimal, stats)


def baseline_match(
    profiles: Sequence[Profile],
    round_id: str,
    settings: MatchSettings = DEFAULT_SETTINGS,
    history: Sequence[tuple[str, Group]] = (),
    published: Sequence[Group] = (),
) -> MatchResult:
    """The greedy Capacity-Exchange-style rule under the same rules, for comparison."""
    inst, published, blocked = _round(profiles, round_id, settings, history, published)
    groups = _Greedy(inst, blocked).run()
    return _finish(inst, round_id, published, groups, blocked, True, {"method": "greedy"})


def _round(
    profiles: Sequence[Profile],
    round_id: str,
    settings: MatchSettings,
    history: Sequence[tuple[str, Group]],
    published: Sequence[Group],
) -> tuple[_Instance, list[Group], _Blocked]:
    """What both methods start from: the instance, the published groups in id order,
    and the pairs the rules forbid."""
    _parse_round(round_id)
    in_order = sorted(published, key=lambda g: g.id)
    inst = _prepare(profiles, round_id, settings, history, in_order)
    return inst, in_order, _blocked(inst)
