"""Load the sample program into the local wiki once (scripts/demo calls this).

Accounts are created in one PHP call and the profile pages imported with their
authors through importDump.php, so the bot sees owners' edits as on Meta.
A wiki that already has the sample program is left as it is.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import requests
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.demo import demo_program, export_xml  # noqa: E402


def already_seeded(api: str, title: str) -> bool:
    data = requests.get(
        api, params={"action": "query", "titles": title, "format": "json", "formatversion": 2},
        timeout=30,
    ).json()
    return not data["query"]["pages"][0].get("missing", False)


def main() -> int:
    url = os.environ.get("LOCALWIKI_URL", "http://127.0.0.1:8080")
    skills = yaml.safe_load((ROOT / "config" / "skills.yaml").read_text(encoding="utf-8"))
    program = demo_program(skills)
    if already_seeded(f"{url}/api.php", program.pages[0].title):
        print("demo: the sample program is already on the wiki")
        return 0
    localwiki = str(ROOT / "scripts" / "localwiki")
    subprocess.run([sys.executable, localwiki, "seed-users", *program.users], check=True)
    with tempfile.NamedTemporaryFile("w", suffix=".xml", delete=False, encoding="utf-8") as f:
        f.write(export_xml(program.pages))
    try:
        subprocess.run([sys.executable, localwiki, "import", f.name], check=True)
    finally:
        os.unlink(f.name)
    print(f"demo: loaded {len(program.pages)} profile pages by {len(program.users)} accounts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
