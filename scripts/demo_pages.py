"""Keep the wikitext of every page of a local wiki, and compare two such records.

A change meant to keep behaviour (a redesign, a move of code) is checked by running
``scripts/demo`` on a fresh wiki before and after it, recording each wiki's pages and
comparing the records.  Only what differs between any two runs is set aside before the
comparison: the time a run writes into its pages and notices, and a lease's run id.

    .venv/bin/python scripts/demo_pages.py save URL FILE.json
    .venv/bin/python scripts/demo_pages.py compare BEFORE.json AFTER.json

``compare`` prints every page that differs (a short diff each) and exits 1 if any does.
"""

from __future__ import annotations

import difflib
import json
import re
import sys
from pathlib import Path

import requests

#: Run times in their three spellings (ISO, ISO with offset, a signature) and a lease's
#: run id: the only parts of a page that change from one run to the next.
_VARYING = [
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:Z|[+-]\d\d:\d\d)"), "<time>"),
    (re.compile(r"\b\d\d:\d\d, \d{1,2} [A-Z][a-z]+ \d{4} \(UTC\)"), "<signature time>"),
    (re.compile(r'("by": ")[^"]*(")'), r"\1<run>\2"),
]


def save(url: str, out: Path) -> int:
    """Every page in every namespace with its latest text and author."""
    api = url.rstrip("/") + "/api.php"
    session = requests.Session()

    def query(**params: str) -> dict:
        params.update(action="query", format="json", formatversion="2")
        response = session.get(api, params=params, timeout=60)
        response.raise_for_status()
        return response.json()

    spaces = query(meta="siteinfo", siprop="namespaces")["query"]["namespaces"]
    titles: list[str] = []
    for space in (s for s in spaces.values() if s["id"] >= 0):
        more: dict[str, str] = {}
        while True:
            data = query(list="allpages", apnamespace=str(space["id"]), aplimit="max", **more)
            titles += [page["title"] for page in data["query"]["allpages"]]
            if "continue" not in data:
                break
            more = data["continue"]
    pages = {}
    for start in range(0, len(titles), 50):
        data = query(prop="revisions", rvprop="content|user", rvslots="main",
                     titles="|".join(titles[start:start + 50]))
        for page in data["query"]["pages"]:
            revision = page["revisions"][0]
            pages[page["title"]] = {"user": revision["user"],
                                    "text": revision["slots"]["main"]["content"]}
    out.write_text(json.dumps(pages, ensure_ascii=False, indent=1, sort_keys=True))
    print(f"{len(pages)} pages saved in {out}")
    return 0


def _steady(text: str) -> str:
    for pattern, replacement in _VARYING:
        text = pattern.sub(replacement, text)
    return text


def compare(before_file: Path, after_file: Path) -> int:
    before = json.loads(before_file.read_text())
    after = json.loads(after_file.read_text())
    differ = 0
    for title in sorted(set(before) | set(after)):
        if title not in after or title not in before:
            print(f"only {'before' if title in before else 'after'}: {title}")
            differ += 1
            continue
        old, new = _steady(before[title]["text"]), _steady(after[title]["text"])
        if old != new or before[title]["user"] != after[title]["user"]:
            differ += 1
            print(f"differs: {title}")
            diff = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
            for line in list(diff)[2:12]:
                print(f"  {line[:160]}")
    same = len(set(before) & set(after)) - differ
    print(f"{len(before)} pages before, {len(after)} after: {same} identical, {differ} differ")
    return 1 if differ else 0


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[0] == "save":
        return save(argv[1], Path(argv[2]))
    if len(argv) == 3 and argv[0] == "compare":
        return compare(Path(argv[1]), Path(argv[2]))
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
