"""config/toolforge/jobs.yaml is what `toolforge jobs load` will run: check it before it is,
and run the two scripts it names (in a temporary tree, with stubs) as Toolforge would."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
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


# --- value types, as the jobs API's model wants them ----------------------------------------
# toolforge jobs-api, tjf/api/models.py (CommonJob and the job kinds): memory and cpu are
# strings (a Kubernetes quantity such as "512Mi" or "0.5"), retry and replicas whole numbers,
# continuous/filelog booleans, filelog paths strings; a YAML number where a string is wanted
# is refused by the model. `wait` is the CLI's own (wait for a one-off job to end).
TYPES = {
    "name": str, "command": str, "image": str, "schedule": str, "emails": str, "mem": str,
    "cpu": str, "filelog-stdout": str, "filelog-stderr": str, "mount": str,
    "continuous": bool, "wait": bool, "filelog": bool, "no-filelog": bool,
    "retry": int, "replicas": int,
}
EMAILS = {"none", "all", "onfinish", "onfailure"}


@pytest.mark.parametrize("job", jobs(), ids=lambda j: j["name"])
def test_every_value_has_the_type_the_jobs_api_wants(job):
    for key, value in job.items():
        assert type(value) is TYPES[key], f"{job['name']}.{key}: {value!r} should be a {TYPES[key]}"
    assert job["emails"] in EMAILS
    if "cpu" in job:
        assert re.fullmatch(r"\d+(\.\d+)?m?", job["cpu"]), job["cpu"]


def filelogs() -> list[tuple[str, str]]:
    return [(job["name"], job[key]) for job in jobs()
            for key in ("filelog-stdout", "filelog-stderr") if key in job]


def test_file_logs_are_relative_to_the_tools_home():
    """The jobs framework resolves a relative path against the tool's home directory."""
    assert filelogs()
    for name, path in filelogs():
        assert not Path(path).is_absolute() and ".." not in Path(path).parts, (name, path)


def fake_python3(bin_dir: Path) -> None:
    """A python3 whose `-m venv DIR` makes a venv with a pip that installs nothing."""
    bin_dir.mkdir()
    script = bin_dir / "python3"
    script.write_text(
        '#!/bin/sh\n'
        'for target; do :; done\n'  # the last argument: the venv's folder
        'mkdir -p "$target/bin"\n'
        'printf "#!/bin/sh\\nexit 0\\n" > "$target/bin/pip"\n'
        'printf "#!/bin/sh\\necho usage: letsconnect JOB\\n" > "$target/bin/letsconnect"\n'
        'chmod +x "$target/bin/pip" "$target/bin/letsconnect"\n'
    )
    script.chmod(0o755)


def test_the_setup_job_creates_every_file_log_directory(tmp_path):
    """`filelog-stdout: logs/x.out` runs the job as `exec 1>>$HOME/logs/x.out; ...`: without
    the directory the shell cannot open the file and every job dies before it starts."""
    repo = tmp_path / "letsconnect"
    (repo / "scripts").mkdir(parents=True)
    shutil.copy2(ROOT / "scripts" / "toolforge-setup", repo / "scripts")
    home = tmp_path / "home"
    home.mkdir()
    fake_python3(tmp_path / "bin")
    env = dict(os.environ, HOME=str(home), PATH=f"{tmp_path / 'bin'}:{os.environ['PATH']}")
    result = subprocess.run([str(repo / "scripts" / "toolforge-setup")], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    for name, path in filelogs():
        assert (home / path).parent.is_dir(), f"{name}: nothing creates ~/{Path(path).parent}"


# --- scripts/toolforge-run: quoting, clean-up, exit code ------------------------------------

STUB = '''#!{python}
"""Stands in for .venv/bin/letsconnect: reads what toolforge-run wrote, as Pywikibot does."""
import ast, collections, json, os, stat, sys, time
from pathlib import Path

folder = Path(os.environ["PYWIKIBOT_DIR"])
config = {{"usernames": collections.defaultdict(dict), "family_files": {{}}}}
exec(compile((folder / "user-config.py").read_bytes(), "user-config.py", "exec"), config)
password_file = Path(config["password_file"])
line = password_file.read_text().strip()
report = {{
    "argv": sys.argv[1:],
    "folder": str(folder),
    "family": config["family"], "mylang": config["mylang"],
    "usernames": config["usernames"], "family_files": config["family_files"],
    "user_agent_description": config["user_agent_description"],
    "password_mode": stat.S_IMODE(password_file.stat().st_mode),
    "password": ast.literal_eval(line.replace("BotPassword", "")),
}}
(folder / "pywikibot-LetsConnectBot.lwp").write_text("session cookie")  # what a login leaves
(folder / "apicache").mkdir()
Path(os.environ["STUB_REPORT"]).write_text(json.dumps(report))
if os.environ.get("STUB_SLEEP"):
    time.sleep(float(os.environ["STUB_SLEEP"]))
sys.exit(int(os.environ.get("STUB_EXIT", "0")))
'''

USER = "O'Brien Bot"
CONTACT = "https://meta.wikimedia.org/wiki/User:O'Brien; \"ops\" $HOME `id`"
SECRET = "s3cr'et\"$x"


@pytest.fixture
def run_tree(tmp_path: Path) -> dict:
    """A copy of toolforge-run in a tree of its own, with the stub as the venv's letsconnect,
    and an environment with fake credentials and a fresh TMPDIR."""
    repo = tmp_path / "letsconnect"
    (repo / "scripts").mkdir(parents=True)
    shutil.copy2(ROOT / "scripts" / "toolforge-run", repo / "scripts")
    stub = repo / ".venv" / "bin" / "letsconnect"
    stub.parent.mkdir(parents=True)
    stub.write_text(STUB.format(python=sys.executable))
    stub.chmod(0o755)
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LETSCONNECT", "PYWIKIBOT"))}
    env.update(TMPDIR=str(tmpdir), STUB_REPORT=str(tmp_path / "report.json"),
               LETSCONNECT_BOT_USER=USER, LETSCONNECT_BOT_APP="lets'connect",
               LETSCONNECT_BOT_SECRET=SECRET, LETSCONNECT_CONTACT=CONTACT,
               LETSCONNECT_API_URL="https://staging.example.org/w/api.php?x='1'")
    return {"script": repo / "scripts" / "toolforge-run", "env": env, "tmpdir": tmpdir,
            "report": tmp_path / "report.json"}


def test_toolforge_run_writes_the_values_exactly_and_leaves_nothing(run_tree):
    result = subprocess.run([str(run_tree["script"]), "directory", "-simulate"],
                            env=run_tree["env"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    report = json.loads(run_tree["report"].read_text())
    assert report["argv"] == ["directory", "-simulate"]
    assert (report["family"], report["mylang"]) == ("meta", "meta")
    assert report["usernames"] == {"meta": {"meta": USER}}
    assert report["family_files"] == {"meta": "https://staging.example.org/w/api.php?x='1'"}
    assert report["user_agent_description"] == f"LetsConnectBot ({CONTACT})"
    assert report["password"] == [USER, ["lets'connect", SECRET]]
    assert report["password_mode"] == 0o600
    assert Path(report["folder"]).parent == run_tree["tmpdir"]
    assert list(run_tree["tmpdir"].iterdir()) == [], "the BotPassword and the cookie are gone"


@pytest.mark.parametrize("code", [1, 2, 3])
def test_toolforge_run_passes_the_jobs_exit_code_on(run_tree, code):
    env = dict(run_tree["env"], STUB_EXIT=str(code))
    result = subprocess.run([str(run_tree["script"]), "directory"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == code
    assert list(run_tree["tmpdir"].iterdir()) == []


def _default_signals() -> None:
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_toolforge_run_cleans_up_when_stopped(run_tree, sig):
    """Toolforge stops a job that runs too long with SIGTERM; the secret must not stay."""
    env = dict(run_tree["env"], STUB_SLEEP="60")
    # As on Toolforge, the script starts with every signal at its default: a shell that
    # finds SIGINT ignored when it starts (a test run in the background) cannot trap it.
    process = subprocess.Popen([str(run_tree["script"]), "directory"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               preexec_fn=_default_signals)
    deadline = time.monotonic() + 30
    while not run_tree["report"].exists():  # the job is running
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.05)
    process.send_signal(sig)
    assert process.wait(timeout=20) != 0
    assert list(run_tree["tmpdir"].iterdir()) == []
