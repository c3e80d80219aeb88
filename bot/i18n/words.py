"""The words every generated page shares, in any language of the program: numbers, lists,
"…and 7 more", the note at the end of a section cut short, the bar of languages.

Their texts are the ``letsconnect-page-`` messages of the catalogue; each feature's own
texts are in its message group (``bot/i18n/<feature>/``).  Pure: values in, text out.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n.catalogue import messages

__all__ = ["and_more", "join", "left_out_note", "more_problems_text", "number", "text"]


#: The page message ``letsconnect-page-<key>`` in ``lang``: ``text(key, lang, *params)``.
text = messages("letsconnect-page-")


def number(n: int, lang: str) -> str:
    """``n`` with its digits grouped in threes by the language's separator ("7,767",
    "7.767", "7 767")."""
    digits = f"{abs(n):,}".replace(",", text("thousands-separator", lang))
    return f"-{digits}" if n < 0 else digits


def join(items: Sequence[str], lang: str) -> str:
    """Items of a list (wikitext) in one line, with the language's comma ("، " in Arabic)."""
    return text("comma-separator", lang).join(items)


def and_more(items: Sequence[str], total: int, noun: str, lang: str) -> str:
    """The items joined, then how many of ``total`` were left out ("…, and 3 more
    languages").  ``noun`` names the message: ``more-languages``, ``more-sharers``…"""
    listed = join(items, lang)
    left = total - len(items)
    if left <= 0:
        return listed
    more = text(noun, lang, number(left, lang))
    return f"{listed}{text('comma-separator', lang)}{more}" if listed else more


def more_problems_text(count: int, where: str, lang: str) -> str:
    """The line that stands for the problems of an entry (or a page) not listed."""
    return text(f"more-problems-{where}", lang, number(count, lang))


def left_out_note(count: int, limit: int, lang: str) -> str:
    """The visible note at the end of a section cut short to fit the wiki's size limit."""
    return "''" + text("left-out", lang, number(count, lang), number(limit // 1024, lang)) + "''"
