"""A language is data: German added from files alone reaches a generated page, a notice and
the profile card.

The shipped message folder (bot/i18n) and taxonomy files (config/) are copied to a
temporary folder; German is added there with a line in ``languages.json``, a ``de.json``
beside it (a handful of real German messages: the others fall back to English) and a
``de`` label on every skill, area and region (the English label, except a few real German
ones checked here: this tests the mechanism, not a translation).  The bot is pointed at
the folder through ``LETSCONNECT_I18N_DIR`` and the taxonomy paths, with no code change,
in a fresh interpreter (the languages are read once, when ``bot.i18n`` is imported).  It
then renders (a) the talk-page notice of a participant with ``lang=de``, (b) the German
version of the directory's skills page (its title, its words, its labels) and (c)
``Module:Let's Connect/i18n`` and ``Module:Let's Connect/data`` with the deploy's own
renderers, and Module:Let's Connect runs under lua5.1 (the harness of test_lua_module.py)
for a reader whose language is ``de``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tests.unit.lua_helpers import MODULE, needs_lua
from tests.unit.test_lua_module import DIRECTORY, GOOD, HARNESS, run_module

ROOT = Path(__file__).resolve().parents[2]

GERMAN = {
    "letsconnect-notice-heading": "Let's Connect: Neuigkeiten für dich ($2)",
    "letsconnect-notice-intro": "Hallo $2! {{PLURAL:$3|Hier ist eine Neuigkeit|Hier sind $3 "
                                "Neuigkeiten}} von Let's Connect, dem Programm zum Lernen "
                                "voneinander:",
    "letsconnect-notice-about": "Über den Bot",
    "letsconnect-module-card-heading": "Let's-Connect-Profil",
    "letsconnect-module-share": "Teilt",
    "letsconnect-module-learn": "Möchte lernen",
    "letsconnect-module-languages": "Sprachen",
    "letsconnect-module-region": "Region",
}
#: The German of the directory's pages: a message group of its own (bot/i18n/directory/).
GERMAN_DIRECTORY = {
    "letsconnect-directory-column-skill": "Fähigkeit",
    "letsconnect-directory-column-shared-by": "Geteilt von",
    "letsconnect-directory-wanted-heading": "Gesucht: wer teilt",
}
#: Real German labels, checked; every other entry gets its English label as ``de``.
LABELS = {
    "budget-development": "Haushaltsplanung",
    "wikidata-basics": "Wikidata-Grundlagen",
    "ssa": "Afrika südlich der Sahara",
}

SCRIPT = r"""
import json, sys
from datetime import UTC, datetime
from pathlib import Path

from bot.i18n import LANGUAGES, fallback_chain
from bot.notices.decide import Item
from bot.notices.text import Messages, Recipient, TextSettings, choose_language, render_section
from bot.onwiki.luadata import render_lua_data
from bot.onwiki.luamessages import render_lua_messages
from bot.taxonomy import Taxonomy

folder = Path(sys.argv[1])
taxonomy = Taxonomy.load(folder / "skills.yaml", folder / "regions.yaml")
lang = choose_language("de", ())
settings = TextSettings(task_page="Grants:X/Bot", problems_page="Grants:X/Problems",
                        outcomes_page="Grants:X/Coffees")
item = Item("profile", "Ben", "Grants:X/Directory/Ben@7", stale=True, since="2025-10-01",
            days=365, page="Grants:X/Directory/Ben")
section = render_section(Messages.load(), taxonomy, settings,
                         Recipient("Ben", "Grants:X/Directory/Ben", lang, 1), [item],
                         datetime(2026, 11, 2, 9, 30, tzinfo=UTC))
(folder / "data.lua").write_text(render_lua_data(taxonomy), encoding="utf-8")
(folder / "i18n.lua").write_text(render_lua_messages(), encoding="utf-8")
from bot.directory.build import Directory
from bot.directory.pages import render_by_skill
from bot.model import Profile
from bot.wikitext.versions import in_language, version_titles
ben = Profile("Ben", "Grants:X/Directory/Ben", 7, languages=("de",), consent=True,
              share=("budget-development",))
titles = version_titles("Grants:X/Skills")
page = in_language(render_by_skill(Directory((ben,), ()), taxonomy, "de"), "Grants:X/Skills", "de")
print(json.dumps({"languages": LANGUAGES, "lang": lang, "heading": section.heading,
                  "body": section.body, "chain": fallback_chain("de-AT"),
                  "label": taxonomy.skill_label("budget-development", "de"),
                  "title": titles["de"], "page": page}))
"""


def _add_german(folder: Path) -> None:
    i18n = folder / "i18n"
    shutil.copytree(ROOT / "bot" / "i18n", i18n, ignore=shutil.ignore_patterns("*.py", "__*"))
    languages = json.loads((i18n / "languages.json").read_text(encoding="utf-8"))
    languages["languages"].append({"code": "de", "name": "Deutsch", "dir": "ltr",
                                   "fallback": []})
    (i18n / "languages.json").write_text(json.dumps(languages, ensure_ascii=False),
                                         encoding="utf-8")
    messages = {"@metadata": {"authors": ["Let's Connect working group"]}, **GERMAN}
    (i18n / "de.json").write_text(json.dumps(messages, ensure_ascii=False), encoding="utf-8")
    group = {"@metadata": {"authors": ["Let's Connect working group"]}, **GERMAN_DIRECTORY}
    (i18n / "directory" / "de.json").write_text(json.dumps(group, ensure_ascii=False),
                                                encoding="utf-8")
    for name in ("skills.yaml", "regions.yaml"):
        data = yaml.safe_load((ROOT / "config" / name).read_text(encoding="utf-8"))
        for key in ("areas", "thematic_areas", "regions"):
            for entry in data.get(key) or []:
                for item in [entry, *entry.get("skills", [])]:
                    item["labels"]["de"] = LABELS.get(item["id"], item["labels"]["en"])
        (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def _render(folder: Path) -> dict:
    env = {**os.environ, "LETSCONNECT_I18N_DIR": str(folder / "i18n")}
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(folder)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_german_from_files_alone_in_a_notice(tmp_path):
    _add_german(tmp_path)
    out = _render(tmp_path)
    assert out["languages"][-1] == "de" and out["lang"] == "de"
    assert out["chain"] == ["de-at", "de", "en"]
    assert out["label"] == "Haushaltsplanung"
    assert out["heading"] == "Let's Connect: Neuigkeiten für dich (2026-11-02)"
    body = out["body"]
    assert body.startswith('<div lang="de" dir="ltr">')
    assert "Hallo <bdi>Ben</bdi>! Hier ist eine Neuigkeit von Let's Connect" in body
    assert "Über den Bot" in body
    assert "Hello" not in body and "About the bot" not in body
    # a message German lacks falls back to English
    assert "was last changed on" in body


def test_german_from_files_alone_on_a_generated_page(tmp_path):
    _add_german(tmp_path)
    out = _render(tmp_path)
    assert out["title"] == "Grants:X/Skills/de"
    page = out["page"]
    assert page.startswith('<div lang="de" dir="ltr"')
    assert "[[:Grants:X/Skills/de|" not in page and "<b lang=\"de\">Deutsch</b>" in page
    assert "! Fähigkeit" in page and "! Geteilt von" in page and "== Gesucht: wer teilt ==" in page
    assert "| Haushaltsplanung" in page and "[[User:Ben|Ben]]" in page
    assert "! Skill" not in page and "Shared by" not in page


@needs_lua
def test_german_from_files_alone_on_the_profile_card(tmp_path):
    _add_german(tmp_path)
    _render(tmp_path)
    (tmp_path / "harness.lua").write_text(HARNESS, encoding="utf-8")
    assert MODULE.is_file()
    german, austrian, skill, region = run_module(tmp_path, [
        {"fn": "profile", "title": DIRECTORY, "lang": "de", "parent": GOOD},
        {"fn": "profile", "title": DIRECTORY, "lang": "de-at", "parent": GOOD},
        {"fn": "skill", "lang": "de", "args": {1: "budget"}},
        {"fn": "region", "lang": "de", "args": {1: "SSA"}},
    ])
    assert 'lang="de"' in german and "Let's-Connect-Profil" in german
    assert "Teilt" in german and "Möchte lernen" in german and "Sprachen" in german
    assert "Haushaltsplanung" in german and "Wikidata-Grundlagen" in german
    assert "Shares" not in german and "Wants to learn" not in german
    assert "Let's-Connect-Profil" in austrian
    assert (skill, region) == ("Haushaltsplanung", "Afrika südlich der Sahara")


@needs_lua
def test_portuguese_readers_get_brazilian_messages_and_pt_labels(tmp_path):
    """``pt`` and ``pt-br`` readers both get the pt-br messages; the labels, kept under
    ``pt`` in the taxonomy files, reach them through the chain pt-br -> pt."""
    from bot.onwiki.luadata import render_lua_data
    from bot.onwiki.luamessages import render_lua_messages
    from bot.taxonomy import Taxonomy

    (tmp_path / "harness.lua").write_text(HARNESS, encoding="utf-8")
    (tmp_path / "data.lua").write_text(render_lua_data(Taxonomy.load()), encoding="utf-8")
    (tmp_path / "i18n.lua").write_text(render_lua_messages(), encoding="utf-8")
    cases = [{"fn": "profile", "title": DIRECTORY, "lang": code, "parent": GOOD}
             for code in ("pt", "pt-br", "pt-pt")]
    cases.append({"fn": "skill", "lang": "pt", "args": {1: "budget"}})
    *cards, skill = run_module(tmp_path, cases)
    for card in cards:
        assert 'lang="pt-br"' in card and "Compartilha" in card, card[:300]
        assert "Elaboração de orçamentos" in card
    assert skill == "Elaboração de orçamentos"
