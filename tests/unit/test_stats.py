"""The dashboard's figures and page."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest

from bot.model import PageData, Profile, Revision
from bot.sessions.build import build_log, outcome_statuses
from bot.stats.compute import (
    CoffeeGroup,
    StatsSettings,
    Target,
    compute_dashboard,
)
from bot.stats.pages import bar, render_dashboard, render_dashboard_export
from bot.taxonomy import Taxonomy

NOW = datetime(2026, 11, 1, tzinfo=UTC)
GOALS = {"communities": 2, "active_sharers": 2, "clinics": 2, "coffees": 1,
         "documented_percent": 50, "ambassadors": 1, "working_group": 3}


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return Taxonomy.load()


def person(user: str, region: str, country: str, languages: tuple, share=(), learn=(),
           affiliation: str = "") -> Profile:
    return Profile(user=user, page=f"P/{user}", revision=1, region=region, country=country,
                   languages=languages, share=tuple(share), learn=tuple(learn),
                   affiliation=affiliation, consent=True)


PEOPLE = [
    person("Ana", "ssa", "KE", ("en", "sw"), share=["fundraising"], learn=["governance"],
           affiliation="Wikimedia Kenya"),
    person("Beto", "lac", "PE", ("es",), learn=["governance", "budget-development"],
           affiliation="wikimedia kenya"),
    person("Chen", "eseap", "TW", ("zh", "en"), share=["governance"], learn=["advocacy"],
           affiliation="Wikimedia Taiwan"),
    person("Dina", "ssa", "NG", ("en",), learn=["advocacy", "social-media"]),
]
LOG_TEXT = {
    "Grants:X/Sessions/A": "{{Let's Connect/Session|date=2026-09-10|title=A|format=clinic"
                           "|status=held|participants=20|sharers=Ana, Zed|skills=governance}}"
                           "{{Let's Connect/Resource|title=R|link=https://example.org/r"
                           "|type=slides}}",
    "Grants:X/Sessions/B": "{{Let's Connect/Session|date=2026-09-20|title=B|format=regional"
                           "|status=held|participants=10|sharers=Chen|skills=advocacy}}",
    "Grants:X/Sessions/C": "{{Let's Connect/Session|date=2026-10-05|title=C|format=coffee"
                           "|status=held|sharers=Ana}}",
    "Grants:X/Sessions/D": "{{Let's Connect/Session|date=2026-03-01|title=D|format=clinic"
                           "|status=held|skills=social-media}}",
    "Grants:X/Sessions/E": "{{Let's Connect/Session|date=2026-11-20|title=E|format=clinic"
                           "|status=planned|skills=budget-development}}",
    "Grants:X/Sessions/F": "{{Let's Connect/Session|date=2026-10-25|title=F|format=clinic"
                           "|status=cancelled|skills=governance}}",
    "User:Ana/Coffee": "{{Let's Connect/Outcome|group=2026-10-001|held=yes}}"
                       "{{Let's Connect/Outcome|group=2026-10-002|held=no}}",
}
GROUPS = [CoffeeGroup("2026-10", "2026-10-001", "Chen", "governance"),
          CoffeeGroup("2026-10", "2026-10-002", "Ana", "fundraising"),
          CoffeeGroup("2026-10", "2026-10-003", "Ana", "fundraising")]


def dashboard(taxonomy, people=PEOPLE, groups=GROUPS):
    pages = [PageData(t, (Revision(1, "X", "2026-10-01T00:00:00Z", x),))
             for t, x in LOG_TEXT.items()]
    log = build_log(pages, taxonomy, now=NOW)
    settings = StatsSettings(targets=GOALS, ambassadors=("Ana", "ana", " "),
                             working_group=("Ana", "Beto"))
    return compute_dashboard(people, log, groups, outcome_statuses(log.outcomes), settings,
                             now=NOW)


def test_people_figures(taxonomy):
    f = dashboard(taxonomy).figures
    assert f["participants"] == 4
    assert f["regions"] == [{"region": "ssa", "count": 2, "share": 50.0},
                            {"region": "eseap", "count": 1, "share": 25.0},
                            {"region": "lac", "count": 1, "share": 25.0}]
    assert f["countries"][0] == {"country": "KE", "count": 1}
    assert f["languages"][0] == {"language": "en", "count": 3}
    assert f["communities"] == 2  # "Wikimedia Kenya" and "wikimedia kenya" are one


def test_skill_figures(taxonomy):
    f = dashboard(taxonomy).figures
    assert f["learn_top"][:2] == [{"skill": "advocacy", "learners": 2, "sharers": 0},
                                  {"skill": "governance", "learners": 2, "sharers": 1}]
    assert {"skill": "fundraising", "sharers": 1, "learners": 0} in f["share_top"]
    assert [w["skill"] for w in f["sharers_wanted"]] == ["advocacy", "budget-development",
                                                         "social-media"]


def test_session_and_coffee_figures(taxonomy):
    f = dashboard(taxonomy).figures
    assert f["sessions"] == {"held": 4, "clinics_held": 3, "cancelled": 1,
                             "participations": 30, "without_count": 2}
    assert f["sessions_by_month"] == [
        {"month": "2026-03", "held": 1, "participations": 0},
        {"month": "2026-09", "held": 2, "participations": 30},
        {"month": "2026-10", "held": 1, "participations": 0},
    ]
    assert f["documentation"] == {"held": 4, "documented": 1, "rate": 25.0}
    # proposed: 3 groups; held: group 001 and the coffee session C; not held: group 002
    assert f["coffees"] == {"proposed": 3, "held": 2, "not_held": 1}
    # sharers of held sessions (Ana, Zed, Chen) and of held group 001 (Chen)
    assert f["active_sharers"] == 3
    assert (f["ambassadors"], f["working_group"]) == (1, 2)


def test_hot_topics_skip_skills_with_a_recent_or_planned_clinic(taxonomy):
    hot = [h["skill"] for h in dashboard(taxonomy).figures["hot_topics"]]
    # governance (clinic A in September) and advocacy (regional B) are covered;
    # budget-development has a planned clinic; social-media's clinic is eight months old.
    assert hot == ["social-media"]


def test_targets_met_or_not(taxonomy):
    targets = {t.name: t for t in dashboard(taxonomy).targets}
    assert targets["communities"] == Target("communities", 2, 2, True)
    assert targets["clinics"].met and not targets["working_group"].met
    assert targets["documented_percent"] == Target("documented_percent", 50, 25.0, False)
    assert targets["coffees"].value == 2 and targets["coffees"].met


def test_documentation_target_is_exact_at_the_boundary(taxonomy):
    log = build_log([PageData("Grants:X/S/1", (Revision(1, "X", "2026-10-01T00:00:00Z",
                     "{{Let's Connect/Session|date=2026-10-01|title=A|format=clinic|status=held}}"
                     "{{Let's Connect/Resource|title=R|link=https://example.org/r}}"),)),
                     PageData("Grants:X/S/2", (Revision(1, "X", "2026-10-01T00:00:00Z",
                     "{{Let's Connect/Session|date=2026-10-02|title=B|format=clinic"
                     "|status=held}}"),))], taxonomy, now=NOW)
    result = compute_dashboard([], log, [], {}, StatsSettings(targets={"documented_percent": 50}),
                               now=NOW)
    assert result.targets == (Target("documented_percent", 50, 50.0, True),)


def test_an_empty_program_gives_zeros_and_renders(taxonomy):
    log = build_log([], taxonomy, now=NOW)
    result = compute_dashboard([], log, [], {}, StatsSettings(targets=GOALS), now=NOW)
    assert result.figures["documentation"]["rate"] == 0.0
    assert not any(t.met for t in result.targets)
    text = render_dashboard(result, taxonomy)
    assert "No session has been held yet" in text and "''Nobody yet.''" in text


def test_dashboard_page_has_bars_numbers_and_sortable_tables(taxonomy):
    result = dashboard(taxonomy)
    text = render_dashboard(result, taxonomy)
    for heading in ("== Phase-1 targets ==", "=== By region ===", "=== Countries ===",
                    "=== Languages ===", "=== Most wanted ===", "=== Sessions held per month ===",
                    "=== Coffees ===", "== Hot topics =="):
        assert heading in text
    assert "'''5''' of '''7''' targets met." in text
    assert text.count('class="letsconnect-bar"') >= 10
    assert "<img" not in text and "{{#" not in text
    assert '! class="unsortable" | Chart' in text
    assert "| Sub-Saharan Africa\n| 2\n| 50%" in text
    assert "# Social media (1 learner)" in text and "{{Let's Connect/Skill" not in text


def test_bars_are_proportional_and_never_wider_than_the_track():
    assert bar(0, 10) == "" and bar(5, 0) == ""
    widths = [float(re.search(r"width:([\d.]+)em", bar(v, 10)).group(1)) for v in (1, 5, 10, 20)]
    assert widths == [1.2, 6.0, 12.0, 12.0]


def test_export_shape(taxonomy):
    data = json.loads(render_dashboard_export(dashboard(taxonomy), "2026-11-01T00:00:00Z"))
    assert set(data) == {"schema", "generated", "figures", "targets"}
    assert data["schema"] == 1
    assert all(set(t) == {"name", "goal", "value", "met"} for t in data["targets"])
    assert [t["name"] for t in data["targets"]] == list(GOALS)
