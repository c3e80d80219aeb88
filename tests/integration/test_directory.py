"""The directory job on the demo program, on the real wiki."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import wikitextparser as wtp
import yaml

from bot.demo.profiles import demo_program
from tests.integration.conftest import run_job
from tests.integration.faultproxy import FaultProxy, Seen
from tests.integration.notify_helpers import profile
from tests.integration.test_faults import proxied
from tests.integration.wikiclient import PORT, ROOT, seed

DIRECTORY = "Grants:Knowledge Sharing/Connect/Directory"
SKILLS = "Grants:Knowledge Sharing/Connect/Skills"
PROBLEMS = "Grants:Knowledge Sharing/Connect/Profile problems"
EXPORT = "Grants:Knowledge Sharing/Connect/Data/directory.json"


@pytest.fixture
def program():
    return demo_program(yaml.safe_load((ROOT / "config" / "skills.yaml").read_text()))


@pytest.fixture
def demo(job_env, wiki, program, config_dir):
    assert run_job(job_env, "deploy", config=config_dir / "letsconnect.yaml").returncode == 0
    seed(program.users, program.pages)
    return wiki


def expected_listed(program) -> set[str]:
    """Who a reader should find in the directory, worked out from the sample data itself."""
    now = datetime.now(UTC)
    listed = set()
    for page in program.pages:
        owner = page.title.rsplit("/", 1)[1]
        own = [r for r in page.revisions if r.user == owner]
        if not own:
            continue
        rev = own[-1]
        age = now - datetime.fromisoformat(rev.timestamp.replace("Z", "+00:00"))
        if re.search(r"\|consent = yes", rev.text) and age.days <= 365:
            listed.add(owner)
    return listed


def users_in(text: str) -> set[str]:
    return set(re.findall(r"\[\[User:([^|\]]+)\|", text))


def directory_rows(text: str) -> dict[str, str]:
    rows = {}
    for table in wtp.parse(text).tables:
        for row in table.data(span=False)[1:]:
            found = users_in(row[0])
            if found:
                rows[found.pop()] = "|".join(row)
    return rows


def test_demo_profiles_give_the_directory_skills_problems_and_export(job_env, demo, program):
    result = run_job(job_env, "directory")
    assert result.returncode == 0, result.stderr

    directory = demo.text(DIRECTORY)
    assert users_in(directory) == expected_listed(program)
    assert "{{Let's Connect/Start|directory}}" in directory
    assert "{{Let's Connect/End|directory}}" in directory
    assert "Nobody Registered" not in directory

    skills = demo.text(SKILLS)
    assert "Sharers wanted" in skills or "sharers wanted" in skills.lower()

    problems = demo.text(PROBLEMS)
    assert "Wikidata basiks" in problems  # the typo the sample program makes
    assert "Nobody Registered" in problems  # a profile for an account that does not exist

    export = json.loads(demo.text(EXPORT))
    assert export["schema"] == 1
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", export["generated"])
    by_user = {p["user"]: p for p in export["participants"]}
    assert expected_listed(program) <= set(by_user)
    assert {by_user[u]["status"] for u in expected_listed(program)} == {"active"}
    assert all(set(p) >= {"user", "page", "status"} for p in export["participants"])
    assert {"page", "user", "code", "field", "value", "message"} <= set(export["problems"][0])

    for title in (DIRECTORY, SKILLS, PROBLEMS):
        html = demo.parse(title)["text"]
        assert "scribunto-error" not in html and "Lua error" not in html


def test_a_rerun_with_nothing_changed_makes_no_edit(job_env, demo):
    assert run_job(job_env, "directory").returncode == 0
    mark = demo.last_rcid()
    again = run_job(job_env, "directory")
    assert again.returncode == 0, again.stderr
    assert "changed 0" in again.stdout
    assert demo.edit_count_since(mark) == 0


def test_nothing_changed_costs_two_requests_and_a_full_run_no_edit(job_env, demo, tmp_path):
    """At the API's floor: a run with nothing changed asks the wiki twice (the login check,
    then the state page with Recent changes) and edits nothing; a -full run with nothing
    changed reads everything and edits nothing (its time is a note, not an edit), and the
    run after it is idle again.  Counted by a proxy between the job and the wiki."""
    assert run_job(job_env, "directory").returncode == 0
    seen: list[Seen] = []
    with FaultProxy(int(PORT)) as proxy:
        proxy.before[:] = [seen.append]
        env = proxied(job_env, proxy, tmp_path / "pwb", retries=2)
        assert run_job(env, "directory").returncode == 0  # logs in, fills Pywikibot's caches
        seen.clear()
        idle = run_job(env, "directory")
        assert "no profile changed" in idle.stdout, idle.stdout + idle.stderr
        assert len(seen) <= 2 and not any(s.is_edit for s in seen), [s.params for s in seen]
        mark = demo.last_rcid()
        seen.clear()
        full = run_job(env, "directory", "-full")
        assert full.returncode == 0 and "changed 0" in full.stdout, full.stdout + full.stderr
        assert not any(s.is_edit for s in seen)
        assert demo.edit_count_since(mark) == 0
        seen.clear()
        again = run_job(env, "directory")
        assert "no profile changed" in again.stdout and len(seen) <= 2


def test_a_profile_imported_just_after_a_run_is_read_by_the_next_run(job_env, demo):
    """A revision that a test imports right after a run is stamped by the test's clock, in
    the second the import runs or a moment ahead of the wiki's clock: it is in Recent
    changes at once (rebuildrecentchanges.php alone leaves out what is not older than the
    second it starts in), so the next run is not idle and lists the new profile."""
    assert run_job(job_env, "directory").returncode == 0
    ahead = (datetime.now(UTC) + timedelta(seconds=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    seed(["Ivo Import"], [profile("Ivo Import", ahead, learn="Fundraising")])
    after = run_job(job_env, "directory")
    assert after.returncode == 0, after.stderr
    assert "no profile changed" not in after.stdout, after.stdout
    assert "Ivo Import" in {p["user"] for p in json.loads(demo.text(EXPORT))["participants"]}


def test_editing_one_profile_changes_exactly_its_rows(job_env, demo, admin, program, config_dir):
    config = config_dir / "letsconnect.yaml"
    config.write_text(config.read_text().replace("trusted: []", "trusted: [Admin]"))
    assert run_job(job_env, "directory", config=config).returncode == 0
    before = directory_rows(demo.text(DIRECTORY))
    user = sorted(before)[0]
    title = f"Grants:Knowledge Sharing/Connect/Directory/{user}"
    text = demo.text(title)
    changed = re.sub(r"\|affiliation = [^\n]*", "|affiliation = Wikimedia Test Chapter", text)
    admin.edit(title, changed)

    assert run_job(job_env, "directory", config=config).returncode == 0
    after = directory_rows(demo.text(DIRECTORY))
    assert set(after) == set(before)
    differing = {u for u in before if before[u] != after[u]}
    assert differing == {user}
    assert "Wikimedia Test Chapter" in after[user]


def test_text_outside_the_markers_is_kept(job_env, demo, admin):
    assert run_job(job_env, "directory").returncode == 0
    text = demo.text(DIRECTORY)
    admin.edit(DIRECTORY, "Intro written by the working group.\n\n" + text + "\n[[Category:Kept]]")
    block = "Ana Okafor"
    demo_block = admin.post(action="block", user=block, reason="test", token=admin.csrf())
    assert "block" in demo_block

    # No profile changed: a block is seen at the next full run (daily, or -full now).
    assert run_job(job_env, "directory", "-full").returncode == 0
    after = demo.text(DIRECTORY)
    assert after.startswith("Intro written by the working group.")
    assert after.endswith("[[Category:Kept]]")
    assert f"[[User:{block}|" not in after
    export = json.loads(demo.text(EXPORT))
    assert {p["user"]: p["status"] for p in export["participants"]}[block] == "blocked"


def test_a_page_with_a_start_marker_and_no_end_marker_is_left_untouched(job_env, demo, admin):
    broken = "Intro.\n{{Let's Connect/Start|directory}}\nold rows, end marker lost\n"
    admin.edit(DIRECTORY, broken)
    result = run_job(job_env, "directory")
    assert "no end marker" in result.stdout + result.stderr
    assert demo.text(DIRECTORY) == broken.rstrip("\n")
    assert demo.text(SKILLS) is not None  # the other pages were still written
