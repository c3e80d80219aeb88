"""Every case of tests/data/bots/cases.yaml against ``bots_exclusion``.

The file holds every case of Pywikibot's own ``TestPageBotMayEdit``, the rules of
en.wikipedia's Template:Bots documentation and what MediaWiki transcludes; its header
says how the notices read a page and where they part from Pywikibot, and why.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import pytest

from bot.notices.decide import bots_exclusion
from tests import cases

CASES: list[dict[str, Any]] = [case.meta for case in cases.load("bots", "cases.yaml")]
BOTS = ("LetsConnectBot",)
TASK = "letsconnect-notify"
ANSWERS = {None, "nobots", "bots-deny", "bots-optout"}

#: Pywikibot's tests/page_tests.py, TestPageBotMayEdit: how many page texts each test judges.
PYWIKIBOT_TESTS = {
    "test_bot_may_edit_nobots_ok": 2,
    "test_bot_may_edit_nobots_nok": 8,
    "test_bot_may_edit_bots_ok": 11,  # 8 texts and the 3 empty keywords
    "test_bot_may_edit_bots_nok": 4,
    "test_bot_may_edit_inuse": 1,
    "test_bot_may_edit_missing_page": 1,
    "test_bot_may_edit_page_nobots": 1,
    "test_bot_may_edit_page_set_text": 3,
    "test_real_page": 1,
}


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_bots_case(case: dict[str, Any]) -> None:
    bots = tuple(case.get("bots", BOTS))
    got = bots_exclusion(case["text"], bots, case.get("task", TASK))
    assert got == case["expect"], f"{case['text']!r} ({case['source']})"


def test_every_case_is_well_formed_and_says_where_it_comes_from() -> None:
    for case in CASES:
        assert {"id", "text", "expect", "source"} <= case.keys(), case
        assert case["expect"] in ANSWERS, case["id"]
        assert case.get("pywikibot", "edits") in ("edits", "refuses"), case["id"]


def test_every_difference_from_pywikibot_is_explained_and_no_explanation_is_stale() -> None:
    for case in CASES:
        if "pywikibot" not in case:
            assert "differs" not in case, case["id"]
            continue
        differs = (case["expect"] is None) != (case["pywikibot"] == "edits")
        assert differs == ("differs" in case), case["id"]


def test_every_case_of_pywikibots_own_test_is_in_the_file() -> None:
    counts: Counter[str] = Counter(
        test for case in CASES if case["source"].startswith("pywikibot-test")
        for test in PYWIKIBOT_TESTS if test in case["source"])
    assert counts == PYWIKIBOT_TESTS


def test_a_page_without_the_templates_is_read_at_once_however_it_is_written() -> None:
    """5,000 unclosed ``{{x|`` took mwparserfromhell 15 s; a talk page must not stall the job."""
    started = time.monotonic()
    assert bots_exclusion("{{x|" * 5000, BOTS, TASK) is None
    assert bots_exclusion("<nowiki>" * 5000 + "{{nobots}}", BOTS, TASK) == "nobots"
    assert time.monotonic() - started < 2
