"""Every job through a failing network: the wiki ends as if nothing had failed.

A small program (profiles, sessions, resources, a coffee round) is loaded and
the wiki's database copied aside.  The reference: every job once, straight to
the wiki.  Then the database is put back and the same jobs run through
:class:`FaultProxy`, which fails a fifth of the requests (HTTP 500/502/503,
maxlag, ratelimited, timeouts and dropped connections, some after the wiki has
already acted) and slows some more.  A job may fail, but only cleanly: exit
code 1 and one line that says so; it is then run again.  At the end every page
the bot writes, its state included, must equal the reference (timestamps
aside), and every talk-page notice must be there exactly once.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from bot.demo.profiles import demo_program
from bot.demo.sessions import demo_sessions
from tests.integration.conftest import run_job
from tests.integration.faultproxy import FaultProxy
from tests.integration.notify_helpers import talk_pages
from tests.integration.wikiclient import PORT, ROOT, copy_files, data_dir, seed

ROUND = "2026-11"
JOBS = (
    ("deploy",),
    ("directory",),
    ("match", f"-round:{ROUND}"),
    ("sessions",),
    ("stats",),
    ("notify", "-date:2026-11-02"),
)
ATTEMPTS = 8  # runs of one job before the test gives up on it
RATE = float(os.environ.get("LETSCONNECT_FAULT_RATE", "0.2"))
SEED = int(os.environ.get("LETSCONNECT_FAULT_SEED", "8"))
TIME = re.compile(
    r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?(\.\d+)?(Z|[+-]\d\d:\d\d)?"  # ISO 8601
    r"|\d\d:\d\d, \d{1,2} \w+ \d{4} \(UTC\)"  # a signature
)
# Times and revision numbers differ between two wikis; "found" marks a notice the state
# learnt from the talk page (a run stopped between posting and recording it).
VOLATILE = {"generated", "full_run", "read_at", "revid", "pages", "found"}
DIFF_LINK = re.compile(r" ?\(\[\[Special:Diff/\d+\|[^\]]*\]\]\)")  # in any language


def proxied(job_env: dict[str, str], proxy: FaultProxy, home: Path, retries: int
            ) -> dict[str, str]:
    """The jobs' environment with Pywikibot pointed at the proxy, ``retries`` retries of a
    request with short waits, and a client timeout the proxy's "timeout" outlasts."""
    source = Path(job_env["PYWIKIBOT_DIR"])
    home.mkdir(exist_ok=True)
    config = (source / "user-config.py").read_text()
    config = config.replace(f"http://127.0.0.1:{PORT}", proxy.url)
    config += (f"\nmax_retries = {retries}\nretry_wait = 0.2\nretry_max = 1\n"
               "socket_timeout = (2, 3)\n")
    (home / "user-config.py").write_text(config)
    shutil.copy2(source / "user-password.py", home / "user-password.py")
    return dict(job_env, PYWIKIBOT_DIR=str(home))


def run_until_done(env: dict[str, str], config: Path, job: tuple[str, ...]) -> int:
    """Run a job until it finishes; every failure on the way must be a clean one."""
    for attempt in range(1, ATTEMPTS + 1):
        result = run_job(env, *job, config=config)
        if os.environ.get("LETSCONNECT_FAULT_LOG"):
            print(result.stdout, result.stderr)
        if result.returncode == 0:
            return attempt
        last = result.stderr.strip().splitlines()[-1]
        assert result.returncode == 1, (job, result.returncode, result.stderr[-3000:])
        assert re.fullmatch(rf"{job[0]}: not finished[^\n]*next run does what is missing", last), (
            job, last, result.stderr[-3000:])
    pytest.fail(f"{job[0]} did not finish in {ATTEMPTS} runs at {RATE:.0%} faults")


def normalised(value):
    """A page's content with what legitimately differs between two runs taken out."""
    if isinstance(value, dict):
        return {k: normalised(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [normalised(v) for v in value]
    if isinstance(value, str):
        return DIFF_LINK.sub("", TIME.sub("<time>", value))
    return value


def bot_pages(wiki) -> dict[str, object]:
    """Every page the bot edited last, with its content (JSON as data), leases aside."""
    found: dict[str, object] = {}
    params = {"action": "query", "generator": "allpages", "gapnamespace": 0, "gaplimit": 50,
              "prop": "revisions", "rvprop": "content|user", "rvslots": "main"}
    namespaces = wiki.get(action="query", meta="siteinfo", siprop="namespaces")
    for ns in namespaces["query"]["namespaces"].values():
        if ns["id"] < 0:
            continue
        params["gapnamespace"] = ns["id"]
        reply = wiki.get(**params)
        while True:
            for page in reply.get("query", {}).get("pages", []):
                revision = (page.get("revisions") or [{"user": ""}])[0]
                if revision["user"] != "LetsConnectBot" or page["title"].endswith(".lease.json"):
                    continue
                text = revision["slots"]["main"]["content"]
                content = json.loads(text) if page["title"].endswith(".json") else text
                found[page["title"]] = normalised(content)
            if "continue" not in reply:
                break
            reply = wiki.get(**params, **reply["continue"])
    return found


def difference(expected, got) -> str:
    def lines(value) -> list[str]:
        text = value if isinstance(value, str) else json.dumps(value, indent=1, sort_keys=True)
        return text.splitlines()

    return "\n".join(difflib.unified_diff(lines(expected), lines(got), lineterm="", n=1))


def notices(wiki) -> dict[str, dict]:
    return {title: dict(talk.items) for title, talk in talk_pages(wiki).items() if talk.items}


@pytest.fixture
def program(wiki):
    skills = yaml.safe_load((ROOT / "config" / "skills.yaml").read_text())
    people = demo_program(skills, size=30, seed=8)
    seed(people.users, people.pages)
    sessions = demo_sessions(people.users)
    seed(sessions.users, sessions.pages)


@pytest.mark.parametrize("retries", [5, 2], ids=["production-retries", "runs-give-up-half-way"])
def test_a_fifth_of_requests_failing_changes_nothing_in_the_end(
    job_env, wiki, program, config_dir, tmp_path, retries
):
    """With 5 retries (production's bound) the jobs ride out the faults; with 2, and two short
    outages, some runs give up half-way, cleanly, and the next run finishes the work."""
    config = config_dir / "letsconnect.yaml"
    saved = tmp_path / "database"
    copy_files(data_dir(), saved)
    for job in JOBS:
        result = run_job(job_env, *job, config=config)
        assert result.returncode == 0, (job, result.stdout, result.stderr)
    reference = bot_pages(wiki)
    reference_notices = notices(wiki)
    assert len(reference_notices) >= 5
    assert all(n == 1 for items in reference_notices.values() for n in items.values())

    copy_files(saved, data_dir())
    attempts = {}
    # With 2 retries, two outages of 3 requests each make sure some run gives up half-way.
    outages = (range(40, 43), range(150, 153)) if retries == 2 else ()
    with FaultProxy(int(PORT), rate=RATE, seed=SEED, slow_rate=0.05, outages=outages) as proxy:
        env = proxied(job_env, proxy, tmp_path / "pywikibot", retries)
        for job in JOBS:
            attempts[job[0]] = run_until_done(env, config, job)
    faulty = bot_pages(wiki)
    figures = (f"faults: {proxy.stats.requests} requests, {proxy.stats.failed} failed "
               f"({proxy.stats.failed / proxy.stats.requests:.1%}), by kind "
               f"{dict(sorted(proxy.stats.faults.items()))}; runs per job {attempts}")
    print(figures)

    assert proxy.stats.failed >= 0.6 * RATE * proxy.stats.requests, figures
    if retries == 2:
        assert sum(attempts.values()) > len(JOBS), f"no run gave up: {figures}"
    assert sorted(faulty) == sorted(reference), figures
    for title, content in reference.items():
        assert faulty[title] == content, (title, figures, difference(content, faulty[title]))
    got = notices(wiki)
    duplicates = sum(n - 1 for items in got.values() for n in items.values() if n > 1)
    lost = sum(1 for t, items in reference_notices.items() for k in items
               if k not in got.get(t, {}))
    assert (duplicates, lost) == (0, 0), figures
    assert got == reference_notices, figures
