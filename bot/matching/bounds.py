"""Upper bounds without the model: what no grouping of the round can beat.

Every learner placed in as many groups as their limit allows, each with the best
sharer they could have for that skill, capacity aside.  Used for the context
of rounds solved as flows that place fewer learners than their bound (the
flows' own context bound holds only for groupings that place as many), so that
every result says how far from the best it can be.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

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
