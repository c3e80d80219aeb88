"""The taxonomy's values: skills, areas, regions, what a text resolved to, and the error
that names what is wrong in a config file."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from bot.i18n import LANGUAGES

#: The program's languages: each finds a label along its fallback chain (bot.i18n).
LANGS = LANGUAGES  # the one list: bot/i18n/languages.json


class TaxonomyError(ValueError):
    """The taxonomy files are unusable; the message names the file, the entry and the fix."""


@dataclass(frozen=True)
class Resolution:
    """What a participant's text was understood as.

    ``value`` is the canonical id or code, ``None`` when not understood; a
    ``suggestion`` is only given when something close exists, so that callers
    can tell "a typo" (ask them) from "noise" (just report it).
    """

    value: str | None
    suggestion: str | None = None

    @property
    def ok(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Skill:
    """One skill; ``labels`` stay out of the hash so skills can be set members."""

    id: str
    area: str
    labels: dict[str, str] = field(hash=False)
    aliases: tuple[str, ...] = ()
    #: The Wikidata item ("Q2013"), "" where none fits: exports carry it so that other
    #: tools know the skill without our ids.
    qid: str = ""
    #: The Capacity Exchange capacities (CapX skill codes) this skill stands for.
    capx: tuple[int, ...] = ()

    def identity(self) -> dict[str, str | list[int]]:
        """What other tools know the skill by, for the exports: its Wikidata item and its
        CapX capacities (each only when there is one)."""
        found: dict[str, str | list[int]] = {}
        if self.qid:
            found["qid"] = self.qid
        if self.capx:
            found["capx"] = list(self.capx)
        return found


def identities(skills: Mapping[str, Skill], named: Collection[str]
               ) -> dict[str, dict[str, str | list[int]]]:
    """Skill id -> its identity (:meth:`Skill.identity`) for the ``named`` skills that
    have one, in the taxonomy's order: the ``skills`` part of the exports."""
    return {s: skill.identity() for s, skill in skills.items()
            if s in named and skill.identity()}


@dataclass(frozen=True)
class Area:
    """A skill area (``skills`` in yaml order) or a thematic area (``skills=()``)."""

    id: str
    labels: dict[str, str] = field(hash=False)
    skills: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    qid: str = ""


@dataclass(frozen=True)
class Region:
    """A Wikimedia region; ``countries`` are ISO 3166-1 alpha-2 codes, in file order."""

    id: str
    labels: dict[str, str] = field(hash=False)
    countries: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

