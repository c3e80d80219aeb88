"""Which of the program's languages a participant is told things in, and how a line in
that language is marked on a page.

One rule for every place that speaks to an owner (their notices, their lines on the
problems pages): ``lang=`` if the program has it, else the first of their ``languages=``
it has, else English.  The profile card's preview applies the same rule in Lua
(``ownerLanguage`` in ``templates_wikitext/Module/Let's Connect.lua``).

Pure: plain values in, plain values out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.i18n import RTL, program_language
from bot.i18n.problems import problem_text
from bot.model import Problem

__all__ = ["choose_language", "direction", "marked", "problem_line"]


def choose_language(lang: str, languages: Sequence[str]) -> str:
    """The owner's language: ``lang=`` if we have it, else the first listed language we
    have, else English.  "Have" follows MediaWiki's fallback chains
    (:func:`bot.i18n.program_language`): pt, pt-BR and pt-PT all get the Brazilian
    Portuguese texts (pt-br); a regional variant we do not list gets its base language."""
    for code in (lang, *languages):
        chosen = program_language(code or "")
        if chosen is not None:
            return chosen
    return "en"


def direction(lang: str) -> str:
    """"rtl" for a language written right to left, else "ltr"."""
    return "rtl" if lang in RTL else "ltr"


def marked(text: str, lang: str, page_lang: str = "en") -> str:
    """``text`` (wikitext in ``lang``) in a ``<span>`` with its language and direction, so
    that browsers and screen readers handle it on a page in ``page_lang``; as it is when
    the two are the same."""
    if lang == page_lang:
        return text
    return f'<span lang="{lang}" dir="{direction(lang)}">{text}</span>'


def problem_line(problem: Problem, lang: str, reader: str, escape: Callable[[str], str],
                 page_lang: str = "en", text: str | None = None) -> str:
    """One problem as a line of a page in ``page_lang``, told in ``lang`` to ``reader``: in
    English its ``message`` escaped whole (as such pages always had it); in another
    language the catalogue's message, the participant's values in it escaped; marked with
    its language and direction when that is not the page's.  A problem without a message
    key stays in English.  ``text``, when given, is the line already told in ``lang``."""
    if text is None:
        if lang == "en" or not problem.key:
            lang, text = "en", escape(problem.message)
        else:
            text = problem_text(problem, lang, reader, escape)
    return marked(text, lang, page_lang)
