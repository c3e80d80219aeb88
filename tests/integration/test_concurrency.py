"""People and other runs editing at the same time as the bot.

The bot reaches the wiki through :class:`FaultProxy` (with no faults here),
whose hooks act at the exact moment the bot's edit arrives: a person edits the
same page just before the bot's edit is passed on, so the edit is made
between the bot's read and its write, every time.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.integration.conftest import run_job
from tests.integration.faultproxy import FaultProxy, Seen
from tests.integration.notify_helpers import profile, talk_pages
from tests.integration.test_faults import proxied
from tests.integration.test_notify_crash import DATE, seed_small_program
from tests.integration.wikiclient import PORT, ROOT, WikiClient, seed

DIRECTORY = "Grants:Knowledge Sharing/Connect/Directory"
PROFILE = "Grants:Knowledge Sharing/Connect/Directory/"
START = "{{Let's Connect/Start|directory}}"
END = "{{Let's Connect/End|directory}}"
PEOPLE = ["Ines Moreau", "Omar Haddad", "Lea Schmidt", "Tariq Aziz"]
COUNTRIES = ["Brazil", "India", "France", "Egypt", "Japan", "Chile"]


def start(env, config: Path, *job: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "bot.cli", *job, f"-config:{config}"],
                            env=env, cwd=ROOT, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


@pytest.fixture
def trusting(config_dir: Path) -> Path:
    """The config with the test's admin trusted, so that its profile edits count."""
    path = config_dir / "letsconnect.yaml"
    path.write_text(path.read_text().replace("  trusted: []", "  trusted: [Admin]"))
    return path


@pytest.fixture
def directory_wiki(job_env, wiki, admin, trusting):
    """Four profiles, the directory written once, and a person's text around its table."""
    seed(PEOPLE, [profile(user, share="Fundraising") for user in PEOPLE])
    first = run_job(job_env, "directory", config=trusting)
    assert first.returncode == 0, first.stderr
    text = wiki.text(DIRECTORY)
    admin.edit(DIRECTORY, "Intro written by a person.\n\n" + text + "\n\nA closing note.")
    return admin


def change_profile(admin: WikiClient, user: str, country: str) -> None:
    text = admin.text(PROFILE + user)
    admin.edit(PROFILE + user, re.sub(r"\|country *= *[^\n|]*", f"|country = {country}", text))


def on_first_edit_of(title: str, action: Callable[[], None]) -> Callable[[Seen], None]:
    """A proxy hook that runs ``action`` once, when the bot's first edit of ``title`` arrives."""
    done = threading.Event()

    def hook(seen: Seen) -> None:
        if seen.is_edit and seen.params.get("title") == title and not done.is_set():
            done.set()
            action()

    return hook


def edits_of(proxy_log: list[Seen], title: str) -> int:
    return sum(1 for s in proxy_log if s.is_edit and s.params.get("title") == title)


def test_a_person_editing_outside_the_markers_meanwhile_keeps_their_text(
    job_env, directory_wiki, trusting, tmp_path
):
    admin = directory_wiki
    with FaultProxy(int(PORT)) as proxy:
        env = proxied(job_env, proxy, tmp_path / "pwb", retries=2)
        for n in range(5):
            change_profile(admin, PEOPLE[n % 4], COUNTRIES[n])
            where = "top" if n % 2 else "bottom"

            def human_edit(n=n, where=where) -> None:
                text = admin.text(DIRECTORY)
                line = f"Note {n} added by a person at the {where}."
                admin.edit(DIRECTORY, f"{line}\n{text}" if where == "top" else f"{text}\n{line}")

            proxy.before[:] = [on_first_edit_of(DIRECTORY, human_edit)]
            result = run_job(env, "directory", config=trusting)
            assert result.returncode == 0, result.stderr
            assert "while the bot was writing" in result.stdout, result.stdout
            text = admin.text(DIRECTORY)
            for kept in ["Intro written by a person.", "A closing note.",
                         *(f"Note {k} added by a person" for k in range(n + 1))]:
                assert kept in text, (n, kept)
            section = text.split(START, 1)[1].split(END, 1)[0]
            assert COUNTRIES[n] in section, n  # and the bot's change is there too


@pytest.mark.parametrize("overlap", ["same-lines", "other-lines"])
def test_an_edit_inside_the_markers_meanwhile_is_caught_and_the_table_rewritten(
    job_env, directory_wiki, trusting, tmp_path, overlap
):
    """Same lines: MediaWiki refuses the bot's edit (a conflict).  Other lines: MediaWiki
    merges the two edits, and the bot sees that the table is not what it wrote.  Either
    way it reads the page again and writes the table once more, saying so."""
    admin = directory_wiki
    change_profile(admin, "Omar Haddad", "Chile")
    before = admin.text(DIRECTORY)
    section = before.split(START, 1)[1].split(END, 1)[0]
    lines = section.splitlines()
    row = next(i for i, line in enumerate(lines) if "Omar Haddad" in line)
    if overlap == "same-lines":
        target = row
    else:  # a row the bot's change does not touch, away from the changed one
        target = next(i for i, line in enumerate(lines)
                      if line.startswith("|") and "[[" in line and abs(i - row) > 6)
    lines[target] = "| A PERSON'S CHANGE INSIDE THE TABLE"

    def human_edit() -> None:
        admin.edit(DIRECTORY, before.replace(section, "\n".join(lines)))

    seen: list[Seen] = []
    with FaultProxy(int(PORT)) as proxy:
        proxy.before[:] = [on_first_edit_of(DIRECTORY, human_edit), seen.append]
        env = proxied(job_env, proxy, tmp_path / "pwb", retries=2)
        result = run_job(env, "directory", config=trusting)
    assert result.returncode == 0, result.stderr
    assert "changed the generated part, which the bot writes again" in result.stdout
    text = admin.text(DIRECTORY)
    assert "A PERSON'S CHANGE INSIDE THE TABLE" not in text
    assert "Chile" in text.split(START, 1)[1]
    assert "Intro written by a person." in text and "A closing note." in text
    # The bot wrote last; the person's edit is in the history (just before the bot's, or
    # before the merged edit that the bot then corrected).
    history = [r["user"] for r in admin.revisions(DIRECTORY, limit=3)]
    assert history[0] == "LetsConnectBot" and "Admin" in history[1:], history
    assert edits_of(seen, DIRECTORY) >= 2  # refused or merged, then written again


def test_a_profile_edited_during_a_run_is_picked_up_by_the_next_run(
    job_env, directory_wiki, trusting, tmp_path
):
    admin = directory_wiki
    change_profile(admin, "Lea Schmidt", "India")
    with FaultProxy(int(PORT)) as proxy:
        proxy.before[:] = [on_first_edit_of(
            DIRECTORY, lambda: change_profile(admin, "Tariq Aziz", "Egypt"))]
        env = proxied(job_env, proxy, tmp_path / "pwb", retries=2)
        during = run_job(env, "directory", config=trusting)
        assert during.returncode == 0, during.stderr
        section = admin.text(DIRECTORY).split(START, 1)[1]
        assert "India" in section and "Egypt" not in section  # what the run read
        proxy.before[:] = []
        after = run_job(env, "directory", config=trusting)
    assert after.returncode == 0, after.stderr
    assert "no profile changed" not in after.stdout
    assert "Egypt" in admin.text(DIRECTORY).split(START, 1)[1]


def test_two_runs_of_a_job_at_once_one_writes_the_other_stops(
    job_env, directory_wiki, trusting, tmp_path
):
    admin = directory_wiki
    change_profile(admin, "Ines Moreau", "Brazil")

    def slow_lease(seen: Seen) -> None:  # both runs are certainly working at the same time
        if seen.is_edit and seen.params.get("title", "").endswith(".lease.json"):
            time.sleep(1.5)

    with FaultProxy(int(PORT)) as proxy:
        proxy.before[:] = [slow_lease]
        env = proxied(job_env, proxy, tmp_path / "pwb", retries=2)
        first, second = start(env, trusting, "directory"), start(env, trusting, "directory")
        results = [(p.wait(timeout=300), *p.communicate()) for p in (first, second)]
    assert [code for code, _, _ in results] == [0, 0], results
    stopped = [out for _, out, _ in results if "directory: stopped: another run" in out]
    wrote = [out for _, out, _ in results if re.search(r"changed [1-9]", out)]
    assert len(stopped) == 1 and len(wrote) == 1, results
    assert "without writing" in stopped[0]
    assert "Brazil" in admin.text(DIRECTORY).split(START, 1)[1]


def test_two_notify_runs_at_once_send_each_notice_once(job_env, wiki, config_dir, tmp_path):
    config = config_dir / "letsconnect.yaml"
    seed_small_program()
    assert run_job(job_env, "match", "-round:2026-11", config=config).returncode == 0
    with FaultProxy(int(PORT), slow_rate=0.3, slow=0.3) as proxy:
        env = proxied(job_env, proxy, tmp_path / "pwb", retries=2)
        runs = [start(env, config, "notify", DATE) for _ in range(2)]
        results = [(p.wait(timeout=300), *p.communicate()) for p in runs]
    assert [code for code, _, _ in results] == [0, 0], results
    talks = {t: talk for t, talk in talk_pages(wiki).items() if talk.items}
    assert len(talks) >= 8
    duplicates = sum(n - 1 for talk in talks.values() for n in talk.items.values())
    assert duplicates == 0
    assert all(len(talk.sections) == 1 for talk in talks.values())
    assert any("stopped: another run" in out for _, out, _ in results), results
