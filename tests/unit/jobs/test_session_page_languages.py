"""Every page the sessions job writes (the resource index, the calendar, the session problems
page), in every language of the program: written out in that language (no English sentence,
no id, no broken message), marked with its language and direction, linked to the other
versions; in Arabic, dates, user names and titles isolated; each page's problems in its
owner's language whatever the page's."""

from __future__ import annotations

import re

import pytest

from bot.demo.profiles import PROFILE_PREFIX
from bot.i18n import LANGUAGE_NAMES, LANGUAGES
from bot.i18n.catalogue import read_catalogue
from bot.jobs.sessions import OPTIONS, sessions_job
from bot.sessions.model import FORMATS, RESOURCE_TYPES
from bot.taxonomy import Taxonomy, label_order
from bot.wikitext.versions import version_title
from tests.language_checks import broken, english_left, raw_ids
from tests.unit.jobs.program import BOT, CONFIG, STAMP, profile, run, section, with_sessions

PAGES = {CONFIG.pages.resources: "resources", CONFIG.pages.calendar: "calendar",
         CONFIG.pages.session_problems: "session-problems"}
PREFIXES = ("letsconnect-page-", "letsconnect-sessionpage-", "letsconnect-sessions-format-",
            "letsconnect-sessions-status-", "letsconnect-sessions-type-",
            "letsconnect-sessions-every-region", "letsconnect-sessions-no-link")
TAXONOMY = Taxonomy.load()
IDS = [*TAXONOMY.skills, *TAXONOMY.regions, *TAXONOMY.areas, *TAXONOMY.thematic_areas]
OTHERS = [lang for lang in LANGUAGES if lang != "en"]
ORGANISER = "Clinic Organiser"  # saved every page of the demo's session logs


@pytest.fixture(scope="module")
def store():
    store, _ = with_sessions()
    run(sessions_job, store, "sessions", OPTIONS)
    return store


@pytest.fixture(scope="module")
def spanish_owner():
    """The demo's logs, their organiser's profile saying Spanish."""
    store, _ = with_sessions()
    store.edit(PROFILE_PREFIX + ORGANISER, profile(ORGANISER, lang="es", share="Fundraising"),
               ORGANISER, at=STAMP)
    run(sessions_job, store, "sessions", OPTIONS)
    return store


def text_of(store, base: str, lang: str) -> str:
    return section(store, version_title(base, lang), PAGES[base])


def test_each_page_is_written_once_in_each_language(store):
    edited = {title for title, revisions in store.pages.items()
              if any(r.user == BOT for r in revisions)}
    versions = {version_title(base, lang) for base in PAGES for lang in LANGUAGES}
    exports = {CONFIG.export_page("sessions"), CONFIG.export_page("resources")}
    assert edited == versions | exports
    assert all(sum(r.user == BOT for r in store.pages[t]) == 1 for t in versions)


@pytest.mark.parametrize("lang", OTHERS)
@pytest.mark.parametrize("base", list(PAGES))
def test_each_version_speaks_its_language_only(store, base, lang):
    text = text_of(store, base, lang)
    assert english_left(text, PREFIXES, lang) == []
    assert raw_ids(text, IDS) == []
    assert broken(text) == []
    direction = "rtl" if lang == "ar" else "ltr"
    assert text.startswith(f'<div lang="{lang}" dir="{direction}"')


@pytest.mark.parametrize("lang", OTHERS)
def test_formats_statuses_and_types_are_words_not_ids(store, lang):
    calendar = text_of(store, CONFIG.pages.calendar, lang)
    for word in [*FORMATS, "planned", "held", "cancelled"]:
        assert f"\n| {word}\n" not in calendar and f"({word})" not in calendar, word
    resources = text_of(store, CONFIG.pages.resources, lang)
    types = re.findall(r"^\* .*?\](?:</bdi>)? \(([^()·]+?)(?: ·|\))", resources, re.MULTILINE)
    words = {read_catalogue("letsconnect-sessions-type-")[lang][f"letsconnect-sessions-type-{t}"]
             for t in RESOURCE_TYPES}
    assert types and set(types) <= words, types


@pytest.mark.parametrize("base", list(PAGES))
def test_every_version_links_every_other(store, base):
    for lang in LANGUAGES:
        text = text_of(store, base, lang)
        bar = text.split("\n", 2)[1 if lang != "en" else 0]
        for other in LANGUAGES:
            link = f"[[:{version_title(base, other)}|{LANGUAGE_NAMES[other]}]]"
            assert (link in bar) == (other != lang), (lang, other)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_skills_are_sorted_by_their_label_in_the_page_language(store, lang):
    text = text_of(store, CONFIG.pages.resources, lang)
    by_skill = text.split("\n== ")[2]  # the newest, then by skill
    for area in by_skill.split("\n=== ")[1:]:
        labels = re.findall(r"^==== (.+) ====$", area, re.MULTILINE)
        assert labels == sorted(labels, key=label_order)


def test_past_months_are_named_in_the_page_language(store):
    headings = {lang: re.findall(r"^=== (.+ \d{4}) ===$",
                                 text_of(store, CONFIG.pages.calendar, lang), re.MULTILINE)
                for lang in LANGUAGES}
    assert "November 2026" in headings["en"]
    assert "Noviembre de 2026" in headings["es"]
    assert "Novembre 2026" in headings["fr"]
    assert "Novembro de 2026" in headings["pt-br"]
    assert "نوفمبر 2026" in headings["ar"]


@pytest.mark.parametrize("base", list(PAGES))
def test_arabic_isolates_dates_user_names_and_titles(store, base):
    text = text_of(store, base, "ar")
    told = re.sub(r'<span lang="[a-z-]+" dir="[a-z]+">.*?</span>', "", text)  # problem lines
    dates = re.findall(r"(.{0,45})\b\d{4}-\d\d-\d\d(?: \d\d&#58;\d\d)?\b", told)
    assert dates or base.endswith("problems")  # the calendar and the index show dates
    assert all(before.endswith('<bdi dir="ltr" style="white-space:nowrap">')
                         for before in dates), dates
    assert "[[User:" not in text.replace("<bdi>[[User:", "")
    for line in text.splitlines():
        if line.startswith("* "):
            assert "<bdi>" in line, line


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_page_but_the_arabic_one_isolates(store, lang):
    for base in PAGES:
        assert ("<bdi>" in text_of(store, base, lang)) == (lang == "ar"), (base, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_problems_are_in_their_owners_language_on_every_version(spanish_owner, lang):
    text = text_of(spanish_owner, CONFIG.pages.session_problems, lang)
    rows = [line for line in text.splitlines()
            if line.startswith("| ") and "no existe en el wiki" in line]
    assert rows
    marked = '| <span lang="es" dir="ltr">'
    assert all(line.startswith(marked) == (lang != "es") for line in rows), rows
    assert "does not exist on the wiki" not in text


def test_the_english_pages_keep_their_words(store):
    calendar = text_of(store, CONFIG.pages.calendar, "en")
    assert re.search(r"^'''\d+ upcoming sessions?''' and '''\d+ other learning spaces?'''\. "
                     r"Times are in UTC\.$", calendar, re.MULTILINE)
    assert "== Upcoming sessions ==" in calendar and "== Past sessions ==" in calendar
    resources = text_of(store, CONFIG.pages.resources, "en")
    assert re.search(r"^'''\d+ resources'''\. \d+ of \d+ held sessions have at least one "
                     r"resource \(\d+%\)\.$", resources, re.MULTILINE)
    problems = text_of(store, CONFIG.pages.session_problems, "en")
    assert re.search(r"^\d+ problems on \d+ pages\.$", problems, re.MULTILINE)
    assert all("<div lang=" not in text_of(store, base, "en") for base in PAGES)
