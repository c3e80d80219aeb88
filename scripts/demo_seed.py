"""Load the sample program into the local wiki once (scripts/demo calls this).

Everything the jobs read is loaded before the first job runs: the program's
page (a stand-in for Meta's), the profiles, and the session logs, resources,
coffee outcomes and other learning spaces.  The outcomes name this round's
groups before ``match`` has published them, as on Meta where groups record
outcomes weeks after the round page was written; so the first run of every
job already sees its final input, and a second ``scripts/demo`` has nothing
left to change.

Accounts are created in one PHP call and the pages imported with their authors
through importDump.php, so the bot sees owners' edits as on Meta.  What is
already on the wiki is not loaded again.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import requests
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.demo.profiles import (  # noqa: E402
    PROGRAM_PAGE,
    PROGRAM_TEAM,
    DemoPage,
    demo_program,
    export_xml,
    program_page,
)
from bot.demo.sessions import SPACES_PAGE, demo_sessions  # noqa: E402

LOCALWIKI = str(ROOT / "scripts" / "localwiki")


def exists(api: str, title: str) -> bool:
    data = requests.get(
        api, params={"action": "query", "titles": title, "format": "json", "formatversion": 2},
        timeout=30,
    ).json()
    return not data["query"]["pages"][0].get("missing", False)


def load(users: list[str], pages: list[DemoPage]) -> None:
    """Create the accounts, then import the pages with their authors."""
    subprocess.run([sys.executable, LOCALWIKI, "seed-users", *users], check=True)
    with tempfile.NamedTemporaryFile("w", suffix=".xml", delete=False, encoding="utf-8") as f:
        f.write(export_xml(pages))
    try:
        subprocess.run([sys.executable, LOCALWIKI, "import", f.name], check=True)
    finally:
        os.unlink(f.name)


def main() -> int:
    url = os.environ.get("LOCALWIKI_URL", "http://127.0.0.1:8080")
    api = f"{url}/api.php"
    skills = yaml.safe_load((ROOT / "config" / "skills.yaml").read_text(encoding="utf-8"))
    program = demo_program(skills)
    if not exists(api, PROGRAM_PAGE):  # on Meta it is there already
        load([PROGRAM_TEAM], [program_page()])
    if exists(api, program.pages[0].title):
        print("demo: the sample program is already on the wiki")
    else:
        load(program.users, program.pages)
        print(f"demo: loaded {len(program.pages)} profile pages by {len(program.users)} accounts")
    if exists(api, SPACES_PAGE):
        print("demo: the sample sessions are already on the wiki")
    else:
        demo = demo_sessions(program.users, now=datetime.now(UTC))
        load(demo.users, demo.pages)
        print(f"demo: loaded {len(demo.pages)} session, outcome and space pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
