"""Fuzzing the entry parser, the resolvers and every renderer with hostile wikitext.

Participants write their profiles and session logs by hand, and anyone can
edit them.  Whatever they write, the pages the bot generates must keep their
shape and carry nothing the bot did not mean to put there.  These tests
generate whole wiki pages (several entries each, broken and nested
templates, duplicated parameters, wrong owners, untrusted revisions) whose
values mix words the taxonomy knows, so that entries get through validation
and reach the tables, with hostile text: wikitext, HTML, signatures, magic
words, right-to-left and invisible characters, control characters, very long
strings.  The pipeline runs as the jobs run it (pages -> entries -> profiles
or sessions -> pages of text and JSON), and every output is checked:

* nothing raises;
* every line of a generated page is one the renderer writes (a participant's
  value never starts a line: a table row, a list item, a heading);
* every table parses back (line by line here, and with wikitextparser) to
  the number of tables, rows and columns the data asks for;
* every link, template, parser function, tag and comment that
  wikitextparser or mwparserfromhell finds is one the bot makes from the data
  (user links of known users, page links of known pages, the skill template
  with a known id); there is no ``~~~``, no ``__MAGIC__`` word, no bidi
  control, no free external link;
* JSON exports load and carry the participants' values as plain data;
* where a page's values are written so that their plain text is known in
  advance (character references, ``<nowiki>``), the parser reads back exactly
  the entries, values, duplicates, unknown names and templated fields written.

Most of each example comes from a seeded generator (fast and large); a few
pages come from Hypothesis draws, so that a failure shrinks to a small
example (printed with the seed of the rest).

Sizes: an entry costs about 3 ms through every job and every check, so the
default run generates about 13,000 entries in under a minute, and
``scripts/fuzz`` runs 100,000 and more (about 8 minutes).
``LETSCONNECT_FUZZ_EXAMPLES`` multiplies the number of examples (1 = the
default run, 10 = ten times as many); ``LETSCONNECT_FUZZ_REPORT`` names a JSON
file that receives the counts of what was generated and checked.
"""

from __future__ import annotations

import atexit
import functools
import html
import json
import os
import random
import re
import string
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import mwparserfromhell
import wikitextparser as wtp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.directory.build import (
    PROFILE_ALIASES,
    Directory,
    DirectorySettings,
    build_directory,
    page_owner,
)
from bot.directory.pages import (
    NO_REGION,
    OTHER_SKILLS,
    render_by_skill,
    render_directory,
    render_export,
    render_problems,
)
from bot.limits import per_entry
from bot.matching.pages import render_round, render_round_export
from bot.matching.round import baseline_match
from bot.matching.values import Group, MatchResult, Unmatched
from bot.model import Entry, PageData, Problem, Profile, Revision
from bot.notices.decide import Item, NoticeSettings, invite_items, profile_items
from bot.notices.text import Messages, Recipient, TextSettings, render_section
from bot.sessions.build import ALIASES as SESSION_ALIASES
from bot.sessions.build import PARAMS as SESSION_PARAMS
from bot.sessions.build import SessionLog, build_log, outcome_statuses
from bot.sessions.pages import (
    EVERY_REGION,
    OTHER_TOPICS,
    render_calendar,
    render_resources,
    render_resources_export,
    render_session_problems,
    render_sessions_export,
    safe_url,
)
from bot.stats.compute import CoffeeGroup, StatsSettings, compute_dashboard
from bot.stats.pages import render_dashboard, render_dashboard_export
from bot.taxonomy import Taxonomy
from bot.wikitext.entries import parse_entries, strip_templates
from bot.wikitext.tables import SKILL_TEMPLATE, escape, normalise_user, valid_user_name

T = TypeVar("T")

# --- sizes and counts ----------------------------------------------------------------------

#: Multiplies every test's number of examples; the default run stays near a minute.
SCALE = max(1, int(os.environ.get("LETSCONNECT_FUZZ_EXAMPLES", "1") or "1"))
#: Examples of each test in the default run (times SCALE).
PIPELINE_EXAMPLES = 30
PARSER_EXAMPLES = 150
OBJECT_EXAMPLES = 150
RESOLVER_EXAMPLES = 300
#: Entries of the generated bulk in each pipeline example (the Hypothesis-drawn pages come
#: on top): profile entries, and session-log entries.
BULK_PROFILES = 240
BULK_SESSIONS = 120

NOW = datetime(2026, 11, 1, tzinfo=UTC)
ROUND = "2026-11"
PREFIX = "Grants:Knowledge Sharing/Connect/Directory/"
SHARED = "Grants:Knowledge Sharing/Connect/Directory"
LISTS = "Grants:Knowledge Sharing/Connect/Participants/"  # shared lists: no owner in the title
SESSIONS = "Grants:Knowledge Sharing/Connect/Sessions/"
PROFILE = "Let's Connect/Profile"
TRUSTED = "Wg Member"

#: What the run generated and checked; written to LETSCONNECT_FUZZ_REPORT at exit.
COUNTS: Counter[str] = Counter()


def _write_report() -> None:
    path = os.environ.get("LETSCONNECT_FUZZ_REPORT")
    if path and COUNTS:  # not when the module was only imported (scripts/fuzz reads sizes)
        with open(path, "w", encoding="utf-8") as out:
            json.dump(dict(sorted(COUNTS.items())), out, indent=1)


atexit.register(_write_report)


def fuzz_settings(examples: int) -> Callable[[T], T]:
    """Deterministic runs (the same examples every time, no example database), so that a
    failure in CI is reproducible, and as many examples as the run asks for."""
    return settings(
        max_examples=examples * SCALE,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                               HealthCheck.large_base_example],
    )


# --- hostile material ------------------------------------------------------------------------

#: Pieces of text that mean something to MediaWiki, a browser or the bidi algorithm.
HOSTILE = [
    "[[Foo]]", "[[Category:Spam]]", "[[:Category:Spam|x]]", "[[File:X.png|thumb]]",
    "[[User:Mallory|Ana]]", "[[Special:Random]]", "[[w:en:Foo]]", "{{Evil}}", "{{subst:Evil}}",
    "{{#invoke:Evil|x}}", "{{#if:1|a|b}}", "{{{1}}}", "{{{p|default}}}", "{{!}}", "{{=}}",
    "{{DISPLAYTITLE:x}}", "{{Let's Connect/Skill|wikidata}}", "|", "||", "!", "!!", "|-", "|}",
    "{|", "|+", "=", "==", "===", "<ref>r</ref>", "<ref name=a/>", "<references/>",
    "<nowiki>", "</nowiki>", "<nowiki/>", "<pre>", "</pre>", "<!--", "-->", "<!-- c -->",
    "__NOTOC__", "__NOINDEX__", "__FORCETOC__", "~~~~", "~~~", "~~~~~", "[http://evil.example x]",
    "[https://evil.example/path?a=b&c=d]", "http://evil.example/free", "https://evil.example",
    "mailto:x@evil.example", "//evil.example", "ftp://evil.example", "'''", "''", "'''''",
    "\n", "\n\n", "\r\n", "\n*", "\n#", "\n:", "\n;", "\n----", "\n== Heading ==\n", "\n|-\n",
    "\n|}\n", "\n{|\n", "\n! x\n", "\n| cell\n", "\n ", " ", "\t", "ISBN 9780306406157",
    "RFC 1234", "PMID 1234", "<script>alert(1)</script>", '<div style="position:fixed">',
    "<span>", "</div>", "<br>", "<br/>", "<includeonly>", "<onlyinclude>", "&lt;", "&amp;",
    "&#91;&#91;", "&#123;&#123;", "&#124;", "&nbsp;", "&", ";", "#", ":", "*", "-{zh}-",
    "-{", "}-", "{{", "}}", "[[", "]]", "[", "]", "{", "}", "<", ">", '"', "'", "_", "~", "%",
    "%7C", "مرحبا بالعالم", "ويكيبيديا", "עברית", "\u200b", "\u200c", "\u200d", "\u2060",
    "\ufeff", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
    "\u2069", "\u200e", "\u200f", "\u061c", "\x00", "\x01", "\x07", "\x1b", "\x7f", "\x85",
    "\u2028", "\u2029", "\x0b", "\x0c", "\u0301", "\u0670", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "😀", "👩‍👩‍👧", "ﷺ",
    "İ", "ß", "ﬁ", "Ⅻ", "\u3000", "\xa0", "\u00ad", "\ud800", "\udfff", "\ue000", "\U0010fffd",
    "\ufffd", "\uffff", "Ana", "User:Ana", "Wikidata", "yes", "no",
]
#: What MediaWiki replaces with U+FFFD when it stores a page (its UTF-8 clean-up).
NOT_STORED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
#: Characters written as character references when a value must read back exactly.
PUNCTUATION = frozenset(string.punctuation)
#: Code point ranges the random text draws from: every script the program meets, and worse.
RANGES = [
    (0x20, 0x7E), (0x20, 0x7E), (0x20, 0x7E), (0x00, 0x1F), (0x7F, 0x9F), (0xA0, 0x24F),
    (0x300, 0x36F), (0x370, 0x52F), (0x590, 0x6FF), (0x600, 0x6FF), (0x900, 0x97F),
    (0x2000, 0x206F), (0x20A0, 0x2BFF), (0x3000, 0x30FF), (0x4E00, 0x4EFF), (0xAC00, 0xACFF),
    (0xD800, 0xDFFF), (0xE000, 0xE0FF), (0xFB00, 0xFDFF), (0xFE00, 0xFFFF),
    (0x1F300, 0x1FAFF), (0x1D400, 0x1D7FF), (0xE0000, 0xE007F), (0x10FF00, 0x10FFFF),
]
#: Names a user page can carry (the wiki gives valid titles), some of them odd.
OWNERS = [
    "Ana", "Bo", "Chen Li", "Dee", "محمد", "O'Brien", "Jean-Luc", "A&B", "Ab~c", "Eq=al",
    "Bang!!", "Semi;colon", "Star*", "Colon:x", "Quote\"", "Ümlaut", "ß-man", "Ана", "佐藤",
    "עדי", "X" * 80, "Tab Name", "dot.ted", "1.2.3.4", "ISBN 123",
]
#: Authors of revisions who are not owners.
OTHERS = ["Mallory", "Vandal 99", "127.0.0.1", "", "Helper"]


class Source:
    """Where the generator's choices come from: Hypothesis draws (a small part of each example,
    so that failures shrink) or a seeded generator (the bulk, fast and large)."""

    def choice(self, options: Sequence[T]) -> T:
        raise NotImplementedError

    def integer(self, low: int, high: int) -> int:
        raise NotImplementedError

    def chance(self, percent: int) -> bool:
        return self.integer(0, 99) < percent

    def unicode(self, max_size: int) -> str:
        raise NotImplementedError

    def noise(self) -> str:
        """Hostile text for a field the resolvers read (a skill, a country, a language)."""
        return hostile_text(self, 3)


class DrawSource(Source):
    """Choices drawn by Hypothesis (they shrink towards the first option and small numbers)."""

    def __init__(self, draw: Callable[[st.SearchStrategy[Any]], Any]) -> None:
        self.draw = draw

    def choice(self, options: Sequence[T]) -> T:
        return self.draw(st.sampled_from(options))

    def integer(self, low: int, high: int) -> int:
        return self.draw(st.integers(low, high))

    def unicode(self, max_size: int) -> str:
        return self.draw(st.text(st.characters(codec=None, categories=None), max_size=max_size))


class RandomSource(Source):
    """Choices from a seeded generator: the same seed makes the same pages."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def choice(self, options: Sequence[T]) -> T:
        return options[self.rng.randrange(len(options))]

    def integer(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def unicode(self, max_size: int) -> str:
        size = self.rng.randint(0, max_size)
        low, high = self.rng.choice(RANGES)
        return "".join(chr(self.rng.randint(low, high)) for _ in range(size))

    def noise(self) -> str:
        """From a fixed pool: the resolvers remember their answers, and a fuzzy search for
        a new text costs milliseconds, which would make the bulk slow, not more hostile
        (the Hypothesis-drawn entries bring new texts)."""
        return self.choice(noise_pool())


# --- values: hostile text, taxonomy words, and how they are written --------------------------


@dataclass(frozen=True)
class Vocabulary:
    """Words the taxonomy understands, so that entries reach the tables."""

    skills: tuple[str, ...]
    areas: tuple[str, ...]
    regions: tuple[str, ...]
    countries: tuple[str, ...]
    languages: tuple[str, ...]


def vocabulary(taxonomy: Taxonomy) -> Vocabulary:
    """Ids, labels in the five languages and some aliases; codes and names of countries and
    languages, as participants write them."""
    skills = [w for s in taxonomy.skills.values()
              for w in (s.id, *s.labels.values(), *s.aliases[:3])]
    areas = [w for a in taxonomy.thematic_areas.values() for w in (a.id, *a.labels.values())]
    regions = [w for r in taxonomy.regions.values()
               for w in (r.id, r.labels["en"], r.labels["fr"], *r.aliases[:2])]
    codes = [c for r in taxonomy.regions.values() for c in r.countries[:6]]
    countries = codes + [taxonomy.country_name(c, lang) for c in codes[::3]
                         for lang in ("en", "fr", "es")] + ["DRC", "UK", "the Netherlands"]
    languages = ["en", "fr", "es", "pt", "ar", "sw", "de", "zh", "hi", "pt-BR", "en-3", "fr-N",
                 "English", "español", "Français", "العربية", "Kiswahili", "Deutsch",
                 "Portuguese", "Hindi", "Bengali", "Yoruba", "Tagalog", "Русский"]
    return Vocabulary(tuple(skills), tuple(areas), tuple(regions), tuple(countries),
                      tuple(languages))


def hostile_text(src: Source, pieces: int = 5) -> str:
    """Up to ``pieces`` fragments: markup, random unicode, and now and then a very long run."""
    parts = []
    for _ in range(src.integer(0, pieces)):
        kind = src.integer(0, 199)
        if kind < 100:
            parts.append(src.choice(HOSTILE))
        elif kind < 170:
            parts.append(src.unicode(10))
        elif kind < 199:
            parts.append(src.choice(["Wikimedia Kenya", "Art+Feminism", "WikiWomen", "x"]))
        else:
            parts.append(src.choice(HOSTILE + ["x", "é", "ش"]) * src.integer(20, 300))
    return "".join(parts)


@functools.cache
def noise_pool() -> tuple[str, ...]:
    """The hostile texts the bulk puts where a resolver reads (see RandomSource.noise)."""
    source = RandomSource(20261101)
    return tuple(hostile_text(source, 3) for _ in range(300))


@dataclass(frozen=True)
class Value:
    """A parameter value as written in wikitext, and its plain text when it is known in
    advance (``None``: only the parser knows, so only invariants are checked)."""

    wikitext: str
    plain: str | None
    templated: bool = False


def entity_encoded(text: str) -> str:
    """Every ASCII punctuation character as a character reference: the parser sees text."""
    return "".join(f"&#{ord(c)};" if c in PUNCTUATION else c for c in text)


def written(src: Source, text: str, predictable: bool) -> Value:
    """``text`` as a participant might put it in a parameter.

    Predictable ways keep the plain text known: character references, ``<nowiki>``, an
    HTML comment beside it, a template beside it (the parser keeps its source).  The raw
    way lets the markup act, and is only used on pages whose reading is not predicted.
    """
    way = src.integer(0, 19 if predictable else 29)
    shown = NOT_STORED.sub("\ufffd", text)
    if way >= 20:
        return Value(text, None)
    if 10 <= way < 15 and "nowiki" not in text.casefold():
        return Value(f"<nowiki>{text}</nowiki>", html.unescape(shown))
    if 15 <= way < 18:
        return Value(entity_encoded(text) + "<!-- note -->", shown)
    if way >= 18:
        return Value(entity_encoded(text) + "{{flag|KE}}", shown + "{{flag|KE}}", templated=True)
    return Value(entity_encoded(text), shown)


def list_text(src: Source, words: Sequence[str], hostile: int) -> str:
    """A list as people type it: known words, and now and then a hostile item."""
    items = []
    for _ in range(src.integer(0, 4)):
        items.append(src.noise() if src.chance(hostile) else src.choice(words))
    separator = src.choice([", ", ",", "; ", "\n* ", "<br>", " ، ", " • ", "\n"])
    return separator.join(items)


def param_spelling(src: Source, name: str) -> str:
    """A parameter name as typed: case, underscores and spaces vary (they are matched loosely)."""
    style = src.integer(0, 4)
    if style == 1:
        return name.upper()
    if style == 2:
        return name.title().replace(" ", "_")
    if style == 3:
        return f" {name.replace(' ', '  ')} "
    return name


# --- profile pages -----------------------------------------------------------------------------

PROFILE_SPELLINGS: dict[str, list[str]] = {}
for _alias, _canonical in PROFILE_ALIASES.items():
    PROFILE_SPELLINGS.setdefault(_canonical, []).append(_alias)
TEMPLATE_SPELLINGS = [PROFILE, "let's Connect/Profile", "Template:Let's Connect/Profile",
                      "template : Let's_Connect/Profile", " Let's  Connect/Profile "]
UNKNOWN_PARAMS = ["skils", "favourite", "notes", "lerns", "foo bar"]


@dataclass
class Template:
    """One generated transclusion: what it says, and what the parser should read from it."""

    wikitext: str
    expected: Entry | None  # None when its reading is not predicted


def profile_fields(src: Source, vocab: Vocabulary, user: str | None) -> list[tuple[str, str]]:
    """(canonical name, text) pairs of a profile entry, valid words mixed with hostile text."""
    hostile = src.choice([0, 0, 5, 20, 60])  # percent of list items that are hostile
    fields: list[tuple[str, str]] = []
    if user is not None:
        fields.append(("user", user))
    fields.append(("consent", "yes" if src.chance(85) else src.choice(["no", "", "oui", "maybe"])))
    fields.append(("share", list_text(src, vocab.skills, hostile)))
    fields.append(("learn", list_text(src, vocab.skills, hostile)))
    fields.append(("languages", list_text(src, vocab.languages, hostile)))
    fields.append(("affiliation", hostile_text(src, 6)))
    for name, words in (("country", vocab.countries), ("region", vocab.regions)):
        if src.chance(70):
            fields.append((name, src.noise() if src.chance(hostile) else src.choice(words)))
    optional = [
        ("bio", lambda: hostile_text(src, 6)),
        ("areas", lambda: list_text(src, vocab.areas, hostile)),
        ("capacity", lambda: src.choice(["0", "1", "3", "4", "9", "two", "", "-1"])),
        ("formats", lambda: src.choice(["1:1", "group, clinic", "coffee", "zoom", "1:1 ;x"])),
        ("notify", lambda: src.choice(["yes", "no", "maybe", "NON", ""])),
        ("lang", lambda: src.choice(["es", "fr", "ar", "xx", "pt-BR"])),
    ]
    for name, make in optional:
        if src.chance(50):
            fields.append((name, make()))
    return fields


def make_template(
    src: Source, name: str, fields: list[tuple[str, str]], spellings: dict[str, list[str]],
    predictable: bool, page: str, plain: frozenset[str] = frozenset(),
) -> Template:
    """A transclusion of ``name`` with the fields in some order, some duplicated, some
    unknown or positional, each value written in one of the ways of :func:`written` (the
    ``plain`` ones mostly as they are: nobody writes a web address in character references)."""
    params: list[tuple[str | None, str, Value]] = []  # (written name, canonical, value)

    def spelled(canonical: str) -> str:
        return param_spelling(src, src.choice(spellings[canonical]))

    for canonical, text in fields:
        value = Value(text, None) if canonical in plain and src.chance(70) else written(
            src, text, predictable)
        params.append((spelled(canonical), canonical, value))
        if src.chance(3):  # duplicated: the last one counts
            params.append((spelled(canonical), canonical,
                           written(src, hostile_text(src, 2), predictable)))
    if src.chance(15):
        params.append((param_spelling(src, src.choice(UNKNOWN_PARAMS)), "",
                       written(src, "x", predictable)))
    if src.chance(10):
        params.append((None, "", written(src, hostile_text(src, 2), predictable)))
    order = list(range(len(params)))
    if src.chance(50):
        order.sort(key=lambda _: src.integer(0, 1000))
    params = [params[i] for i in order]
    parts = [value.wikitext if name is None else f"{name}={value.wikitext}"
             for name, _, value in params]
    text = "{{" + name + "".join("|" + p for p in parts) + "}}"
    return Template(text, expected_entry(params, page) if predictable else None)


def expected_entry(params: list[tuple[str | None, str, Value]], page: str) -> Entry | None:
    """What the parser must read from ``params``: the last value wins, names are reported."""
    values: dict[str, str] = {}
    duplicates: list[str] = []
    unknown: list[str] = []
    templated: set[str] = set()
    position = 0
    for spelled, canonical, value in params:
        if value.plain is None:
            return None
        if spelled is None or not canonical:
            position += spelled is None
            name = str(position) if spelled is None else spelled.strip()
            if name not in unknown:
                unknown.append(name)
            continue
        if canonical in values and canonical not in duplicates:
            duplicates.append(canonical)
        values[canonical] = value.plain.strip()
        templated.discard(canonical)
        if value.templated:
            templated.add(canonical)
    return Entry(page=page, index=0, params=values, duplicates=tuple(duplicates),
                 unknown=tuple(unknown), templated=tuple(sorted(templated)))


@dataclass
class GeneratedPage:
    """A page and, when its reading is predicted, the entries of its latest revision."""

    page: PageData
    expected: list[Entry] | None
    generated: int  # entries written, over all revisions


#: Where MediaWiki does not show a transclusion: (opening, closing, what must not be inside).
HIDING = [("<!-- ", " -->", "-->"), ("<nowiki>", "</nowiki>", "nowiki"),
          ("<ref>", "</ref>", "ref>"), ("<includeonly>", "</includeonly>", "includeonly"),
          ("<pre>", "</pre>", "pre>")]
#: Where it is shown all the same: inside another template, or an HTML element.
WRAPPING = [("{{Collapse|content=", "}}"), ("<div>", "</div>"), ("{{Userbox|1=", "}}"),
            ("<center>", "</center>")]


def page_body(
    src: Source, templates: list[Template], predictable: bool
) -> tuple[str, list[Entry] | None]:
    """Templates placed among prose: hidden, wrapped in other markup, nested in another
    entry's parameter (which then holds its source), or followed by a broken one."""
    chunks: list[str] = []
    visible: list[Entry | None] = []
    for template in templates:
        if src.chance(30):
            prose = hostile_text(src, 4)
            chunks.append(entity_encoded(prose) if predictable else prose)
        place = src.integer(0, 9)
        hiding = [h for h in HIDING if h[2] not in template.wikitext.casefold()]
        if place == 0 and predictable and hiding:
            opening, closing, _ = src.choice(hiding)
            chunks.append(opening + template.wikitext + closing)
            continue  # MediaWiki does not show it, so it is no entry
        if place == 1:
            opening, closing = src.choice(WRAPPING)
            chunks.append(opening + template.wikitext + closing)
        elif place == 2:
            chunks.append("{{" + PROFILE + "|user=Nest|bio=" + template.wikitext + "}}")
            source = NOT_STORED.sub("\ufffd", template.wikitext)  # as the wiki stores it
            visible.append(Entry(page="", index=0, params={"user": "Nest", "bio": source},
                                 templated=("bio",)))
        else:
            chunks.append(template.wikitext)
        visible.append(template.expected)
        if src.chance(4):
            chunks.append("{{" + PROFILE + "|user=" + src.choice(["A", "B"]))  # never closed
            if predictable:
                break  # an unclosed template swallows what follows only in the parser's eyes
    text = src.choice(["\n", "\n\n", "", " "]).join(chunks)
    if not predictable or any(e is None for e in visible):
        return text, None
    page = next((e.page for e in visible if e and e.page), "")
    return text, [replace(e, page=page, index=i) for i, e in enumerate(visible) if e]


def wiki_title(text: str) -> str:
    """Odd text made into a title MediaWiki could have: none of the characters it refuses,
    no ``~~~``, no ``%XX`` or character reference, no bidi mark, underscores as spaces."""
    text = re.sub("[#<>\\[\\]|{}\x00-\x1f\x7f\ud800-\udfff\ufffd\u200e\u200f\u202a-\u202e]", "",
                  text)
    text = re.sub(r"%[0-9A-Fa-f]{2}|&[^\s;]+;", "", text.replace("_", " "))
    while "~~~" in text:
        text = text.replace("~~~", "~~")
    return " ".join(text.split()).lstrip(":").strip()[:200] or "Untitled"


def person(src: Source) -> str:
    """A user name: an odd base name, and a number so that a page set has many people."""
    base = src.choice(OWNERS)
    return f"{base} {src.integer(1, 400)}" if src.chance(90) else base


def profile_page(src: Source, vocab: Vocabulary) -> GeneratedPage:
    """A profile page of one of the three kinds, with one to three revisions: a user's own
    page has one entry (now and then a few), a shared page many."""
    owner = person(src)
    kind = src.integer(0, 3)
    entries = src.integer(2, 30) if kind == 3 else 1 if src.chance(85) else src.integer(2, 3)
    shared = f"{LISTS}{src.choice(['Africa', 'Arabic', 'Group', 'More'])} {src.integer(1, 999)}"
    title = {0: f"User:{owner}/Let's Connect", 1: PREFIX + owner, 2: f"User:{owner}",
             3: SHARED if src.chance(5) else shared}[kind]
    if src.chance(3):
        title = wiki_title(hostile_text(src, 3))
    predictable = src.chance(50)
    people = [owner]
    generated = 0

    def revision_text() -> tuple[str, list[Entry] | None]:
        nonlocal generated
        templates = []
        for _ in range(entries):
            user = None
            if kind == 3 or src.chance(20):  # a shared page, or a wrong owner
                user = person(src) if src.chance(90) else hostile_text(src, 2)
                people.append(user)
            fields = profile_fields(src, vocab, user)
            name = src.choice(TEMPLATE_SPELLINGS)
            templates.append(make_template(src, name, fields, PROFILE_SPELLINGS, predictable,
                                           title))
        generated += len(templates)
        return page_body(src, templates, predictable)

    latest_text, expected = revision_text()
    author = src.choice(people[-1:] if kind == 3 else [owner])
    if kind == 3 and src.chance(50):
        author = TRUSTED  # a working-group member tidied the shared page
    if src.chance(20):
        author = src.choice([*OTHERS, TRUSTED])
    stamp = (NOW - timedelta(days=src.choice([1, 10, 30, 100, 200, 300, 400, 3000]))).isoformat()
    revisions = [Revision(1000 + src.integer(0, 10**6), author, stamp, latest_text)]
    for age in range(src.choice([0, 0, 0, 1, 2])):
        older, _ = revision_text() if src.chance(70) else (latest_text, None)
        who = src.choice([owner, people[-1], TRUSTED, *OTHERS])
        when = (NOW - timedelta(days=400 + 100 * age)).isoformat()
        revisions.append(Revision(revisions[-1].revid - 1 - age, who, when, older))
    return GeneratedPage(PageData(title, tuple(revisions)), expected, generated)


# --- session-log pages ---------------------------------------------------------------------------

SESSION_SPELLINGS: dict[str, dict[str, list[str]]] = {}
for _kind, _names in SESSION_PARAMS.items():
    SESSION_SPELLINGS[_kind] = {name: [name] for name in _names}
    for _alias, _canonical in SESSION_ALIASES[_kind].items():
        SESSION_SPELLINGS[_kind][_canonical].append(_alias)
#: Addresses and titles a link parameter may hold: valid ones with characters that mean
#: something to wikitext (they must be percent-encoded or refused), and ones to refuse.
LINKS = [
    "https://example.org/slides.pdf", "https://example.org/a'b''c~~~~d__NOTOC__e",
    "https://example.org/p?q=1&r=2;s=!*#frag", "http://example.org/(x)/%7C/é",
    "//example.org/protocol-relative", "[https://example.org/labelled A label]",
    "[https://example.org/x '''bold''' [[Category:Spam]]]", "https://example.org/{{x}}",
    "[[File:Slides 2026.pdf]]", "File:Recording.webm", "[[Grants:X/Page|a label]]",
    "Grants:Knowledge Sharing/Connect/Sessions/Other", "[[:Category:Spam]]",
    "Category:Spam", "[[User:Mallory]]", "javascript:alert(1)", "www.example.org",
    "mailto:x@example.org", "https://", "https://exa mple.org", "[[A|B]] [[C]]",
    "{{Evil}}", "https://example.org/" + "x" * 2100, "https://example.org/<script>",
    "https://example.org/\u202e", "ftp://example.org/file", "https://example.org/'''",
    "https://example.org/~~~", "https://example.org/___x___", "[[File:]]", "[[:Grants:X#a]]",
]
DATES = ["2026-10-14", "2026-11-20", "2026-12-01", "2027-01-15", "2026-03-01", "2025-12-24",
         "14 October 2026", "20 de noviembre de 2026", "3 décembre 2026", "November 25, 2026",
         "2026/11/05", "05/06/2026", "30/02/2026", "2026-11", "next week", "",
         "2026-11-02T14:00Z", "Tuesday, 14 October 2026, 2:30 pm"]
TIMES = ["", "14:00", "16:00 UTC-3", "2 pm", "09h30", "23:30 UTC+5:30", "12:00 Europe/Paris",
         "IST", "25:00", "noon", "14:00 UTC / 17:00 EAT"]
SESSION_WORDS = {
    "format": ["clinic", "coffee", "regional", "other", "webinar", "café", "thematic"],
    "status": ["planned", "held", "cancelled", "done", "upcoming", "postponed"],
    "type": ["recording", "slides", "document", "guide", "video", "pad", "other"],
    "held": ["yes", "no", "sí", "non", "maybe"],
    "participants": ["12", "1,200", "0", "many", "-3"],
    "group": ["2026-10-001", "2026-11-002", "2026-11-999", "11-1", "x"],
}
SESSION_PLAIN = frozenset({"link", "registration", "session", "date", "time"})
REQUIRED = {"session": ("date", "title"), "resource": ("title", "link"), "outcome": ("held",),
            "space": ("name",)}


class SessionFields:
    """Values of the four session-log templates: known words now and then replaced by hostile
    text, free text always hostile."""

    def __init__(self, src: Source, vocab: Vocabulary, page: str, ids: list[str]) -> None:
        self.src, self.vocab, self.page, self.ids = src, vocab, page, ids
        self.hostile = src.choice([0, 5, 20, 60])

    def pick(self, options: Sequence[str]) -> str:
        return self.src.noise() if self.src.chance(self.hostile) else self.src.choice(options)

    def value(self, name: str) -> str:
        src, vocab = self.src, self.vocab
        if name in SESSION_WORDS:
            return self.pick(SESSION_WORDS[name])
        if name in ("title", "summary", "name", "organiser", "schedule"):
            return hostile_text(src, 5)
        if name in ("languages", "interpretation"):
            return list_text(src, vocab.languages, self.hostile)
        if name in ("skills", "topics"):
            return list_text(src, [*vocab.skills, *vocab.areas], self.hostile)
        if name == "sharers":
            return ", ".join(person(src) if src.chance(85) else hostile_text(src, 2)
                             for _ in range(src.integer(0, 3)))
        if name == "session":
            ident = src.choice(self.ids or ["a"])
            return src.choice(["", f"#{ident}", self.page, f"{self.page}#{ident}",
                               SESSIONS + "Other", ident, hostile_text(src, 2)])
        if name == "id":
            return src.choice(self.ids) if self.ids and src.chance(70) else hostile_text(src, 2)
        return self.pick({"date": DATES, "time": TIMES, "region": [*vocab.regions, "global"],
                          "registration": LINKS, "link": LINKS, "nocat": ["yes"]}[name])

    def entry(self, kind: str) -> list[tuple[str, str]]:
        return [(name, self.value(name)) for name in SESSION_PARAMS[kind]
                if name in REQUIRED[kind] or self.src.chance(60)]


def session_page(src: Source, vocab: Vocabulary) -> GeneratedPage:
    """A session log: sessions, their resources and outcomes, and other spaces."""
    title = SESSIONS + src.choice(["2026-10 Budget clinic", "2026-11 Wikidata", "Regional",
                                   "Café", "عيادة التعلم", "O'Reilly & co"])
    title += f" {src.integer(1, 999)}"
    ids = [src.choice(["a", "b", "c", "2026-11-20", "x y"]) for _ in range(src.integer(0, 3))]
    fields = SessionFields(src, vocab, title, ids)
    templates = []
    for _ in range(src.integer(1, 12)):
        kind = src.choice(["session", "session", "resource", "resource", "outcome", "space"])
        name = "Let's Connect/" + kind.title()
        if src.chance(10):
            name = "template:" + name.replace(" ", "_")
        templates.append(make_template(src, name, fields.entry(kind), SESSION_SPELLINGS[kind],
                                       False, title, SESSION_PLAIN))
    text, _ = page_body(src, templates, False)
    saved = (NOW - timedelta(days=src.integer(0, 400))).isoformat()
    page = PageData(title, (Revision(1, "Someone", saved, text),))
    return GeneratedPage(page, None, len(templates))


# --- checking generated wikitext -------------------------------------------------------------

#: Characters no generated page may hold: controls (a value is one line, and MediaWiki
#: stores no C0 control), bidi controls (they would reorder what follows), lone surrogates
#: (a page holding one cannot be saved).
FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f"
                       "\u061c\ud800-\udfff]")
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
    by_wtp = Counter(
        links=len(parsed.wikilinks), templates=len(parsed.templates),
        external=len(parsed.external_links), functions=len(parsed.parser_functions),
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
                by_mwph["functions" if str(node.name).startswith("#") else "templates"] += 1
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
    expected = +Counter({k: checker.accepted[k] for k in ("links", "templates", "external")})
    by_wtp, by_mwph = parser_counts(text, tags)
    assert by_wtp == expected, (by_wtp, expected)
    assert by_mwph == expected, (by_mwph, expected)
    COUNTS["links and templates checked"] += sum(expected.values())


def tally(reading: Reading) -> None:
    """Count what a page reading checked, for the report."""
    COUNTS["tables checked"] += len(reading.tables)
    COUNTS["rows checked"] += sum(rows for _, rows in reading.tables)
    COUNTS["lines checked"] += sum(reading.lines.values())


# --- the directory -----------------------------------------------------------------------------

DIRECTORY_TABLE = TableSpec(
    "directory", ("User", "Country", "Languages", "Affiliation", "Shares", "Wants to learn"),
    ("user", "text", "text", "text", "skills_list", "skills_list"))
SKILL_TABLE = TableSpec(
    "by skill", ("Skill", "Sharers", "Shared by", "Learners", "Wants to learn"),
    ("skill", "number", "users_list", "number", "users_list"))
PROBLEM_TABLE = TableSpec(
    "problems", ("Page", "Owner", "Field", "What is wrong / how to fix"),
    ("page", "user", "text", "text"))
DIRECTORY_PAGE = grammar(
    [DIRECTORY_TABLE], blank="", total=r"\d+ participants? in the directory\.",
    heading=r"== (?P<heading>.+) ==", count=r"\d+ participants?\.")
SKILLS_PAGE = grammar(
    [SKILL_TABLE], blank="", heading=r"== (?P<heading>.+) ==",
    intro="Skills that participants want to learn and no active participant shares, "
          "most wanted first.",
    none="Every skill someone wants to learn has at least one sharer.",
    wanted=r"\* (?P<skill>.+?): wanted by \d+ participants?")
PROBLEMS_PAGE = grammar(
    [PROBLEM_TABLE], blank="", total=r"\d+ problems? on \d+ pages?\.",
    heading=r"== (?P<heading>Quarantined entries) ==",
    intro="These entries are not shown, matched or notified until their owner saves them.",
    none=r"None\.",
    held=r"\* (?P<page>\[\[:[^\[\]]*\]\]|[^:\[\]]*): (?P<user>.*) \([a-z ;]+\)")


def directory_checker(directory: Directory, taxonomy: Taxonomy, pages: Iterable[str]) -> Checker:
    """Links the directory pages may hold: the users and pages in the data, nothing else."""
    users = {p.user for p in directory.profiles} | {p.user for p in directory.problems}
    titles = set(pages) | {p.page for p in directory.profiles} | {p.page for p in
                                                                  directory.problems}
    skills = {s for p in directory.profiles for s in (*p.share, *p.learn)}
    return Checker(users=known_users(users), pages=known_pages(titles),
                   skills=set(taxonomy.skills) | skills)


def known_users(names: Iterable[str]) -> set[str]:
    """The accounts in the data, as a user link names them."""
    return {normalise_user(n) for n in names if valid_user_name(normalise_user(n))}


def known_pages(titles: Iterable[str]) -> set[str]:
    """The pages in the data, as a page link names them."""
    return {":" + " ".join(t.replace("_", " ").split()) for t in titles}


def region_sections(directory: Directory, taxonomy: Taxonomy) -> list[tuple[str, int]]:
    """(heading, participants) of every section of the directory page, in page order."""
    shown = directory.active()
    sections = [(taxonomy.region_label(r, "en"), sum(p.region == r for p in shown))
                for r in taxonomy.regions]
    elsewhere = sum(p.region not in taxonomy.regions for p in shown)
    return sections + ([(NO_REGION, elsewhere)] if elsewhere else [])


def skill_groups(taxonomy: Taxonomy) -> list[tuple[str, int]]:
    """(heading, skills) of every table of the by-skill page."""
    groups = [(taxonomy.area_label(a, "en"), len(area.skills))
              for a, area in taxonomy.areas.items() if area.skills]
    others = sum(s.area not in taxonomy.areas for s in taxonomy.skills.values())
    return groups + ([(OTHER_SKILLS, others)] if others else [])


def check_directory_pages(directory: Directory, taxonomy: Taxonomy,
                          titles: Iterable[str]) -> None:
    """Every page of the directory job: shape, lines, links; and the export."""
    shown = directory.active()
    sections = region_sections(directory, taxonomy)
    checker = directory_checker(directory, taxonomy, titles)
    text = render_directory(directory, taxonomy)
    reading = read_page(text, DIRECTORY_PAGE, checker)
    assert reading.headings == [escape(h) for h, _ in sections]
    assert reading.tables == [("directory", n) for _, n in sections if n]
    assert reading.lines["count"] == len(sections) and reading.lines["total"] == 1
    assert parsed_shapes(text) == [[6] * (n + 1) for _, n in sections if n]
    check_markup(text, checker)
    tally(reading)

    groups = skill_groups(taxonomy)
    checker = directory_checker(directory, taxonomy, titles)
    text = render_by_skill(directory, taxonomy)
    reading = read_page(text, SKILLS_PAGE, checker)
    learners = {s for p in shown for s in p.learn} - {s for p in shown for s in p.share}
    assert reading.headings == [escape(h) for h, _ in groups] + ["Sharers wanted"]
    assert reading.tables == [("by skill", n) for _, n in groups]
    assert reading.lines["wanted"] == len(learners)
    assert parsed_shapes(text) == [[5] * (n + 1) for _, n in groups]
    check_markup(text, checker)
    tally(reading)

    checker = directory_checker(directory, taxonomy, titles)
    text = render_problems(directory, taxonomy)
    reading = read_page(text, PROBLEMS_PAGE, checker)
    problems = listed_rows(directory.problems)
    held = sum(p.status == "quarantined" for p in directory.profiles)
    assert reading.tables == ([("problems", problems)] if problems else [])
    assert reading.lines["held"] == held and reading.lines["none"] == (not held)
    assert parsed_shapes(text) == ([[4] * (problems + 1)] if problems else [])
    check_markup(text, checker)
    tally(reading)

    check_directory_export(directory)


def listed_rows(problems: Sequence[Problem]) -> int:
    """Rows of a problems table: at most 20 problems an entry, and a row for the rest."""
    return sum(1 + (more > 0) for _, more in per_entry(problems))


def check_directory_export(directory: Directory) -> None:
    """The export is JSON holding the profiles' values as they are (plain data, not
    wikitext), and only ``user``, ``page`` and ``status`` of a profile not to be shown."""
    data = json.loads(render_export(directory, "2026-11-01T00:00:00Z"))
    assert len(data["participants"]) == len(directory.profiles)
    for exported, profile in zip(data["participants"], directory.profiles, strict=True):
        if profile.consent and profile.status != "quarantined":
            assert exported == profile.as_json()
            assert exported["affiliation"] == profile.affiliation
        else:
            assert exported == {"user": profile.user, "page": profile.page,
                                "status": profile.status}
    listed = [p for p, _ in per_entry(directory.problems)]  # 20 an entry, quotes cut short
    assert [p["message"] for p in data["problems"]] == [p.message for p in listed]
    assert [p["value"] for p in data["problems"]] == [p.value for p in listed]
    COUNTS["exports checked"] += 1

# --- the session pages ------------------------------------------------------------------------

UPCOMING_TABLE = TableSpec(
    "upcoming", ("Date (UTC)", "Session", "Format", "Region", "Languages", "Skills", "Sharers",
                 "Registration"),
    ("text", "session", "text", "text", "text", "skills_list", "users_list", "web"))
SPACES_TABLE = TableSpec(
    "spaces", ("Space", "Organiser", "Region", "Topics", "Languages", "Schedule"),
    ("web", "text", "text", "text", "text", "text"))
PAST_TABLE = TableSpec(
    "past", ("Date (UTC)", "Session", "Format", "Status", "Participants", "Resources"),
    ("text", "page", "text", "text", "number", "number"))
SESSION_PROBLEM_TABLE = TableSpec(
    "problems", ("Page", "Field", "What is wrong / how to fix"), ("page", "text", "text"))
#: A link the bot writes, or escaped text (which holds no bracket).
LINKED = r"\[\[:[^\[\]]*\]\]|\[[^\[\]]*\]|[^\[\]]*?"
HEADINGS = {"heading4": r"==== (?P<heading>.+) ====", "heading3": r"=== (?P<heading>.+) ===",
            "heading2": r"== (?P<heading>.+) =="}
RESOURCES_PAGE = grammar(
    [], blank="", **HEADINGS,
    total=r"'''\d+ resources?'''\. \d+ of \d+ held sessions? (?:has|have) at least one "
          r"resource(?: \(\d+%\))?\.",
    empty="''No resource has been logged yet.''",
    item=rf"\* (?:[0-9-]+ · )?(?P<web>{LINKED}) \((?P<text>.*?)\)(?: ''no link yet'')?"
         rf"(?: · from (?P<page>{LINKED}))?")
CALENDAR_PAGE = grammar(
    [UPCOMING_TABLE, SPACES_TABLE, PAST_TABLE], blank="", **HEADINGS,
    total=r"'''\d+ upcoming sessions?''' and '''\d+ other learning spaces?'''\. "
          r"Times are in UTC\.",
    nothing=r"''(?:No session is planned yet|Nothing planned yet|No other learning space is "
            r"listed yet|No session has taken place yet)\.''",
    session=rf"\* [0-9-]+(?: [0-9]+&#58;[0-9]+)? · (?P<page>{LINKED}) \((?P<text>[^()]*)\)",
    space=rf"\* (?P<web>{LINKED})(?: \((?P<text>.*)\))?(?: — (?P<text_other>.*))?")
SESSION_PROBLEMS_PAGE = grammar(
    [SESSION_PROBLEM_TABLE], blank="", total=r"\d+ problems? on \d+ pages?\.")


class SessionChecker(Checker):
    """Adds the calendar's session cell: the session's link, perhaps marked cancelled."""

    def session(self, value: str) -> None:
        self.page(value.removesuffix(" ''(cancelled)''"))


def log_checker(log: SessionLog, taxonomy: Taxonomy, titles: Iterable[str]) -> SessionChecker:
    """Links the session pages may hold: the sessions' pages, the linked files, pages and
    web addresses (percent-encoded), the sharers' user pages."""
    links = [r.link for r in log.resources] + [s.registration for s in log.sessions]
    links += [s.link for s in log.spaces]
    pages = set(titles) | {s.page for s in log.sessions} | {p.page for p in log.problems}
    pages |= {link.target for link in links if link.kind in ("file", "page")}
    return SessionChecker(
        users=known_users(u for s in log.sessions for u in s.sharers),
        pages=known_pages(pages),
        skills=set(taxonomy.skills),
        urls={safe_url(link.target) for link in links if link.kind == "url"},
    )


def areas_of(ids: Iterable[str], taxonomy: Taxonomy) -> set[str]:
    """The areas a session's skills or a space's topics are listed under in the calendar."""
    return {taxonomy.skills[i].area if i in taxonomy.skills else i for i in ids
            if i in taxonomy.skills or i in taxonomy.areas or i in taxonomy.thematic_areas}


def calendar_expectations(log: SessionLog, taxonomy: Taxonomy) -> tuple[list, list, int]:
    """Tables (name, rows), headings, and list items the calendar must have."""
    upcoming = [s for s in log.sessions if s.upcoming(NOW)]
    coming = [s for s in upcoming if s.status != "cancelled"]
    past = sorted((s for s in log.sessions if not s.upcoming(NOW)),
                  key=lambda s: (s.start, s.key), reverse=True)
    months = list(dict.fromkeys(s.month for s in past))
    tables = ([("upcoming", len(upcoming))] if upcoming else [])
    tables += [("spaces", len(log.spaces))] if log.spaces else []
    tables += [("past", sum(s.month == m for s in past)) for m in months]
    regions = [r for r in [*taxonomy.regions, ""]
               if any(s.region == r for s in [*coming, *log.spaces])]
    topics = [a for a in [*taxonomy.areas, *taxonomy.thematic_areas]
              if any(a in areas_of(s.skills, taxonomy) for s in coming)
              or any(a in areas_of(s.topics, taxonomy) for s in log.spaces)]
    others = [s for s in log.spaces if s.other_topics]
    headings = ["Upcoming sessions", "By region"]
    headings += [escape(taxonomy.region_label(r, "en")) if r else EVERY_REGION for r in regions]
    headings += ["By topic", *(escape(taxonomy.area_label(a, "en")) for a in topics)]
    headings += [OTHER_TOPICS] if others else []
    headings += ["Other learning spaces", "Past sessions"]
    headings += [datetime.strptime(m, "%Y-%m").strftime("%B %Y") for m in months]
    items = len(coming) + len(log.spaces) + len(others)
    items += sum(len(areas_of(s.skills, taxonomy)) for s in coming)
    items += sum(len(areas_of(s.topics, taxonomy)) for s in log.spaces)
    return tables, headings, items


def resource_items(log: SessionLog, taxonomy: Taxonomy) -> int:
    """List items of the resource index: the newest, then by skill, then by language."""
    if not log.resources:
        return 0
    listed = {s for area in taxonomy.areas.values() for s in area.skills}
    by_skill = sum(len(set(r.skills) & listed) for r in log.resources)
    by_skill += sum(not set(r.skills) & set(taxonomy.skills) for r in log.resources)
    by_language = sum(max(1, len(set(r.languages))) for r in log.resources)
    return min(10, len(log.resources)) + by_skill + by_language


def check_session_pages(log: SessionLog, taxonomy: Taxonomy, titles: Iterable[str]) -> None:
    """The resource index, the calendar, the problems page and the two exports."""
    checker = log_checker(log, taxonomy, titles)
    text = render_resources(log, taxonomy)
    reading = read_page(text, RESOURCES_PAGE, checker)
    assert reading.lines["item"] == resource_items(log, taxonomy)
    assert reading.lines["empty"] == (not log.resources)
    assert parsed_shapes(text) == []
    check_markup(text, checker)
    tally(reading)

    checker = log_checker(log, taxonomy, titles)
    text = render_calendar(log, taxonomy, NOW)
    reading = read_page(text, CALENDAR_PAGE, checker)
    tables, headings, items = calendar_expectations(log, taxonomy)
    assert reading.tables == tables
    assert reading.headings == headings
    assert reading.lines["session"] + reading.lines["space"] == items
    widths = {"upcoming": 8, "spaces": 6, "past": 6}
    assert parsed_shapes(text) == [[widths[name]] * (rows + 1) for name, rows in tables]
    check_markup(text, checker)
    tally(reading)

    checker = log_checker(log, taxonomy, titles)
    text = render_session_problems(log)
    reading = read_page(text, SESSION_PROBLEMS_PAGE, checker)
    problems = listed_rows(log.problems)
    assert reading.tables == ([("problems", problems)] if problems else [])
    assert parsed_shapes(text) == ([[3] * (problems + 1)] if problems else [])
    check_markup(text, checker)
    tally(reading)

    sessions = json.loads(render_sessions_export(log, "t"))["sessions"]
    assert [s["title"] for s in sessions] == [s.title for s in log.sessions]
    assert [s["page"] for s in sessions] == [s.key for s in log.sessions]
    resources = json.loads(render_resources_export(log, "t"))["resources"]
    assert [(r["title"], r["link"]) for r in resources] == [
        (r.title, r.link.target) for r in log.resources]
    COUNTS["exports checked"] += 2

# --- the round page, the dashboard, the notices ----------------------------------------------

GROUP_TABLE = TableSpec(
    "groups", ("Group", "Skill", "Sharer", "Learners", "Language", "Shared context", "Status"),
    ("text", "skill", "user", "users_list", "text", "text", "text"))
WANTED_TABLE = TableSpec("wanted", ("Skill", "Learners waiting"), ("skill", "number"))
UNMATCHED_TABLE = TableSpec("unmatched", ("Participant", "Skill", "Why"),
                            ("user", "skill", "text"))
ROUND_PAGE = grammar(
    [GROUP_TABLE, WANTED_TABLE, UNMATCHED_TABLE], blank="",
    total=r"'''\d+''' groups, '''\d+''' learners placed, '''\d+''' wishes still open this "
          r"round\.",
    none="''No group this round yet.''", heading3=r"=== (?P<heading>.+) ===")
CHART = 'class="unsortable" | Chart'
DASHBOARD_TABLES = [
    TableSpec("targets", ("Target", "Goal", "Today", 'class="unsortable" | Progress', "Met"),
              ("text", "number", "text", "progress", "text")),
    TableSpec("regions", ("Region", "Participants", "Share", CHART),
              ("text", "number", "text", "bar")),
    TableSpec("countries", ("Country", "Region", "Participants", CHART),
              ("text", "text", "number", "bar")),
    TableSpec("languages", ("Language", "Code", "Participants", CHART),
              ("text", "text", "number", "bar")),
    TableSpec("most wanted", ("Skill", "Learners", "Sharers", CHART),
              ("skill", "number", "number", "bar")),
    TableSpec("most shared", ("Skill", "Sharers", "Learners", CHART),
              ("skill", "number", "number", "bar")),
    TableSpec("months", ("Month", "Sessions held", "Participations", CHART),
              ("text", "number", "number", "bar")),
    TableSpec("coffees", ("Coffees", "Number", CHART), ("text", "number", "bar")),
]
DASHBOARD_PAGE = grammar(
    DASHBOARD_TABLES, blank="", **HEADINGS,
    met=r"'''\d+''' of '''\d+''' targets met\.",
    people=r"'''\d+''' active participants from '''\d+''' countries, speaking '''\d+''' "
           r"languages, in '''\d+''' communities\.",
    nobody=r"''(?:Nobody yet|No country given yet|No language given yet|Nobody has asked for a "
           r"skill yet|Nobody offers a skill yet|No session has been held yet)\.''",
    intro=r"Skills that participants want to learn and no active participant shares\.",
    none=r"Every skill someone wants to learn has at least one sharer\.",
    wanted=r"\* (?P<skill>.+?): \d+ learners?",
    spaces=r"'''\d+''' sessions held \('''\d+''' learning clinics\), '''\d+''' participations"
           r"(?: \(\d+ held sessions give no count\))?; '''\d+''' resources; '''\d+''' other "
           r"learning spaces in the calendar\.",
    rate=r"'''Documentation rate''': [0-9.]+% \(\d+ of \d+ held sessions have at least one "
         r"resource\)\.",
    ideas=r"Ideas for the next clinics: the skills participants most want to learn that had no "
          r"clinic in the last \d+ months and have none planned\.",
    recent=r"Every wanted skill had a clinic recently\.",
    hot=r"# (?P<skill>.+?) \(\d+ learners?\)")
BAR = re.compile(r'(?:<span class="letsconnect-bar" style="display:inline-block;width:\d+\.\d\dem;'
                 r'height:0\.8em;background:#[0-9a-f]{6};vertical-align:middle;"></span>)?')


class DashboardChecker(Checker):
    """Adds the bars: a span of the bot's own style, or nothing."""

    def bar(self, value: str) -> None:
        if not BAR.fullmatch(value):
            self.fail("bar", value)

    def progress(self, value: str) -> None:
        found = re.fullmatch(r'<span style="display:inline-block;width:12\.00em;background:'
                             r'#c8ccd1;vertical-align:middle;line-height:0;">(.*)</span>', value)
        if found is None:
            self.fail("progress bar", value)
        self.bar(found[1])


def check_round_page(result: MatchResult, taxonomy: Taxonomy,
                     statuses: dict[str, str]) -> None:
    """The round's page (its groups, the skills without sharers, who stayed unmatched, each
    a table of its own) and its export."""
    users = {u for g in result.groups for u in g.members} | {u.user for u in result.unmatched}
    skills = {g.skill for g in result.groups} | {u.skill for u in result.unmatched}
    checker = Checker(users=known_users(users), pages=set(),
                      skills=set(taxonomy.skills) | skills | set(result.sharers_wanted))
    text = render_round(result, taxonomy, statuses)
    reading = read_page(text, ROUND_PAGE, checker)
    tables = [("groups", len(result.groups))] if result.groups else []
    tables += [("wanted", len(result.sharers_wanted))] if result.sharers_wanted else []
    tables += [("unmatched", len(result.unmatched))] if result.unmatched else []
    assert reading.tables == tables
    widths = {"groups": 7, "wanted": 2, "unmatched": 3}
    assert parsed_shapes(text) == [[widths[name]] * (rows + 1) for name, rows in tables]
    check_markup(text, checker)
    tally(reading)
    data = json.loads(render_round_export(result, "t"))
    assert [g["sharer"] for g in data["groups"]] == [g.sharer for g in result.groups]
    COUNTS["exports checked"] += 1


def check_dashboard(profiles: Sequence[Profile], log: SessionLog, result: MatchResult,
                    taxonomy: Taxonomy) -> None:
    """The dashboard: a table per figure, bars of the bot's own style, and its export."""
    groups = [CoffeeGroup(ROUND, g.id, g.sharer, g.skill) for g in result.groups]
    statuses = outcome_statuses(log.outcomes)
    settings_ = StatsSettings(targets={"communities": 5, "coffees": 2, "clinics": 1,
                                       "documented_percent": 50},
                              ambassadors=(profiles[0].user,) if profiles else ())
    dashboard = compute_dashboard(profiles, log, groups, statuses, settings_, now=NOW)
    f = dashboard.figures
    skills = {s for p in profiles for s in (*p.share, *p.learn)}
    checker = DashboardChecker(users=set(), pages=set(), skills=set(taxonomy.skills) | skills)
    text = render_dashboard(dashboard, taxonomy)
    reading = read_page(text, DASHBOARD_PAGE, checker)
    rows = [("targets", len(dashboard.targets)), ("regions", len(f["regions"])),
            ("countries", len(f["countries"])), ("languages", len(f["languages"])),
            ("most wanted", len(f["learn_top"])), ("most shared", len(f["share_top"])),
            ("months", len(f["sessions_by_month"])), ("coffees", 3)]
    tables = [(name, n) for name, n in rows if n or name in ("targets", "coffees")]
    assert reading.tables == tables
    assert reading.lines["wanted"] == len(f["sharers_wanted"])
    assert reading.lines["hot"] == len(f["hot_topics"])
    widths = {spec.name: len(spec.headers) for spec in DASHBOARD_TABLES}
    assert parsed_shapes(text) == [[widths[name]] * (n + 1) for name, n in tables]
    check_markup(text, checker, tags=("span",))
    tally(reading)
    json.loads(render_dashboard_export(dashboard, "t"))
    COUNTS["exports checked"] += 1


NOTICE_SETTINGS = TextSettings(task_page="Grants:Knowledge Sharing/Connect/Bot",
                               problems_page="Grants:Knowledge Sharing/Connect/Problems",
                               outcomes_page="Grants:Knowledge Sharing/Connect/Coffees")
NOTICE_MARKER = re.compile(r"<!-- letsconnect-(?:notice:[a-z]+:[0-9a-f]{16}|section:"
                           r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ) -->")
NOTICE_CODE = re.compile(r"<code><nowiki>\{\{(?:Let's Connect/Outcome\|group=(?:\d{4}-\d\d-\d{3,}"
                         r"|[^{}<>\[\]|]*)\|held=yes\|summary=…|bots\|optout=letsconnect-notify)"
                         r"\}\}</nowiki></code>")
NOTICE_FUNCTION = re.compile(r"\{\{(?:GENDER:(?P<user>[^{}\[\]|]*)\|[^{}\[\]|]*\|[^{}\[\]|]*\|"
                             r"[^{}\[\]|]*|#time:[^{}\[\]|]*\|\d{4}-\d\d-\d\d\|[a-z]+)\}\}")
NOTICE_LINK = re.compile(r"\[\[(?P<target>[^\[\]|]+)\|(?P<label>[^\[\]|]*)\]\]")


def check_notice(section: Any, checker: Checker, users: set[str]) -> None:
    """A notice section: the bot's own markers, links, codes and parser functions, then text
    in which nothing starts markup; the signature once, at the end of the footer."""
    assert "\n" not in section.heading and inert(section.heading)
    lines = section.body.split("\n")
    assert re.fullmatch(r'<div lang="[a-z]+" dir="(?:ltr|rtl)">', lines[0]), lines[0]
    assert lines[-1] == "</div>" and lines[-2].endswith(" ~~~~")
    assert section.body.count("~~~") == 1
    accepted = Counter()
    for line in lines[1:-1]:
        rest = line.removesuffix(" ~~~~")
        rest, markers = NOTICE_MARKER.subn("", rest)
        rest, codes = NOTICE_CODE.subn("", rest)
        for found in NOTICE_FUNCTION.finditer(rest):
            assert found["user"] is None or found["user"] in users, found[0]
        rest, functions = NOTICE_FUNCTION.subn("", rest)
        for found in NOTICE_LINK.finditer(rest):
            assert found["target"] in checker.pages, found[0]
            checker.text(found["label"])
        rest, links = NOTICE_LINK.subn("", rest)
        rest = re.sub(r'^\*\* (?:<span lang="en" dir="ltr">(.*)</span>)?', r"\1", rest)
        rest = re.sub(r"^\* ", "", rest).replace("'''", "").replace("''", "")
        checker.text(rest.replace("'", "&#39;"))
        accepted.update(comments=markers, codes=codes, functions=functions, links=links)
    parsed = wtp.parse(section.body)
    assert len(parsed.wikilinks) == accepted["links"]
    # wikitextparser takes GENDER for a template, #time for a parser function.
    calls = [str(c) for c in [*parsed.templates, *parsed.parser_functions]]
    assert len(calls) == accepted["functions"], calls
    assert all(NOTICE_FUNCTION.fullmatch(c) for c in calls), calls
    assert len(parsed.comments) == accepted["comments"]
    assert not parsed.external_links and not parsed.parameters
    tags = Counter(t.name for t in parsed.get_tags())
    assert set(tags) <= {"div", "span", "code", "nowiki"}
    assert tags["nowiki"] == tags["code"] == accepted["codes"]
    COUNTS["links and templates checked"] += accepted["links"] + accepted["functions"]
    COUNTS["notices checked"] += 1


def check_notices(directory: Directory, log: SessionLog, result: MatchResult,
                  taxonomy: Taxonomy) -> None:
    """Sections for a few recipients: problems on their profiles (quoted in full), invitations
    to sessions (titles as written), matches (their groups)."""
    settings_ = NoticeSettings()
    items = profile_items(directory.profiles, directory.problems, {}, settings_)
    items += invite_items(directory.profiles, log.sessions, NOW, settings_)
    items += [Item("match", member, g.id, round=ROUND, group=g)
              for g in result.groups for member in g.members]
    by_user: dict[str, list[Item]] = {}
    for item in items:
        by_user.setdefault(item.user, []).append(item)
    profiles = {p.user: p for p in directory.profiles}
    pages = {NOTICE_SETTINGS.problems_page, NOTICE_SETTINGS.task_page,
             *(s.page for s in log.sessions)}
    pages |= {f"{NOTICE_SETTINGS.outcomes_page}/{ROUND}"} | {p.page for p in directory.profiles}
    users = set(profiles) | {u for g in result.groups for u in g.members}
    checker = Checker(users=users, skills=set(taxonomy.skills),
                      pages=known_pages([*pages, *(f"User talk:{u}" for u in users)]))
    for number, user in enumerate(sorted(by_user)[:6]):
        lang = ("en", "es", "fr", "pt", "ar")[number % 5]
        page = profiles[user].page if user in profiles else f"User:{user}"
        recipient = Recipient(user, page, lang, 1 + number % 2)
        section = render_section(MESSAGES(), taxonomy, NOTICE_SETTINGS, recipient,
                                 sorted(by_user[user], key=lambda i: i.order()), NOW)
        check_notice(section, checker, users)


# --- the generated worlds ------------------------------------------------------------------


@functools.cache
def the_taxonomy() -> Taxonomy:
    """Loaded once: the resolvers' memory then serves every example."""
    return Taxonomy.load()


@functools.cache
def the_vocabulary() -> Vocabulary:
    """The taxonomy's words, gathered once."""
    return vocabulary(the_taxonomy())


@functools.cache
def MESSAGES() -> Messages:  # noqa: N802 - reads like the constant it stands for
    """The notices' messages, read once."""
    return Messages.load()


@dataclass
class World:
    """Profile pages and session logs as the jobs would read them, and the accounts the wiki
    says are blocked or do not exist.  ``bulk`` is the seed of the generated pages added to
    the drawn ones (None: none), so that a failing example prints small: the seed, not the
    hundreds of pages it stands for."""

    profiles: list[GeneratedPage]
    sessions: list[GeneratedPage]
    blocked: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    bulk: int | None = None

    def expanded(self, profiles: int, sessions: int) -> World:
        """The drawn pages and, from the seed, pages until about so many entries of each."""
        more_profiles, more_sessions = list(self.profiles), list(self.sessions)
        if self.bulk is not None:
            src, vocab = RandomSource(self.bulk), the_vocabulary()
            while sum(p.generated for p in more_profiles) < profiles:
                more_profiles.append(profile_page(src, vocab))
            while sum(p.generated for p in more_sessions) < sessions:
                more_sessions.append(session_page(src, vocab))
        return replace(self, profiles=unique_titles(more_profiles),
                       sessions=unique_titles(more_sessions))


def unique_titles(pages: list[GeneratedPage]) -> list[GeneratedPage]:
    """The wiki has one page per title."""
    seen: dict[str, GeneratedPage] = {}
    for page in pages:
        seen.setdefault(page.page.title, page)
    return list(seen.values())


@st.composite
def worlds(draw: Callable[[st.SearchStrategy[Any]], Any]) -> World:
    """A few pages drawn by Hypothesis, the seed of the bulk, and some of the owners blocked
    or missing.  (The bulk is always there: Hypothesis draws its simplest examples first,
    and without it those would check little.)"""
    vocab = the_vocabulary()
    focus = DrawSource(draw)
    profile_pages = [profile_page(focus, vocab) for _ in range(focus.integer(1, 2))]
    session_pages = [session_page(focus, vocab) for _ in range(focus.integer(0, 1))]
    bulk = draw(st.integers(0, 2**32 - 1))
    owners = [page_owner(p.page.title, DIRECTORY_SETTINGS.prefixes) or "Nobody"
              for p in profile_pages]
    blocked = tuple(focus.choice(owners) for _ in range(focus.integer(0, 2)))
    missing = tuple(focus.choice(owners) for _ in range(focus.integer(0, 2)))
    return World(unique_titles(profile_pages), unique_titles(session_pages), blocked, missing,
                 bulk)


DIRECTORY_SETTINGS = DirectorySettings(trusted=frozenset({TRUSTED}))


def count_world(world: World) -> None:
    """Count what an example generated, for the report."""
    COUNTS["pipeline examples"] += 1
    COUNTS["pipeline profile pages"] += len(world.profiles)
    COUNTS["pipeline session-log pages"] += len(world.sessions)
    COUNTS["pipeline profile entries"] += sum(p.generated for p in world.profiles)
    COUNTS["pipeline session-log entries"] += sum(p.generated for p in world.sessions)
    COUNTS["pipeline revisions"] += sum(len(p.page.revisions) for p in world.profiles)


# --- the entry parser --------------------------------------------------------------------------


def check_parsed(pages: Iterable[GeneratedPage]) -> None:
    """Pages whose reading is predicted read back exactly; every page reads into entries
    that keep the parser's promises."""
    names = set(PROFILE_ALIASES.values())
    for generated in pages:
        latest = generated.page.revisions[0].text
        entries = parse_entries(latest, generated.page.title, [PROFILE], PROFILE_ALIASES)
        COUNTS["entries parsed"] += len(entries)
        assert [e.index for e in entries] == list(range(len(entries)))
        for entry in entries:
            assert set(entry.params) <= names
            assert set(entry.duplicates) <= set(entry.params)
            assert set(entry.templated) <= set(entry.params)
            assert all(v == v.strip() for v in entry.params.values())
        if generated.expected is not None:
            assert entries == generated.expected
            COUNTS["entries read back exactly"] += len(entries)


@st.composite
def predictable_pages(draw: Callable[[st.SearchStrategy[Any]], Any]) -> list[GeneratedPage]:
    """Profile pages drawn by Hypothesis alone, so that a misreading shrinks well."""
    src = DrawSource(draw)
    return [profile_page(src, the_vocabulary()) for _ in range(src.integer(1, 3))]


@fuzz_settings(PARSER_EXAMPLES)
@given(predictable_pages())
def test_the_parser_reads_back_what_was_written(pages: list[GeneratedPage]) -> None:
    """Every page read, and where the reading is predicted, read exactly."""
    COUNTS["parser pages"] += len(pages)
    COUNTS["parser entries"] += sum(p.generated for p in pages)
    check_parsed(pages)


# --- the whole pipeline --------------------------------------------------------------------------


def check_profiles(directory: Directory, world: World, taxonomy: Taxonomy) -> None:
    """What the directory made of the pages keeps its promises, and an active owner's
    affiliation is what they wrote (one line of at most 200 characters)."""
    users = [p.user for p in directory.profiles]
    assert len(users) == len(set(users))
    for profile in directory.profiles:
        assert profile.status in ("active", "stale", "blocked", "opted-out", "quarantined")
        assert set(profile.share) | set(profile.learn) <= set(taxonomy.skills)
        assert set(profile.areas) <= set(taxonomy.thematic_areas)
        assert profile.region in taxonomy.regions or profile.region == ""
        assert 0 <= profile.capacity <= 4 and profile.formats
        for text in (profile.affiliation, profile.bio):
            assert "\n" not in text and len(text) <= 200
    for problem in directory.problems:
        assert not re.search(r"\{[a-z_]+\}", problem.message.replace(problem.value, ""))
    expected = {g.page.title: g.expected for g in world.profiles
                if g.expected and len(g.page.revisions) == 1}
    for profile in directory.active():
        entries = [e for e in expected.get(profile.page, ())
                   if page_owner(profile.page, DIRECTORY_SETTINGS.prefixes) == profile.user]
        if entries:
            assert profile.affiliation == one_line(plain_value(entries[-1], "affiliation"))
            COUNTS["values traced to the page"] += 1


def plain_value(entry: Entry, name: str) -> str:
    """A value as the directory reads it: without the templates it reported."""
    value = entry.params.get(name, "")
    return strip_templates(value) if name in entry.templated else value


def one_line(text: str) -> str:
    """Affiliation and bio as the directory keeps them: one line, at most 200 characters."""
    line = " ".join(text.split())
    return line if len(line) <= 200 else line[:199].rstrip() + "…"


@fuzz_settings(PIPELINE_EXAMPLES)
@given(worlds())
def test_hostile_pages_through_every_job(drawn: World) -> None:
    """Pages -> directory, session log, round, dashboard, notices; every output checked."""
    taxonomy = the_taxonomy()
    world = drawn.expanded(BULK_PROFILES, BULK_SESSIONS)
    count_world(world)
    check_parsed(world.profiles)
    directory = build_directory([g.page for g in world.profiles], taxonomy, DIRECTORY_SETTINGS,
                                now=NOW, blocked=world.blocked, missing_users=world.missing)
    COUNTS["profiles"] += len(directory.profiles)
    COUNTS["active profiles"] += len(directory.active())
    COUNTS["problems"] += len(directory.problems)
    check_profiles(directory, world, taxonomy)
    check_directory_pages(directory, taxonomy, [g.page.title for g in world.profiles])

    log = build_log([g.page for g in world.sessions], taxonomy, now=NOW,
                    missing_titles={"File:Recording.webm"}, known_groups={"2026-10-001"})
    COUNTS["sessions"] += len(log.sessions)
    COUNTS["resources"] += len(log.resources)
    check_session_pages(log, taxonomy, [g.page.title for g in world.sessions])

    result = baseline_match(directory.active(), ROUND)
    check_round_page(result, taxonomy, outcome_statuses(log.outcomes))
    check_dashboard(directory.active(), log, result, taxonomy)
    check_notices(directory, log, result, taxonomy)


# --- hostile values handed straight to the renderers --------------------------------------------


@st.composite
def hostile_results(draw: Callable[[st.SearchStrategy[Any]], Any]
                    ) -> tuple[Directory, MatchResult]:
    """Profiles, problems and a round whose every text is hostile: what the renderers must
    survive even if a reader upstream let something through."""
    src = DrawSource(draw)
    taxonomy = the_taxonomy()

    def text() -> str:
        return hostile_text(src, 4)

    def name() -> str:  # ids and list items always show something
        value = text()
        return value if value.strip() and escape(value) else "x"

    def skill_id() -> str:
        return src.choice([*list(taxonomy.skills)[:5], "made-up-skill", name()])

    profiles = tuple(
        Profile(user=name(), page=name(), revision=i,
                status=src.choice(["active", "active", "quarantined", "stale"]),
                region=src.choice([*taxonomy.regions, "", name()]), country=text(),
                languages=(name(), "en"), affiliation=text(),
                share=(skill_id(), skill_id()), learn=(skill_id(),), areas=(name(),),
                consent=src.chance(80), notes=(src.choice(["untrusted", "no-such-user", ""]),))
        for i in range(src.integer(1, 6)))
    problems = tuple(Problem(name(), text(), text(), text(), text(), text())
                     for _ in range(src.integer(0, 4)))
    groups = tuple(Group(id=name(), skill=skill_id(), sharer=name(), learners=(name(), name()),
                         language=src.choice(["es", text()]), context=(f"region:{text()}", name()))
                   for _ in range(src.integer(0, 3)))
    unmatched = tuple(Unmatched(name(), skill_id(), text()) for _ in range(src.integer(0, 3)))
    wanted = {skill_id(): src.integer(1, 9) for _ in range(src.integer(0, 3))}
    return Directory(profiles, problems), MatchResult(ROUND, groups, unmatched, wanted)


@fuzz_settings(OBJECT_EXAMPLES)
@given(hostile_results())
def test_renderers_keep_hostile_values_to_text(drawn: tuple[Directory, MatchResult]) -> None:
    """Directory pages, the round page and the dashboard, from hostile values directly."""
    directory, result = drawn
    taxonomy = the_taxonomy()
    COUNTS["hostile objects"] += len(directory.profiles) + len(directory.problems)
    check_directory_pages(directory, taxonomy, [])
    statuses = {g.id: hostile for g, hostile in zip(result.groups, HOSTILE, strict=False)}
    check_round_page(result, taxonomy, statuses)
    empty = SessionLog((), (), (), (), ())
    check_dashboard(directory.active(), empty, result, taxonomy)


@fuzz_settings(RESOLVER_EXAMPLES)
@given(st.one_of(st.text(max_size=40), st.builds(hostile_text, st.builds(RandomSource,
                                                                           st.integers()))))
def test_resolvers_answer_anything(text: str) -> None:
    """Every resolver answers any text with a known id or nothing, and never raises."""
    taxonomy = the_taxonomy()
    skill, area = taxonomy.resolve_skill(text), taxonomy.resolve_area(text)
    region, country = taxonomy.resolve_region(text), taxonomy.resolve_country(text)
    language = taxonomy.resolve_language(text)
    assert skill.value is None or skill.value in taxonomy.skills
    assert area.value is None or area.value in taxonomy.thematic_areas
    assert region.value is None or region.value in taxonomy.regions
    assert country.value is None or taxonomy.region_of_country(country.value)
    assert language.value is None or taxonomy.resolve_language(language.value).value
    COUNTS["resolver texts"] += 1
