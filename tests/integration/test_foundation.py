"""Deploy, drift, -simulate, the shutoff page and configuration errors, on the real wiki."""

from __future__ import annotations

from pathlib import Path

from tests.integration.conftest import run_job

TEMPLATE = "Template:Example"


def small_bundle(config_dir: Path) -> Path:
    """A config whose templates_wikitext is a small folder the test controls."""
    source = config_dir.parent / "tw"
    (source / "Template" / "Example").mkdir(parents=True)
    (source / "Template" / "Example.wikitext").write_text("Hello {{{1|world}}}\n")
    (source / "Template" / "Example" / "doc.wikitext").write_text(
        "Says hello.\n<!-- TEMPLATEDATA -->\n"
    )
    (source / "Template" / "Example.templatedata.json").write_text(
        '{"description": "Says hello", "params": {"1": {"label": "Who"}}}'
    )
    path = config_dir / "letsconnect.yaml"
    text = path.read_text()
    start = text.index("source_dir:")
    end = text.index("\n", start)
    path.write_text(text[:start] + f'source_dir: "{source}"' + text[end:])
    return path


def test_deploy_creates_pages_and_a_second_deploy_makes_no_edit(job_env, wiki, config_dir):
    config = small_bundle(config_dir)
    first = run_job(job_env, "deploy", config=config)
    assert first.returncode == 0, first.stderr
    assert wiki.text(TEMPLATE) == "Hello {{{1|world}}}"
    doc = wiki.text(TEMPLATE + "/doc")
    assert "<templatedata>" in doc and '"Says hello"' in doc
    assert "Let's Connect" in wiki.text("Module:Let's Connect/data")
    assert wiki.revisions(TEMPLATE)[0]["comment"].startswith("Let's Connect deploy: create")

    mark = wiki.last_rcid()
    second = run_job(job_env, "deploy", config=config)
    assert second.returncode == 0, second.stderr
    assert "changed 0" in second.stdout
    assert wiki.edit_count_since(mark) == 0


def test_a_human_edit_is_reported_as_drift_and_kept(job_env, wiki, admin, config_dir):
    config = small_bundle(config_dir)
    assert run_job(job_env, "deploy", config=config).returncode == 0
    admin.edit(TEMPLATE, "Hello {{{1|everyone}}} (improved by a person)")

    result = run_job(job_env, "deploy", config=config)
    assert result.returncode == 0, result.stderr
    assert "drift: [[Template:Example]]" in result.stdout
    assert wiki.text(TEMPLATE) == "Hello {{{1|everyone}}} (improved by a person)"

    forced = run_job(job_env, "deploy", "-force", config=config)
    assert forced.returncode == 0, forced.stderr
    assert wiki.text(TEMPLATE) == "Hello {{{1|world}}}"


def test_simulate_shows_the_diff_and_writes_nothing(job_env, wiki, config_dir):
    config = small_bundle(config_dir)
    mark = wiki.last_rcid()
    result = run_job(job_env, "deploy", "-simulate", config=config)
    assert result.returncode == 0, result.stderr
    assert "would save [[Template:Example]]" in result.stdout
    assert "Hello {{{1|world}}}" in result.stdout + result.stderr
    assert wiki.text(TEMPLATE) is None
    assert wiki.edit_count_since(mark) == 0


def test_a_non_empty_shutoff_page_stops_the_job_before_its_first_write(
    job_env, wiki, admin, config_dir
):
    config = small_bundle(config_dir)
    admin.edit("Grants:Knowledge Sharing/Connect/Bot/Shutoff", "Stop please: testing.")
    mark = wiki.last_rcid()
    result = run_job(job_env, "deploy", config=config)
    assert result.returncode == 3
    assert "shutoff page" in result.stderr
    assert wiki.text(TEMPLATE) is None
    assert wiki.edit_count_since(mark) == 0


def test_a_configuration_error_names_the_key_without_a_traceback(job_env, wiki, config_dir):
    path = config_dir / "letsconnect.yaml"
    path.write_text(path.read_text().replace("stale_after_days: 365", "stale_after_days: soon"))
    result = run_job(job_env, "directory", config=path)
    assert result.returncode == 2
    assert "directory.stale_after_days" in result.stderr
    assert "expected a whole number" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_login_error_is_one_line_without_a_traceback(job_env, wiki, tmp_path):
    pwbdir = tmp_path / "pywikibot"
    pwbdir.mkdir()
    source = Path(job_env["PYWIKIBOT_DIR"])
    config = (source / "user-config.py").read_text()
    (pwbdir / "user-config.py").write_text(
        config.replace(str(source / "user-password.py"), str(pwbdir / "user-password.py"))
    )
    password = pwbdir / "user-password.py"
    secret = "0" * 32
    password.write_text(f"('LetsConnectBot', BotPassword('letsconnect', '{secret}'))\n")
    password.chmod(0o600)
    env = dict(job_env, PYWIKIBOT_DIR=str(pwbdir))
    result = run_job(env, "deploy")
    assert result.returncode == 1
    assert "cannot log in" in result.stderr
    assert "Traceback" not in result.stderr
    assert secret not in result.stdout + result.stderr  # the secret never reaches a log

    password.write_text("this is not a password line\n")
    malformed = run_job(env, "deploy")
    assert malformed.returncode == 1
    assert "cannot log in" in malformed.stderr
    assert "Traceback" not in malformed.stderr
