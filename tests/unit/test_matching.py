"""Property tests for the matching core.

Every result is checked by ``check_round``, written from the program's rules
and independent of the matching code.  Tiny instances are solved again by a
brute-force enumerator; the exact result must be as good as the best it finds
for placements, then context, then load.
"""

from __future__ import annotations

import datetime
import random
import subprocess
import sys
from collections import Counter
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.matching.round import baseline_match, match_round
from bot.matching.values import (
    REASONS,
    Group,
    MatchResult,
    MatchSettings,
    PastGroup,
    Unmatched,
    round_id_for,
    rounds_between,
)
from bot.model import Profile

ROUND = "2024-06"
ALL_FORMATS = ("1:1", "group", "clinic")
#: Every combination of formats a profile can hold, the empty one included (read as all).
EVERY_FORMATS = tuple(
    tuple(f for k, f in enumerate(ALL_FORMATS) if mask >> k & 1) for mask in range(8)
)


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
    formats = [ALL_FORMATS, ALL_FORMATS, *EVERY_FORMATS]
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
    """In coffee groups at all: formats name 1:1 or group (none written reads as all)."""
    return not p.formats or "1:1" in p.formats or "group" in p.formats


def pairs_only(p: Profile) -> bool:
    """Only in groups of two: 1:1 among the formats, group not (clinics do not count)."""
    return "1:1" in p.formats and "group" not in p.formats


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
            if pairs_only(m):
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
        assert shared[g.sharer] <= people[g.sharer].capacity, "published ones count too"
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


def learner_load(sharer: Profile, count: int, past: int, conf: MatchSettings) -> float:
    """The documented third level: each learner costs the number of the group they make up."""
    slots = 1 if pairs_only(sharer) else conf.max_group_size - 1
    return float(sum(1 + past + k // slots for k in range(count)))


def brute_force(profiles, conf: MatchSettings, history=()):
    """The best (placements, context, -load) over every way to form the round's groups.

    Each wanted skill goes to one of a sharer's group slots or to nobody; slots
    of a sharer are opened in order so that equal groupings are visited once.
    """
    people = active_profiles(profiles)
    repeats = recent_pairs(history, ROUND, conf.no_repeat_rounds)
    past = Counter(g.sharer for r, g in history if rounds_between(r, ROUND) >= 1)
    wants = [(u, s) for u, p in sorted(people.items()) if takes_part(p)
             for s in dict.fromkeys(p.learn)]
    sharers = sorted(u for u, p in people.items() if takes_part(p) and p.capacity > 0)
    slots = {j: [None] * people[j].capacity for j in sharers}  # each: [skill, learners]
    learned: Counter = Counter()
    top = float(sum(conf.weights.values()))
    best = [(-1, -1.0, 0.0)]

    def load() -> float:
        return sum(
            learner_load(people[j], sum(len(s[1]) for s in slots[j] if s), past[j], conf)
            for j in sharers
        )

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
        if len(members) > 2 and any(pairs_only(m) for m in members):
            return False
        return bool(set.intersection(*(set(m.languages) for m in members)))

    def visit(k: int, placed: int, ctx: float) -> None:
        if k == len(wants):
            best[0] = max(best[0], (placed, ctx, -load()))
            return
        if (placed + len(wants) - k, ctx + top * (len(wants) - k)) < best[0][:2]:
            return
        u, skill = wants[k]
        for j in sharers:
            for i, slot in enumerate(slots[j]):
                if slot is None and i > 0 and slots[j][i - 1] is None:
                    break
                if fits(j, slot, u, skill):
                    if slot is None:
                        slots[j][i] = [skill, []]
                    slots[j][i][1].append(u)
                    learned[u] += 1
                    gained = pair_context(people[j], people[u], conf.weights)
                    visit(k + 1, placed + 1, ctx + gained)
                    learned[u] -= 1
                    slots[j][i][1].pop()
                    if not slots[j][i][1]:
                        slots[j][i] = None
        visit(k + 1, placed, ctx)

    visit(0, 0, 0.0)
    return best[0]


def result_value(result: MatchResult, profiles, conf: MatchSettings, history=()):
    people = active_profiles(profiles)
    past = Counter(g.sharer for r, g in history if rounds_between(r, ROUND) >= 1)
    placed = Counter()
    for g in result.groups:
        placed[g.sharer] += len(g.learners)
    load = sum(learner_load(people[j], n, past[j], conf) for j, n in placed.items())
    return (result.placements, context_total(result, profiles, conf.weights), -load)


# --------------------------------------------------------------------------- rounds


def test_round_ids_are_calendar_months():
    assert round_id_for(datetime.date(2024, 1, 31)) == "2024-01"
    assert round_id_for(datetime.date(2025, 12, 1)) == "2025-12"


def test_rounds_between_counts_months_across_years():
    assert rounds_between("2024-11", "2025-02") == 3
    assert rounds_between("2025-02", "2024-11") == -3
    assert rounds_between("2024-06", "2024-06") == 0


@pytest.mark.parametrize("bad", ["2024-13", "2024-6", "24-06", "", "2024-06-01"])
def test_bad_round_ids_are_refused(bad):
    with pytest.raises(ValueError):
        rounds_between(bad, "2024-06")
    with pytest.raises(ValueError):
        match_round([], bad)


@pytest.mark.parametrize(
    "fields",
    [{"max_group_size": 1}, {"learner_groups_per_round": -1}, {"no_repeat_rounds": -2},
     {"time_limit_s": 0}, {"weights": {"language": 1}}, {"weights": {"region": 1.5}},
     {"weights": {"area": -1}}],
)
def test_bad_settings_are_refused(fields):
    with pytest.raises(ValueError):
        MatchSettings(**fields)


def test_weights_left_out_count_for_nothing():
    assert MatchSettings(weights={"area": 2.0}).weights == {"region": 0, "country": 0, "area": 2}


# --------------------------------------------------------------------------- hand-made rounds


def test_a_simple_group_with_its_language_and_context():
    profiles = [
        person("Ada", languages=("fr", "en"), share=("wikidata",), region="ssa", country="NG",
               areas=("education",)),
        person("Bo", languages=("en", "fr"), learn=("wikidata",), region="ssa", country="GH",
               areas=("education", "gender")),
        person("Cy", languages=("en",), learn=("wikidata",), region="cee", country="PL"),
    ]
    result = match_round(profiles, ROUND)
    assert [g.as_json() for g in result.groups] == [{
        "id": "2024-06-001", "skill": "wikidata", "language": "en", "sharer": "Ada",
        "learners": ["Bo", "Cy"], "context": ["region:ssa", "area:education"],
    }]
    assert result.unmatched == () and result.optimal


def test_one_to_one_people_are_only_ever_in_groups_of_two():
    profiles = [
        person("Ada", languages=("en",), share=("budget",), capacity=3),
        person("Bo", languages=("en",), learn=("budget",), formats=("1:1",)),
        person("Cy", languages=("en",), learn=("budget",)),
        person("Di", languages=("en",), learn=("budget",)),
        person("Ed", languages=("en",), share=("paws",), capacity=2, formats=("1:1",)),
        person("Fa", languages=("en",), learn=("paws",)),
        person("Gu", languages=("en",), learn=("paws",)),
    ]
    result = match_round(profiles, ROUND)
    groups = {(g.skill, g.learners) for g in result.groups}
    assert ("budget", ("Bo",)) in groups and ("budget", ("Cy", "Di")) in groups
    assert ("paws", ("Fa",)) in groups and ("paws", ("Gu",)) in groups
    check_round(result, profiles, MatchSettings())


def test_one_to_one_with_clinics_is_still_one_to_one_only():
    # the case: 1:1 and clinic, no group, was put in a group of four
    profiles = [
        person("S", languages=("en",), share=("wikidata",), capacity=1),
        person("A", languages=("en",), learn=("wikidata",), formats=("1:1", "clinic")),
        person("B", languages=("en",), learn=("wikidata",)),
        person("C", languages=("en",), learn=("wikidata",)),
    ]
    result = match_round(profiles, ROUND)
    check_round(result, profiles, MatchSettings())
    assert [g.learners for g in result.groups] == [("B", "C")]
    assert {u.user: u.reason for u in result.unmatched} == {"A": "sharers-at-capacity"}
    sharer = [replace(profiles[0], formats=("1:1", "clinic"), capacity=2), *profiles[1:]]
    paired = match_round(sharer, ROUND)
    check_round(paired, sharer, MatchSettings())
    assert all(len(g.learners) == 1 for g in paired.groups) and len(paired.groups) == 2


@pytest.mark.parametrize("formats", EVERY_FORMATS, ids=lambda f: ",".join(f) or "none")
def test_every_combination_of_formats(formats):
    # a sharer with these formats and room for two groups, three learners with all formats
    profiles = [
        person("S", languages=("en",), share=("paws",), capacity=2, formats=formats),
        *(person(u, languages=("en",), learn=("paws",)) for u in ("A", "B", "C")),
    ]
    result = match_round(profiles, ROUND)
    check_round(result, profiles, MatchSettings())
    sizes = sorted(len(g.learners) for g in result.groups)
    if not takes_part(profiles[0]):
        assert sizes == []  # clinics only: no coffee
    elif pairs_only(profiles[0]):
        assert sizes == [1, 1]
    else:
        assert sizes == [3]
    assert Profile("S", "P", 1, formats=formats).takes_coffee == takes_part(profiles[0])
    assert Profile("S", "P", 1, formats=formats).one_to_one_only == pairs_only(profiles[0])


def test_reading_rounds_loads_no_solver():
    # notify and stats import parts of the matching package; only solving a round needs HiGHS
    code = (
        "import sys\n"
        "import bot.matching.round, bot.matching.pages, bot.matching.values\n"
        "print(sorted(m for m in ('highspy', 'scipy', 'numpy', 'ortools') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_clinic_only_people_are_not_matched():
    profiles = [
        person("Ada", languages=("en",), share=("budget",), formats=("clinic",)),
        person("Bo", languages=("en",), learn=("budget",)),
        person("Cy", languages=("en",), share=("paws",)),
        person("Di", languages=("en",), learn=("paws",), formats=("clinic",)),
    ]
    result = match_round(profiles, ROUND)
    assert result.groups == ()
    assert {(u.user, u.reason) for u in result.unmatched} == {("Bo", "no-sharer"),
                                                             ("Di", "format")}


def test_no_repeat_within_the_window_but_again_after_it():
    profiles = [
        person("Ada", languages=("en",), share=("budget",)),
        person("Bo", languages=("en",), learn=("budget",)),
    ]
    met = Group("2024-01-001", "budget", "Ada", ("Bo",), "en")
    recent = match_round(profiles, ROUND, history=[PastGroup("2024-01", met)])
    assert recent.groups == ()
    assert recent.unmatched == (Unmatched("Bo", "budget", "repeat"),)
    assert match_round(profiles, ROUND, history=[PastGroup("2023-12", met)]).groups == ()
    old = match_round(profiles, ROUND, history=[PastGroup("2023-11", met)])  # 7 rounds ago
    assert [g.learners for g in old.groups] == [("Bo",)]
    shorter = match_round(profiles, ROUND, MatchSettings(no_repeat_rounds=4),
                          history=[("2024-01", met)])
    assert [g.learners for g in shorter.groups] == [("Bo",)]


def test_capacity_and_learner_limit():
    profiles = [
        person("Ada", languages=("en",), share=("budget", "paws"), capacity=1),
        person("Bo", languages=("en",), learn=("budget", "paws")),
        person("Cy", languages=("en",), learn=("budget",)),
        person("Di", languages=("en",), learn=("paws",)),
    ]
    one = match_round(profiles, ROUND)
    assert len(one.groups) == 1 and len(one.groups[0].learners) == 2
    reasons = {(u.user, u.skill): u.reason for u in one.unmatched}
    assert set(reasons.values()) <= {"learner-limit", "sharers-at-capacity"}
    two = match_round(
        [replace(profiles[0], capacity=2), *profiles[1:]], ROUND,
        MatchSettings(learner_groups_per_round=2),
    )
    assert sorted((g.skill, g.learners) for g in two.groups) == [
        ("budget", ("Bo", "Cy")), ("paws", ("Bo", "Di"))]


def test_every_reason_in_one_round():
    profiles = [
        person("Sam", languages=("en",), share=("budget", "paws"), capacity=1),
        person("Ann", languages=("fr",), learn=("budget",)),  # no common language
        person("Bea", languages=("en",), learn=("grants",)),  # nobody shares grants
        person("Cal", languages=("en",), learn=("paws",)),  # met Sam for it last month
        person("Dee", languages=("en",), learn=("budget", "paws"), formats=("clinic",)),
        person("Eve", languages=("en",), learn=("budget", "paws")),
        person("Fin", languages=("en",), learn=("paws",), formats=("1:1",)),
    ]
    history = [PastGroup("2024-05", Group("2024-05-001", "paws", "Sam", ("Cal",), "en"))]
    result = match_round(profiles, ROUND, history=history)
    check_round(result, profiles, MatchSettings(), history)
    reasons = {(u.user, u.skill): u.reason for u in result.unmatched}
    assert reasons[("Ann", "budget")] == "no-common-language"
    assert reasons[("Bea", "grants")] == "no-sharer"
    assert reasons[("Cal", "paws")] == "repeat"
    assert reasons[("Dee", "budget")] == "format"
    assert result.sharers_wanted == {"grants": 1}
    # Sam has one group: either Eve is in it (and her other skill hits her limit)
    # or Fin has it alone (and Eve waits for free sharers)
    placed = result.groups[0].learners
    assert placed in {("Eve",), ("Fin",)}
    if placed == ("Eve",):
        other = "paws" if result.groups[0].skill == "budget" else "budget"
        assert reasons[("Eve", other)] == "learner-limit"
        assert reasons[("Fin", "paws")] == "sharers-at-capacity"
    else:
        assert reasons[("Eve", "budget")] == "sharers-at-capacity"


def test_inactive_and_duplicate_profiles():
    profiles = [
        person("Ada", languages=("en",), share=("budget",)),
        person("Bo", languages=("en",), learn=("budget",), status="stale"),
        replace(person("Cy", languages=("en",), learn=("budget",)), revision=2),
        person("Cy", languages=("en",), learn=("paws",)),  # older entry: ignored
    ]
    result = match_round(profiles, ROUND)
    assert [(g.sharer, g.learners) for g in result.groups] == [("Ada", ("Cy",))]
    assert result.unmatched == ()


def test_more_learners_than_a_greedy_rule_places():
    # The greedy rule gives Bo the best-fitting sharer, Ada, whom only Cy could have.
    profiles = [
        person("Ada", languages=("en", "fr"), share=("budget",), region="ssa", country="NG"),
        person("Zed", languages=("en",), share=("budget",), capacity=2),
        person("Bo", languages=("en",), learn=("budget",), region="ssa", country="NG"),
        person("Cy", languages=("fr",), learn=("budget",), formats=("1:1",)),
        person("Dan", languages=("en",), learn=("budget",), formats=("1:1",)),
    ]
    ours = match_round(profiles, ROUND)
    greedy = baseline_match(profiles, ROUND)
    check_round(ours, profiles, MatchSettings())
    check_round(greedy, profiles, MatchSettings())
    assert greedy.placements == 2
    assert ours.placements == 3


def test_context_then_load_decide_between_sharers():
    profiles = [
        person("Ada", languages=("en",), share=("budget",), region="lac"),
        person("Ben", languages=("en",), share=("budget",), region="ssa"),
        person("Cat", languages=("en",), share=("budget",), region="ssa"),
        person("Dan", languages=("en",), learn=("budget",), region="ssa"),
    ]
    busy = Group("2024-04-002", "wikidata", "Ben", ("Zoe",), "en")
    result = match_round(profiles, ROUND, history=[PastGroup("2024-04", busy)])
    assert [(g.sharer, g.learners) for g in result.groups] == [("Cat", ("Dan",))]


def test_published_groups_are_kept_and_fill_only_what_is_left():
    profiles = [
        person("Ada", languages=("en",), share=("budget",), capacity=2),
        person("Bo", languages=("en",), learn=("budget",)),
        person("Cy", languages=("en",), learn=("budget",), formats=("1:1",)),
        person("Di", languages=("en",), learn=("budget",), formats=("1:1",)),
    ]
    published = (
        Group("2024-06-007", "budget", "Ada", ("Bo", "Gone"), "en", ("region:x",)),
    )
    result = match_round(profiles, ROUND, published=published)
    assert result.groups[0] is published[0]
    new = result.groups[1:]
    assert [(g.id, g.learners) for g in new] == [("2024-06-008", ("Cy",))]
    assert {u.user: u.reason for u in result.unmatched} == {"Di": "sharers-at-capacity"}
    again = match_round(profiles, ROUND, published=result.groups)
    assert again.groups == result.groups


def test_same_input_same_output_whatever_the_order():
    rng = random.Random(5)
    profiles = random_profiles(rng, 40)
    history = random_history(rng, profiles, 10)
    first = match_round(profiles, ROUND, history=history)
    assert match_round(profiles, ROUND, history=history) == first
    assert_same_whatever_the_order(profiles, history, first)


def assert_same_whatever_the_order(profiles, history, first: MatchResult) -> None:
    for seed in range(3):
        shuffled = profiles[:]
        random.Random(seed).shuffle(shuffled)
        past = history[:]
        random.Random(seed).shuffle(past)
        assert match_round(shuffled, ROUND, history=past) == first



def test_rounds_as_flows_give_the_same_groups_whatever_the_order(monkeypatch):
    import bot.matching.solve as matching

    monkeypatch.setattr(matching, "_FLOW_WANTS", 2)
    rng = random.Random(6)
    profiles = random_profiles(rng, 60)
    history = random_history(rng, profiles, 10)
    first = match_round(profiles, ROUND, history=history)
    assert first.stats["parts_rounded"] == 1
    assert_same_whatever_the_order(profiles, history, first)

def test_json_shapes():
    group = Group("2024-06-001", "budget", "Ada", ("Bo", "Cy"), "en", ("area:education",))
    assert Group.from_json(group.as_json()) == group
    result = match_round([person("Bo", languages=("en",), learn=("budget",))], ROUND)
    assert result.as_json() == {
        "round": ROUND, "groups": [],
        "unmatched": [{"user": "Bo", "skill": "budget", "reason": "no-sharer"}],
        "sharers_wanted": {"budget": 1}, "optimal": True,
    }


# --------------------------------------------------------------------------- properties


def random_round(seed: int, size_range=(2, 14)):
    rng = random.Random(seed)
    profiles = random_profiles(rng, rng.randint(*size_range))
    conf = random_settings(rng)
    history = random_history(rng, profiles, rng.randint(0, 6))
    published: tuple[Group, ...] = ()
    if rng.random() < 0.3:
        earlier = match_round(profiles, ROUND, conf, history)
        published = tuple(g for g in earlier.groups if rng.random() < 0.5)
        for k in rng.sample(range(len(profiles)), len(profiles) // 4):
            profiles[k] = replace(profiles[k], status=rng.choice(["active", "blocked"]),
                                  capacity=rng.choice([0, 1, 2]))
    return profiles, conf, history, published


@pytest.mark.slow  # seconds: left out of scripts/test --fast
def test_thousands_of_random_rounds_keep_every_rule():
    for seed in range(2000):
        profiles, conf, history, published = random_round(seed)
        result = match_round(profiles, ROUND, conf, history, published)
        check_round(result, profiles, conf, history, published)
        assert result.optimal


@st.composite
def tiny_rounds(draw):
    users = [f"P{k}" for k in range(draw(st.integers(2, 6)))]
    skills = st.lists(st.sampled_from(["a", "b", "c"]), max_size=2, unique=True).map(tuple)
    profiles = [
        person(
            u,
            languages=draw(st.lists(st.sampled_from(["en", "fr"]), min_size=1, max_size=2,
                                    unique=True).map(tuple)),
            share=draw(skills),
            learn=draw(skills),
            region=draw(st.sampled_from(["", "ssa", "cee"])),
            country=draw(st.sampled_from(["", "NG", "PL"])),
            areas=draw(st.lists(st.sampled_from(["x", "y"]), max_size=2, unique=True).map(tuple)),
            capacity=draw(st.integers(0, 2)),
            formats=draw(st.sampled_from(EVERY_FORMATS)),
        )
        for u in users
    ]
    conf = MatchSettings(
        max_group_size=draw(st.integers(2, 4)),
        learner_groups_per_round=draw(st.integers(1, 2)),
        weights={"region": draw(st.integers(0, 3)), "country": draw(st.integers(0, 3)),
                 "area": draw(st.integers(0, 3))},
    )
    history = []
    for k in range(draw(st.integers(0, 2))):
        sharer, learner = draw(st.permutations(users))[:2]
        skill = draw(st.sampled_from(["a", "b", "c"]))
        past = f"2024-{draw(st.integers(1, 5)):02d}"
        history.append(PastGroup(past, Group(f"{past}-{k}", skill, sharer, (learner,), "en")))
    return profiles, conf, history


@pytest.mark.slow  # seconds: left out of scripts/test --fast
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_rounds())
def test_tiny_rounds_are_optimal_against_brute_force(case):
    profiles, conf, history = case
    result = match_round(profiles, ROUND, conf, history)
    check_round(result, profiles, conf, history)
    assert result_value(result, profiles, conf, history) == brute_force(profiles, conf, history)


def seeded_tiny_round(seed: int):
    """A round small enough for the brute force: 2 to 7 participants."""
    rng = random.Random(seed)
    profiles = random_profiles(rng, rng.randint(2, 7))
    conf = random_settings(rng)
    return profiles, conf, random_history(rng, profiles, rng.randint(0, 3))


@pytest.mark.slow  # seconds: left out of scripts/test --fast
def test_seeded_tiny_rounds_are_optimal_against_brute_force():
    for seed in range(600):
        profiles, conf, history = seeded_tiny_round(10_000 + seed)
        result = match_round(profiles, ROUND, conf, history)
        expected = brute_force(profiles, conf, history)
        assert result_value(result, profiles, conf, history) == expected, seed


@pytest.mark.slow  # seconds: left out of scripts/test --fast
def test_never_fewer_than_the_greedy_baseline_on_1000_rounds(capsys):
    gains = []
    for seed in range(1000):
        profiles, conf, history, published = random_round(50_000 + seed, (5, 30))
        ours = match_round(profiles, ROUND, conf, history, published)
        base = baseline_match(profiles, ROUND, conf, history, published)
        check_round(base, profiles, conf, history, published)
        assert ours.placements >= base.placements, seed
        gains.append(ours.placements - base.placements)
    with capsys.disabled():
        print(f"\nexact vs greedy on 1000 rounds: {sum(gains) / len(gains):+.3f} learners "
              f"placed on average, more on {sum(g > 0 for g in gains)}, fewer on 0")
    assert sum(gains) > 0


def test_large_parts_by_rounding_still_keep_every_rule(monkeypatch):
    import bot.matching.solve as matching

    monkeypatch.setattr(matching, "_BATCH_COLUMNS", 10)
    monkeypatch.setattr(matching, "_EXACT_COLUMNS", 10)
    rounded = 0
    for seed in range(60):
        profiles, conf, history, published = random_round(90_000 + seed, (20, 60))
        result = match_round(profiles, ROUND, conf, history, published)
        check_round(result, profiles, conf, history, published)
        stats = result.stats
        rounded += stats["parts_rounded"]
        if stats["placed_bound"] is not None:
            assert stats["placed"] <= stats["placed_bound"]
    assert rounded > 0  # the limits above reached the solver


@pytest.mark.slow  # seconds: left out of scripts/test --fast
def test_rounds_too_large_for_one_model_are_solved_as_flows(monkeypatch):
    import bot.matching.solve as matching

    monkeypatch.setattr(matching, "_FLOW_WANTS", 12)
    flowed = 0
    for seed in range(60):
        profiles, conf, history, published = random_round(95_000 + seed, (20, 60))
        result = match_round(profiles, ROUND, conf, history, published)
        check_round(result, profiles, conf, history, published)
        stats = result.stats
        assert stats["parts_rounded"] or stats["placed"] <= 12
        assert stats["placed"] <= stats["placed_bound"]
        assert stats["context"] <= stats["context_bound"]
        assert result.placements - sum(len(g.learners) for g in published) <= stats["placed_bound"]
        flowed += stats["parts_rounded"]
    assert flowed > 0  # the limit above reached the flows


@pytest.mark.slow  # seconds: left out of scripts/test --fast
def test_the_flow_over_learners_left_out_only_adds(monkeypatch):
    import bot.matching.flows as flows
    import bot.matching.solve as matching

    monkeypatch.setattr(matching, "_FLOW_WANTS", 2)
    rounds = [random_round(96_000 + seed, (20, 60)) for seed in range(40)]
    with_it = [match_round(r[0], ROUND, r[1], r[2], r[3]) for r in rounds]
    monkeypatch.setattr(flows, "_leftover", lambda net, flow, clock: 0 * flow.flows)
    without = [match_round(r[0], ROUND, r[1], r[2], r[3]) for r in rounds]
    gained = 0
    for r, a, b in zip(rounds, with_it, without, strict=True):
        check_round(a, r[0], r[1], r[2], r[3])
        assert a.stats["placed"] >= b.stats["placed"]
        assert a.stats["placed_bound"] == b.stats["placed_bound"]
        gained += a.stats["placed"] - b.stats["placed"]
    assert gained > 0


@pytest.mark.slow  # seconds: left out of scripts/test --fast
def test_bounds_of_flows_hold_against_brute_force(monkeypatch):
    import bot.matching.solve as matching

    monkeypatch.setattr(matching, "_FLOW_WANTS", 2)  # every round as flows
    proven = flowed = 0
    for seed in range(300):
        profiles, conf, history = seeded_tiny_round(20_000 + seed)
        result = match_round(profiles, ROUND, conf, history)
        check_round(result, profiles, conf, history)
        best = brute_force(profiles, conf, history)
        stats = result.stats
        flowed += stats["parts_rounded"]
        if stats["placed_bound"] is not None:
            assert stats["placed_bound"] >= best[0], seed
        if stats["context_bound"] is not None:
            # the most context among groupings that place as many as the bound
            assert stats["context_bound"] >= best[1], seed
        if result.optimal:  # a proof by the flows' bounds must be right
            proven += 1
            assert result_value(result, profiles, conf, history)[:2] == best[:2], seed
    assert proven > 0
    assert flowed > 0


def test_a_time_out_still_gives_valid_groups(monkeypatch):
    import bot.matching.round as matching

    class Stopped:
        def __init__(self, seconds: float) -> None:
            pass

        def left(self) -> float:
            return -1.0

    monkeypatch.setattr(matching, "_Clock", Stopped)
    profiles, conf, history, published = random_round(7, (20, 30))
    result = match_round(profiles, ROUND, conf, history, published)
    check_round(result, profiles, conf, history, published)
    assert not result.optimal
    # nothing solved: the greedy rule fills the round, so it is never worse than that
    assert result.groups == baseline_match(profiles, ROUND, conf, history, published).groups
