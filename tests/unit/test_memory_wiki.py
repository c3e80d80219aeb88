"""The in-memory wiki keeps the promises its module makes: the behaviours of the real wiki
that the jobs rely on (revisions, base-revision conflicts and merges, missing pages and
``createonly``, blocks, protections, the size limit, ``-simulate``, no-op edits)."""

from __future__ import annotations

import json

import pytest

from bot.wiki.errors import BotBlocked, EditConflict, PageTooBig, SaveRefused, ShutoffError
from bot.wiki.memory import MemoryStore, MemoryWiki, calls, merge3
from bot.wiki.protocol import WikiProtocol

PAGE = "Grants:Knowledge Sharing/Connect/Page"


def run(store: MemoryStore, **options: object) -> MemoryWiki:
    lines: list[str] = []
    wiki = MemoryWiki(store, out=lines.append, **options)  # type: ignore[arg-type]
    wiki.lines = lines  # type: ignore[attr-defined]
    return wiki


def test_it_is_a_wiki_for_the_jobs():
    wiki: WikiProtocol = MemoryWiki()
    assert wiki.username == "LetsConnectBot"
    assert wiki.max_bytes == 2048 * 1024 - 8 * 1024


def test_revisions_have_ids_authors_and_times_in_order():
    store = MemoryStore()
    first = store.edit(PAGE, "one", "Ana")
    second = store.edit(PAGE, "two\n\n", "Bo")
    history = store.history(PAGE)
    assert [r.revid for r in history] == [first, second] and first < second
    assert [r.user for r in history] == ["Ana", "Bo"]
    assert history[0].timestamp < history[1].timestamp
    assert store.text(PAGE) == "two"  # trailing whitespace goes, as on the wiki
    assert store.edit(PAGE, "two", "Cy") == second  # the same text is no edit


def test_titles_are_normalised_as_the_wiki_does():
    store = MemoryStore()
    assert store.normalise("user_talk:ana  maria") == "User talk:Ana maria"
    assert store.normalise("grants:Knowledge_Sharing") == "Grants:Knowledge Sharing"
    assert store.normalise("some page") == "Some page"
    assert store.namespace("User:Ana") == 2 and store.namespace("Main page") == 0


def test_a_save_is_based_on_what_the_run_read():
    store = MemoryStore()
    store.edit(PAGE, "text", "Ana")
    wiki = run(store)
    with pytest.raises(RuntimeError):
        wiki.save("Never read", "x", "summary")
    wiki.read([PAGE])
    assert wiki.save(PAGE, "text\nmore", "summary")
    assert store.text(PAGE) == "text\nmore" and store.latest(PAGE).user == "LetsConnectBot"
    assert wiki.revid(PAGE) == store.latest(PAGE).revid
    assert wiki.counters.changed == 1


def test_no_op_edits_are_not_saved():
    store = MemoryStore()
    revid = store.edit(PAGE, "same", "Ana")
    wiki = run(store)
    wiki.read([PAGE])
    assert not wiki.save(PAGE, "same", "summary")
    assert wiki.counters.unchanged == 1 and store.latest(PAGE).revid == revid


def test_json_pages_are_compared_as_data():
    store = MemoryStore()
    store.edit("Data.json", '{"a": 1, "generated": "yesterday"}', "LetsConnectBot")
    wiki = run(store)
    assert wiki.read_json("Data.json") == {"a": 1, "generated": "yesterday"}
    assert not wiki.save_json("Data.json", {"generated": "today", "a": 1}, "s",
                              ignore=("generated",))
    assert wiki.save_json("Data.json", {"a": 2}, "s")
    assert wiki.read_json("Data.json") == {"a": 2}
    assert wiki.read_json("Missing.json") == {}


def test_an_edit_to_the_same_lines_since_the_read_is_a_conflict():
    store = MemoryStore()
    store.edit(PAGE, "a\nb\nc", "Ana")
    wiki = run(store)
    wiki.read([PAGE])
    store.edit(PAGE, "a\nB by Bo\nc", "Bo")
    with pytest.raises(EditConflict, match="was edited while the bot was working"):
        wiki.save(PAGE, "a\nb by the bot\nc", "summary")
    assert store.text(PAGE) == "a\nB by Bo\nc"


def test_edits_to_lines_apart_are_merged_as_mediawiki_does():
    store = MemoryStore()
    store.edit(PAGE, "intro\n\nmiddle\n\nend", "Ana")
    wiki = run(store)
    wiki.read([PAGE])
    store.edit(PAGE, "intro by Bo\n\nmiddle\n\nend", "Bo")

    def change(text: str) -> str:  # as the jobs' changes: the same again changes nothing
        return text.removesuffix(" by the bot").replace("end", "end by the bot")

    wiki.update(PAGE, change, "summary")
    assert store.text(PAGE) == "intro by Bo\n\nmiddle\n\nend by the bot"
    assert wiki.counters.notes == [
        f"[[{PAGE}]] was edited while the bot was writing; MediaWiki kept both edits"]


def test_update_reads_again_after_a_conflict_and_applies_the_change_to_the_new_text():
    store = MemoryStore()
    store.edit(PAGE, "count: 1", "Ana")
    wiki = run(store)
    wiki.read([PAGE])
    store.before_edit.append(lambda title: store.edit(title, "count: 2", "Bo"))
    wiki.update(PAGE, lambda text: text + " (checked)", "summary")
    assert store.text(PAGE) == "count: 2 (checked)"
    assert "was edited by Bo" in wiki.counters.notes[0]


def test_merge3_keeps_both_edits_only_when_lines_apart():
    base = "1\n2\n3\n4\n5"
    assert merge3(base, "one\n2\n3\n4\n5", "1\n2\n3\n4\nfive") == "one\n2\n3\n4\nfive"
    assert merge3(base, "1\ntwo\n3\n4\n5", "1\n2\nthree\n4\n5") is None  # adjacent
    assert merge3(base, "1\ntwo\n3\n4\n5", "1\nTWO\n3\n4\n5") is None
    assert merge3(base, "1\ntwo\n3\n4\n5", "1\ntwo\n3\n4\n5") == "1\ntwo\n3\n4\n5"


def test_a_page_created_since_it_was_found_missing_is_not_overwritten():
    store = MemoryStore()
    wiki = run(store)
    assert not wiki.read([PAGE])[PAGE].exists
    store.edit(PAGE, "Bo's page", "Bo")
    with pytest.raises(EditConflict):
        wiki.save(PAGE, "the bot's page", "summary")
    assert store.text(PAGE) == "Bo's page"


def test_a_page_created_and_deleted_since_it_was_found_missing_is_a_conflict():
    store = MemoryStore()
    wiki = run(store)
    wiki.read([PAGE])
    store.edit(PAGE, "Bo's page", "Bo")
    store.delete(PAGE)
    with pytest.raises(EditConflict):
        wiki.save(PAGE, "the bot's page", "summary")
    assert store.text(PAGE) is None


def test_a_page_deleted_since_the_read_is_a_conflict():
    store = MemoryStore()
    store.edit(PAGE, "text", "Ana")
    wiki = run(store)
    wiki.read([PAGE])
    store.delete(PAGE)
    with pytest.raises(EditConflict):
        wiki.save(PAGE, "new text", "summary")


def test_protected_pages_a_blocked_bot_and_too_big_texts_are_refused():
    store = MemoryStore(max_article_size=1024)
    store.edit(PAGE, "text", "Ana")
    store.protected.add(PAGE)
    wiki = run(store)
    wiki.read([PAGE, "Other"])
    with pytest.raises(SaveRefused, match="protectedpage"):
        wiki.save(PAGE, "new", "summary")
    with pytest.raises(SaveRefused, match="contenttoobig") as refused:
        wiki.save("Other", "x" * 1025, "summary")
    assert not isinstance(refused.value, PageTooBig)  # the wiki's refusal, not the bot's
    store.block("LetsConnectBot", "testing")
    with pytest.raises(SaveRefused, match="blocked"):
        wiki.save("Other", "small", "summary")
    with pytest.raises(BotBlocked, match="is blocked \\(testing\\)"):
        wiki.check_not_blocked()
    assert store.text("Other") is None and store.text(PAGE) == "text"


def test_simulate_saves_nothing_and_shows_the_diff():
    store = MemoryStore()
    store.edit(PAGE, "old line", "Ana")
    wiki = run(store, simulate=True)
    wiki.read([PAGE])
    assert wiki.save(PAGE, "new line", "summary")
    assert store.text(PAGE) == "old line" and len(store.history(PAGE)) == 1
    assert wiki.counters.changed == 1
    shown = "\n".join(wiki.lines)  # type: ignore[attr-defined]
    assert f"would save [[{PAGE}]]" in shown and "-old line" in shown and "+new line" in shown


def test_the_edit_cap_and_nobots_skip_the_edit():
    store = MemoryStore()
    store.edit(PAGE, "{{nobots}}", "Ana")
    store.edit("Second", "text", "Ana")
    wiki = run(store, max_edits=1)
    wiki.read([PAGE, "Second", "Third"])
    assert not wiki.save(PAGE, "{{nobots}} changed", "summary")
    assert wiki.save("Second", "changed", "summary")
    assert not wiki.save("Third", "new", "summary")
    assert wiki.counters.skipped == 2 and store.text("Third") is None


def test_before_write_is_called_before_each_edit():
    store = MemoryStore()
    wiki = run(store)
    claims: list[str] = []
    wiki.before_write = lambda: claims.append("lease")
    wiki.read(["A", "B"])
    wiki.save("A", "a", "s")
    wiki.save("B", "b", "s")
    assert claims == ["lease", "lease"]


def test_users_can_be_missing_invalid_or_blocked():
    store = MemoryStore()
    store.add_user("Ana", gender="female")
    store.add_user("Bo")
    store.block("Bo")
    facts = run(store).users(["Ana", "Bo", "Nobody", "Bad|name", ""])
    assert facts["Ana"] == {"missing": False, "invalid": False, "blocked": False,
                            "gender": "female"}
    assert facts["Bo"]["blocked"] and facts["Nobody"]["missing"]
    assert facts["Bad|name"]["invalid"] and facts["Bad|name"]["missing"]
    assert "" not in facts


def test_pages_that_use_a_template_in_the_namespaces_asked():
    store = MemoryStore()
    store.edit("User:Ana", "{{Let's Connect/Profile|a=1}}", "Ana")
    store.edit("Grants:X/Bo", "{{let's_Connect/Profile}}", "Bo")
    store.edit("Talk page", "{{Let's Connect/Profile}}", "Cy")
    store.edit("User:Dee", "{{Let's Connect/Profile extra}}", "Dee")
    wiki = run(store)
    found = wiki.embedded_in("Template:Let's Connect/Profile", [2, 200])
    assert [p.title for p in found] == ["Grants:X/Bo", "User:Ana"]
    assert wiki.uses_template(["User:Ana", "Talk page", "User:Dee", "Nowhere"],
                              "Template:Let's Connect/Profile") == {"User:Ana", "Talk page"}
    assert calls("{{ Template:Foo bar |x}}", "Foo bar") and not calls("{{Foobar}}", "Foo")


def test_revisions_by_gives_each_users_newest_revision_and_leaves_out_invalid_names():
    store = MemoryStore()
    store.add_user("Ana")
    old = store.edit("User:Ana", "v1", "Ana")
    new = store.edit("User:Ana", "v2", "Ana")
    store.edit("User:Ana", "vandal", "Vandal")
    wiki = run(store)
    found = wiki.revisions_by({"User:Ana": {"Ana", "Bad|name"}}, [2])
    assert [r.revid for r in found["User:Ana"]] == [new] and old < new
    assert wiki.refused == {"Bad|name"}


def test_a_null_revision_keeps_its_texts_writer():
    store = MemoryStore()
    store.edit("User:Ana", "text", "Ana")
    store.null_edit("User:Ana", "Mover")
    latest = run(store).read(["User:Ana"])["User:Ana"].latest
    assert latest.user == "Mover" and latest.writer == "Ana" and latest.null


def test_missing_titles_as_asked():
    store = MemoryStore()
    store.edit("File:There.png", "x", "Ana")
    wiki = run(store)
    assert wiki.missing(["File:There.png", "file:Gone.png", "Bad[title"]) == {
        "file:Gone.png", "Bad[title"}


def test_the_shutoff_page_stops_the_run_when_it_has_text():
    store = MemoryStore()
    wiki = run(store)
    wiki.check_shutoff("Shutoff")
    store.edit("Shutoff", "stop", "Ana")
    wiki.check_shutoff("Shutoff")  # checked once a run unless asked again
    with pytest.raises(ShutoffError, match="is not empty"):
        wiki.check_shutoff("Shutoff", again=True)


def test_talk_pages_follow_a_rename_and_know_protection_and_the_optout_category():
    store = MemoryStore()
    store.edit("User talk:Old", "#REDIRECT [[User talk:New]]", "Mover")
    store.edit("User talk:New", "hello [[Category:Opted out]]", "New")
    store.edit("User talk:Away", "#REDIRECT [[Project:Elsewhere]]", "Away")
    store.protected.add("User talk:Locked")
    talks = run(store).talk_pages(["Old", "Away", "Locked", "Fresh"], "Category:Opted out")
    assert talks["Old"].title == "User talk:New" and talks["Old"].owner == "New"
    assert talks["Old"].categories == ("Category:Opted out",)
    assert talks["Away"].redirect == "elsewhere" and talks["Away"].owner == "Away"
    assert not talks["Locked"].can_edit and not talks["Fresh"].exists


def test_a_talk_post_is_based_on_the_revision_read():
    store = MemoryStore()
    store.edit("User talk:Ana", "hello", "Ana")
    wiki = run(store)
    page, started = wiki.recheck_talk("Shutoff", "User talk:Ana", "")
    revid = wiki.post_talk(page, "hello\n\n== Notice ==\nmark", "summary", started, "mark")
    assert revid == store.latest("User talk:Ana").revid
    assert wiki.post_talk(page, "hello\n\n== Notice ==\nmark", "s", started, "mark") == revid
    stale = page
    store.edit("User talk:Ana", "hello\n\n== Notice ==\nmark\nreply", "Ana")
    with pytest.raises(EditConflict):
        wiki.post_talk(stale, "hello\n\n== Notice ==\nsecond", "s", started, "x")
    with pytest.raises(PageTooBig):
        wiki.post_talk(page, "x" * (3 * 1024 * 1024), "s", started)


def test_a_json_value_too_large_for_a_page_is_saved_in_parts_and_read_back_whole():
    """The bot's state grows with the program: past the page limit it goes into parts, a
    second save of the same value makes no edit, and one changed record one edit."""
    store = MemoryStore(max_article_size=8 * 1024 + 20_000)
    title = "User:LetsConnectBot/state/notify.json"
    value = {"schema": 1, "sent": {f"match:{i:04d}": {"user": f"User {i}", "kind": "match"}
                                   for i in range(600)}}
    wiki = run(store)
    wiki.read([title])
    assert wiki.save_json(title, value, "remember")
    parts = json.loads(store.text(title) or "{}")["continued_on"]
    assert parts[0] == "User:LetsConnectBot/state/notify/1.json" and len(parts) >= 2
    assert all(len((store.text(t) or "").encode()) <= 20_000 for t in parts)
    again = run(store)
    assert again.read_json(title) == value
    edits = sum(len(store.history(t)) for t in (title, *parts))
    assert not again.save_json(title, value, "remember")
    value["sent"]["match:0007"]["kind"] = "followup"
    assert again.save_json(title, value, "remember")
    assert sum(len(store.history(t)) for t in (title, *parts)) == edits + 1
    assert run(store).read_json(title) == value
