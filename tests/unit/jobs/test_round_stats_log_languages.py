"""The round's matches page, the dashboard and the notices log, in every language of the
program: written out in that language (no English sentence, no id, no broken message),
marked with its language and direction, linked to the other versions; on the matches page
the shared context in words and the skills sorted by their label in the page's language."""

from __future__ import annotations

import re

import pytest

from bot.demo.sessions import demo_sessions
from bot.i18n import LANGUAGES
from bot.jobs.match import OPTIONS as MATCH_OPTIONS
from bot.jobs.match import match_job
from bot.jobs.notify import OPTIONS as NOTIFY_OPTIONS
from bot.jobs.notify import notify_job
from bot.jobs.stats import OPTIONS as STATS_OPTIONS
from bot.jobs.stats import stats_job
from bot.taxonomy import Taxonomy, label_order
from bot.wikitext.versions import language_bar, version_title
from tests.language_checks import version_faults
from tests.unit.jobs.program import (
    CONFIG,
    NOW,
    PEOPLE,
    ROUND,
    edits_by_bot,
    load,
    run,
    section,
    small_program,
)

MATCHES = f"{CONFIG.pages.matches}/{ROUND}"
LOG = f"{CONFIG.notices.log_page}/{NOW:%Y-%m}"
PAGES = {MATCHES: ("matches", "letsconnect-matching-"),
         CONFIG.pages.dashboard: ("dashboard", "letsconnect-stats-"),
         LOG: ("notices", "letsconnect-noticelog-")}
TAXONOMY = Taxonomy.load()
IDS = [*TAXONOMY.skills, *TAXONOMY.regions, *TAXONOMY.areas, *TAXONOMY.thematic_areas]
#: Everyone in Kenya; the sharers and some learners work in the same thematic areas, and
#: Gil wants three skills nobody shares (the table of sharers wanted sorts them).
AREAS = {"Ana Sharer": "Education, GLAM", "Cy Learner": "GLAM, Education",
         "Ben Sharer": "Education", "Eli Learner": "Education"}
WISHES = {"Gil Learner": {"learn": "Wikidata basics, Advocacy, Governance, Social media"}}


def people() -> dict[str, dict[str, str]]:
    chosen = {user: dict(fields) for user, fields in PEOPLE.items()}
    for user, areas in AREAS.items():
        chosen[user]["areas"] = areas
    return {**chosen, **WISHES}


@pytest.fixture(scope="module")
def store():
    store = small_program(people())
    demo = demo_sessions(list(PEOPLE), now=NOW, round_id=ROUND)
    load(store, demo.pages, demo.users)
    run(match_job, store, "match", MATCH_OPTIONS, f"-round:{ROUND}")
    run(stats_job, store, "stats", STATS_OPTIONS)
    run(notify_job, store, "notify", NOTIFY_OPTIONS, f"-date:{NOW:%Y-%m-%d}")
    return store


def prefixes(base: str) -> tuple[str, ...]:
    return ("letsconnect-page-", PAGES[base][1])


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
@pytest.mark.parametrize("base", list(PAGES))
def test_each_version_speaks_its_language_only(store, base, lang):
    text = section(store, version_title(base, lang), PAGES[base][0])
    assert text.strip()
    assert version_faults(text, prefixes(base), IDS, lang) == []


@pytest.mark.parametrize("base", list(PAGES))
def test_every_version_opens_with_the_bar_of_languages(store, base):
    for lang in LANGUAGES:
        text = section(store, version_title(base, lang), PAGES[base][0])
        assert language_bar(base, lang) in text.split("\n", 2)[:2], (base, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_shared_context_is_in_words(store, lang):
    text = section(store, version_title(MATCHES, lang), "matches")
    region = TAXONOMY.region_label("ssa", lang)
    country = TAXONOMY.country_name("KE", lang)
    education = TAXONOMY.area_label("education", lang)
    assert region in text and country in text and education in text
    # the old raw form: "region: ssa", "country: KE", "area: glam"
    assert not re.search(r"\b(?:region|country|area): ?(?:[a-z]|[A-Z]{2}\b)", text)
    english = {"same region: Sub-Saharan Africa", "same country: Kenya",
               "shared area: Education"}
    assert all((words in text) == (lang == "en") for words in english), lang


@pytest.mark.parametrize("lang", LANGUAGES)
def test_areas_and_wanted_skills_are_sorted_by_their_label(store, lang):
    text = section(store, version_title(MATCHES, lang), "matches")
    glam, education = (TAXONOMY.area_label(a, lang) for a in ("glam", "education"))
    both = [line for line in text.splitlines() if glam in line and education in line]
    assert both
    first, second = sorted([glam, education], key=label_order)
    assert all(line.index(first) < line.index(second) for line in both)
    wanted = text.split("=== ", 2)[1].split("|}")[0]
    labels = re.findall(r"^\|-\n\| (.+)\n\| \d+$", wanted, re.MULTILINE)
    assert len(labels) >= 3
    assert labels == sorted(labels, key=label_order)


def test_arabic_isolates_ids_names_dates_and_months(store):
    matches = section(store, version_title(MATCHES, "ar"), "matches")
    assert re.search(rf'<bdi dir="ltr" style="white-space:nowrap">{ROUND}-\d{{3}}</bdi>', matches)
    assert "<bdi>[[User:Ana Sharer|Ana Sharer]]</bdi>" in matches
    log = section(store, version_title(LOG, "ar"), "notices")
    assert f'<bdi dir="ltr">{NOW:%Y-%m}</bdi>' in log
    assert f'<bdi dir="ltr">{NOW:%Y-%m-%d}</bdi>' in log
    dashboard = section(store, version_title(CONFIG.pages.dashboard, "ar"), "dashboard")
    assert re.search(r'<bdi dir="ltr" style="white-space:nowrap">[\d.]+٪</bdi>', dashboard)


def test_the_english_pages_keep_their_words(store):
    matches = section(store, MATCHES, "matches")
    assert re.search(r"^'''\d+''' groups?, '''\d+''' learners? placed, '''\d+''' wish(?:es)? "
                     r"still open this round\.$", matches, re.MULTILINE)
    assert "same region: Sub-Saharan Africa" in matches and "<div lang=" not in matches
    assert "=== Sharers wanted ===" in matches
    assert "== Phase-1 targets ==" in section(store, CONFIG.pages.dashboard, "dashboard")
    assert "notice section" in section(store, LOG, "notices")


def test_a_rerun_of_each_job_saves_no_version_again(store):
    edits = edits_by_bot(store, besides=(CONFIG.state_page("notify"),))
    run(match_job, store, "match", MATCH_OPTIONS, f"-round:{ROUND}")
    run(stats_job, store, "stats", STATS_OPTIONS)
    assert edits_by_bot(store, besides=(CONFIG.state_page("notify"),)) == edits
