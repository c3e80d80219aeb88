"""The round page, the dashboard and the notices log rendered in each language of the
program: every word from that language's messages and labels, the shared context in words,
skills sorted by their label, no raw id, and on the Arabic page what reads left to right
isolated."""

from __future__ import annotations

import re

import pytest

from bot.i18n import LANGUAGES
from bot.matching.pages import render_round
from bot.matching.values import REASONS, Group, MatchResult, Unmatched
from bot.notices.text import render_log
from bot.sessions.build import build_log
from bot.stats.compute import Dashboard, StatsSettings, Target, compute_dashboard
from bot.stats.pages import render_dashboard
from bot.taxonomy import Taxonomy, label_order
from tests.language_checks import broken, english_left, raw_ids
from tests.unit.test_notices_text import recorded_state
from tests.unit.test_stats import NOW, dashboard

TAXONOMY = Taxonomy.load()
IDS = [*TAXONOMY.skills, *TAXONOMY.regions, *TAXONOMY.areas, *TAXONOMY.thematic_areas]
OTHERS = [lang for lang in LANGUAGES if lang != "en"]
RESULT = MatchResult(
    round="2026-12",
    groups=(
        Group("2026-12-001", "fundraising", "Ana", ("Ben", "Cy"), "sw",
              ("region:ssa", "country:KE", "area:glam", "area:education")),
        Group("2026-12-002", "governance", "Dee", ("Eve",), "fr", ("area:education",)),
        Group("2026-12-003", "advocacy", "Fay", ("Gus",), "ar", ()),
    ),
    unmatched=tuple(Unmatched("Zed", skill, reason) for skill, reason in zip(
        ("social-media", "wikidata-basics", "advocacy", "governance", "fundraising",
         "budget-development", "technical-writing"), (*REASONS, "a-new-reason"), strict=False)),
    sharers_wanted={"social-media": 2, "wikidata-basics": 2, "advocacy": 2, "governance": 5},
)
STATUSES = {"2026-12-001": "held", "2026-12-002": "not held"}


def round_page(lang: str) -> str:
    return render_round(RESULT, TAXONOMY, STATUSES, lang)


def faults(text: str, prefix: str, lang: str) -> list[str]:
    return [*english_left(text, ("letsconnect-page-", prefix), lang), *raw_ids(text, IDS),
            *broken(text)]


@pytest.mark.parametrize("lang", OTHERS)
def test_the_round_page_is_in_its_language(lang):
    assert faults(round_page(lang), "letsconnect-matching-", lang) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_shared_context_is_in_words_region_country_then_areas_by_label(lang):
    text = round_page(lang)
    row = next(line for line in text.splitlines()
               if TAXONOMY.region_label("ssa", lang) in line)
    labels = [TAXONOMY.region_label("ssa", lang), TAXONOMY.country_name("KE", lang),
              *sorted((TAXONOMY.area_label(a, lang) for a in ("glam", "education")),
                      key=label_order)]
    assert [row.index(label) for label in labels] == sorted(row.index(label) for label in labels)
    assert not re.search(r"\b(?:ssa|KE|glam|education)\b", text)


def test_the_english_round_page_says_it_in_words():
    text = round_page("en")
    assert ("| same region: Sub-Saharan Africa, same country: Kenya, shared area: Education, "
            "shared area: GLAM (cultural institutions)\n") in text
    assert text.startswith("'''3''' groups, '''4''' learners placed, '''7''' wishes still open")
    assert "\n| held\n" in text and "\n| not held\n" in text and "\n| proposed\n" in text
    assert "takes part only in learning clinics" in text and "another reason" in text
    assert "{{" not in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_wanted_skills_are_sorted_by_count_then_label(lang):
    wanted = round_page(lang).split("=== ", 2)[1].split("|}")[0]
    found = re.findall(r"^\|-\n\| (.+)\n\| (\d+)$", wanted, re.MULTILINE)
    assert found[0] == (TAXONOMY.skill_label("governance", lang), "5")
    labels = [label for label, _ in found[1:]]
    assert len(labels) == 3 and labels == sorted(labels, key=label_order)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_unmatched_wishes_of_one_person_are_sorted_by_skill_label(lang):
    unmatched = round_page(lang).rsplit("=== ", 1)[1]
    labels = re.findall(r"^\| \S*\[\[User:Zed\|Zed\]\]\S*\n\| (.+)$", unmatched, re.MULTILINE)
    assert len(labels) == len(RESULT.unmatched)
    assert labels == sorted(labels, key=label_order)


def test_the_arabic_round_page_isolates_ids_and_names():
    text = round_page("ar")
    assert '| <bdi dir="ltr" style="white-space:nowrap">2026-12-001</bdi>\n' in text
    assert "| <bdi>[[User:Ben|Ben]]</bdi>، <bdi>[[User:Cy|Cy]]</bdi>\n" in text
    assert "<bdi" not in round_page("fr")


@pytest.mark.parametrize("lang", OTHERS)
def test_the_dashboard_is_in_its_language(lang):
    text = render_dashboard(dashboard(TAXONOMY), TAXONOMY, lang)
    assert faults(text, "letsconnect-stats-", lang) == []
    assert "{{" not in text


def test_the_dashboard_writes_numbers_and_percentages_as_its_language_does():
    big = compute_dashboard([], build_log([], TAXONOMY, now=NOW), [], {},
                            StatsSettings(targets={"communities": 12345}), now=NOW)
    assert "| 12,345\n" in render_dashboard(big, TAXONOMY, "en")
    assert "| 12&#160;345\n" in render_dashboard(big, TAXONOMY, "fr")
    text = render_dashboard(dashboard(TAXONOMY), TAXONOMY, "fr")
    assert "| 50&#160;%\n" in text and "'''Taux de documentation'''&#160;: 25&#160;%" in text
    arabic = render_dashboard(dashboard(TAXONOMY), TAXONOMY, "ar")
    assert '<bdi dir="ltr" style="white-space:nowrap">50٪</bdi>' in arabic


def test_a_target_the_bot_does_not_know_gets_a_word_not_its_name():
    text = render_dashboard(Dashboard(dashboard(TAXONOMY).figures,
                                      (Target("new_thing", 3, 1, False),)), TAXONOMY, "es")
    assert "Otra meta" in text and "new_thing" not in text


@pytest.mark.parametrize("lang", OTHERS)
def test_the_notices_log_is_in_its_language(lang):
    text = render_log(recorded_state(), "2026-11", lang)
    assert faults(text, "letsconnect-noticelog-", lang) == []
    for kind in ("match", "followup", "invite", "profile", "monthly"):
        assert f"| {kind}" not in text


def test_the_arabic_log_isolates_dates_months_and_names():
    text = render_log(recorded_state(), "2026-11", "ar")
    assert '<bdi dir="ltr">2026-11</bdi>' in text
    assert '| <bdi dir="ltr">2026-11-02</bdi>\n| <bdi>[[:User:Ben|Ben]]</bdi>\n' in text

