"""Every notice message in every language, rendered by the wiki itself (action=parse).

Sections are built with the bot's renderer from items chosen so that every
message is used, and every PLURAL meets the numbers that pick different
forms (0 to 103: Arabic has six).  The wiki must show them with no raw
PLURAL or GENDER, no $n left, no template transcluded by mistake, no #time
error, no link markup left as text, and exactly the links the notice means.
GENDER is checked against the form the wiki should pick for the recipient's
preference (set on the Admin account, as female and then male).
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest

from bot.config import load_config
from bot.matching.values import Group
from bot.model import Problem
from bot.notices.decide import Item
from bot.notices.text import LANGS, PREFIX, Messages, Recipient, TextSettings, render_section
from bot.sessions.model import Session
from bot.taxonomy import Taxonomy
from tests.integration.wikiclient import WikiClient
from tests.language_checks import english_left

STAMP = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
ME = "Admin"
PROFILE = "Grants:Knowledge Sharing/Connect/Directory/Admin"


@pytest.fixture(scope="module")
def tools():
    config = load_config()
    settings = TextSettings(task_page=config.bot.task_page, problems_page=config.pages.problems,
                            outcomes_page=config.notices.outcomes_page,
                            outcome_template=config.templates.outcome, task=config.notices.task)
    return Messages.load(), Taxonomy.load(), settings


def group(gid: str, sharer: str, learners: tuple[str, ...]) -> Group:
    return Group(id=gid, skill="budget-development", sharer=sharer, learners=learners,
                 language="pt")


def session(day: int, skills: tuple[str, ...], timed: bool) -> Session:
    return Session(key=f"Grants:Knowledge Sharing/Connect/Sessions/S{day}",
                   page=f"Grants:Knowledge Sharing/Connect/Sessions/S{day}",
                   start=datetime(2026, 11, day, 14, tzinfo=UTC), has_time=timed,
                   title=f"Clinic {day}", format="clinic", status="planned",
                   languages=("en", "ar"), skills=skills)


def problems(n: int) -> tuple[Problem, ...]:
    # As the directory reports them: an English message, and its key and parameters for
    # the other languages (value, field, skills page, hint).
    return tuple(Problem(PROFILE, ME, "unknown-skill", "share", f"Skil {i}",
                         f"The skill “Skil {i}” in share= is not in the list of skills.",
                         "letsconnect-problem-unknown-skill",
                         (f"Skil {i}", "share", "Grants:Knowledge Sharing/Connect/Skills", ""))
                 for i in range(n))


def item(kind: str, about: str, **fields) -> Item:
    return Item(kind, ME, about, **fields)


#: (items, max per month, section number): together they use every message, and the
#: counts 0, 1, 2, 3, 11, 100 and 103 in PLURALs.
SECTIONS = [
    ([item("match", "2026-11-001", round="2026-11", group=group("2026-11-001", ME, ("Bea",))),
      item("match", "2026-11-002", round="2026-11", group=group("2026-11-002", "Cy", (ME,))),
      item("followup", "2026-10-003", round="2026-10", days=1,
           group=group("2026-10-003", "Cy", (ME,))),
      item("invite", "S10", session=session(10, ("budget-development",), True),
           skills=("budget-development",)),
      item("profile", PROFILE, page=PROFILE, problems=problems(1)),
      item("profile", PROFILE + "@1", stale=True, since="2025-10-01", days=1, page=PROFILE)],
     1, 1),
    ([item("match", "2026-11-004", round="2026-11",
           group=group("2026-11-004", ME, ("Bea", "Cy", "Dee"))),
      item("match", "2026-11-005", round="2026-11",
           group=group("2026-11-005", "Eve", (ME, "Bea", "Cy"))),
      item("followup", "2026-10-006", round="2026-10", days=11,
           group=group("2026-10-006", "Eve", (ME, "Bea"))),
      item("profile", PROFILE, page=PROFILE, problems=problems(3), more=1),
      item("profile", PROFILE + "@2", stale=True, since="2025-10-01", days=365, page=PROFILE)],
     2, 2),
    ([item("invite", "S20", session=session(20, ("budget-development", "fundraising"), False),
           skills=("budget-development", "fundraising"))], 11, 3),
    ([item("followup", "2026-10-007", round="2026-10", days=100,
           group=group("2026-10-007", ME, ("Bea", "Cy"))),
      item("followup", "2026-10-008", round="2026-10", days=103,
           group=group("2026-10-008", "Bea", (ME,))),
      item("profile", PROFILE, page=PROFILE, problems=problems(2), more=11)], 3, 3),
]


def expected_links(items: list[Item], settings: TextSettings) -> set[str]:
    links = {settings.task_page, PROFILE}
    for it in items:
        if it.group is not None:
            people = {it.group.sharer, *it.group.learners} - {ME}
            if it.kind == "match":
                links |= {f"User talk:{p}" for p in people}
            links.add(f"{settings.outcomes_page}/{it.round}")
        if it.session is not None:
            links.add(it.session.page)
        if it.kind == "profile" and not it.stale:
            links.add(settings.problems_page)
    return links


def gender_forms(wikitext: str) -> list[tuple[str, list[str]]]:
    """Every {{GENDER:user|...}} the section leaves for the wiki: (user, forms)."""
    return [(user, forms.split("|"))
            for user, forms in re.findall(r"\{\{GENDER:([^|{}]*)\|([^{}]*)\}\}", wikitext)]


def visible(text: str) -> str:
    """What a reader sees, without the code samples the notice shows on purpose."""
    text = re.sub(r"<code[ >].*?</code>", " ", text, flags=re.DOTALL)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.DOTALL)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))


def set_gender(admin: WikiClient, gender: str) -> None:
    reply = admin.post(action="options", change=f"gender={gender}", token=admin.csrf())
    assert reply.get("options") == "success", reply


@pytest.mark.parametrize("gender", ["female", "male"])
def test_every_message_in_every_language_renders_on_the_wiki(admin, tools, gender):
    messages, taxonomy, base = tools
    set_gender(admin, gender)
    form = {"male": 0, "female": 1}[gender]
    for lang in LANGS:
        for items, cap, number in SECTIONS:
            settings = TextSettings(**{**base.__dict__, "max_per_month": cap})
            section = render_section(messages, taxonomy, settings,
                                     Recipient(ME, PROFILE, lang, number), items, STAMP)
            parsed = admin.post(action="parse", title=f"User talk:{ME}", pst=1,
                                text=section.wikitext(), contentmodel="wikitext",
                                prop="text|links|templates|sections",
                                disablelimitreport=1)["parse"]
            out = parsed["text"]
            seen = visible(out)
            where = (lang, gender, number)
            assert "PLURAL" not in out and "GENDER" not in out, where
            assert not re.search(r"\$\d", seen), where
            assert "{{" not in seen and "}}" not in seen, where
            assert "[[" not in seen and "]]" not in seen, where
            assert "⧼" not in out and 'class="error"' not in out, where
            assert parsed["templates"] == [], where  # nothing transcluded by mistake
            links = {link["title"] for link in parsed["links"]}
            wanted = expected_links(items, settings)
            assert wanted <= links <= wanted | {f"User:{ME}", f"User talk:{ME}"}, where
            assert f'lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}"' in out
            if lang != "en":  # every kind of notice, all of it in the recipient's language
                assert english_left(seen, ("letsconnect-notice-", "letsconnect-problem-",
                                           "letsconnect-session-problem-"), lang) == [], where
            for user, forms in gender_forms(section.body):
                # The others have no account here: the wiki uses the neutral form.
                chosen = forms[form] if user == ME else forms[2]
                assert html.unescape(chosen) in seen, (where, user, forms)
            assert "2026" in seen and "{{#time" not in seen
            summary = admin.post(action="parse", summary=section.summary, prop="",
                                 title=f"User talk:{ME}")["parse"]["parsedsummary"]
            assert "PLURAL" not in summary and "$" not in summary and "{{" not in summary
            assert settings.task_page.replace(" ", "_") in html.unescape(summary) or \
                settings.task_page in html.unescape(summary)
            # The heading's anchor is the heading as a reader would type it: MediaWiki drops
            # the left-to-right mark of an Arabic heading; the summary's section link finds it.
            anchor = parsed["sections"][0]["anchor"]
            assert anchor == section.heading.replace("\u200e", "").replace(" ", "_"), where
            fragments = re.findall(r'href="[^"#]*#([^"]*)"', summary)
            assert html.unescape(fragments[0]) == anchor, (where, fragments)
    # The sections above use every message; a new message needs a place in them.
    keys = {k[len(PREFIX):] for k in messages.tables["en"]}
    assert keys == {"heading", "intro", "match-sharer", "match-learner", "match-others",
                    "match-record", "invite", "followup", "profile", "profile-more", "stale",
                    "footer",
                    "summary", "about", "separator", "date-format"}
