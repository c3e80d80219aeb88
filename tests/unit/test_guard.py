"""Markup that never closes cannot hold a job up (bot/wikitext/guard.py).

mwparserfromhell needs time that grows with the square of the length for
unclosed markup; a participant can save such a page.  Measured here: 16 kB of
``{{x|`` take about 5 s, 32 kB about 28 s.  The guard reads a large text in a
separate process with a time limit first.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.directory.build import build_directory
from bot.directory.settings import DirectorySettings
from bot.model import PageData, Revision
from bot.taxonomy import Taxonomy
from bot.wikitext.entries import parse_entries
from bot.wikitext.guard import GUARD_ABOVE, Unreadable, check_readable

PROFILE = "{{Let's Connect/Profile|country=Kenya|languages=English|share=Fundraising|consent=yes}}"
PREFIX = "Grants:Knowledge Sharing/Connect/Directory/"
HOSTILE = {
    "templates": "{{x|" * 30_000,
    "tags": "<span " * 20_000,
    "links": "{{x|[http://y " * 10_000,
}


def page(user: str, text: str) -> PageData:
    return PageData(PREFIX + user, (Revision(1, user, "2026-10-01T00:00:00Z", text),))


@pytest.mark.slow  # seconds: left out of scripts/test --fast
@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_unclosed_markup_is_refused_and_named(kind: str) -> None:
    with pytest.raises(Unreadable, match="never closed"):
        check_readable(PROFILE + HOSTILE[kind])
    assert parse_entries(PROFILE + HOSTILE[kind], "P", ["Let's Connect/Profile"]) == []


def test_large_well_formed_pages_are_read_as_before() -> None:
    text = "\n".join(["{{Userbox|lang=en|level=3}} [[Link]] ''text''"] * 400 + [PROFILE])
    assert len(text) > GUARD_ABOVE
    check_readable(text)
    [entry] = parse_entries(text, "P", ["Let's Connect/Profile"])
    assert entry.params["share"] == "Fundraising"
    small = PROFILE + "{{x|" * 100  # under the guard's size: read directly, still found
    assert len(parse_entries(small, "P", ["Let's Connect/Profile"])) == 1


@pytest.mark.slow  # seconds: left out of scripts/test --fast
def test_an_unreadable_profile_is_reported_and_the_others_are_listed() -> None:
    pages = [page("Hugo", PROFILE + HOSTILE["templates"]), page("Ana", PROFILE)]
    directory = build_directory(pages, Taxonomy.load(), DirectorySettings(),
                                now=datetime(2026, 11, 1, tzinfo=UTC))
    assert [p.user for p in directory.profiles] == ["Ana"]
    [problem] = directory.problems
    assert (problem.code, problem.user) == ("unreadable-page", "Hugo")
    assert "could not read this page" in problem.message and "never closed" in problem.message


@pytest.mark.slow  # seconds: left out of scripts/test --fast
def test_an_unreadable_session_log_is_reported_and_the_others_are_read() -> None:
    from bot.sessions.build import build_log

    session = ("{{Let's Connect/Session|date=2026-10-14|time=15:00|title=Wikidata clinic"
               "|format=clinic|languages=English|skills=Wikidata basics|status=planned}}")
    logs = [
        PageData("Grants:Knowledge Sharing/Connect/Sessions/A",
                 (Revision(1, "Org", "2026-10-01T00:00:00Z", session + "<span " * 20_000),)),
        PageData("Grants:Knowledge Sharing/Connect/Sessions/B",
                 (Revision(2, "Org", "2026-10-01T00:00:00Z", session),)),
    ]
    log = build_log(logs, Taxonomy.load(), now=datetime(2026, 10, 1, tzinfo=UTC))
    assert [s.page for s in log.sessions] == ["Grants:Knowledge Sharing/Connect/Sessions/B"]
    unreadable = [p for p in log.problems if p.code == "unreadable-page"]
    assert [p.page for p in unreadable] == ["Grants:Knowledge Sharing/Connect/Sessions/A"]
