"""Parts too large for branch and bound: relaxation, then rounding step by step."""

from __future__ import annotations

import math

import numpy as np

from bot.matching.clock import _Clock
from bot.matching.exact import _Levels, _Report, _rounded_x
from bot.matching.highs import _Floats, _Highs, _Problem

#: Rounding steps for large parts, each followed by a re-solve of the relaxation.
_ROUNDING_STEPS = 8


def _rounded(p: _Problem, clock: _Clock) -> tuple[_Floats | None, bool, _Report | None]:
    """Large parts: solve the relaxation, round group counts step by step, re-solve the flows.

    Each step fixes the group counts of half the sharers whose counts are still
    fractional (those that lose least by rounding first) and re-solves, so the
    learners that rounding turns away find other places.  With every count fixed
    the rest is a network flow, whose optimal vertices are integral: the last
    solve gives whole learners.  The first relaxation bounds what any solution
    can reach.  Deterministic: a fixed number of steps, no time-dependent search.
    """
    h = _Highs(p)
    h.set_integer(False)
    h.h.setOptionValue("presolve", "off")  # faster on these network-like relaxations
    levels = _Levels.of(p)
    cost = levels.ab(p)
    relaxed = h.run(cost, clock)
    if relaxed.x is None:
        return None, False, None
    bound = math.floor(-relaxed.value + 1e-6)
    x = relaxed.x
    counts_left: list[int] = []
    for _step in range(_ROUNDING_STEPS):
        left = _round_some(p, h, x)
        if not left or counts_left[-2:] == [left, left]:
            break  # none left, or no progress: round the rest at once
        counts_left.append(left)
        step = h.run(cost, clock)
        if step.x is None:
            break
        x = step.x
    counts = np.concatenate([c for c, _s, _l, _k in p.sharers]) if p.sharers else np.zeros(0, int)
    chosen = _round_counts(p, x)
    h.bounds(counts, chosen[counts], chosen[counts])
    fixed = h.run(cost, clock)
    if fixed.x is None or not _integral(p, fixed.x):
        return None, False, None
    x = _rounded_x(p, fixed.x)
    return x, False, _Report.of(p, x, levels, bound)


def _round_some(p: _Problem, h: _Highs, x: _Floats) -> int:
    """Commit whole counts, fix half of the fractional sharers; how many were fractional."""
    chosen = _round_counts(p, x)
    pending = []
    for k, (counts, _singles, _loads, _cap) in enumerate(p.sharers):
        if len(counts) == 0:
            continue
        values = x[counts]
        if np.all(np.abs(values - np.round(values)) <= 1e-6):
            # keep the groups it has; it may still open more
            h.bounds(counts, np.round(values), p.ub[counts])
        else:
            pending.append((float(np.maximum(values - chosen[counts], 0).sum()), k))
    pending.sort()
    for _loss, k in pending[: (len(pending) + 1) // 2]:
        counts = p.sharers[k][0]
        h.bounds(counts, chosen[counts], chosen[counts])
    return len(pending)


def _integral(p: _Problem, x: _Floats) -> bool:
    ints = p.integer == 1
    return bool(np.all(np.abs(x[ints] - np.round(x[ints])) <= 1e-6))


def _round_counts(p: _Problem, x: _Floats) -> _Floats:
    """Whole group counts within each sharer's capacity, largest fractions rounded up.

    1:1 groups keep the capacity they use (rounded up) so the flows stay feasible.
    """
    out = np.zeros(len(x))
    for counts, singles, _loads, cap in p.sharers:
        if len(counts) == 0:
            continue
        values = x[counts]
        base = np.floor(values + 1e-6)
        left = cap - base.sum() - math.ceil(x[singles].sum() - 1e-6)
        fraction = values - base
        for k in np.argsort(-fraction, kind="stable"):
            if left < 1 or fraction[k] <= 1e-6:
                break
            base[k] += 1
            left -= 1
        out[counts] = base
    return out
