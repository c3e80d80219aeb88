"""Hostile pages through every job: directory, session log, round, dashboard, notices."""

from __future__ import annotations

import re

from hypothesis import given

from bot.directory.build import Directory, build_directory
from bot.directory.owners import page_owner
from bot.matching.round import baseline_match
from bot.model import Entry
from bot.sessions.build import build_log, outcome_statuses
from bot.taxonomy import Taxonomy
from bot.wikitext.entries import strip_templates
from tests.fuzz.pages import (
    check_dashboard,
    check_directory_pages,
    check_notices,
    check_round_page,
    check_session_pages,
)
from tests.fuzz.profiles import DIRECTORY_SETTINGS, check_parsed
from tests.fuzz.run import (
    BULK_PROFILES,
    BULK_SESSIONS,
    COUNTS,
    NOW,
    PIPELINE_EXAMPLES,
    ROUND,
    fuzz_settings,
)
from tests.fuzz.text import the_taxonomy
from tests.fuzz.worlds import World, count_world, worlds


def check_profiles(directory: Directory, world: World, taxonomy: Taxonomy) -> None:
    """What the directory made of the pages keeps its promises, and an active owner's
    affiliation is what they wrote (one line of at most 200 characters)."""
    users = [p.user for p in directory.profiles]
    assert len(users) == len(set(users))
    for profile in directory.profiles:
        assert profile.status in ("active", "stale", "blocked", "opted-out", "quarantined")
        assert set(profile.share) | set(profile.learn) <= set(taxonomy.skills)
        assert set(profile.areas) <= set(taxonomy.thematic_areas)
        assert profile.region in taxonomy.regions or profile.region == ""
        assert 0 <= profile.capacity <= 4 and profile.formats
        for text in (profile.affiliation, profile.bio):
            assert "\n" not in text and len(text) <= 200
    for problem in directory.problems:
        assert not re.search(r"\{[a-z_]+\}", problem.message.replace(problem.value, ""))
    expected = {g.page.title: g.expected for g in world.profiles
                if g.expected and len(g.page.revisions) == 1}
    for profile in directory.active():
        entries = [e for e in expected.get(profile.page, ())
                   if page_owner(profile.page, DIRECTORY_SETTINGS.prefixes) == profile.user]
        if entries:
            assert profile.affiliation == one_line(plain_value(entries[-1], "affiliation"))
            COUNTS["values traced to the page"] += 1


def plain_value(entry: Entry, name: str) -> str:
    """A value as the directory reads it: without the templates it reported."""
    value = entry.params.get(name, "")
    return strip_templates(value) if name in entry.templated else value


def one_line(text: str) -> str:
    """Affiliation and bio as the directory keeps them: one line, at most 200 characters."""
    line = " ".join(text.split())
    return line if len(line) <= 200 else line[:199].rstrip() + "…"


@fuzz_settings(PIPELINE_EXAMPLES)
@given(worlds())
def test_hostile_pages_through_every_job(drawn: World) -> None:
    """Pages -> directory, session log, round, dashboard, notices; every output checked."""
    taxonomy = the_taxonomy()
    world = drawn.expanded(BULK_PROFILES, BULK_SESSIONS)
    count_world(world)
    check_parsed(world.profiles)
    directory = build_directory([g.page for g in world.profiles], taxonomy, DIRECTORY_SETTINGS,
                                now=NOW, blocked=world.blocked, missing_users=world.missing)
    COUNTS["profiles"] += len(directory.profiles)
    COUNTS["active profiles"] += len(directory.active())
    COUNTS["problems"] += len(directory.problems)
    check_profiles(directory, world, taxonomy)
    check_directory_pages(directory, taxonomy, [g.page.title for g in world.profiles])

    log = build_log([g.page for g in world.sessions], taxonomy, now=NOW,
                    missing_titles={"File:Recording.webm"}, known_groups={"2026-10-001"})
    COUNTS["sessions"] += len(log.sessions)
    COUNTS["resources"] += len(log.resources)
    check_session_pages(log, taxonomy, [g.page.title for g in world.sessions])

    result = baseline_match(directory.active(), ROUND)
    check_round_page(result, taxonomy, outcome_statuses(log.outcomes))
    check_dashboard(directory.active(), log, result, taxonomy)
    check_notices(directory, log, result, taxonomy)
