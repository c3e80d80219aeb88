"""Nothing a participant writes makes a page or a notice too big for the wiki.

One profile lists 8,000 skills the program does not know (an 87 kB entry).
Before the limits, its 8,000 problems made the problems page larger than the
wiki's 2 MiB: the edit was refused (``contenttoobig``), the directory job
exited 1 on every run and the export and state stopped updating; the notice
to its owner was a section of a megabyte.  Now both jobs exit 0, the problems
page and the notice list the first problems and say how many more there are,
and everyone else is processed.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import wikitextparser as wtp

from tests.integration.conftest import run_job, run_snippet
from tests.integration.notify_helpers import STATE as NOTIFY_STATE
from tests.integration.notify_helpers import profile, talk_pages
from tests.integration.wikiclient import seed

PROBLEMS = "Grants:Knowledge Sharing/Connect/Profile problems"
DIRECTORY = "Grants:Knowledge Sharing/Connect/Directory"
EXPORT = "Grants:Knowledge Sharing/Connect/Data/directory.json"
DIRECTORY_STATE = "User:LetsConnectBot/state/directory.json"
LIMIT = 2 * 1024 * 1024
TYPO = "Wikidata basiks"
MANY = "Many Skills"
OTHERS = ("Plain Sharer", "Plain Learner")


def ok(result) -> None:
    assert result.returncode == 0, (result.stdout, result.stderr)


def size(text: str | None) -> int:
    return len((text or "").encode("utf-8"))


@pytest.fixture
def config(config_dir: Path) -> Path:
    return config_dir / "letsconnect.yaml"


@pytest.fixture
def program(wiki):
    unknown = ", ".join(f"Madeup skill number {n:04d}" for n in range(8000))
    pages = [
        profile(MANY, share=f"Fundraising, {unknown}", learn="Governance"),
        profile("Plain Sharer", share=f"Fundraising, {TYPO}"),
        profile("Plain Learner", learn="Fundraising"),
    ]
    assert size(pages[0].revisions[0].text) > 80_000
    seed([MANY, *OTHERS], pages)
    return wiki


def test_an_entry_with_8000_unknown_skills_stops_no_job(job_env, program, config):
    wiki = program
    directory = run_job(job_env, "directory", config=config)
    ok(directory)

    problems = wiki.text(PROBLEMS)
    assert size(problems) < 200_000  # far under the limit, and readable
    rows = [r for r in wtp.parse(problems).tables[0].data()[1:] if MANY in r[1]]
    assert len(rows) == 21  # the first twenty, then how many more
    assert re.fullmatch(r"…and [\d,]+ more problems in this entry: fix the ones above and "
                        r"save the entry to see the rest\.", rows[-1][3])
    assert TYPO in problems  # the others' problems are still there
    assert re.search(r"^\d+ problems on 2 pages\.", problems, re.MULTILINE)
    assert {"Plain Sharer", MANY} <= set(_listed(wiki.text(DIRECTORY)))
    export = json.loads(wiki.text(EXPORT))
    assert {p["user"] for p in export["participants"]} == {MANY, *OTHERS}
    assert size(wiki.text(EXPORT)) < 200_000
    assert json.loads(wiki.text(DIRECTORY_STATE))["inputs"]  # the state was written

    notify = run_job(job_env, "notify", config=config)
    ok(notify)
    talks = talk_pages(wiki)
    notice = talks[f"User talk:{MANY}"].text
    assert size(notice) < 30_000
    told = [line for line in notice.split("\n") if line.startswith("** ")]
    assert len(told) == 21  # the first twenty, then how many more
    assert re.fullmatch(r"\*\* …and \d+ more problems in this entry: fix the ones above and "
                        r"save your profile to see the rest\.", told[-1])
    assert TYPO in talks["User talk:Plain Sharer"].text  # the others hear about theirs
    assert json.loads(wiki.text(NOTIFY_STATE))["sent"]
    assert size(wiki.text(NOTIFY_STATE)) < 100_000

    again = run_job(job_env, "notify", config=config)  # told once: nothing new to say
    ok(again)
    assert talk_pages(wiki)[f"User talk:{MANY}"].text == notice


def test_a_page_near_the_limit_is_cut_short_with_a_note_and_no_notice_is_lost(
        job_env, program, admin, config):
    wiki = program
    # People wrote almost 2 MiB outside the bot's markers on the problems page and on a
    # talk page: the generated part cannot fit in full, and a notice cannot fit at all.
    def filler(lines: int) -> str:
        return "".join(f"* Note {n:06d} kept by the working group.\n" for n in range(lines))

    admin.edit(PROBLEMS, filler(50_850))  # 4 kB short of what the bot may save
    admin.edit("User talk:Plain Sharer", filler(51_000))  # 6 kB short of the wiki's limit
    assert LIMIT - 10_000 < size(wiki.text("User talk:Plain Sharer")) < LIMIT

    directory = run_job(job_env, "directory", config=config)
    ok(directory)
    problems = wiki.text(PROBLEMS)
    assert LIMIT - 100_000 < size(problems) <= LIMIT
    assert problems.startswith(filler(50_850).rstrip("\n"))  # people's text is untouched
    assert "lines of this list were left out" in problems
    assert "left out" in directory.stdout  # the run's notes say it too
    assert json.loads(wiki.text(DIRECTORY_STATE))["inputs"]

    talk_before = wiki.text("User talk:Plain Sharer")
    notify = run_job(job_env, "notify", config=config)
    ok(notify)
    assert wiki.text("User talk:Plain Sharer") == talk_before  # not posted
    assert "User talk:Plain Sharer" in notify.stdout and "too long" in notify.stdout
    assert f"User talk:{MANY}" in talk_pages(wiki)  # the others are told
    waiting = json.loads(wiki.text(NOTIFY_STATE))["waiting"]
    assert [(w["user"], w["reason"]) for w in waiting.values()] == [("Plain Sharer", "too-big")]


def _listed(text: str) -> list[str]:
    return re.findall(r"\[\[User:([^|\]]+)\|", text or "")


def test_a_notices_state_larger_than_a_page_is_kept_in_parts(job_env, program, config):
    """At 5,000 participants the notices sent are more than one page holds (the state page
    was refused, ``contenttoobig``, and the run ended unfinished).  Now the state goes into
    parts, each within MediaWiki's limit as MediaWiki stores it, nothing is forgotten, and
    a second run saves nothing."""
    wiki = program
    today = datetime.now(UTC).date().isoformat()
    earlier = {f"profile:{n:016x}": {"user": f"Earlier {n}", "to": f"User talk:Earlier {n}",
                                     "kind": "profile", "about": "", "date": today,
                                     "stamp": f"{today}T00:00:00Z", "problems": ["typo"] * 8}
               for n in range(12_000)}
    script = (
        "import json, sys\n"
        "from bot.wiki.site import connect\n"
        "from bot.wiki.pages import Wiki\n"
        "wiki = Wiki(connect())\n"
        f"wiki.read([{NOTIFY_STATE!r}])\n"
        "sent = json.load(sys.stdin)\n"
        f"wiki.save_json({NOTIFY_STATE!r}, {{'schema': 1, 'sent': sent}}, 'test: an old state')\n"
        f"print(len(wiki.read_json({NOTIFY_STATE!r})['sent']))\n"
    )
    assert run_snippet(job_env, script, stdin=json.dumps(earlier)) == "12000"

    notify = run_job(job_env, "notify", config=config)
    ok(notify)
    assert "not finished" not in notify.stdout
    head = json.loads(wiki.text(NOTIFY_STATE))
    titles = [NOTIFY_STATE, *head["continued_on"]]
    assert len(titles) >= 3
    for title in titles:  # as MediaWiki stores them (it pretty-prints JSON pages)
        assert 0 < size(wiki.text(title)) <= LIMIT, title
    script = (
        "import json\n"
        "from bot.wiki.site import connect\n"
        "from bot.wiki.pages import Wiki\n"
        f"sent = Wiki(connect()).read_json({NOTIFY_STATE!r})['sent']\n"
        "print(json.dumps(sorted(sent)))\n"
    )
    remembered = set(json.loads(run_snippet(job_env, script)))
    posted = {f"{kind}:{digest}" for talk in talk_pages(wiki).values()
              for kind, digest in talk.items}
    assert posted and remembered == posted | set(earlier)
    revisions = {title: len(wiki.revisions(title)) for title in titles}
    ok(run_job(job_env, "notify", config=config))
    assert {title: len(wiki.revisions(title)) for title in titles} == revisions
