"""Every generated page in every language of the program: the English text on the page the
configuration names, each other language on that page's subpage ``<title>/<code>``
(``…/Directory/es``, ``…/Directory/ar``), as Meta's Translate extension keeps translations.
``Special:MyLanguage/<title>`` takes a reader to the version in their interface language.

Why whole pages per language and not text switched for each reader (``{{int:lang}}``, a
template or a Lua call per cell): each version is written out, its labels sorted in its own
language, and costs the parser nothing.  Measured on the local wiki (LuaSandbox, as on Meta)
with 5,000 rows of five skill templates each, the switched page took 22 s of parser time and
ran past the 2 MB post-expand include limit, after which a wiki shows template names instead
of labels.  A profile subpage is ``…/Directory/<User name>`` and user names start with a
capital letter, so a language code (lower case) never names one.
"""

from __future__ import annotations

from bot.i18n import ENGLISH, LANGUAGE_NAMES, LANGUAGES
from bot.i18n.choice import direction
from bot.i18n.words import text

__all__ = ["in_language", "isolated", "language_bar", "ltr", "version_title", "version_titles"]


def version_title(base: str, lang: str) -> str:
    """The title of ``base`` in ``lang``: the page itself in English, else its subpage."""
    return base if lang == ENGLISH else f"{base}/{lang}"


def version_titles(base: str) -> dict[str, str]:
    """Language -> title, for every language of the program, in the program's order."""
    return {lang: version_title(base, lang) for lang in LANGUAGES}


def language_bar(base: str, lang: str) -> str:
    """One line linking the page's other language versions, each named in its own language
    and marked with it (so a screen reader says "العربية" in Arabic)."""
    links = []
    for code, title in version_titles(base).items():
        name = LANGUAGE_NAMES.get(code, code)
        if code == lang:
            links.append(f'<b lang="{code}">{name}</b>')
        else:
            links.append(f'<span lang="{code}" dir="{direction(code)}">[[:{title}|{name}]]'
                         "</span>")
    return (f'<div class="letsconnect-languages">{text("languages", lang)} '
            + " · ".join(links) + "</div>")


def in_language(content: str, base: str, lang: str) -> str:
    """A section's content for the version in ``lang``: the bar of languages first; outside
    English, wrapped in a block naming its language and direction (the page itself is in the
    wiki's language, English on Meta), so that Arabic runs right to left."""
    body = language_bar(base, lang) + "\n" + content.strip("\n")
    if lang == ENGLISH:
        return body + "\n"
    rtl = direction(lang)
    return (f'<div lang="{lang}" dir="{rtl}" class="mw-content-{rtl}">\n{body}\n</div>\n')


def ltr(wikitext: str, lang: str) -> str:
    """What reads left to right in one piece (a group id, a date, a month, a percentage) on
    a page written right to left: isolated, and never broken across lines (in a narrow
    column "2026-12-001" would otherwise break after "12-" and show its hyphen on the wrong
    side).  As it is on a left-to-right page."""
    if not wikitext or direction(lang) != "rtl":
        return wikitext
    return f'<bdi dir="ltr" style="white-space:nowrap">{wikitext}</bdi>'


def isolated(wikitext: str, lang: str) -> str:
    """Text of either direction (a user name, a title someone typed) kept from reordering
    what is around it on a page written right to left."""
    return f"<bdi>{wikitext}</bdi>" if wikitext and direction(lang) == "rtl" else wikitext
