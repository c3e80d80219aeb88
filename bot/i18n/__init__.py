"""The messages in every language the program speaks, the list of those languages, and
their fallback chains.

The list lives in ``languages.json`` (data, not code) so that adding a language is one
line there, one message file ``<code>.json`` beside it, and labels in the taxonomy files.
The folder is the package's own (``bot/i18n``) unless the environment variable
``LETSCONNECT_I18N_DIR`` names another one holding the same files: a language can then be
tried, or a deployment can carry its own, without touching the code.

Fallback chains are MediaWiki's own, so that the bot and the on-wiki modules pick what
MediaWiki would: each language's ``fallback`` in ``languages.json`` is the ``$fallback``
of its ``languages/messages/Messages<Code>.php`` in MediaWiki's repository
(``MessagesPt_br.php``: ``$fallback = 'pt'``; ``MessagesPt.php``: ``$fallback = 'pt-br'``;
``MessagesEs.php``, ``MessagesFr.php`` and ``MessagesAr.php`` have none), and English ends
every chain, as in MediaWiki's ``LanguageFallback``.  So ``pt-br`` -> ``pt`` -> ``en``,
``pt`` -> ``pt-br`` -> ``en``, ``es``/``fr``/``ar`` -> ``en``, and an unknown language ->
``en``.  One rule of the bot's own: a tag MediaWiki does not know, with a region
(``pt-PT``, ``es-MX``), follows its base language's chain.
"""

from __future__ import annotations

import json
import os
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

__all__ = [
    "ENGLISH",
    "FALLBACKS",
    "I18N_DIR",
    "LANGUAGE_NAMES",
    "LANGUAGES",
    "RTL",
    "fallback_chain",
    "program_language",
]

#: The environment variable naming another folder of message files and languages.json.
ENV_VAR = "LETSCONNECT_I18N_DIR"
#: The language that ends every chain and fills any message missing elsewhere.
ENGLISH = "en"


def _folder() -> Traversable:
    chosen = os.environ.get(ENV_VAR, "").strip()
    return Path(chosen) if chosen else resources.files(__name__)


#: Where the message files and languages.json are read from.
I18N_DIR: Traversable = _folder()


def _read_languages() -> Any:
    return json.loads((I18N_DIR / "languages.json").read_text(encoding="utf-8"))


def _code(tag: str) -> str:
    return (tag or "").strip().replace("_", "-").lower()


_DATA = _read_languages()
_ENTRIES: list[dict[str, Any]] = list(_DATA["languages"])
#: The program's languages, in the order pages list them.
LANGUAGES: tuple[str, ...] = tuple(_code(str(e["code"])) for e in _ENTRIES)
#: Each language's own name (its autonym), for the links between a page's language versions.
LANGUAGE_NAMES: dict[str, str] = {
    _code(str(e["code"])): str(e.get("name") or e["code"]) for e in _ENTRIES
}
#: Those written right to left.
RTL: frozenset[str] = frozenset(
    _code(str(e["code"])) for e in _ENTRIES if e.get("dir") == "rtl"
)
#: Language -> MediaWiki's ``$fallback`` for it (English, the end of every chain, left out):
#: the program's languages and the other codes that lead to one of them.
FALLBACKS: dict[str, tuple[str, ...]] = {
    **{
        _code(str(code)): tuple(_code(str(c)) for c in chain)
        for code, chain in dict(_DATA.get("other_fallbacks") or {}).items()
    },
    **{
        _code(str(e["code"])): tuple(_code(str(c)) for c in e.get("fallback") or ())
        for e in _ENTRIES
    },
}


def fallback_chain(tag: str, *, english: bool = True) -> tuple[str, ...]:
    """The languages to try, in order, for text in ``tag``: the language itself, MediaWiki's
    fallbacks for it, then English (left out when ``english`` is false, unless the tag is
    English).  A tag MediaWiki does not know, with a region, takes its base language's chain
    ("pt-PT" -> pt-pt, pt, pt-br, en).  Lower case, as MediaWiki writes codes."""
    code = _code(tag)
    chain: list[str] = [code] if code else []
    if code in FALLBACKS:
        chain += FALLBACKS[code]
    elif "-" in code:
        base = code.split("-")[0]
        chain += [base, *FALLBACKS.get(base, ())]
    if english or ENGLISH in chain:
        chain.append(ENGLISH)
    return tuple(dict.fromkeys(chain))


def program_language(tag: str) -> str | None:
    """The first of the program's languages in ``tag``'s chain before the final English
    ("pt" -> "pt-br", "pt-PT" -> "pt-br", "en-GB" -> "en"); ``None`` when none is."""
    for code in fallback_chain(tag, english=False):
        if code in LANGUAGES:
            return code
    return None
