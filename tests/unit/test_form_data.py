"""The profile form's data page and the gadget's pages (bot/onwiki/formdata.py)."""

from __future__ import annotations

import json

from bot.directory.fields import MAX_ITEMS, MAX_TEXT, PROFILE_PARAMS
from bot.i18n import LANGUAGES
from bot.onwiki.bundle import assemble, title_for
from bot.onwiki.formdata import (
    merge_gadgets_definition,
    render_form_data,
    staged_title,
)
from bot.onwiki.luadata import key_forms
from tests.unit.lua_helpers import SOURCE, sample_taxonomy

OURS = "== letsconnect ==\n* letsconnect-form[ResourceLoader|default]|letsconnect-form.js\n"


def test_the_data_is_the_taxonomy_the_rules_and_the_messages_of_every_language():
    taxonomy = sample_taxonomy()
    text = render_form_data(taxonomy)
    assert text == render_form_data(taxonomy)  # deterministic: deploy saves only changes
    data = json.loads(text)
    assert [s["id"] for s in data["skills"]] == list(taxonomy.skills)
    skill = next(iter(taxonomy.skills.values()))
    for alias in skill.aliases:
        assert data["lookup"][key_forms(alias)[0]] == skill.id
    assert data["params"] == list(PROFILE_PARAMS)
    assert data["limits"] == {"text": MAX_TEXT, "items": MAX_ITEMS, "capacity": 4}
    english = data["messages"]["en"]
    for lang in LANGUAGES:  # every language has every message (its own or along its chain)
        assert set(data["messages"][lang]) == set(english)
    assert data["messages"]["ar"]["letsconnect-form-save"] != english["letsconnect-form-save"]
    spoken = {entry["code"]: entry["names"] for entry in data["spoken"]}
    assert spoken["es"]["fr"] == "espagnol" and spoken["es"]["es"] == "español"


def test_the_definitions_page_keeps_every_other_gadget():
    others = "== tools ==\n* clock[ResourceLoader]|clock.js\n"
    merged = merge_gadgets_definition(others, OURS)
    assert merged == others + "\n" + OURS
    assert merge_gadgets_definition(merged, OURS) == merged  # nothing to change the second time
    older = merged.replace("|default]", "]")
    assert merge_gadgets_definition(older, OURS) == merged
    assert merge_gadgets_definition("", OURS) == OURS


def test_the_gadget_pages_are_titled_with_their_extension_and_staged_in_the_bots_space():
    assert title_for("MediaWiki/Gadget-letsconnect-form.js") == (
        "MediaWiki:Gadget-letsconnect-form.js", "javascript")
    assert title_for("MediaWiki/Gadget-letsconnect-form-core.css")[1] == "css"
    files = {p.relative_to(SOURCE).as_posix(): p.read_text(encoding="utf-8")
             for p in SOURCE.rglob("*") if p.is_file()}
    pages = assemble(files, {"MediaWiki:Gadget-letsconnect-form-data.json": ("{}", "x")})
    assert pages["MediaWiki:Gadget-letsconnect-form-data.json"].model == "json"
    definition = pages["MediaWiki:Gadgets-definition"].text
    for name in ("letsconnect-form.js", "letsconnect-form-core.js", "letsconnect-form-core.css",
                 "letsconnect-form-data.json"):
        assert name in definition
        assert f"MediaWiki:Gadget-{name}" in pages
    assert staged_title("MediaWiki:Gadget-x.js", "Bot") == "User:Bot/gadget/Gadget-x.js"


def test_without_the_rights_deploy_leaves_the_gadget_in_its_user_space_and_says_so():
    from types import SimpleNamespace

    from bot.jobs.deploy import place_gadget
    from bot.onwiki.bundle import BundlePage

    lines: list[str] = []
    bundle = {title: BundlePage(title, "x", "javascript", "f") for title in (
        "MediaWiki:Gadget-a.js", "MediaWiki:Gadgets-definition", "Template:T")}
    ctx = SimpleNamespace(wiki=SimpleNamespace(username="Bot"), report=lines.append)
    placed = place_gadget(ctx, bundle)  # a wiki with no rights (no Pywikibot site)
    assert sorted(placed) == ["Template:T", "User:Bot/gadget/Gadget-a.js",
                              "User:Bot/gadget/Gadgets-definition"]
    (line,) = lines
    assert line.startswith("the profile form is not installed: this account may not edit the "
                           "site's scripts; an interface administrator must copy these pages: ")
    assert "[[User:Bot/gadget/Gadget-a.js]] -> [[MediaWiki:Gadget-a.js]]" in line
    assert "[[MediaWiki:Gadgets-definition]] (add its lines)" in line
