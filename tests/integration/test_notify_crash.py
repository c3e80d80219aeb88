"""Exactly once, even when the notify job is killed: 20 crashes at different points.

A small program (a dozen participants: two coffee groups, an invitation, a
profile problem) is loaded once and the wiki's database copied aside.  A
reference run on a fresh copy gives the talk pages as they should end up.
Then, 20 times: the database is put back, the job is killed with SIGKILL
from outside (half of the time by the proxy in front of the wiki, right after
the wiki made the job's N-th edit and before the job hears of it, which covers
every edit including the one between posting a notice and recording it; the
other half after a random delay, which also hits requests in flight), and run
again to the end.  Each time, every talk page must hold exactly the
reference's notices, each once, in as many sections.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time

from tests.integration.conftest import run_job
from tests.integration.faultproxy import FaultProxy, Seen
from tests.integration.notify_helpers import (
    ORGANISER,
    STATE,
    profile,
    session_page,
    talk_pages,
)
from tests.integration.test_faults import proxied
from tests.integration.wikiclient import PORT, ROOT, copy_files, data_dir, seed

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


def through(job_env, proxy: FaultProxy, home) -> dict[str, str]:
    """The jobs' environment with Pywikibot reaching the wiki through ``proxy`` (which
    injects no faults here), with the usual patience for a slow wiki."""
    env = proxied(job_env, proxy, home, retries=5)
    with open(os.path.join(env["PYWIKIBOT_DIR"], "user-config.py"), "a") as config:
        config.write("socket_timeout = (10, 120)\n")
    return env


class Killer:
    """A proxy hook that kills ``process`` with SIGKILL once the wiki has made its
    ``edits``-th edit, before the answer goes back; with ``edits`` 0 it only counts."""

    def __init__(self, edits: int = 0) -> None:
        self.edits = edits
        self.made = 0
        self.process: subprocess.Popen | None = None
        self.lock = threading.Lock()

    def __call__(self, seen: Seen) -> None:
        if not seen.is_edit:
            return
        with self.lock:
            self.made += 1
            if self.made == self.edits and self.process is not None:
                os.kill(self.process.pid, signal.SIGKILL)


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

    with FaultProxy(int(PORT)) as proxy:
        proxy_env = through(job_env, proxy, tmp_path / "pwb")
        counter = Killer()
        proxy.after[:] = [counter]
        started = time.monotonic()
        reference_run = notify(proxy_env, config)
        out, err = reference_run.communicate(timeout=120)
        duration = time.monotonic() - started
        assert reference_run.returncode == 0, (out, err)
        reference = outcome(wiki)
        reference_sent = sent_ids(wiki)
        kinds = {kind for items, _ in reference.values() for kind, _ in items}
        assert len(reference) >= 8 and kinds == {"match", "invite", "profile"}
        assert all(n == 1 for items, _ in reference.values() for n in items.values())
        # Every edit of the run: the lease, each notice, the state, the log page, the
        # export, the lease given back.
        edits = counter.made
        assert edits >= len(reference) + 3, edits

        rng = random.Random(2026)
        points = []
        for kill in range(KILLS):
            copy_files(snapshot, data_dir())
            if kill % 2 == 0:
                after = 1 + (kill // 2) % edits
                killer = Killer(after)
                proxy.after[:] = [killer]
                killer.process = run = notify(proxy_env, config)
                run.communicate(timeout=120)
                proxy.after[:] = []
                assert run.returncode == -signal.SIGKILL, f"not killed after edit {after}"
                points.append(f"after edit {after}")
            else:
                delay = rng.uniform(0.2, 0.7 * duration)
                run = notify(proxy_env, config)  # as the reference ran, so its time fits
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
