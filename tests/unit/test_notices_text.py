"""The text of notices: the message formatter, the message files, the section, the log."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.i18n.format import MessageError, expand_plural, format_message, plural_index
from bot.matching.values import Group
from bot.model import Problem
from bot.notices.decide import Facts, Item, TalkPage, markers_in, sections_in
from bot.notices.state import NoticeState
from bot.notices.text import (
    LANGS,
    PREFIX,
    Messages,
    Recipient,
    TextSettings,
    choose_language,
    link_target,
    render_export,
    render_log,
    render_section,
)
from bot.sessions.model import Session
from bot.taxonomy import Taxonomy

I18N = Path(__file__).resolve().parents[2] / "bot" / "i18n"
STAMP = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
SETTINGS = TextSettings(task_page="Grants:X/Bot", problems_page="Grants:X/Problems",
                        outcomes_page="Grants:X/Coffees")
FORMS = {"en": 2, "es": 2, "fr": 2, "pt-br": 2, "ar": 6}


@pytest.fixture(scope="module")
def messages() -> Messages:
    return Messages.load()


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return Taxonomy.load()


# --- plural rules and the formatter ------------------------------------------------------


@pytest.mark.parametrize("lang, n, index", [
    ("en", 0, 1), ("en", 1, 0), ("en", 2, 1), ("es", 1, 0), ("es", 0, 1),
    ("fr", 0, 0), ("fr", 1, 0), ("fr", 2, 1), ("pt", 0, 0), ("pt-BR", 1, 0), ("pt", 5, 1),
    ("ar", 0, 0), ("ar", 1, 1), ("ar", 2, 2), ("ar", 3, 3), ("ar", 10, 3), ("ar", 11, 4),
    ("ar", 99, 4), ("ar", 100, 5), ("ar", 102, 5), ("ar", 103, 3), ("ar", 111, 4),
])
def test_plural_rules(lang, n, index):
    assert plural_index(lang, n) == index


def test_plural_is_resolved_with_the_recipients_rules():
    text = "{{PLURAL:$1|one thing|$1 things}}"
    assert format_message(text, [0], "en") == "0 things"
    assert format_message(text, [0], "fr") == "one thing"
    arabic = "{{PLURAL:$1|z|o|t|f|m|x}}"
    assert [format_message(arabic, [n], "ar") for n in (0, 1, 2, 3, 11, 100)] == list("zotfmx")


def test_plural_details_as_mediawiki_has_them():
    assert expand_plural("{{PLURAL:0|0=none|one|many}}", [], "en") == "none"
    assert expand_plural("{{PLURAL:5|0=none|one|many}}", [], "en") == "many"
    assert expand_plural("{{PLURAL:5|only}}", [], "ar") == "only"  # missing forms: the last
    assert expand_plural("{{PLURAL:2|[[A|a link]]|[[B|links]]}}", [], "en") == "[[B|links]]"
    assert expand_plural("{{PLURAL:2|x|{{PLURAL:1|inner|inners}} y}}", [], "en") == "inner y"
    assert expand_plural("{{PLURAL:many|a|b}}", [], "en") == "{{PLURAL:many|a|b}}"
    with pytest.raises(MessageError):
        expand_plural("{{PLURAL:$1|a|b", [1], "en")


def test_parameters_are_put_in_once_and_gender_is_left_to_the_wiki():
    text = "{{GENDER:$1|he|she|they}} met $2 ($3)"
    assert format_message(text, ["Ana", "$3 and $1", 7], "en") == (
        "{{GENDER:Ana|he|she|they}} met $3 and $1 (7)")
    with pytest.raises(MessageError):
        format_message("$1 and $2", ["only one"], "en")
    with pytest.raises(MessageError):
        format_message("{{PLURAL:$4|a|b}}", [1], "en")


@given(st.lists(st.text(max_size=20), min_size=3, max_size=3), st.integers(0, 10**6))
def test_any_parameter_text_comes_out_as_it_went_in(params, n):
    out = format_message("<$1|$2|$3> {{PLURAL:$4|x|y}}", [*params, n], "ar")
    assert out.startswith(f"<{params[0]}|{params[1]}|{params[2]}> ")
    assert out.endswith(("x", "y"))


def test_link_targets():
    assert link_target("Grants:X/Directory/Ana") == ":Grants:X/Directory/Ana"
    assert link_target("Category:Foo_bar") == ":Category:Foo bar"
    for bad in ("", "A|B", "A]]", "[[A", "A{{B}}", "A#b"):
        with pytest.raises(MessageError):
            link_target(bad)


@pytest.mark.parametrize("lang, languages, chosen", [
    ("es", ("en",), "es"), ("", ("fr", "en"), "fr"), ("de", ("pt-BR", "en"), "pt-br"),
    ("pt", (), "pt-br"), ("pt-PT", (), "pt-br"), ("pt-br", (), "pt-br"), ("", ("pt",), "pt-br"),
    ("es-MX", (), "es"), ("en-GB", ("fr",), "en"),
    ("", ("sw", "de"), "en"), ("AR", (), "ar"), ("", (), "en"),
])
def test_the_notice_language(lang, languages, chosen):
    assert choose_language(lang, languages) == chosen


# --- the message files --------------------------------------------------------------------


def _load(lang: str) -> dict:
    data = json.loads((I18N / f"{lang}.json").read_text(encoding="utf-8"))
    assert "@metadata" in data
    # The notices' messages; the on-wiki modules' share the files (tests/unit/test_lua_bundle.py).
    return {k: v for k, v in data.items() if k.startswith(PREFIX)}


def _documented(doc: str) -> set[int]:
    return {int(n) for n in re.findall(r"^\* \$(\d+) - ", doc, re.MULTILINE)}


def _forms(text: str, word: str) -> list[list[str]]:
    """The forms of every {{WORD:...}} in a message (no nesting in our messages)."""
    found = []
    for match in re.finditer(r"\{\{" + word + r":([^{}]*(?:\[\[[^\]]*\]\][^{}]*)*)\}\}", text):
        parts = re.split(r"\|(?![^\[]*\]\])", match.group(1))
        found.append(parts[1:])
    return found


def test_every_language_has_every_message_and_qqq_documents_them():
    english = _load("en")
    assert english and all(k.startswith(PREFIX) for k in english)
    assert set(_load("qqq")) == set(english)
    for lang in LANGS:
        assert set(_load(lang)) == set(english), lang


@pytest.mark.parametrize("lang", LANGS)
def test_translations_use_only_documented_parameters_and_the_right_forms(lang):
    docs = _load("qqq")
    for key, text in _load(lang).items():
        used = {int(n) for n in re.findall(r"\$(\d+)", text)}
        documented = _documented(docs[key])
        assert used <= documented, (lang, key, used - documented)
        for forms in _forms(text, "PLURAL"):
            assert len(forms) == FORMS[lang], (lang, key, forms)
        for forms in _forms(text, "GENDER"):
            # three forms, or the empty marker {{GENDER:$1|}} (bot/i18n/format.py)
            assert len(forms) == 3 or forms == [""], (lang, key, forms)
        assert "\n" not in text, (lang, key)
        assert text.count("{{") == text.count("}}") and text.count("[[") == text.count("]]")
    summary = _load(lang)[PREFIX + "summary"]
    assert "GENDER" not in summary  # edit summaries are never parsed
    heading = _load(lang)[PREFIX + "heading"]
    assert not re.search(r"[\[\]{}|<>#]", heading), heading  # plain: it is an anchor


def test_the_english_messages_keep_the_parameters_the_code_gives(messages):
    # Each message's documented parameters are the ones the renderer passes.
    docs = _load("qqq")
    for key in _load("en"):
        if key.endswith(("-about", "-separator", "-date-format")):
            assert not _documented(docs[key])
        else:
            assert 1 in _documented(docs[key]), key  # the recipient, for GENDER


# --- the section -----------------------------------------------------------------------------


def sample_items() -> list[Item]:
    group = Group(id="2026-11-003", skill="fundraising", sharer="Ana", learners=("Ben", "Cai"),
                  language="es")
    session = Session(key="Grants:X/Sessions/S", page="Grants:X/Sessions/S",
                      start=datetime(2026, 11, 10, 14, tzinfo=UTC), has_time=True,
                      title="Budgets {{evil}} [[Category:Spam]] ~~~~", format="clinic",
                      status="planned", languages=("en", "es"), skills=("fundraising",))
    problem = Problem("Grants:X/Directory/Ben", "Ben", "unknown-skill", "share",
                      "Wikidata basiks", "The skill “Wikidata basiks” is not [[known]].")
    return [
        Item("match", "Ben", group.id, round="2026-11", group=group),
        Item("followup", "Ben", "2026-10-007", round="2026-10", days=21,
             group=Group("2026-10-007", "governance", "Dee", ("Ben",), "en")),
        Item("invite", "Ben", session.key, session=session, skills=("fundraising",)),
        Item("profile", "Ben", "Grants:X/Directory/Ben", page="Grants:X/Directory/Ben",
             problems=(problem,)),
        Item("profile", "Ben", "Grants:X/Directory/Ben@7", stale=True, since="2025-10-01",
             days=365, page="Grants:X/Directory/Ben"),
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_a_section_holds_every_item_with_its_marker_signed_in_the_right_direction(
        lang, messages, taxonomy):
    items = sample_items()
    recipient = Recipient("Ben", "Grants:X/Directory/Ben", lang, 2)
    section = render_section(messages, taxonomy, SETTINGS, recipient, items, STAMP,
                             {"Ana": "Ana Renamed"})
    body = section.body
    direction = "rtl" if lang == "ar" else "ltr"
    assert body.startswith(f'<div lang="{lang}" dir="{direction}">\n') and body.endswith("</div>")
    assert markers_in(body) == {i.id for i in items}
    assert sections_in(body) == {"2026-11-02T09:30:00Z"}
    lines = body.split("\n")
    assert sum(line.startswith("* ") for line in lines) == len(items)
    assert sum(line.startswith("** ") for line in lines) == 1
    assert lines[-2].endswith(" ~~~~")  # the footer is signed
    assert "<bdi>[[:User talk:Ana Renamed|Ana Renamed]]</bdi>" in body  # the rename is followed
    assert "{{evil}}" not in body and "[[Category:Spam]]" not in body and "~~~~ " not in body
    assert not re.search(r"\$\d", body)
    assert "{{PLURAL" not in body
    assert "2026-11-003" in body and "{{#time:" in body
    nowrap = ' style="white-space:nowrap"' if lang == "ar" else ""
    optout = "<nowiki>{{bots|optout=letsconnect-notify}}</nowiki></code>"
    assert f'<code dir="ltr"{nowrap}>{optout}' in body
    mark = "\u200e" if lang == "ar" else ""  # see test_right_to_left_values_are_isolated
    assert section.heading.endswith(f"({mark}2026-11-02)") and "\n" not in section.heading
    assert section.summary.startswith(f"/* {section.heading} */ ")
    assert "{{" not in section.summary and len(section.summary) < 500
    assert " 5 " in section.summary  # five notices
    assert section.wikitext() == f"== {section.heading} ==\n{body}"


def test_problems_are_quoted_in_english_with_their_direction(messages, taxonomy):
    item = sample_items()[3]
    arabic = render_section(messages, taxonomy, SETTINGS,
                            Recipient("Ben", "Grants:X/Directory/Ben", "ar", 1), [item], STAMP)
    assert '** <span lang="en" dir="ltr">The skill “Wikidata basiks” is not &#91;&#91;known' \
        in arabic.body
    english = render_section(messages, taxonomy, SETTINGS,
                             Recipient("Ben", "Grants:X/Directory/Ben", "en", 1), [item], STAMP)
    assert "** The skill “Wikidata basiks”" in english.body


def test_a_sharer_hears_about_the_learners_and_a_learner_about_the_sharer(messages, taxonomy):
    match = sample_items()[0]
    ana = render_section(messages, taxonomy, SETTINGS,
                         Recipient("Ana", "P/Ana", "en", 1),
                         [Item("match", "Ana", match.about, round="2026-11", group=match.group)],
                         STAMP).body
    assert "you share '''Fundraising''' with <bdi>[[:User talk:Ben|Ben]]</bdi>, " \
        "<bdi>[[:User talk:Cai|Cai]]</bdi>" in ana and "your learners" in ana and "Spanish" in ana
    ben = render_section(messages, taxonomy, SETTINGS, Recipient("Ben", "P/Ben", "en", 1),
                         [match], STAMP).body
    assert "you learn '''Fundraising''' from <bdi>[[:User talk:Ana|Ana]]</bdi>" in ben
    assert "{{GENDER:Ana|him|her|them}}" in ben
    assert "Another learner is in the group too: <bdi>[[:User talk:Cai|Cai]]</bdi>." in ben
    assert "[[:Grants:X/Coffees/2026-11|the outcomes page of the round]]" in ben
    assert "group=2026-11-003|held=yes" in ben


@pytest.mark.parametrize("lang", LANGS)
def test_right_to_left_values_are_isolated(lang, messages, taxonomy):
    """Dates, group ids, user names (in any script), titles and code are isolated in every
    language (invisible in a left-to-right notice); a right-to-left heading marks its date
    (no markup in a heading) and a right-to-left notice keeps code on one line."""
    group = Group(id="2026-12-004", skill="fundraising", sharer="أحمد", learners=("Ben",),
                  language="ar")
    items = [Item("match", "Ben", group.id, round="2026-12", group=group), *sample_items()[1:3],
             sample_items()[4]]
    section = render_section(messages, taxonomy, SETTINGS,
                             Recipient("Ben", "P/Ben", lang, 1), items,
                             datetime(2026, 12, 1, 9, tzinfo=UTC))
    body, rtl = section.body, lang == "ar"
    assert section.heading.endswith("(\u200e2026-12-01)" if rtl else " (2026-12-01)")
    assert section.summary.startswith(f"/* {section.heading} */ ")
    assert "\u2066" not in section.heading and "\u2069" not in section.heading
    assert "<bdi>Ben</bdi>" in body.split("\n")[2]  # the greeting
    assert "<bdi>[[:User talk:أحمد|أحمد]]</bdi>" in body
    assert '<bdi dir="ltr">2026-12-004</bdi>' in body
    assert '<bdi dir="ltr">2026-10-007</bdi>' in body
    fmt = messages.raw("date-format", lang)
    assert f"<bdi>{{{{#time:{fmt}|2026-11-10|{lang}}}}}</bdi> " \
        '<bdi dir="ltr">14:00 UTC</bdi>' in body
    assert f"<bdi>{{{{#time:{fmt}|2025-10-01|{lang}}}}}</bdi>" in body
    assert "<bdi>Budgets &#123;&#123;evil" in body
    code = '<code dir="ltr" style="white-space:nowrap">' if rtl else '<code dir="ltr">'
    assert body.count(code) == 3  # two outcome calls and the opt-out
    assert f"{code}<nowiki>{{{{Let's Connect/Outcome|group=2026-12-004|held=yes|summary=…}}}}" \
        "</nowiki></code>" in body
    assert body.count("<code") == 3 and body.count("<bdi") == body.count("</bdi>")
    # Numbers alone are not wrapped: a run of digits never reorders, and PLURAL needs it bare.
    assert not re.search(r"<bdi[^>]*>\d+</bdi>", body)


# --- the log and the export ----------------------------------------------------------------


def recorded_state() -> NoticeState:
    from bot.notices.decide import Delivery

    state = NoticeState()
    items = tuple(sample_items()[:3])
    page = TalkPage(asked="User talk:Ben", title="User talk:Ben", owner="Ben")
    delivery = Delivery("Ben", Facts(page, None, False, frozenset()), "es", items, 1)
    state.record_section(delivery, "2026-11-02T09:30:00Z", "Let's Connect: news (2026-11-02)",
                         99)
    state.waiting["profile:0123456789abcdef"] = {
        "user": "Cai", "kind": "profile", "about": "Grants:X/Directory/Cai", "since":
        "2026-11-01", "reason": "monthly-cap", "to": "Cai"}
    state.closed["invite:0123456789abcdef"] = {
        "user": "Dee", "kind": "invite", "about": "Grants:X/Sessions/S", "since": "2026-10-20",
        "reason": "expired", "closed": "2026-11-02"}
    return state


def test_the_log_lists_sections_waiting_and_expired_items():
    text = render_log(recorded_state(), "2026-11")
    assert text.startswith("1 notice section to 1 participant in 2026-11 "
                           "(items: 1 new group, 1 follow-up, 1 invitation).")
    assert "[[:User talk:Ben#Let's Connect: news (2026-11-02)|section]] " \
           "([[Special:Diff/99|diff]])" in text
    assert "| new group, follow-up, invitation" in text
    assert "1 item waits" in text and "the monthly limit is reached" in text
    assert "[[:Grants:X/Directory/Cai|" in text
    assert "1 item could not be sent in time" in text
    assert render_log(recorded_state(), "2026-11") == text
    assert render_log(recorded_state(), "2026-12").startswith(
        "0 notice sections to 0 participants in 2026-12 (items: none).")


def test_the_export_lists_the_months_notices_and_counts_the_others():
    export = render_export(recorded_state(), "2026-11", "2026-11-02T10:00:00Z",
                           {"notify-no": 3, "bots-optout": 1})
    assert export["schema"] == 1 and export["month"] == "2026-11"
    (sent,) = export["sent"]
    assert sent["user"] == "Ben" and sent["lang"] == "es" and sent["revid"] == 99
    assert [i["kind"] for i in sent["items"]] == ["match", "followup", "invite"]
    assert sent["items"][0]["about"] == "2026-11-003"
    assert [w["user"] for w in export["waiting"]] == ["Cai"]
    assert [e["user"] for e in export["expired"]] == ["Dee"]
    assert export["not_delivered"] == {"bots-optout": 1, "notify-no": 3}
    json.dumps(export)


# --- problems told in the notice's language ------------------------------------------------


def entry_problems() -> tuple[Problem, ...]:
    from bot.directory.fields import problem
    page = "Grants:X/Directory/Ben"
    return (
        problem(page, "Ben", "unknown-skill", "share", "Wikidata basiks",
                hint=("letsconnect-problem-hint-did-you-mean", "Wikidata basics")),
        problem(page, "Ben", "bad-capacity", "capacity", "lots [[x]]", used=1),
        problem(page, "Ben", "no-consent", "consent", ""),
        problem(page, "Ben", "stale", "", "2025-01-02", date="2025-01-02", days=365),
    )


def test_an_english_notice_tells_the_problems_as_the_problems_page_does(messages, taxonomy):
    from bot.wikitext.tables import escape as escape_text
    problems = entry_problems()
    item = Item("profile", "Ben", "Grants:X/Directory/Ben", page="Grants:X/Directory/Ben",
                problems=problems)
    body = render_section(messages, taxonomy, SETTINGS,
                          Recipient("Ben", "Grants:X/Directory/Ben", "en", 1), [item],
                          STAMP).body
    for found in problems:
        assert f"** {escape_text(found.message)}" in body


@pytest.mark.parametrize("lang", [lang for lang in LANGS if lang != "en"])
def test_a_notice_tells_the_problems_in_its_own_language(lang, messages, taxonomy):
    from bot.i18n.problems import problem_text
    problems = entry_problems()
    item = Item("profile", "Ben", "Grants:X/Directory/Ben", page="Grants:X/Directory/Ben",
                problems=problems)
    body = render_section(messages, taxonomy, SETTINGS,
                          Recipient("Ben", "Grants:X/Directory/Ben", lang, 1), [item],
                          STAMP).body
    lines = [line for line in body.split("\n") if line.startswith("** ")]
    assert len(lines) == len(problems)
    for found, line in zip(problems, lines, strict=True):
        english = problem_text(found, "en")
        for sentence in re.split(r"(?<=[.?])\s+", english):
            assert sentence not in body, (lang, sentence)
        assert 'lang="en"' not in line
    assert "Wikidata basiks" in body and "Wikidata basics" in body  # quoted as written
    assert "lots &#91;&#91;x&#93;&#93;" in body and "[[x]]" not in body  # and escaped
    assert not re.search(r"\$\d", body) and "{{PLURAL" not in body and "&#32;" not in body
