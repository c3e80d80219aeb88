"""Nothing one entry holds makes a generated page or a notice too big for the wiki.

A profile with 8,000 skills the program does not know (an 87 kB entry) used to
give 8,000 rows on the problems page (over the wiki's 2 MiB: the save was
refused and the job stopped on every run) and a notice of a megabyte.  These
tests build that profile and check what each page and notice makes of it; then
the last guard before a save (a section cut at whole lines with a visible note)
and the talk-page check.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from types import SimpleNamespace

import pycountry
import pytest
import wikitextparser as wtp

from bot.directory.build import Directory, build_directory
from bot.directory.pages import render_directory, render_export, render_problems
from bot.directory.settings import DirectorySettings
from bot.exports import split_export
from bot.jobs.common import Context, write_section
from bot.limits import PER_ENTRY, byte_size, fit_lines, left_out_note
from bot.model import PageData, Problem, Profile, Revision
from bot.notices.decide import NoticeSettings, TalkPage, profile_items
from bot.notices.state import NoticeState
from bot.notices.text import LANGS, Messages, Recipient, TextSettings, render_section
from bot.sessions.model import NO_LINK, Resource, SessionLog
from bot.sessions.pages import render_resources, render_session_problems
from bot.taxonomy import Taxonomy
from bot.wiki import talk
from bot.wiki.edits import allowed_bytes
from bot.wiki.errors import PageTooBig

NOW = datetime(2025, 6, 1, tzinfo=UTC)
PREFIX = "Grants:Knowledge Sharing/Connect/Directory/"
MANY = "Many Skills"
MANY_PAGE = PREFIX + MANY
SETTINGS = TextSettings(task_page="Grants:X/Bot", problems_page="Grants:X/Problems",
                        outcomes_page="Grants:X/Coffees")
STAMP = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return Taxonomy.load()


@pytest.fixture(scope="module")
def messages() -> Messages:
    return Messages.load()


def profile_page(user: str, **params: str) -> PageData:
    fields = {"country": "Kenya", "languages": "English", "consent": "yes", **params}
    text = "{{Let's Connect/Profile\n" + "".join(f"|{k}={v}\n" for k, v in fields.items())
    return PageData(PREFIX + user, (Revision(1, user, "2025-05-01T00:00:00Z", text + "}}"),))


@pytest.fixture(scope="module")
def directory(taxonomy) -> Directory:
    """The 87 kB profile, and one with an ordinary typo."""
    unknown = ", ".join(f"Madeup skill number {n:04d}" for n in range(8000))
    many = profile_page(MANY, share=f"Fundraising, {unknown}")
    assert byte_size(many.latest.text) > 80_000
    return build_directory([many, profile_page("Ben", share="Fundraising, Wikidata basiks")],
                           taxonomy, DirectorySettings(), now=NOW)


def left_out(directory: Directory) -> int:
    """How many of the big entry's problems are not listed (the directory itself may read
    only the first items of a long list and say so: whatever it reports, 20 are listed)."""
    total = sum(p.user == MANY for p in directory.problems)
    assert total > PER_ENTRY
    return total - PER_ENTRY


# --- one entry, bounded ------------------------------------------------------------------------


def test_the_problems_page_lists_twenty_of_an_entry_and_counts_the_rest(directory, taxonomy):
    more = left_out(directory)
    text = render_problems(directory, taxonomy)
    assert byte_size(text) < 30_000
    assert text.startswith(f"{len(directory.problems)} problems on 2 pages.")
    rows = wtp.parse(text).tables[0].data()[1:]
    assert all(len(row) == 4 for row in rows)
    mine = [row for row in rows if MANY in row[1]]
    assert len(mine) == PER_ENTRY + 1
    assert mine[-1][3] == (f"…and {more:,} more problems in this entry: fix the ones "
                                 "above and save the entry to see the rest.")
    assert any("Wikidata basiks" in row[3] for row in rows)  # the other entry, in full


def test_the_export_gives_twenty_problems_of_an_entry_and_counts_the_rest(directory):
    data = json.loads(render_export(directory, "2025-06-01T00:00:00Z"))
    assert len(data["problems"]) == PER_ENTRY + 1
    assert data["problems_left_out"] == [{"page": MANY_PAGE, "user": MANY,
                                          "count": left_out(directory)}]
    assert byte_size(json.dumps(data, indent=4)) < 50_000


@pytest.mark.parametrize("lang", LANGS)
def test_the_notice_tells_twenty_problems_and_how_many_more(directory, taxonomy, messages,
                                                            lang):
    items = [i for i in profile_items(directory.profiles, directory.problems, {},
                                      NoticeSettings()) if i.user == MANY]
    more = left_out(directory)
    assert len(items) == 1 and len(items[0].problems) == PER_ENTRY and items[0].more == more
    section = render_section(messages, taxonomy, SETTINGS,
                             Recipient(MANY, MANY_PAGE, lang, 1), items, STAMP)
    assert byte_size(section.wikitext()) < 15_000
    lines = section.body.split("\n")
    assert sum("Madeup skill number" in line for line in lines) in (PER_ENTRY - 1, PER_ENTRY)
    assert sum(line.startswith("** ") for line in lines) == PER_ENTRY + 1
    last = lines[lines.index(next(ln for ln in lines if ln.startswith("** "))) + PER_ENTRY]
    assert str(more) in last and "{{PLURAL" not in last and "$" not in last
    if lang == "en":
        assert f"has {more + PER_ENTRY} problems" in section.body
        assert last == (f"** …and {more} more problems in this entry: fix the ones above and "
                        "save your profile to see the rest.")


def test_told_once_the_rest_follow_when_the_first_are_fixed(directory):
    state = NoticeState()
    first = [i for i in profile_items(directory.profiles, directory.problems, {},
                                      NoticeSettings()) if i.user == MANY][0]
    state.record_item(first, "User talk:Many Skills", "2025-06-02T09:30:00Z")
    assert byte_size(json.dumps(state.as_json())) < 10_000  # the state stays small too
    again = profile_items(directory.profiles, directory.problems, state.told_problems(),
                          NoticeSettings())
    assert [i for i in again if i.user == MANY] == []  # nothing new to tell
    fixed = {p.value for p in first.problems[:5]}
    left = [p for p in directory.problems if p.value not in fixed]
    later = [i for i in profile_items(directory.profiles, left, state.told_problems(),
                                      NoticeSettings()) if i.user == MANY]
    assert len(later) == 1 and later[0].more == left_out(directory) - 5
    assert {p.value for p in later[0].problems} - {p.value for p in first.problems}


def test_one_value_as_long_as_a_page_is_quoted_short(taxonomy, messages):
    huge = "Wikidata " + "x" * 300_000  # one skill, no comma
    found = build_directory([profile_page(MANY, share=huge)], taxonomy, DirectorySettings(),
                            now=NOW)
    assert byte_size(render_problems(found, taxonomy)) < 5_000
    assert len(json.loads(render_export(found, "x"))["problems"][0]["value"]) <= 200
    items = profile_items(found.profiles, found.problems, {}, NoticeSettings())
    section = render_section(messages, taxonomy, SETTINGS, Recipient(MANY, MANY_PAGE, "en", 1),
                             items, STAMP)
    assert byte_size(section.wikitext()) < 5_000 and "Wikidata xxx" in section.body


def every_language(taxonomy) -> tuple[str, ...]:
    codes = (taxonomy.resolve_language(lang.alpha_3) for lang in pycountry.languages)
    return tuple(dict.fromkeys(r.value for r in codes if r.ok))


def test_a_profile_in_every_language_is_one_short_row(taxonomy):
    languages = every_language(taxonomy)
    assert len(languages) > 7000
    polyglot = Profile(user=MANY, page=MANY_PAGE, revision=1, region="ssa", country="KE",
                       languages=languages, share=("fundraising",), consent=True)
    text = render_directory(Directory((polyglot,), ()), taxonomy)
    assert byte_size(text) < 5_000
    assert f", and {len(languages) - PER_ENTRY:,} more languages" in text


def test_a_resource_in_every_language_is_listed_under_twenty(taxonomy):
    languages = every_language(taxonomy)
    resource = Resource(page="Grants:X/Sessions/S", index=0, title="Slides", link=NO_LINK,
                        type="slides", languages=languages)
    log = SessionLog(sessions=(), resources=(resource,), outcomes=(), spaces=(), problems=())
    text = render_resources(log, taxonomy)
    assert byte_size(text) < 30_000
    assert text.count("Slides") == 1 + 1 + PER_ENTRY  # newest, "other skills", 20 languages
    assert f"and {len(languages) - PER_ENTRY:,} more languages" in text


def test_the_session_problems_page_lists_twenty_of_a_page():
    page = "Grants:X/Sessions/Full of mistakes"
    problems = tuple(Problem(page, "", "unknown-skill", "skills", f"Madeup {n}",
                             f"The skill “Madeup {n}” in skills= is not in the list of skills.")
                     for n in range(8000))
    log = SessionLog(sessions=(), resources=(), outcomes=(), spaces=(), problems=problems)
    text = render_session_problems(log)
    assert byte_size(text) < 20_000 and text.count("Madeup") == PER_ENTRY
    assert ("…and 7,980 more problems on this page: fix the ones above and save the "
            "page to see the rest.") in text


def test_a_participant_too_big_for_a_part_keeps_the_first_of_their_lists(taxonomy):
    languages = list(every_language(taxonomy)) * 3  # as if each were written three ways
    value = {"schema": 1, "participants": [{"user": "A", "languages": ["en"]},
                                           {"user": MANY, "languages": languages}]}
    head, parts = split_export(value, "participants", lambda n: f"P/{n}.json",
                               max_bytes=100_000)
    assert all(byte_size(json.dumps(p, indent=4)) <= 100_000 for p in parts.values())
    people = {p["user"]: p for part in parts.values() for p in part["participants"]}
    assert people["A"] == {"user": "A", "languages": ["en"]}
    kept = people[MANY]["languages"]
    assert kept == languages[:len(kept)] and kept
    assert people[MANY]["languages_left_out"] == len(languages) - len(kept)


# --- the last guard before a save ---------------------------------------------------------------


def table(rows: int) -> str:
    lines = ['{| class="wikitable"', "|-", "! Page", "! Problem"]
    for n in range(rows):
        lines += ["|-", f"| [[Page {n}]]", f"| Problem number {n}"]
    return "== Problems ==\n" + "\n".join([*lines, "|}"]) + "\n* A line after the table\n"


def test_a_section_too_big_keeps_whole_rows_closes_its_table_and_says_what_is_left_out():
    content = table(10_000)
    note = lambda n: left_out_note(n, 2048 * 1024)  # noqa: E731
    fitted, left = fit_lines(content, 50_000, note)
    assert byte_size(fitted) <= 50_000
    parsed = wtp.parse(fitted)
    rows = parsed.tables[0].data()
    assert rows[0] == ["Page", "Problem"] and all(len(r) == 2 for r in rows)
    shown = len(rows) - 1
    assert rows[-1] == [f"[[Page {shown - 1}]]", f"Problem number {shown - 1}"]
    assert left == 10_000 - shown + 1  # the rows left out and the line after the table
    assert fitted.endswith(note(left)) and f"''{left:,} more lines of this list" in fitted
    assert fit_lines(content, 10**7, note) == (content, 0)
    assert fit_lines(content, 100, note) is None


class FakeWiki:
    """Just what write_section uses: a page text, the site's limit, the run's notes."""

    def __init__(self, text: str, limit: int) -> None:
        self.text = text
        self.site = SimpleNamespace(siteinfo={"maxarticlesize": limit})
        self.max_bytes = allowed_bytes(limit)
        self.counters = SimpleNamespace(notes=[])
        self.saved: list[str] = []

    def update(self, title, change, summary, *, watch=None) -> bool:
        self.text = change(self.text)
        self.saved.append(self.text)
        return True


def context(wiki: FakeWiki) -> Context:
    templates = SimpleNamespace(start_marker="Template:Let's Connect/Start",
                                end_marker="Template:Let's Connect/End")
    config = SimpleNamespace(templates=templates, bot=SimpleNamespace(task_page="Bot"))
    return Context(job="directory", config=config, wiki=wiki, options=None)


def test_write_section_cuts_the_generated_part_to_fit_the_page_and_says_so(capsys):
    people = "Written by people.\n" * 4000  # 76 kB outside the markers
    wiki = FakeWiki(people, 200 * 1024)
    ctx = context(wiki)
    write_section(ctx, "P", "problems", table(5000), PageData("P", ()), "the profiles")
    assert byte_size(wiki.text) <= 200 * 1024
    assert wiki.text.startswith(people)  # people's text is untouched
    assert "{{Let's Connect/End|problems}}" in wiki.text
    assert "more lines of this list were left out here" in wiki.text and "(200 KiB)" in wiki.text
    assert wtp.parse(wiki.text).tables[0].data()[-1][1].startswith("Problem number")
    assert len(wiki.counters.notes) == 1 and "left out" in wiki.counters.notes[0]
    assert ctx.problems == 0


def test_write_section_leaves_a_page_people_filled_alone_and_the_run_goes_on(capsys):
    people = "x" * (300 * 1024)
    wiki = FakeWiki(people, 200 * 1024)
    ctx = context(wiki)
    write_section(ctx, "P", "problems", table(10), PageData("P", ()), "the profiles")
    assert wiki.text == people and wiki.saved == []
    assert ctx.problems == 1 and "[[P]] left untouched" in capsys.readouterr().out


def test_a_talk_page_too_long_for_a_notice_is_not_sent():
    def refuse(**params):
        raise AssertionError("nothing may be sent")

    site = SimpleNamespace(siteinfo={"maxarticlesize": 100 * 1024}, simple_request=refuse,
                           tokens={"csrf": "+\\"})
    page = TalkPage(asked="User talk:A", title="User talk:A", owner="A", exists=True,
                    text="x" * 99_000, revid=1, timestamp="2025-06-01T00:00:00Z")
    with pytest.raises(PageTooBig, match=r"\[\[User talk:A\]\] is too long for a new notice"):
        talk.post(site, page, page.text + "\n== News ==\n" + "y" * 5000, "summary", "")
