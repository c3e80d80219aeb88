"""The dashboard's figures: how the program is doing, from the directory and the session logs.

Pure: profiles, the session log, the published coffee groups and their
outcomes in; plain numbers out.  Every figure is defined here once, so the
page, the JSON export and the tests agree:

* **Participants** are the directory's active profiles (listed with consent).
  By region: share of all participants; countries and languages: how many
  participants name each.
* **Communities**: distinct affiliations of active participants (compared
  ignoring case, accents and punctuation).
* **Active sharers**: distinct people who shared in a held learning space:
  sharers of a held session, and the sharer of a coffee group whose outcome
  says it was held.  Sharing is what the target is about, not being listed.
* **Clinics**: held sessions of format clinic or regional (regional and
  thematic sessions are clinics for a region or a theme).
* **Coffees proposed**: groups published in the match rounds; **held**: those
  an outcome says were held, plus held sessions of format coffee.
* **Documentation rate**: held sessions with at least one resource, out of
  all held sessions; the target compares its percentage.
* **Sessions per month**: held sessions by the month of their date, and the
  participations (the sum of their ``participants=``).
* **Hot topics**: skills active participants most want to learn that had no
  clinic in the last six months and have none planned: ideas for the next
  clinics.
* **Ambassadors** and **working group** are the user names the
  configuration lists (no page says who they are).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypedDict

from bot.model import Profile
from bot.sessions.model import SessionLog
from bot.taxonomy import normalise
from bot.wikitext.tables import normalise_user

TOP = 10
HOT_TOPICS = 5
HOT_TOPIC_MONTHS = 6

#: Target name -> what the dashboard calls it.
TARGET_LABELS = {
    "communities": "Communities in the directory",
    "active_sharers": "Active sharers",
    "clinics": "Learning clinics held",
    "coffees": "Coffees held",
    "documented_percent": "Learning spaces documented (%)",
    "ambassadors": "Learning Ambassadors",
    "working_group": "Working group members",
}


class RegionCount(TypedDict):
    region: str
    count: int
    share: float


class CountryCount(TypedDict):
    country: str
    count: int


class LanguageCount(TypedDict):
    language: str
    count: int


class SkillCount(TypedDict):
    skill: str
    learners: int
    sharers: int


class SkillLearners(TypedDict):
    skill: str
    learners: int


class SessionCounts(TypedDict):
    held: int
    clinics_held: int
    cancelled: int
    participations: int
    without_count: int


class MonthCounts(TypedDict):
    month: str
    held: int
    participations: int


class Documentation(TypedDict):
    held: int
    documented: int
    rate: float


class PeopleFigures(TypedDict):
    regions: list[RegionCount]
    countries: list[CountryCount]
    languages: list[LanguageCount]
    communities: int


class SkillFigures(TypedDict):
    learn_top: list[SkillCount]
    share_top: list[SkillCount]
    sharers_wanted: list[SkillLearners]


class SessionFigures(TypedDict):
    sessions: SessionCounts
    sessions_by_month: list[MonthCounts]
    documentation: Documentation
    resources: int
    spaces: int


class Figures(PeopleFigures, SkillFigures, SessionFigures):
    """Every figure of the dashboard, as its JSON export holds them."""

    participants: int
    coffees: dict[str, int]  # proposed, held, not_held
    active_sharers: int
    ambassadors: int
    working_group: int
    hot_topics: list[SkillLearners]


@dataclass(frozen=True)
class StatsSettings:
    targets: Mapping[str, int] = field(default_factory=dict)
    ambassadors: tuple[str, ...] = ()
    working_group: tuple[str, ...] = ()


@dataclass(frozen=True)
class CoffeeGroup:
    """A published coffee group, as the match job keeps it in its state page."""

    round: str
    id: str
    sharer: str
    skill: str = ""


@dataclass(frozen=True)
class Target:
    name: str
    goal: int
    value: float
    met: bool

    @property
    def label(self) -> str:
        return TARGET_LABELS.get(self.name, self.name)

    def as_json(self) -> dict[str, str | int | float | bool]:
        return {"name": self.name, "goal": self.goal, "value": self.value, "met": self.met}


@dataclass(frozen=True)
class Dashboard:
    figures: Figures
    targets: tuple[Target, ...]


def compute_dashboard(
    profiles: Sequence[Profile],
    log: SessionLog,
    groups: Sequence[CoffeeGroup],
    statuses: Mapping[str, str],
    settings: StatsSettings,
    *,
    now: datetime,
) -> Dashboard:
    """Every figure of the dashboard and the targets. ``profiles`` are the active ones."""
    figures: Figures = {
        "participants": len(profiles),
        **_people(profiles),
        **_skills(profiles),
        **_sessions(log),
        "coffees": _coffees(log, groups, statuses),
        "active_sharers": len(_active_sharers(log, groups, statuses)),
        "ambassadors": len({normalise_user(n) for n in settings.ambassadors if n.strip()}),
        "working_group": len({normalise_user(n) for n in settings.working_group if n.strip()}),
        "hot_topics": _hot_topics(profiles, log, now),
    }
    return Dashboard(figures, _targets(figures, settings.targets))


def _ranked(counter: Counter[str]) -> list[tuple[str, int]]:
    """Most first, then in the order of the names."""
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))


def _people(profiles: Sequence[Profile]) -> PeopleFigures:
    total = len(profiles)
    regions = Counter(p.region for p in profiles)
    return {
        "regions": [
            {"region": region, "count": count,
             "share": round(100 * count / total, 1) if total else 0.0}
            for region, count in sorted(regions.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "countries": [
            {"country": country, "count": count}
            for country, count in _ranked(Counter(p.country for p in profiles if p.country))
        ],
        "languages": [
            {"language": language, "count": count}
            for language, count in _ranked(Counter(c for p in profiles for c in p.languages))
        ],
        "communities": len({normalise(p.affiliation) for p in profiles
                            if normalise(p.affiliation)}),
    }


def _skills(profiles: Sequence[Profile]) -> SkillFigures:
    learners = Counter(s for p in profiles for s in p.learn)
    sharers = Counter(s for p in profiles for s in p.share)
    wanted = sorted(((s, n) for s, n in learners.items() if not sharers.get(s)),
                    key=lambda kv: (-kv[1], kv[0]))
    return {
        "learn_top": [{"skill": s, "learners": n, "sharers": sharers.get(s, 0)}
                      for s, n in _ranked(learners)[:TOP]],
        "share_top": [{"skill": s, "sharers": n, "learners": learners.get(s, 0)}
                      for s, n in _ranked(sharers)[:TOP]],
        "sharers_wanted": [{"skill": s, "learners": n} for s, n in wanted],
    }


def _sessions(log: SessionLog) -> SessionFigures:
    held = log.held()
    months: dict[str, dict[str, int]] = {}
    for session in held:
        month = months.setdefault(session.month, {"held": 0, "participations": 0})
        month["held"] += 1
        month["participations"] += session.participants or 0
    documented = len(log.documented())
    return {
        "sessions": {
            "held": len(held),
            "clinics_held": sum(1 for s in held if s.is_clinic()),
            "cancelled": sum(1 for s in log.sessions if s.status == "cancelled"),
            "participations": sum(s.participants or 0 for s in held),
            "without_count": sum(1 for s in held if s.participants is None),
        },
        "sessions_by_month": [
            {"month": m, "held": v["held"], "participations": v["participations"]}
            for m, v in sorted(months.items())
        ],
        "documentation": {
            "held": len(held),
            "documented": documented,
            "rate": round(100 * documented / len(held), 1) if held else 0.0,
        },
        "resources": len(log.resources),
        "spaces": len(log.spaces),
    }


def _coffees(log: SessionLog, groups: Sequence[CoffeeGroup], statuses: Mapping[str, str]
             ) -> dict[str, int]:
    ids = {g.id for g in groups}
    coffee_sessions = sum(1 for s in log.held() if s.format == "coffee")
    return {
        "proposed": len(ids),
        "held": sum(1 for i in ids if statuses.get(i) == "held") + coffee_sessions,
        "not_held": sum(1 for i in ids if statuses.get(i) == "not held"),
    }


def _active_sharers(log: SessionLog, groups: Sequence[CoffeeGroup],
                    statuses: Mapping[str, str]) -> set[str]:
    people = {normalise_user(u) for s in log.held() for u in s.sharers}
    people |= {normalise_user(g.sharer) for g in groups
               if g.sharer and statuses.get(g.id) == "held"}
    return people


def _months_before(now: datetime, months: int) -> datetime:
    year, month = divmod(now.year * 12 + now.month - 1 - months, 12)
    day = min(now.day, 28)
    return now.replace(year=year, month=month + 1, day=day)


def _hot_topics(profiles: Sequence[Profile], log: SessionLog, now: datetime
                ) -> list[SkillLearners]:
    since = _months_before(now, HOT_TOPIC_MONTHS)
    covered: set[str] = set()
    for session in log.sessions:
        if not session.is_clinic() or session.status == "cancelled":
            continue
        recent = session.status == "held" and session.start >= since
        planned = session.status == "planned" and session.upcoming(now)
        if recent or planned:
            covered.update(session.skills)
    learners = Counter(s for p in profiles for s in p.learn if s not in covered)
    ranked = sorted(learners.items(), key=lambda kv: (-kv[1], kv[0]))[:HOT_TOPICS]
    return [{"skill": s, "learners": n} for s, n in ranked]


def _targets(figures: Figures, goals: Mapping[str, int]) -> tuple[Target, ...]:
    documentation = figures["documentation"]
    held, documented = documentation["held"], documentation["documented"]
    values: dict[str, tuple[float, bool | None]] = {
        "communities": (figures["communities"], None),
        "active_sharers": (figures["active_sharers"], None),
        "clinics": (figures["sessions"]["clinics_held"], None),
        "coffees": (figures["coffees"]["held"], None),
        # Compared exactly (documented / held >= goal %), shown rounded.
        "documented_percent": (documentation["rate"],
                               held > 0 and 100 * documented >= goals.get("documented_percent",
                                                                          0) * held),
        "ambassadors": (figures["ambassadors"], None),
        "working_group": (figures["working_group"], None),
    }
    targets = []
    for name, (value, met) in values.items():
        if name not in goals:
            continue
        goal = goals[name]
        targets.append(Target(name, goal, value, value >= goal if met is None else bool(met)))
    return tuple(targets)


def summary_lines(dashboard: Dashboard) -> Iterable[str]:
    """One line per target, for the job's output."""
    for t in dashboard.targets:
        yield f"{t.label}: {t.value:g} of {t.goal} ({'met' if t.met else 'not yet'})"
