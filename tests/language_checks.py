"""What a reader of a page in one language must never see: a sentence of the English
messages, an id where a word belongs, a message the wiki could not find.  Shared by the
unit tests (pages rendered in Python) and the integration tests (pages parsed by the wiki).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.i18n import RTL
from bot.i18n.catalogue import read_catalogue
from bot.i18n.format import SPACE

#: Pieces of markup a message leaves when something went wrong.
BROKEN = ("⧼", "{{PLURAL", "{{GENDER", "{{plural", "{{gender", "<bdi></bdi>")
#: How a raw country code looked on the old pages ("country: KE").
RAW_COUNTRY = re.compile(r"\bcountry: [A-Z]{2}\b")
_CUT = re.compile(r"\{\{PLURAL:\$\d+\||\{\{GENDER:\$\d+\||\||\}\}|\$\d+|&#\d+;|''|[:.,;()…/]")


def english_fragments(prefixes: Iterable[str], lang: str) -> set[str]:
    """The English messages' words (under ``prefixes``) that a page in ``lang`` must not
    show: runs of at least two words or one word of ten letters or more, taken from each
    message whose translation differs, and not found in the translation itself."""
    tables = read_catalogue("letsconnect-")
    english, own = tables["en"], tables.get(lang, {})
    fragments: set[str] = set()
    for key, text in english.items():
        if not key.startswith(tuple(prefixes)) or key not in own or own[key] == text:
            continue
        translated = own[key].replace(SPACE, " ")
        for piece in _CUT.split(text.replace(SPACE, " ")):
            piece = " ".join(piece.split())
            words = piece.split()
            if (len(words) >= 2 or len(piece) >= 10) and piece not in translated:
                fragments.add(piece)
    return fragments


def english_left(text: str, prefixes: Iterable[str], lang: str) -> list[str]:
    """The English fragments present in ``text`` (a page in ``lang``)."""
    return sorted(f for f in english_fragments(prefixes, lang) if f in text)


def raw_ids(text: str, ids: Iterable[str]) -> list[str]:
    """Ids (skills, regions, areas: lowercase with hyphens) standing alone in ``text``, or an
    old "region: ssa" / "country: KE" pair."""
    found = RAW_COUNTRY.findall(text)
    for ident in ids:
        if re.search(rf"\b(?:region|area|skill): {re.escape(ident)}\b", text):
            found.append(f"…: {ident}")
        if "-" in ident and re.search(rf"(?<![\w/-]){re.escape(ident)}(?![\w-])", text):
            found.append(ident)
    return found


def own_language_only(html_text: str, lang: str) -> str:
    """``html_text`` without the parts marked as written in another language (a problem
    line told in its owner's language, the language bar's names): what the page says in
    its own words.  A line in another language that is not marked stays, and is caught."""
    return re.sub(r'<(span|b|bdi|div)\b[^>]*\blang="(?!' + re.escape(lang) + r'")[^"]*"[^>]*>'
                  r".*?</\1>", " ", html_text, flags=re.S)


def broken(text: str) -> list[str]:
    return [piece for piece in BROKEN if piece in text]


def version_faults(text: str, prefixes: Iterable[str], ids: Iterable[str], lang: str
                   ) -> list[str]:
    """Everything wrong with a generated page's version in ``lang`` (not English): English
    left, raw ids, broken messages, a missing block naming its language and direction."""
    rtl = "rtl" if lang in RTL else "ltr"
    faults = [f"English: {f}" for f in english_left(text, prefixes, lang)]
    faults += [f"id: {i}" for i in raw_ids(text, ids)]
    faults += [f"broken: {b}" for b in broken(text)]
    if not text.startswith(f'<div lang="{lang}" dir="{rtl}"'):
        faults.append("not marked with its language and direction")
    return faults
