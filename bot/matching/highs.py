"""One part of the model as arrays, and HiGHS over it.

The only module that talks to ``highspy``; the exact and rounded solves use it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import highspy
import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csc_array, csr_array

from bot.matching.clock import _Clock
from bot.matching.milp import _Builder

#: Values per column (solutions, objectives, bounds), and column or row numbers.
_Floats = NDArray[np.float64]
_Indices = NDArray[np.intp]


@dataclass
class _Part:
    """Columns and rows of independent components solved in one call."""

    cols: _Indices
    rows: _Indices


@dataclass
class _Problem:
    """One part as arrays: maximise placements, then context, then minimise load."""

    a: csc_array
    row_lb: _Floats
    row_ub: _Floats
    ub: _Floats
    integer: NDArray[np.int8]
    place: _Floats
    ctx: _Floats
    load: _Floats
    sharers: list[tuple[_Indices, _Indices, _Indices, int]]  # local columns, capacity
    most_placed: float  # wanted skills in the part
    most_ctx: float  # sum over them of the most context each can bring


def _problem(b: _Builder, a_full: csr_array, part: _Part) -> _Problem:
    local = np.full(len(b.ub), -1, dtype=np.int64)
    local[part.cols] = np.arange(len(part.cols))
    sharers = []
    for counts, singles, loads, cap in b.sharers:
        if loads and local[loads[0]] >= 0:
            sharers.append((local[counts], local[singles], local[loads], cap))
    pick = part.cols
    best = [b.want_rows[r] for r in part.rows.tolist() if r in b.want_rows]
    return _Problem(
        a=csc_array(a_full[part.rows][:, part.cols]),
        row_lb=np.asarray(b.row_lb)[part.rows],
        row_ub=np.asarray(b.row_ub)[part.rows],
        ub=np.asarray(b.ub)[pick],
        integer=np.asarray(b.integer)[pick],
        place=np.asarray(b.place)[pick],
        ctx=np.asarray(b.ctx)[pick],
        load=np.asarray(b.load)[pick],
        sharers=sharers,
        most_placed=float(len(best)),
        most_ctx=float(sum(best)),
    )


class _Outcome(NamedTuple):
    x: _Floats | None
    proven: bool  # solved to optimality (a relaxation: to its own optimum)
    value: float  # objective value of x, in the sense it was solved (minimised)


class _Highs:
    """One HiGHS model per part, kept across objective levels so each starts from the last."""

    def __init__(self, p: _Problem) -> None:
        self.p = p
        self.h = highspy.Highs()  # type: ignore[no-untyped-call]
        for name, value in (
            ("output_flag", False),
            ("mip_rel_gap", 0.0),
            ("random_seed", 0),
        ):
            self.h.setOptionValue(name, value)
        lp = highspy.HighsLp()
        ncols, nrows = len(p.ub), len(p.row_lb)
        lp.num_col_, lp.num_row_ = ncols, nrows
        lp.col_cost_ = np.zeros(ncols)
        lp.col_lower_ = np.zeros(ncols)
        lp.col_upper_ = p.ub.astype(np.float64)
        lp.row_lower_ = p.row_lb.astype(np.float64)
        lp.row_upper_ = p.row_ub.astype(np.float64)
        matrix = lp.a_matrix_
        matrix.format_ = highspy.MatrixFormat.kColwise
        matrix.num_col_, matrix.num_row_ = ncols, nrows
        matrix.start_ = p.a.indptr.astype(np.int32)
        matrix.index_ = p.a.indices.astype(np.int32)
        matrix.value_ = p.a.data.astype(np.float64)
        self.h.passModel(lp)
        self.all = np.arange(ncols, dtype=np.int32)
        self.set_integer(True)

    def set_integer(self, on: bool) -> None:
        kinds = self.p.integer.astype(np.uint8) if on else np.zeros(len(self.all), np.uint8)
        self.h.changeColsIntegrality(len(self.all), self.all, kinds)

    def hold(self, coeffs: _Floats, low: float) -> int:
        """Keep a level reached: ``coeffs @ x >= low`` from now on; returns the row."""
        idx = np.flatnonzero(coeffs).astype(np.int32)
        self.h.addRow(low, math.inf, len(idx), idx, coeffs[idx].astype(np.float64))
        return self.h.getNumRow() - 1

    def bounds(self, cols: _Indices, low: _Floats, high: _Floats) -> None:
        cols = np.asarray(cols, dtype=np.int32)
        self.h.changeColsBounds(len(cols), cols, low.astype(np.float64), high.astype(np.float64))

    def run(
        self,
        cost: _Floats,
        clock: _Clock,
        start: _Floats | None = None,
        gap: float = 0.5,
    ) -> _Outcome:
        """Minimise ``cost``; every objective here is a whole number at an optimum, so a
        gap under one proves the optimum (and lets HiGHS stop despite rounding noise)."""
        left = clock.left()
        if left <= 0:
            return _Outcome(None, False, math.inf)
        self.h.setOptionValue("time_limit", left)
        self.h.setOptionValue("mip_abs_gap", gap)
        self.h.changeColsCost(len(self.all), self.all, cost.astype(np.float64))
        if start is not None:
            solution = highspy.HighsSolution()
            solution.col_value = list(start)
            solution.value_valid = True
            self.h.setSolution(solution)
        self.h.run()
        info = self.h.getInfo()
        if info.primal_solution_status != 2:  # no feasible point
            return _Outcome(None, False, math.inf)
        x = np.asarray(self.h.getSolution().col_value)
        proven = self.h.getModelStatus() == highspy.HighsModelStatus.kOptimal
        return _Outcome(x, proven, float(info.objective_function_value))
