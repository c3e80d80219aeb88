"""Module:Let's Connect run for real under lua5.1, against a stand-in for Scribunto's
``mw`` library (skipped when lua5.1 is not installed; scripts/test allows no skip).
"""

from __future__ import annotations

import random
import re
import subprocess
from pathlib import Path

import pytest

from bot.onwiki.luadata import key_forms, render_lua_data
from bot.onwiki.luamessages import render_lua_messages
from tests.unit.lua_helpers import (
    HOSTILE,
    LUA,
    LUAC,
    MODULE,
    full_labels,
    needs_lua,
    sample_skills,
    sample_taxonomy,
)

HARNESS = r"""
-- A stand-in for the parts of Scribunto's mw library that Module:Let's Connect uses.
local MODULE, DATA, SCENARIO, MESSAGES = arg[1], arg[2], arg[3], arg[4]

local ENTITIES = { ['"'] = "&#34;", ["&"] = "&#38;", ["'"] = "&#39;", ["<"] = "&#60;",
	["="] = "&#61;", [">"] = "&#62;", ["["] = "&#91;", ["]"] = "&#93;", ["{"] = "&#123;",
	["|"] = "&#124;", ["}"] = "&#125;" }

local function utf8char(cp)
	if cp < 0x80 then return string.char(cp) end
	if cp < 0x800 then
		return string.char(0xC0 + math.floor(cp / 0x40), 0x80 + cp % 0x40)
	end
	return string.char(0xE0 + math.floor(cp / 0x1000), 0x80 + math.floor(cp / 0x40) % 0x40,
		0x80 + cp % 0x40)
end

-- ASCII and Latin-1 capitals only: enough for the test texts.
local function lower(s)
	s = s:lower()
	return (s:gsub("\195([\128-\158])", function(c)
		if c == "\151" then return "\195" .. c end
		return "\195" .. string.char(c:byte() + 32)
	end))
end

local state = {}
local NAMES = { en = "English", es = "español", fr = "français", pt = "português",
	ar = "العربية" }

mw = {
	text = {
		trim = function(s) return (s:gsub("^%s+", ""):gsub("%s+$", "")) end,
		nowiki = function(s)
			s = s:gsub('["&\'<=>%[%]{|}]', ENTITIES)
			s = s:gsub("^([#*:;])", function(c) return "&#" .. c:byte() .. ";" end)
			return (s:gsub("\n([#*:; ])", function(c) return "\n&#" .. c:byte() .. ";" end))
		end,
		killMarkers = function(s) return (s:gsub("\127'\"`UNIQ.-QINU`\"'\127", "")) end,
	},
	ustring = {
		lower = lower,
		char = utf8char,
		toNFC = function(s) return s end,
		toNFKD = function(s) return s end,
		gsub = function(s, pattern, repl)
			if pattern:find("[\128-\255]") then return s, 0 end
			if pattern == "%p" then
				for _, mark in ipairs({ "’", "‘", "“", "”", "«", "»", "،", "…" }) do
					s = s:gsub(mark, repl)
				end
			end
			return string.gsub(s, pattern, repl)
		end,
	},
	title = {
		getCurrentTitle = function() return state.title end,
		new = function(text, ns)
			if type(text) ~= "string" or text:find("[#<>%[%]|{}\n]") then return nil end
			local prefix, rest = text:match("^([%a ]+):(.*)$")
			local namespaces = { user = 2, ["user talk"] = 3, template = 10 }
			if prefix and namespaces[prefix:lower()] then
				ns, text = namespaces[prefix:lower()], rest
			end
			text = text:gsub("^%s+", ""):gsub("%s+$", "")
			if text == "" then return nil end
			return { namespace = ns or 0, text = text, rootText = text:match("^[^/]*"),
				prefixedText = text }
		end,
	},
	language = {
		getContentLanguage = function()
			return { getCode = function() return state.content or "en" end }
		end,
		getFallbacksFor = function(code)
			if code == "arz" then return { "ar", "en" } end
			return { "en" }
		end,
		isKnownLanguageTag = function(code) return NAMES[code] ~= nil end,
		fetchLanguageName = function(code) return NAMES[code] or "" end,
	},
	loadData = function(page)
		if page == "Module:Let's Connect/i18n" then
			if state.messagesMissing then error("no such module: " .. page) end
			return dofile(MESSAGES)
		end
		if state.dataMissing then error("no such module: " .. page) end
		return dofile(DATA)
	end,
}

local function newFrame(case)
	local parent = case.parent and { args = case.parent }
	return {
		args = case.args or {},
		getParent = function()
			if case.brokenParent then error("broken frame") end
			return parent
		end,
		preprocess = function(_, text)
			if text == "{{int:lang}}" then return state.lang end
			if text == "{{REVISIONID}}" then return state.revid end
			error("unexpected preprocess: " .. text)
		end,
	}
end

local function run(case)
	state = { lang = case.lang or "en", revid = case.revid or "", title = case.title,
		dataMissing = case.dataMissing, messagesMissing = case.messagesMissing,
		content = case.content }
	local p = dofile(MODULE)
	if case.call then
		local out = p[case.call](case.value)
		if type(out) == "table" then return table.concat(out, "\31") end
		return tostring(out)
	end
	return p[case.fn](newFrame(case))
end

for i, case in ipairs(dofile(SCENARIO)) do
	local ok, out = pcall(run, case)
	io.write("\30", ok and "ok" or "ERROR", "\29", tostring(out))
end
"""


def _lua_literal(value) -> str:
    """Scenario values as Lua source: every string byte as a decimal escape."""
    if isinstance(value, str):
        return '"' + "".join(f"\\{b}" for b in value.encode("utf-8")) + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dict):
        items = ", ".join(f"[{_lua_literal(k)}] = {_lua_literal(v)}" for k, v in value.items())
        return "{ " + items + " }"
    raise TypeError(value)


@pytest.fixture(scope="module")
def lua_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("lua")
    (folder / "harness.lua").write_text(HARNESS, encoding="utf-8")
    (folder / "data.lua").write_text(
        render_lua_data(sample_taxonomy()), encoding="utf-8"
    )
    (folder / "i18n.lua").write_text(render_lua_messages(), encoding="utf-8")
    return folder


def run_module(folder: Path, cases: list[dict]) -> list[str]:
    scenario = folder / "scenario.lua"
    scenario.write_text(
        "return {\n" + ",\n".join(_lua_literal(c) for c in cases) + "\n}\n", encoding="utf-8"
    )
    result = subprocess.run(
        [LUA, str(folder / "harness.lua"), str(MODULE), str(folder / "data.lua"), str(scenario),
         str(folder / "i18n.lua")],
        capture_output=True,
        timeout=120,
        check=True,
    )
    outputs = []
    for chunk in result.stdout.decode("utf-8").split("\x1e")[1:]:
        status, _, out = chunk.partition("\x1d")
        assert status == "ok", out
        outputs.append(out)
    assert len(outputs) == len(cases)
    return outputs


DIRECTORY = {
    "namespace": 200,
    "rootText": "Grants:Knowledge Sharing",
    "prefixedText": "Grants:Knowledge Sharing/Connect/Directory/Alice",
}
TEMPLATE_PAGE = {
    "namespace": 10,
    "rootText": "Let's Connect",
    "prefixedText": "Template:Let's Connect/Profile/doc",
}
GOOD = {
    "consent": "yes",
    "share": "budget, Wikidata",
    "learn": "Data queries (PAWS, Quarry, WDQS)",
    "languages": "en, es-3",
    "country": "Naija",
    "capacity": "2",
    "formats": "1:1, groups",
    "areas": "edu",
}
ERROR_CARD = "could not be shown"


ALLOWED_GLOBALS = {
    "mw", "pcall", "type", "ipairs", "pairs", "tostring", "tonumber", "table", "math",
    "string", "unpack", "error", "select", "next",
}  # fmt: skip


@pytest.mark.skipif(
    LUAC is None, reason="luac5.1 is not installed (scripts/setup installs Debian's lua5.1)")
def test_module_and_data_compile_and_the_module_makes_no_globals(lua_dir):
    listing = subprocess.run(
        [LUAC, "-l", "-p", str(MODULE), str(lua_dir / "data.lua"), str(lua_dir / "i18n.lua")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "SETGLOBAL" not in listing
    read = set(re.findall(r"GETGLOBAL\s.*?; (\w+)", listing))
    assert read and read <= ALLOWED_GLOBALS, read - ALLOWED_GLOBALS


@needs_lua
def test_data_module_loads_in_lua_with_hostile_labels_intact(tmp_path):
    skills = sample_skills()
    skills["areas"][0]["skills"][0]["labels"] = full_labels({"en": "".join(HOSTILE)})
    (tmp_path / "data.lua").write_text(render_lua_data(sample_taxonomy(skills)), "utf-8")
    (tmp_path / "read.lua").write_text(
        'local d = dofile(arg[1]); io.write(d.skills["budget-development"].labels.en, "\\30",'
        ' d.lookup["budget"], "\\30", d.countries.NG)',
        "utf-8",
    )
    out = subprocess.run(
        [LUA, str(tmp_path / "read.lua"), str(tmp_path / "data.lua")], capture_output=True
    )
    label, budget, region = out.stdout.decode("utf-8").split("\x1e")
    assert label == "".join(HOSTILE)
    assert (budget, region) == ("budget-development", "ssa")


@needs_lua
def test_profile_card_of_a_good_profile(lua_dir):
    preview, saved = run_module(
        lua_dir,
        [
            {"fn": "profile", "title": DIRECTORY, "parent": GOOD},
            {"fn": "profile", "title": DIRECTORY, "parent": GOOD, "revid": "42"},
        ],
    )
    assert "letsconnect-problems" not in preview
    for shown in ("Budget development", "Wikidata basics", "Data queries", "English",
                  "español (3)", "Sub-Saharan Africa", "Nigeria", "Education",
                  "[[User:Alice|Alice]]", "1:1 conversations", "small groups"):  # fmt: skip
        assert shown in preview, shown
    assert "learning clinics" not in preview
    assert "[[Category:" not in preview
    assert "[[Category:Let's Connect profiles|Alice]]" in saved
    assert "with problems" not in saved


@needs_lua
def test_preview_lists_every_mistake_with_its_raw_value(lua_dir):
    (out,) = run_module(
        lua_dir,
        [
            {
                "fn": "profile",
                "title": DIRECTORY,
                "parent": {
                    "share": "budget, Knitting",
                    "learn": "strategy",
                    "capacity": "9",
                    "formats": "dance",
                    "region": "Africa",
                    "sahre": "typo",
                },
            }
        ],
    )
    box = out.split("letsconnect-problems", 1)[1].split("</ul>", 1)[0]
    expected = [
        "consent is empty",
        "“Knitting” (in share) is not in the list of skills",
        "“strategy” (in learn) could mean more than one skill: Strategy and program design, "
        "Organisation plan and strategy",
        "capacity should be from 1 to 4 (you wrote 9)",
        "“dance” is not a format",
        "languages is empty",
        "“Africa” could mean more than one region",
        "“sahre” is not a parameter",
    ]
    for text in expected:
        assert text in box, text
    assert box.count('<li lang="en" dir="ltr">') == box.count("<li") == len(expected)
    assert "[[Category:" not in out


@needs_lua
def test_saved_profile_with_problems_is_tracked_but_shows_no_box(lua_dir):
    (out,) = run_module(
        lua_dir, [{"fn": "profile", "title": DIRECTORY, "revid": "7", "parent": {"share": "x"}}]
    )
    assert "letsconnect-problems" not in out
    assert "[[Category:Let's Connect profiles with problems|Alice]]" in out
    assert "[[Category:Let's Connect profiles|Alice]]" in out


@needs_lua
def test_no_categories_on_template_pages_or_with_nocat(lua_dir):
    outs = run_module(
        lua_dir,
        [
            {"fn": "profile", "title": TEMPLATE_PAGE, "revid": "7", "parent": {"user": "X"}},
            {"fn": "profile", "title": DIRECTORY, "revid": "7", "parent": {"nocat": "yes"}},
        ],
    )
    assert all("[[Category:" not in out for out in outs)


@needs_lua
def test_hostile_input_is_escaped_and_never_breaks_the_card(lua_dir):
    evil = "]]{{evil}}<b>[[Category:Spam]]|}\n* item\n{|"
    params = ["user", "consent", "share", "learn", "languages", "region", "country",
              "affiliation", "areas", "capacity", "formats", "notify", "lang", "bio"]  # fmt: skip
    cases = [
        {"fn": "profile", "title": DIRECTORY, "parent": {name: evil for name in params}},
        {"fn": "profile", "title": DIRECTORY, "revid": "1", "parent": {"bio": evil, "x": evil}},
    ]
    rng = random.Random(20240601)
    alphabet = list("[]{}|=<>'\"&#*:;,;\n -_") + ["\x7f'\"`UNIQ--nowiki-1-QINU`\"'\x7f", "é", "،"]
    for _ in range(150):
        args = {
            rng.choice(params + ["1", "junk"]): "".join(rng.choices(alphabet, k=rng.randint(0, 30)))
            for _ in range(rng.randint(0, 8))
        }
        cases.append(
            {
                "fn": "profile",
                "title": DIRECTORY,
                "parent": args,
                "lang": rng.choice(["en", "ar", "xx", ""]),
                "revid": rng.choice(["", "3"]),
            }
        )
    outs = run_module(lua_dir, cases)
    for out in outs:
        assert ERROR_CARD not in out
        assert "{{" not in out and "<b>" not in out and "UNIQ" not in out
        assert "[[Category:Spam" not in out
        assert "\n*" not in out and "\n{|" not in out
    assert outs[0].count("<li ") >= 8


@needs_lua
def test_a_failure_inside_the_module_shows_a_box_not_a_script_error(lua_dir):
    (out,) = run_module(lua_dir, [{"fn": "profile", "title": DIRECTORY, "brokenParent": True}])
    assert ERROR_CARD in out and "broken frame" in out


@needs_lua
def test_reader_language_and_direction(lua_dir):
    arabic, fallback, portuguese, egyptian = run_module(
        lua_dir,
        [
            {"fn": "profile", "title": DIRECTORY, "lang": "ar", "parent": GOOD},
            {"fn": "profile", "title": DIRECTORY, "lang": "⧼lang⧽", "parent": GOOD},
            {"fn": "profile", "title": DIRECTORY, "lang": "pt-br", "parent": GOOD},
            {"fn": "skill", "lang": "arz", "args": {1: "budget"}},
        ],
    )
    assert 'dir="rtl"' in arabic and 'lang="ar"' in arabic
    assert "إعداد الميزانية" in arabic and "يشارك" in arabic
    assert "أفريقيا جنوب الصحراء الكبرى" in arabic
    assert 'lang="en"' in fallback and 'dir="ltr"' in fallback and "Shares" in fallback
    assert "Compartilha" in portuguese and "Elaboração de orçamento" in portuguese
    assert egyptian == "إعداد الميزانية"


@needs_lua
def test_missing_data_page_is_reported_not_fatal(lua_dir):
    (out,) = run_module(
        lua_dir, [{"fn": "profile", "title": DIRECTORY, "parent": GOOD, "dataMissing": True}]
    )
    assert ERROR_CARD not in out
    assert "could not be read" in out
    assert "is not in the list of skills" not in out


@needs_lua
def test_missing_messages_page_shows_keys_not_a_script_error(lua_dir):
    (out,) = run_module(
        lua_dir, [{"fn": "profile", "title": DIRECTORY, "parent": GOOD, "messagesMissing": True}]
    )
    assert ERROR_CARD not in out and "card-heading" in out


@needs_lua
def test_page_owner_is_the_default_user(lua_dir):
    user_page = {"namespace": 2, "rootText": "Bob", "prefixedText": "User:Bob/Let's Connect"}
    elsewhere = {"namespace": 0, "rootText": "Sandbox", "prefixedText": "Sandbox"}
    bob, nobody, invalid = run_module(
        lua_dir,
        [
            {"fn": "profile", "title": user_page, "parent": GOOD},
            {"fn": "profile", "title": elsewhere, "parent": GOOD},
            {"fn": "profile", "title": elsewhere, "parent": {**GOOD, "user": "Eve]]"}},
        ],
    )
    assert "[[User:Bob|Bob]]" in bob
    assert "whose profile this is" in nobody
    assert "cannot be a user name" in invalid and "[[User:Eve" not in invalid


@needs_lua
def test_label_templates(lua_dir):
    outs = run_module(
        lua_dir,
        [
            {"fn": "skill", "lang": "es", "args": {1: "budget-development"}},
            {"fn": "skill", "args": {1: "Élaboration du budget"}},
            {"fn": "skill", "args": {1: "budget", "lang": "fr"}},
            {"fn": "skill", "args": {1: "Knitting]]{{x}}"}},
            {"fn": "skill", "args": {1: ""}},
            {"fn": "region", "args": {1: "SSA"}},
            {"fn": "region", "lang": "es", "args": {1: "lac"}},
            {"fn": "area", "args": {1: "funding"}},
            {"fn": "area", "lang": "pt", "args": {1: "edu"}},
            {"fn": "skill", "parent": {1: "wd"}},
        ],
    )
    assert outs[:3] == [
        "Elaboración de presupuestos",
        "Budget development",
        "Élaboration du budget",
    ]
    assert "Knitting" in outs[3] and "]]" not in outs[3] and "{{" not in outs[3]
    assert outs[4] == ""
    assert outs[5:] == [
        "Sub-Saharan Africa",
        "América Latina",
        "Funding",
        "Educação",
        "Wikidata basics",
    ]


@needs_lua
def test_the_marker_of_a_language_version_speaks_the_page_language(lua_dir):
    arabic = {"namespace": 200, "isSubpage": True, "subpageText": "ar",
              "prefixedText": "Grants:Knowledge Sharing/Connect/Directory/ar"}
    profile = {**arabic, "subpageText": "Alice",
               "prefixedText": "Grants:Knowledge Sharing/Connect/Directory/Alice"}
    on_arabic, on_profile = run_module(lua_dir, [
        {"fn": "marker", "lang": "en", "title": arabic, "args": {1: "start", 2: "directory"}},
        {"fn": "marker", "lang": "en", "title": profile, "args": {1: "start", 2: "directory"}},
    ])
    assert 'lang="ar" dir="rtl"' in on_arabic and "يحدّث بوت Let's Connect" in on_arabic
    assert 'lang="en"' in on_profile and "Let's Connect bot" in on_profile


@needs_lua
def test_markers_messages_and_lists(lua_dir):
    start, end, message, unknown, skills, regions = run_module(
        lua_dir,
        [
            {"fn": "marker", "lang": "fr", "args": {1: "start", 2: 'by "skill"'}},
            {"fn": "marker", "args": {1: "end", 2: 'by "skill"'}},
            {"fn": "message", "lang": "es", "args": {1: "addprofile-button"}},
            {"fn": "message", "args": {1: "no-such-message"}},
            {"fn": "list", "args": {1: "skills"}},
            {"fn": "list", "args": {1: "regions"}},
        ],
    )
    assert 'id="letsconnect-start-by__skill_"' in start and "bot Let's Connect" in start
    assert end == '<div class="letsconnect-end" id="letsconnect-end-by__skill_"></div>'
    assert message == "Añade tu perfil"
    assert unknown == ""
    for skill_id in sample_skills()["areas"][1]["skills"]:
        assert f"<code>{skill_id['id']}</code>" in skills
    assert "Nigeria (NG)" in regions


@needs_lua
@pytest.mark.parametrize(
    "text",
    ["Budget_Development", "  M&E  tools ", "Wikidata: basics!", "l’ete", "مكتبـة ى", "a--b__c"],
)
def test_lua_computes_the_same_key_forms_as_python(lua_dir, text):
    # The stand-in mw.ustring has no Unicode normalisation, so only texts that NFC/NFKD
    # leave unchanged are compared.
    (out,) = run_module(lua_dir, [{"call": "_keyForms", "value": text}])
    assert out.split("\x1f") == key_forms(text)



SPANISH_OWNER = {"share": "budget, Knitting", "learn": "strategy", "languages": "es, en"}


def _problem_box(out: str) -> str:
    return out.split("letsconnect-problems", 1)[1].split("</div>", 1)[0]


def _heading(box: str) -> str:
    return box.split("<strong>", 1)[1].split("</strong>", 1)[0]


@needs_lua
def test_a_spanish_owners_problems_are_in_spanish_to_an_english_reader(lua_dir):
    by_lang, by_languages, english_owner = run_module(
        lua_dir,
        [
            {"fn": "profile", "title": DIRECTORY, "lang": "en",
             "parent": {**SPANISH_OWNER, "lang": "es", "languages": "fr"}},
            {"fn": "profile", "title": DIRECTORY, "lang": "en", "parent": SPANISH_OWNER},
            {"fn": "profile", "title": DIRECTORY, "lang": "en",
             "parent": {**SPANISH_OWNER, "languages": "xx, en, es"}},
        ],
    )
    for out in (by_lang, by_languages):
        box = _problem_box(out)
        assert _heading(box) == _heading(_problem_box(english_owner))  # the reader's
        lines = re.findall(r"<li[^>]*>", box)
        assert lines and set(lines) == {'<li lang="es" dir="ltr">'}
        assert "Knitting" in box and "is not in the list of skills" not in box
        assert 'lang="en"' in out.split("letsconnect-problems", 1)[0]  # the card stays English
        assert "Shares" in out
    assert set(re.findall(r"<li[^>]*>", _problem_box(english_owner))) == {
        '<li lang="en" dir="ltr">'}
    assert "is not in the list of skills" in _problem_box(english_owner)


@needs_lua
def test_an_arabic_owners_problems_are_right_to_left_and_unsupported_ones_the_readers(lua_dir):
    arabic, unknown = run_module(
        lua_dir,
        [
            {"fn": "profile", "title": DIRECTORY, "lang": "en",
             "parent": {"share": "Knitting", "lang": "ar"}},
            {"fn": "profile", "title": DIRECTORY, "lang": "fr",
             "parent": {"share": "Knitting", "lang": "xx", "languages": "yy"}},
        ],
    )
    assert set(re.findall(r"<li[^>]*>", _problem_box(arabic))) == {'<li lang="ar" dir="rtl">'}
    assert set(re.findall(r"<li[^>]*>", _problem_box(unknown))) == {'<li lang="fr" dir="ltr">'}
