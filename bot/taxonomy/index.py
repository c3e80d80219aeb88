"""Normalised id/label/alias -> entity id(s), with a fuzzy fallback for suggestions."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.taxonomy.model import Resolution, TaxonomyError
from bot.taxonomy.text import normalise

#: Below this similarity (0-100) a fuzzy match is noise, not a typo.
FUZZY_CUTOFF = 86
#: Shorter texts are too short to tell a typo from another word.
FUZZY_MIN_LENGTH = 4

T = TypeVar("T")


class Index:
    """Normalised id/label/alias -> entity id(s), with a fuzzy fallback for suggestions.

    Built once at load; every key belongs to one entity unless it was declared
    ambiguous, so a label can never silently resolve to another skill.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.exact: dict[str, tuple[str, ...]] = {}
        self._claims: dict[str, tuple[str, str]] = {}
        self._fuzzy: dict[str, tuple[tuple[str, ...], str | None]] = {}
        self._choices: list[str] = []
        #: The ambiguous words as written in the file -> their ids, in file order.
        self.ambiguous_words: dict[str, tuple[str, ...]] = {}

    def claim(self, text: str, ident: str, lang: str | None, where: str) -> None:
        key = normalise(text)
        if not key:
            raise TaxonomyError(
                f"{self.source}: {where}: {text!r} has no letters or digits "
                "(expected a word people could type)"
            )
        owner = self._claims.get(key)
        if owner is not None and owner[0] != ident:
            raise TaxonomyError(
                f"{self.source}: {where}: {text!r} is already used by {owner[0]!r} "
                f"({owner[1]}); expected each id, label and alias to belong to one entry "
                "(list words that fit several entries under ambiguous_aliases)"
            )
        if owner is None:
            self._claims[key] = (ident, where)
            self.exact[key] = (ident,)
            self._fuzzy[key] = ((ident,), lang)

    def claim_ambiguous(self, text: str, idents: tuple[str, ...], where: str) -> None:
        key = normalise(text)
        if not key:
            raise TaxonomyError(f"{self.source}: {where}: {text!r} has no letters or digits")
        owner = self._claims.get(key)
        if owner is not None:
            raise TaxonomyError(
                f"{self.source}: {where}: {text!r} is also an id, label or alias of "
                f"{owner[0]!r} ({owner[1]}); expected ambiguous aliases to be used nowhere else"
            )
        known = self.exact.get(key)
        if known is not None and set(known) != set(idents):
            raise TaxonomyError(
                f"{self.source}: {where}: {text!r} is listed twice with different entries"
            )
        self.exact[key] = idents
        self._fuzzy[key] = (idents, None)
        self.ambiguous_words[text] = idents

    def freeze(self) -> None:
        self._choices = list(self._fuzzy)

    def resolve(self, text: str, label: Callable[[str, str], str]) -> Resolution:
        key = normalise(text)
        if not key:
            return Resolution(None)
        found = self.exact.get(key)
        if found is None and "(" in text:
            # "Wikidata (beginner)": the bracket is a qualifier, not part of the answer.
            found = self.exact.get(normalise(re.sub(r"\([^()]*\)", " ", text)))
        if found is not None and len(found) == 1:
            return Resolution(found[0])
        if found is not None:  # declared ambiguous: name the candidates
            return Resolution(None, _join_labels(found, "en", label))
        match = closest(key, self._choices, self._fuzzy)
        if match is None:
            return Resolution(None)
        idents, lang = match
        return Resolution(None, _join_labels(idents, lang or "en", label))


def _join_labels(idents: Iterable[str], lang: str, label: Callable[[str, str], str]) -> str:
    return " / ".join(label(ident, lang) for ident in idents)


def _similarity(a: str, b: str, **kwargs: Any) -> float:  # rapidfuzz's, passed on as they are
    """Plain edit similarity, or the same with words sorted when only the order differs.

    Sorting alone is not enough: a typo in a first letter moves the word.
    """
    return max(fuzz.ratio(a, b, **kwargs), fuzz.token_sort_ratio(a, b, **kwargs))


def closest(key: str, choices: list[str], targets: Mapping[str, T]) -> T | None:
    """The target of the most similar choice, when similar enough to be a typo.

    Word order does not count ("development budget"), swapped letters count
    as one slip; very short texts get no suggestion because almost any two
    short words look alike.
    """
    if len(key) < FUZZY_MIN_LENGTH or not choices:
        return None
    best = process.extractOne(key, choices, scorer=_similarity, score_cutoff=FUZZY_CUTOFF)
    if best is None:
        # One slip in a short word ("Ugnada") costs too many percent; count edits instead.
        allowed = 1 if len(key) <= 8 else 2
        best = process.extractOne(key, choices, scorer=OSA.distance, score_cutoff=allowed)
    if best is None:
        return None
    return targets[best[0]]

