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
whole groups and the flow is a grouping.  A last, small flow takes the learners
still left out into the free slots of those groups and the groups their sharers
may still open (``_leftover``); the greedy rule fills what is left.  A
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
#: Rounding steps of the flow over the learners left out (``_leftover``): a small flow.
_LEFTOVER_STEPS = 3

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
    sharers: _Ints  # per arc sharer -> sink (they follow the targets' arcs): the sharer
    room: _Ints  # and the learners a group of theirs takes
    layers: list[int]  # where each block of arcs starts, and the end: each after its tails'

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
    A want whose learner may join one group only, or wants nothing else, needs
    no node of its own: its arcs leave from the learner (at 50,000 participants
    a fifth fewer nodes, and the flows about a tenth faster).  Nodes are numbered
    without gaps.
    """
    people = model.inst.people
    wants = sorted(model.entries_of)
    want_learner = np.asarray([lrn for lrn, _skill in wants], dtype=np.int64)
    learners, learner_of_want, per_learner = np.unique(
        want_learner, return_inverse=True, return_counts=True
    )
    limit = np.minimum(
        [people[i].limit_left for i in learners.tolist()], per_learner
    ).astype(np.int64)
    own = ((limit > 1) & (per_learner > 1))[learner_of_want]  # wants with a node
    want0 = 2 + len(learners)
    want_node = 2 + learner_of_want
    want_node[own] = want0 + np.arange(int(own.sum()))
    hub0 = want0 + int(own.sum())
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
    sharers, sharer_rank = np.unique(sharer, return_inverse=True)
    group = model.inst.group_slots
    room = np.asarray([1 if people[j].one_to_one else group for j in sharers.tolist()],
                      dtype=np.int64)
    sharer_room = [people[j].cap_left * r for j, r in zip(sharers.tolist(), room.tolist(),
                                                          strict=True)]
    net = _Arcs()
    net.add(np.zeros(len(learners)), 2 + np.arange(len(learners)), limit)
    net.add(2 + learner_of_want[own], want_node[own], 1)
    into = np.where(kind[entry] == _ENTRY, hub0, target0) + ref_b[entry]
    net.add(want_node[want_of[entry]], into, 1, -np.round(np.asarray(b.ctx)[entry]), entry)
    net.add(hub0 + ref_a[out], target0 + ref_b[out], np.asarray(b.ub)[out], 0, out)
    first_target = net.count
    net.add(target0 + np.arange(len(sharer)), sharer0 + sharer_rank, cap_left * slots)
    net.add(sharer0 + np.arange(len(sharers)), np.ones(len(sharers)), sharer_room)
    tails, heads, caps, costs, column = net.arrays()
    return _Network(tails, heads, caps, costs, column, first_target, sharer, slots, cap_left,
                    sharers, room, net.starts())


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

    def starts(self) -> list[int]:
        out = [0]
        for blk in self.blocks:
            out.append(out[-1] + len(blk[0]))
        return out

    def arrays(self) -> tuple[_Ints, ...]:
        return tuple(np.concatenate([blk[k] for blk in self.blocks]) for k in range(5))


def _max_flow(net: _Network) -> _Flow:
    """The most learners placed, then the most context among those (whole numbers)."""
    return _solve_flow(net.tails, net.heads, net.caps, net.costs)


def _solve_flow(tails: _Ints, heads: _Ints, caps: _Ints, costs: _Ints) -> _Flow:
    """Maximum flow of least cost from node 0 to node 1."""
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supply = int(caps[tails == 0].sum())
    solver.set_node_supply(0, supply)
    solver.set_node_supply(1, -supply)
    status = solver.solve_max_flow_with_min_cost()
    if status != solver.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: {status}")
    flows = np.asarray(solver.flows(np.arange(len(tails))), dtype=np.int64)
    return _Flow(int(solver.maximum_flow()), -int(solver.optimal_cost()), flows)


def _kept_groups(need: _Ints, slots: _Ints, sharer: _Ints, spare: _Ints) -> tuple[_Ints, bool]:
    """Per target the groups it may open for ``need`` learners, within each sharer's
    ``spare`` groups (indexed by sharer), and whether some sharer needed more.

    A target needs ``ceil(need / slots)`` groups.  Where a sharer's targets need
    more than it has, it keeps its fullest groups (target order breaks ties, so
    the choice is deterministic).
    """
    full, rest = np.divmod(need, slots)
    groups = full + (rest > 0)
    over = np.bincount(sharer, weights=groups, minlength=len(spare)) > spare
    candidates: dict[int, list[tuple[int, int]]] = {}
    for t in np.flatnonzero(over[sharer]).tolist():
        sizes = [int(slots[t])] * int(full[t]) + ([int(rest[t])] if rest[t] else [])
        candidates.setdefault(int(sharer[t]), []).extend((-n, t) for n in sizes)
        groups[t] = 0
    for j, found in candidates.items():
        for _size, t in sorted(found)[: spare[j]]:
            groups[t] += 1
    return groups, bool(over.any())


def _capacity(net: _Network) -> _Ints:
    """Each sharer's capacity in groups, indexed by sharer."""
    size = int(net.sharer.max()) + 1 if len(net.sharer) else 0
    capacity = np.zeros(size, dtype=np.int64)
    capacity[net.sharer] = net.cap_left
    return capacity


def _whole_groups(net: _Network, flow: _Flow) -> tuple[_Ints, _Floats]:
    """Per target the learners whole groups can take, within each sharer's capacity.

    Returns the targets' capacities and, per target, the learners turned away
    (0 where all fit).
    """
    learners = flow.flows[net.first_target : net.first_target + len(net.sharer)]
    groups, _over = _kept_groups(learners, net.slots, net.sharer, _capacity(net))
    caps = groups * net.slots
    return caps, np.maximum(learners - caps, 0).astype(np.float64)


def _leftover(net: _Network, flow: _Flow, clock: _Clock) -> _Ints:
    """More flow per arc: learners left out, into free places of the grouping ``flow``.

    The free places are the open slots of its groups (no capacity needed) and
    the groups its sharers may still open.  Only the part of the network the
    learners left out can reach is solved, so this is a small flow; the new
    groups are rounded like the first ones (``_LEFTOVER_STEPS``).
    """
    ntarget, first = len(net.sharer), net.first_target
    learners = flow.flows[first : first + ntarget]
    groups = -(-learners // net.slots)
    free = groups * net.slots - learners
    capacity = _capacity(net)
    spare = capacity - np.bincount(net.sharer, weights=groups,
                                   minlength=len(capacity)).astype(np.int64)
    spare = np.maximum(spare, 0)
    caps = net.caps - flow.flows
    caps[first : first + ntarget] = spare[net.sharer] * net.slots
    sharer_arcs = slice(first + ntarget, len(caps))
    caps[sharer_arcs] = spare[net.sharers] * net.room
    target_nodes = net.tails[first : first + ntarget]
    tails = np.concatenate([net.tails, target_nodes])
    heads = np.concatenate([net.heads, np.ones(ntarget, dtype=np.int64)])
    caps = np.concatenate([caps, free])
    costs = np.concatenate([net.costs, np.zeros(ntarget, dtype=np.int64)])
    # only arcs reachable from the source: the arcs are in layers, each after its tails'
    reach = np.zeros(int(max(tails.max(), heads.max())) + 1, dtype=bool)
    reach[0] = True
    use = np.zeros(len(tails), dtype=bool)
    for lo, hi in zip(net.layers[:-1], net.layers[1:], strict=True):
        part = slice(lo, hi)
        use[part] = (caps[part] > 0) & reach[tails[part]]
        reach[heads[part][use[part]]] = True
    last = slice(len(net.tails), len(tails))
    use[last] = (caps[last] > 0) & reach[tails[last]]
    arcs = np.flatnonzero(use)
    extra = np.zeros(len(net.tails), dtype=np.int64)
    if not use[net.layers[0] : net.layers[1]].any():
        return extra
    _nodes, index = np.unique(np.concatenate([[0, 1], tails[arcs], heads[arcs]]),
                             return_inverse=True)
    sub_t = index[2 : 2 + len(arcs)]
    sub_h = index[2 + len(arcs) :]
    sub_caps = caps[arcs].copy()
    sub_costs = costs[arcs]
    # the targets' group arcs and free-slot arcs in the small network
    group_at = np.full(ntarget, -1, dtype=np.int64)
    free_at = np.full(ntarget, -1, dtype=np.int64)
    in_group = (arcs >= first) & (arcs < first + ntarget)
    group_at[arcs[in_group] - first] = np.flatnonzero(in_group)
    in_free = arcs >= len(net.tails)
    free_at[arcs[in_free] - len(net.tails)] = np.flatnonzero(in_free)
    has_group = group_at >= 0

    def kept_now(small: _Flow) -> tuple[_Ints, bool, _Ints]:
        came = np.where(has_group, small.flows[group_at], 0) + np.where(
            free_at >= 0, small.flows[free_at], 0)
        need = np.maximum(came - free, 0)
        kept, over = _kept_groups(need, net.slots, net.sharer, spare)
        return kept, over, need

    small = _solve_flow(sub_t, sub_h, sub_caps, sub_costs)
    for _step in range(_LEFTOVER_STEPS):
        kept, over, need = kept_now(small)
        if not over or clock.left() <= 0:
            break
        lost = need > kept * net.slots
        fix = has_group & (np.bincount(net.sharer[lost], minlength=len(spare)) > 0)[net.sharer]
        sub_caps[group_at[fix]] = kept[fix] * net.slots[fix]
        small = _solve_flow(sub_t, sub_h, sub_caps, sub_costs)
    kept, _over, _need = kept_now(small)
    sub_caps[group_at[has_group]] = kept[has_group] * net.slots[has_group]
    small = _solve_flow(sub_t, sub_h, sub_caps, sub_costs)
    moved = small.flows
    inside = arcs < len(net.tails)
    np.add.at(extra, arcs[inside], moved[inside])
    np.add.at(extra, first + arcs[~inside] - len(net.tails), moved[~inside])
    return extra


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
    flows = flow.flows
    if clock.left() > 0:
        flows = flows + _leftover(net, flow, clock)
    x = np.zeros(len(b.ub))
    carried = net.column >= 0
    x[net.column[carried]] = flows[carried]
    return x, bound
