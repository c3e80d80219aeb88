"""Solving a round: split the model into parts, pick a method per part, decode groups.

Rounds far above the program's size are solved as network flows.  The sizes
that choose between these paths (batched, exact or rounded, flows) are here.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
from scipy.sparse import coo_array, csr_array
from scipy.sparse.csgraph import connected_components

from bot.matching.bounds import _simple_bounds
from bot.matching.clock import _Clock
from bot.matching.exact import _exact, _Report
from bot.matching.highs import _Floats, _Indices, _Part, _Problem, _problem
from bot.matching.instance import _Blocked, _Instance, _NewGroup, _score, _to_place
from bot.matching.milp import _ENTRY, _OUT, _PAIR, _Builder, _Model
from bot.matching.rounding import _rounded
from bot.matching.values import MatchStats

#: Parts up to this many columns get the exact mixed-integer solve; larger parts are
#: solved by relaxation and rounding (see ``_rounded``): HiGHS's branch and bound
#: does not finish in time at that size.
_EXACT_COLUMNS = 30_000
#: Rounds with more wanted skills to place than this are solved as flows (``flows.py``).
_FLOW_WANTS = 15_000
#: Independent parts smaller than this many columns are solved together, to save calls.
_BATCH_COLUMNS = 4000


def _parts(b: _Builder) -> list[_Part]:
    """Split the model into independent components (no shared learner or sharer)."""
    ncols, nrows = len(b.ub), len(b.row_lb)
    rows = np.asarray(b.rows, dtype=np.int64)
    cols = np.asarray(b.cols, dtype=np.int64)
    graph = coo_array(
        (np.ones(len(rows)), (cols, ncols + rows)), shape=(ncols + nrows, ncols + nrows)
    )
    count, labels = connected_components(graph, directed=False)
    col_groups = _by_label(labels[:ncols], count)
    row_groups = _by_label(labels[ncols:], count)
    parts: list[_Part] = []
    pending_c: list[_Indices] = []
    pending_r: list[_Indices] = []
    size = 0
    for comp in range(count):
        c, r = col_groups[comp], row_groups[comp]
        if len(c) == 0:
            continue
        if len(c) >= _BATCH_COLUMNS:
            parts.append(_Part(c, r))
            continue
        pending_c.append(c)
        pending_r.append(r)
        size += len(c)
        if size >= _BATCH_COLUMNS:
            parts.append(_Part(np.concatenate(pending_c), np.concatenate(pending_r)))
            pending_c, pending_r, size = [], [], 0
    if pending_c:
        parts.append(_Part(np.concatenate(pending_c), np.concatenate(pending_r)))
    return parts


def _by_label(labels: _Indices, count: int) -> list[_Indices]:
    """Indices grouped by component label, each group in increasing order."""
    order = np.argsort(labels, kind="stable")
    return np.split(order, np.cumsum(np.bincount(labels, minlength=count))[:-1])


def _solve(
    inst: _Instance, blocked: _Blocked, clock: _Clock
) -> tuple[list[_NewGroup], bool, MatchStats]:
    """The groups for what can still be placed; ``False`` if not proven optimal."""
    stats: MatchStats = {"parts_exact": 0, "parts_rounded": 0, "placed": 0,
                   "placed_bound": 0, "context": 0, "context_bound": 0}
    todo = _to_place(inst, blocked)
    if len(todo) <= _FLOW_WANTS:
        return *_solve_wants(inst, blocked, clock, todo, stats), stats
    return _solve_by_flows(inst, blocked, clock, todo, stats)


def _solve_by_flows(
    inst: _Instance,
    blocked: _Blocked,
    clock: _Clock,
    todo: list[tuple[int, str]],
    stats: MatchStats,
) -> tuple[list[_NewGroup], bool, MatchStats]:
    """Far above the program's size: the whole round as flows, rounded (``flows.py``).

    The first flow bounds both levels: the most learners, and the most context
    among groupings that place as many.  When fewer are placed, the context
    bound is the one without capacities (``bounds.py``), which holds for any
    grouping.
    """
    # OR-Tools only here: rounds up to ``_FLOW_WANTS`` do not pay for loading it
    from bot.matching.flows import _flow_round

    model = _Model(inst, blocked)
    b = model.build(todo, rows=False)
    if len(b.ub) == 0:
        return [], True, stats
    x, bound = _flow_round(model, b, clock)
    groups = _decode(model, x)
    stats["parts_rounded"] += 1
    stats["placed"] = sum(len(g.learners) for g in groups)
    stats["context"] = int(round(sum(
        _score(inst, inst.people[g.sharer], inst.people[lrn]) for g in groups for lrn in g.learners
    )))
    stats["placed_bound"] = bound.placed
    anyhow = _simple_bounds(inst, blocked, todo)[1]
    full = stats["placed"] == bound.placed
    stats["context_bound"] = min(bound.context, anyhow) if full else anyhow
    proven = full and stats["context"] == stats["context_bound"]
    return groups, proven, stats


def _solve_wants(
    inst: _Instance,
    blocked: _Blocked,
    clock: _Clock,
    todo: list[tuple[int, str]],
    stats: MatchStats,
) -> tuple[list[_NewGroup], bool]:
    if not todo:
        return [], True
    model = _Model(inst, blocked)
    b = model.build(todo)
    ncols, nrows = len(b.ub), len(b.row_lb)
    if ncols == 0:
        return [], True
    a_full = csr_array(
        coo_array((b.vals, (b.rows, b.cols)), shape=(nrows, ncols)), dtype=np.float64
    )
    x = np.zeros(ncols)
    optimal = True
    for part in _parts(b):
        p = _problem(b, a_full, part)
        solution, proven, report = _solve_part(p, clock, stats)
        optimal = optimal and proven
        if solution is not None:
            x[part.cols] = solution
        _tally(stats, report)
    return _decode(model, x), optimal


def _solve_part(
    p: _Problem, clock: _Clock, stats: MatchStats
) -> tuple[_Floats | None, bool, _Report | None]:
    """Small parts straight by branch and bound; larger ones start from a rounded solution.

    The rounded solution comes with a bound; when it meets the bound, placements
    and context are proven best and only load is left to the solver.  Parts too
    large for branch and bound keep the rounded solution.
    """
    size = len(p.ub)
    if size <= _BATCH_COLUMNS:
        stats["parts_exact"] += 1
        return _exact(p, clock)
    x, _proven, report = _rounded(p, clock)
    if size > _EXACT_COLUMNS or x is None:
        stats["parts_rounded"] += 1
        return x, False, report
    stats["parts_exact"] += 1
    best = report is not None and (report.placed, report.context) == (
        report.placed_bound, report.context_bound
    )
    return _exact(p, clock, start=x, start_best=best)


def _tally(stats: MatchStats, report: _Report | None) -> None:
    """Add one part's figures; a bound unknown for one part is unknown for the round."""
    if report is None:
        stats["placed_bound"] = stats["context_bound"] = None
        return
    stats["placed"] += report.placed
    stats["context"] += report.context
    stats["placed_bound"] = _plus(stats["placed_bound"], report.placed_bound)
    stats["context_bound"] = _plus(stats["context_bound"], report.context_bound)


def _plus(total: int | None, value: int | None) -> int | None:
    """A sum of bounds, unknown as soon as one of them is."""
    return None if value is None or total is None else total + value


def _decode(model: _Model, x: _Floats) -> list[_NewGroup]:
    """Turn the solution back into groups: hubs hand their learners on to targets."""
    inst, b = model.inst, model.b
    kind, ref_a, ref_b = np.asarray(b.kind), np.asarray(b.ref_a), np.asarray(b.ref_b)
    taken: dict[int, list[int]] = defaultdict(list)
    hub_in: dict[int, list[int]] = defaultdict(list)
    for col in np.flatnonzero((x > 0.5) & ((kind == _PAIR) | (kind == _ENTRY))).tolist():
        (taken if kind[col] == _PAIR else hub_in)[int(ref_b[col])].append(int(ref_a[col]))
    hub_out: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for col in np.flatnonzero((x > 0.5) & (kind == _OUT)).tolist():
        hub_out[int(ref_a[col])].append((int(ref_b[col]), int(round(x[col]))))
    for hub, learners in hub_in.items():
        queue = sorted(learners, key=lambda i: inst.people[i].user)
        for tid, flow in sorted(hub_out[hub]):
            taken[tid].extend(queue[:flow])
            queue = queue[flow:]
    groups: list[_NewGroup] = []
    for tid, learners in sorted(taken.items()):
        t = model.targets[tid]
        groups.extend(
            _NewGroup(t.skill, t.sharer, chunk, t.language)
            for chunk in _split(inst, learners, model._slots(t))
        )
    return groups


def _split(inst: _Instance, learners: list[int], slots: int) -> list[tuple[int, ...]]:
    """As few groups as the slots allow, sizes as even as possible, similar people together."""
    people = inst.people
    ordered = sorted(
        learners,
        key=lambda i: (
            people[i].region, people[i].country, sorted(people[i].areas), people[i].user
        ),
    )
    count = math.ceil(len(ordered) / slots)
    chunks, start = [], 0
    for k in range(count):
        size = len(ordered) // count + (1 if k < len(ordered) % count else 0)
        chunks.append(tuple(sorted(ordered[start : start + size])))
        start += size
    return chunks
