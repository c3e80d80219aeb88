"""The stats job end to end on the in-memory wiki: profiles, logs and groups in, dashboard out."""

from __future__ import annotations

import json

from bot.jobs.match import OPTIONS as MATCH_OPTIONS
from bot.jobs.match import match_job
from bot.jobs.stats import OPTIONS, stats_job
from tests.unit.jobs.program import CONFIG, PEOPLE, ROUND, edits_by_bot, run, section, with_sessions

DASHBOARD = CONFIG.pages.dashboard
EXPORT = CONFIG.export_page("dashboard")


def program():
    store, _ = with_sessions()
    run(match_job, store, "match", MATCH_OPTIONS, f"-round:{ROUND}")
    return store


def test_the_dashboard_and_its_export_count_the_program():
    store = program()
    ran = run(stats_job, store, "stats", OPTIONS)
    figures = json.loads(store.text(EXPORT))["figures"]
    assert figures["participants"] == len(PEOPLE)
    assert figures["resources"] >= 1 and figures["spaces"] >= 1
    assert section(store, DASHBOARD, "dashboard").strip()
    assert ran.lines and all(line.startswith("stats: ") for line in ran.lines)
    assert ran.wiki.reads[CONFIG.state_page("match")] == 1  # the match state: once a run


def test_a_rerun_saves_nothing_and_a_person_editing_the_dashboard_meanwhile_is_read_again():
    store = program()
    run(stats_job, store, "stats", OPTIONS)
    edits = edits_by_bot(store)
    run(stats_job, store, "stats", OPTIONS)
    assert edits_by_bot(store) == edits

    store.edit("Grants:Knowledge Sharing/Connect/Directory/Gus New",
               "{{Let's Connect/Profile\n|country = Peru\n|languages = Spanish\n"
               "|learn = Governance\n|consent = yes\n}}", "Gus New")
    store.add_user("Gus New")
    table = section(store, DASHBOARD, "dashboard")
    hooked: list[str] = []

    def person_edits_the_dashboard(title):
        if title == DASHBOARD and not hooked:
            hooked.append(title)
            store.edit(title, store.text(title).replace(table, table + "\nhand-made"), "Helper")

    store.before_edit.append(person_edits_the_dashboard)
    ran = run(stats_job, store, "stats", OPTIONS)
    assert "hand-made" not in store.text(DASHBOARD)
    assert any("generated part" in note for note in ran.notes)
