"""The message catalogue: ``bot/i18n/<lang>.json``, one file per language.

The files are in MediaWiki's message format (the format translatewiki.net
reads): a flat mapping of message key to text, ``$1`` parameters,
``{{PLURAL:…}}``, ``{{GENDER:…}}``, an ``@metadata`` entry, and ``qqq.json``
documenting every message for translators.  Keys start with a prefix naming
who shows the message:

* ``letsconnect-notice-`` the bot's talk-page notices (:mod:`bot.notices.text`);
* ``letsconnect-module-`` Module:Let's Connect (the profile card, labels, lists);
* ``letsconnect-sessions-`` Module:Let's Connect/Sessions (session, resource,
  outcome and space cards);
* ``letsconnect-problem-`` the problems of a profile entry, and
  ``letsconnect-session-problem-`` those of a session log entry: the problems pages
  (in English) and the notices (in the reader's language), :mod:`bot.i18n.problems`.

The on-wiki modules get their messages from ``Module:Let's Connect/i18n``,
which ``letsconnect deploy`` renders from these files
(:func:`bot.onwiki.luadata.render_lua_messages`).  A message missing in a
language falls back to English, here and on the wiki.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Self

from bot.i18n import LANGUAGES
from bot.i18n.format import MessageError, Param, format_message

__all__ = ["DOCUMENTATION", "Catalogue", "read_catalogue"]

#: The pseudo-language of the message documentation.
DOCUMENTATION = "qqq"

Tables = dict[str, dict[str, str]]


@cache
def _read(lang: str) -> dict[str, str]:
    folder = resources.files("bot") / "i18n"
    data = json.loads((folder / f"{lang}.json").read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in data.items() if not str(k).startswith("@")}


def read_catalogue(prefix: str = "") -> Tables:
    """Every language's messages whose key starts with ``prefix`` (qqq included).

    The files are package data, so an installed bot has them.
    """
    return {
        lang: {k: v for k, v in _read(lang).items() if k.startswith(prefix)}
        for lang in (*LANGUAGES, DOCUMENTATION)
    }


class Catalogue:
    """Message tables by language, for keys under one ``prefix``.

    ``raw("heading", lang)`` is the message ``<prefix>heading``; a key missing
    in a language falls back to English, a key missing in English is a bug.
    """

    #: The key prefix of the messages this catalogue serves.
    prefix = ""

    def __init__(self, tables: Mapping[str, Mapping[str, str]]) -> None:
        self.tables = {lang: dict(table) for lang, table in tables.items()}

    @classmethod
    def load(cls) -> Self:
        """The files shipped in ``bot/i18n``."""
        return cls(read_catalogue(cls.prefix))

    def raw(self, key: str, lang: str) -> str:
        name = self.prefix + key
        table = self.tables.get(lang, {})
        if name in table:
            return table[name]
        if name in self.tables.get("en", {}):
            return self.tables["en"][name]
        raise MessageError(f"no message {name}")

    def text(self, key: str, lang: str, *params: Param) -> str:
        return format_message(self.raw(key, lang), params, lang)
