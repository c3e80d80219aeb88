"""Hostile text, the taxonomy's words, and the ways a participant writes a value; where
the generators' choices come from (Hypothesis draws or a seeded generator)."""

from __future__ import annotations

import functools
import html
import random
import re
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from hypothesis import strategies as st

from bot.taxonomy import Taxonomy

T = TypeVar("T")


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


# --- read once ---------------------------------------------------------------------------------


@functools.cache
def the_taxonomy() -> Taxonomy:
    """Loaded once: the resolvers' memory then serves every example."""
    return Taxonomy.load()


@functools.cache
def the_vocabulary() -> Vocabulary:
    """The taxonomy's words, gathered once."""
    return vocabulary(the_taxonomy())
