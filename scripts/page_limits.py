#!/usr/bin/env python3
"""The size and MediaWiki's parser limit report of every page the bot generates, in every
language version, as the wiki parses them for a reader.

Usage: .venv/bin/python scripts/page_limits.py [API_URL]
       (default: the local wiki's, from `scripts/localwiki env`; LOCALWIKI_HOME/PORT pick it)

For each existing page (the directory and its region pages when it is split, skills,
problems, resources, calendar, session problems, dashboard, the newest round's matches and
notices log, and every language subpage of each), `action=parse` gives the limit report
MediaWiki shows in a page's HTML comment: post-expand include size, preprocessor nodes, Lua
time, expensive calls, and the parser's own time.  One line a page; the last lines say
whether every page is inside Meta's limits (2,048 KiB post-expand and page size, 10 s of
Lua, 500 expensive calls, 1,000,000 nodes).  scripts/bench calls :func:`report` after its runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: Meta-Wiki's limits (as MediaWiki's defaults): bytes, nodes, seconds, calls.
LIMITS = {"size": 2048 * 1024, "postexpand": 2048 * 1024, "nodes": 1_000_000, "lua": 10.0,
          "expensive": 500}


def generated_titles(api: str) -> list[str]:
    """Every page the jobs write for people to read, in every language, that exists."""
    return list(generated_pages(api))


def generated_pages(api: str) -> dict[str, int]:
    """Those pages with their sizes in bytes (asked once, 50 titles a request)."""
    from bot.config import load_config
    from bot.directory.pages import region_page
    from bot.taxonomy import Taxonomy
    from bot.wikitext.versions import version_titles

    config = load_config(ROOT / "config" / "letsconnect.yaml")
    pages = config.pages
    taxonomy = Taxonomy.load()
    # a directory too large for one page is split by region (bot.directory.pages)
    regions = [region_page(pages.directory, taxonomy, r) for r in (*taxonomy.regions, "")]
    bases = [pages.directory, *regions, pages.by_skill, pages.problems, pages.resources,
             pages.calendar, pages.session_problems, pages.dashboard]
    for prefix in (pages.matches, config.notices.log_page):
        newest = _newest_subpage(api, prefix)
        if newest:
            bases.append(newest)
    titles = [t for base in bases for t in version_titles(base).values()]
    existing = lengths(api, titles)
    return {t: existing[t] for t in titles if t in existing}


def _newest_subpage(api: str, prefix: str) -> str | None:
    """The last round or month under ``prefix`` ("…/Matches/2026-12"), not its versions."""
    namespace, _, rest = prefix.partition(":")
    ns = {"Grants": 200, "User": 2}.get(namespace, 0)
    data = requests.get(api, params={"action": "query", "list": "allpages", "apnamespace": ns,
                                     "apprefix": rest + "/", "aplimit": "max",
                                     "format": "json"}, timeout=60).json()
    months = sorted(p["title"] for p in data["query"]["allpages"]
                    if p["title"].count("/") == prefix.count("/") + 1)
    return months[-1] if months else None


def lengths(api: str, titles: list[str]) -> dict[str, int]:
    """The size in bytes of each of ``titles`` that exists, asked 50 titles a request."""
    found: dict[str, int] = {}
    for start in range(0, len(titles), 50):
        data = requests.post(api, data={"action": "query", "prop": "info", "format": "json",
                                        "titles": "|".join(titles[start:start + 50])},
                             timeout=60).json()
        found |= {p["title"]: p.get("length", 0) for p in data["query"]["pages"].values()
                  if "missing" not in p}
    return found


def limit_report(api: str, title: str, length: int) -> dict[str, float]:
    """One page parsed as a reader gets it: its limit report in numbers, and the wall time
    of the parse as this client saw it."""
    started = time.monotonic()
    data = requests.post(api, data={"action": "parse", "page": title, "format": "json",
                                    "prop": "limitreportdata|revid", "disableeditsection": 1},
                         timeout=600).json()
    wall = time.monotonic() - started
    raw = {item["name"]: item.get("0", 0) for item in data["parse"]["limitreportdata"]}
    return {
        "size": float(length),
        "postexpand": float(raw.get("limitreport-postexpandincludesize", 0)),
        "nodes": float(raw.get("limitreport-ppvisitednodes", 0)),
        "lua": float(raw.get("scribunto-limitreport-timeusage", 0) or 0),
        "expensive": float(raw.get("limitreport-expensivefunctioncount", 0)),
        "cpu": float(raw.get("limitreport-cputime", 0) or 0),
        "wall": wall,
    }


def report(api: str, out=sys.stdout) -> bool:  # noqa: ANN001 - a text stream
    """Print one line a page and a verdict; True when every page is inside the limits."""
    sizes = generated_pages(api)
    print(f"{'page':<64} {'bytes':>10} {'post-expand':>12} {'nodes':>8} {'Lua s':>6} "
          f"{'expens.':>7} {'CPU s':>6} {'wall s':>6}", file=out)
    worst = dict.fromkeys(LIMITS, 0.0)
    for title, size in sizes.items():
        r = limit_report(api, title, size)
        for key in LIMITS:
            worst[key] = max(worst[key], r[key])
        print(f"{title[-64:]:<64} {r['size']:>10,.0f} {r['postexpand']:>12,.0f} "
              f"{r['nodes']:>8,.0f} {r['lua']:>6.2f} {r['expensive']:>7,.0f} {r['cpu']:>6.2f} "
              f"{r['wall']:>6.2f}", file=out)
    inside = all(worst[k] <= LIMITS[k] for k in LIMITS)
    print(f"{len(sizes)} pages; largest: " + ", ".join(
        f"{k} {worst[k]:,.2f} of {LIMITS[k]:,}" for k in LIMITS), file=out)
    print("every page within Meta's limits" if inside else "OVER A LIMIT", file=out)
    return inside


def _local_api() -> str:
    env = subprocess.run([sys.executable, str(ROOT / "scripts" / "localwiki"), "env"],
                         check=True, capture_output=True, text=True).stdout
    for line in env.splitlines():
        key, _, value = line.removeprefix("export ").partition("=")
        if key == "LOCALWIKI_URL":
            return value.strip("'\"") + "/api.php"
    return f"http://127.0.0.1:{os.environ.get('LOCALWIKI_PORT', '8080')}/api.php"


if __name__ == "__main__":
    sys.exit(0 if report(sys.argv[1] if len(sys.argv) > 1 else _local_api()) else 1)
