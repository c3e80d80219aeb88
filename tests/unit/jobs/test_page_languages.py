"""Every page the directory job writes, in every language of the program: written out in
that language (no English sentence, no id, no broken message), marked with its language
and direction, its skills sorted by their label in that language, and linked to the other
versions."""

from __future__ import annotations

import re

import pytest

from bot.i18n import LANGUAGE_NAMES, LANGUAGES
from bot.jobs.directory import OPTIONS, directory_job
from bot.taxonomy import Taxonomy, label_order
from bot.wikitext.versions import version_title
from tests.language_checks import broken, english_left, raw_ids
from tests.unit.jobs.program import CONFIG, run, section, small_program

PAGES = {CONFIG.pages.directory: "directory", CONFIG.pages.by_skill: "skills",
         CONFIG.pages.problems: "problems"}
PREFIXES = ("letsconnect-page-", "letsconnect-directory-")
TAXONOMY = Taxonomy.load()
IDS = [*TAXONOMY.skills, *TAXONOMY.regions, *TAXONOMY.areas, *TAXONOMY.thematic_areas]


@pytest.fixture(scope="module")
def store():
    store = small_program()
    run(directory_job, store, "directory", OPTIONS)
    return store


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
@pytest.mark.parametrize("base", list(PAGES))
def test_each_version_speaks_its_language_only(store, base, lang):
    text = section(store, version_title(base, lang), PAGES[base])
    assert english_left(text, PREFIXES, lang) == []
    assert raw_ids(text, IDS) == []
    assert broken(text) == []
    direction = "rtl" if lang == "ar" else "ltr"
    assert text.startswith(f'<div lang="{lang}" dir="{direction}"')


@pytest.mark.parametrize("base", list(PAGES))
def test_every_version_links_every_other(store, base):
    for lang in LANGUAGES:
        text = section(store, version_title(base, lang), PAGES[base])
        bar = text.split("\n", 2)[1 if lang != "en" else 0]
        for other in LANGUAGES:
            name = LANGUAGE_NAMES[other]
            link = f"[[:{version_title(base, other)}|{name}]]"
            assert (link in bar) == (other != lang), (lang, other)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_skills_are_sorted_by_their_label_in_the_page_language(store, lang):
    text = section(store, version_title(CONFIG.pages.by_skill, lang), "skills")
    first_table = text.split("|}")[0]
    labels = re.findall(r"^\|-\n\| (.+)$", first_table, re.MULTILINE)
    assert len(labels) >= 3
    assert labels == sorted(labels, key=label_order)


def test_the_english_page_keeps_its_words(store):
    text = section(store, CONFIG.pages.directory, "directory")
    assert re.search(r"^\d+ participants? in the directory\.$", text, re.MULTILINE)
    assert "<div lang=" not in text
