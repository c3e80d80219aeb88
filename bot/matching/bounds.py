"""Upper bounds that need no solver: what no grouping of the round can beat.

Every learner placed in as many groups as their limit allows, each with the best
sharer they could have for that skill, capacity aside.  Used where the solver
gives no bound of its own (rounds solved in blocks of learners), so that every
result says how far from the best it can be.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from bot.matching.hubs import _hub_setup, _Hubs, _Key, _key_score
from bot.matching.instance import _Blocked, _Instance, _score


def _simple_bounds(
    inst: _Instance, blocked: _Blocked, todo: Iterable[tuple[int, str]]
) -> tuple[int, int]:
    """(placements, context) no solution exceeds, for the wanted skills in ``todo``.

    Placements: per learner, their limit or their reachable wants, whichever is
    fewer.  Context: per learner, the sum of that many best scores, one per
    wanted skill, each the best sharer of the skill they share a language with.
    """
    hubs = _hub_setup(inst)
    best: dict[int, list[float]] = defaultdict(list)
    index: dict[str, set[tuple[str, _Key]]] = {}
    for lrn, skill in todo:
        if skill not in index:
            index[skill] = _skill_keys(inst, hubs, skill)
        best[lrn].append(_best_score(inst, hubs, index[skill], lrn, skill, blocked))
    placed, context = 0, 0.0
    for lrn, scores in best.items():
        room = min(inst.people[lrn].limit_left, len(scores))
        placed += room
        context += sum(sorted(scores, reverse=True)[:room])
    return placed, int(round(context))


def _skill_keys(inst: _Instance, hubs: _Hubs, skill: str) -> set[tuple[str, _Key]]:
    """(language, key) pairs some sharer of the skill with capacity left has."""
    out: set[tuple[str, _Key]] = set()
    for j in inst.sharers.get(skill, ()):
        person = inst.people[j]
        keys = hubs.keys(person)
        out.update((lang, key) for lang in person.langs for key in keys)
    return out


def _best_score(
    inst: _Instance,
    hubs: _Hubs,
    keys: set[tuple[str, _Key]],
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
    return max(
        (
            _key_score(inst, key)
            for key in hubs.keys(person)
            for lang in person.langs
            if (lang, key) in keys
        ),
        default=0.0,
    )
