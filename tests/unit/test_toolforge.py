"""config/toolforge/jobs.yaml is what `toolforge jobs load` will run: check it before it is."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from bot.cli import JOBS

ROOT = Path(__file__).resolve().parents[2]
JOBS_FILE = ROOT / "config" / "toolforge" / "jobs.yaml"
MACROS = {"@hourly", "@daily", "@weekly", "@monthly", "@yearly"}
KEYS = {"name", "command", "image", "schedule", "continuous", "wait", "emails", "mem", "cpu",
        "filelog", "no-filelog", "filelog-stdout", "filelog-stderr", "retry", "mount", "replicas"}
CRON_FIELD = re.compile(r"^(\*|\d+(-\d+)?)(/\d+)?(,(\*|\d+(-\d+)?)(/\d+)?)*$")
RANGES = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]


def jobs() -> list[dict]:
    return yaml.safe_load(JOBS_FILE.read_text())


def cron_ok(schedule: str) -> bool:
    if schedule in MACROS:
        return True
    fields = schedule.split()
    if len(fields) != 5:
        return False
    for field, (low, high) in zip(fields, RANGES, strict=True):
        if not CRON_FIELD.match(field):
            return False
        numbers = [int(n) for n in re.findall(r"\d+", field.split("/")[0])]
        if any(not low <= n <= high for n in numbers):
            return False
    return True


def test_names_are_unique_and_valid():
    names = [job["name"] for job in jobs()]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?", n) for n in names)


@pytest.mark.parametrize("job", jobs(), ids=lambda j: j["name"])
def test_every_job_is_well_formed(job):
    assert set(job) <= KEYS, set(job) - KEYS
    assert job["image"] == "python3.11"
    assert job.get("emails") == "onfailure"
    script, *args = job["command"].split()
    path = ROOT / script.removeprefix("./letsconnect/")
    assert path.is_file() and os.access(path, os.X_OK), script
    if path.name == "toolforge-run":
        assert args and args[0] in JOBS, f"unknown job in: {job['command']}"
    if "schedule" in job:
        assert cron_ok(job["schedule"]), job["schedule"]
    if "mem" in job:
        assert re.fullmatch(r"\d+(Mi|Gi)", job["mem"])


def test_every_job_of_the_bot_is_scheduled():
    scheduled = {j["command"].split()[1] for j in jobs() if "schedule" in j}
    assert scheduled == set(JOBS)


def test_the_cron_checker_rejects_bad_schedules():
    assert not cron_ok("61 * * * *")
    assert not cron_ok("* * *")
    assert not cron_ok("@sometimes")
    assert cron_ok("30 6 * * 1-5")
