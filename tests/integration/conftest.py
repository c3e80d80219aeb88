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
import socket
import subprocess
import sys
from dataclasses import dataclass
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


def run_snippet(env: dict[str, str], script: str, stdin: str | None = None) -> str:
    """Run a few lines of Python with the jobs' environment (Pywikibot pointed at the test
    wiki); the last line they print, for edge functions no job reaches on its own."""
    out = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, input=stdin,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()[-1]


@dataclass(frozen=True)
class DemoSite:
    """A wiki of its own on which ``scripts/demo`` ran once: every job wrote every page."""

    home: Path
    port: int
    env: dict[str, str]
    first_run: str

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.port}/api.php"


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> DemoSite:
    """The demo, run once for every test that reads what it wrote; stopped at the end."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    home = tmp_path_factory.mktemp("demo") / "demo-home"
    env = {k: v for k, v in os.environ.items() if k not in {"PYWIKIBOT_DIR", "LOCALWIKI_URL"}}
    env.update(LOCALWIKI_HOME=str(home), LOCALWIKI_PORT=str(port))
    try:
        result = subprocess.run([str(ROOT / "scripts" / "demo")], env=env, capture_output=True,
                                text=True, timeout=1200)
        assert result.returncode == 0, result.stdout + result.stderr
        yield DemoSite(home, port, env, result.stdout)
    finally:
        subprocess.run([sys.executable, str(ROOT / "scripts" / "localwiki"), "stop"], env=env,
                       capture_output=True, check=False)
