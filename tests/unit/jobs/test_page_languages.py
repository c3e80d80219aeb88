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


def _rows(text: str) -> list[str]:
    return re.findall(r"^\| \[\[User:([^|\]]+)\|", text, re.MULTILINE)


def test_a_directory_too_large_for_one_page_is_split_by_region_and_joined_again(monkeypatch):
    from bot.directory import pages

    store = small_program()
    run(directory_job, store, "directory", OPTIONS)
    whole = _rows(section(store, CONFIG.pages.directory, "directory"))
    monkeypatch.setattr(pages, "SPLIT_AT", 300)
    run(directory_job, store, "directory", OPTIONS, "-full")
    for lang in LANGUAGES:
        index = section(store, version_title(CONFIG.pages.directory, lang), "directory")
        assert _rows(index) == []
        links = re.findall(r"^\* \[\[:([^|\]]+)\|", index, re.MULTILINE)
        assert len(links) >= 2 and all(link.startswith(CONFIG.pages.directory + "/")
                                       for link in links)
        listed = [user for link in links for user in _rows(section(store, link, "directory"))]
        assert sorted(listed) == sorted(whole)  # everyone once, on their region's page
        assert all(link.endswith(f"/{lang}") == (lang != "en") for link in links)
    monkeypatch.setattr(pages, "SPLIT_AT", 10**9)
    run(directory_job, store, "directory", OPTIONS, "-full")
    assert _rows(section(store, CONFIG.pages.directory, "directory")) == whole
    # the region pages of the split are still there, and send readers back
    for lang in LANGUAGES:
        directory = version_title(CONFIG.pages.directory, lang)
        assert len(links_of(store, lang)) >= 2
        for link in links_of(store, lang):
            assert _rows(section(store, link, "directory")) == []
            assert f"[[:{directory}|" in section(store, link, "directory")


def links_of(store, lang: str) -> list[str]:
    """The region pages that the split's index linked to, in ``lang``."""
    return [f"{CONFIG.pages.directory}/{TAXONOMY.region_label(r)}" + ("" if lang == "en" else
                                                                      f"/{lang}")
            for r in TAXONOMY.regions
            if store.text(version_title(f"{CONFIG.pages.directory}/"
                                        f"{TAXONOMY.region_label(r)}", lang)) is not None]
