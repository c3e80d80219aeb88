"""Context keys: where learners and sharers meet ("hubs"), and what a key is worth.

A pair's context score depends only on the most specific key they share, which
is what lets the exact model route learners through hubs instead of pairs; the
greedy rule uses the same keys to find the best sharer quickly.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from bot.matching.instance import _Instance, _Person


class _Key(NamedTuple):
    """A context two people can have in common; empty parts match anybody."""

    region: str
    country: str
    area: str


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


def _hub_setup(inst: _Instance) -> _Hubs:
    wr, wc, wa = inst.weights
    region_of: dict[str, set[str]] = defaultdict(set)
    for p in inst.people:
        if p.country:
            region_of[p.country].add(p.region)
    consistent = frozenset(c for c, rs in region_of.items() if len(rs) == 1 and "" not in rs)
    return _Hubs(wr > 0, wc > 0, wa > 0, consistent)


def _key_score(inst: _Instance, key: _Key) -> float:
    wr, wc, wa = inst.weights
    return (wr if key.region else 0.0) + (wc if key.country else 0.0) + (wa if key.area else 0.0)
