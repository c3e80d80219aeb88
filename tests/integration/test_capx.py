"""The Capacity Exchange bridge end to end: the real CapX backend (release 2.2.27, from
../shared/vendor/capx-backend or CAPX_BACKEND) on 127.0.0.1 with a SQLite database, fed
through Django's ORM (tests/integration/capx_seed.py), and the real jobs on the real wiki.

One story, in the order a program lives it: capx=yes participants appear in the directory
with their CapX skills, languages and region; what no skill stands for is reported; the
wiki's values win; they are matched and notified in their language; an idle run stays idle
and CapX is not read again until a capx=yes profile changes; with the server stopped the
next run finishes and keeps the last values; no e-mail reaches any page, export or log.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.demo.profiles import GRANTS_NS, PROFILE_PREFIX, DemoPage, DemoRevision, profile_text
from tests.integration.conftest import run_job
from tests.integration.wikiclient import ROOT, WikiClient, seed

BACKEND = Path(os.environ.get("CAPX_BACKEND")
               or ROOT.parent / "shared" / "vendor" / "capx-backend")
SECRET = "capx-secret.example"  # the domain of every e-mail address in CapX
DATA = "Grants:Knowledge Sharing/Connect/Data/"
ROUND = datetime.now(UTC).strftime("%Y-%m")
TODAY = datetime.now(UTC).strftime("%Y-%m-%d")
PROBLEMS = "Grants:Knowledge Sharing/Connect/Profile problems"
STATE = "User:LetsConnectBot/state/directory.json"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class CapxServer:
    """scripts/capx-server with a database of this test's own."""

    def __init__(self, home: Path) -> None:
        self.env = {**os.environ, "CAPX_BACKEND": str(BACKEND), "CAPX_HOME": str(home),
                    "CAPX_PORT": str(_free_port())}
        self.url = f"http://127.0.0.1:{self.env['CAPX_PORT']}"
        self.log = home / "server.log"

    def run(self, *args: str) -> str:
        done = subprocess.run([str(ROOT / "scripts" / "capx-server"), *args], env=self.env,
                              capture_output=True, text=True, timeout=900, check=False)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        return done.stdout

    def requests(self) -> int:
        """How many requests the server answered so far (its log has one line each)."""
        text = self.log.read_text(encoding="utf-8") if self.log.exists() else ""
        return sum(1 for line in text.splitlines() if '"GET /' in line)


@pytest.fixture(scope="module")
def capx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CapxServer]:
    if not (BACKEND / "manage.py").is_file():
        pytest.skip(f"no CapX backend at {BACKEND}: get release 2.2.27 of "
                    "https://github.com/wikimediabrasil/capx-backend and set CAPX_BACKEND "
                    "to its folder")
    server = CapxServer(tmp_path_factory.mktemp("capx"))
    server.run("start")
    try:
        server.run("run", str(Path(__file__).with_name("capx_seed.py")))
        yield server
    finally:
        server.run("stop")


def stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def profile(user: str, fields: dict[str, str]) -> DemoPage:
    return DemoPage(PROFILE_PREFIX + user, GRANTS_NS,
                    (DemoRevision(user, stamp(), profile_text(fields)),))


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, (result.stdout, result.stderr)
    return result


def participants(wiki: WikiClient) -> dict[str, dict[str, object]]:
    export = json.loads(wiki.text(DATA + "directory.json") or "{}")
    return {p["user"]: p for p in export["participants"]}


def every_page_text(wiki: WikiClient) -> str:
    """The text of every page of the wiki, every namespace."""
    spaces = wiki.get(action="query", meta="siteinfo", siprop="namespaces")
    texts = []
    for ns in spaces["query"]["namespaces"].values():
        if ns["id"] < 0:
            continue
        found = wiki.get(action="query", generator="allpages", gapnamespace=ns["id"],
                         gaplimit=500, prop="revisions", rvprop="content", rvslots="main")
        for page in found.get("query", {}).get("pages", []):
            texts += [r["slots"]["main"]["content"] for r in page.get("revisions", [])]
    return "\n".join(texts)


def test_capx_participants_end_to_end(capx: CapxServer, job_env, wiki, config_dir,
                                      tmp_path: Path) -> None:
    config = config_dir / "letsconnect.yaml"
    text = config.read_text(encoding="utf-8").replace(
        'base_url: "https://capx-backend.toolforge.org"', f'base_url: "{capx.url}"')
    config.write_text(text, encoding="utf-8")
    outputs: list[str] = []

    def job(name: str, *args: str) -> subprocess.CompletedProcess[str]:
        done = ok(run_job(job_env, name, *args, config=config))
        outputs.append(done.stdout + done.stderr)
        return done

    job("deploy")
    seed(["Capx Ana", "Capx Wiki", "Capx Ghost", "Wiki Bea", "Wiki Cy"], [
        # Nothing but consent and capx: everything else comes from CapX.
        profile("Capx Ana", {"consent": "yes", "capx": "yes"}),
        # The wiki gives skills to share, a language and a country: they win.
        profile("Capx Wiki", {"consent": "yes", "capx": "yes", "share": "Meeting facilitation",
                              "languages": "French", "country": "Morocco"}),
        # capx=yes, but CapX has nobody by that name.
        profile("Capx Ghost", {"consent": "yes", "capx": "yes", "share": "Social media",
                               "languages": "en"}),
        profile("Wiki Bea", {"consent": "yes", "share": "Budget development",
                             "languages": "pt", "country": "Brazil", "capacity": "2"}),
        profile("Wiki Cy", {"consent": "yes", "learn": "Automation tools", "languages": "pt",
                            "country": "Brazil"}),
    ])

    before = capx.requests()
    first = job("directory")
    read = capx.requests() - before
    assert "read the Capacity Exchange: 2 of 3 capx=yes participants found, " \
        f"{read} requests" in first.stdout
    assert read == 5  # the tree, three lists, one page of users: never one per participant

    people = participants(wiki)
    ana = people["Capx Ana"]
    assert (ana["share"], ana["learn"], ana["languages"], ana["region"], ana["country"],
            ana["affiliation"]) == (["automation-tools"], ["budget-development"], ["pt"],
                                    "lac", "BR", "Wikimedia Brasil")
    assert ana["status"] == "active"
    assert ana["from_capx"] == ["share", "learn", "languages", "region", "country",
                                "affiliation"]
    wiki_wins = people["Capx Wiki"]
    assert (wiki_wins["share"], wiki_wins["languages"], wiki_wins["country"]) == (
        ["facilitation"], ["fr"], "MA")  # the wiki's, not CapX's social media and German
    assert wiki_wins["learn"] == ["budget-development"]  # the entry left it empty
    assert wiki_wins["from_capx"] == ["learn", "affiliation"]
    export = json.loads(wiki.text(DATA + "directory.json") or "{}")
    assert 139 in export["skills"]["automation-tools"]["capx"]  # the QIDs and CapX codes
    assert export["skills"]["social-media"] == {"qid": "Q202833", "capx": [47]}
    directory = wiki.text("Grants:Knowledge Sharing/Connect/Directory") or ""
    assert "Capx Ana" in directory

    # What no skill stands for, in plain words on the problems page; and the ghost.
    problems = {(p["user"], p["code"], p["value"]) for p in export["problems"]}
    assert ("Capx Ana", "capx-unmapped", "118") in problems  # Wikipedia: CapX gives no name
    assert ("Capx Ghost", "capx-not-found", "yes") in problems
    assert not any(u == "Capx Wiki" and c == "capx-unmapped" for u, c, _ in problems)
    page = wiki.text(PROBLEMS) or ""  # each line in its owner's language: Ana's Portuguese
    assert "inclui “118” entre as capacidades que você quer aprender" in page
    assert "has no profile under the user name Capx Ghost" in page

    # The profile card shows what came from CapX.
    card = wiki.get(action="parse", title=PROFILE_PREFIX + "Capx Ana",
                    text="{{Let's Connect/Profile|consent=yes|capx=yes}}",
                    prop="text")["parse"]["text"]
    assert "from the Capacity Exchange" in card and "Automation tools" in card

    # Matched, and told in their language (CapX's Portuguese: the program's pt-br).
    job("match", f"-round:{ROUND}")
    groups = json.loads(wiki.text(f"{DATA}matches/{ROUND}.json") or "{}")["groups"]
    assert any(g["sharer"] == "Capx Ana" and g["skill"] == "automation-tools" for g in groups)
    assert any("Capx Ana" in g["learners"] and g["skill"] == "budget-development"
               for g in groups)
    job("notify", f"-date:{TODAY}")
    talk = wiki.text("User talk:Capx Ana") or ""
    assert 'lang="pt-br"' in talk or "lang=pt-br" in talk, talk[:500]

    # Cheap: an idle run reads nothing; a change to a profile without capx=yes does not
    # make the bot read CapX again within the day.
    before = capx.requests()
    idle = job("directory")
    assert "no profile changed" in idle.stdout
    seed([], [profile("Wiki Bea", {"consent": "yes", "share": "Budget development",
                                   "languages": "pt, es", "country": "Brazil"})])
    job("directory")
    assert capx.requests() == before

    # CapX stopped: a capx=yes profile changes, the run finishes, the values stay.
    capx.run("stop")
    seed([], [profile("Capx Ana", {"consent": "yes", "capx": "yes", "bio": "Olá"})])
    down = job("directory")
    assert "the Capacity Exchange could not be read (no answer from /skill/ " in down.stdout
    assert "3 of 3 capx=yes participants keep the values of the last successful read" \
        in down.stdout
    kept = participants(wiki)["Capx Ana"]
    assert (kept["share"], kept["languages"], kept["region"]) == (
        ["automation-tools"], ["pt"], "lac")
    capx.run("start")

    # No e-mail anywhere: pages, exports, the bot's state, the jobs' output, Pywikibot's logs.
    assert SECRET not in every_page_text(wiki)
    assert "private words" not in every_page_text(wiki)
    assert SECRET not in "".join(outputs)
    logs = Path(job_env["PYWIKIBOT_DIR"]) / "logs"
    for path in logs.rglob("*") if logs.exists() else ():
        if path.is_file():
            assert SECRET not in path.read_text(encoding="utf-8", errors="replace"), path
    state = json.loads(wiki.text(STATE) or "{}")
    assert set(state["capx"]["users"]) == {"Capx Ana", "Capx Wiki", "Capx Ghost"}
