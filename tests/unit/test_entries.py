"""Template entries out of wikitext (bot/wikitext/entries.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.wikitext.entries import (
    normalise_template_name,
    parse_entries,
    strip_templates,
)

NAMES = ["Let's Connect/Profile"]
ALIASES = {"username": "user", "shares": "share", "share": "share", "learn": "learn",
           "wants to learn": "learn", "country": "country", "bio": "bio", "user": "user"}


def parse(text: str, aliases=ALIASES):
    return parse_entries(text, "P", NAMES, aliases)


@pytest.mark.parametrize(
    "written",
    [
        "Let's Connect/Profile",
        "let's Connect/Profile",
        "Template:Let's Connect/Profile",
        "template : Let's_Connect/Profile",
        "Let's_Connect/Profile ",
        "Let's Connect/Profile<!-- hidden -->",
        "  Let's  Connect/Profile\n",
    ],
)
def test_template_name_variants_are_found(written: str) -> None:
    entries = parse(f"{{{{{written}|user=Ana}}}}")
    assert [e.params for e in entries] == [{"user": "Ana"}]


@pytest.mark.parametrize(
    "written", ["Let's connect/Profile", "Let's Connect/Profiles", ":Let's Connect/Profile"]
)
def test_other_templates_are_not_entries(written: str) -> None:
    assert parse(f"{{{{{written}|user=Ana}}}}") == []


def test_configured_name_may_carry_the_namespace() -> None:
    entries = parse_entries("{{Let's Connect/Profile|user=Ana}}", "P",
                            ["Template:Let's Connect/Profile"], ALIASES)
    assert len(entries) == 1
    assert normalise_template_name("Template:let's_Connect/Profile") == "Let's Connect/Profile"


def test_aliases_map_to_canonical_names_ignoring_case_and_underscores() -> None:
    (entry,) = parse("{{Let's Connect/Profile|UserName=Ana|Wants_to_learn=Wikidata|"
                     "SHARES = Budget }}")
    assert entry.params == {"user": "Ana", "learn": "Wikidata", "share": "Budget"}
    assert entry.unknown == ()


def test_values_are_plain_text() -> None:
    text = (
        "{{Let's Connect/Profile|user=[[User:Ana|Ana]]<!-- me -->"
        "|bio= I like <nowiki>{{braces}} | pipes</nowiki> &amp; ''wiki''<br>links "
        "[[Wikidata]] [https://example.org site][[Category:People]] }}"
    )
    (entry,) = parse(text)
    assert entry.params["user"] == "Ana"
    assert entry.params["bio"] == "I like {{braces}} | pipes & wiki links Wikidata site"
    assert entry.templated == ()


def test_template_in_value_keeps_source_and_is_flagged() -> None:
    (entry,) = parse("{{Let's Connect/Profile|user=Ana|country={{flag|Kenya}}|bio=Hi}}")
    assert entry.params["country"] == "{{flag|Kenya}}"
    assert entry.templated == ("country",)
    assert strip_templates("Kenya {{flag|KE}}") == "Kenya"


def test_duplicate_parameter_last_wins() -> None:
    (entry,) = parse("{{Let's Connect/Profile|user=Ana|share=A|shares=B|share={{x}}|share=C}}")
    assert entry.params["share"] == "C"
    assert entry.duplicates == ("share",)
    assert entry.templated == ()  # the value that counts has no template


def test_unknown_and_positional_parameters_are_listed() -> None:
    (entry,) = parse("{{Let's Connect/Profile|Ana|user=Ana|favourite colour=blue|Ana2}}")
    assert entry.unknown == ("1", "favourite colour", "2")
    assert "favourite colour" not in entry.params


def test_without_aliases_every_name_is_kept() -> None:
    (entry,) = parse("{{Let's Connect/Profile|User=Ana|x=1}}", aliases=None)
    assert entry.params == {"user": "Ana", "x": "1"}


def test_entries_in_document_order_including_nested_ones() -> None:
    text = (
        "{{Let's Connect/Profile|user=A}}\n"
        "{{Collapse|content={{Let's Connect/Profile|user=B}}}}\n"
        "<div>{{Let's Connect/Profile|user=C}}</div>"
    )
    entries = parse(text)
    assert [(e.index, e.params["user"]) for e in entries] == [(0, "A"), (1, "B"), (2, "C")]
    assert all(e.page == "P" for e in entries)


@pytest.mark.parametrize(
    "hidden",
    [
        "<!-- {{Let's Connect/Profile|user=X}} -->",
        "<nowiki>{{Let's Connect/Profile|user=X}}</nowiki>",
        "<pre>{{Let's Connect/Profile|user=X}}</pre>",
        "<includeonly>{{Let's Connect/Profile|user=X}}</includeonly>",
        "<syntaxhighlight lang=text>{{Let's Connect/Profile|user=X}}</syntaxhighlight>",
    ],
)
def test_entries_mediawiki_would_not_show_do_not_count(hidden: str) -> None:
    assert parse(hidden + "{{Let's Connect/Profile|user=Y}}")[0].params == {"user": "Y"}
    assert len(parse(hidden)) == 0


@pytest.mark.parametrize("text", ["", "   ", "No profile here.", "{{Let's Connect/Profile",
                                  "{{Let's Connect/Profile|user=A", "}}{{|||}}"])
def test_pages_without_a_complete_entry_yield_nothing(text: str) -> None:
    assert parse(text) == []


def test_empty_entry_is_still_an_entry() -> None:
    (entry,) = parse("{{Let's Connect/Profile}}")
    assert entry.params == {}


WIKI_PIECES = st.sampled_from(
    list("{}[]|=<>!-~_'&;#:/ \nabcU\u202e")
    + ["{{", "}}", "Let's Connect/Profile", "<nowiki>", "</nowiki>", "<!--", "-->", "user",
       "share", "<ref>", "{{{", "}}}", "<pre>", "[[", "]]"]
)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_never_raises_on_arbitrary_text(text: str) -> None:
    for entry in parse(text):
        assert all(isinstance(v, str) for v in entry.params.values())


@settings(max_examples=500, deadline=None)
@given(st.lists(WIKI_PIECES, max_size=40).map("".join))
def test_never_raises_on_wikitext_like_text(text: str) -> None:
    entries = parse("{{Let's Connect/Profile|" + text)
    entries += parse(text + "}}")
    for entry in entries:
        assert set(entry.params) <= set(ALIASES.values())
        assert set(entry.duplicates) <= set(entry.params)
        assert set(entry.templated) <= set(entry.params)
        assert all(v == v.strip() for v in entry.params.values())


def test_a_nul_character_does_not_hide_the_rest_of_the_page() -> None:
    # mwparserfromhell stops reading at a NUL; MediaWiki would have stored U+FFFD.
    text = "{{Let's Connect/Profile|user=A|bio=x\x00y}}\n{{Let's Connect/Profile|user=B}}"
    entries = parse(text)
    assert [e.params["user"] for e in entries] == ["A", "B"]
    assert entries[0].params["bio"] == "x\ufffdy"
    assert strip_templates("a\x00b {{x}}") == "a\ufffdb"
