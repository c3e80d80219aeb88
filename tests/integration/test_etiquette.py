"""Edit etiquette on the real wiki (mediawiki.org API:Edit, API:Assert, API:Continue).

- Every edit says ``assert=bot``: an account that lost its bot flag stops the run
  before its first edit instead of flooding Recent changes.
- A page that did not exist when the bot read it is saved with ``createonly`` and
  ``starttimestamp``: a person who creates it in between keeps their text.
- Raw queries follow ``continue`` to the end.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.conftest import run_job, run_snippet
from tests.integration.faultproxy import FaultProxy, Seen
from tests.integration.notify_helpers import profile
from tests.integration.test_concurrency import on_first_edit_of
from tests.integration.test_faults import proxied
from tests.integration.wikiclient import PORT, seed

DIRECTORY = "Grants:Knowledge Sharing/Connect/Directory"
PEOPLE = ["Ines Moreau", "Omar Haddad"]


@pytest.fixture
def config(config_dir: Path) -> Path:
    return config_dir / "letsconnect.yaml"


def bot_edits(wiki) -> list[dict]:
    changes = wiki.get(action="query", list="recentchanges", rcuser="LetsConnectBot",
                       rclimit=500, rcprop="ids|title")
    return changes["query"]["recentchanges"]


def test_an_account_that_lost_its_bot_flag_makes_no_edit(job_env, wiki, admin, config):
    seed(PEOPLE, [profile(user, share="Fundraising") for user in PEOPLE])
    removed = admin.post(action="userrights", user="LetsConnectBot", remove="bot",
                         reason="test", token=admin.get(action="query", meta="tokens",
                                                        type="userrights")
                         ["query"]["tokens"]["userrightstoken"])
    assert "userrights" in removed, removed

    result = run_job(job_env, "directory", config=config)

    assert result.returncode == 3, (result.stdout, result.stderr)
    assert "not flagged as a bot" in result.stderr.strip().splitlines()[-1]
    assert bot_edits(wiki) == []
    assert wiki.text(DIRECTORY) is None


def test_a_page_created_meanwhile_keeps_its_text_and_every_edit_asserts_bot(
    job_env, wiki, admin, config, tmp_path
):
    seed(PEOPLE, [profile(user, share="Fundraising") for user in PEOPLE])
    seen: list[Seen] = []

    def person_creates_the_page() -> None:
        admin.edit(DIRECTORY, "A welcome written by a person while the bot was working.",
                   createonly=True)

    with FaultProxy(int(PORT)) as proxy:
        proxy.before[:] = [on_first_edit_of(DIRECTORY, person_creates_the_page), seen.append]
        env = proxied(job_env, proxy, tmp_path / "pwb", retries=2)
        result = run_job(env, "directory", config=config)

    assert result.returncode == 0, (result.stdout, result.stderr)
    text = wiki.text(DIRECTORY)
    assert "A welcome written by a person while the bot was working." in text
    assert "[[User:Ines Moreau|" in text  # and the bot's table is there too
    edits = [s for s in seen if s.is_edit]
    assert edits and all(s.params.get("assert") == "bot" for s in edits)
    first = next(s for s in edits if s.params.get("title") == DIRECTORY)
    assert "createonly" in first.params and first.params.get("starttimestamp")


def test_raw_queries_follow_continue_to_the_end(job_env, wiki, admin):
    titles = [f"Continue test {n}" for n in range(7)]
    for title in titles:
        admin.edit(title, "x")
    script = (
        "from bot.wiki.site import connect\n"
        "from bot.wiki.pages import query_continued\n"
        "seen = []\n"
        "for reply in query_continued(connect(), action='query', list='allpages',\n"
        "                             apprefix='Continue test', aplimit=2):\n"
        "    seen += [p['title'] for p in reply['query']['allpages']]\n"
        "print('|'.join(seen))\n"
    )
    assert run_snippet(job_env, script).split("|") == sorted(titles)
