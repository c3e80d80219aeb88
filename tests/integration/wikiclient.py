"""A small, independent view of the local wiki for the tests.

It talks to api.php with plain ``requests`` (not through the bot's code), so
the tests check what the wiki really holds, the way a reader or an admin would.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
LOCALWIKI = ROOT / "scripts" / "localwiki"
#: The demo's wiki (scripts/demo, scripts/localwiki by hand): the tests never reset it.
DEMO_HOME = (ROOT / ".localwiki").resolve()
#: The tests' own wiki, unless LOCALWIKI_HOME and LOCALWIKI_PORT name another one.
TEST_HOME = DEMO_HOME / "test"
TEST_PORT = "8089"
HOME = Path(os.environ.get("LOCALWIKI_HOME") or TEST_HOME).resolve()
PORT = os.environ.get("LOCALWIKI_PORT") or TEST_PORT
URL = f"http://127.0.0.1:{PORT}"
API = f"{URL}/api.php"
# Every `scripts/localwiki` the tests start, and every job, works on that wiki: a shell
# that ran `eval "$(scripts/localwiki env)"` for the demo does not lead them to it.
os.environ.update(LOCALWIKI_HOME=str(HOME), LOCALWIKI_PORT=PORT, LOCALWIKI_URL=URL)


def refusal(home: Path) -> str | None:
    """Why the tests must not reset the wiki in ``home`` (None when it is theirs to reset).

    Each test starts from an empty database; run against the demo's wiki, the
    tests would wipe the demo.  scripts/demo marks its wiki with a file ``demo``.
    """
    home = home.resolve()
    if (home / "demo").exists():
        why = f"it holds the demo ({home / 'demo'} says so)"
    elif home == DEMO_HOME:
        why = "it is the demo's wiki (.localwiki, the one scripts/localwiki uses by default)"
    else:
        return None
    return (
        f"refusing to run the integration tests on the wiki in {home}: {why}, and every test "
        "resets its database. Unset LOCALWIKI_HOME and LOCALWIKI_PORT to use the tests' own "
        f"wiki ({TEST_HOME}, port {TEST_PORT}), or set them to another folder and port."
    )


def localwiki(*args: str) -> str:
    return subprocess.run(
        [sys.executable, str(LOCALWIKI), *args], check=True, capture_output=True, text=True
    ).stdout


def secrets() -> dict:
    path = localwiki("secrets-path").strip()
    return json.loads(Path(path).read_text())


class WikiClient:
    def __init__(self) -> None:
        self.http = requests.Session()
        self.http.headers["User-Agent"] = "LetsConnect-tests/0.1 (local test suite)"

    def get(self, **params) -> dict:
        params.setdefault("format", "json")
        params.setdefault("formatversion", "2")
        response = self.http.get(API, params=params, timeout=30)
        response.raise_for_status()
        return response.json()

    def post(self, **params) -> dict:
        params.setdefault("format", "json")
        params.setdefault("formatversion", "2")
        response = self.http.post(API, data=params, timeout=30)
        response.raise_for_status()
        return response.json()

    def login_admin(self) -> WikiClient:
        token = self.get(action="query", meta="tokens", type="login")["query"]["tokens"]
        result = self.post(
            action="clientlogin",
            username="Admin",
            password=secrets()["admin_password"],
            logintoken=token["logintoken"],
            loginreturnurl=URL,
        )
        assert result["clientlogin"]["status"] == "PASS", result
        return self

    def csrf(self) -> str:
        return self.get(action="query", meta="tokens")["query"]["tokens"]["csrftoken"]

    def edit(self, title: str, text: str, summary: str = "test edit", **extra) -> dict:
        result = self.post(
            action="edit", title=title, text=text, summary=summary, token=self.csrf(), **extra
        )
        assert "edit" in result and result["edit"]["result"] == "Success", result
        return result["edit"]

    def block(self, user: str) -> None:
        result = self.post(action="block", user=user, reason="test", token=self.csrf())
        assert "block" in result, result

    def text(self, title: str) -> str | None:
        pages = self.get(
            action="query", prop="revisions", titles=title, rvprop="content", rvslots="main"
        )["query"]["pages"]
        page = pages[0]
        if page.get("missing"):
            return None
        return page["revisions"][0]["slots"]["main"]["content"]

    def revisions(self, title: str, limit: int = 50) -> list[dict]:
        pages = self.get(
            action="query", prop="revisions", titles=title, rvprop="ids|user|comment|timestamp",
            rvlimit=limit,
        )["query"]["pages"]
        return pages[0].get("revisions", [])

    def page_info(self, title: str) -> dict:
        return self.get(action="query", prop="info", titles=title)["query"]["pages"][0]

    def parse(self, title: str) -> dict:
        return self.get(action="parse", page=title, prop="text|categories|links|templates")[
            "parse"
        ]

    def edit_count_since(self, rcid: int) -> int:
        """How many edits the wiki recorded after recent-change id ``rcid``."""
        changes = self.get(action="query", list="recentchanges", rclimit=500, rcprop="ids")
        return sum(1 for c in changes["query"]["recentchanges"] if c["rcid"] > rcid)

    def last_rcid(self) -> int:
        changes = self.get(action="query", list="recentchanges", rclimit=1, rcprop="ids")
        items = changes["query"]["recentchanges"]
        return items[0]["rcid"] if items else 0


def seed(users: list[str], pages) -> None:
    """Create accounts and import pages with their authors (``bot.demo.DemoPage`` objects)."""
    from bot.demo.profiles import export_xml

    localwiki("seed-users", *users)
    with tempfile.NamedTemporaryFile("w", suffix=".xml", delete=False, encoding="utf-8") as f:
        f.write(export_xml(list(pages)))
        path = f.name
    try:
        localwiki("import", path)
    finally:
        os.unlink(path)


def data_dir() -> Path:
    """Where the local wiki keeps its SQLite database files."""
    return HOME / "instance" / "data"


def copy_files(source: Path, target: Path) -> None:
    """Copy the database files (as `scripts/localwiki reset` does with its pristine copy):
    a test saves the wiki as it is and puts it back for a second run."""
    target.mkdir(parents=True, exist_ok=True)
    for path in target.glob("*.sqlite"):
        path.unlink()
    for path in source.glob("*.sqlite"):
        shutil.copy2(path, target / path.name)
