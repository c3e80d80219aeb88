"""The notify job on the real wiki: who hears what, once, and who hears nothing.

Every check reads the talk pages themselves (their markers, sections and
text) or the wiki's own records of edits, never the bot's state alone.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from bot.demo.profiles import demo_program
from bot.demo.sessions import demo_sessions
from bot.jobs.notify import RECHECK_BATCH
from tests.integration.conftest import run_job
from tests.integration.notify_helpers import (
    EXPORT,
    LOG,
    ORGANISER,
    STATE,
    all_items,
    bot_talk_edits,
    max_rcid,
    profile,
    session_page,
    talk_pages,
)
from tests.integration.wikiclient import ROOT, WikiClient, seed

ROUND = "2026-11"
SHUTOFF = "Grants:Knowledge Sharing/Connect/Bot/Shutoff"
DIRECTORY_EXPORT = "Grants:Knowledge Sharing/Connect/Data/directory.json"
MATCH_EXPORT = f"Grants:Knowledge Sharing/Connect/Data/matches/{ROUND}.json"
TYPO = "Wikidata basiks"


def ok(result) -> None:
    assert result.returncode == 0, (result.stdout, result.stderr)


@pytest.fixture
def config(config_dir: Path) -> Path:
    return config_dir / "letsconnect.yaml"


# --- a month of the demo program --------------------------------------------------------


def expected_match(wiki: WikiClient) -> dict[str, set[str]]:
    """Group id -> members who should hear about it: from the match and directory exports."""
    people = {p["user"]: p for p in json.loads(wiki.text(DIRECTORY_EXPORT))["participants"]}
    groups = json.loads(wiki.text(MATCH_EXPORT))["groups"]
    reachable = {u for u, p in people.items()
                 if p["status"] in ("active", "stale") and p.get("notify")}
    return {g["id"]: {m for m in [g["sharer"], *g["learners"]] if m in reachable}
            for g in groups}


def expected_invites(wiki: WikiClient, demo, day: datetime) -> set[str]:
    """Who a session within 14 days of ``day`` should invite, from the directory export."""
    people = json.loads(wiki.text(DIRECTORY_EXPORT))["participants"]
    invited = set()
    for s in demo.sessions:
        if s.status != "planned" or s.format == "coffee" or not day < s.start:
            continue
        if (s.start - day).days > 14:
            continue
        for p in people:
            if (p["status"] == "active" and p.get("notify") and "clinic" in p["formats"]
                    and set(p["learn"]) & set(s.skills) and p["user"] not in s.sharers
                    and {c.split("-")[0] for c in p["languages"]} & set(s.languages)
                    and (not s.region or s.region == p["region"])):
                invited.add(p["user"])
    return invited


def test_a_month_of_the_demo_programs_notices(job_env, wiki, config):
    program = demo_program(yaml.safe_load((ROOT / "config" / "skills.yaml").read_text()))
    start = datetime(2026, 11, 1, 10, tzinfo=UTC)
    demo = demo_sessions(program.users, now=start, round_id=ROUND)
    seed(program.users, program.pages)
    seed(demo.users, demo.pages)
    ok(run_job(job_env, "directory", config=config))
    ok(run_job(job_env, "match", f"-round:{ROUND}", config=config))
    members = expected_match(wiki)

    first = run_job(job_env, "notify", "-date:2026-11-02", config=config)
    ok(first)
    talks = talk_pages(wiki)
    told = {t.title.split(":", 1)[1] for t in talks.values() if t.items}
    everyone = {m for ms in members.values() for m in ms}
    assert everyone <= told
    for group_id, people in members.items():
        for person in people:  # each member's page names the group
            assert group_id in talks[f"User talk:{person}"].text, (group_id, person)
    invited = expected_invites(wiki, demo, datetime(2026, 11, 2, 12, tzinfo=UTC))
    assert invited and invited == {t.title.split(":", 1)[1] for t in talks.values()
                                   if t.kinds()["invite"]}
    assert all(len(t.sections) == 1 for t in talks.values() if t.items)

    people = {p["user"]: p for p in json.loads(wiki.text(DIRECTORY_EXPORT))["participants"]}
    typos = {u for u, p in people.items() if p["status"] == "active" and p.get("notify")
             and TYPO in wiki.text(f"Grants:Knowledge Sharing/Connect/Directory/{u}")}
    assert typos and all(TYPO in talks[f"User talk:{u}"].text for u in typos)
    silent = {u for u, p in people.items() if not p.get("notify") or p["status"] in (
        "quarantined", "opted-out", "blocked")}
    assert silent and not silent & told

    edits = bot_talk_edits(wiki)
    assert len(edits) == len(told)
    assert not any(e.get("minor") for e in edits)
    # The summary, in the recipient's language, counts against the limit and says how to stop.
    assert all(re.search(r"\b1\b[^()]*\b2\b", e["comment"]) and "notify=no" in e["comment"]
               for e in edits)

    mark = max_rcid(wiki)
    again = run_job(job_env, "notify", "-date:2026-11-02", config=config)
    ok(again)
    assert wiki.edit_count_since(mark) == 0  # a second run posts nothing and saves nothing

    later = run_job(job_env, "notify", "-date:2026-11-23", config=config)
    ok(later)
    last = run_job(job_env, "notify", "-date:2026-11-30", config=config)
    ok(last)
    talks = talk_pages(wiki)
    assert all(n == 1 for n in all_items(talks).values())  # every notice exactly once
    assert all(t.in_month(ROUND) <= 2 for t in talks.values())
    with_outcome = set(demo.outcomes)
    for group_id, people in members.items():
        for person in people:
            followups = talks[f"User talk:{person}"].kinds()["followup"]
            mine = [g for g, ms in members.items() if person in ms and g not in with_outcome]
            assert followups == len(mine), (person, group_id)
    export = json.loads(wiki.text(EXPORT))
    assert export["month"] == ROUND
    assert {s["page"] for s in export["sent"]} == {t.title for t in talks.values() if t.items}
    log = wiki.text(LOG + ROUND)
    assert all(f"[[:User:{t.title.split(':', 1)[1]}|" in log for t in talks.values() if t.items)


# --- opt-outs ------------------------------------------------------------------------------


OPT_OUTS = {
    "Optout Profile": None,  # notify = no in the profile
    "Optout Nobots": "Hello.\n{{nobots}}",
    "Optout Deny": "{{bots|deny=LetsConnectBot}}",
    "Optout Task": "{{bots|optout=letsconnect-notify}}",
    "Optout Category": "Please no mass messages.\n[[Category:Opted-out of message delivery]]",
    "Optout Template": "{{No messages}}",  # the category comes through a template
    "Optout Blocked": None,
    "Optout Protected": "Welcome!",
}
RECEIVE = {
    "Receive Plain": None,
    "Receive Otherbot": "{{bots|deny=SomeOtherBot}}",
    "Receive Othertask": "{{bots|optout=some-other-task}}",
}


def test_every_opt_out_is_honoured(job_env, wiki, admin, config):
    users = [*OPT_OUTS, *RECEIVE]
    pages = [profile(u, share=f"Fundraising, {TYPO}", notify="no" if u == "Optout Profile"
                     else "yes") for u in users]
    # A group made before the block: its sharer would hear of it, were they not blocked.
    pages[users.index("Optout Blocked")] = profile("Optout Blocked", share="Governance")
    pages[users.index("Receive Plain")] = profile("Receive Plain", share=f"Fundraising, {TYPO}",
                                                  learn="Governance")
    seed(users, pages)
    ok(run_job(job_env, "match", f"-round:{ROUND}", config=config))
    admin.edit("Template:No messages", "[[Category:Opted-out of message delivery]]")
    for user, text in {**OPT_OUTS, **RECEIVE}.items():
        if text:
            admin.edit(f"User talk:{user}", text)
    admin.block("Optout Blocked")
    protected = admin.post(action="protect", title="User talk:Optout Protected",
                           protections="edit=sysop", token=admin.csrf())
    assert "protect" in protected, protected
    before = talk_pages(wiki)

    result = run_job(job_env, "notify", config=config)
    ok(result)
    after = talk_pages(wiki)
    for user in OPT_OUTS:
        title = f"User talk:{user}"
        assert (title in after) == (title in before), user
        if title in before:
            assert after[title].text == before[title].text, user
    for user in RECEIVE:
        talk = after[f"User talk:{user}"]
        kinds = {"profile": 1, "match": 1} if user == "Receive Plain" else {"profile": 1}
        assert talk.kinds() == kinds and len(talk.sections) == 1, user
        assert TYPO in talk.text
        if user in before:
            assert talk.text.startswith(before[f"User talk:{user}"].text)
    assert "User talk:Optout Protected" in result.stdout and "notices wait" in result.stdout
    export = json.loads(wiki.text(EXPORT))
    assert [w["user"] for w in export["waiting"]] == ["Optout Protected"]
    assert export["not_delivered"] == {"blocked": 1, "bots-deny": 1, "bots-optout": 1,
                                       "nobots": 1, "notify-no": 1, "optout-category": 2}
    # The section is a reader's: not minor, signed by the bot, with how to opt out.
    edits = bot_talk_edits(wiki)
    assert len(edits) == len(RECEIVE) and not any(e.get("minor") for e in edits)
    text = after["User talk:Receive Plain"].text
    assert "[[User:LetsConnectBot|LetsConnectBot]]" in text and "(UTC)" in text
    assert all("notify=no" in e["comment"] and "1 of at most 2" in e["comment"] for e in edits)


# --- the cap ---------------------------------------------------------------------------------


def test_the_cap_defers_and_a_later_run_delivers(job_env, wiki, config):
    config.write_text(config.read_text().replace("max_notices_per_month: 2",
                                                 "max_notices_per_month: 1"))
    seed(["Cap Sharer", "Cap Learner"], [
        profile("Cap Sharer", share="Fundraising", capacity="2"),
        profile("Cap Learner", learn="Fundraising", formats="1:1, group, clinic"),
    ])
    ok(run_job(job_env, "match", f"-round:{ROUND}", config=config))
    ok(run_job(job_env, "notify", "-date:2026-11-02", config=config))
    page = "User talk:Cap Learner"
    assert talk_pages(wiki)[page].kinds() == {"match": 1}

    seed([ORGANISER], [session_page("Fundraising clinic", "2026-12-03", "Fundraising")])
    ok(run_job(job_env, "notify", "-date:2026-11-20", config=config))
    talk = talk_pages(wiki)[page]
    assert talk.kinds() == {"match": 1} and len(talk.sections) == 1  # over the cap: waits
    waiting = json.loads(wiki.text(EXPORT))["waiting"]
    assert [(w["user"], w["kind"], w["reason"]) for w in waiting] == [
        ("Cap Learner", "invite", "monthly-cap")]
    assert "Fundraising clinic" in wiki.text(LOG + ROUND)  # listed as waiting

    ok(run_job(job_env, "notify", "-date:2026-12-01", config=config))
    talk = talk_pages(wiki)[page]
    assert talk.kinds()["invite"] == 1 and len(talk.sections) == 2
    assert talk.in_month("2026-12") == 1
    assert "Fundraising clinic" in talk.text.split("== ")[-1]
    assert json.loads(wiki.text(EXPORT))["waiting"] == []


# --- a renamed user ----------------------------------------------------------------------------


def rename(old: str, new: str) -> None:
    """Rename an account as a bureaucrat would (the maintenance script of Renameuser)."""
    home = Path(os.environ.get("LOCALWIKI_HOME", ROOT / ".localwiki")).resolve()
    script = home / "code" / "extensions" / "Renameuser" / "maintenance" / "renameUser.php"
    subprocess.run(["php", str(script), "--oldname", old, "--newname", new], check=True,
                   capture_output=True, cwd=home / "code")


def test_a_renamed_users_notice_follows_the_redirect(job_env, wiki, admin, config):
    seed(["Ana Sharer", "Ben Learner"], [
        profile("Ana Sharer", title="User:Ana Sharer/Let's Connect", share="Fundraising"),
        profile("Ben Learner", title="User:Ben Learner/Let's Connect", learn="Fundraising"),
    ])
    ok(run_job(job_env, "match", f"-round:{ROUND}", config=config))
    admin.edit("User talk:Ben Learner", "Welcome to the wiki!")
    rename("Ben Learner", "Benedict Learner")
    for old, new in [("User:Ben Learner/Let's Connect", "User:Benedict Learner/Let's Connect"),
                     ("User talk:Ben Learner", "User talk:Benedict Learner")]:
        moved = admin.post(action="move", **{"from": old}, to=new, reason="renamed",
                           token=admin.csrf())
        assert "move" in moved, moved
    redirect = wiki.text("User talk:Ben Learner")

    ok(run_job(job_env, "notify", config=config))
    talks = talk_pages(wiki)
    assert talks["User talk:Ben Learner"].text == redirect  # the redirect is left alone
    new = talks["User talk:Benedict Learner"]
    assert new.text.startswith("Welcome to the wiki!")
    assert new.kinds() == {"match": 1} and len(new.sections) == 1
    assert "[[:User talk:Ana Sharer|Ana Sharer]]" in new.text
    ana = talks["User talk:Ana Sharer"]
    assert "[[:User talk:Benedict Learner|Benedict Learner]]" in ana.text


# --- the shutoff page ---------------------------------------------------------------------------


def test_a_shutoff_page_written_during_a_run_stops_it_before_the_next_notice(
        job_env, wiki, admin, config):
    program = demo_program(yaml.safe_load((ROOT / "config" / "skills.yaml").read_text()),
                           size=60)
    seed(program.users, program.pages)
    ok(run_job(job_env, "match", f"-round:{ROUND}", config=config))
    mark = max_rcid(wiki)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "notify", f"-config:{config}"], env=job_env,
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not bot_talk_edits(wiki) and time.monotonic() < deadline:
        time.sleep(0.02)
    admin.edit(SHUTOFF, "Stop, please: checking the notices.")
    stopped_at = max_rcid(wiki)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 3, (out, err)
    assert "shutoff page" in err
    edits = [e for e in bot_talk_edits(wiki) if e["rcid"] > mark]
    after = [e for e in edits if e["rcid"] > stopped_at]
    # At most the notices whose talk pages (and the shutoff page) were read again in the
    # batch under way when the page was written.
    assert len(after) <= RECHECK_BATCH
    assert 1 <= len(edits) < 30
    since = wiki.get(action="query", list="recentchanges", rclimit=500, rcprop="ids|title")
    others = {c["title"] for c in since["query"]["recentchanges"]
              if c["rcid"] > stopped_at and c["title"] != SHUTOFF and c["ns"] != 3}
    # nothing else: no log page, no export (the lease is given back as the run ends)
    assert others <= {STATE, STATE.replace(".json", ".lease.json")}

    admin.edit(SHUTOFF, "")
    resumed = run_job(job_env, "notify", config=config)
    ok(resumed)
    assert all(n == 1 for n in all_items(talk_pages(wiki)).values())
    assert wiki.text(STATE)


# --- trial runs and a blocked bot ----------------------------------------------------------------


def test_simulate_a_capped_trial_and_a_blocked_bot(job_env, wiki, admin, config):
    users = ["Trial One", "Trial Two", "Trial Three"]
    seed(users, [profile(u, share=f"Fundraising, {TYPO}") for u in users])

    mark = max_rcid(wiki)
    simulated = run_job(job_env, "notify", "-simulate", config=config)
    ok(simulated)
    assert wiki.edit_count_since(mark) == 0
    assert simulated.stdout.count("--- would post on [[User talk:Trial") == 3
    assert simulated.stdout.count("<!-- letsconnect-notice:profile:") == 3  # in full
    assert "~~~~" in simulated.stdout and "summary: /* " in simulated.stdout

    trial = run_job(job_env, "notify", "-max-notices:1", config=config)
    ok(trial)
    told = [t for t in talk_pages(wiki).values() if t.items]
    assert [t.title for t in told] == ["User talk:Trial One"]
    waiting = json.loads(wiki.text(EXPORT))["waiting"]
    assert sorted((w["user"], w["reason"]) for w in waiting) == [
        ("Trial Three", "run-cap"), ("Trial Two", "run-cap")]

    admin.block("LetsConnectBot")
    mark = max_rcid(wiki)
    blocked = run_job(job_env, "notify", config=config)
    assert blocked.returncode == 3, (blocked.stdout, blocked.stderr)
    assert "is blocked" in blocked.stderr
    assert wiki.edit_count_since(mark) == 0
