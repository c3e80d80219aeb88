"""A MediaWiki message formatter: ``$1`` parameters and ``{{PLURAL:…}}``, GENDER left to the wiki.

Messages live in ``bot/i18n/<lang>.json`` in MediaWiki's own message format
(see :mod:`bot.i18n.catalogue`).  How the formatter treats the magic words, and why:

* ``$1``, ``$2`` … are replaced by the parameters, in one pass (a value that
  contains ``$3`` is not substituted again).  A parameter the message uses but
  the caller did not give is a bug and raises :class:`MessageError`.
* ``{{PLURAL:n|…}}`` is resolved here, with the plural rules of the
  *reader's* language.  MediaWiki would resolve it with the rules of the
  page's language (English on Meta), which picks the wrong form for French
  (0 is singular) and for Arabic (six forms); and edit summaries are never
  parsed at all.  Explicit forms (``0=none``) win, as in MediaWiki; missing
  forms fall back to the last one given.
* ``&#32;`` is a space: translatewiki trims a message's leading and trailing
  whitespace, so a message that must start or end with a space writes it so.  It is
  turned back into a space in the message's own text (never in a parameter's value).
* ``{{GENDER:user|…}}`` is left for MediaWiki: only the wiki knows the
  preference the user set, and a talk page is wikitext, so the wiki expands it
  when the page is shown.  (Edit summaries therefore must not use GENDER.)

Pure: a message and plain values in, text out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["MessageError", "expand_plural", "format_message", "plural_index"]

#: What a parameter may be: the formatter writes it with ``str()``.
Param = object

#: How translatewiki's files write a space that must not be trimmed.
SPACE = "&#32;"
_EMPTY_GENDER = re.compile(r"\{\{GENDER:\$\d+\|\}\}")
_PARAM = re.compile(r"\$(\d+)")
_PLURAL_START = "{{PLURAL:"
#: A whole number with its digits grouped by one of the separators the languages use.
_GROUPED = re.compile(r"\d{1,3}(?:[,.\u00a0\u202f\u066c ]\d{3})+")
_EXPLICIT_FORM = re.compile(r"^\s*(\d+)\s*=(.*)$", re.DOTALL)


class MessageError(Exception):
    """A message is missing or asks for a parameter that was not given (a bug)."""


# --- plural rules ----------------------------------------------------------------------


def plural_index(lang: str, n: int) -> int:
    """Which PLURAL form (0-based) a language uses for ``n``, as MediaWiki orders them.

    English, Spanish: one, other.  French, Portuguese: one (0 and 1), other.
    Arabic: zero, one, two, few (n % 100 in 3..10), many (n % 100 in 11..99), other.
    """
    n = abs(int(n))
    base = lang.split("-")[0].lower()
    if base == "ar":
        if n == 0:
            return 0
        if n == 1:
            return 1
        if n == 2:
            return 2
        if 3 <= n % 100 <= 10:
            return 3
        if 11 <= n % 100 <= 99:
            return 4
        return 5
    if base in ("fr", "pt"):
        return 0 if n in (0, 1) else 1
    return 0 if n == 1 else 1


def _split_top(text: str) -> list[str]:
    """Split on ``|`` outside ``{{…}}`` and ``[[…]]`` (a link's pipe is not a form separator)."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        pair = text[i : i + 2]
        if pair in ("{{", "[["):
            depth += 1
            i += 2
            continue
        if pair in ("}}", "]]") and depth:
            depth -= 1
            i += 2
            continue
        if text[i] == "|" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
        i += 1
    parts.append(text[start:])
    return parts


def _closing(text: str, start: int) -> int:
    """Index just past the ``}}`` that closes the ``{{`` at ``start`` (-1 if unbalanced)."""
    depth, i = 0, start
    while i < len(text) - 1:
        pair = text[i : i + 2]
        if pair == "{{":
            depth += 1
            i += 2
        elif pair == "}}":
            depth -= 1
            i += 2
            if depth == 0:
                return i
        else:
            i += 1
    return -1


def _count(expression: str, params: Sequence[Param]) -> int | None:
    """The number a PLURAL is about: a literal or a parameter; None if not a number."""
    expression = expression.strip()
    match = re.fullmatch(r"\$(\d+)", expression)
    value: Param = expression
    if match:
        index = int(match.group(1)) - 1
        if not 0 <= index < len(params):
            raise MessageError(f"PLURAL uses ${index + 1}, which was not given")
        value = params[index]
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if _GROUPED.fullmatch(text):  # a number written with its digits grouped: "7,767"
        text = re.sub(r"\D", "", text)
    return int(text) if re.fullmatch(r"-?\d+", text) else None


def _choose(forms: list[str], n: int, lang: str) -> str:
    positional = []
    for form in forms:
        explicit = _EXPLICIT_FORM.match(form)
        if explicit and "{{" not in form.split("=", 1)[0]:
            if int(explicit.group(1)) == n:
                return explicit.group(2)
            continue
        positional.append(form)
    if not positional:
        return ""
    return positional[min(plural_index(lang, n), len(positional) - 1)]


def expand_plural(text: str, params: Sequence[Param], lang: str) -> str:
    """Resolve every ``{{PLURAL:…}}`` whose number is known; leave the others to MediaWiki."""
    out, i = [], 0
    while True:
        start = text.find(_PLURAL_START, i)
        if start < 0:
            out.append(text[i:])
            return "".join(out)
        end = _closing(text, start)
        if end < 0:
            raise MessageError(f"unbalanced braces in PLURAL: {text[start:start + 40]}…")
        out.append(text[i:start])
        inner = text[start + len(_PLURAL_START) : end - 2]
        expression, *forms = _split_top(inner)
        n = _count(expression, params)
        if n is None:
            out.append(text[start:end])
        else:
            out.append(expand_plural(_choose(forms, n, lang), params, lang))
        i = end


def format_message(text: str, params: Sequence[Param], lang: str) -> str:
    """A message with its PLURALs resolved, ``$n`` replaced and ``&#32;`` made a space
    (GENDER left for the wiki).  An empty ``{{GENDER:$1|}}`` says only that the message
    knows the person's gender (English messages carry it where translations use ``$1``,
    as translatewiki wants every parameter of a translation in the English); it is
    dropped."""
    text = _EMPTY_GENDER.sub("", text)
    expanded = expand_plural(text.replace(SPACE, " "), params, lang)

    def value(match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1
        if not 0 <= index < len(params):
            raise MessageError(f"the message uses ${index + 1}, but {len(params)} were given")
        return str(params[index])

    return _PARAM.sub(value, expanded)
