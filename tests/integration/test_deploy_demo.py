"""What a reader finds after deploy, the demo run twice, and the tests' own wiki.

- Deploy puts up the bot's task page (every edit summary links to it) and the
  directory's landing page with the "Add your profile" button; links between
  the deployed pages are blue at once, and every link is once the jobs ran.
- The first run of the demo ends in its final state: a second run edits nothing.
- The tests never reset the demo's wiki.
"""

from __future__ import annotations

import html
import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from bot.config import load_config
from bot.demo.profiles import GRANTS_NS, PROGRAM_TEAM, DemoPage, DemoRevision, program_page
from bot.jobs.deploy import written_by_jobs
from tests.integration.conftest import run_job
from tests.integration.notify_helpers import profile
from tests.integration.wikiclient import DEMO_HOME, ROOT, URL, WikiClient, localwiki, seed

CONFIG = load_config()
TASK_PAGE = CONFIG.bot.task_page
LANDING = CONFIG.pages.directory
BUTTON = "{{Let's Connect/Add profile}}"
TEMPLATES = sorted(
    f"Template:Let's Connect/{path.stem}"
    for path in (ROOT / "templates_wikitext" / "Template" / "Let's Connect").glob("*.wikitext")
)
JOBS = ("deploy", "directory", "match", "sessions", "stats", "notify")


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def page_html(title: str) -> str:
    """The page as a reader gets it (from the parser cache, where a stale link shows)."""
    response = WikiClient().http.get(
        f"{URL}/index.php?title={quote(title.replace(' ', '_'))}", timeout=60)
    assert response.status_code == 200, title
    text = response.text
    return text[text.index('id="mw-content-text"'):text.index('id="catlinks"')]


def red_links(title: str) -> set[str]:
    """The pages this page links to that do not exist (MediaWiki's ``class="new"`` links).

    Links to user pages are left out: whether a participant (or the documentation's
    example user) has a user page is theirs to decide, not a broken link of the toolset.
    """
    links = re.findall(r'<a\b[^>]*\bclass="new"[^>]*>', page_html(title))
    targets = {html.unescape(re.search(r'title="([^"]*)"', a).group(1))
               .removesuffix(" (page does not exist)") for a in links}
    return {t for t in targets if not t.startswith(("User:", "User talk:"))}


def test_deploy_puts_up_the_task_page_and_the_landing_page_and_keeps_links_blue(
        job_env, wiki, config_dir):
    seed([PROGRAM_TEAM], [program_page()])  # the program's own page, there on Meta
    config = config_dir / "letsconnect.yaml"
    ok(run_job(job_env, "deploy", config=config))

    assert "Shutoff" in wiki.text(TASK_PAGE) and "optout" in wiki.text(TASK_PAGE)
    assert BUTTON in wiki.text(LANDING)
    button = page_html(LANDING)
    assert 'class="letsconnect-add-profile"' in button and "Add your profile" in button
    shown = [*TEMPLATES, LANDING, TASK_PAGE]
    for title in shown:  # right after deploy, only pages the other jobs write are missing
        early = {t for t in red_links(title) if not written_by_jobs(CONFIG, t)}
        assert not early, (title, early)
        assert f"{title}/doc" not in red_links(title)

    for job in JOBS[1:-1]:
        ok(run_job(job_env, job, config=config))
    localwiki("runjobs")  # the wiki's job queue, which runs by itself on Meta
    for title in shown:
        assert not red_links(title), title

    landing = wiki.text(LANDING)
    assert landing.index(BUTTON) < landing.index("{{Let's Connect/Start|directory}}")
    before = wiki.revisions(LANDING)[0]["revid"]
    mark = wiki.last_rcid()
    assert "changed 0," in ok(run_job(job_env, "deploy", config=config))
    assert wiki.edit_count_since(mark) == 0 and wiki.revisions(LANDING)[0]["revid"] == before


def test_deploy_never_writes_a_page_a_job_writes(job_env, wiki, config_dir):
    """A directory the job wrote before the landing page was deployed (a wiki where the bot
    ran before this version) keeps its table: deploy creates that page only when missing,
    and leaves it alone even with -force."""
    config = config_dir / "letsconnect.yaml"
    ok(run_job(job_env, "directory", config=config))
    written = wiki.text(LANDING)
    assert "{{Let's Connect/Start|directory}}" in written
    ok(run_job(job_env, "deploy", config=config))
    ok(run_job(job_env, "deploy", "-force", config=config))
    assert wiki.text(LANDING) == written


def test_the_first_match_shows_the_outcomes_already_recorded(job_env, wiki, config_dir):
    """Outcomes may name a group before the match state lists it (the demo records them
    before the first run; -rematch publishes new groups): the first run shows them."""
    config = config_dir / "letsconnect.yaml"
    round_id = "2026-11"
    outcome = ("{{Let's Connect/Outcome\n|group = 2026-11-001\n|held = yes\n"
               "|date = 2026-11-20\n|summary = We met.\n}}\n")
    seed(["Ana Sharer", "Ben Learner", PROGRAM_TEAM], [
        profile("Ana Sharer", share="Fundraising"),
        profile("Ben Learner", learn="Fundraising"),
        DemoPage(f"{CONFIG.notices.outcomes_page}/{round_id}", GRANTS_NS,
                 (DemoRevision(PROGRAM_TEAM, "2026-11-21T10:00:00Z", outcome),)),
    ])
    ok(run_job(job_env, "match", f"-round:{round_id}", config=config))
    page = wiki.text(f"{CONFIG.pages.matches}/{round_id}")
    assert "2026-11-001" in page and "\n| held\n" in page and "proposed" not in page

    mark = wiki.last_rcid()
    ok(run_job(job_env, "match", f"-round:{round_id}", config=config))
    assert wiki.edit_count_since(mark) == 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def refused(home: Path, port: int) -> subprocess.CompletedProcess:
    """Run one integration test by hand, as a person would, against the wiki in ``home``."""
    env = dict(os.environ, LOCALWIKI_HOME=str(home), LOCALWIKI_PORT=str(port))
    env.pop("LOCALWIKI_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/integration/test_templates.py::test_the_demo_pages_open"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert f"refusing to run the integration tests on the wiki in {home}" in result.stdout
    return result


def test_the_tests_refuse_the_demos_wiki(tmp_path):
    """Not a skip: the run fails and says why, before anything touches that wiki."""
    marked = tmp_path / "demo-home"
    marked.mkdir()
    (marked / "demo").write_text("scripts/demo\n")
    refused(marked, free_port())
    assert sorted(p.name for p in marked.iterdir()) == ["demo"]

    existed = (DEMO_HOME / "instance").exists()
    refused(DEMO_HOME, free_port())  # .localwiki, the demo's even before it was marked
    assert (DEMO_HOME / "instance").exists() == existed


def test_the_demo_ends_in_its_final_state_and_the_tests_leave_it_alone(demo_site):
    """`scripts/demo` twice on a wiki of its own: the second run edits nothing."""
    demo = [str(ROOT / "scripts" / "demo")]
    again = ok(subprocess.run(demo, env=demo_site.env, capture_output=True, text=True,
                              timeout=600))
    for job in JOBS:
        line = re.search(rf"^{job}: read \d+, changed (\d+),", again, re.M)
        assert line, (job, again)
        assert line.group(1) == "0", (job, again)

    pages = f"{demo_site.api}?action=query&list=allpages&apnamespace=200&aplimit=500&format=json"
    count = len(WikiClient().http.get(pages, timeout=60).json()["query"]["allpages"])
    refused(demo_site.home, demo_site.port)
    after = WikiClient().http.get(pages, timeout=60).json()["query"]["allpages"]
    assert len(after) == count > 150  # the demo is still there
