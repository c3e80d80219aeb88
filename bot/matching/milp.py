"""The exact model: the round's mixed-integer program, built column by column.

Kept apart from solving it so that what the program says (variables, rows,
objectives) can be read without the solver's mechanics.
"""

from __future__ import annotations

import math
from array import array
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from bot.matching.hubs import _hub_setup, _Key, _key_score
from bot.matching.instance import _Blocked, _Instance, _score


class _Target(NamedTuple):
    """Where a learner can go: a sharer's groups for a skill, held in a language.

    ``pair`` targets take 1:1-only learners, one group each; the others take
    ``group_slots`` learners a group (one when the sharer only does 1:1).
    """

    sharer: int
    skill: str
    language: str
    pair: bool


_PAIR, _ENTRY, _OUT = 1, 2, 3  # column kinds


class _Builder:
    """Columns and rows of the MILP, and what each column means for decoding."""

    def __init__(self) -> None:
        # compact arrays: at 50,000 participants Python lists of floats cost gigabytes
        self.place = array("d")
        self.ctx = array("d")
        self.load = array("d")
        self.ub = array("d")
        self.integer = array("b")
        self.rows = array("q")
        self.cols = array("q")
        self.vals = array("d")
        self.row_lb = array("d")
        self.row_ub = array("d")
        # what a column means, for decoding: its kind, and two ids
        self.kind = array("b")  # 0 other, PAIR learner->target, ENTRY learner->hub, OUT hub->target
        self.ref_a = array("q")  # learner (PAIR, ENTRY) or hub (OUT)
        self.ref_b = array("q")  # target (PAIR, OUT) or hub (ENTRY)
        self.hubs = 0
        # per sharer: group-count columns, 1:1 inflow columns, load columns
        self.sharers: list[tuple[list[int], list[int], list[int], int]] = []
        # per wanted skill: its row and the most context it can bring
        self.want_rows: dict[int, float] = {}

    def col(
        self, ub: float, integer: bool, place: float = 0, ctx: float = 0, load: float = 0
    ) -> int:
        self.kind.append(0)
        self.ref_a.append(-1)
        self.ref_b.append(-1)
        self.place.append(place)
        self.ctx.append(ctx)
        self.load.append(load)
        self.ub.append(ub)
        self.integer.append(1 if integer else 0)
        return len(self.ub) - 1

    def mark(self, col: int, kind: int, a: int, b: int) -> None:
        self.kind[col], self.ref_a[col], self.ref_b[col] = kind, a, b

    def row(self, entries: Iterable[tuple[int, float]], lb: float, ub: float) -> None:
        r = len(self.row_lb)
        for c, v in entries:
            self.rows.append(r)
            self.cols.append(c)
            self.vals.append(v)
        self.row_lb.append(lb)
        self.row_ub.append(ub)


@dataclass
class _Channel:
    """One skill in one language, for either group or 1:1-only learners."""

    skill: str
    learners: list[int]
    targets: list[int]  # target ids; one per sharer


class _Model:
    """Builds the round's MILP with its three objective vectors: placements, context, load.

    Variables: one binary per (learner, skill, target) for pairs modelled one by
    one; for the rest one binary per (learner, skill, hub) and one integer flow per
    (hub, target); an integer group count per target; and per sharer one
    continuous 0–1 variable per learner they could take, carrying the load cost.
    """

    def __init__(self, inst: _Instance, blocked: _Blocked) -> None:
        self.inst = inst
        self.blocked = blocked
        self.b = _Builder()
        self.hubs = _hub_setup(inst)
        self.targets: list[_Target] = []
        self._target_ids: dict[_Target, int] = {}
        self.entries_of: dict[tuple[int, str], list[int]] = defaultdict(list)
        self.flow_in: dict[int, list[int]] = defaultdict(list)
        self._keys: dict[int, list[_Key]] = {}
        self.rows = True

    def keys(self, person: int) -> list[_Key]:
        if person not in self._keys:
            self._keys[person] = self.hubs.keys(self.inst.people[person])
        return self._keys[person]

    def target(self, t: _Target) -> int:
        if t not in self._target_ids:
            self._target_ids[t] = len(self.targets)
            self.targets.append(t)
        return self._target_ids[t]

    def build(self, todo: list[tuple[int, str]], rows: bool = True) -> _Builder:
        """The model's columns for ``todo``; with ``rows=False`` only the columns that
        carry learners (pairs, hub entries and exits), which is all a flow reads."""
        self.rows = rows
        people = self.inst.people
        by_skill: dict[str, list[int]] = defaultdict(list)
        for lrn, skill in todo:
            by_skill[skill].append(lrn)
        for skill in sorted(by_skill):
            learners, sharers = by_skill[skill], self.inst.sharers[skill]
            for lang in _channel_languages(self.inst, learners, sharers):
                js = [j for j in sharers if lang in people[j].langs]
                ls = [lrn for lrn in learners if lang in people[lrn].langs]
                for pair in (False, True):
                    chosen = [lrn for lrn in ls if people[lrn].one_to_one == pair]
                    if chosen and js:
                        tids = [self.target(_Target(j, skill, lang, pair)) for j in js]
                        self._channel(_Channel(skill, chosen, tids))
        if rows:
            self._learner_rows()
            self._group_rows()
        return self.b

    def _channel(self, ch: _Channel) -> None:
        """Pairs one by one when that is smaller (or needed), else through context hubs."""
        sharer_set = {self.targets[t].sharer for t in ch.targets}
        stops = [bool(self.blocked.get((lrn, ch.skill), set()) & sharer_set) for lrn in ch.learners]
        one_by_one = [lrn for lrn, stop in zip(ch.learners, stops, strict=True) if stop]
        free = [lrn for lrn, stop in zip(ch.learners, stops, strict=True) if not stop]
        target_keys = {k for t in ch.targets for k in self.keys(self.targets[t].sharer)}
        learner_keys = {k for lrn in free for k in self.keys(lrn)}
        via_hubs = sum(len(learner_keys.intersection(self.keys(lrn))) for lrn in free) + sum(
            len(learner_keys.intersection(self.keys(self.targets[t].sharer))) for t in ch.targets
        )
        if len(free) * len(ch.targets) <= via_hubs:
            one_by_one, free = ch.learners, []
        for lrn in one_by_one:
            self._pairs(ch, lrn)
        if free:
            self._through_hubs(ch, free, target_keys & learner_keys)

    def _pairs(self, ch: _Channel, lrn: int) -> None:
        people, b = self.inst.people, self.b
        stop = self.blocked.get((lrn, ch.skill), set())
        for tid in ch.targets:
            j = self.targets[tid].sharer
            if j in stop:
                continue
            col = b.col(1.0, True, place=1.0, ctx=_score(self.inst, people[j], people[lrn]))
            b.mark(col, _PAIR, lrn, tid)
            self.entries_of[(lrn, ch.skill)].append(col)
            self.flow_in[tid].append(col)

    def _through_hubs(self, ch: _Channel, learners: list[int], keys: set[_Key]) -> None:
        b, inst = self.b, self.inst
        hub_of: dict[_Key, int] = {}
        ins: dict[int, list[int]] = defaultdict(list)
        outs: dict[int, list[int]] = defaultdict(list)
        for key in sorted(keys):
            hub_of[key] = b.hubs
            b.hubs += 1
        for lrn in learners:
            for key in self.keys(lrn):
                if key in hub_of:
                    col = b.col(1.0, True, place=1.0, ctx=_key_score(inst, key))
                    b.mark(col, _ENTRY, lrn, hub_of[key])
                    self.entries_of[(lrn, ch.skill)].append(col)
                    ins[hub_of[key]].append(col)
        for tid in ch.targets:
            t = self.targets[tid]
            most = self._slots(t) * inst.people[t.sharer].cap_left
            for key in self.keys(t.sharer):
                hub = hub_of.get(key)
                if hub is None or not ins[hub]:
                    continue
                col = b.col(float(min(most, len(ins[hub]))), True)
                b.mark(col, _OUT, hub, tid)
                outs[hub].append(col)
                self.flow_in[tid].append(col)
        for hub in sorted(ins) if self.rows else ():
            b.row([*((c, 1.0) for c in ins[hub]), *((c, -1.0) for c in outs[hub])], 0.0, 0.0)

    def _slots(self, t: _Target) -> int:
        if t.pair or self.inst.people[t.sharer].one_to_one:
            return 1
        return self.inst.group_slots

    def _learner_rows(self) -> None:
        """Each wanted skill placed at most once; each learner within their limit."""
        per_learner: dict[int, list[list[int]]] = defaultdict(list)
        for (lrn, _skill), cols in sorted(self.entries_of.items()):
            self.b.want_rows[len(self.b.row_lb)] = max(self.b.ctx[c] for c in cols)
            self.b.row(((c, 1.0) for c in cols), 0.0, 1.0)
            per_learner[lrn].append(cols)
        for lrn, lists in sorted(per_learner.items()):
            limit = self.inst.people[lrn].limit_left
            if len(lists) > limit:
                self.b.row(((c, 1.0) for cols in lists for c in cols), 0.0, float(limit))

    def _group_rows(self) -> None:
        """Group counts per target, sharer capacity in groups, and the load of each learner."""
        b, people = self.b, self.inst.people
        counts: dict[int, list[int]] = defaultdict(list)
        singles: dict[int, list[int]] = defaultdict(list)
        arrivals: dict[int, list[int]] = defaultdict(list)
        for tid, t in enumerate(self.targets):
            inflow = self.flow_in.get(tid)
            if not inflow:
                continue
            arrivals[t.sharer].extend(inflow)
            slots = self._slots(t)
            if slots == 1:
                singles[t.sharer].extend(inflow)
                continue
            reach = sum(b.ub[c] for c in inflow)
            most = min(people[t.sharer].cap_left, math.ceil(reach / slots))
            n = b.col(float(most), True)
            b.row([*((c, 1.0) for c in inflow), (n, -float(min(slots, reach)))], -math.inf, 0.0)
            if len(inflow) > 1:
                # each way in needs the group open: what keeps the relaxation close
                for c in inflow:
                    b.row([(c, 1.0), (n, -float(min(slots, b.ub[c])))], -math.inf, 0.0)
            counts[t.sharer].append(n)
        for j in sorted(arrivals):
            person = people[j]
            b.row(((c, 1.0) for c in counts[j] + singles[j]), 0.0, float(person.cap_left))
            # a learner costs the number of the sharer's group they make up, counting
            # past groups: sharers with fewer groups first, no second group before a first
            slots = 1 if person.one_to_one else self.inst.group_slots
            loads = [
                b.col(1.0, False, load=float(1 + person.load + k // slots))
                for k in range(person.cap_left * slots)
            ]
            b.row([*((c, 1.0) for c in arrivals[j]), *((u, -1.0) for u in loads)], 0.0, 0.0)
            b.sharers.append((counts[j], singles[j], loads, person.cap_left))


def _channel_languages(inst: _Instance, learners: list[int], sharers: list[int]) -> list[str]:
    """Languages worth modelling for a skill: drop one whose speakers all speak another.

    A group held in such a language could be held in the other one with the same
    members, so leaving it out loses nothing and keeps the model small.
    """
    speakers: dict[str, int] = defaultdict(int)
    on_sharer_side: set[str] = set()
    for bit, j in enumerate(sharers):
        for lang in inst.people[j].langs:
            speakers[lang] |= 1 << bit
            on_sharer_side.add(lang)
    on_learner_side: set[str] = set()
    for bit, lrn in enumerate(learners, start=len(sharers)):
        for lang in inst.people[lrn].langs:
            speakers[lang] |= 1 << bit
            on_learner_side.add(lang)
    langs = sorted(on_sharer_side & on_learner_side)
    kept = []
    for lang in langs:
        mine = speakers[lang]
        if not any(
            other != lang
            and mine & speakers[other] == mine
            and (speakers[other] != mine or other < lang)
            for other in langs
        ):
            kept.append(lang)
    return kept
