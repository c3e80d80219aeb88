"""The message catalogue: ``bot/i18n/<lang>.json``, one file per language, and one more per
language in each group folder (``bot/i18n/<group>/<lang>.json``: the generated pages, the
profile form...), as MediaWiki reads several message directories of one extension and
translatewiki offers each as a message group.  The folder is :data:`bot.i18n.I18N_DIR`: the
package's, or the one ``LETSCONNECT_I18N_DIR`` names.  A key is defined in one file only.

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
(:func:`bot.onwiki.luamessages.render_lua_messages`).  A message missing in a
language falls back along MediaWiki's fallback chain of that language
(:func:`bot.i18n.fallback_chain`: a key missing in ``pt-br`` is looked for in ``pt``, then
in English), here and on the wiki.

translatewiki.net's conventions hold for every file (tests/unit/test_catalogue_conventions.py):
keys ``letsconnect-`` in lowercase with hyphens, each documented in ``qqq.json``, no empty
message, no leading or trailing whitespace (translatewiki strips it; write ``&#32;``), no
``$n`` a translation uses that the English lacks, ``@metadata`` with the authors.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import cache
from importlib.resources.abc import Traversable
from typing import Self

from bot.i18n import FALLBACKS, I18N_DIR, LANGUAGES, fallback_chain
from bot.i18n.format import SPACE, MessageError, Param, format_message

__all__ = ["DOCUMENTATION", "Catalogue", "message_files", "messages", "read_catalogue"]

#: The pseudo-language of the message documentation.
DOCUMENTATION = "qqq"

Tables = dict[str, dict[str, str]]


def message_files(lang: str) -> list[Traversable]:
    """The files holding ``lang``'s messages: the main one, then one per group folder."""
    folders = [I18N_DIR, *sorted((f for f in I18N_DIR.iterdir()
                                  if f.is_dir() and not f.name.startswith("__")),
                                 key=lambda f: f.name)]
    return [f / f"{lang}.json" for f in folders if (f / f"{lang}.json").is_file()]


@cache
def _read(lang: str) -> dict[str, str]:
    messages: dict[str, str] = {}
    for path in message_files(lang):
        data = json.loads(path.read_text(encoding="utf-8"))
        for key, text in data.items():
            if str(key).startswith("@"):
                continue
            if str(key) in messages:
                raise MessageError(f"{key} is defined twice in the {lang} messages")
            messages[str(key)] = str(text)
    return messages


def _languages() -> tuple[str, ...]:
    """The program's languages, qqq, and the languages of their chains that have a file."""
    chained = [lang for lang in FALLBACKS if lang not in LANGUAGES]
    present = tuple(lang for lang in chained if message_files(lang))
    return (*LANGUAGES, *present, DOCUMENTATION)


def read_catalogue(prefix: str = "") -> Tables:
    """Every language's messages whose key starts with ``prefix`` (qqq included).

    The files are package data, so an installed bot has them.
    """
    return {
        lang: {k: v for k, v in _read(lang).items() if k.startswith(prefix)}
        for lang in _languages()
    }


class Catalogue:
    """Message tables by language, for keys under one ``prefix``.

    ``raw("heading", lang)`` is the message ``<prefix>heading``; a key missing
    in a language is looked for along its fallback chain (ending in English), a key
    missing in English is a bug.
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
        for code in fallback_chain(lang):
            table = self.tables.get(code, {})
            if name in table:
                return table[name].replace(SPACE, " ")
        raise MessageError(f"no message {name}")

    def text(self, key: str, lang: str, *params: Param) -> str:
        return format_message(self.raw(key, lang), params, lang)


@cache
def _loaded(prefix: str) -> Catalogue:
    catalogue = Catalogue(read_catalogue(prefix))
    catalogue.prefix = prefix
    return catalogue


def messages(prefix: str) -> Callable[..., str]:
    """``text(key, lang, *params)``: the message ``<prefix><key>`` in ``lang``, formatted.
    The files are read on first use, once for each prefix (a page renderer's own texts)."""

    def text(key: str, lang: str, *params: Param) -> str:
        return _loaded(prefix).text(key, lang, *params)

    return text
