"""Hostile pages on the real wiki: none of them stops a job or takes over a profile.

A participant (or a vandal) plants, at once: a profile under a title naming an
account that cannot exist (a zero-width joiner in the name), a profile with
8,000 skills nobody knows, a profile whose markup never closes (30,000 times
``{{x|``: minutes of parsing), someone else's profile moved to a title naming the
mover, and talk pages that opt out with a ``{{bots}}`` form carrying a comment.
Every job must finish (exit 0), say in plain words what it left aside, and do
its work for everyone else.  The checks read the pages a reader reads.
"""

from __future__ import annotations

import json
import secrets as random_secrets
from dataclasses import replace
from pathlib import Path

import pytest

from bot.demo.profiles import PROFILE_PREFIX, DemoPage, profile_text
from tests.integration.conftest import run_job, run_snippet
from tests.integration.notify_helpers import profile, talk_pages
from tests.integration.wikiclient import URL, WikiClient, seed

ROUND = "2026-11"
PROBLEMS = "Grants:Knowledge Sharing/Connect/Profile problems"
DIRECTORY = "Grants:Knowledge Sharing/Connect/Directory"
EXPORT = "Grants:Knowledge Sharing/Connect/Data/directory.json"
MATCHES = f"Grants:Knowledge Sharing/Connect/Data/matches/{ROUND}.json"
LIMIT = 2 * 1024 * 1024  # the wiki's $wgMaxArticleSize, in bytes
ZWJ_NAME = "Mal\u200dlory"
TYPO = "Wikidata basiks"

#: Talk pages that keep the bot away, each with a comment where MediaWiki strips one.
COMMENTED = {
    "Quiet Deny": "{{bots|deny=all<!-- please -->}}",
    "Quiet Name": "{{bots<!-- x -->|deny=all}}",
    "Quiet Nobots": "{{nobots<!-- reason -->}}",
    "Quiet Optout": "{{bots|optout=letsconnect-notify<!-- x -->}}",
    "Quiet Keyword": "{{nobots|deny=Other}}",
}


def ok(result) -> None:
    assert result.returncode == 0, (result.stdout, result.stderr)


def user_client(name: str) -> WikiClient:
    """A logged-in ordinary account (created here with a password of its own)."""
    client = WikiClient()
    password = random_secrets.token_hex(12)
    token = client.get(action="query", meta="tokens", type="createaccount")
    created = client.post(action="createaccount", username=name, password=password,
                          retype=password, createreturnurl=URL,
                          createtoken=token["query"]["tokens"]["createaccounttoken"])
    assert created["createaccount"]["status"] == "PASS", created
    token = client.get(action="query", meta="tokens", type="login")["query"]["tokens"]
    login = client.post(action="clientlogin", username=name, password=password,
                        logintoken=token["logintoken"], loginreturnurl=URL)
    assert login["clientlogin"]["status"] == "PASS", login
    return client


def flooded(page: DemoPage) -> DemoPage:
    """The page with markup after the profile that is opened and never closed."""
    [revision] = page.revisions
    return replace(page, revisions=(replace(revision, text=revision.text + "{{x|" * 30_000),))


@pytest.fixture
def config(config_dir: Path) -> Path:
    return config_dir / "letsconnect.yaml"


def test_no_hostile_page_stops_a_job_or_takes_a_profile(job_env, wiki, admin, config):
    ok(run_job(job_env, "deploy", config=config))
    people = ["Amina Addo", "Carol Plain", "Dana Learner", "Hugo Huge", "Flo Flood", *COMMENTED]
    unknown = ", ".join(f"Unheard skill {n}" for n in range(8000))
    pages = [
        profile("Amina Addo", share="Wikidata basics", learn="Fundraising",
                affiliation="Wikimedians of Kenya", languages="English, Swahili"),
        profile("Carol Plain", share=f"Fundraising, {TYPO}", learn="Wikidata basics"),
        profile("Dana Learner", learn="Wikidata basics, Fundraising"),
        profile("Hugo Huge", share=unknown),
        flooded(profile("Flo Flood", share="Fundraising")),
        *[profile(u, share=f"Fundraising, {TYPO}") for u in COMMENTED],
    ]
    assert len(pages[3].revisions[0].text) > 80_000
    seed(people, pages)
    # A valid profile under a title no account can have (saved by someone who can edit).
    admin.edit(PROFILE_PREFIX + ZWJ_NAME, profile_text(
        {"country": "Kenya", "languages": "English", "share": "Fundraising", "consent": "yes"}))
    # Bob moves Amina's profile to a title naming himself.
    bob = user_client("Bob Attacker")
    moved = bob.post(action="move", **{"from": PROFILE_PREFIX + "Amina Addo"},
                     to=PROFILE_PREFIX + "Bob Attacker/moved", reason="mine now",
                     token=bob.csrf())
    assert "move" in moved, moved
    for user, text in COMMENTED.items():
        admin.edit(f"User talk:{user}", f"Hello.\n{text}")
    before = talk_pages(wiki)

    for job, *args in (["directory"], ["match", f"-round:{ROUND}"], ["sessions"], ["stats"],
                       ["notify"]):
        result = run_job(job_env, job, *args, config=config)
        ok(result)
        assert "not finished" not in result.stdout + result.stderr, job

    # Who is listed: everyone else; the moved profile is Amina's, never Bob's.
    export = {p["user"]: p for p in json.loads(wiki.text(EXPORT))["participants"]}
    assert "Bob Attacker" not in export
    assert export["Amina Addo"]["status"] == "active"
    assert export["Amina Addo"]["affiliation"] == "Wikimedians of Kenya"
    assert export["Carol Plain"]["status"] == "active"
    assert export[ZWJ_NAME]["status"] == "quarantined"
    directory = wiki.text(DIRECTORY)
    assert "Bob Attacker" not in directory and "[[User:Amina Addo|" in directory
    groups = json.loads(wiki.text(MATCHES))["groups"]
    members = {m for g in groups for m in [g["sharer"], *g["learners"]]}
    assert "Bob Attacker" not in members and {"Amina Addo", "Dana Learner"} <= members

    # What was left aside is on the problems page, in plain words.
    problems = wiki.text(PROBLEMS)
    assert "U+200D" in problems and "cannot be an account name" in problems
    assert "Bob Attacker moved this page" in problems and "Amina Addo" in problems
    assert "Unheard skill 0" in problems and "Unheard skill 7999" not in problems
    assert "lists 8000 items" in problems and "only the first 60 are read" in problems
    assert "more" in problems
    assert "could not read this page" in problems and "Flo Flood" not in export

    # No generated page and no notice is anywhere near the wiki's limit.
    for title in (PROBLEMS, DIRECTORY, EXPORT):
        assert len(wiki.text(title).encode()) < LIMIT // 4, title
    after = talk_pages(wiki)
    hugo = after["User talk:Hugo Huge"].text
    assert 0 < len(hugo.encode()) < 20_000 and "Unheard skill 0" in hugo

    # A commented opt-out is an opt-out; everyone else heard from the bot.
    for user in COMMENTED:
        assert after[f"User talk:{user}"].text == before[f"User talk:{user}"].text, user
    assert after["User talk:Carol Plain"].items, "Carol's notice"
    assert "User talk:Bob Attacker" not in after


def test_a_batch_the_api_refuses_is_split_and_the_rest_is_read(job_env, wiki, admin):
    """Should ``list=usercontribs`` still refuse a name in a batch (``baduser``), the batch
    is split until the refused name stands alone; the others' contributions are read."""
    admin.edit(PROFILE_PREFIX + "Admin", "Admin's words.")
    script = (
        "from bot.wiki.site import connect\n"
        "from bot.wiki.pages import Wiki\n"
        "wiki = Wiki(connect())\n"
        "found = wiki._contributions(['Admin', 'Foo#bar', 'Nobody here', 'A/b'], [200])\n"
        "print(sorted({c['user'] for c in found}), sorted(wiki.refused))\n"
    )
    assert run_snippet(job_env, script) == "['Admin'] ['A/b', 'Foo#bar']"
