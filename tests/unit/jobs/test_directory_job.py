"""The directory job end to end on the in-memory wiki: read, compute, render, write."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from bot.demo.profiles import PROFILE_PREFIX
from bot.jobs.directory import OPTIONS, directory_job, stamp
from tests.unit.jobs.program import (
    CONFIG,
    edits_by_bot,
    profile,
    run,
    section,
    small_program,
)

DIRECTORY = CONFIG.pages.directory
PROBLEMS = CONFIG.pages.problems
SKILLS = CONFIG.pages.by_skill
STATE = CONFIG.state_page("directory")


def directory(store, *args):
    return run(directory_job, store, "directory", OPTIONS, *args)


def test_a_first_run_writes_every_page_and_remembers_the_profiles():
    store = small_program()
    ran = directory(store)
    table = section(store, DIRECTORY, "directory")
    assert "Ana Sharer" in table and "Cy Learner" in table
    assert "basiks" in section(store, PROBLEMS, "problems")
    assert "Ana Sharer" in section(store, SKILLS, "skills")
    export = json.loads(store.text(CONFIG.export_page("directory")))
    assert {p["user"] for p in export["participants"]} >= {"Ana Sharer", "Ben Sharer"}
    state = json.loads(store.text(STATE))
    assert set(state["inputs"]) == {PROFILE_PREFIX + user for user in (
        "Ana Sharer", "Ben Sharer", "Cy Learner", "Dee Learner", "Eli Learner", "Fay Typo")}
    # three pages in five languages, the export, the state
    assert ran.ctx.problems >= 1 and ran.wiki.counters.changed == 3 * 5 + 2
    assert store.latest(DIRECTORY).user == "LetsConnectBot"


def test_a_rerun_with_no_profile_changed_reads_no_text_and_saves_nothing():
    store = small_program()
    directory(store)
    edits = edits_by_bot(store)
    ran = directory(store)
    assert edits_by_bot(store) == edits
    assert ran.lines == ["directory: no profile changed since the last full run (6 profiles)"]
    full = directory(store, "-full")  # reads everything again; only the time of the run is new
    assert full.wiki.counters.changed == 0 and edits_by_bot(store) == edits
    # The time of that full read is kept as a note, no edit: the next run is idle again.
    assert "directory-read" in store.notes
    again = directory(store)
    assert again.lines == ["directory: no profile changed since the last full run (6 profiles)"]


def test_a_changed_profile_changes_the_directory():
    store = small_program()
    directory(store)
    store.edit(PROFILE_PREFIX + "Cy Learner", "{{Let's Connect/Profile\n|country = Brazil\n"
               "|languages = Portuguese\n|learn = Fundraising\n|consent = yes\n}}", "Cy Learner")
    directory(store)
    assert "Brazil" in section(store, DIRECTORY, "directory")


def test_a_person_editing_the_table_meanwhile_is_read_again_and_the_table_rewritten():
    store = small_program()
    directory(store)
    store.edit(PROFILE_PREFIX + "Eli Learner", store.text(PROFILE_PREFIX + "Eli Learner")
               .replace("Governance", "Fundraising"), "Eli Learner")
    table = section(store, DIRECTORY, "directory")

    def person_edits_the_table(title):
        if title == DIRECTORY and store.latest(title).user == "LetsConnectBot":
            store.edit(title, store.text(title).replace(table, table + "\n| hand-made row"),
                       "Helper")

    store.before_edit.append(person_edits_the_table)
    ran = directory(store)
    assert "hand-made row" not in store.text(DIRECTORY)
    assert "Helper" in [r.user for r in store.history(DIRECTORY)[-3:]]
    assert store.latest(DIRECTORY).user == "LetsConnectBot"
    assert any("generated part" in n for n in ran.notes)


def test_a_person_editing_elsewhere_on_the_page_keeps_their_edit():
    store = small_program()
    directory(store)
    store.edit(DIRECTORY, "Intro by a person.\n\n" + store.text(DIRECTORY), "Helper")
    store.edit(PROFILE_PREFIX + "Ana Sharer", store.text(PROFILE_PREFIX + "Ana Sharer")
               .replace("Kenya", "Ghana"), "Ana Sharer")
    hooked = []

    def person_edits_the_intro(title):
        if title == DIRECTORY and not hooked:
            hooked.append(title)
            store.edit(title, store.text(title).replace("Intro by a person.",
                                                        "A better intro."), "Helper")

    store.before_edit.append(person_edits_the_intro)
    ran = directory(store)
    text = store.text(DIRECTORY)
    assert text.startswith("A better intro.") and "Ghana" in section(store, DIRECTORY,
                                                                     "directory")
    assert any("MediaWiki kept both edits" in n for n in ran.notes)


def test_a_page_too_big_keeps_the_first_lines_and_says_how_many_were_left_out():
    whole = small_program()
    directory(whole)
    size = len(whole.text(DIRECTORY).encode())
    store = small_program(max_article_size=8 * 1024 + size * 2 // 3)
    ran = directory(store)
    text = store.text(DIRECTORY)
    assert len(text.encode()) <= size * 2 // 3
    assert any("lines of the directory were left out" in n for n in ran.notes)


def test_a_page_whose_own_text_is_too_big_is_left_alone_and_reported():
    store = small_program(max_article_size=8 * 1024 + 3000)
    store.edit(PROBLEMS, "People's notes. " * 400, "Helper")
    ran = directory(store)
    assert store.latest(PROBLEMS).user == "Helper"
    assert any(f"[[{PROBLEMS}]] left untouched" in line for line in ran.lines)
    assert store.latest(DIRECTORY).user == "LetsConnectBot"


def test_simulate_saves_nothing():
    store = small_program()
    ran = run(directory_job, store, "directory", OPTIONS, simulate=True)
    assert edits_by_bot(store) == 0 and ran.wiki.counters.changed == 3 * 5 + 2
    assert any(line.startswith("\n--- would save") for line in ran.lines)


def test_only_a_change_to_a_profile_page_makes_a_run_read_the_profiles():
    """The first request (the state and Recent changes) decides: an edit of a page that is
    no profile keeps the run idle; a new profile page, or a profile deleted, does not."""
    store = small_program()
    directory(store)
    store.edit("User:Ana Sharer/Notes", "Just notes, no profile.", "Ana Sharer")
    assert directory(store).lines[0].startswith("directory: no profile changed")
    store.edit("User:Gil New/Profile", "{{Let's Connect/Profile\n|country = Chile\n"
               "|languages = Spanish\n|learn = Fundraising\n|consent = yes\n}}", "Gil New")
    store.add_user("Gil New")
    assert directory(store).lines == []  # read everything again
    assert "Gil New" in section(store, DIRECTORY, "directory")
    store.delete(PROFILE_PREFIX + "Cy Learner")
    ran = directory(store)
    assert ran.lines == [] and "Cy Learner" not in section(store, DIRECTORY, "directory")


@pytest.mark.parametrize(("title", "user", "country"), [
    (PROFILE_PREFIX + "Cy Learner", "Cy Learner", "Brazil"),  # a profile the run used
    ("User:Gil New/Profile", "Gil New", "Chile"),  # a page that becomes a profile
])
def test_an_edit_stamped_before_a_full_read_and_saved_after_it_is_read_by_the_next_run(
    title, user, country
):
    """MediaWiki stamps a revision when its save begins and shows it once the save commits
    (seconds later on a busy wiki, more on a lagging replica): an edit stamped just before a
    full run's first request can be missing from what that run read.  The next run finds it
    in Recent changes, older than the time of that read, and reads everything again."""
    store = small_program()
    store.add_user(user)
    directory(store)
    read_at = json.loads(store.text(STATE))["read_at"]
    began = datetime.fromisoformat(read_at.replace("Z", "+00:00")) - timedelta(seconds=3)
    store.edit(title, profile(user, country=country, learn="Fundraising"), user,
               at=stamp(began))
    assert directory(store).lines == []  # read everything again
    assert country in section(store, DIRECTORY, "directory")
    assert directory(store).lines[0].startswith("directory: no profile changed")
