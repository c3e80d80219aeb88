"""The interface messages of the on-wiki modules, as a Lua data module.

``letsconnect deploy`` writes the result of :func:`render_lua_messages` to
``Module:Let's Connect/i18n``; ``Module:Let's Connect`` reads it with
``mw.loadData`` and hands it to ``Module:Let's Connect/Sessions``.  The texts
come from the one message catalogue, ``bot/i18n/<lang>.json``
(:mod:`bot.i18n.catalogue`): the keys under ``letsconnect-module-`` belong to
Module:Let's Connect, those under ``letsconnect-sessions-`` to
Module:Let's Connect/Sessions, and each module sees them without the prefix.
The page also carries the program's languages, which of them are written
right to left, and MediaWiki's fallback chains (``fallbacks``: language -> the
languages to try after it, English left out; :data:`bot.i18n.FALLBACKS`), so
that the module finds a ``pt`` label for a ``pt-br`` reader and gives a ``pt``
reader the ``pt-br`` messages.  A language's table holds its own messages and,
where it has none, those of the languages of its chain that have a file;
English fills the rest on the wiki.

Deterministic (sorted keys, no timestamps), like the data module: deploy saves
it only when a message changed.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.i18n import FALLBACKS, LANGUAGES, RTL, fallback_chain
from bot.i18n.catalogue import read_catalogue
from bot.onwiki.luadata import LuaTable, lua_table

__all__ = ["MESSAGES_PAGE", "MODULE_PREFIXES", "render_lua_messages"]

#: The page deploy writes, and Module:Let's Connect reads (config.messagesPage there).
MESSAGES_PAGE = "Module:Let's Connect/i18n"

#: The module's name in the page -> the prefix of its keys in the catalogue.
MODULE_PREFIXES = {"module": "letsconnect-module-", "sessions": "letsconnect-sessions-"}

HEADER = (
    "-- Module:Let's Connect/i18n\n"
    "-- GENERATED PAGE: do not edit it by hand, your changes will be overwritten.\n"
    "-- It is made from bot/i18n/<lang>.json in the Let's Connect bot's repository by\n"
    "-- `letsconnect deploy`. Change or translate the messages there instead.\n"
    "-- Read by Module:Let's Connect and Module:Let's Connect/Sessions with mw.loadData().\n"
)


def render_lua_messages(tables: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """The source of ``Module:Let's Connect/i18n`` (default: the shipped catalogue)."""
    catalogue = read_catalogue() if tables is None else tables
    data: LuaTable = {
        "languages": list(LANGUAGES),
        "rtl": {lang: True for lang in sorted(RTL)},
        "fallbacks": {lang: list(chain) for lang, chain in FALLBACKS.items() if chain},
    }
    for name, prefix in MODULE_PREFIXES.items():
        data[name] = {lang: _table(catalogue, lang, prefix) for lang in LANGUAGES}
    return HEADER + "\nreturn " + lua_table(data) + "\n"


def _table(catalogue: Mapping[str, Mapping[str, str]], lang: str, prefix: str) -> dict[str, str]:
    """``lang``'s messages under ``prefix``, without it; a key it lacks is taken from the
    next language of its chain that has it (English left to the module's own fallback)."""
    table: dict[str, str] = {}
    for code in fallback_chain(lang, english=lang == "en"):
        for key, text in catalogue.get(code, {}).items():
            if key.startswith(prefix):
                table.setdefault(key[len(prefix) :], text)
    return table
