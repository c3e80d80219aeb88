"""Every page the jobs generate, in every language of the program, as the wiki shows it.

The demo (every job, on a wiki of its own) writes each page and its language versions;
each version is parsed by the wiki for a reader in its language (``action=parse`` with
``uselang``) and its visible text must hold no sentence of the English messages, no raw
id, no message the wiki could not find (``⧼…⧽``) and no PLURAL or GENDER left as text.
``Special:MyLanguage`` takes a reader to the version in their language.
"""

from __future__ import annotations

import html
import importlib.util
import re

import pytest
import requests

from bot.i18n import LANGUAGES
from bot.taxonomy import Taxonomy
from tests.integration.wikiclient import ROOT
from tests.language_checks import broken, english_left, own_language_only, raw_ids

#: The messages of the generated pages (each feature's group, and the shared words).
PREFIXES = ("letsconnect-page-", "letsconnect-directory-", "letsconnect-sessionpage-",
            "letsconnect-matching-", "letsconnect-stats-", "letsconnect-noticelog-")
TAXONOMY = Taxonomy.load()
IDS = [*TAXONOMY.skills, *TAXONOMY.regions, *TAXONOMY.areas, *TAXONOMY.thematic_areas]


def _page_limits():
    spec = importlib.util.spec_from_file_location("page_limits", ROOT / "scripts" /
                                                  "page_limits.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def titles(demo_site) -> list[str]:
    return _page_limits().generated_titles(demo_site.api)


def language_of(title: str) -> str:
    last = title.rsplit("/", 1)[-1]
    return last if last in LANGUAGES else "en"


def visible_text(api: str, title: str, lang: str) -> str:
    data = requests.post(api, data={"action": "parse", "page": title, "uselang": lang,
                                    "prop": "text", "disableeditsection": 1,
                                    "format": "json"}, timeout=300).json()
    page = own_language_only(data["parse"]["text"]["*"], lang)
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<!--.*?-->", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_every_generated_page_has_every_language_version(titles):
    bases = {t for t in titles if language_of(t) == "en"}
    # directory, skills, problems, resources, calendar, session problems, dashboard, the
    # round's matches, the notices log
    assert len(bases) >= 9, sorted(bases)
    for base in bases:
        for lang in LANGUAGES:
            assert (base if lang == "en" else f"{base}/{lang}") in titles, (base, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_generated_page_speaks_its_language(demo_site, titles, lang):
    mine = [t for t in titles if language_of(t) == lang]
    assert mine
    for title in mine:
        text = visible_text(demo_site.api, title, lang)
        if lang != "en":
            assert english_left(text, PREFIXES, lang) == [], title
        assert raw_ids(text, IDS) == [], title
        assert broken(text) == [], title


def test_my_language_takes_a_reader_to_their_version(demo_site, titles):
    base = next(t for t in titles if t.endswith("/Directory"))
    for lang in ("es", "ar"):
        response = requests.get(
            demo_site.api.replace("api.php", "index.php"),
            params={"title": f"Special:MyLanguage/{base}", "uselang": lang}, timeout=60)
        # MediaWiki shows the target in place and names it for the address bar
        # (wgInternalRedirectTargetUrl), which the browser test follows.
        assert response.status_code == 200
        target = re.search(r'"wgInternalRedirectTargetUrl":"([^"]+)"', response.text)
        assert target, response.text[:300]
        shown = requests.utils.unquote(target.group(1).replace("\\u0026", "&")).split("&")[0]
        assert shown.endswith(f"/Directory/{lang}"), shown
        assert f'<div lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}"' in response.text
