"""Reading generated wikitext back: line by line against a grammar of what the renderer
writes, and with wikitextparser and mwparserfromhell, counting every link, template, tag."""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import mwparserfromhell
import wikitextparser as wtp

from bot.wikitext.tables import SKILL_TEMPLATE
from tests.fuzz.run import COUNTS

#: Characters no generated page may hold: controls (a value is one line, and MediaWiki
#: stores no C0 control), bidi controls (they would reorder what follows), lone surrogates
#: (a page holding one cannot be saved).
FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f"
                       "\u061c\ud800-\udfff]")
GENDER = re.compile(r"\{\{GENDER:(?P<user>[^{}|\[\]<>]*)\|(?P<forms>[^{}\[\]<>]*)\}\}")
TOLD = re.compile(r'<span lang="[a-z]{2,3}(?:-[a-z]+)*" dir="(?:ltr|rtl)">(?P<text>.*)</span>')
USER_LINK = re.compile(r"\[\[User:(?P<target>[^\[\]|]+)\|(?P<label>[^\[\]|]*)\]\]")
PAGE_LINK = re.compile(r"\[\[(?P<target>:[^\[\]|]+)\|(?P<label>[^\[\]|]*)\]\]")
SKILL_CALL = re.compile(r"\{\{" + re.escape(SKILL_TEMPLATE) + r"\|(?P<id>[a-z0-9-]+)\}\}")
WEB_LINK = re.compile(r"\[(?P<url>https?://[^\s\[\]<>\"]+) (?P<label>[^\[\]]*)\]")
REFERENCE = re.compile(r"&#\d+;")
TABLE_START = re.compile(r'\{\| class="wikitable(?: sortable)?"')


def inert(text: str) -> bool:
    """Whether escaped text can only ever show as text: nothing in it starts markup."""
    bare = REFERENCE.sub("", text)  # magic links are looked for before references are read
    return not (set(bare) & set("[]{}|<>&") or "''" in bare or "~~~" in bare or "__" in bare
                or "://" in bare or "\n" in bare or re.search(r"(ISBN|RFC|PMID)\s", text))


@dataclass
class Checker:
    """What the bot may link to and transclude on one page, worked out from the data, and
    what the line-by-line reading accepted (compared with the parsers' counts afterwards)."""

    users: set[str]
    pages: set[str]
    skills: set[str]
    urls: set[str] = field(default_factory=set)
    accepted: Counter[str] = field(default_factory=Counter)

    def fail(self, kind: str, value: str) -> None:
        raise AssertionError(f"not a {kind} the bot writes: {value!r}")

    # one validator per kind of cell or line part; each accepts the bot's form or inert text

    def text(self, value: str) -> None:
        if not inert(value):
            self.fail("plain text", value)

    def told(self, value: str) -> None:
        """A problem told in its owner's language: escaped text, inside a span that names
        the language and its direction when it is not English."""
        found = TOLD.fullmatch(value)
        text = found["text"] if found else value
        for gender in GENDER.finditer(text):  # the owner's gender, where the language needs it
            if gender["user"] not in self.users:
                self.fail("GENDER of a known user", gender[0])
            for form in gender["forms"].split("|"):
                self.text(form)
            self.accepted["functions"] += 1
        self.text(GENDER.sub("", text))

    def number(self, value: str) -> None:
        if not re.fullmatch(r"\d*", value):
            self.fail("number", value)

    def user(self, value: str) -> None:
        found = USER_LINK.fullmatch(value)
        if found is None:
            self.text(value)
            return
        if found["target"] not in self.users or html.unescape(found["label"]) != found["target"]:
            self.fail("user link", value)
        self.text(found["label"])
        self.accepted["links"] += 1

    def users_list(self, value: str) -> None:
        for part in value.split(", "):
            self.user(part)

    def page(self, value: str) -> None:
        found = PAGE_LINK.fullmatch(value)
        if found is None:
            self.text(value)
            return
        if found["target"] not in self.pages:
            self.fail("page link", value)
        self.text(found["label"])
        self.accepted["links"] += 1

    def skill(self, value: str) -> None:
        found = SKILL_CALL.fullmatch(value)
        if found is None:
            self.text(value)
            return
        if found["id"] not in self.skills:
            self.fail("skill", value)
        self.accepted["templates"] += 1

    def skills_list(self, value: str) -> None:
        for part in value.split(", "):
            self.skill(part)

    def web(self, value: str) -> None:
        found = WEB_LINK.fullmatch(value)
        if found is None:
            self.page(value)
            return
        url = found["url"]
        if url not in self.urls or "''" in url or "~" in url or "__" in url:
            self.fail("web link", value)
        self.text(found["label"])
        self.accepted["external"] += 1


@dataclass(frozen=True)
class TableSpec:
    """A table a renderer writes: its header cells and how to read each column."""

    name: str
    headers: tuple[str, ...]
    columns: tuple[str, ...]  # names of Checker validators


@dataclass(frozen=True)
class Grammar:
    """Every line a renderer may write outside its tables: a name and a pattern whose named
    groups are read by the Checker validator of the same name (before any ``_``)."""

    lines: tuple[tuple[str, re.Pattern[str]], ...]
    tables: tuple[TableSpec, ...]


def grammar(tables: Iterable[TableSpec], **lines: str) -> Grammar:
    """A Grammar from line patterns given by name (tried in the order given)."""
    return Grammar(tuple((name, re.compile(pattern)) for name, pattern in lines.items()),
                   tuple(tables))


@dataclass
class Reading:
    """What a page is made of, line by line: tables (name, rows without the header), the
    other lines by kind, and the section headings in order."""

    tables: list[tuple[str, int]] = field(default_factory=list)
    lines: Counter[str] = field(default_factory=Counter)
    headings: list[str] = field(default_factory=list)


def read_page(text: str, rules: Grammar, checker: Checker) -> Reading:
    """Read a generated page line by line; every line must be one the renderer writes."""
    assert not FORBIDDEN.search(text), FORBIDDEN.search(text)
    assert "~~~" not in text and "__" not in text
    reading = Reading()
    lines = text.split("\n")
    at = 0
    while at < len(lines):
        line = lines[at]
        if TABLE_START.fullmatch(line):
            at = read_table(lines, at, rules, checker, reading)
            continue
        name, found = match_line(rules, line)
        reading.lines[name] += 1
        for group, value in found.groupdict().items():
            if value is None:
                continue
            if group.startswith("heading"):
                reading.headings.append(value)
                checker.text(value)
            else:
                getattr(checker, group.split("_")[0])(value)
        at += 1
    return reading


def match_line(rules: Grammar, line: str) -> tuple[str, re.Match[str]]:
    """The first of the renderer's line patterns that the whole line matches."""
    for name, pattern in rules.lines:
        found = pattern.fullmatch(line)
        if found:
            return name, found
    raise AssertionError(f"a line the renderer does not write: {line[:300]!r}")


def read_table(lines: list[str], at: int, rules: Grammar, checker: Checker,
               reading: Reading) -> int:
    """One table: ``{|``, the header row, rows of exactly as many cells, ``|}``."""
    assert lines[at + 1] == "|-", lines[at: at + 2]
    at += 2
    headers = []
    while lines[at].startswith("! "):
        headers.append(lines[at][2:])
        at += 1
    specs = [s for s in rules.tables if s.headers == tuple(headers)]
    assert specs, f"a table with unknown headers {headers}"
    spec = specs[0]
    rows = 0
    while lines[at] == "|-":
        cells = lines[at + 1: at + 1 + len(headers)]
        for cell, column in zip(cells, spec.columns, strict=True):
            if cell != "|":
                assert cell.startswith("| "), f"not a cell: {cell[:200]!r}"
                getattr(checker, column)(cell[2:])
        at += 1 + len(headers)
        rows += 1
    assert lines[at] == "|}", f"the table goes on with {lines[at][:200]!r}"
    reading.tables.append((spec.name, rows))
    return at + 1


def parsed_shapes(text: str) -> list[list[int]]:
    """Rows x cells of every table as wikitextparser reads them (header row included)."""
    return [[len(row) for row in table.data(span=False)] for table in wtp.parse(text).tables]


#: mwparserfromhell node types that are markup (text and entities are not).
MARKUP = (mwparserfromhell.nodes.Wikilink, mwparserfromhell.nodes.Template,
          mwparserfromhell.nodes.ExternalLink, mwparserfromhell.nodes.Tag,
          mwparserfromhell.nodes.Comment, mwparserfromhell.nodes.Argument,
          mwparserfromhell.nodes.Heading)


def parser_counts(text: str, tags: Iterable[str] = ()) -> tuple[Counter[str], Counter[str]]:
    """What each parser finds on the page: links, templates, web links, parser functions,
    comments, and HTML tags other than ``tags`` (the bot's own), by kind.  Wikitextparser
    reads the whole page, mwparserfromhell line by line (its table parsing is slow on large
    tables, and a generated page never carries markup over a line break).  Wiki markup that
    mwparserfromhell calls tags (lists, bold) is left to the line grammar and to inert()."""
    parsed = wtp.parse(text)
    own = set(tags)
    # {{GENDER:user|…}} is a parser function, which wikitextparser reads as a template
    genders = sum(1 for t in parsed.templates if t.name.strip().upper().startswith("GENDER:"))
    by_wtp = Counter(
        links=len(parsed.wikilinks), templates=len(parsed.templates) - genders,
        external=len(parsed.external_links), functions=len(parsed.parser_functions) + genders,
        comments=len(parsed.comments), arguments=len(parsed.parameters),
        tags=sum(1 for t in parsed.get_tags() if t.name not in own),
    )
    by_mwph: Counter[str] = Counter()
    kinds = {"Wikilink": "links", "ExternalLink": "external", "Comment": "comments",
             "Argument": "arguments", "Tag": "tags", "Heading": "headings"}
    for line in text.split("\n"):
        for node in mwparserfromhell.parse(line).filter(recursive=True, forcetype=MARKUP):
            kind = type(node).__name__
            if kind == "Template":
                name = str(node.name).strip()
                function = name.startswith("#") or name.upper().startswith("GENDER:")
                by_mwph["functions" if function else "templates"] += 1
            elif kind == "Tag":
                if node.wiki_markup is None and str(node.tag) not in own:
                    by_mwph["tags"] += 1
            else:
                by_mwph[kinds[kind]] += 1
    by_mwph.pop("headings", None)
    return +by_wtp, +by_mwph


def check_markup(text: str, checker: Checker, tags: Iterable[str] = ()) -> None:
    """Both parsers find exactly the links, templates and web links the line-by-line reading
    accepted, and nothing else: no parser function, comment, parameter or foreign tag."""
    expected = +Counter({k: checker.accepted[k]
                         for k in ("links", "templates", "external", "functions")})
    by_wtp, by_mwph = parser_counts(text, tags)
    assert by_wtp == expected, (by_wtp, expected)
    assert by_mwph == expected, (by_mwph, expected)
    COUNTS["links and templates checked"] += sum(expected.values())


def tally(reading: Reading) -> None:
    """Count what a page reading checked, for the report."""
    COUNTS["tables checked"] += len(reading.tables)
    COUNTS["rows checked"] += sum(rows for _, rows in reading.tables)
    COUNTS["lines checked"] += sum(reading.lines.values())
