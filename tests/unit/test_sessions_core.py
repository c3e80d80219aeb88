"""The session core and its pages, beyond the data-driven cases: dates, links, escaping,
exports, the templates' files."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.i18n import LANGUAGES
from bot.model import PageData, Revision
from bot.sessions.build import build_log, outcome_statuses
from bot.sessions.dates import parse_when
from bot.sessions.links import parse_link
from bot.sessions.model import Link, Outcome
from bot.sessions.pages import (
    link_text,
    render_calendar,
    render_resources,
    render_resources_export,
    render_session_problems,
    render_sessions_export,
    safe_url,
)
from bot.taxonomy import Taxonomy
from tests.language_checks import broken, english_left, raw_ids

NOW = datetime(2026, 11, 1, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates_wikitext" / "Template" / "Let's Connect"
MODULE = ROOT / "templates_wikitext" / "Module" / "Let's Connect" / "Sessions.lua"


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return Taxonomy.load()


def page(title: str, text: str, saved: str = "2026-10-20T10:00:00Z") -> PageData:
    return PageData(title, (Revision(1, "Someone", saved, text),))


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("date", "time", "expected"), [
    ("2026-10-14", "", "2026-10-14T00:00"),
    ("2026-10-14", "14:00", "2026-10-14T14:00"),
    ("2026-10-14T14:00Z", "", "2026-10-14T14:00"),
    ("Tuesday, 14 October 2026, 2:30 pm", "", "2026-10-14T14:30"),
    ("14 de octubre de 2026", "16:00 UTC-3", "2026-10-14T19:00"),
    ("14 octobre 2026", "16h30", "2026-10-14T16:30"),
    ("October 14, 2026", "", "2026-10-14T00:00"),
    ("2026/10/14", "23:30 UTC+5:30", "2026-10-14T18:00"),
    ("2026-10-14", "01:00 UTC+3", "2026-10-13T22:00"),  # the day before in UTC
    ("2026-03-29", "12:00 Europe/Paris", "2026-03-29T10:00"),  # summer time has begun
])
def test_dates_and_times_end_up_in_utc(date, time, expected):
    when = parse_when(date, time)
    assert not when.problems
    assert when.start.strftime("%Y-%m-%dT%H:%M") == expected
    assert when.start.tzinfo is UTC


@pytest.mark.parametrize(("date", "time", "code"), [
    ("", "", "no-date"),
    ("05/06/2026", "", "ambiguous-date"),
    ("30/02/2026", "", "bad-date"),
    ("1999-10-14", "", "bad-date"),
    ("next Tuesday", "", "bad-date"),
    ("2026-10", "", "incomplete-date"),
    ("2026-10-14", "16:00 IST", "unknown-timezone"),
    ("2026-10-14", "16:00 Mars/Olympus", "unknown-timezone"),
    ("2026-10-14", "13pm", "bad-time"),
    ("2026-10-14", "24:00", "bad-time"),
])
def test_unreadable_dates_and_times_are_reported_not_guessed(date, time, code):
    when = parse_when(date, time)
    assert [p[0] for p in when.problems] == [code]
    if code in ("unknown-timezone", "bad-time"):
        assert when.start is not None and not when.has_time  # the day is kept


@given(st.text(max_size=40), st.text(max_size=20))
def test_date_parsing_never_raises(date, time):
    when = parse_when(date, time)
    assert when.start is None or when.start.tzinfo is UTC


# --- links ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("https://example.org/a?b=1", Link("url", "https://example.org/a?b=1")),
    ("//example.org/a", Link("url", "https://example.org/a")),
    ("[https://example.org/a the slides]", Link("url", "https://example.org/a")),
    ("[[File:My slides.pdf|slides]]", Link("file", "File:My slides.pdf")),
    ("image:x.png", Link("file", "File:X.png")),
    ("[[Grants:Knowledge Sharing/Connect/Guide#Part 2|guide]]",
     Link("page", "Grants:Knowledge Sharing/Connect/Guide")),
    ("", Link("", "")),
    ("javascript:alert(1)", None),
    ("https://exa mple.org", None),
    ("{{some template}}", None),
    ("[[Page]]]{{x}}", Link("page", "Page")),
])
def test_links_are_read_from_the_wikitext(value, expected):
    assert parse_link(value) == expected


def test_web_links_cannot_carry_markup():
    url = "https://example.org/a''b~~~~__NOTOC__"
    assert safe_url(url) == "https://example.org/a%27%27b%7E%7E%7E%7E_%5FNOTOC_%5F"
    text = link_text(Link("url", url), "]] [[Category:Spam]] {{evil}}")
    assert "[[" not in text and "{{" not in text and "''" not in text and "~~~" not in text


def test_a_nul_character_does_not_hide_the_rest_of_a_log(taxonomy):
    # mwparserfromhell stops reading at a NUL; MediaWiki would have stored U+FFFD.
    text = ("Notes\x00\n{{Let's Connect/Session|date=2026-10-14|title=A\x00B|status=held}}"
            "{{Let's Connect/Resource|link=https://example.org/r\x00|title=R}}")
    log = build_log([page("Grants:X/Sessions/Nul", text)], taxonomy, now=NOW)
    assert [s.title for s in log.sessions] == ["A\ufffdB"]
    assert [(r.title, r.link) for r in log.resources] == [
        ("R", Link("url", "https://example.org/r\ufffd"))]


def test_web_links_cannot_carry_bidi_controls():
    # A bidi control in the address would reorder the page's source after it (and can
    # disguise where a link goes); percent-encoded, the address still works.
    url = "https://example.org/\u202efdp.exe"
    assert parse_link(url) == Link("url", url)
    text = link_text(Link("url", url), "slides")
    assert text == "[https://example.org/%E2%80%AEfdp.exe slides]"


# --- pages ---------------------------------------------------------------------------------

HOSTILE = "]]{{evil}}<b>[[Category:Spam]]|}\n* item\n{| ~~~~ __NOTOC__"


def test_hostile_values_are_escaped_on_every_page(taxonomy):
    text = (
        f"{{{{Let's Connect/Session|date=2026-10-14|title={HOSTILE}|format=clinic|status=held"
        f"|summary={HOSTILE}|skills=budget development|languages=en}}}}"
        f"{{{{Let's Connect/Resource|title={HOSTILE}|link=https://example.org/r|type=slides}}}}"
        f"{{{{Let's Connect/Space|name={HOSTILE}|organiser={HOSTILE}|schedule={HOSTILE}"
        f"|topics={HOSTILE}}}}}"
    )
    log = build_log([page("Grants:X/Sessions/Evil", text)], taxonomy, now=NOW)
    assert log.sessions and log.resources and log.spaces
    for lang in LANGUAGES:
        for rendered in (render_resources(log, taxonomy, lang),
                         render_calendar(log, taxonomy, NOW, lang),
                         render_session_problems(log, lang=lang)):
            assert "{{evil}}" not in rendered and "[[Category:" not in rendered
            assert "~~~~" not in rendered and "__NOTOC__" not in rendered
            assert "\n* item" not in rendered and "<b>" not in rendered


def test_resource_index_groups_by_skill_and_language_newest_first(taxonomy):
    pages = [
        page("Grants:X/Sessions/Old", "{{Let's Connect/Session|date=2026-01-10|title=Old"
             "|format=clinic|status=held|skills=budget development|languages=es}}"
             "{{Let's Connect/Resource|title=Old slides|link=https://example.org/old"
             "|type=slides}}"),
        page("Grants:X/Sessions/New", "{{Let's Connect/Session|date=2026-10-10|title=New"
             "|format=clinic|status=held|skills=budget development, fundraising|languages=en}}"
             "{{Let's Connect/Resource|title=New recording|link=https://example.org/new"
             "|type=recording}}"),
        page("Grants:X/Sessions/Empty", "{{Let's Connect/Session|date=2026-10-11|title=Undone"
             "|format=clinic|status=held}}"),
    ]
    log = build_log(pages, taxonomy, now=NOW)
    text = render_resources(log, taxonomy)
    assert "2 of 3 held sessions have at least one resource (67%)" in text
    budget = text.split("==== Budget development ====")[1].split("====")[0]
    assert budget.index("New recording") < budget.index("Old slides")
    fundraising = text.split("==== Fundraising ====")[1].split("==")[0]
    assert "New recording" in fundraising and "Old slides" not in fundraising
    assert "=== Spanish ===" in text and "=== English ===" in text
    spanish = text.split("=== Spanish ===")[1].split("===")[0]
    assert "Old slides" in spanish and "New recording" not in spanish


def test_calendar_splits_upcoming_and_past_by_month(taxonomy):
    text = ("{{Let's Connect/Session|id=a|date=2026-09-03|title=September|format=clinic"
            "|status=held}}{{Let's Connect/Session|id=b|date=2026-11-20|time=15:00"
            "|title=Coming|format=regional|region=LAC|status=planned|skills=fundraising}}"
            "{{Let's Connect/Session|id=c|date=2026-12-01|title=Called off|format=clinic"
            "|status=cancelled}}")
    log = build_log([page("Grants:X/Sessions/2026", text)], taxonomy, now=NOW)
    calendar = render_calendar(log, taxonomy, NOW)
    upcoming, past = calendar.split("== Past sessions ==")
    assert "Coming" in upcoming and "September" not in upcoming.split("== By region ==")[0]
    assert "=== Latin America and the Caribbean ===" in upcoming
    assert "=== Organisational ===" in upcoming  # fundraising's skill area
    assert "|Called off]] ''(cancelled)''" in upcoming
    assert "=== September 2026 ===" in past
    assert "'''1 upcoming session'''" in calendar


# --- the pages in every language ---------------------------------------------------------

PAGE_PREFIXES = ("letsconnect-page-", "letsconnect-sessionpage-", "letsconnect-sessions-format-",
                 "letsconnect-sessions-status-", "letsconnect-sessions-type-",
                 "letsconnect-sessions-every-region", "letsconnect-sessions-no-link")
MIXED = ("{{Let's Connect/Session|id=a|date=2026-09-03|time=10:00|title=September|format=clinic"
         "|status=held|participants=12|skills=fundraising, budget development|languages=en, es}}"
         "{{Let's Connect/Resource|session=a|title=Deck|link=https://example.org/d|type=slides}}"
         "{{Let's Connect/Resource|title=Guide|type=guide}}"
         "{{Let's Connect/Session|id=b|date=2026-11-20|time=15:00|title=Coming|format=regional"
         "|region=LAC|status=planned|skills=fundraising, budget development|languages=es"
         "|interpretation=pt|sharers=Ana, Ben|registration=https://example.org/r}}"
         "{{Let's Connect/Session|id=c|date=2026-10-01|title=Forgotten|format=coffee"
         "|status=planned}}"
         "{{Let's Connect/Space|name=Calls|organiser=Org|topics=fundraising, knitting"
         "|languages=fr|schedule=Mondays}}")


def mixed_log(taxonomy):
    return build_log([page("Grants:X/Sessions/Mixed", MIXED)], taxonomy, now=NOW)


def pages_in(log, taxonomy, lang):
    return {"resources": render_resources(log, taxonomy, lang),
            "calendar": render_calendar(log, taxonomy, NOW, lang),
            "problems": render_session_problems(log, lang=lang)}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_is_written_in_the_language_asked_for(taxonomy, lang):
    log = mixed_log(taxonomy)
    ids = [*taxonomy.skills, *taxonomy.regions, *taxonomy.areas, *taxonomy.thematic_areas]
    for name, text in pages_in(log, taxonomy, lang).items():
        if lang != "en":
            assert english_left(text, PAGE_PREFIXES, lang) == [], name
        assert raw_ids(text, ids) == [], name
        assert broken(text) == [], name
        assert ("<bdi>" in text) == (lang == "ar"), name


def test_a_spanish_calendar(taxonomy):
    calendar = render_calendar(mixed_log(taxonomy), taxonomy, NOW, "es")
    assert "'''1 próxima sesión''' y '''1 espacio de aprendizaje más'''" in calendar
    assert "=== América Latina y el Caribe ===" in calendar
    assert "=== Septiembre de 2026 ===" in calendar and "=== Octubre de 2026 ===" in calendar
    assert "\n| sesión regional\n" in calendar and "\n| clínica de aprendizaje\n" in calendar
    assert "\n| prevista (sin actualizar)\n" in calendar and "\n| realizada\n" in calendar
    assert "\n| español, portugués (interpretación: portugués)\n" in calendar
    assert "\n| Elaboración de presupuestos, Recaudación de fondos\n" in calendar
    assert "[https://example.org/r inscribirse]" in calendar
    assert "— knitting" in calendar  # a topic in no list, as written


def test_an_arabic_calendar_counts_and_isolates(taxonomy):
    log = mixed_log(taxonomy)
    calendar = render_calendar(log, taxonomy, NOW, "ar")
    assert "'''جلسة قادمة واحدة''' و'''مساحة تعلم أخرى واحدة'''" in calendar
    assert '\n| <bdi dir="ltr" style="white-space:nowrap">2026-11-20 15&#58;00</bdi>\n' in calendar
    assert "<bdi>[[User:Ana|Ana]]</bdi>، <bdi>[[User:Ben|Ben]]</bdi>" in calendar
    assert "=== سبتمبر 2026 ===" in calendar
    resources = render_resources(log, taxonomy, "ar")
    assert "'''موردان'''" in resources and "(100٪)" in resources
    assert "''لا رابط بعد''" in resources


def test_french_percent_and_colons_have_their_space(taxonomy):
    log = mixed_log(taxonomy)
    assert "(100&#160;%)" in render_resources(log, taxonomy, "fr")
    assert "(interprétation&#160;: portugais)" in render_calendar(log, taxonomy, NOW, "fr")


def test_sharers_and_topics_beyond_the_first_twenty_are_counted_in_the_page_language(taxonomy):
    sharers = ", ".join(f"Person {n}" for n in range(25))
    topics = ", ".join(f"Topic {n}" for n in range(23))
    text = (f"{{{{Let's Connect/Session|date=2026-12-01|title=Crowded|format=clinic"
            f"|status=planned|sharers={sharers}}}}}"
            f"{{{{Let's Connect/Space|name=Many|topics={topics}}}}}")
    log = build_log([page("Grants:X/Sessions/Crowded", text)], taxonomy, now=NOW)
    assert "and 5 more sharers" in render_calendar(log, taxonomy, NOW)
    spanish = render_calendar(log, taxonomy, NOW, "es")
    assert "y 5 personas más" in spanish and "y 3 temas más" in spanish
    assert "و3 مواضيع أخرى" in render_calendar(log, taxonomy, NOW, "ar")


def test_a_pages_problems_are_told_in_its_owners_language_on_every_page(taxonomy):
    text = "{{Let's Connect/Session|date=2026-10-14|format=clinic|status=held}}"
    log = build_log([page("Grants:X/Sessions/P", text)], taxonomy, now=NOW)
    assert len(log.problems) == 1 and log.problems[0].key
    owners = {"Grants:X/Sessions/P": ("Ana", "fr")}
    french = render_session_problems(log, owners, "fr")
    assert "1 problème sur 1 page." in french and "<span" not in french
    arabic = render_session_problems(log, owners, "ar")
    assert "مشكلة واحدة في صفحة واحدة." in arabic
    assert '<span lang="fr" dir="ltr">' in arabic
    english = render_session_problems(log, owners)
    assert '<span lang="fr" dir="ltr">' in english and "1 problem on 1 page." in english


def test_exports_have_the_documented_shape(taxonomy):
    text = ("{{Let's Connect/Session|date=2026-10-14|time=14:00|title=T|format=clinic"
            "|status=held|region=ssa|languages=en|skills=budget development}}"
            "{{Let's Connect/Resource|title=R|link=File:R.pdf|type=slides}}")
    log = build_log([page("Grants:X/Sessions/T", text)], taxonomy, now=NOW)
    sessions = json.loads(render_sessions_export(log, "2026-11-01T00:00:00Z"))
    assert sessions == {"schema": 1, "generated": "2026-11-01T00:00:00Z", "sessions": [{
        "page": "Grants:X/Sessions/T", "date": "2026-10-14T14:00Z", "title": "T",
        "format": "clinic", "region": "ssa", "languages": ["en"],
        "skills": ["budget-development"], "status": "held",
        "resources": [{"title": "R", "link": "File:R.pdf", "type": "slides"}]}]}
    resources = json.loads(render_resources_export(log, "g"))
    assert resources["resources"] == [{
        "title": "R", "link": "File:R.pdf", "type": "slides", "languages": ["en"],
        "skills": ["budget-development"], "session": "Grants:X/Sessions/T"}]


def test_outcome_statuses_one_held_is_enough():
    outcomes = [Outcome("P", 0, held=False, group="2026-11-001"),
                Outcome("P", 1, held=True, group="2026-11-001"),
                Outcome("P", 2, held=False, group="2026-11-002"),
                Outcome("P", 3, held=False, group="2026-11-002"),
                Outcome("P", 4, held=True, session="S")]
    assert outcome_statuses(outcomes) == {"2026-11-001": "held", "2026-11-002": "not held"}
    assert outcome_statuses(reversed(outcomes)) == outcome_statuses(outcomes)


def test_the_parser_ignores_examples_in_nowiki_and_comments(taxonomy):
    text = ("<!-- {{Let's Connect/Session|date=2026-10-01|title=Hidden}} -->"
            "<nowiki>{{Let's Connect/Session|date=2026-10-02|title=Shown as text}}</nowiki>"
            "{{Template:let's_Connect/Session|date=2026-10-03|title=Real|format=clinic|status=held}}")
    log = build_log([page("Grants:X/Sessions/N", text)], taxonomy, now=NOW)
    assert [s.title for s in log.sessions] == ["Real"]


# --- the templates' files ------------------------------------------------------------------


def test_each_template_invokes_a_function_of_the_sessions_module():
    source = MODULE.read_text(encoding="utf-8")
    functions = set(re.findall(r"^p\.(\w+) = ", source, re.M))
    for name in ("Session", "Resource", "Outcome", "Space"):
        text = (TEMPLATES / f"{name}.wikitext").read_text(encoding="utf-8")
        invoked = re.findall(r"\{\{#invoke:Let's Connect/Sessions\|(\w+)\}\}", text)
        assert invoked == [name.lower()] and name.lower() in functions


def test_templatedata_lists_the_parameters_the_bot_reads():
    from bot.sessions.vocabulary import PARAMS

    for name in ("Session", "Resource", "Outcome", "Space"):
        data = json.loads((TEMPLATES / f"{name}.templatedata.json").read_text(encoding="utf-8"))
        assert set(data["params"]) == set(PARAMS[name.lower()]), name
        doc = (TEMPLATES / name / "doc.wikitext").read_text(encoding="utf-8")
        for param in data["params"]:
            assert f"<code>{param}</code>" in doc, (name, param)


@pytest.mark.skipif(shutil.which("luac5.1") is None, reason="luac5.1 is not installed")
def test_module_compiles_and_makes_no_globals():
    listing = subprocess.run(["luac5.1", "-l", "-p", str(MODULE)], capture_output=True,
                             text=True, check=True).stdout
    assert "SETGLOBAL" not in listing
    read = set(re.findall(r"GETGLOBAL\s.*?; (\w+)", listing))
    allowed = {"mw", "pcall", "type", "ipairs", "pairs", "tostring", "tonumber", "table",
               "string", "unpack", "next", "require"}
    assert read <= allowed, read - allowed
