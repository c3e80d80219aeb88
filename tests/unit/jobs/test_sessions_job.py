"""The sessions job end to end on the in-memory wiki: resource index, calendar, exports."""

from __future__ import annotations

import json

from bot.demo.profiles import PROFILE_PREFIX
from bot.demo.sessions import MISSING_FILE
from bot.jobs.sessions import OPTIONS, sessions_job
from tests.unit.jobs.program import (
    CONFIG,
    NOW,
    STAMP,
    edits_by_bot,
    profile,
    run,
    section,
    with_sessions,
)

RESOURCES = CONFIG.pages.resources
CALENDAR = CONFIG.pages.calendar
PROBLEMS = CONFIG.pages.session_problems


def sessions(store):
    return run(sessions_job, store, "sessions", OPTIONS)


def test_the_logs_give_the_index_the_calendar_the_problems_and_the_exports():
    store, demo = with_sessions()
    ran = sessions(store)
    upcoming = [s for s in demo.sessions if s.start > NOW]
    calendar = section(store, CALENDAR, "calendar")
    assert upcoming and all(s.title in calendar for s in upcoming)
    assert "Budgets that tell a story" in section(store, RESOURCES, "resources")
    assert MISSING_FILE.partition(":")[2] in section(store, PROBLEMS, "session-problems")
    exported = json.loads(store.text(CONFIG.export_page("sessions")))
    assert len(exported["sessions"]) == len(demo.sessions)
    assert json.loads(store.text(CONFIG.export_page("resources")))["resources"]
    assert ran.ctx.problems >= 1
    assert ran.lines[-1].startswith(f"sessions: {len(demo.sessions)} sessions")


def test_a_rerun_saves_nothing():
    store, _ = with_sessions()
    sessions(store)
    edits = edits_by_bot(store)
    ran = sessions(store)
    assert edits_by_bot(store) == edits and ran.wiki.counters.changed == 0


def test_a_calendar_page_too_full_of_peoples_text_is_left_alone_and_the_rest_written():
    store, _ = with_sessions(max_article_size=8 * 1024 + 4000)
    store.edit(CALENDAR, "Notes. " * 700, "Helper")
    ran = sessions(store)
    assert store.latest(CALENDAR).user == "Helper"
    assert any(f"[[{CALENDAR}]] left untouched" in line for line in ran.lines)
    assert store.latest(RESOURCES).user == "LetsConnectBot"


def test_a_pages_problems_are_in_the_language_of_whoever_saved_it_last():
    store, _ = with_sessions()
    organiser = "Clinic Organiser"  # saved every page of the demo's session logs
    store.edit(PROFILE_PREFIX + organiser, profile(organiser, lang="es", share="Fundraising"),
               organiser, at=STAMP)
    sessions(store)
    rows = [line for line in section(store, PROBLEMS, "session-problems").splitlines()
            if line.startswith("| <span")]
    assert rows and all(line.startswith('| <span lang="es" dir="ltr">') for line in rows)
    assert any("no existe en el wiki" in line for line in rows)
    assert "does not exist on the wiki" not in section(store, PROBLEMS, "session-problems")


def test_a_page_whose_last_writer_has_no_profile_keeps_its_problems_in_english():
    store, _ = with_sessions()
    sessions(store)
    rows = [line for line in section(store, PROBLEMS, "session-problems").splitlines()
            if line.startswith("| ")]
    assert rows and not any("<span" in line for line in rows)
