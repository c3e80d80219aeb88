"""Worlds: profile pages and session logs as the jobs read them, a few drawn by Hypothesis
(so that a failure shrinks), the bulk from a seed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from hypothesis import strategies as st

from bot.directory.owners import page_owner
from tests.fuzz.profiles import DIRECTORY_SETTINGS, GeneratedPage, profile_page
from tests.fuzz.run import COUNTS
from tests.fuzz.sessions import session_page
from tests.fuzz.text import DrawSource, RandomSource, the_vocabulary


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


def count_world(world: World) -> None:
    """Count what an example generated, for the report."""
    COUNTS["pipeline examples"] += 1
    COUNTS["pipeline profile pages"] += len(world.profiles)
    COUNTS["pipeline session-log pages"] += len(world.sessions)
    COUNTS["pipeline profile entries"] += sum(p.generated for p in world.profiles)
    COUNTS["pipeline session-log entries"] += sum(p.generated for p in world.sessions)
    COUNTS["pipeline revisions"] += sum(len(p.page.revisions) for p in world.profiles)
