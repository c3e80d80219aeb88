"""The instance: participants reduced to what matching reads, with this round's budgets.

Both the exact solve and the greedy rule start from it, and both report their
groups as ``_NewGroup`` in its indices.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from bot.matching.values import Group, MatchSettings, rounds_between
from bot.model import Profile


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
    one_to_one: bool  # only in groups of two (Profile.one_to_one_only)
    takes_part: bool  # in coffee groups at all (Profile.takes_coffee)
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
                one_to_one=prof.one_to_one_only,
                takes_part=prof.takes_coffee,
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


class _NewGroup(NamedTuple):
    """A group found this round, in the instance's indices."""

    skill: str
    sharer: int
    learners: tuple[int, ...]
    language: str
