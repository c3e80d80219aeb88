"""The greedy rule of the Capacity Exchange (the baseline), under the same rules."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from bot.matching.hubs import _hub_setup, _Key, _key_score
from bot.matching.instance import _Blocked, _Instance, _NewGroup


@dataclass
class _Forming:
    """A group the greedy rule is filling (its learners grow while there is room)."""

    skill: str
    sharer: int
    learners: list[int]
    language: str


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
        self.groups: list[_Forming] = []
        self.room: dict[tuple[int, str, str], list[int]] = defaultdict(list)
        self.index: dict[str, dict[tuple[str, _Key], list[int]]] = {}
        for g in seed:
            self.cap[g.sharer] -= 1
            for lrn in g.learners:
                self.limit[lrn] -= 1
                self.placed.add((lrn, g.skill))
            self._register(_Forming(g.skill, g.sharer, list(g.learners), g.language))

    def _slots(self, sharer: int, learners: list[int]) -> int:
        people = self.inst.people
        if people[sharer].one_to_one or any(people[i].one_to_one for i in learners):
            return 1
        return self.inst.group_slots

    def _register(self, group: _Forming) -> None:
        self.groups.append(group)
        if len(group.learners) < self._slots(group.sharer, group.learners):
            self.room[(group.sharer, group.skill, group.language)].append(len(self.groups) - 1)

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
            group.learners.append(lrn)
            if len(group.learners) >= self._slots(j, group.learners):
                room.pop(0)
            return
        self.cap[j] -= 1
        self._register(_Forming(skill, j, [lrn], lang))

    def run(self) -> list[_NewGroup]:
        people = self.inst.people
        for lrn, skill in self.inst.wants:  # learners in name order, skills as listed
            if self.limit[lrn] <= 0 or not people[lrn].takes_part or (lrn, skill) in self.placed:
                continue
            found = self._best(lrn, skill)
            if found is not None:
                self._place(lrn, skill, *found)
        return [
            _NewGroup(g.skill, g.sharer, tuple(sorted(g.learners)), g.language)
            for g in self.groups
        ]
