"""Problems told in every language: each problem's message in the catalogue
(``letsconnect-problem-*``, ``letsconnect-session-problem-*``), its documentation, and the
English that the problems pages, the exports and the notice state keep using."""
# ruff: noqa: E501  (the old English, one message a line, as data)

from __future__ import annotations

import json
import re

import pytest

from bot.directory.fields import PARAMS, problem
from bot.i18n import LANGUAGES
from bot.i18n.catalogue import message_files
from bot.i18n.format import format_message
from bot.i18n.problems import PREFIXES, message_keys, problem_text
from bot.model import Problem
from bot.sessions.build import session_problem
from bot.sessions.vocabulary import KINDS, PROBLEM_PARAMS, WHATS

OTHER = [lang for lang in LANGUAGES if lang != "en"]
HINT = ("letsconnect-problem-hint-did-you-mean", "Wikidata basics")
#: One value for every parameter a problem's message takes.
VALUES: dict[str, object] = {
    "value": "Wikidata basiks", "field": "share", "hint": HINT, "owner": "Ana",
    "region": "Asia", "country": "Kenya", "country_region": "Sub-Saharan Africa",
    "params": "user, region", "used": "1", "latest_user": "Mallory", "latest_revid": "12",
    "changes": ("letsconnect-problem-change-fields", "share"), "used_revid": "11",
    "used_user": "Ana", "count": "75", "limit": "60",
    "reason": "the page's markup takes too long", "mover": "Mallory", "revid": "13",
    "number": "2", "other_page": "Grants:X/Ana", "other_revid": "9", "date": "2025-01-02",
    "days": "365", "first": "3 April 2026", "second": "4 March 2026", "kind": "resource",
    "title": "Budgets", "what": "file", "max_capacity": 4,
}

#: The English of every problem before the messages moved to the catalogue, with VALUES:
#: the problems page, the JSON exports and the notice state must keep saying exactly this.
OLD_PROFILE = {
    'unknown-skill':
        'The skill “Wikidata basiks” in share= is not in the list of skills. Did you mean “Wikidata basics”? See the list of skills at Grants:Knowledge Sharing/Connect/Skills.',
    'unknown-area':
        "The area “Wikidata basiks” in share= is not one of the program's areas. Did you mean “Wikidata basics”? See the areas at Grants:Knowledge Sharing/Connect/Skills.",
    'unknown-country':
        "The country “Wikidata basiks” is not understood. Did you mean “Wikidata basics”? Write the country's name in English or its two-letter code (for example Kenya or KE).",
    'unknown-language':
        'The language “Wikidata basiks” in share= is not understood. Did you mean “Wikidata basics”? Write a language name or its code (for example Spanish or es).',
    'unknown-region':
        "The region “Wikidata basiks” is not one of the Wikimedia regions. Did you mean “Wikidata basics”? You can also leave region= empty: the bot then uses your country's region.",
    'region-country-mismatch':
        'The region “Asia” does not include the country “Kenya” (the bot counts it in “Sub-Saharan Africa”). The directory uses “Asia” as you wrote; if that is a mistake, correct region= or leave it empty.',
    'no-consent':
        'The entry does not say consent=yes, so it is not shown in the directory and not used for matching. Add consent=yes if you agree to be listed publicly.',
    'duplicate-parameter':
        'The parameter share= is given more than once; only the last one counts. Keep just one.',
    'unknown-parameter':
        'The parameter “Wikidata basiks” is not one the profile understands, so it is ignored. Did you mean “Wikidata basics”? The parameters are: user, region.',
    'bad-capacity':
        'capacity= should be a whole number of coffees a month from 0 to 4; “Wikidata basiks” is read as 1.',
    'bad-formats':
        'The format “Wikidata basiks” is not understood and is ignored. Use one or more of: 1:1, group, clinic.',
    'bad-notify':
        'notify= should be yes or no; “Wikidata basiks” is read as no, so the bot will not message you. Write notify=yes to get notices.',
    'no-languages':
        'No language the bot understands is given in languages=, so nobody can be matched with you. Add at least one language you can talk in.',
    'template-in-value':
        'The value of share= contains a template (Wikidata basiks), which the bot cannot read; it is ignored. Write plain text instead.',
    'edited-by-other':
        'The latest edit (Mallory, revision 12) changed this entry (changed: share), but only the owner or the working group can change it, so the directory uses revision 11 by Ana. If the change is right, Ana can save it again.',
    'untrusted':
        'No version of this entry was saved by Ana or the working group, so it is quarantined: not shown, matched or notified. Ana should save the entry themselves.',
    'no-such-user':
        'There is no account named “Wikidata basiks”, so the entry is quarantined. Check the spelling of the user name.',
    'bad-user-name':
        '“Wikidata basiks” cannot be an account name, so the entry is quarantined. Did you mean “Wikidata basics”? Write your user name exactly as it is shown when you are logged in.',
    'too-many-items':
        'share= lists 75 items; only the first 60 are read, so the others are not checked or used. Keep the ones that matter most.',
    'unreadable-page':
        "The bot could not read this page: the page's markup takes too long. Nothing on it is listed until that is fixed: remove what is never closed and save again.",
    'moved-profile':
        "Mallory moved this page to its present title, which names Mallory, in revision 13, without changing the entry. Moving a page does not make it yours, so the directory keeps the entry as Ana's, who wrote it. Ana or an administrator can move the page back to a title of Ana's own.",
    'no-user':
        'Profile number 2 on this page does not say whose it is. Add user= with your user name, or move the entry to your own profile page.',
    'user-mismatch':
        "This page belongs to Ana, but user= says “Wikidata basiks”. The entry is listed as Ana's. If it is Wikidata basiks's profile, Wikidata basiks should put it on their own page.",
    'blocked':
        'The account is blocked, so the entry is not listed or matched while the block lasts.',
    'duplicate-profile':
        'Ana has another entry, on Grants:X/Ana (revision 9), which is used instead of this one. Remove the entry you no longer want.',
    'stale':
        'The entry was last changed by Ana on 2025-01-02, more than 365 days ago, so it is not used for matching. Edit it (for example, check your skills) to make it active again.',
    'empty-profile':
        'The entry gives no skill to share or to learn, so there is nothing to match. Add share= or learn= (or both).',
}
OLD_SESSION = {
    'unreadable-page':
        "The bot could not read this page: the page's markup takes too long. Nothing on it is used until that is fixed: remove what is never closed and save again.",
    'no-date':
        'The session gives no date=, so it is not in the calendar. Write the date as YYYY-MM-DD (for example 2026-10-14).',
    'bad-date':
        'The date “Wikidata basiks” is not understood, so the session is not in the calendar. Write it as YYYY-MM-DD (for example 2026-10-14).',
    'ambiguous-date':
        'The date “Wikidata basiks” can be read as 3 April 2026 or 4 March 2026. Write it as YYYY-MM-DD so that everybody reads the same day.',
    'incomplete-date':
        'The date “Wikidata basiks” has no day. Write the full date as YYYY-MM-DD once the day is known.',
    'bad-time':
        'The time “Wikidata basiks” is not understood; the session is listed with its date only. Write the time in UTC as HH:MM (for example 14:00).',
    'unknown-timezone':
        'The time zone “Wikidata basiks” is not one the bot can convert (short names such as IST or CST mean different zones in different places). Write the time in UTC, or with an offset such as UTC+3; the session is listed with its date only.',
    'unknown-format':
        'The format “Wikidata basiks” is not one of: clinic, coffee, regional, other. It is counted as other.',
    'unknown-status':
        'The status “Wikidata basiks” is not one of: planned, held, cancelled. It is read as planned.',
    'status-not-updated':
        'The session on 2025-01-02 has passed but is still marked planned, so it does not count as held. Set status=held (and add its resources) or status=cancelled.',
    'unknown-type':
        'The type “Wikidata basiks” is not one of: recording, slides, document, guide, other. It is counted as other.',
    'unknown-skill':
        'The skill “Wikidata basiks” in share= is not in the list of skills. Did you mean “Wikidata basics”?',
    'unknown-topic':
        'The topic “Wikidata basiks” is not a skill or an area the bot knows; it is listed under other topics. Did you mean “Wikidata basics”?',
    'unknown-language':
        'The language “Wikidata basiks” in share= is not understood. Did you mean “Wikidata basics”? Write a language name or its code (for example Spanish or es).',
    'unknown-region':
        'The region “Wikidata basiks” is not one of the Wikimedia regions. Did you mean “Wikidata basics”? Leave region= empty (or write global) for a space open to every region.',
    'bad-participants':
        'participants= should be a whole number of people; “Wikidata basiks” is not counted.',
    'bad-sharer':
        '“Wikidata basiks” in sharers= cannot be a user name; write user names separated by commas.',
    'no-title':
        'The resource gives no title=; it is listed as “1”.',
    'no-name':
        'The space gives no name=, so it is not listed. Add name=.',
    'no-link':
        'The resource “Budgets” gives no link=, so readers cannot open it. Add the address of the recording, the file (File:Name.pdf) or the page.',
    'bad-link':
        'The link “Wikidata basiks” in share= is not a web address (https://…), a file (File:…) or a page title, so it is not shown.',
    'missing-page':
        'The file “Wikidata basiks” in share= does not exist on the wiki. Check the spelling, or upload the file / create the page.',
    'unknown-session':
        "No session log matches session=“Wikidata basiks”; the resource is kept without a session. Write the title of the session's page.",
    'which-session':
        "This page logs several sessions, so the resource must say which one in session= (the page title followed by #id, or the session's id).",
    'ambiguous-session':
        'session=“Wikidata basiks” matches several sessions; add #id to say which one.',
    'no-target':
        'The outcome does not say which coffee group (group=, for example 2026-11-003) or which session (session=) it is about, so it is not counted.',
    'unknown-group':
        'There is no coffee group “Wikidata basiks” in the published rounds, so the outcome is not counted. Copy the group id from the round page.',
    'bad-group':
        '“Wikidata basiks” is not a group id; group ids look like 2026-11-003 (see the round page).',
    'no-held':
        'The outcome does not say whether the meeting was held (held=yes or held=no), so it is not counted.',
    'bad-held':
        'held= should be yes or no; “Wikidata basiks” is not counted.',
    'duplicate-parameter':
        'The parameter share= is given more than once; only the last one counts. Keep just one.',
    'unknown-parameter':
        'The parameter “Wikidata basiks” is not one the resource template understands, so it is ignored. Did you mean “Wikidata basics”? The parameters are: user, region.',
    'template-in-value':
        'The value of share= contains a template (Wikidata basiks), which the bot cannot read; it is ignored. Write plain text instead.',
}


def profile_problem(code: str, **changes: object) -> Problem:
    details = {k: v for k, v in {**VALUES, **changes}.items()
               if k not in ("field", "value", "owner")}
    return problem("Grants:X/Directory/Ana", "Ana", code, "share", "Wikidata basiks",
                   **details)


def a_session_problem(code: str, **changes: object) -> Problem:
    details = {k: v for k, v in {**VALUES, **changes}.items() if k not in ("field", "value")}
    return session_problem("Grants:X/Sessions/S", code, "share", "Wikidata basiks",
                           details)  # type: ignore[arg-type]


def every_problem() -> list[Problem]:
    problems = [profile_problem(code) for code in PARAMS]
    problems += [a_session_problem(code) for code in PROBLEM_PARAMS]
    # every word, hint and change a message can hold
    problems += [a_session_problem("unknown-parameter", kind=kind) for kind in KINDS]
    problems += [a_session_problem("missing-page", what=what) for what in WHATS]
    problems += [profile_problem("unknown-skill", hint=("letsconnect-problem-hint-which-one",
                                                        "Budget", "Grants", "Quarry")),
                 profile_problem("bad-user-name", hint=("letsconnect-problem-hint-invisible",
                                                        "U+200B (ZERO WIDTH SPACE)")),
                 profile_problem("edited-by-other",
                                 changes=("letsconnect-problem-change-removed",),
                                 latest_user=("letsconnect-problem-hidden-user",)),
                 profile_problem("edited-by-other",
                                 changes=("letsconnect-problem-change-entries",)),
                 profile_problem("unreadable-page", reason=(
                     "letsconnect-problem-reason-slow-markup", "5", "{{", "<span", "[http"))]
    return problems


def catalogue(lang: str) -> dict[str, str]:
    """The problem messages of ``lang``: the main file's and its message groups' (a feature
    such as the CapX bridge keeps its problems in bot/i18n/<group>/)."""
    found: dict[str, str] = {}
    for path in message_files(lang):
        found.update(json.loads(path.read_text(encoding="utf-8")))
    return {k: v for k, v in found.items() if k.startswith(PREFIXES)}


def test_the_english_is_what_it_was() -> None:
    for code, old in OLD_PROFILE.items():
        assert profile_problem(code).message == old, code
    for code, old in OLD_SESSION.items():
        assert a_session_problem(code).message == old, code
    assert set(OLD_PROFILE) == set(PARAMS) and set(OLD_SESSION) == set(PROBLEM_PARAMS)


@pytest.mark.parametrize(("changes", "english"), [
    ({"hint": ("letsconnect-problem-hint-which-one", "Budget", "Grants", "Quarry")},
     "The skill “Wikidata basiks” in share= is not in the list of skills. Which one did you "
     "mean: “Budget”, “Grants” or “Quarry”? See the list of skills at "
     "Grants:Knowledge Sharing/Connect/Skills."),
    ({"hint": ()}, "The skill “Wikidata basiks” in share= is not in the list of skills. See "
                   "the list of skills at Grants:Knowledge Sharing/Connect/Skills."),
])
def test_the_english_hints_are_what_they_were(changes: dict[str, object], english: str) -> None:
    assert profile_problem("unknown-skill", **changes).message == english


def test_the_english_of_the_words_in_a_problem_is_what_it_was() -> None:
    edited = profile_problem("edited-by-other", changes=("letsconnect-problem-change-removed",),
                             latest_user=("letsconnect-problem-hidden-user",))
    assert edited.message.startswith("The latest edit (a hidden user, revision 12) changed this "
                                     "entry (it was removed), but")
    entries = profile_problem("edited-by-other", changes=("letsconnect-problem-change-entries",))
    assert "(entries were added or removed)" in entries.message
    invisible = profile_problem("bad-user-name", hint=("letsconnect-problem-hint-invisible",
                                                       "U+200B (ZERO WIDTH SPACE)"))
    assert invisible.message == (
        "“Wikidata basiks” cannot be an account name, so the entry is quarantined. It contains "
        "a character that cannot be seen: U+200B (ZERO WIDTH SPACE). Write your user name "
        "exactly as it is shown when you are logged in.")
    missing = a_session_problem("missing-page", what="page", kind="session")
    assert missing.message.startswith("The page “Wikidata basiks” in share= does not exist")
    assert a_session_problem("no-title", kind="session").message == \
        "The session gives no title=; it is listed as “1”."


def test_an_unreadable_page_is_told_as_before_and_in_every_language() -> None:
    from bot.wikitext.guard import TIME_LIMIT
    reason = (f"the page's markup takes more than {TIME_LIMIT:g} seconds to read (markup that "
              "is opened and never closed, such as “{{”, “<span” or “[http”, many times over)")
    found = problem("P", "Ana", "unreadable-page", "", "", reason=reason)
    assert found.message == f"The bot could not read this page: {reason}. Nothing on it is " \
        "listed until that is fixed: remove what is never closed and save again."
    assert isinstance(found.params[0], tuple)  # told as a message, so in every language
    other = problem("P", "Ana", "unreadable-page", "", "", reason="something else")
    assert other.params == ("something else",)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_problem_has_a_message_in_every_language(lang: str) -> None:
    table = catalogue(lang)
    assert set(table) == set(message_keys())  # no fallback to English
    for found in every_problem():
        text = problem_text(found, lang)
        assert text.strip() and text == text.strip(), (lang, found.key)
        assert not re.search(r"\$\d", text), (lang, found.key, text)
        assert "{{PLURAL" not in text and "⧼" not in text, (lang, found.key, text)
        assert not re.search(r"\{[a-z_]+\}", text), (lang, found.key, text)
        assert "&#32;" not in text, (lang, found.key, text)
        if lang != "en":
            assert text != problem_text(found, "en"), (lang, found.key)
            assert "Did you mean" not in text and "Which one" not in text, (lang, text)


@pytest.mark.parametrize("lang", OTHER)
def test_every_translation_takes_the_parameters_english_takes(lang: str) -> None:
    english, table = catalogue("en"), catalogue(lang)
    for key, text in english.items():
        wanted = set(re.findall(r"\$\d+", text)) - {"$1"}
        assert set(re.findall(r"\$\d+", table[key])) - {"$1"} == wanted, (lang, key)
        assert table[key] != text or " " not in text.strip(), (lang, key)  # "page" is French


def test_every_problem_message_is_documented_parameter_by_parameter() -> None:
    english, documentation = catalogue("en"), catalogue("qqq")
    assert set(documentation) == set(english)
    for key, text in english.items():
        for number in range(1, max(map(int, re.findall(r"\$(\d+)", text)), default=1) + 1):
            assert f"* ${number} - " in documentation[key], (key, number)


def test_a_plural_follows_the_count_in_every_language() -> None:
    for lang in LANGUAGES:
        one = problem_text(profile_problem("stale", days="1"), lang)
        many = problem_text(profile_problem("stale", days="365"), lang)
        assert one != many.replace("365", "1"), lang


def test_a_translated_problem_quotes_the_value_as_it_was_written() -> None:
    found = profile_problem("unknown-skill", hint=("letsconnect-problem-hint-which-one",
                                                   "Budget", "Grants"))
    for lang in LANGUAGES:
        text = problem_text(found, lang)
        assert "Wikidata basiks" in text and "Budget" in text and "Grants" in text, lang


def test_translatewiki_spaces_become_spaces() -> None:
    assert format_message("&#32;Did you mean “$1”?", ["X"], "en") == " Did you mean “X”?"
    assert format_message("a,&#32;$1", ["&#32;"], "en") == "a, &#32;"  # not in a value
    assert format_message("{{PLURAL:$1|one&#32;|many&#32;}}x", [2], "en") == "many x"
