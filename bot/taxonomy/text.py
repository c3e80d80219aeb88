"""Text as participants type it: the form answers are compared in, and lists split into items.

Used everywhere answers are read (the directory, the session logs, the figures).
"""

from __future__ import annotations

import re
import unicodedata

# Arabic letters people type interchangeably (and Persian keyboard forms), and the tatweel.
_ARABIC_FOLD = str.maketrans({"ى": "ي", "ة": "ه", "ی": "ي", "ک": "ك", "ٱ": "ا", "ـ": None})


def normalise(text: str) -> str:
    """The form texts are compared in: what people vary without meaning something else.

    Case, accents and Arabic diacritics, hyphens, underscores, punctuation and
    runs of spaces all go: "Évaluation", "evaluation" and " EVALUATION. " are
    the same answer.  Punctuation becomes a space rather than vanishing so
    that "Art+Feminism" stays two words.
    """
    # Casefold between two decompositions: some compatibility forms decompose to capitals ("㎒").
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", str(text)).casefold())
    return " ".join(fold_marks(text).split())


def label_order(label: str) -> tuple[str, str]:
    """The key that sorts labels as a reader of any of the program's languages expects:
    accents and case set aside ("Édition" beside "edition"), Arabic letters people write
    interchangeably together; the label itself breaks ties, so the order is total."""
    return fold_marks(unicodedata.normalize("NFKD", label)).casefold(), label


def fold_marks(decomposed: str) -> str:
    """Combining marks dropped, punctuation and symbols as spaces, and the Arabic letters
    people type interchangeably folded together, in a text already decomposed (NFKD).
    Shared by :func:`normalise` and the looser key the on-wiki module can redo in Lua."""
    kept = []
    for ch in decomposed:
        category = unicodedata.category(ch)
        if category == "Mn":
            continue
        kept.append(" " if category[0] in "PS" else ch)
    return "".join(kept).translate(_ARABIC_FOLD)


_BREAK_TAGS = re.compile(r"<br\s*/?\s*>|\{\{\s*(?:·|•|bull)\s*\}\}", re.IGNORECASE)
_SPACED_DOTS = re.compile(r"\s[·・]\s")
_LIST_MARKER = re.compile(r"^[*#:•●▪‣◦\-–—]+\s*")
_INLINE_SEPARATORS = frozenset(",;،؛、，；•●▪‣◦")
_BRACKETS = {")": "(", "]": "[", "}": "{", "）": "（"}


def split_list(text: str) -> list[str]:
    """Items of a list a participant typed, in their order.

    Commas (Latin, Arabic, ideographic), semicolons, newlines, ``<br>`` and
    bullets separate items; wikitext list markers at the start of an item are
    dropped.  Commas inside balanced brackets do not split, so "Wikimedia tools
    (PAWS, Quarry, WDQS)" and ``[[Page, with comma]]`` stay whole.  A lone
    middle dot only separates when spaced, because Catalan writes "l·l".
    """
    if not text:
        return []
    text = _SPACED_DOTS.sub("•", _BREAK_TAGS.sub("\n", str(text)))
    items = []
    for line in text.splitlines():
        for part in _split_outside_brackets(line):
            item = _LIST_MARKER.sub("", part.strip()).strip()
            if item:
                items.append(item)
    return items


def _split_outside_brackets(line: str) -> list[str]:
    protected = _bracketed_positions(line)
    parts, start = [], 0
    for i, ch in enumerate(line):
        if ch in _INLINE_SEPARATORS and i not in protected:
            parts.append(line[start:i])
            start = i + 1
    parts.append(line[start:])
    return parts


def _bracketed_positions(line: str) -> set[int]:
    """Positions inside a matched bracket pair; an unmatched bracket protects nothing."""
    stack: list[tuple[str, int]] = []
    protected: set[int] = set()
    for i, ch in enumerate(line):
        if ch in "([{（":
            stack.append((ch, i))
        elif ch in _BRACKETS:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == _BRACKETS[ch]:
                    protected.update(range(stack[depth][1], i + 1))
                    del stack[depth:]
                    break
    return protected

