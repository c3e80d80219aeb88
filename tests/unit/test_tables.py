"""Escaping user text and building tables (bot/wikitext/tables.py)."""

from __future__ import annotations

import html

import pytest
import wikitextparser as wtp
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.wikitext.tables import (
    escape,
    normalise_user,
    page_link,
    render_table,
    user_link,
    valid_user_name,
)

HOSTILE = [
    "a|b", "a||b", "!x", "a!!b", "{|", "|}", "|-", "|+ caption", "[[Category:X]]", "[[Foo]]",
    "[[File:X.png|thumb]]", "{{subst:X}}", "{{X}}", "{{{1}}}", "<script>alert(1)</script>",
    "<div style='position:fixed'>", "~~~~", "~~~", "__NOTOC__", "__NOINDEX__",
    "[http://evil x]", "http://evil.example/free", "mailto:x@example.org", "//evil.example",
    "ISBN 9780306406157", "RFC 1234", "PMID 1234", "a\u202eb", "\u2066x\u2069",
    "line\nbreak", "\n|}\n{|", "== Heading ==", "* list", "# list", "; term : def", " pre",
    "----", "'''bold'''", "&lt;b&gt;", "&#91;&#91;Foo&#93;&#93;", "<nowiki>", "-{zh}-",
    "{{#invoke:X|y}}", "<!-- c -->", "<ref>x</ref>", "a\x00b\x1b",
]


def structure(text: str) -> dict[str, list]:
    """What the parser sees besides plain text."""
    parsed = wtp.parse(text)
    return {
        "tables": parsed.tables,
        "links": parsed.wikilinks,
        "templates": parsed.templates,
        "functions": parsed.parser_functions,
        "external": parsed.external_links,
        "tags": parsed.get_tags(),
        "comments": parsed.comments,
    }


def shown(text: str) -> str:
    """What a reader sees of escaped text: character references decoded."""
    return html.unescape(text)


def no_markup(text: str) -> None:
    assert not any(structure(text).values()), structure(text)
    assert "\n" not in text
    for raw in ("~~~", "__", "[[", "{{", "{|", "|", "<", "://", "ISBN ", "RFC ", "PMID "):
        assert raw not in text


@pytest.mark.parametrize("value", HOSTILE)
def test_escape_adds_no_structure(value: str) -> None:
    no_markup(escape(value))


@pytest.mark.parametrize("value", HOSTILE)
def test_escaped_text_reads_as_the_original(value: str) -> None:
    expected = " ".join("".join(c for c in value if c not in "\u202e\u2066\u2069\x00\x1b")
                        .split())
    assert shown(escape(value)) == expected


def test_escape_removes_bidi_controls_and_folds_whitespace() -> None:
    assert escape("\u202eevil\u202c  name\n\tx") == "evil name x"
    assert escape("محمد") == "محمد"  # right-to-left text itself is untouched


def test_escape_leaves_ordinary_text_readable() -> None:
    assert escape("Wikimedia Kenya 2024 (user group)") == "Wikimedia Kenya 2024 (user group)"


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=200))
def test_escape_arbitrary_text(value: str) -> None:
    escaped = escape(value)
    no_markup(escaped)
    assert shown(escaped) == " ".join(shown(escaped).split())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(HOSTILE + ["x", " ", "\n", "&", ";", "#"]), max_size=10))
def test_escape_combinations_of_hostile_pieces(pieces: list[str]) -> None:
    no_markup(escape("".join(pieces)))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zs",
                                                                         "Zl", "Zp")),
               max_size=60))
def test_escape_round_trips_single_line_text(value: str) -> None:
    bidi = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
    assert shown(escape(value)) == "".join(c for c in value if c not in bidi)


def test_render_table_shape() -> None:
    text = render_table(["A", "B"], [["1", "2"], ["3", ""]], caption="Numbers")
    (table,) = wtp.parse(text).tables
    assert table.data() == [["A", "B"], ["1", "2"], ["3", ""]]
    assert table.caption.strip() == "Numbers"
    assert 'class="wikitable sortable"' in text.splitlines()[0]


def test_render_table_without_sorting_or_rows() -> None:
    text = render_table(["A"], [], sortable=False)
    assert text.splitlines()[0] == '{| class="wikitable"'
    assert wtp.parse(text).tables[0].data() == [["A"]]


def test_render_table_keeps_bot_links_and_templates_in_cells() -> None:
    text = render_table(["User", "Skill"], [["[[User:Ana|Ana]]", "{{Let's Connect/Skill|x}}"]])
    assert wtp.parse(text).tables[0].data() == [
        ["User", "Skill"], ["[[User:Ana|Ana]]", "{{Let's Connect/Skill|x}}"]]


def test_render_table_refuses_rows_of_the_wrong_length() -> None:
    with pytest.raises(ValueError):
        render_table(["A", "B"], [["1"]])


def test_escaped_hostile_cells_keep_the_table_shape() -> None:
    rows = [[escape(v), escape(v)] for v in HOSTILE]
    (table,) = wtp.parse(render_table(["A", "B"], rows)).tables
    data = table.data()
    assert len(data) == len(HOSTILE) + 1
    assert all(len(row) == 2 for row in data)


@pytest.mark.parametrize(
    ("written", "canonical"),
    [("Ana", "Ana"), ("ana", "Ana"), ("User:ana_b", "Ana b"), (" Ana   B ", "Ana B"),
     ("user : Ana", "Ana"), ("محمد", "محمد"), ("ß", "ß")],
)
def test_normalise_user(written: str, canonical: str) -> None:
    assert normalise_user(written) == canonical


@pytest.mark.parametrize(
    "name",
    ["", "A|B", "A[b", "A]b", "A{b", "A}b", "A<b", "A>b", "A#b", "A/b", "A~~~b", "A%41",
     "A&amp;B", ":Ana", "127.0.0.1", "2001:db8::1", "A\u202eB", "x" * 256],
)
def test_invalid_user_names(name: str) -> None:
    assert not valid_user_name(name)
    link = user_link(name)
    assert not structure(link)["links"]
    no_markup(link)


@pytest.mark.parametrize("name", ["A\nB", "A\u00a0 B", "user:a_b"])
def test_user_link_normalises_whitespace_before_checking(name: str) -> None:
    assert not valid_user_name(name)
    (link,) = wtp.parse(user_link(name)).wikilinks
    assert link.title in ("User:A B", "User:A b")


@pytest.mark.parametrize("name", ["Ana", "Ana B", "O'Brien", "Jean-Luc", "محمد", "User 1.2",
                                  "A&B", "Ab~c", "__x"])
def test_valid_user_names_link_to_their_user_page(name: str) -> None:
    canonical = normalise_user(name)
    assert valid_user_name(canonical)
    link = user_link(name)
    (wikilink,) = wtp.parse(link).wikilinks
    assert wikilink.title == f"User:{canonical}"
    assert shown(wikilink.text) == canonical
    assert not wtp.parse(link).templates


def test_page_link_uses_a_leading_colon() -> None:
    assert page_link("Category:Foo") == "[[:Category:Foo|Category&#58;Foo]]"
    (link,) = wtp.parse(page_link("Grants:Knowledge Sharing/Connect/Directory/Ana")).wikilinks
    assert link.title == ":Grants:Knowledge Sharing/Connect/Directory/Ana"


@pytest.mark.parametrize("title", ["A|B", "[[X]]", "{{X}}", "", "A<b>", ":Main"])
def test_page_link_refuses_impossible_titles(title: str) -> None:
    no_markup(page_link(title))
