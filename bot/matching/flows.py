"""Very large rounds: the model as a network flow, group counts rounded step by step.

Past ``_FLOW_WANTS`` wanted skills even the model's linear relaxation is too
slow for HiGHS (it had not finished after 30 minutes at 50,000 participants).
Without its group counts the model is a network: learner -> wanted skill -> hub
(or straight to a target) -> target -> sharer, each sharer taking at most
capacity times group size learners.  A maximum flow of least cost (OR-Tools)
places the most learners, then the most context among those; every grouping is
such a flow, so both bound every grouping.  Group counts are then fixed step by
step: each step fixes the counts of every sharer whose learners need more groups
than it has (it keeps its fullest groups) and solves the flow again, so that the
learners turned away find other places.  With every count fixed the targets hold
whole groups and the flow is a grouping; the greedy rule fills what is left.  A
fixed number of steps and a deterministic solver: the same round gives the same
groups.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow

from bot.matching.clock import _Clock
from bot.matching.highs import _Floats
from bot.matching.milp import _ENTRY, _OUT, _PAIR, _Builder, _Model

#: Rounding steps, each fixing the group counts of the sharers still over capacity.
#: At 50,000 participants each step is a flow of about 17 s; 5 steps instead of 3
#: placed 16 more learners (41,109 against 41,093) in 24 s more.
_FLOW_STEPS = 3

_Ints = NDArray[np.int64]


@dataclass
class _Network:
    """The flow network of a model as arc arrays; the targets' arcs are one slice."""

    tails: _Ints
    heads: _Ints
    caps: _Ints
    costs: _Ints
    column: _Ints  # the model's column an arc carries (-1: none)
    first_target: int  # arcs target -> sharer start here, one per target
    sharer: _Ints  # per target: its sharer
    slots: _Ints  # per target: learners a group
    cap_left: _Ints  # per target: its sharer's capacity in groups

    def target_caps(self) -> _Ints:
        return self.caps[self.first_target : self.first_target + len(self.sharer)]


@dataclass
class _Flow:
    """A solved flow: learners placed, their context (by the hubs' keys), flow per arc."""

    placed: int
    context: int
    flows: _Ints


def _network(model: _Model, b: _Builder) -> _Network:
    """Source -> learner (limit) -> want (1) -> hub or target -> target -> sharer -> sink.

    Arcs into a hub or a target carry the pair's context as a negative cost;
    the model's columns for them are kept so that a flow decodes like a solution.
    """
    people = model.inst.people
    wants = sorted(model.entries_of)
    learners = np.asarray(sorted({lrn for lrn, _skill in wants}), dtype=np.int64)
    want0 = 2 + len(people)
    hub0 = want0 + len(wants)
    target0 = hub0 + b.hubs
    sharer0 = target0 + len(model.targets)
    kind = np.asarray(b.kind)
    ref_a = np.asarray(b.ref_a, dtype=np.int64)
    ref_b = np.asarray(b.ref_b, dtype=np.int64)
    want_of = np.full(len(kind), -1, dtype=np.int64)
    for w, key in enumerate(wants):
        want_of[model.entries_of[key]] = w
    entry = np.flatnonzero((kind == _ENTRY) | (kind == _PAIR))
    out = np.flatnonzero(kind == _OUT)
    sharer = np.asarray([t.sharer for t in model.targets], dtype=np.int64)
    slots = np.asarray([model._slots(t) for t in model.targets], dtype=np.int64)
    cap_left = np.asarray([people[j].cap_left for j in sharer.tolist()], dtype=np.int64)
    sharers = np.unique(sharer)
    group = model.inst.group_slots
    sharer_room = [people[j].cap_left * (1 if people[j].one_to_one else group)
                   for j in sharers.tolist()]
    net = _Arcs()
    net.add(np.zeros(len(learners)), 2 + learners, [people[i].limit_left for i in learners])
    net.add(2 + np.asarray([lrn for lrn, _s in wants]), want0 + np.arange(len(wants)), 1)
    into = np.where(kind[entry] == _ENTRY, hub0, target0) + ref_b[entry]
    net.add(want0 + want_of[entry], into, 1, -np.round(np.asarray(b.ctx)[entry]), entry)
    net.add(hub0 + ref_a[out], target0 + ref_b[out], np.asarray(b.ub)[out], 0, out)
    first_target = net.count
    net.add(target0 + np.arange(len(sharer)), sharer0 + sharer, cap_left * slots)
    net.add(sharer0 + sharers, np.ones(len(sharers)), sharer_room)
    tails, heads, caps, costs, column = net.arrays()
    return _Network(tails, heads, caps, costs, column, first_target, sharer, slots, cap_left)


class _Arcs:
    """Arcs gathered as blocks of arrays (a scalar stands for the whole block)."""

    def __init__(self) -> None:
        self.blocks: list[tuple[_Ints, ...]] = []
        self.count = 0

    def add(self, tails: object, heads: object, caps: object, costs: object = 0,
            column: object = -1) -> None:
        size = len(np.atleast_1d(np.asarray(heads)))
        self.blocks.append(tuple(
            np.broadcast_to(np.asarray(v), (size,)).astype(np.int64)
            for v in (tails, heads, caps, costs, column)
        ))
        self.count += size

    def arrays(self) -> tuple[_Ints, ...]:
        return tuple(np.concatenate([blk[k] for blk in self.blocks]) for k in range(5))


def _max_flow(net: _Network) -> _Flow:
    """The most learners placed, then the most context among those (whole numbers)."""
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(net.tails, net.heads, net.caps, net.costs)
    supply = int(net.caps[net.tails == 0].sum())
    solver.set_node_supply(0, supply)
    solver.set_node_supply(1, -supply)
    status = solver.solve_max_flow_with_min_cost()
    if status != solver.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: {status}")
    flows = np.asarray(solver.flows(np.arange(len(net.tails))), dtype=np.int64)
    return _Flow(int(solver.maximum_flow()), -int(solver.optimal_cost()), flows)


def _whole_groups(net: _Network, flow: _Flow) -> tuple[_Ints, _Floats]:
    """Per target the learners whole groups can take, within each sharer's capacity.

    A target needs ``ceil(learners / slots)`` groups.  Where a sharer's targets
    need more than its capacity, it keeps its fullest groups (target order breaks
    ties, so the choice is deterministic).  Returns the targets' capacities and,
    per target, the learners turned away (0 where all fit).
    """
    learners = flow.flows[net.first_target : net.first_target + len(net.sharer)]
    full, rest = np.divmod(learners, net.slots)
    groups = full + (rest > 0)
    size = int(net.sharer.max()) + 1 if len(net.sharer) else 0
    capacity = np.zeros(size, dtype=np.int64)
    capacity[net.sharer] = net.cap_left
    over = np.bincount(net.sharer, weights=groups, minlength=size) > capacity
    candidates: dict[int, list[tuple[int, int]]] = {}
    for t in np.flatnonzero(over[net.sharer]).tolist():
        sizes = [int(net.slots[t])] * int(full[t]) + ([int(rest[t])] if rest[t] else [])
        candidates.setdefault(int(net.sharer[t]), []).extend((-n, t) for n in sizes)
        groups[t] = 0
    for j, found in candidates.items():
        for _size, t in sorted(found)[: capacity[j]]:
            groups[t] += 1
    caps = groups * net.slots
    return caps, np.maximum(learners - caps, 0).astype(np.float64)


def _flow_round(model: _Model, b: _Builder, clock: _Clock) -> tuple[_Floats, _Flow]:
    """A grouping by flows: its solution over the model's columns, and the first flow
    (the bound of both levels).

    Steps stop early when the clock runs out; the last solve, with every count
    fixed, always runs, since only it gives whole groups.
    """
    net = _network(model, b)
    bound = flow = _max_flow(net)
    for _step in range(_FLOW_STEPS):
        caps, lost = _whole_groups(net, flow)
        over = (np.bincount(net.sharer, weights=lost) > 0)[net.sharer]
        if not over.any() or clock.left() <= 0:
            break
        net.target_caps()[over] = caps[over]
        flow = _max_flow(net)
    caps, _lost = _whole_groups(net, flow)
    net.target_caps()[:] = caps
    flow = _max_flow(net)
    x = np.zeros(len(b.ub))
    carried = net.column >= 0
    x[net.column[carried]] = flow.flows[carried]
    return x, bound
