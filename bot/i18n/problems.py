"""Problems told in any language: the catalogue's ``letsconnect-problem-*`` (a profile's
problems) and ``letsconnect-session-problem-*`` (a session log's) messages.

A :class:`bot.model.Problem` keeps its message key and its parameters, so it can be told
in the reader's language as well as in English.  Every such message takes the reader's
user name as ``$1`` (for GENDER) and the problem's parameters from ``$2`` on.  A
parameter is a plain value or, as a tuple, another message of the catalogue with its own
parameters (a hint such as "Did you mean …?", a word such as "resource"), told in the
same language.

Pure: messages and plain values in, text out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache

from bot.i18n.catalogue import Catalogue, read_catalogue
from bot.model import Problem, ProblemParam

__all__ = [
    "DID_YOU_MEAN", "PREFIXES", "PROFILE", "SESSION", "SLOW_MARKUP", "WHICH_ONE",
    "as_message", "did_you_mean", "english_message", "message_keys", "problem_text",
    "render", "unreadable_reason",
]

#: The prefixes of a profile's and a session log's problem messages.
PROFILE = "letsconnect-problem-"
SESSION = "letsconnect-session-problem-"
PREFIXES = (PROFILE, SESSION)
#: The hints: one suggestion, or several (each quoted with CHOICE, joined by SEPARATOR).
DID_YOU_MEAN = PROFILE + "hint-did-you-mean"
WHICH_ONE = PROFILE + "hint-which-one"
CHOICE = PROFILE + "hint-choice"
SEPARATOR = PROFILE + "hint-separator"
#: Why a page could not be read: its markup takes too long ($2: the seconds allowed; $3, $4,
#: $5: pieces of markup, given as parameters so that they are escaped like any value).
SLOW_MARKUP = PROFILE + "reason-slow-markup"


def _same(text: str) -> str:
    return text


@cache
def _catalogue() -> Catalogue:
    tables = read_catalogue()
    return Catalogue({lang: {k: v for k, v in table.items() if k.startswith(PREFIXES)}
                      for lang, table in tables.items()})


def message_keys() -> tuple[str, ...]:
    """Every problem message of the catalogue (its English keys)."""
    return tuple(sorted(_catalogue().tables["en"]))


def english_message(key: str) -> str:
    """The English text of the message ``key``, as the catalogue has it ($n unreplaced)."""
    return _catalogue().raw(key, "en")


def did_you_mean(choices: Sequence[str]) -> tuple[str, ...]:
    """The hint for a word that was not understood: the suggestion(s), as a message."""
    choices = [c.strip() for c in choices if c.strip()]
    if not choices:
        return ()
    if len(choices) == 1:
        return (DID_YOU_MEAN, choices[0])
    return (WHICH_ONE, *choices)


def _param(param: ProblemParam, lang: str, reader: str,
           escape: Callable[[str], str]) -> str:
    if isinstance(param, str):
        return escape(param)
    if not param:
        return ""
    key, *inner = param
    catalogue = _catalogue()
    if key == WHICH_ONE:
        quoted = [catalogue.text(CHOICE, lang, reader, escape(c)) for c in inner]
        separator = catalogue.text(SEPARATOR, lang, reader)
        return catalogue.text(key, lang, reader, separator.join(quoted[:-1]), quoted[-1])
    return catalogue.text(key, lang, reader, *(escape(value) for value in inner))


def render(key: str, params: Sequence[ProblemParam], lang: str, reader: str = "",
           escape: Callable[[str], str] = _same) -> str:
    """The message ``key`` in ``lang``, its parameters (each plain value passed through
    ``escape``; messages told in ``lang`` too) from ``$2`` on, the reader as ``$1``."""
    values = [_param(param, lang, reader, escape) for param in params]
    return _catalogue().text(key, lang, reader, *values)


def as_message(text: str, key: str, *params: str) -> ProblemParam:
    """``text`` as the message ``key`` when that is what it says in English (so that it can
    be told in other languages), else ``text`` itself."""
    message = (key, *params)
    return message if _param(message, "en", "", _same) == text else text


def unreadable_reason(text: str, seconds: float) -> ProblemParam:
    """Why a page could not be read (the text of :class:`bot.wikitext.guard.Unreadable`),
    as :data:`SLOW_MARKUP` when that is what it says."""
    return as_message(text, SLOW_MARKUP, f"{seconds:g}", "{{", "<span", "[http")


def problem_text(problem: Problem, lang: str, reader: str | None = None,
                 escape: Callable[[str], str] = _same) -> str:
    """The problem told in ``lang`` to ``reader`` (by default its owner); a problem with no
    message key is told as its English ``message``."""
    if not problem.key:
        return escape(problem.message)
    return render(problem.key, problem.params, lang,
                  problem.user if reader is None else reader, escape)
