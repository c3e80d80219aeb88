"""The deployed toolset as readers and participants meet it, rendered by the real wiki."""

from __future__ import annotations

import re
from urllib.parse import quote

from tests.integration.conftest import run_job
from tests.integration.wikiclient import URL

PROFILE_PAGE = "Grants:Knowledge Sharing/Connect/Directory/Ana"
HOSTILE = "{{Let's Connect/Profile|country=Kenya|languages=English|share=Budgetting, Wikidata basics|learn=presupuesto}}"  # noqa: E501


def plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def parse_text(wiki, text: str, title: str, preview: bool) -> dict:
    params = {"action": "parse", "text": text, "title": title, "prop": "text|categories"}
    if preview:
        params["preview"] = "1"
    return wiki.post(**params)["parse"]


def test_profile_card_shows_labels_and_mistakes_only_in_preview(job_env, wiki, admin, config_dir):
    assert run_job(job_env, "deploy", config=config_dir / "letsconnect.yaml").returncode == 0

    preview = parse_text(wiki, HOSTILE, PROFILE_PAGE, preview=True)
    text = plain(preview["text"])
    assert "consent" in text and "Budgetting" in text
    assert "Budget development" in text  # "presupuesto" resolved to the English label
    assert "Wikidata basics" in text
    assert "scribunto-error" not in preview["text"]

    admin.edit(PROFILE_PAGE, HOSTILE)
    saved = wiki.parse(PROFILE_PAGE)
    assert "only in preview" not in plain(saved["text"])
    categories = {c["category"] for c in saved["categories"]}
    assert "Let's_Connect_profiles_with_problems" in categories


def test_a_spanish_owners_preview_tells_the_problems_in_spanish(job_env, wiki, config_dir):
    assert run_job(job_env, "deploy", config=config_dir / "letsconnect.yaml").returncode == 0
    text = "{{Let's Connect/Profile|lang=es|languages=es, en|share=Knitting}}"
    params = {"action": "parse", "text": text, "title": PROFILE_PAGE, "prop": "text",
              "preview": "1", "uselang": "en"}
    html = wiki.post(**params)["parse"]["text"]
    box = html.split("letsconnect-problems", 1)[1]
    assert '<li lang="es" dir="ltr">' in box
    assert "no está en la lista de habilidades" in box
    assert "is not in the list of skills" not in box
    assert "Shares" in plain(html)  # the card itself is in the reader's language


def test_the_demo_pages_open(job_env, wiki, config_dir):
    config = config_dir / "letsconnect.yaml"
    assert run_job(job_env, "deploy", config=config).returncode == 0
    assert run_job(job_env, "directory", config=config).returncode == 0
    for title in (
        "Grants:Knowledge Sharing/Connect/Directory",
        "Grants:Knowledge Sharing/Connect/Skills",
        "Grants:Knowledge Sharing/Connect/Profile problems",
        "Template:Let's Connect/Profile",
        "Template:Let's Connect/Add profile",
    ):
        page = wiki.http.get(f"{URL}/index.php?title={quote(title.replace(' ', '_'))}", timeout=30)
        assert page.status_code == 200, title
        assert "scribunto-error" not in page.text, title
        assert 'class="noarticletext' not in page.text, title
