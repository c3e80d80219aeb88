"""The notify job on the in-memory wiki: each participant's notice once, on their talk page."""

from __future__ import annotations

import json
import re

import pytest

from bot.exports import CONTINUED
from bot.jobs.directory import OPTIONS as DIRECTORY_OPTIONS
from bot.jobs.directory import directory_job
from bot.jobs.match import OPTIONS as MATCH_OPTIONS
from bot.jobs.match import match_job
from bot.jobs.notify import OPTIONS, RECHECK_BATCH, notify_job
from bot.limits import byte_size
from bot.wiki.errors import BotBlocked
from bot.wiki.memory import MemoryWiki
from tests.unit.jobs.program import (
    CONFIG,
    NOW,
    ROUND,
    demo_store,
    edits_by_bot,
    run,
    small_program,
)

ITEM = re.compile(r"<!-- letsconnect-notice:([a-z]+):[0-9a-f]{16} -->")
ITEM_ID = re.compile(r"<!-- letsconnect-notice:([a-z]+:[0-9a-f]{16}) -->")
DAY = f"-date:{NOW:%Y-%m-%d}"


def notices(store) -> dict[str, list[str]]:
    return {title: ITEM.findall(revisions[-1].text) for title, revisions in store.pages.items()
            if title.startswith("User talk:") and ITEM.search(revisions[-1].text)}


def test_every_member_of_a_group_hears_once_and_a_rerun_sends_nothing():
    store = small_program()
    run(match_job, store, "match", MATCH_OPTIONS, f"-round:{ROUND}")
    store.edit("User talk:Cy Learner", "Welcome!", "Ana Sharer")
    ran = run(notify_job, store, "notify", OPTIONS, DAY)
    sent = notices(store)
    members = {u for g in json.loads(store.text(CONFIG.state_page("match")))["rounds"][ROUND]
               ["groups"] for u in (g["sharer"], *g["learners"])}
    assert {f"User talk:{u}" for u in members} <= set(sent)
    assert store.text("User talk:Cy Learner").startswith("Welcome!")
    assert "profile" in sent["User talk:Fay Typo"]
    assert ran.wiki.reads[CONFIG.state_page("match")] == 1
    edits = edits_by_bot(store)
    again = run(notify_job, store, "notify", OPTIONS, DAY)
    assert edits_by_bot(store) == edits and notices(store) == sent
    assert again.lines[-1].startswith("notify: 0 sections posted")


def test_a_blocked_bot_stops_before_posting():
    store = small_program()
    run(match_job, store, "match", MATCH_OPTIONS, f"-round:{ROUND}")
    store.block("LetsConnectBot", "testing")
    with pytest.raises(BotBlocked, match=r"is blocked \(testing\)"):
        run(notify_job, store, "notify", OPTIONS, DAY)
    assert notices(store) == {}


def test_the_state_is_saved_once_and_talk_pages_are_read_again_in_one_batch(monkeypatch):
    """Many notices, one save of the state at the end and one re-read of the talk pages just
    before posting: the markers on the talk pages, not the state, keep each notice single."""
    store = small_program()
    run(match_job, store, "match", MATCH_OPTIONS, f"-round:{ROUND}")
    rechecks: list[int] = []
    original = MemoryWiki.recheck_talks

    def counted(self, shutoff_title, asked, category):
        rechecks.append(len(asked))
        return original(self, shutoff_title, asked, category)

    monkeypatch.setattr(MemoryWiki, "recheck_talks", counted)
    ran = run(notify_job, store, "notify", OPTIONS, DAY)
    posted = len(notices(store))
    assert posted >= 5 and ran.wiki.counters.changed >= posted
    assert rechecks == [min(RECHECK_BATCH, posted - i) for i in range(0, posted, RECHECK_BATCH)]
    state = store.history(CONFIG.state_page("notify"))
    assert len([r for r in state if r.user == "LetsConnectBot"]) == 1


def test_a_state_larger_than_a_page_is_kept_in_parts_and_a_rerun_sends_nothing():
    """At 5,000 participants the notices sent are more than a page holds: the state goes
    into parts, each within the wiki's limit, and the next run knows every notice."""
    store = demo_store(60, max_article_size=40_000)
    run(directory_job, store, "directory", DIRECTORY_OPTIONS)
    run(match_job, store, "match", MATCH_OPTIONS, f"-round:{ROUND}")
    first = run(notify_job, store, "notify", OPTIONS, DAY)
    assert not first.notes
    head = json.loads(store.text(CONFIG.state_page("notify")))
    assert len(head[CONTINUED]) >= 2
    for title in (CONFIG.state_page("notify"), *head[CONTINUED]):
        assert byte_size(json.dumps(json.loads(store.text(title)), indent=4)) <= 40_000
    state = MemoryWiki(store).read_json(CONFIG.state_page("notify"))
    posted = {item for title, revisions in store.pages.items() if title.startswith("User talk:")
              for item in ITEM_ID.findall(revisions[-1].text)}
    assert len(posted) > 50 and posted == set(state["sent"])
    edits = edits_by_bot(store)
    again = run(notify_job, store, "notify", OPTIONS, DAY)
    assert again.lines[-1].startswith("notify: 0 sections posted")
    assert edits_by_bot(store) == edits
