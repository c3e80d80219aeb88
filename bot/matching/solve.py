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
program's are solved in blocks of learners.  ``baseline_match`` is the
greedy rule of the Capacity Exchange, kept for comparison and to fill what a
time-out leaves open.

``match_round`` and ``baseline_match`` are pure functions of their arguments;
input order never changes the result.
"""

from __future__ import annotations

import datetime
import math
import re
import time
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

import highspy
import numpy as np
from scipy.sparse import coo_array, csc_array, csr_array
from scipy.sparse.csgraph import connected_components

from bot.model import Profile

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


# --------------------------------------------------------------------------- public values


@dataclass(frozen=True)
class MatchSettings:
    """What the working group may tune; the defaults are the program's own."""

    max_group_size: int = 4  # sharer + up to 3 learners
    learner_groups_per_round: int = 1
    no_repeat_rounds: int = 6
    weights: dict = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
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

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "skill": self.skill,
            "language": self.language,
            "sharer": self.sharer,
            "learners": list(self.learners),
            "context": list(self.context),
        }

    @classmethod
    def from_json(cls, data: Mapping) -> Group:
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

    def as_json(self) -> dict:
        return {"user": self.user, "skill": self.skill, "reason": self.reason}


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
    stats: dict = field(default_factory=dict, compare=False)

    @property
    def placements(self) -> int:
        """Learner placements (learner–skill pairs in a group), published ones included."""
        return sum(len(g.learners) for g in self.groups)

    def as_json(self) -> dict:
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


# --------------------------------------------------------------------------- the instance


@dataclass
class _Person:
    """A participant reduced to what matching reads, with this round's budgets."""

    idx: int
    user: str
    region: str
    country: str
    langs: tuple[str, ...]
    areas: frozenset[str]
    share: frozenset[str]
    learn: tuple[str, ...]
    one_to_one: bool
    takes_part: bool  # formats include 1:1 or group
    cap_left: int  # groups they may still share this round
    limit_left: int  # groups they may still join as a learner this round
    load: int  # groups shared in the past and already this round


_Blocked = Mapping[tuple[int, str], set[int]]  # (learner, skill) -> sharers they may not get


@dataclass
class _Instance:
    people: list[_Person]
    by_user: dict[str, int]
    wants: list[tuple[int, str]]  # open (learner, skill): not placed in a published group
    sharers: dict[str, list[int]]  # skill -> sharers with capacity left (sorted by user)
    listed: dict[str, list[int]]  # skill -> every taking-part sharer, capacity or not
    forbidden: set[tuple[int, int, str]]  # (sharer, learner, skill) met recently
    weights: tuple[float, float, float]
    group_slots: int  # learners per group


def _prepare(
    profiles: Iterable[Profile],
    round_id: str,
    settings: MatchSettings,
    history: Iterable[tuple[str, Group]],
    published: Iterable[Group],
) -> _Instance:
    """Reduce profiles and the round's past to budgets and rules, in a canonical order."""
    chosen: dict[str, Profile] = {}
    for prof in profiles:
        if prof.status != "active" or not prof.user:
            continue
        old = chosen.get(prof.user)
        if old is None or (prof.revision, prof.page) > (old.revision, old.page):
            chosen[prof.user] = prof
    published = list(published)
    shared_now: dict[str, int] = defaultdict(int)
    learned_now: dict[str, int] = defaultdict(int)
    placed_now: set[tuple[str, str]] = set()
    for grp in published:
        shared_now[grp.sharer] += 1
        for learner in grp.learners:
            learned_now[learner] += 1
            placed_now.add((learner, grp.skill))
    past: dict[str, int] = defaultdict(int)
    recent: set[tuple[str, str, str]] = set()
    for past_round, grp in history:
        age = rounds_between(past_round, round_id)
        if age <= 0:
            continue  # this round's groups come in as ``published``; later ones do not count
        past[grp.sharer] += 1
        if age <= settings.no_repeat_rounds:
            recent.update((grp.sharer, learner, grp.skill) for learner in grp.learners)
    people = []
    for idx, user in enumerate(sorted(chosen)):
        prof = chosen[user]
        formats = tuple(prof.formats)
        people.append(
            _Person(
                idx=idx,
                user=user,
                region=prof.region or "",
                country=prof.country or "",
                langs=tuple(dict.fromkeys(x for x in prof.languages if x)),
                areas=frozenset(a for a in prof.areas if a),
                share=frozenset(s for s in prof.share if s),
                learn=tuple(dict.fromkeys(s for s in prof.learn if s)),
                one_to_one=formats == ("1:1",),
                takes_part=not formats or "1:1" in formats or "group" in formats,
                cap_left=max(0, int(prof.capacity) - shared_now[user]),
                limit_left=max(0, settings.learner_groups_per_round - learned_now[user]),
                load=past[user] + shared_now[user],
            )
        )
    by_user = {p.user: p.idx for p in people}
    wants = [(p.idx, s) for p in people for s in p.learn if (p.user, s) not in placed_now]
    listed: dict[str, list[int]] = defaultdict(list)
    for p in people:
        if p.takes_part:
            for skill in sorted(p.share):
                listed[skill].append(p.idx)
    sharers = {s: [j for j in js if people[j].cap_left > 0] for s, js in listed.items()}
    forbidden = {
        (by_user[j], by_user[lrn], s) for j, lrn, s in recent if j in by_user and lrn in by_user
    }
    w = settings.weights
    return _Instance(
        people=people,
        by_user=by_user,
        wants=wants,
        sharers=sharers,
        listed=dict(listed),
        forbidden=forbidden,
        weights=(float(w["region"]), float(w["country"]), float(w["area"])),
        group_slots=settings.max_group_size - 1,
    )


def _score(inst: _Instance, a: _Person, b: _Person) -> float:
    """Shared context of two people: the objective's second level, pair by pair."""
    wr, wc, wa = inst.weights
    return (
        (wr if a.region and a.region == b.region else 0.0)
        + (wc if a.country and a.country == b.country else 0.0)
        + (wa if a.areas & b.areas else 0.0)
    )


def _blocked(inst: _Instance) -> _Blocked:
    """Sharers each (learner, skill) may not get: recent repeats, and themselves."""
    out: dict[tuple[int, str], set[int]] = defaultdict(set)
    for j, lrn, skill in inst.forbidden:
        out[(lrn, skill)].add(j)
    for lrn, skill in inst.wants:
        if skill in inst.people[lrn].share:
            out[(lrn, skill)].add(lrn)
    return out


def _has_partner(inst: _Instance, lrn: int, pool: Iterable[int], blocked: set[int]) -> bool:
    """Whether someone in ``pool`` speaks a language with the learner and is not blocked."""
    langs = inst.people[lrn].langs
    return any(
        j not in blocked and not set(langs).isdisjoint(inst.people[j].langs) for j in pool
    )


def _language_index(inst: _Instance, pool: Mapping[str, list[int]]) -> dict[str, dict[str, int]]:
    """skill -> language -> how many people in the pool speak it, for quick yes/no checks."""
    out: dict[str, dict[str, int]] = {}
    for skill, js in pool.items():
        counts: dict[str, int] = defaultdict(int)
        for j in js:
            for lang in inst.people[j].langs:
                counts[lang] += 1
        out[skill] = counts
    return out


def _reachable(
    inst: _Instance,
    lrn: int,
    skill: str,
    pool: Mapping[str, list[int]],
    index: Mapping[str, Mapping[str, int]],
    blocked: _Blocked,
) -> bool:
    """Some sharer in ``pool`` could take this learner for this skill (language, repeats)."""
    stop = blocked.get((lrn, skill))
    if stop:
        return _has_partner(inst, lrn, pool.get(skill, ()), stop)
    counts = index.get(skill, {})
    return any(counts.get(lang, 0) for lang in inst.people[lrn].langs)


def _to_place(
    inst: _Instance, blocked: _Blocked, wants: Iterable[tuple[int, str]] | None = None
) -> list[tuple[int, str]]:
    """Open wants that a sharer with capacity left could take: the only ones worth modelling."""
    index = _language_index(inst, inst.sharers)
    return [
        (lrn, skill)
        for lrn, skill in (inst.wants if wants is None else wants)
        if inst.people[lrn].takes_part
        and inst.people[lrn].limit_left > 0
        and _reachable(inst, lrn, skill, inst.sharers, index, blocked)
    ]


# --------------------------------------------------------------------------- the exact model


class _Key(NamedTuple):
    """A context two people can have in common; empty parts match anybody."""

    region: str
    country: str
    area: str


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

    def keys(self, person: int) -> list[_Key]:
        if person not in self._keys:
            self._keys[person] = self.hubs.keys(self.inst.people[person])
        return self._keys[person]

    def target(self, t: _Target) -> int:
        if t not in self._target_ids:
            self._target_ids[t] = len(self.targets)
            self.targets.append(t)
        return self._target_ids[t]

    def build(self, todo: list[tuple[int, str]]) -> _Builder:
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
        for hub in sorted(ins):
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


def _hub_setup(inst: _Instance) -> _Hubs:
    wr, wc, wa = inst.weights
    region_of: dict[str, set[str]] = defaultdict(set)
    for p in inst.people:
        if p.country:
            region_of[p.country].add(p.region)
    consistent = frozenset(c for c, rs in region_of.items() if len(rs) == 1 and "" not in rs)
    return _Hubs(wr > 0, wc > 0, wa > 0, consistent)


@dataclass
class _Hubs:
    """Which context keys a person has: each part of their context, or nothing, combined.

    A pair meets at the most specific key they share, whose score is exactly the
    pair's context score.  A country that always comes with the same region
    needs no key without its region: the key with both is always better.
    """

    use_region: bool
    use_country: bool
    use_area: bool
    consistent: frozenset[str]

    def keys(self, p: _Person) -> list[_Key]:
        regions = [p.region, ""] if self.use_region and p.region else [""]
        countries = [p.country, ""] if self.use_country and p.country else [""]
        areas = [*sorted(p.areas), ""] if self.use_area else [""]
        skip_bare_country = self.use_region and p.country in self.consistent
        return [
            _Key(r, c, a)
            for r in regions
            for c in countries
            for a in areas
            if r or not c or not skip_bare_country
        ]


def _key_score(inst: _Instance, key: _Key) -> float:
    wr, wc, wa = inst.weights
    return (wr if key.region else 0.0) + (wc if key.country else 0.0) + (wa if key.area else 0.0)


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


# --------------------------------------------------------------------------- solving

#: Parts up to this many columns get the exact mixed-integer solve; larger parts are
#: solved by relaxation and rounding (see ``_rounded``): HiGHS's branch and bound
#: does not finish in time at that size.
_EXACT_COLUMNS = 30_000
#: Largest objective value for which levels are folded into one weighted objective;
#: above it the levels are solved one after another, to keep HiGHS's tolerances safe.
_FOLD_LIMIT = 2e9
#: Parts up to this many columns also get the load level solved exactly; above it load
#: is the tie-break inside the second level (good, not proven least).
_EXACT_LOAD_COLUMNS = 12_000
#: Rounding steps for large parts, each followed by a re-solve of the relaxation.
_ROUNDING_STEPS = 8
#: Absolute gap for the folded placements-and-context level with load as tie-break.
_TIE_GAP = 0.4
#: Rounds with more wanted skills to place than this are solved in blocks of learners.
_CHUNK_WANTS = 15_000
#: Independent parts smaller than this many columns are solved together, to save calls.
_BATCH_COLUMNS = 4000


@dataclass
class _Part:
    """Columns and rows of independent components solved in one call."""

    cols: np.ndarray
    rows: np.ndarray


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
    pending_c: list[np.ndarray] = []
    pending_r: list[np.ndarray] = []
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


def _by_label(labels: np.ndarray, count: int) -> list[np.ndarray]:
    """Indices grouped by component label, each group in increasing order."""
    order = np.argsort(labels, kind="stable")
    return np.split(order, np.cumsum(np.bincount(labels, minlength=count))[:-1])


@dataclass
class _Problem:
    """One part as arrays: maximise placements, then context, then minimise load."""

    a: csc_array
    row_lb: np.ndarray
    row_ub: np.ndarray
    ub: np.ndarray
    integer: np.ndarray
    place: np.ndarray
    ctx: np.ndarray
    load: np.ndarray
    sharers: list[tuple[np.ndarray, np.ndarray, np.ndarray, int]]  # local columns, capacity
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


class _Clock:
    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds

    def left(self) -> float:
        return self.deadline - time.monotonic()


class _Outcome(NamedTuple):
    x: np.ndarray | None
    proven: bool  # solved to optimality (a relaxation: to its own optimum)
    value: float  # objective value of x, in the sense it was solved (minimised)


class _Highs:
    """One HiGHS model per part, kept across objective levels so each starts from the last."""

    def __init__(self, p: _Problem) -> None:
        self.p = p
        self.h = highspy.Highs()
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

    def hold(self, coeffs: np.ndarray, low: float) -> int:
        """Keep a level reached: ``coeffs @ x >= low`` from now on; returns the row."""
        idx = np.flatnonzero(coeffs).astype(np.int32)
        self.h.addRow(low, math.inf, len(idx), idx, coeffs[idx].astype(np.float64))
        return self.h.getNumRow() - 1

    def bounds(self, cols: np.ndarray, low: np.ndarray, high: np.ndarray) -> None:
        cols = np.asarray(cols, dtype=np.int32)
        self.h.changeColsBounds(len(cols), cols, low.astype(np.float64), high.astype(np.float64))

    def run(
        self,
        cost: np.ndarray,
        clock: _Clock,
        start: np.ndarray | None = None,
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


@dataclass
class _Levels:
    """Upper bounds that make folding the three levels into one objective exact."""

    most_placed: float
    most_ctx: float
    most_load: float

    @classmethod
    def of(cls, p: _Problem) -> _Levels:
        return cls(p.most_placed, p.most_ctx, float(p.load @ p.ub))

    def ab(self, p: _Problem) -> np.ndarray:
        """Placements first, context second: one more learner beats any context."""
        return -((self.most_ctx + 1.0) * p.place + p.ctx)

    def ab_then_load(self, p: _Problem) -> np.ndarray:
        """``ab`` with load as a tie-break worth at most half a unit of context in all.

        Stopped at an absolute gap of ``_TIE_GAP`` (< 1/2), the solver cannot
        return worse placements or context, and prefers less load on the way.
        """
        return self.ab(p) + p.load * (0.5 / (self.most_load + 1.0))

    def abc(self, p: _Problem) -> np.ndarray | None:
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
    def of(cls, p: _Problem, x: np.ndarray, levels: _Levels, bound: float | None) -> _Report:
        placed, context = int(round(p.place @ x)), int(round(p.ctx @ x))
        if bound is None:
            return cls(placed, None, context, None)
        scale = int(levels.most_ctx) + 1
        placed_bound = int(bound) // scale
        # a context bound only compares with a solution that has as many placements
        context_bound = int(bound) - scale * placed_bound if placed == placed_bound else None
        return cls(placed, placed_bound, context, context_bound)


def _exact(
    p: _Problem, clock: _Clock, start: np.ndarray | None = None, start_best: bool = False
) -> tuple[np.ndarray | None, bool, _Report | None]:
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
    bound = scale * (p.place @ x) + p.ctx @ x if proven else None
    return x, proven, _Report.of(p, x, levels, bound)


def _exact_levels(
    p: _Problem,
    h: _Highs,
    levels: _Levels,
    clock: _Clock,
    start: np.ndarray | None,
    start_best: bool,
) -> tuple[np.ndarray | None, bool]:
    folded = levels.abc(p)
    if folded is not None and not start_best:
        out = h.run(folded, clock, start)
        return (start if out.x is None else _rounded_x(p, out.x)), out.proven
    if start_best:
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
        h.hold(p.place, p.place @ x - 0.5)
        out = h.run(-p.ctx, clock, start=x)
        if out.x is None:
            return x, False
        x, proven = _rounded_x(p, out.x), proven and out.proven
    if levels.most_load > 0 and len(p.ub) <= _EXACT_LOAD_COLUMNS:
        h.hold(p.place, p.place @ x - 0.5)
        h.hold(p.ctx, p.ctx @ x - 0.5)
        out = h.run(p.load, clock, start=x)
        if out.x is None:
            return x, False
        x, proven = _rounded_x(p, out.x), proven and out.proven
    return x, proven


def _rounded_x(p: _Problem, x: np.ndarray) -> np.ndarray:
    return np.where(p.integer == 1, np.round(x), x)


def _rounded(p: _Problem, clock: _Clock) -> tuple[np.ndarray | None, bool, _Report | None]:
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


def _round_some(p: _Problem, h: _Highs, x: np.ndarray) -> int:
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


def _integral(p: _Problem, x: np.ndarray) -> bool:
    ints = p.integer == 1
    return bool(np.all(np.abs(x[ints] - np.round(x[ints])) <= 1e-6))


def _round_counts(p: _Problem, x: np.ndarray) -> np.ndarray:
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


def _solve(
    inst: _Instance, blocked: _Blocked, clock: _Clock
) -> tuple[list[_NewGroup], bool, dict]:
    """The groups for what can still be placed; ``False`` if not proven optimal."""
    stats: dict = {"parts_exact": 0, "parts_rounded": 0, "chunks": 0, "placed": 0,
                   "placed_bound": 0, "context": 0, "context_bound": 0}
    todo = _to_place(inst, blocked)
    if len(todo) <= _CHUNK_WANTS:
        return *_solve_wants(inst, blocked, clock, todo, stats), stats
    # Far above the program's size even the relaxation is too slow: place learners in
    # blocks, each within the capacity the earlier ones left.
    work = replace(inst, people=[replace(p) for p in inst.people])
    groups: list[_NewGroup] = []
    for chunk in _chunks(todo):
        work.sharers = {s: [j for j in js if work.people[j].cap_left > 0]
                        for s, js in inst.sharers.items()}
        open_now = [(lrn, s) for lrn, s in chunk if work.people[lrn].limit_left > 0]
        found, _proven = _solve_wants(work, blocked, clock, _to_place(work, blocked, open_now),
                                      stats)
        stats["chunks"] += 1
        for g in found:
            work.people[g.sharer].cap_left -= 1
            work.people[g.sharer].load += 1
            for lrn in g.learners:
                work.people[lrn].limit_left -= 1
        groups.extend(found)
    stats["placed_bound"] = stats["context_bound"] = None
    return groups, False, stats


def _chunks(todo: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Learners in blocks of about ``_CHUNK_WANTS`` wanted skills, in user-name order.

    Whole learners, not whole skills: a learner's choice between skills stays
    inside one model, which is where placing them by skill lost most.
    """
    chunks: list[list[tuple[int, str]]] = [[]]
    for lrn, skill in sorted(todo):
        if len(chunks[-1]) >= _CHUNK_WANTS and chunks[-1][-1][0] != lrn:
            chunks.append([])
        chunks[-1].append((lrn, skill))
    return chunks


def _solve_wants(
    inst: _Instance,
    blocked: _Blocked,
    clock: _Clock,
    todo: list[tuple[int, str]],
    stats: dict,
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
    p: _Problem, clock: _Clock, stats: dict
) -> tuple[np.ndarray | None, bool, _Report | None]:
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


def _tally(stats: dict, report: _Report | None) -> None:
    """Add one part's figures; a bound unknown for one part is unknown for the round."""
    if report is None:
        stats["placed_bound"] = stats["context_bound"] = None
        return
    stats["placed"] += report.placed
    stats["context"] += report.context
    for key, value in (("placed_bound", report.placed_bound),
                       ("context_bound", report.context_bound)):
        stats[key] = None if value is None or stats[key] is None else stats[key] + value


class _NewGroup(NamedTuple):
    skill: str
    sharer: int
    learners: tuple[int, ...]
    language: str


def _decode(model: _Model, x: np.ndarray) -> list[_NewGroup]:
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


# --------------------------------------------------------------------------- the greedy rule


class _Greedy:
    """Capacity-Exchange-style matching: each learner in turn takes the best free sharer.

    "Best" is the most shared context (same weights as the exact model), ties
    going to the first sharer by user name.  A learner joins one of that
    sharer's groups for the skill when one has room in a language they speak,
    else the sharer opens a new group if capacity is left.  Used for comparison
    and to fill whatever the solver left when time ran out.
    """

    def __init__(
        self,
        inst: _Instance,
        blocked: _Blocked,
        seed: Iterable[_NewGroup] = (),
    ) -> None:
        self.inst = inst
        self.blocked = blocked
        self.hubs = _hub_setup(inst)
        people = inst.people
        self.cap = [p.cap_left for p in people]
        self.limit = [p.limit_left for p in people]
        self.placed: set[tuple[int, str]] = set()
        self.groups: list[list] = []  # [skill, sharer, learners, language]
        self.room: dict[tuple[int, str, str], list[int]] = defaultdict(list)
        self.index: dict[str, dict[tuple[str, _Key], list[int]]] = {}
        for g in seed:
            self.cap[g.sharer] -= 1
            for lrn in g.learners:
                self.limit[lrn] -= 1
                self.placed.add((lrn, g.skill))
            self._register([g.skill, g.sharer, list(g.learners), g.language])

    def _slots(self, sharer: int, learners: list[int]) -> int:
        people = self.inst.people
        if people[sharer].one_to_one or any(people[i].one_to_one for i in learners):
            return 1
        return self.inst.group_slots

    def _register(self, group: list) -> None:
        self.groups.append(group)
        if len(group[2]) < self._slots(group[1], group[2]):
            self.room[(group[1], group[0], group[3])].append(len(self.groups) - 1)

    def _lists(self, skill: str) -> dict[tuple[str, _Key], list[int]]:
        if skill not in self.index:
            lists: dict[tuple[str, _Key], list[int]] = defaultdict(list)
            for j in self.inst.sharers.get(skill, ()):
                person = self.inst.people[j]
                for key in self.hubs.keys(person):
                    for lang in person.langs:
                        lists[(lang, key)].append(j)
            self.index[skill] = lists
        return self.index[skill]

    def _alive(self, j: int, skill: str, lang: str) -> bool:
        return self.cap[j] > 0 or bool(self.room.get((j, skill, lang)))

    def _fits(self, j: int, lrn: int, skill: str, lang: str) -> bool:
        if j == lrn or j in self.blocked.get((lrn, skill), ()):
            return False
        if self.cap[j] > 0:
            return True
        return not self.inst.people[lrn].one_to_one and bool(self.room.get((j, skill, lang)))

    def _first(self, pool: list[int], lrn: int, skill: str, lang: str) -> int | None:
        dead = 0
        found = None
        for j in pool:
            if not self._alive(j, skill, lang):
                dead += 1
            elif self._fits(j, lrn, skill, lang):
                found = j
                break
        if dead > 8 and 2 * dead > len(pool):
            pool[:] = [j for j in pool if self._alive(j, skill, lang)]
        return found

    def _best(self, lrn: int, skill: str) -> tuple[int, str] | None:
        person = self.inst.people[lrn]
        lists = self._lists(skill)
        levels: dict[float, list[tuple[str, _Key]]] = defaultdict(list)
        for key in self.hubs.keys(person):
            for lang in person.langs:
                if (lang, key) in lists:
                    levels[_key_score(self.inst, key)].append((lang, key))
        for level in sorted(levels, reverse=True):
            best: tuple[int, str] | None = None
            for lang, key in levels[level]:
                j = self._first(lists[(lang, key)], lrn, skill, lang)
                if j is not None and (best is None or j < best[0]):
                    best = (j, lang)
            if best is not None:
                return best
        return None

    def _place(self, lrn: int, skill: str, j: int, lang: str) -> None:
        self.limit[lrn] -= 1
        self.placed.add((lrn, skill))
        room = self.room.get((j, skill, lang))
        if room and not self.inst.people[lrn].one_to_one:
            group = self.groups[room[0]]
            group[2].append(lrn)
            if len(group[2]) >= self._slots(j, group[2]):
                room.pop(0)
            return
        self.cap[j] -= 1
        self._register([skill, j, [lrn], lang])

    def run(self) -> list[_NewGroup]:
        people = self.inst.people
        for lrn, skill in self.inst.wants:  # learners in name order, skills as listed
            if self.limit[lrn] <= 0 or not people[lrn].takes_part or (lrn, skill) in self.placed:
                continue
            found = self._best(lrn, skill)
            if found is not None:
                self._place(lrn, skill, *found)
        return [_NewGroup(g[0], g[1], tuple(sorted(g[2])), g[3]) for g in self.groups]


# --------------------------------------------------------------------------- the result


def _language(inst: _Instance, members: Sequence[int]) -> str:
    """The language every member speaks that they rank highest together (then by code)."""
    people = inst.people
    common = set(people[members[0]].langs).intersection(*(people[i].langs for i in members[1:]))
    return min(common, key=lambda lang: (sum(people[i].langs.index(lang) for i in members), lang))


def _context(inst: _Instance, sharer: int, learners: Sequence[int]) -> tuple[str, ...]:
    """Context the sharer has in common with at least one learner."""
    s = inst.people[sharer]
    ls = [inst.people[i] for i in learners]
    items = []
    if s.region and any(p.region == s.region for p in ls):
        items.append(f"region:{s.region}")
    if s.country and any(p.country == s.country for p in ls):
        items.append(f"country:{s.country}")
    shared = s.areas & frozenset().union(*(p.areas for p in ls))
    items.extend(f"area:{a}" for a in sorted(shared))
    return tuple(items)


def _first_number(round_id: str, published: Sequence[Group]) -> int:
    pattern = re.compile(re.escape(round_id) + r"-(\d+)")
    numbers = [int(m.group(1)) for g in published if (m := pattern.fullmatch(g.id))]
    return max([len(published), *numbers]) + 1


def _reason(
    inst: _Instance,
    lrn: int,
    skill: str,
    index: Mapping[str, Mapping[str, int]],
    blocked: _Blocked,
    placed: int,
) -> str:
    person = inst.people[lrn]
    others = [j for j in inst.listed.get(skill, ()) if j != lrn]
    if not others:
        return "no-sharer"
    stop = blocked.get((lrn, skill), set())
    if stop or skill in person.share:  # the counts would include someone who cannot count
        if not _has_partner(inst, lrn, others, set()):
            return "no-common-language"
        if not _has_partner(inst, lrn, others, stop):
            return "repeat"
    elif not any(index.get(skill, {}).get(lang, 0) for lang in person.langs):
        return "no-common-language"
    if not person.takes_part:
        return "format"
    if placed >= person.limit_left:
        return "learner-limit"
    return "sharers-at-capacity"


def _finish(
    inst: _Instance,
    round_id: str,
    published: Sequence[Group],
    new: Iterable[_NewGroup],
    blocked: _Blocked,
    optimal: bool,
    stats: dict,
) -> MatchResult:
    people = inst.people
    made = []
    for g in new:
        members = (g.sharer, *g.learners)
        made.append(
            (
                g.skill,
                people[g.sharer].user,
                _language(inst, members),
                tuple(sorted(people[i].user for i in g.learners)),
                g,
            )
        )
    made.sort(key=lambda item: item[:4])
    taken_ids = {g.id for g in published}
    number = _first_number(round_id, published)
    groups = list(published)
    placed: dict[int, int] = defaultdict(int)
    got: set[tuple[int, str]] = set()
    for skill, sharer, language, learners, g in made:
        while f"{round_id}-{number:03d}" in taken_ids:
            number += 1
        groups.append(
            Group(
                id=f"{round_id}-{number:03d}",
                skill=skill,
                sharer=sharer,
                learners=learners,
                language=language,
                context=_context(inst, g.sharer, g.learners),
            )
        )
        number += 1
        for lrn in g.learners:
            placed[lrn] += 1
            got.add((lrn, skill))
    index = _language_index(inst, inst.listed)
    unmatched = [
        Unmatched(people[lrn].user, skill, _reason(inst, lrn, skill, index, blocked, placed[lrn]))
        for lrn, skill in inst.wants
        if (lrn, skill) not in got
    ]
    unmatched.sort(key=lambda u: (u.user, u.skill))
    wanted: dict[str, int] = defaultdict(int)
    for u in unmatched:
        if u.reason == "no-sharer":
            wanted[u.skill] += 1
    return MatchResult(
        round=round_id,
        groups=tuple(groups),
        unmatched=tuple(unmatched),
        sharers_wanted=dict(sorted(wanted.items())),
        optimal=optimal,
        stats=stats,
    )


# --------------------------------------------------------------------------- public functions


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
    _parse_round(round_id)
    clock = _Clock(settings.time_limit_s)
    published = sorted(published, key=lambda g: g.id)
    inst = _prepare(profiles, round_id, settings, history, published)
    blocked = _blocked(inst)
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
    _parse_round(round_id)
    published = sorted(published, key=lambda g: g.id)
    inst = _prepare(profiles, round_id, settings, history, published)
    blocked = _blocked(inst)
    groups = _Greedy(inst, blocked).run()
    return _finish(inst, round_id, published, groups, blocked, True, {"method": "greedy"})
