"""The profile form (the gadget MediaWiki:Gadget-letsconnect-form*) in Debian's Chromium,
headless, against the local wiki: the bot deploys the gadget as an interface administrator;
people register, edit and save through it, in English and in Arabic, with the mouse or the
keyboard alone; the directory job reads what they saved.

The browser is set up as in test_browser.py.  Each participant is a real account whose
session (cookies) the browser takes over, with the interface language and the Vector 2022
skin set in their preferences.  ``LETSCONNECT_SCREENSHOTS`` keeps the screenshots of the
form (``docs/screenshots/form-en.png``, ``form-ar.png``) as test_browser.py does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

import pytest

from bot.taxonomy import Taxonomy
from tests.integration.conftest import run_job

# The browser as test_browser.py sets it up (Debian's Chromium, headless), and its screenshots.
from tests.integration.test_browser import CHROMIUM, DRIVER, browser, screenshot, shots  # noqa: F401
from tests.integration.wikiclient import URL, WikiClient, localwiki

webdriver = pytest.importorskip("selenium.webdriver", reason="the selenium package is missing")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="Debian's chromium and chromium-driver are not installed (run scripts/install-browser)",
)

from selenium.common.exceptions import TimeoutException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

LANDING = "Grants:Knowledge Sharing/Connect/Directory"
PREFIX = "Grants:Knowledge Sharing/Connect/Directory/"
EXPORT = "Grants:Knowledge Sharing/Connect/Data/directory.json"
PASSWORD = "Form-test-password-2026"
FORM = ".letsconnect-form"


@pytest.fixture(scope="module")
def gadget(job_env):
    """An empty wiki with the toolset deployed by the bot, gadget included."""
    localwiki("reset")
    result = run_job(job_env, "deploy")
    assert result.returncode == 0, result.stderr
    assert "not installed" not in result.stdout, result.stdout
    return job_env


@pytest.fixture(scope="module")
def admin(gadget) -> WikiClient:
    return WikiClient().login_admin()


def participant(name: str, lang: str = "en") -> WikiClient:
    """A new account, logged in, with its interface language and Vector 2022."""
    client = WikiClient()
    token = client.get(action="query", meta="tokens", type="createaccount")["query"][
        "tokens"]["createaccounttoken"]
    result = client.post(action="createaccount", username=name, password=PASSWORD,
                         retype=PASSWORD, createtoken=token, createreturnurl=URL)
    assert result["createaccount"]["status"] == "PASS", result
    if client.get(action="query", meta="userinfo")["query"]["userinfo"].get("anon"):
        token = client.get(action="query", meta="tokens", type="login")["query"]["tokens"]
        result = client.post(action="clientlogin", username=name, password=PASSWORD,
                             logintoken=token["logintoken"], loginreturnurl=URL)
        assert result["clientlogin"]["status"] == "PASS", result
    options = client.post(action="options", change=f"language={lang}|skin=vector-2022",
                          token=client.csrf())
    assert options.get("options") == "success", options
    return client


def sign_in(driver, client: WikiClient) -> None:
    """The browser takes over the account's session."""
    driver.get(f"{URL}/index.php?title=Special:BlankPage")
    driver.delete_all_cookies()
    for cookie in client.http.cookies:
        driver.add_cookie({"name": cookie.name, "value": cookie.value, "path": "/"})


def page_url(title: str, **params: str) -> str:
    query = "".join(f"&{k}={quote(v)}" for k, v in params.items())
    return f"{URL}/index.php?title={quote(title.replace(' ', '_'))}{query}"


def wait(driver, condition, seconds: float = 30):
    return WebDriverWait(driver, seconds).until(condition)


def gadget_ready(driver) -> None:
    wait(driver, lambda d: d.execute_script(
        "return !!(window.mw && mw.loader && "
        "mw.loader.getState('ext.gadget.letsconnect-form') === 'ready')"))


def form_open(driver):
    css = f"{FORM} .letsconnect-form-field-share input"
    try:
        return wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, css), 60)[0]
    except TimeoutException:
        state = driver.execute_script(
            "return [location.href, mw.loader.getState('ext.gadget.letsconnect-form-core'),"
            " (document.querySelector('.letsconnect-form-loading') || {}).textContent]")
        pytest.fail(f"the form did not open: {state}")


#: The list of the focused search field shows what matches the typed text, one highlighted.
FILTERED = """
const widget = document.activeElement.closest('.oo-ui-tagMultiselectWidget');
if (!widget) return false;
const shown = [...widget.querySelectorAll('.oo-ui-menuOptionWidget')]
  .filter(o => !o.classList.contains('oo-ui-element-hidden'));
const all = widget.querySelectorAll('.oo-ui-menuOptionWidget').length;
return shown.length > 0 && shown.length < all
  && shown.some(o => o.classList.contains('oo-ui-optionWidget-highlighted'));
"""


@dataclass
class Actions:
    """What a person does, counted: a click, a text typed, a key pressed."""

    driver: object
    count: int = 0
    log: list[str] = field(default_factory=list)

    def click(self, element, what: str = "") -> None:
        element.click()
        self._count(f"click {what}")

    def type(self, text: str) -> None:
        webdriver.ActionChains(self.driver).send_keys(text).perform()
        self._count(f"type {text!r}")

    def key(self, key: str, name: str) -> None:
        webdriver.ActionChains(self.driver).send_keys(key).perform()
        self._count(f"key {name}")

    def select(self, name: str, value: str) -> None:
        css = f"{FORM} .letsconnect-form-field-{name} select"
        Select(self.driver.find_element(By.CSS_SELECTOR, css)).select_by_value(value)
        self._count(f"choose {value} in {name}")

    def tab_to(self, css: str, limit: int = 60) -> None:
        """Press Tab until the focus is on the element ``css`` names."""
        for _ in range(limit):
            if self.driver.execute_script("return document.activeElement.matches(arguments[0])",
                                          css):
                return
            self.key(Keys.TAB, "Tab")
        pytest.fail(f"{css} never had the focus after {limit} presses of Tab")

    def pick(self, text: str) -> None:
        """Type a search and take the highlighted entry (the one named exactly, else the
        first that matches) with Enter."""
        self.type(text)
        wait(self.driver, lambda d: d.execute_script(FILTERED))
        self.key(Keys.ENTER, "Enter")

    def _count(self, what: str) -> None:
        self.count += 1
        self.log.append(what)


def field_input(driver, name: str):
    css = f"{FORM} .letsconnect-form-field-{name} input:not([type=hidden])"
    return driver.find_element(By.CSS_SELECTOR, css)


def tags(driver, name: str) -> list[str]:
    """The entries chosen in a multi-select, as shown."""
    return driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map(t => t.innerText.trim())",
        f"{FORM} .letsconnect-form-field-{name} .oo-ui-tagItemWidget")


def saved(driver, title: str) -> None:
    """The form saved and the browser shows the profile page."""
    wanted = title.replace(" ", "_")

    def shown(d) -> bool:
        if wanted in unquote(d.current_url) and not d.find_elements(By.CSS_SELECTOR, FORM):
            return True
        status = d.find_elements(By.CSS_SELECTOR, ".letsconnect-form-status")
        assert not (status and "not saved" in status[0].text), status[0].text
        return False

    wait(driver, shown)
    wait(driver, lambda d: d.execute_script("return document.readyState") == "complete")


def directory_entry(job_env, wiki: WikiClient, user: str) -> tuple[dict, list[dict]]:
    result = run_job(job_env, "directory")
    assert result.returncode == 0, result.stderr
    data = json.loads(wiki.text(EXPORT) or "{}")
    entries = [p for p in data["participants"] if p["user"] == user]
    problems = [p for p in data["problems"] if p["user"] == user]
    assert len(entries) == 1, data["participants"]
    return entries[0], problems


def register(driver, actions: Actions, share: tuple[str, str], learn: tuple[str, str],
             language: str) -> None:
    """A typical profile from the "Add your profile" button, with the mouse: two skills each
    way, a second language (the interface language is there already), consent."""
    button = driver.find_element(By.CSS_SELECTOR, ".letsconnect-add-profile input[type=submit]")
    actions.click(button, "Add your profile")
    form_open(driver)  # the focus is in the first field, skills to share
    for text in share:
        actions.pick(text)
    actions.click(field_input(driver, "learn"), "skills to learn")
    for text in learn:
        actions.pick(text)
    actions.click(field_input(driver, "languages"), "languages")
    actions.pick(language)
    actions.click(driver.find_element(
        By.CSS_SELECTOR, f"{FORM} .letsconnect-form-field-consent input[value=yes]"), "consent yes")


def save_button(driver):
    return driver.find_element(By.CSS_SELECTOR, f"{FORM} .letsconnect-form-buttons a")


#: The controls of the form without a name for assistive technology (a label, or a group
#: named by one); none is expected.
LABELLED = """
const named = e => (e.labels && e.labels.length > 0) || e.hasAttribute('aria-labelledby');
const groups = [...document.querySelectorAll('.letsconnect-form [role=group],'
  + '.letsconnect-form [role=radiogroup]')];
return [...document.querySelectorAll('.letsconnect-form input:not([type=hidden]),'
  + '.letsconnect-form select')]
  .filter(e => !named(e) || (e.type === 'radio' || e.type === 'checkbox')
    && !e.closest('.letsconnect-form-field-notify')
    && !groups.some(g => g.contains(e) && g.hasAttribute('aria-labelledby')))
  .map(e => e.id || e.name);
"""


#: Whether every control of the form lies within the form, and the form within the page's
#: content: nothing to scroll sideways to reach.
FITS = """
const form = document.querySelector('.letsconnect-form').getBoundingClientRect();
const content = document.getElementById('mw-content-text').getBoundingClientRect();
const inside = [...document.querySelectorAll('.letsconnect-form input:not([type=hidden]),'
  + '.letsconnect-form select, .letsconnect-form .oo-ui-buttonElement-button')]
  .map(e => e.getBoundingClientRect())
  .every(r => r.left >= form.left - 1 && r.right <= form.right + 1);
return inside && form.width <= content.width + 1 && form.width > 0;
"""


def test_a_new_participant_registers_in_english(gadget, admin, browser, shots):  # noqa: F811
    """The typical profile with the mouse, counted; the directory lists it as chosen."""
    client = participant("Form English")
    sign_in(browser, client)
    browser.get(page_url(LANDING))
    gadget_ready(browser)
    actions = Actions(browser)
    register(browser, actions, ("budget dev", "wikidata"), ("volunteer man", "paws"), "Spanish")
    assert tags(browser, "share") == ["Budget development", "Wikidata basics"]
    assert tags(browser, "languages") == ["English", "Spanish (español)"]
    assert browser.execute_script(LABELLED) == []
    screenshot(browser, shots / "form-en.png", height=1700)
    actions.click(save_button(browser), "save")
    saved(browser, PREFIX + "Form English")
    print(f"\nactions from 'Add your profile' to saved: {actions.count}: {', '.join(actions.log)}")
    assert actions.count <= 15, actions.log
    entry, problems = directory_entry(gadget, admin, "Form English")
    assert problems == []
    assert {k: entry[k] for k in ("status", "share", "learn", "languages", "region", "country",
                                  "areas", "capacity", "formats", "notify", "lang")} == {
        "status": "active", "share": ["budget-development", "wikidata-basics"],
        "learn": ["volunteer-management", "paws-quarry-wdqs"], "languages": ["en", "es"],
        "region": "", "country": "", "areas": [], "capacity": 1,
        "formats": ["1:1", "group", "clinic"], "notify": True, "lang": ""}


def test_a_new_participant_registers_in_arabic_with_every_field(gadget, admin, browser, shots):  # noqa: F811
    """The interface in Arabic: the form right to left, its texts from the catalogue, the
    search in Arabic; every field answered, and the directory has each answer."""
    tax = Taxonomy.load()
    ar = {key: tax.skills[key].labels["ar"] for key in ("fundraising", "volunteer-management")}
    client = participant("Form Arabic", "ar")
    sign_in(browser, client)
    browser.get(page_url(LANDING))
    gadget_ready(browser)
    actions = Actions(browser)
    actions.click(browser.find_element(
        By.CSS_SELECTOR, ".letsconnect-add-profile input[type=submit]"), "Add your profile")
    form_open(browser)
    form = browser.find_element(By.CSS_SELECTOR, FORM)
    assert (form.get_attribute("lang"), form.get_attribute("dir")) == ("ar", "rtl")
    assert browser.execute_script("return getComputedStyle(arguments[0]).direction", form) == "rtl"
    assert form.find_element(By.TAG_NAME, "h2").text == "ملفك في Let's Connect"
    actions.pick("الميزانية")  # an alias of budget development
    actions.pick("ويكي بيانات")  # an alias of Wikidata basics
    actions.click(field_input(browser, "learn"))
    actions.pick(ar["fundraising"])
    actions.pick(ar["volunteer-management"])
    assert tags(browser, "learn") == [ar["fundraising"], ar["volunteer-management"]]
    actions.click(field_input(browser, "languages"))
    actions.pick("الفرنسية")
    assert [t.split(" (")[0] for t in tags(browser, "languages")] == ["العربية", "الفرنسية"]
    actions.select("region", "mena")
    actions.select("country", "EG")
    field_input(browser, "affiliation").send_keys("ويكيميديا مصر")
    actions.click(field_input(browser, "areas"))
    actions.pick(tax.thematic_areas["education"].labels["ar"])
    actions.select("capacity", "3")
    actions.click(browser.find_element(By.CSS_SELECTOR, f"{FORM} input[value=clinic]"))
    actions.click(field_input(browser, "notify"))
    actions.select("lang", "ar")
    field_input(browser, "bio").send_keys("أحب مشاركة ما تعلمته")
    actions.click(browser.find_element(By.CSS_SELECTOR, f"{FORM} input[value=yes]"))
    screenshot(browser, shots / "form-ar.png", height=1700)
    actions.click(save_button(browser))
    saved(browser, PREFIX + "Form Arabic")
    entry, problems = directory_entry(gadget, admin, "Form Arabic")
    assert problems == []
    assert {k: entry[k] for k in ("status", "share", "learn", "languages", "region", "country",
                                  "affiliation", "areas", "capacity", "formats", "notify",
                                  "lang")} == {
        "status": "active", "share": ["budget-development", "wikidata-basics"],
        "learn": ["fundraising", "volunteer-management"], "languages": ["ar", "fr"],
        "region": "mena", "country": "EG", "affiliation": "ويكيميديا مصر",
        "areas": ["education"], "capacity": 3, "formats": ["1:1", "group"], "notify": False,
        "lang": "ar"}
    assert "| bio = أحب مشاركة ما تعلمته\n" in admin.text(PREFIX + "Form Arabic")


HANDWRITTEN = """Some words above the profile, with a [[Main Page|link]] and a {{tl|template}}.

{{Let's Connect/Profile
|consent=yes
| skills to share = presupuesto, Conceptos básicos de Wikidata <!-- my note -->
|learn= Gestión de voluntarios
| languages = English, español, pt-BR
| country = Nigeria
| affiliation = [[Wikimedia User Group Nigeria|WUG Nigeria]] {{flagicon|NG}}
| capacity = 2
| formats = 1:1, group
| favourite colour = blue
| bio = I run edit-a-thons in Lagos.
}}
And some words below it.
"""


def open_from_card(driver, title: str) -> None:
    driver.get(page_url(title))
    gadget_ready(driver)
    driver.find_element(By.CSS_SELECTOR, ".letsconnect-form-edit a").click()
    form_open(driver)


def test_a_hand_written_profile_saves_unchanged_and_a_change_touches_one_parameter(
        gadget, admin, browser):  # noqa: F811
    """Opened from the card's link, a profile written by hand (a skill's alias and its
    Spanish label, a comment, a link and a template in a value, text around it, a parameter
    the bot does not know) shows every answer; saved untouched, the page is the same to the
    byte; one answer changed, only its parameter changes."""
    title = PREFIX + "Form Handwritten"
    client = participant("Form Handwritten")
    client.edit(title, HANDWRITTEN, summary="my profile, by hand")
    before = admin.text(title)
    revisions = len(admin.revisions(title))
    sign_in(browser, client)
    open_from_card(browser, title)
    assert tags(browser, "share") == ["Budget development", "Wikidata basics"]
    assert tags(browser, "learn") == ["Volunteer management and recognition"]
    assert tags(browser, "languages") == ["English", "Spanish (español)",
                                          "Portuguese (português)"]
    values = browser.execute_script(
        "return [...document.querySelectorAll('.letsconnect-form select')].map(s => s.value)")
    assert values == ["", "NG", "2", ""]  # region (none written), country, capacity, lang
    assert field_input(browser, "bio").get_attribute("value") == "I run edit-a-thons in Lagos."
    assert browser.find_element(By.CSS_SELECTOR, f"{FORM} input[value=yes]").is_selected()
    save_button(browser).click()
    saved(browser, title)
    assert admin.text(title) == before
    assert len(admin.revisions(title)) == revisions

    open_from_card(browser, title)
    Select(browser.find_element(
        By.CSS_SELECTOR, f"{FORM} .letsconnect-form-field-capacity select")).select_by_value("3")
    save_button(browser).click()
    saved(browser, title)
    assert admin.text(title) == before.replace("| capacity = 2\n", "| capacity = 3\n")
    assert admin.revisions(title)[0]["comment"] == (
        "Let's Connect profile: capacity changed with the profile form")


def test_an_edit_made_while_the_form_is_open_is_reported_and_nothing_is_lost(
        gadget, admin, browser):  # noqa: F811
    title = PREFIX + "Form Conflict"
    client = participant("Form Conflict")
    client.edit(title, HANDWRITTEN, summary="my profile, by hand")
    sign_in(browser, client)
    open_from_card(browser, title)
    bio = field_input(browser, "bio")
    bio.clear()
    bio.send_keys("I teach Wikidata.")
    theirs = HANDWRITTEN.replace("in Lagos.", "in Lagos and Abuja.") + "A note from the admin.\n"
    admin.edit(title, theirs, summary="meanwhile")
    save_button(browser).click()
    status = wait(browser, lambda d: (lambda s: s if "changed this page" in s else None)(
        d.find_element(By.CSS_SELECTOR, f"{FORM} .letsconnect-form-status").text))
    assert "nothing was saved" in status and "Save my profile" in status
    assert admin.text(title) == theirs.rstrip("\n")  # their edit is there, ours not yet
    assert field_input(browser, "bio").get_attribute("value") == "I teach Wikidata."
    save_button(browser).click()  # again: our answer goes onto their version
    saved(browser, title)
    assert admin.text(title) == theirs.rstrip("\n").replace(
        "I run edit-a-thons in Lagos and Abuja.", "I teach Wikidata.")
    assert [r["comment"] for r in admin.revisions(title)][:2] == [
        "Let's Connect profile: bio changed with the profile form", "meanwhile"]


def test_the_whole_registration_with_the_keyboard_alone(gadget, admin, browser):  # noqa: F811
    """Tab, typing, Enter and Space only: the button, the searches, consent, saving; a
    missing answer is announced beside its field and takes the focus, which shows."""
    client = participant("Form Keyboard")
    sign_in(browser, client)
    browser.get(page_url(LANDING))
    gadget_ready(browser)
    keys = Actions(browser)
    keys.tab_to(".letsconnect-add-profile input[type=submit]")
    keys.key(Keys.ENTER, "Enter")
    form_open(browser)
    assert browser.execute_script("return document.activeElement.closest("
                                  "'.letsconnect-form-field-share') !== null")
    keys.pick("budget dev")
    keys.pick("wikidata")
    keys.tab_to(f"{FORM} .letsconnect-form-field-learn input")
    keys.pick("volunteer man")
    keys.pick("paws")
    keys.tab_to(f"{FORM} .letsconnect-form-field-languages input")
    keys.pick("fr")  # a code
    keys.tab_to(f"{FORM} .letsconnect-form-buttons a")
    keys.key(Keys.ENTER, "Enter")  # consent is not answered yet
    error = wait(browser, lambda d: d.find_element(
        By.CSS_SELECTOR, f"{FORM} .letsconnect-form-field-consent .letsconnect-form-error"))
    wait(browser, lambda d: error.text == "Choose yes or no.")
    assert error.get_attribute("aria-live") == "polite"
    group = browser.find_element(By.CSS_SELECTOR, f"{FORM} .letsconnect-form-field-consent "
                                 "[role=radiogroup]")
    assert error.get_attribute("id") in group.get_attribute("aria-describedby").split()
    assert browser.find_element(By.CSS_SELECTOR, f"{FORM} .letsconnect-form-status").text == (
        "One answer needs a change: see the message beside the field.")
    focused = browser.switch_to.active_element
    assert focused.get_attribute("value") == "yes"  # the focus went to the answer missing
    assert browser.execute_script(
        "const s = getComputedStyle(arguments[0]);"
        "return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0", focused)
    keys.key(Keys.SPACE, "Space")
    keys.tab_to(f"{FORM} .letsconnect-form-buttons a")
    keys.key(Keys.ENTER, "Enter")
    saved(browser, PREFIX + "Form Keyboard")
    assert admin.text(PREFIX + "Form Keyboard") == (
        "{{Let's Connect/Profile\n| consent = yes\n"
        "| share = budget-development, wikidata-basics\n"
        "| learn = volunteer-management, paws-quarry-wdqs\n| languages = en, fr\n}}")


def opened_at(driver, width: int) -> tuple[bool, int, int]:
    """The form opened from the button at this window width: whether it fits (FITS), and
    where the region and country fields start (their tops)."""
    driver.set_window_size(width, 800)
    driver.get(page_url(LANDING))
    gadget_ready(driver)
    driver.find_element(By.CSS_SELECTOR, ".letsconnect-add-profile input[type=submit]").click()
    form_open(driver)
    region, country = (driver.find_element(By.CSS_SELECTOR, f"{FORM} .letsconnect-form-field-{n}")
                       for n in ("region", "country"))
    return driver.execute_script(FITS), region.location["y"], country.location["y"]


def test_the_form_fits_a_phone(gadget, browser):  # noqa: F811
    """Opened on a phone's width (Vector 2022 at 375 px), the form is one column within the
    page; on a desktop's, fields share a row."""
    sign_in(browser, participant("Form Phone"))
    try:
        fits, region, country = opened_at(browser, 375)
        assert fits and country > region  # one below the other
    finally:
        browser.set_window_size(1280, 1000)
    fits, region, country = opened_at(browser, 1280)
    assert fits and country == region  # side by side


def test_without_the_gadget_the_button_opens_the_preloaded_page(
        gadget, admin, browser):  # noqa: F811
    definition = admin.text("MediaWiki:Gadgets-definition") or ""
    client = participant("Form Nogadget")
    sign_in(browser, client)
    admin.edit("MediaWiki:Gadgets-definition", "<!-- no gadgets -->")
    try:
        browser.execute_cdp_cmd("Network.clearBrowserCache", {})
        browser.get(page_url(LANDING))
        wait(browser, lambda d: d.execute_script(
            "return !!(window.mw && mw.loader) && mw.loader.getState('user') !== null"))
        assert browser.execute_script(
            "return mw.loader.getState('ext.gadget.letsconnect-form')") is None
        name = browser.find_element(By.CSS_SELECTOR, ".letsconnect-add-profile input[name=title]")
        name.send_keys("Form Nogadget")
        browser.find_element(By.CSS_SELECTOR, ".letsconnect-add-profile input[type=submit]").click()
        box = wait(browser, lambda d: d.find_elements(By.ID, "wpTextbox1"))[0]
        assert "action=edit" in browser.current_url and "preload=" in browser.current_url
        assert "| consent     = <!-- REQUIRED" in box.get_attribute("value")
    finally:
        admin.edit("MediaWiki:Gadgets-definition", definition)
        browser.execute_cdp_cmd("Network.clearBrowserCache", {})
