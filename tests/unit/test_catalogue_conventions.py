"""translatewiki.net's conventions, for every message file of the catalogue (bot/i18n).

translatewiki imports and exports these files as they are; what it would change or refuse
is caught here: every English message documented in qqq.json and nothing documented that
does not exist; no leading or trailing whitespace (translatewiki strips it; write ``&#32;``);
no ``$n`` in a translation that the English lacks; no empty message; keys in lowercase with
hyphens under ``letsconnect-``; ``@metadata`` with its authors.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.i18n import LANGUAGES

I18N = Path(__file__).resolve().parents[2] / "bot" / "i18n"
FILES = sorted(p for p in [*I18N.glob("*.json"), *I18N.glob("*/*.json")]
               if p.name != "languages.json")
GROUPS = sorted({p.parent for p in FILES})
KEY = re.compile(r"letsconnect(?:-[a-z0-9]+)+\Z")


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _messages(path: Path) -> dict[str, str]:
    return {k: v for k, v in _load(path).items() if not k.startswith("@")}


@pytest.mark.parametrize("group", GROUPS, ids=lambda p: p.name)
def test_every_program_language_has_a_file_and_qqq_exists(group):
    names = {p.stem for p in FILES if p.parent == group}
    assert {*LANGUAGES, "qqq"} <= names


@pytest.mark.parametrize("group", GROUPS, ids=lambda p: p.name)
def test_every_english_message_is_documented_and_nothing_else(group):
    english, docs = _messages(group / "en.json"), _messages(group / "qqq.json")
    assert sorted(set(english) - set(docs)) == []
    assert sorted(set(docs) - set(english)) == []


def test_a_key_lives_in_one_group_only():
    seen: dict[str, Path] = {}
    for group in GROUPS:
        for key in _messages(group / "en.json"):
            assert key not in seen, (key, seen.get(key), group)
            seen[key] = group


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_metadata_with_authors(path):
    metadata = _load(path).get("@metadata")
    assert isinstance(metadata, dict), path.name
    authors = metadata.get("authors")
    assert isinstance(authors, list) and authors and all(
        isinstance(a, str) and a.strip() for a in authors), path.name


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_keys_and_texts(path):
    english = _messages(path.parent / "en.json")
    for key, text in _messages(path).items():
        assert KEY.match(key), (path.name, key)
        assert isinstance(text, str) and text.strip(), (path.name, key, "empty")
        assert text == text.strip(), (path.name, key, "leading or trailing whitespace")
        if path.stem != "qqq":
            assert key in english, (path.name, key, "not in en.json")
            used = set(re.findall(r"\$(\d+)", text))
            known = set(re.findall(r"\$(\d+)", english[key]))
            assert used <= known, (path.name, key, used - known)
