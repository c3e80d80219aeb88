"""Turning new groups into the published ``MatchResult``: ids, language, context, reasons."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from bot.matching.instance import _Blocked, _has_partner, _Instance, _language_index, _NewGroup
from bot.matching.values import Group, MatchResult, MatchStats, Unmatched


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
    stats: MatchStats,
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
