"""The sessions and stats jobs on the demo program, on the real wiki.

The dashboard's figures are checked against figures this test works out on
its own: participants from the directory's export, coffee groups from the
match job's export, sessions from what the sample sessions *are*
(``bot.demo.sessions`` keeps that beside the pages it writes).
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from bot.demo.profiles import demo_program
from bot.demo.sessions import MISSING_FILE, DemoSessions, demo_sessions
from tests import cases
from tests.integration.conftest import run_job
from tests.integration.wikiclient import ROOT, WikiClient, localwiki, seed
from tests.unit.test_sessions_cases import SESSION_CASES, SessionCase

BASE = "Grants:Knowledge Sharing/Connect/"
RESOURCES = BASE + "Resources"
CALENDAR = BASE + "Calendar"
PROBLEMS = BASE + "Session problems"
DASHBOARD = BASE + "Dashboard"
EXPORTS = BASE + "Data/"
CLINICS = ("clinic", "regional")


@pytest.fixture(scope="module")
def skills_yaml() -> dict:
    return yaml.safe_load((ROOT / "config" / "skills.yaml").read_text())


def plain(text: str) -> str:
    """What a reader sees of some HTML: no tags, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))


def load_everything(job_env, wiki, config: Path, skills_yaml: dict) -> DemoSessions:
    """Deploy, load the sample profiles and sessions, run every job once."""
    assert run_job(job_env, "deploy", config=config).returncode == 0
    program = demo_program(skills_yaml)
    seed(program.users, program.pages)
    sessions = demo_sessions(program.users, now=datetime.now(UTC))
    seed(sessions.users, sessions.pages)
    for job in ("directory", "match", "sessions", "stats"):
        result = run_job(job_env, job, config=config)
        assert result.returncode == 0, (job, result.stdout, result.stderr)
    return sessions


def between(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


def ranked(counter: Counter, key: str) -> list[dict]:
    order = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    return [{key: k, "count": n} for k, n in order]


def expected_figures(wiki, demo: DemoSessions, now: datetime) -> dict:
    """The dashboard's figures, from the directory export, the match export and the demo."""
    people = json.loads(wiki.text(EXPORTS + "directory.json"))["participants"]
    active = [p for p in people if p["status"] == "active"]
    total = len(active)
    regions = Counter(p["region"] for p in active)
    learn = Counter(s for p in active for s in p["learn"])
    share = Counter(s for p in active for s in p["share"])
    held = [s for s in demo.sessions if s.status == "held"]
    months: dict[str, dict] = {}
    for s in held:
        month = months.setdefault(f"{s.start:%Y-%m}", {"held": 0, "participations": 0})
        month["held"] += 1
        month["participations"] += s.participants or 0
    documented = sum(1 for s in held if s.resources)
    groups = json.loads(wiki.text(f"{EXPORTS}matches/{now:%Y-%m}.json"))["groups"]
    held_groups = [g for g in groups if demo.outcomes.get(g["id"]) is True]
    since = now - timedelta(days=183)
    covered = {k for s in demo.sessions if s.format in CLINICS for k in s.skills
               if (s.status == "held" and s.start >= since)
               or (s.status == "planned" and s.start > now)}
    hot = Counter({k: n for k, n in learn.items() if k not in covered})
    return {
        "participants": total,
        "regions": [{"region": r, "count": n, "share": round(100 * n / total, 1)}
                    for r, n in sorted(regions.items(), key=lambda kv: (-kv[1], kv[0]))],
        "countries": ranked(Counter(p["country"] for p in active if p["country"]), "country"),
        "languages": ranked(Counter(c for p in active for c in p["languages"]), "language"),
        "communities": len({p["affiliation"].casefold() for p in active if p["affiliation"]}),
        "learn_top": [{"skill": k, "learners": n, "sharers": share[k]}
                      for k, n in sorted(learn.items(), key=lambda kv: (-kv[1], kv[0]))[:10]],
        "share_top": [{"skill": k, "sharers": n, "learners": learn[k]}
                      for k, n in sorted(share.items(), key=lambda kv: (-kv[1], kv[0]))[:10]],
        "sharers_wanted": [{"skill": k, "learners": n} for k, n in
                           sorted(learn.items(), key=lambda kv: (-kv[1], kv[0])) if not share[k]],
        "sessions": {
            "held": len(held),
            "clinics_held": sum(1 for s in held if s.format in CLINICS),
            "cancelled": sum(1 for s in demo.sessions if s.status == "cancelled"),
            "participations": sum(s.participants or 0 for s in held),
            "without_count": sum(1 for s in held if s.participants is None),
        },
        "sessions_by_month": [{"month": m, **v} for m, v in sorted(months.items())],
        "documentation": {"held": len(held), "documented": documented,
                          "rate": round(100 * documented / len(held), 1)},
        "resources": sum(len(s.resources) for s in demo.sessions) + demo.guides,
        "spaces": demo.spaces,
        "coffees": {
            "proposed": len(groups),
            "held": len(held_groups) + sum(1 for s in held if s.format == "coffee"),
            "not_held": sum(1 for g in groups if demo.outcomes.get(g["id"]) is False),
        },
        "active_sharers": len({u for s in held for u in s.sharers}
                              | {g["sharer"] for g in held_groups}),
        "ambassadors": 0,
        "working_group": 0,
        "hot_topics": [{"skill": k, "learners": n}
                       for k, n in sorted(hot.items(), key=lambda kv: (-kv[1], kv[0]))[:5]],
    }


def test_demo_sessions_give_index_calendar_dashboard_and_rerun_changes_nothing(
    job_env, wiki, config_dir, skills_yaml
):
    config = config_dir / "letsconnect.yaml"
    demo = load_everything(job_env, wiki, config, skills_yaml)
    now = datetime.now(UTC)

    # The resource index lists every resource, and the export says where each comes from.
    exported = json.loads(wiki.text(EXPORTS + "resources.json"))
    assert exported["schema"] == 1
    titles = {r["title"]: r for r in exported["resources"]}
    for session in demo.sessions:
        for resource in session.resources:
            assert titles[resource.title]["session"] == session.page
            assert titles[resource.title]["type"] == resource.type
    index = plain(wiki.parse(RESOURCES)["text"])
    assert all(title in index for title in titles)
    assert "== By skill ==" in wiki.text(RESOURCES) and "== By language ==" in wiki.text(RESOURCES)

    # The sessions export: every sample session with the date and status it really has.
    sessions = {s["page"]: s for s in json.loads(wiki.text(EXPORTS + "sessions.json"))["sessions"]}
    assert set(sessions) == {s.page for s in demo.sessions}
    for s in demo.sessions:
        assert sessions[s.page]["date"] == f"{s.start:%Y-%m-%dT%H:%MZ}", s.title
        assert sessions[s.page]["status"] == s.status, s.title
        assert len(sessions[s.page]["resources"]) == len(s.resources)

    # The calendar: upcoming sessions first, past ones archived by month.
    rendered = wiki.parse(CALENDAR)["text"]
    assert "scribunto-error" not in rendered
    upcoming = plain(between(rendered, 'id="Upcoming_sessions"', 'id="By_region"'))
    past = plain(rendered.split('id="Past_sessions"', 1)[1])
    for s in demo.sessions:
        assert (s.title in upcoming) == (s.start > now), s.title
        if s.start < now:
            assert f"{s.start:%B %Y}" in past and s.title in past, s.title
    assert "Wikidata Wednesdays" in plain(rendered)

    # What needs fixing is reported.
    problems = plain(wiki.parse(PROBLEMS)["text"])
    assert MISSING_FILE in problems and "does not exist" in problems
    assert "still marked planned" in problems

    # The dashboard: its figures are the ones worked out here.
    dashboard = json.loads(wiki.text(EXPORTS + "dashboard.json"))
    assert dashboard["figures"] == expected_figures(wiki, demo, now)
    targets = {t["name"]: t for t in dashboard["targets"]}
    figures = dashboard["figures"]
    assert targets["clinics"] == {"name": "clinics", "goal": 8,
                                  "value": figures["sessions"]["clinics_held"],
                                  "met": figures["sessions"]["clinics_held"] >= 8}
    assert targets["communities"]["met"] is (figures["communities"] >= 40)
    assert targets["documented_percent"]["met"] is (figures["documentation"]["rate"] >= 40)
    page = plain(wiki.parse(DASHBOARD)["text"])
    assert "Phase-1 targets" in page and "Hot topics" in page
    assert f"{figures['participants']} active participants" in page

    # Nothing changed: no edit.
    mark = wiki.last_rcid()
    for job in ("sessions", "stats"):
        again = run_job(job_env, job, config=config)
        assert again.returncode == 0, again.stderr
        assert "changed 0" in again.stdout, again.stdout
    assert wiki.edit_count_since(mark) == 0


def test_a_new_resource_and_an_outcome_show_up(job_env, wiki, admin, config_dir):
    config = config_dir / "letsconnect.yaml"
    assert run_job(job_env, "deploy", config=config).returncode == 0
    page = BASE + "Sessions/2026-10 Budget clinic"
    admin.edit(page, "{{Let's Connect/Session|date=2026-10-14|time=14:00|title=Budget clinic"
                     "|format=clinic|status=planned|skills=budget development"
                     "|participants=about 20}}")
    assert "letsconnect-problems" not in wiki.parse(page)["text"]  # the box is for preview only
    assert run_job(job_env, "sessions", config=config).returncode == 0
    assert json.loads(wiki.text(EXPORTS + "sessions.json"))["sessions"][0]["status"] == "planned"
    assert "still marked planned" in wiki.text(PROBLEMS)

    admin.edit(page, wiki.text(page) + "\n{{Let's Connect/Outcome|held=yes}}"
                     "\n{{Let's Connect/Resource|title=Recording|link=https://example.org/r.webm"
                     "|type=recording}}")
    assert run_job(job_env, "sessions", config=config).returncode == 0
    (session,) = json.loads(wiki.text(EXPORTS + "sessions.json"))["sessions"]
    assert session["status"] == "held"
    assert session["resources"] == [{"title": "Recording", "link": "https://example.org/r.webm",
                                     "type": "recording"}]
    assert "still marked planned" not in wiki.text(PROBLEMS)
    assert "Budget development" in plain(wiki.parse(RESOURCES)["text"])


PREVIEW_CASES = [c for c in SESSION_CASES if SessionCase(c).preview]


@pytest.fixture(scope="module")
def deployed(job_env) -> WikiClient:
    """An empty wiki with the toolset, once for the preview cases (they only read)."""
    localwiki("reset")
    result = run_job(job_env, "deploy")
    assert result.returncode == 0, result.stderr
    return WikiClient()


@pytest.mark.parametrize("found", cases.params(PREVIEW_CASES))
def test_the_templates_show_the_same_mistakes_in_preview(deployed, found):
    """The data-driven cases, through the real wiki's preview: the box names each mistake."""
    case = SessionCase(found)
    first = case.pages[0]
    parsed = deployed.post(action="parse", text=first.latest.text, title=first.title,
                               prop="text", preview="1")["parse"]["text"]
    assert "scribunto-error" not in parsed and "Lua error" not in parsed
    box = plain(parsed.split("letsconnect-problems", 1)[1]) if "letsconnect-problems" in parsed \
        else ""
    for expected in case.preview:
        assert expected in box, (expected, box[:500])
