"""The lexicographic optimum of one part by branch and bound.

Placements first, then context, then load: folded into one objective where that
is exact and numerically safe, else solved level after level.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.matching.clock import _Clock
from bot.matching.highs import _Floats, _Highs, _Problem

#: Largest objective value for which levels are folded into one weighted objective;
#: above it the levels are solved one after another, to keep HiGHS's tolerances safe.
_FOLD_LIMIT = 2e9
#: Parts up to this many columns also get the load level solved exactly; above it load
#: is the tie-break inside the second level (good, not proven least).
_EXACT_LOAD_COLUMNS = 12_000
#: Absolute gap for the folded placements-and-context level with load as tie-break.
_TIE_GAP = 0.4


@dataclass
class _Levels:
    """Upper bounds that make folding the three levels into one objective exact."""

    most_placed: float
    most_ctx: float
    most_load: float

    @classmethod
    def of(cls, p: _Problem) -> _Levels:
        return cls(p.most_placed, p.most_ctx, float(p.load @ p.ub))

    def ab(self, p: _Problem) -> _Floats:
        """Placements first, context second: one more learner beats any context."""
        return -((self.most_ctx + 1.0) * p.place + p.ctx)

    def ab_then_load(self, p: _Problem) -> _Floats:
        """``ab`` with load as a tie-break worth at most half a unit of context in all.

        Stopped at an absolute gap of ``_TIE_GAP`` (< 1/2), the solver cannot
        return worse placements or context, and prefers less load on the way.
        """
        return self.ab(p) + p.load * (0.5 / (self.most_load + 1.0))

    def abc(self, p: _Problem) -> _Floats | None:
        m_ctx = self.most_load + 1.0
        m_place = m_ctx * self.most_ctx + self.most_load + 1.0
        if m_place * (self.most_placed + 1.0) > _FOLD_LIMIT:
            return None
        return -(m_place * p.place + m_ctx * p.ctx) + p.load


@dataclass
class _Report:
    """What a part reached and the most it could reach (``None``: not known)."""

    placed: int
    placed_bound: int | None
    context: int
    context_bound: int | None  # the most context, when ``placed`` reaches ``placed_bound``

    @classmethod
    def of(cls, p: _Problem, x: _Floats, levels: _Levels, bound: float | None) -> _Report:
        placed, context = int(round(float(p.place @ x))), int(round(float(p.ctx @ x)))
        if bound is None:
            return cls(placed, None, context, None)
        scale = int(levels.most_ctx) + 1
        placed_bound = int(bound) // scale
        # a context bound only compares with a solution that has as many placements
        context_bound = int(bound) - scale * placed_bound if placed == placed_bound else None
        return cls(placed, placed_bound, context, context_bound)


def _exact(
    p: _Problem, clock: _Clock, start: _Floats | None = None, start_best: bool = False
) -> tuple[_Floats | None, bool, _Report | None]:
    """The lexicographic optimum by branch and bound, levels folded where it is safe.

    ``start`` is a feasible solution to begin from; ``start_best`` says it is
    already proven best for placements and context, so only load is left.
    """
    h = _Highs(p)
    levels = _Levels.of(p)
    x, proven = _exact_levels(p, h, levels, clock, start, start_best)
    if x is None:
        return None, False, None
    scale = levels.most_ctx + 1.0
    bound = scale * float(p.place @ x) + float(p.ctx @ x) if proven else None
    return x, proven, _Report.of(p, x, levels, bound)


def _exact_levels(
    p: _Problem,
    h: _Highs,
    levels: _Levels,
    clock: _Clock,
    start: _Floats | None,
    start_best: bool,
) -> tuple[_Floats | None, bool]:
    folded = levels.abc(p)
    if folded is not None and not start_best:
        out = h.run(folded, clock, start)
        return (start if out.x is None else _rounded_x(p, out.x)), out.proven
    if start_best:
        assert start is not None  # only a start can be proven best already
        x, proven = start, True
    elif (levels.most_ctx + 1.0) * (levels.most_placed + 1.0) <= _FOLD_LIMIT:
        out = h.run(levels.ab_then_load(p), clock, start, gap=_TIE_GAP)
        if out.x is None:
            return start, False
        x, proven = _rounded_x(p, out.x), out.proven
    else:
        out = h.run(-p.place, clock, start)
        if out.x is None:
            return start, False
        x, proven = _rounded_x(p, out.x), out.proven
        h.hold(p.place, float(p.place @ x) - 0.5)
        out = h.run(-p.ctx, clock, start=x)
        if out.x is None:
            return x, False
        x, proven = _rounded_x(p, out.x), proven and out.proven
    if levels.most_load > 0 and len(p.ub) <= _EXACT_LOAD_COLUMNS:
        h.hold(p.place, float(p.place @ x) - 0.5)
        h.hold(p.ctx, float(p.ctx @ x) - 0.5)
        out = h.run(p.load, clock, start=x)
        if out.x is None:
            return x, False
        x, proven = _rounded_x(p, out.x), proven and out.proven
    return x, proven


def _rounded_x(p: _Problem, x: _Floats) -> _Floats:
    return np.where(p.integer == 1, np.round(x), x)
