"""A mistake in the bot's settings or in how a job is started ends the run with one line.

Half of these edit ``config/letsconnect.yaml`` as a working-group member would (a typo in a
key, a section that does not exist); the other half start ``python -m bot.cli directory`` as a
subprocess without a Pywikibot configuration or with a malformed ``-config``.  None needs a
wiki: every one of them must stop before the first request.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import DEFAULT_PATH, ConfigError, load_config

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = DEFAULT_PATH.read_text(encoding="utf-8")


def write_config(tmp_path: Path, text: str) -> Path:
    """A copy of the shipped configuration with ``text`` in it, next to the taxonomy."""
    path = tmp_path / "config" / "letsconnect.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def error_for(tmp_path: Path, text: str) -> str:
    path = write_config(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert str(path) in message, "the error names the file"
    assert "\n" not in message, "one line"
    return message


def test_the_shipped_configuration_loads():
    assert load_config(DEFAULT_PATH).directory.stale_after_days == 365


def test_a_misspelt_key_names_the_key_and_the_nearest_known_one(tmp_path):
    text = SHIPPED.replace("stale_after_days: 365", "stale_after_dayz: 30")
    message = error_for(tmp_path, text)
    assert "'directory.stale_after_dayz'" in message
    assert "did you mean 'directory.stale_after_days'" in message


def test_an_unknown_section_names_the_nearest_section(tmp_path):
    message = error_for(tmp_path, SHIPPED + "\nnotice:\n  max_notices_per_month: 1\n")
    assert "'notice'" in message
    assert "did you mean 'notices'" in message


def test_an_unknown_key_with_nothing_near_lists_the_known_keys(tmp_path):
    message = error_for(tmp_path, SHIPPED.replace("matching:\n", "matching:\n  colour: blue\n"))
    assert "'matching.colour'" in message
    assert "max_group_size" in message and "weights" in message


def test_a_misspelt_required_key_is_reported_as_the_misspelling(tmp_path):
    """Not as "bot.task_page is missing": the typo is what the person has to fix."""
    message = error_for(tmp_path, SHIPPED.replace("  task_page:", "  task_pgae:"))
    assert "'bot.task_pgae'" in message
    assert "did you mean 'bot.task_page'" in message


def test_a_misspelt_target_names_the_nearest_target(tmp_path):
    message = error_for(tmp_path, SHIPPED.replace("    clinics: 8", "    clinicz: 8"))
    assert "'stats.targets.clinicz'" in message
    assert "did you mean 'stats.targets.clinics'" in message


def test_a_section_that_is_not_a_mapping_is_reported(tmp_path):
    message = error_for(tmp_path, SHIPPED.replace("sessions:\n", "sessions: 3\nold_sessions:\n"))
    assert "'sessions'" in message


# --- starting a job: Pywikibot's configuration and -config ----------------------------------


@pytest.fixture
def clean_env(tmp_path: Path) -> dict[str, str]:
    """An environment without any Pywikibot or bot setting, and no way out to the network.

    The proxy is a closed local port: a job that tried to reach a wiki would fail with a
    different line than the one these tests expect.
    """
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYWIKIBOT", "LETSCONNECT"))}
    home = tmp_path / "home"
    home.mkdir()
    env.update(HOME=str(home), PYTHONPATH=str(ROOT),
               http_proxy="http://127.0.0.1:9", https_proxy="http://127.0.0.1:9",
               HTTP_PROXY="http://127.0.0.1:9", HTTPS_PROXY="http://127.0.0.1:9")
    return env


@pytest.fixture
def pywikibot_dir(tmp_path: Path) -> Path:
    """A Pywikibot directory with a user-config.py, as a working-group member has."""
    folder = tmp_path / "pywikibot"
    folder.mkdir()
    (folder / "user-config.py").write_text(
        "family = 'wikipedia'\nmylang = 'test'\nusernames['wikipedia']['test'] = 'Someone'\n"
        "max_retries = 0\n"
    )
    return folder


def run_directory(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot.cli", "directory", *args], env=env,
                          cwd=cwd, capture_output=True, text=True, timeout=60)


def one_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("directory: configuration error: "), lines[0]
    return lines[0]


def test_no_pywikibot_configuration_says_how_to_set_it(clean_env, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    line = one_line(run_directory(dict(clean_env, PYWIKIBOT_DIR=str(empty)), tmp_path))
    assert "no user-config.py" in line and str(empty) in line
    assert "PYWIKIBOT_DIR" in line and "scripts/localwiki env" in line


def test_no_pywikibot_dir_at_all_says_how_to_set_it(clean_env, tmp_path):
    line = one_line(run_directory(clean_env, tmp_path))
    assert "no user-config.py" in line and "PYWIKIBOT_DIR" in line


def test_config_with_a_space_instead_of_a_colon(clean_env, pywikibot_dir, tmp_path):
    env = dict(clean_env, PYWIKIBOT_DIR=str(pywikibot_dir))
    line = one_line(run_directory(env, tmp_path, "-config", str(DEFAULT_PATH)))
    assert f"-config:{DEFAULT_PATH}" in line, "shows the right way to write it"


@pytest.mark.parametrize("value", ["x.json", "", "settings.txt"])
def test_config_that_is_not_yaml(clean_env, pywikibot_dir, tmp_path, value):
    env = dict(clean_env, PYWIKIBOT_DIR=str(pywikibot_dir))
    line = one_line(run_directory(env, tmp_path, f"-config:{value}"))
    assert f"'-config:{value}'" in line and ".yaml" in line


def test_a_yaml_config_that_does_not_exist(clean_env, pywikibot_dir, tmp_path):
    env = dict(clean_env, PYWIKIBOT_DIR=str(pywikibot_dir))
    line = one_line(run_directory(env, tmp_path, f"-config:{tmp_path / 'nope.yaml'}"))
    assert "does not exist" in line
