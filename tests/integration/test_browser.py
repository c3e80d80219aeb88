"""The pages as a reader sees them: Debian's Chromium, headless, against the local wiki.

Needs the packages ``chromium`` and ``chromium-driver`` and fonts for the program's
scripts (``scripts/install-browser`` installs them) and the ``selenium`` Python
package; without them the tests skip and say why (``scripts/test`` allows no skip).
Screenshots go to a temporary folder, or to the folder named by
``LETSCONNECT_SCREENSHOTS`` (``docs/screenshots`` for the README).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import struct
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
import yaml

from bot.config import load_config
from bot.demo.profiles import REGIONS, demo_program
from bot.demo.sessions import demo_sessions
from bot.matching.values import Group
from bot.notices.decide import Item
from bot.notices.text import Messages, Recipient, TextSettings, render_section
from bot.sessions.model import Session
from bot.taxonomy import Taxonomy
from tests.integration.conftest import run_job
from tests.integration.wikiclient import ROOT, URL, localwiki, seed
from tests.language_checks import english_left

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


def version_block(lang: str) -> str:
    """The block a language version of a page is written in (bot.wikitext.versions)."""
    return f'.mw-parser-output div.mw-content-{"rtl" if lang == "ar" else "ltr"}[lang="{lang}"]'


@pytest.mark.parametrize(("lang", "country", "direction"), [("es", "País", "ltr"),
                                                           ("ar", "البلد", "rtl")])
def test_the_directory_in_spanish_and_arabic(browser, demo_wiki, shots, lang, country,
                                             direction):
    """Special:MyLanguage takes a Spanish or Arabic reader to the directory in their language:
    written in it, right to left in Arabic, its tables sortable by the country's name there."""
    browser.get(f"{URL}/index.php?title=Special:MyLanguage/{quote(DIRECTORY)}&uselang={lang}")
    WebDriverWait(browser, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "table.sortable th.headerSort"))
    assert f"Directory/{lang}" in unquote(browser.current_url), browser.current_url
    block = browser.find_element(By.CSS_SELECTOR, version_block(lang))
    assert browser.execute_script("return getComputedStyle(arguments[0]).direction",
                                  block) == direction
    table = block.find_element(By.CSS_SELECTOR, "table.sortable")
    headers = [h.text.strip() for h in table.find_elements(By.TAG_NAME, "th")]
    assert country in headers and "Country" not in headers
    screenshot(browser, shots / f"directory-{lang}.png")
    click_header(browser, table, country)
    countries = [c for c in column(table, 2) if c]
    assert len(countries) > 3 and countries == sorted(countries, key=str.lower)


def test_calendar_opens(browser, demo_wiki, shots):
    open_page(browser, CALENDAR)
    text = browser.find_element(By.ID, "mw-content-text").text
    assert "Upcoming sessions" in text and "Past sessions" in text
    screenshot(browser, shots / "calendar.png")


def test_arabic_pages_keep_group_ids_and_dates_in_order(browser, demo_wiki):
    """On the Arabic round page and calendar, a group id or a date inside right-to-left text
    reads left to right, in one piece."""
    config = load_config()
    month = datetime.now(UTC).strftime("%Y-%m")
    for title, pattern in ((f"{config.pages.matches}/{month}/ar", r"\d{4}-\d{2}-\d{3}"),
                           (f"{CALENDAR}/ar", r"\d{4}-\d{2}-\d{2}")):
        browser.get(f"{URL}/index.php?title={quote(title.replace(' ', '_'))}&uselang=ar")
        page = browser.find_element(By.CSS_SELECTOR, version_block("ar"))
        assert browser.execute_script("return getComputedStyle(arguments[0]).direction",
                                      page) == "rtl"
        values = [b.text for b in page.find_elements(By.TAG_NAME, "bdi")
                  if re.fullmatch(pattern + r"(?: \d\d:\d\d)?", b.text)]
        assert len(values) >= 2, title
        for value in values[:5]:
            assert reads_left_to_right(browser, page, value), (title, value)


# --- an Arabic notice: right to left, with left-to-right values inside ------------------------

#: Where each character of ``needle`` shows: (left, top) of its box, in the order it is
#: written.  A value that reads left to right has its lefts rising along one line.
PLACES = """
const [root, needle] = arguments;
const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const at = node.data.indexOf(needle);
  if (at < 0) continue;
  const places = [];
  for (let k = 0; k < needle.length; k++) {
    const range = document.createRange();
    range.setStart(node, at + k);
    range.setEnd(node, at + k + 1);
    const box = range.getBoundingClientRect();
    places.push([box.left, box.top]);
  }
  return places;
}
return null;
"""
ARABIC_SHARER = "أحمد"
LATIN_LEARNER = "Ben Latin"


def reads_left_to_right(driver, root, needle: str) -> bool:
    places = driver.execute_script(PLACES, root, needle)
    assert places, f"{needle!r} is not on the page"
    lefts, tops = [p[0] for p in places], {round(p[1]) for p in places}
    return len(tops) == 1 and lefts == sorted(lefts) and len(set(lefts)) == len(lefts)


def notice_in(lang: str):
    config = load_config()
    settings = TextSettings(task_page=config.bot.task_page, problems_page=config.pages.problems,
                            outcomes_page=config.notices.outcomes_page,
                            outcome_template=config.templates.outcome, task=config.notices.task)
    group = Group(id="2026-12-004", skill="budget-development", sharer=ARABIC_SHARER,
                  learners=("Admin", LATIN_LEARNER), language="ar")
    session = Session(key="S", page="Grants:Knowledge Sharing/Connect/Sessions/Budgets",
                      start=datetime(2026, 12, 10, 14, tzinfo=UTC), has_time=True,
                      title="Budgets (clinic)", format="clinic", status="planned",
                      languages=("ar", "en"), skills=("budget-development",))
    items = [Item("match", "Admin", group.id, round="2026-12", group=group),
             Item("followup", "Admin", "2026-11-007", round="2026-11", days=11,
                  group=Group("2026-11-007", "fundraising", "Admin", (ARABIC_SHARER,), "ar")),
             Item("invite", "Admin", session.key, session=session,
                  skills=("budget-development",))]
    return render_section(Messages.load(), Taxonomy.load(), settings,
                          Recipient("Admin", "User:Admin/Let's Connect", lang, 1), items,
                          datetime(2026, 12, 1, 9, tzinfo=UTC))


def test_an_arabic_notice_reads_right_to_left_with_its_values_in_order(browser, admin, shots):
    """A reader of an Arabic notice sees the heading's date, the group ids, the time and the
    code to copy left to right, each in one piece, and the user names isolated; the section
    link of the edit summary finds the heading.  A control page without the isolation shows
    what the checks catch: the date and the code read backwards, the code over two lines."""
    section = notice_in("ar")
    admin.edit("User talk:Admin", section.wikitext(), summary=section.summary)
    bare = section.wikitext().replace("\u200e", "").replace(
        '<code dir="ltr" style="white-space:nowrap">', "<code>")
    admin.edit("User talk:Admin/Control", f'<div style="width:22em">\n{bare}\n</div>')

    browser.get(f"{URL}/index.php?title=User_talk:Admin/Control&uselang=ar")
    heading = browser.find_element(By.CSS_SELECTOR, ".mw-parser-output h2 .mw-headline")
    assert not reads_left_to_right(browser, heading, "2026-12-01")  # shown as 01-12-2026
    code = browser.find_element(By.CSS_SELECTOR, ".mw-parser-output code")
    assert browser.execute_script("return arguments[0].getClientRects().length", code) > 1

    browser.get(f"{URL}/index.php?title=User_talk:Admin&uselang=ar")
    assert browser.execute_script("return document.documentElement.dir") == "rtl"
    heading = browser.find_element(By.CSS_SELECTOR, ".mw-parser-output h2 .mw-headline")
    assert "(\u200e2026-12-01)" in heading.get_attribute("innerText")
    assert reads_left_to_right(browser, heading, "2026-12-01")
    notice = browser.find_element(By.CSS_SELECTOR, '.mw-parser-output div[lang="ar"]')
    assert browser.execute_script("return getComputedStyle(arguments[0]).direction",
                                  notice) == "rtl"
    for value in ("2026-12-004", "2026-11-007", "14:00 UTC"):
        assert reads_left_to_right(browser, notice, value), value
    names = [b.text for b in notice.find_elements(By.TAG_NAME, "bdi")]
    assert ARABIC_SHARER in names and LATIN_LEARNER in names and "Admin" in names
    codes = notice.find_elements(By.TAG_NAME, "code")
    assert len(codes) == 3  # two calls to copy and the opt-out template
    for element in codes:
        assert element.get_attribute("dir") == "ltr"
        assert browser.execute_script(
            "return [getComputedStyle(arguments[0]).direction, "
            "arguments[0].getClientRects().length]", element) == ["ltr", 1]
        assert reads_left_to_right(browser, element, element.text), element.text
    assert "{{Let's Connect/Outcome|group=2026-12-004|held=yes|summary=…}}" in \
        [c.text for c in codes]
    screenshot(browser, shots / "notice-ar.png", height=1000)
    # One line even in a narrow column (a phone): the code overflows rather than breaks.
    browser.execute_script("arguments[0].style.width = '16em'", notice)
    assert all(browser.execute_script("return arguments[0].getClientRects().length", c) == 1
               for c in codes)

    # The section link in the edit summary (and so in the history and the notification)
    # finds the heading: its anchor is the heading without the invisible mark.
    (revision,) = admin.get(action="query", prop="revisions", titles="User talk:Admin",
                            rvprop="parsedcomment")["query"]["pages"][0]["revisions"]
    fragment = html.unescape(revision["parsedcomment"]).split("#", 1)[1].split('"', 1)[0]
    assert "\u200e" not in fragment and fragment.endswith("(2026-12-01)")
    browser.get(f"{URL}/index.php?title=User_talk:Admin&uselang=ar#{quote(fragment)}")
    target = browser.execute_script(
        "return document.getElementById(decodeURIComponent(location.hash.slice(1)))")
    assert target is not None and target.get_attribute("class") == "mw-headline"


def test_a_spanish_notice_is_in_spanish_throughout(browser, admin, shots):
    section = notice_in("es")
    admin.edit("User talk:Admin", section.wikitext(), summary=section.summary)
    browser.get(f"{URL}/index.php?title=User_talk:Admin&uselang=es")
    notice = browser.find_element(By.CSS_SELECTOR, '.mw-parser-output div[lang="es"]')
    text = notice.text
    assert "Hola" in text and "Admin" in text
    assert english_left(text, ("letsconnect-notice-",), "es") == []
    screenshot(browser, shots / "notice-es.png", height=1000)
