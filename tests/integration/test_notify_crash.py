"""Exactly once, even when the notify job is killed: 20 crashes at different points.

A small program (a dozen participants: two coffee groups, an invitation, a
profile problem) is loaded once and the wiki's database copied aside.  A
reference run on a fresh copy gives the talk pages as they should end up.
Then, 20 times: the database is put back, the job is killed with SIGKILL
(half of the time right after its N-th write, through LETSCONNECT_CRASH_AFTER,
which covers every write including the one between posting a notice and
recording it; the other half after a random delay, which also hits requests
in flight), and run again to the end.  Each time, every talk page must hold
exactly the reference's notices, each once, in as many sections.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time

from tests.integration.conftest import run_job
from tests.integration.notify_helpers import (
    ORGANISER,
    STATE,
    profile,
    session_page,
    talk_pages,
)
from tests.integration.wikiclient import ROOT, copy_files, data_dir, seed

KILLS = 20
DATE = "-date:2026-11-02"
SHARERS = {"Crash Sharer Fundraising": "Fundraising", "Crash Sharer Governance": "Governance"}
LEARNERS = {f"Crash Learner {n}": ("Fundraising" if n % 2 else "Governance") for n in range(1, 7)}


def seed_small_program() -> None:
    users = [*SHARERS, *LEARNERS, "Crash Typo"]
    pages = [profile(u, share=s, capacity="3") for u, s in SHARERS.items()]
    pages += [profile(u, learn=s) for u, s in LEARNERS.items()]
    pages.append(profile("Crash Typo", share="Wikidata basiks"))
    seed(users, pages)
    seed([ORGANISER], [session_page("Governance basics", "2026-11-06", "Governance")])


def notify(job_env, config, **extra) -> subprocess.Popen:
    env = dict(job_env, **extra)
    return subprocess.Popen([sys.executable, "-m", "bot.cli", "notify", DATE,
                             f"-config:{config}"], env=env, cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def outcome(wiki) -> dict[str, tuple[dict, int]]:
    """Each talk page's notices (marker -> occurrences) and number of sections."""
    return {title: (dict(talk.items), len(talk.sections))
            for title, talk in talk_pages(wiki).items() if talk.items}


def sent_ids(wiki) -> set[str]:
    return set(json.loads(wiki.text(STATE))["sent"])


def test_killed_at_any_point_every_notice_arrives_exactly_once(job_env, wiki, config_dir,
                                                               tmp_path):
    config = config_dir / "letsconnect.yaml"
    seed_small_program()
    result = run_job(job_env, "match", "-round:2026-11", config=config)
    assert result.returncode == 0, result.stderr
    snapshot = tmp_path / "snapshot"
    copy_files(data_dir(), snapshot)

    started = time.monotonic()
    reference_run = notify(job_env, config)
    out, err = reference_run.communicate(timeout=120)
    duration = time.monotonic() - started
    assert reference_run.returncode == 0, (out, err)
    reference = outcome(wiki)
    reference_sent = sent_ids(wiki)
    kinds = {kind for items, _ in reference.values() for kind, _ in items}
    assert len(reference) >= 8 and kinds == {"match", "invite", "profile"}
    assert all(n == 1 for items, _ in reference.values() for n in items.values())
    writes = len(reference) + 3  # each notice, the state (twice at most here), the log page

    rng = random.Random(2026)
    points = []
    for kill in range(KILLS):
        copy_files(snapshot, data_dir())
        if kill % 2 == 0:
            after = 1 + (kill // 2) % writes
            run = notify(job_env, config, LETSCONNECT_CRASH_AFTER=str(after))
            run.communicate(timeout=120)
            assert run.returncode == -signal.SIGKILL, f"not killed after write {after}"
            points.append(f"after write {after}")
        else:
            delay = rng.uniform(0.2, 0.7 * duration)
            run = notify(job_env, config)
            time.sleep(delay)
            run.send_signal(signal.SIGKILL)
            run.communicate(timeout=120)
            points.append(f"after {delay:.2f} s ({'killed' if run.returncode < 0 else 'done'})")
        again = notify(job_env, config)
        out, err = again.communicate(timeout=120)
        assert again.returncode == 0, (points[-1], out, err)
        assert outcome(wiki) == reference, points[-1]
        assert sent_ids(wiki) == reference_sent, points[-1]
    assert sum(p.endswith("(killed)") for p in points) >= KILLS // 4, points

