"""The pages as a reader sees them: Debian's Chromium, headless, against the local wiki.

Needs the packages ``chromium`` and ``chromium-driver`` and fonts for the program's
scripts (``scripts/install-browser`` installs them) and the ``selenium`` Python
package; without them the tests skip and say why (``scripts/test`` allows no skip).
Screenshots go to a temporary folder, or to the folder named by
``LETSCONNECT_SCREENSHOTS`` (``docs/screenshots`` for the README).
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml

from bot.demo.profiles import REGIONS, demo_program
from bot.demo.sessions import demo_sessions
from tests.integration.conftest import run_job
from tests.integration.wikiclient import ROOT, URL, localwiki, seed

CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")
webdriver = pytest.importorskip("selenium.webdriver", reason="the selenium package is missing")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="Debian's chromium and chromium-driver are not installed (run scripts/install-browser)",
)

from selenium.common.exceptions import TimeoutException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=en-US"]
#: The program's languages (its own five and those of the sample program): each needs a font,
#: or names in Arabic, Bengali, Devanagari, Tamil, Chinese or Korean show as boxes.
FONT_LANGUAGES = sorted({"en", "es", "fr", "pt", "ar"}
                        | {lang for _, _, spoken in REGIONS.values() for lang in spoken})
DASHBOARD = "Grants:Knowledge Sharing/Connect/Dashboard"
DIRECTORY = "Grants:Knowledge Sharing/Connect/Directory"
CALENDAR = "Grants:Knowledge Sharing/Connect/Calendar"


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=DRIVER),
                              options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def demo_wiki(job_env):
    """The sample program on the wiki with every job run once."""
    localwiki("reset")
    assert run_job(job_env, "deploy").returncode == 0
    program = demo_program(yaml.safe_load((ROOT / "config" / "skills.yaml").read_text()))
    seed(program.users, program.pages)
    sessions = demo_sessions(program.users, now=datetime.now(UTC))
    seed(sessions.users, sessions.pages)
    for job in ("directory", "match", "sessions", "stats"):
        result = run_job(job_env, job)
        assert result.returncode == 0, (job, result.stderr)
    localwiki("runjobs")


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = os.environ.get("LETSCONNECT_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def open_page(driver, title: str) -> None:
    driver.get(f"{URL}/index.php?title={quote(title.replace(' ', '_'))}")
    try:  # the table sorter is loaded by ResourceLoader once the page's scripts ran
        WebDriverWait(driver, 30).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, "table.sortable th.headerSort"))
    except TimeoutException:
        pytest.fail(f"the sortable tables of [[{title}]] never became sortable")


def table_after(driver, anchor: str):
    """The first table after the heading with this anchor."""
    return driver.find_element(By.XPATH, f"//*[@id='{anchor}']/following::table[1]")


def column(table, index: int) -> list[str]:
    cells = table.find_elements(By.XPATH, f"./tbody/tr[td]/td[{index}]")
    return [c.text.strip() for c in cells]


def click_header(driver, table, label: str) -> None:
    header = table.find_element(By.XPATH, f".//th[normalize-space()='{label}']")
    header.click()
    WebDriverWait(driver, 10).until(
        lambda d: "headerSortUp" in header.get_attribute("class")
        or "headerSortDown" in header.get_attribute("class"))


def screenshot(driver, path: Path, height: int = 1400) -> None:
    driver.set_window_size(1280, height)
    driver.save_screenshot(str(path))
    driver.set_window_size(1280, 1000)
    with path.open("rb") as f:
        header = f.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, shown = struct.unpack(">II", header[16:24])
    assert width >= 1000 and shown >= 800
    assert path.stat().st_size > 20_000  # a page with content, not a blank window


def test_a_font_for_every_language_of_the_program():
    """Fontconfig, which Chromium asks, knows a font for each language (scripts/install-browser
    installs Noto for the scripts DejaVu lacks)."""
    assert shutil.which("fc-list"), "fontconfig is missing: run scripts/install-browser"
    missing = [
        lang for lang in FONT_LANGUAGES
        if not subprocess.run(["fc-list", f":lang={lang}", "family"], capture_output=True,
                              text=True, check=True).stdout.strip()
    ]
    assert not missing, f"no font for {missing}: run scripts/install-browser"


def test_dashboard_shows_bars_and_a_header_click_sorts(browser, demo_wiki, shots):
    open_page(browser, DASHBOARD)
    assert "Phase-1 targets" in browser.find_element(By.ID, "mw-content-text").text
    bars = browser.find_elements(By.CSS_SELECTOR, "span.letsconnect-bar")
    assert len(bars) > 20 and all(b.size["width"] > 0 for b in bars[:20])
    screenshot(browser, shots / "dashboard.png")

    regions = table_after(browser, "By_region")
    before = [int(v) for v in column(regions, 2)]
    assert before == sorted(before, reverse=True)  # the bot lists the biggest region first
    click_header(browser, regions, "Participants")
    after = [int(v) for v in column(regions, 2)]
    assert after == sorted(before)
    assert after != before


def test_directory_opens_and_sorts_by_country(browser, demo_wiki, shots):
    open_page(browser, DIRECTORY)
    table = table_after(browser, "Sub-Saharan_Africa")
    users = column(table, 1)
    assert len(users) > 10 and all(users)
    screenshot(browser, shots / "directory.png")
    click_header(browser, table, "Country")
    countries = column(table, 2)
    assert countries == sorted(countries, key=str.lower)
    assert sorted(column(table, 1)) == sorted(users)  # the same rows, in another order


def test_calendar_opens(browser, demo_wiki, shots):
    open_page(browser, CALENDAR)
    text = browser.find_element(By.ID, "mw-content-text").text
    assert "Upcoming sessions" in text and "Past sessions" in text
    screenshot(browser, shots / "calendar.png")
