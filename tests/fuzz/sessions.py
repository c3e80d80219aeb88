"""Generated session-log pages: sessions, resources, outcomes and spaces."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from bot.model import PageData, Revision
from bot.sessions.vocabulary import ALIASES as SESSION_ALIASES
from bot.sessions.vocabulary import PARAMS as SESSION_PARAMS
from tests.fuzz.profiles import GeneratedPage, make_template, page_body, person
from tests.fuzz.run import NOW
from tests.fuzz.text import Source, Vocabulary, hostile_text, list_text

SESSIONS = "Grants:Knowledge Sharing/Connect/Sessions/"

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
