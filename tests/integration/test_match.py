"""The match job on the demo program, on the real wiki."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import yaml

from bot.demo.profiles import (
    GRANTS_NS,
    PROFILE_PREFIX,
    DemoPage,
    DemoRevision,
    demo_program,
    profile_text,
)
from tests.integration.conftest import run_job
from tests.integration.wikiclient import ROOT, seed

ROUND = "2026-11"
PAGE = f"Grants:Knowledge Sharing/Connect/Matches/{ROUND}"
EXPORT = f"Grants:Knowledge Sharing/Connect/Data/matches/{ROUND}.json"


def load_demo(job_env, config):
    program = demo_program(yaml.safe_load((ROOT / "config" / "skills.yaml").read_text()))
    assert run_job(job_env, "deploy", config=config).returncode == 0
    seed(program.users, program.pages)


def test_round_page_export_rerun_and_a_newcomer(job_env, wiki, config_dir):
    config = config_dir / "letsconnect.yaml"
    load_demo(job_env, config)
    first = run_job(job_env, "match", f"-round:{ROUND}", config=config)
    assert first.returncode == 0, first.stderr

    export = json.loads(wiki.text(EXPORT))
    assert export["schema"] == 1 and export["round"] == ROUND
    groups = export["groups"]
    assert groups, "the demo program should give groups"
    for group in groups:
        assert set(group) == {"id", "skill", "language", "sharer", "learners", "context"}
        assert 1 <= len(group["learners"]) <= 3
        assert group["sharer"] not in group["learners"]
    page = wiki.text(PAGE)
    for group in groups:
        assert group["id"] in page and f"[[User:{group['sharer']}|" in page

    mark = wiki.last_rcid()
    again = run_job(job_env, "match", f"-round:{ROUND}", config=config)
    assert again.returncode == 0, again.stderr
    assert wiki.edit_count_since(mark) == 0

    # A newcomer who shares what open learners want: published groups stay, new ones may come.
    waiting = {"no-sharer", "no-common-language", "sharers-at-capacity"}
    open_skills = sorted({u["skill"] for u in export["unmatched"] if u["reason"] in waiting})
    assert open_skills, "the demo program should leave a learner waiting"
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    newcomer = "Newcomer Sharer"
    text = profile_text({
        "country": "Kenya",
        "languages": "en, fr, es, pt, ar, sw, yo, ha, hi, bn, ur, id, uk, pl, de, zh",
        "share": ", ".join(open_skills[:4]), "capacity": "4", "consent": "yes",
    })
    seed([newcomer], [DemoPage(PROFILE_PREFIX + newcomer, GRANTS_NS,
                               (DemoRevision(newcomer, stamp, text),))])
    third = run_job(job_env, "match", f"-round:{ROUND}", config=config)
    assert third.returncode == 0, third.stderr
    after = json.loads(wiki.text(EXPORT))["groups"]
    assert after[: len(groups)] == groups
    added = after[len(groups):]
    assert added and all(g["sharer"] == newcomer for g in added)
