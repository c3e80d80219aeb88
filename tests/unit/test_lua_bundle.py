"""The files in templates_wikitext/: pages, TemplateData, parameters, invokes, messages."""

from __future__ import annotations

import json
import re

import pytest

from bot.i18n import LANGUAGES, RTL
from bot.i18n.catalogue import read_catalogue
from bot.onwiki.bundle import TEMPLATEDATA_PLACEHOLDER, assemble, title_for
from bot.onwiki.luadata import key_forms, render_lua_data
from bot.onwiki.luamessages import MODULE_PREFIXES, render_lua_messages
from bot.taxonomy import Taxonomy
from tests.unit.lua_helpers import CONFIG, MODULE, SESSIONS_MODULE, SOURCE, parse_lua_data

# Grants: task, landing page; MediaWiki: the profile form's gadget
ALLOWED_NAMESPACES = {"Template", "Module", "Category", "Grants", "MediaWiki"}
TEMPLATEDATA_TYPES = {
    "unknown", "number", "string", "line", "boolean", "date", "url", "wiki-page-name",
    "wiki-file-name", "wiki-template-name", "wiki-user-name", "content",
    "unbalanced-wikitext",
}  # fmt: skip
PARAM_KEYS = {
    "label", "description", "type", "required", "suggested", "deprecated", "aliases",
    "default", "autovalue", "example", "suggestedvalues", "inherits",
}  # fmt: skip


def _live(text: str) -> str:
    """Wikitext without the parts shown as examples (<nowiki>, <pre>), which never run."""
    return re.sub(r"<(nowiki|pre)>.*?</\1>", "", text, flags=re.S)


def _files() -> dict[str, str]:
    return {
        p.relative_to(SOURCE).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(SOURCE.rglob("*"))
        if p.is_file()
    }


def _templatedata_files() -> list[str]:
    return [path for path in _files() if path.endswith(".templatedata.json")]


def test_every_file_maps_to_a_valid_title():
    pages = [path for path in _files() if not path.endswith(".templatedata.json")]
    assert pages
    for path in pages:
        title, model = title_for(path)
        namespace, _, name = title.partition(":")
        assert namespace in ALLOWED_NAMESPACES, path
        assert not re.search(r"[#<>\[\]|{}_]", title), path
        assert all(part == part.strip() and part for part in name.split("/")), path
        assert len(title.encode("utf-8")) <= 255
        assert (model == "Scribunto") == (namespace == "Module" and path.endswith(".lua"))


def test_the_bundle_assembles_and_places_every_templatedata():
    files = _files()
    pages = assemble(files)
    for path in _templatedata_files():
        owner = path[: -len(".templatedata.json")]
        doc = files[f"{owner}/doc.wikitext"]
        assert doc.count(TEMPLATEDATA_PLACEHOLDER) == 1, owner
        title, _ = title_for(f"{owner}/doc.wikitext")
        assert pages[title].text.count("<templatedata>") == 1
        assert TEMPLATEDATA_PLACEHOLDER not in pages[title].text


@pytest.mark.parametrize("path", _templatedata_files())
def test_templatedata_is_valid(path):
    data = json.loads(_files()[path])
    assert isinstance(data["params"], dict) and data["params"]
    _interface_text(data["description"])
    assert data.get("format") in ("block", "inline")
    assert sorted(data["paramOrder"]) == sorted(data["params"])
    names = set(data["params"])
    seen_aliases: set[str] = set()
    for name, param in data["params"].items():
        assert set(param) <= PARAM_KEYS, (name, set(param) - PARAM_KEYS)
        _interface_text(param["label"])
        _interface_text(param["description"])
        assert param["type"] in TEMPLATEDATA_TYPES
        for alias in param.get("aliases", []):
            assert alias not in names and alias not in seen_aliases
            seen_aliases.add(alias)
        for key in ("default", "example"):
            if key in param:
                assert isinstance(param[key], str | dict)
        assert isinstance(param.get("required", False), bool)
        assert isinstance(param.get("suggested", False), bool)
        assert all(isinstance(v, str) for v in param.get("suggestedvalues", []))


def _interface_text(value) -> None:
    """TemplateData text: a string, or language code -> string with English present."""
    if isinstance(value, dict):
        assert "en" in value and all(isinstance(v, str) and v for v in value.values())
    else:
        assert isinstance(value, str) and value


def test_profile_templatedata_matches_the_parameters_the_module_reads():
    source = MODULE.read_text(encoding="utf-8")
    params = re.findall(r'"(\w+)"', re.search(r"local PARAMS = \{(.*?)\}", source, re.S).group(1))
    aliases = dict(re.findall(r"(\w+) = \"(\w+)\"", source.split("local PARAM_ALIASES", 1)[1]
                              .split("}", 1)[0]))  # fmt: skip
    data = json.loads(_files()["Template/Let's Connect/Profile.templatedata.json"])
    assert set(data["params"]) == set(params)
    td_aliases = {a: name for name, p in data["params"].items() for a in p.get("aliases", [])}
    assert td_aliases == aliases
    assert data["params"]["consent"]["required"] is True
    assert data["format"] == "block"


def test_templates_document_every_parameter_they_use():
    files = _files()
    for path, text in files.items():
        if not path.startswith("Template/") or path.endswith(("/doc.wikitext", ".json")):
            continue
        if path.endswith("/preload.wikitext"):
            continue
        owner = path[: -len(".wikitext")]
        assert f"{owner}/doc.wikitext" in files, f"{path} has no doc page"
        assert f"{{{{Template:{owner.split('/', 1)[1]}/doc}}}}" in text, path
        used = set(re.findall(r"\{\{\{([^|{}]+)", text))
        if used:
            td = json.loads(files[f"{owner}.templatedata.json"])
            assert used <= set(td["params"]), (path, used - set(td["params"]))


def test_every_invoke_names_a_function_of_the_module():
    modules = {
        "Let's Connect": MODULE,
        "Let's Connect/Sessions": MODULE.parent / "Let's Connect" / "Sessions.lua",
    }
    functions = {}
    for name, path in modules.items():
        source = path.read_text(encoding="utf-8")
        found = set(re.findall(r"^function p\.(\w+)\(", source, re.M))
        functions[name] = found | set(re.findall(r"^p\.(\w+) = ", source, re.M))
    invoked = set()
    for path, text in _files().items():
        pattern = r"\{\{\s*#invoke:\s*([^|}]+)\|\s*([^|}\s]+)"
        for module, function in re.findall(pattern, _live(text)):
            assert module.strip() in modules, path
            if module.strip() == "Let's Connect":
                invoked.add(function)
            assert function in functions[module.strip()], f"{path} invokes missing {function}"
    assert {"profile", "skill", "region", "marker"} <= invoked


def test_markers_take_only_the_section_name():
    files = _files()
    for name in ("Start", "End"):
        text = files[f"Template/Let's Connect/{name}.wikitext"]
        assert set(re.findall(r"\{\{\{([^|{}]+)", text)) == {"1"}


def _strip_comments(text: str) -> str:
    return re.sub(r"<!--.*?-->", "", text, flags=re.S)


def _template_params(text: str) -> dict[str, str]:
    body = text.split("{{Let's Connect/Profile", 1)[1].split("\n}}", 1)[0]
    params = {}
    for part in _strip_comments(body).split("\n|")[1:]:
        name, _, value = part.partition("=")
        params[name.strip()] = value.strip()
    return params


def test_preload_lists_every_parameter_empty_and_leaves_consent_to_the_person():
    text = _files()["Template/Let's Connect/Profile/preload.wikitext"]
    assert text.count("<!--") == text.count("-->")
    assert not re.search(r"<!--((?!-->).)*<!--", text, re.S), "a comment opens inside a comment"
    params = _template_params(text)
    td = json.loads(_files()["Template/Let's Connect/Profile.templatedata.json"])
    assert set(params) == set(td["params"]) - {"nocat"}
    assert all(value == "" for value in params.values()), params
    assert "consent" in params and params["consent"] == ""


def test_profile_doc_has_example_button_and_placeholder():
    doc = _files()["Template/Let's Connect/Profile/doc.wikitext"]
    assert "{{Let's Connect/Add profile}}" in doc
    assert doc.count(TEMPLATEDATA_PLACEHOLDER) == 1
    td = json.loads(_files()["Template/Let's Connect/Profile.templatedata.json"])
    for name in td["params"]:
        assert f"<code>{name}</code>" in doc, f"parameter {name} is not explained"
    shown = _template_params(doc.split("<pre>", 1)[1])
    assert shown["consent"] == "yes"


def test_profile_doc_example_uses_skills_the_directory_knows():
    taxonomy = Taxonomy.load(CONFIG / "skills.yaml", CONFIG / "regions.yaml")
    data = parse_lua_data(render_lua_data(taxonomy))
    doc = _files()["Template/Let's Connect/Profile/doc.wikitext"]
    shown = _template_params(doc.split("<pre>", 1)[1])
    for field, table in (("share", "lookup"), ("learn", "lookup"), ("areas", "thematicLookup")):
        for item in shown[field].split(","):
            assert any(key in data[table] for key in key_forms(item)), (field, item)
    assert any(key in data["countryLookup"] for key in key_forms(shown["country"]))


def test_add_profile_is_an_inputbox_creating_directory_pages_with_the_preload():
    text = _files()["Template/Let's Connect/Add profile.wikitext"]
    assert "{{#tag:inputbox|" in text
    assert "type=create" in text
    assert "prefix={{{prefix|Grants:Knowledge Sharing/Connect/Directory/}}}" in text
    assert "preload=Template:Let's Connect/Profile/preload" in text
    assert "buttonlabel=" in text


def _module_messages(prefix: str) -> dict[str, set[str]]:
    """The keys of a module's messages in the catalogue, without the prefix, by language."""
    return {
        lang: {key[len(prefix):] for key in table}
        for lang, table in read_catalogue(prefix).items()
    }


def test_every_message_the_module_uses_exists_in_every_language():
    source = MODULE.read_text(encoding="utf-8")
    tables = _module_messages(MODULE_PREFIXES["module"])
    assert set(tables) == {"en", "es", "fr", "pt-br", "ar", "qqq"}
    assert tables["qqq"] == tables["en"]  # every message is documented
    for lang, keys in tables.items():
        assert keys <= tables["en"], (lang, keys - tables["en"])
        assert tables["en"] - keys <= {"none"}, (lang, tables["en"] - keys)
    used = set(re.findall(r'msg\(\w+, "([^"]+[^-])"[,)]', source))
    used |= set(re.findall(r'add\("(\w+)"', source))
    used |= set(re.findall(r'\{\s*"(p-[a-z-]+)"', source))
    used |= {f"format-{f}" for f in ("1-1", "group", "clinic")}
    assert used <= tables["en"], used - tables["en"]
    for path, text in _files().items():
        if not path.endswith(".wikitext"):
            continue
        for key in re.findall(r"#invoke:Let's Connect\|message\|([^|}]+)", _live(text)):
            assert key in tables["en"], (path, key)


def test_every_message_the_sessions_module_uses_exists_in_every_language():
    source = SESSIONS_MODULE.read_text(encoding="utf-8")
    tables = _module_messages(MODULE_PREFIXES["sessions"])
    assert tables["qqq"] == tables["en"]
    for lang, keys in tables.items():
        assert tables["en"] - keys <= {"utc"}, (lang, tables["en"] - keys)
    used = set(re.findall(r'"(p-[a-z-]+)"', source))
    used |= set(re.findall(r'msg\(lang, "([a-z-]*[a-z])"', source))
    used |= {"problems-heading", "problems-note"}  # the shared problem box shows them
    assert used <= tables["en"], used - tables["en"]


def test_the_modules_keep_no_messages_or_language_list_of_their_own():
    for module in (MODULE, SESSIONS_MODULE):
        source = module.read_text(encoding="utf-8")
        assert not re.search(r"^i18n\.\w+ = \{", source, re.M), module
        assert '"es", "fr", "pt"' not in source, module


def test_the_messages_page_holds_the_catalogue():
    page = parse_lua_data(render_lua_messages())
    english = read_catalogue("letsconnect-module-")["en"]
    assert page["module"]["en"]["card-heading"] == english["letsconnect-module-card-heading"]
    assert page["sessions"]["ar"]["format"] == read_catalogue()["ar"]["letsconnect-sessions-format"]
    assert page["languages"] == list(LANGUAGES)
    assert page["rtl"] == {lang: True for lang in RTL}
    assert "qqq" not in page["module"]


# --- running the Lua ------------------------------------------------------------------------
