"""Property tests for the matching core.

Every result is checked by ``check_round``, written from the program's rules
and independent of the matching code.  Tiny instances are solved again by a
brute-force enumerator; the exact result must be as good as the best it finds
for placements, then context, then load.
"""

from __future__ import annotations

import random
from collections import Counter

from bot.matching import (
    REASONS,
    Group,
    MatchResult,
    MatchSettings,
    PastGroup,
    Unmatched,
    rounds_between,
)
from bot.model import Profile

ROUND = "2024-06"
ALL_FORMATS = ("1:1", "group", "clinic")


# --------------------------------------------------------------------------- instances


def person(user: str, **fields) -> Profile:
    return Profile(user=user, page=f"Page/{user}", revision=1, **fields)


def random_profiles(
    rng: random.Random,
    size: int,
    skills: tuple[str, ...] = ("wikidata", "budget", "paws"),
    languages: tuple[str, ...] = ("en", "fr", "es"),
) -> list[Profile]:
    """Small, dense instances: many conflicts per participant, every rule in play."""
    regions = ("ssa", "cee", "")
    countries = {"ssa": ("NG", "GH"), "cee": ("PL", "GH"), "": ("", "NG")}
    formats = [ALL_FORMATS, ALL_FORMATS, ("group",), ("1:1", "group"), ("1:1",), ("clinic",)]
    out = []
    for k in range(size):
        region = rng.choice(regions)
        out.append(
            person(
                f"U{k:02d}",
                status=rng.choice(["active"] * 9 + ["stale"]),
                region=region,
                country=rng.choice(countries[region]),
                languages=tuple(rng.sample(languages, rng.choice([1, 1, 2, 3]))),
                share=tuple(rng.sample(skills, rng.choice([0, 0, 1, 1, 2]))),
                learn=tuple(rng.sample(skills, rng.choice([0, 1, 1, 2]))),
                areas=tuple(rng.sample(("education", "gender", "heritage"), rng.choice([0, 1, 2]))),
                capacity=rng.choice([0, 1, 1, 2, 3]),
                formats=rng.choice(formats),
            )
        )
    return out


def random_settings(rng: random.Random) -> MatchSettings:
    return MatchSettings(
        max_group_size=rng.choice([2, 3, 4, 4, 4]),
        learner_groups_per_round=rng.choice([1, 1, 1, 2]),
        no_repeat_rounds=rng.choice([0, 1, 6, 6]),
        weights=rng.choice(
            [{"region": 3, "country": 2, "area": 1}, {"region": 1, "country": 1, "area": 1},
             {"area": 2}, {"region": 0, "country": 0, "area": 0}]
        ),
    )


def random_history(rng: random.Random, profiles: list[Profile], count: int) -> list[PastGroup]:
    """Past groups that need not respect today's profiles: people change their entries."""
    users = [p.user for p in profiles]
    skills = sorted({s for p in profiles for s in p.share + p.learn}) or ["wikidata"]
    out = []
    for k in range(count):
        if len(users) < 2:
            break
        sharer, *learners = rng.sample(users, rng.randint(2, min(4, len(users))))
        past = f"2024-{rng.randint(1, 6):02d}" if rng.random() < 0.9 else "2023-11"
        group = Group(f"{past}-{k:03d}", rng.choice(skills), sharer, tuple(sorted(learners)), "en")
        out.append(PastGroup(past, group))
    return out


# --------------------------------------------------------------------------- the checker


def pair_context(
    sharer: Profile, learner: Profile, weights: dict[str, float]
) -> float:
    score = 0.0
    if sharer.region and sharer.region == learner.region:
        score += weights.get("region", 0)
    if sharer.country and sharer.country == learner.country:
        score += weights.get("country", 0)
    if set(sharer.areas) & set(learner.areas):
        score += weights.get("area", 0)
    return score


def active_profiles(profiles: list[Profile]) -> dict[str, Profile]:
    return {p.user: p for p in profiles if p.status == "active"}


def takes_part(p: Profile) -> bool:
    return "1:1" in p.formats or "group" in p.formats


def recent_pairs(history, round_id: str, window: int) -> set[tuple[str, str, str]]:
    out = set()
    for past, group in history:
        if 1 <= rounds_between(past, round_id) <= window:
            out.update((group.sharer, learner, group.skill) for learner in group.learners)
    return out


def check_round(
    result: MatchResult,
    profiles: list[Profile],
    conf: MatchSettings,
    history=(),
    published: tuple[Group, ...] = (),
) -> None:
    """Every rule of the program, checked on the output alone."""
    people = active_profiles(profiles)
    assert result.round == ROUND
    ids = [g.id for g in result.groups]
    assert len(ids) == len(set(ids)), "group ids are unique"
    assert list(result.groups[: len(published)]) == sorted(published, key=lambda g: g.id)
    new = result.groups[len(published):]
    repeats = recent_pairs(history, ROUND, conf.no_repeat_rounds)
    shared = Counter(g.sharer for g in result.groups)
    learned = Counter(u for g in result.groups for u in g.learners)
    placed = Counter((u, g.skill) for g in result.groups for u in g.learners)
    for g in new:
        assert g.sharer in people and g.skill in people[g.sharer].share
        assert g.id.startswith(ROUND + "-")
        assert 1 <= len(g.learners) <= conf.max_group_size - 1
        assert list(g.learners) == sorted(set(g.learners)), "learners sorted, nobody twice"
        assert g.sharer not in g.learners
        members = [people[u] for u in (g.sharer, *g.learners)]
        for m in members:
            assert takes_part(m), f"{m.user} only takes part in clinics"
            assert g.language in m.languages, f"{m.user} does not speak {g.language}"
            if m.formats == ("1:1",):
                assert len(g.learners) == 1, f"{m.user} is 1:1 only"
        for u in g.learners:
            assert u in people and g.skill in people[u].learn
            assert (g.sharer, u, g.skill) not in repeats, "no repeat within the window"
        expected = []
        sharer = people[g.sharer]
        learners = [people[u] for u in g.learners]
        if sharer.region and any(p.region == sharer.region for p in learners):
            expected.append(f"region:{sharer.region}")
        if sharer.country and any(p.country == sharer.country for p in learners):
            expected.append(f"country:{sharer.country}")
        areas = set(sharer.areas) & {a for p in learners for a in p.areas}
        expected += [f"area:{a}" for a in sorted(areas)]
        assert g.context == tuple(expected)
    for g in new:
        assert shared[g.sharer] <= max(people[g.sharer].capacity, 0) or all(
            h.sharer != g.sharer for h in new
        )
        assert shared[g.sharer] <= people[g.sharer].capacity
        for u in g.learners:
            assert learned[u] <= conf.learner_groups_per_round
            assert placed[(u, g.skill)] == 1, "a wanted skill is placed once"
    # unmatched: exactly the active wants not placed, with a true reason
    open_wants = {(u, s) for u, p in people.items() for s in dict.fromkeys(p.learn)}
    listed = {(u.user, u.skill) for u in result.unmatched}
    assert len(listed) == len(result.unmatched)
    assert listed == {w for w in open_wants if placed[w] == 0}
    for u in result.unmatched:
        check_reason(u, people, repeats, learned, conf)
    no_sharer = Counter(u.skill for u in result.unmatched if u.reason == "no-sharer")
    assert result.sharers_wanted == dict(no_sharer)


def check_reason(u: Unmatched, people, repeats, learned, conf: MatchSettings) -> None:
    assert u.reason in REASONS
    me = people[u.user]
    sharers = [p for p in people.values() if u.skill in p.share and p.user != u.user
               and takes_part(p)]
    speaking = [p for p in sharers if set(p.languages) & set(me.languages)]
    allowed = [p for p in speaking if (p.user, u.user, u.skill) not in repeats]
    if u.reason == "no-sharer":
        assert not sharers
        return
    assert sharers
    if u.reason == "no-common-language":
        assert not speaking
        return
    assert speaking
    if u.reason == "repeat":
        assert not allowed
        return
    assert allowed
    if u.reason == "format":
        assert not takes_part(me)
        return
    assert takes_part(me)
    if u.reason == "learner-limit":
        assert learned[u.user] >= conf.learner_groups_per_round
        return
    assert u.reason == "sharers-at-capacity"
    assert learned[u.user] < conf.learner_groups_per_round


def context_total(result: MatchResult, profiles, weights, published=()) -> float:
    people = active_profiles(profiles)
    return sum(
        pair_context(people[g.sharer], people[u], weights)
        for g in result.groups[len(published):]
        for u in g.learners
    )


# --------------------------------------------------------------------------- brute force


def brute_force(profiles, conf: MatchSettings, history=()):
    """The best (placements, context, -load) over every way to form the round's groups.

    Each wanted skill is given to one of a sharer's group slots or to nobody,
    slot by slot in order so that equal groupings are visited once.
    """
    people = active_profiles(profiles)
    weights = conf.weights
    repeats = recent_pairs(history, ROUND, conf.no_repeat_rounds)
    past_load = Counter(g.sharer for r, g in history if rounds_between(r, ROUND) >= 1)
    wants = [(u, s) for u, p in sorted(people.items()) if takes_part(p)
             for s in dict.fromkeys(p.learn)]
    sharers = sorted(u for u, p in people.items() if takes_part(p) and p.capacity > 0)
    slots = {j: [None] * people[j].capacity for j in sharers}  # each: [skill, learners]
    learned: Counter = Counter()
    best = [(-1, -1.0, 0.0)]
    top = float(sum(weights.values()))

    def load() -> float:
        total = 0.0
        for j in sharers:
            used = sum(1 for slot in slots[j] if slot)
            total += sum(1 + past_load[j] + k for k in range(used))
        return total

    def fits(j: str, slot, u: str, skill: str) -> bool:
        if u == j or skill not in people[j].share or (j, u, skill) in repeats:
            return False
        if learned[u] >= conf.learner_groups_per_round:
            return False
        members = [people[j], people[u]]
        if slot:
            if slot[0] != skill or len(slot[1]) >= conf.max_group_size - 1:
                return False
            members += [people[x] for x in slot[1]]
        if len(members) > 2 and any(m.formats == ("1:1",) for m in members):
            return False
        return bool(set.intersection(*(set(m.languages) for m in members)))

    def visit(k: int, placed: int, ctx: float) -> None:
        if k == len(wants):
            value = (placed, ctx, -load())
            if value > best[0]:
                best[0] = value
            return
        if (placed + len(wants) - k, ctx + top * (len(wants) - k)) < best[0][:2]:
            return
        u, skill = wants[k]
        for j in sharers:
            for i, slot in enumerate(slots[j]):
                if slot is None and i > 0 and slots[j][i - 1] is None:
                    break  # open slots in order
                if fits(j, slot, u, skill):
                    opened = slot is None
                    if opened:
                        slots[j][i] = [skill, []]
                    slots[j][i][1].append(u)
                    learned[u] += 1
                    visit(k + 1, placed + 1, ctx + pair_context(people[j], people[u], weights))
                    learned[u] -= 1
                    slots[j][i][1].pop()
                    if opened:
                        slots[j][i] = None
        visit(k + 1, placed, ctx)

    visit(0, 0, 0.0)
    return best[0]


def result_value(result: MatchResult, profiles, conf: MatchSettings, history=()):
    people = active_profiles(profiles)
    past_load = Counter(g.sharer for r, g in history if rounds_between(r, ROUND) >= 1)
    used = Counter(g.sharer for g in result.groups)
    load = sum(1 + past_load[j] + k for j, n in used.items() for k in range(n))
    del people
    return (result.placements, context_total(result, profiles, conf.weights), -float(load))
