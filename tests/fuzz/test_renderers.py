"""Hostile values handed straight to the renderers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from bot.directory.build import Directory
from bot.matching.values import Group, MatchResult, Unmatched
from bot.model import Problem, Profile
from bot.sessions.model import SessionLog
from bot.wikitext.tables import escape
from tests.fuzz.pages import check_dashboard, check_directory_pages, check_round_page
from tests.fuzz.run import COUNTS, OBJECT_EXAMPLES, ROUND, fuzz_settings
from tests.fuzz.text import HOSTILE, DrawSource, hostile_text, the_taxonomy


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
