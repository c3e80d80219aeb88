"""Integration tests run the real jobs against the real local MediaWiki.

The tests have their own wiki (``.localwiki/test`` on port 8089, or the one that
LOCALWIKI_HOME and LOCALWIKI_PORT name), started once (``scripts/localwiki
start``: installed on first use) and reset to an empty database before each
test that asks for ``wiki``.  They refuse to start on the demo's wiki.  Jobs run
as subprocesses, exactly as the working group runs them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.wikiclient import HOME, ROOT, WikiClient, localwiki, refusal

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def job_env() -> dict[str, str]:
    refused = refusal(HOME)
    if refused:  # before anything touches that wiki; the whole run stops and says why
        pytest.exit(refused, returncode=pytest.ExitCode.TESTS_FAILED)
    localwiki("start")
    env = dict(os.environ)
    for line in localwiki("env").splitlines():
        key, _, value = line.removeprefix("export ").partition("=")
        env[key] = value
    env["PYTHONPATH"] = str(ROOT)
    return env


@pytest.fixture
def wiki(job_env) -> WikiClient:
    localwiki("reset")
    return WikiClient()


@pytest.fixture
def admin(wiki) -> WikiClient:
    return WikiClient().login_admin()


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    """A private copy of config/ that a test may change."""
    target = tmp_path / "config"
    shutil.copytree(ROOT / "config", target)
    text = (target / "letsconnect.yaml").read_text()
    source = ROOT / "templates_wikitext"
    text = text.replace('source_dir: "templates_wikitext"', f'source_dir: "{source}"')
    (target / "letsconnect.yaml").write_text(text)
    return target


def run_job(env: dict[str, str], job: str, *args: str, config: Path | None = None):
    cmd = [sys.executable, "-m", "bot.cli", job, *args]
    if config is not None:
        cmd.append(f"-config:{config}")
    return subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT, timeout=600)


def run_snippet(env: dict[str, str], script: str) -> str:
    """Run a few lines of Python with the jobs' environment (Pywikibot pointed at the test
    wiki); the last line they print, for edge functions no job reaches on its own."""
    out = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()[-1]
