"""Generated profile pages: entries of every kind on pages of every kind, with one to three
revisions, and, where it is predictable, what the parser must read from them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import timedelta

from bot.directory.fields import PROFILE_ALIASES
from bot.directory.settings import DirectorySettings
from bot.model import Entry, PageData, Revision
from bot.wikitext.entries import parse_entries
from tests.fuzz.run import COUNTS, NOW
from tests.fuzz.text import (
    NOT_STORED,
    OTHERS,
    OWNERS,
    Source,
    Value,
    Vocabulary,
    entity_encoded,
    hostile_text,
    list_text,
    param_spelling,
    written,
)

PREFIX = "Grants:Knowledge Sharing/Connect/Directory/"
SHARED = "Grants:Knowledge Sharing/Connect/Directory"
LISTS = "Grants:Knowledge Sharing/Connect/Participants/"  # shared lists: no owner in the title
PROFILE = "Let's Connect/Profile"
TRUSTED = "Wg Member"

#: The directory's settings in every run: TRUSTED is the working group.
DIRECTORY_SETTINGS = DirectorySettings(trusted=frozenset({TRUSTED}))

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
