"""Upper bounds without the model: what no grouping of the round can beat.

Every learner placed in as many groups as their limit allows, each with the best
sharer they could have for that skill, capacity aside; and for placements, a
maximum flow that counts each sharer's capacity in learners.  Used where the
solver gives no bound of its own (rounds solved in blocks of learners), so that
every result says how far from the best it can be.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import maximum_flow

from bot.matching.hubs import _hub_setup, _Key, _key_score
from bot.matching.instance import _Blocked, _Instance, _score


def _simple_bounds(
    inst: _Instance, blocked: _Blocked, todo: Iterable[tuple[int, str]]
) -> tuple[int, int]:
    """(placements, context) no solution exceeds, for the wanted skills in ``todo``.

    Placements: per learner, their limit or their reachable wants, whichever is
    fewer.  Context: per learner, the sum of that many best scores, one per
    wanted skill, each the best sharer of the skill they share a language with.
    """
    keys = _KeyCache(inst)
    best: dict[int, list[float]] = defaultdict(list)
    index: dict[str, set[tuple[str, _Key]]] = {}
    for lrn, skill in todo:
        if skill not in index:
            index[skill] = {
                (lang, key)
                for j in inst.sharers.get(skill, ())
                for _score_, key in keys.of(j)
                for lang in inst.people[j].langs
            }
        best[lrn].append(_best_score(inst, keys, index[skill], lrn, skill, blocked))
    placed, context = 0, 0.0
    for lrn, scores in best.items():
        room = min(inst.people[lrn].limit_left, len(scores))
        placed += room
        context += sum(sorted(scores, reverse=True)[:room])
    return placed, int(round(context))


class _KeyCache:
    """Each person's context keys with their scores, best first, computed once."""

    def __init__(self, inst: _Instance) -> None:
        self.inst = inst
        self.hubs = _hub_setup(inst)
        self.cache: dict[int, list[tuple[float, _Key]]] = {}

    def of(self, person: int) -> list[tuple[float, _Key]]:
        if person not in self.cache:
            keys = self.hubs.keys(self.inst.people[person])
            scored = [(_key_score(self.inst, key), key) for key in keys]
            self.cache[person] = sorted(scored, reverse=True)
        return self.cache[person]


def _best_score(
    inst: _Instance,
    keys: _KeyCache,
    sharer_keys: set[tuple[str, _Key]],
    lrn: int,
    skill: str,
    blocked: _Blocked,
) -> float:
    """The most context the learner can have with one sharer of the skill."""
    person = inst.people[lrn]
    stop = blocked.get((lrn, skill))
    if stop:  # some sharers are out of reach: look at the others one by one
        langs = set(person.langs)
        return max(
            (
                _score(inst, inst.people[j], person)
                for j in inst.sharers.get(skill, ())
                if j not in stop and not langs.isdisjoint(inst.people[j].langs)
            ),
            default=0.0,
        )
    for score, key in keys.of(lrn):  # best first: the first key a sharer has is the best
        if any((lang, key) in sharer_keys for lang in person.langs):
            return score
    return 0.0


def _flow_bound(inst: _Instance, todo: Sequence[tuple[int, str]]) -> int:
    """The most learners a round can place if groups could be split across skills.

    A maximum flow: source -> learner (their limit) -> wanted skill (1) -> the
    skill in a language they speak -> each sharer of it who speaks that language
    -> sink (the sharer's capacity times their group size).  Every grouping is
    such a flow, so no grouping places more; repeats and 1:1-only learners are
    left out of it, which only makes the bound larger.
    """
    nodes: dict[object, int] = {"source": 0, "sink": 1}
    tails: list[int] = []
    heads: list[int] = []
    caps: list[int] = []

    def node(key: object) -> int:
        return nodes.setdefault(key, len(nodes))

    def edge(a: int, b: int, cap: int) -> None:
        tails.append(a)
        heads.append(b)
        caps.append(cap)

    people = inst.people
    channels: set[tuple[str, str]] = set()
    for lrn, skill in todo:
        person = people[lrn]
        if ("learner", lrn) not in nodes:
            edge(0, node(("learner", lrn)), person.limit_left)
        learner, want = nodes[("learner", lrn)], node(("want", lrn, skill))
        edge(learner, want, 1)
        for lang in person.langs:
            edge(want, node(("channel", skill, lang)), 1)
            channels.add((skill, lang))
    for skill, lang in sorted(channels):
        for j in inst.sharers.get(skill, ()):
            if lang in people[j].langs:
                edge(nodes[("channel", skill, lang)], node(("sharer", j)), len(todo))
    for key, sharer in list(nodes.items()):
        if isinstance(key, tuple) and key[0] == "sharer":
            person = people[key[1]]
            slots = 1 if person.one_to_one else inst.group_slots
            edge(sharer, 1, person.cap_left * slots)
    size = len(nodes)
    graph = csr_array(
        (np.asarray(caps, dtype=np.int32), (np.asarray(tails), np.asarray(heads))),
        shape=(size, size),
    )
    return int(maximum_flow(graph, 0, 1).flow_value)
