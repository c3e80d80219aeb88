"""``{{bots}}`` and ``{{nobots}}`` on a talk page, read as MediaWiki and Pywikibot read them.

Talk-page notices are the edits a community judges hardest, so the notify job must see
every way a participant can say "no bots" and nothing they did not say.  Three sources
define the convention and this module follows them in this order (the cases, with their
sources, are in ``tests/data/bots/cases.yaml``; ``docs/notices.md`` explains):

1. **What counts** is what MediaWiki transcludes.  Its preprocessor drops comments (an
   unclosed ``<!--`` runs to the end of the page), shows the content of ``<nowiki>``,
   ``<pre>`` and the other tags whose content is not wikitext as text (an unclosed one is
   plain text itself), and hides ``<includeonly>`` (unclosed: to the end).  Pywikibot reads
   the same templates: it strips those parts and keeps only templates the wiki lists.
2. **Names** in ``allow=``, ``deny=`` and ``{{nobots|…}}`` are user names and match as
   MediaWiki compares them: first letter in any case, the rest exactly, ``_`` a space.
3. **How a template is read** follows Pywikibot's ``botMayEdit`` and the Template:Bots
   documentation; where they disagree and the wish is plain, the reading that sends no
   notice wins: every parameter of ``{{bots}}`` counts (Pywikibot reads only the first),
   every repeated ``deny=``, any keyword on ``{{nobots}}``, ``all`` in any case outside
   ``allow=``.  ``optout=`` (the documentation's message opt-out, unknown to Pywikibot)
   names task names, compared without regard to case.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterator

from mwparserfromhell.nodes import Template

from bot.wikitext.entries import LITERAL_TAGS, normalise_template_name, parse_wikitext

#: The first character of MediaWiki's strip markers: what stands where a tag's content was
#: taken out.  No title may hold it, so ``{{no<nowiki/>bots}}`` names no template.
STRIP_MARK = "\x7f"
#: Characters of a hidden tag's content that would otherwise make template syntax.
_SYNTAX = re.compile(r"[{}\[\]|=<>]")
_TAG_NAMES = "|".join(sorted(LITERAL_TAGS | {"includeonly"}))
#: A comment, or the opening of a tag whose content is not read as wikitext.
_OPENING = re.compile(rf"<!--|<(?P<name>{_TAG_NAMES})(?=[\s/>])(?P<attrs>[^>]*)>", re.IGNORECASE)
_NAME_SPACES = re.compile(r"[ _]+")
_POSITION = re.compile(r"[1-9][0-9]*")
#: Where a call of either template can start (after transcluded_text): a page without one
#: is not parsed at all, which spares the job mwparserfromhell's slow cases (thousands of
#: unclosed "{{x|" or "[http://" take it minutes) on every talk page that has no such call.
_CANDIDATE = re.compile(r"\{\{[\s_]*(?:template[\s_]*:[\s_]*)?(?:no)?bots[\s_]*(?:\||\}\})",
                        re.IGNORECASE)


def transcluded_text(text: str) -> str:
    """The page as MediaWiki's preprocessor leaves it for template calls.

    Comments go (an unclosed one to the end); ``<includeonly>`` goes with its content
    (unclosed: to the end); the content of a closed literal tag becomes inert text between
    strip marks, so ``{{bots|deny=<nowiki>all</nowiki>}}`` still gives the template "all"
    while ``<nowiki>{{nobots}}</nowiki>`` calls nothing; an unclosed literal tag is text.
    Whichever opens first wins, so ``<nowiki><!--</nowiki>`` starts no comment.
    """
    out: list[str] = []
    pos = 0
    unclosed: set[str] = set()  # tags with no closing tag further on (as MediaWiki caches)
    while match := _OPENING.search(text, pos):
        out.append(text[pos:match.start()])
        name = (match.group("name") or "").lower()
        if not name:  # a comment
            end = text.find("-->", match.end())
            pos = len(text) if end < 0 else end + 3
            continue
        if match.group("attrs").endswith("/"):  # <nowiki/>: an empty strip marker
            out.append("" if name == "includeonly" else STRIP_MARK)
            pos = match.end()
            continue
        close = None if name in unclosed else _closing(name).search(text, match.end())
        if close is None:
            unclosed.add(name)
        if name == "includeonly":
            pos = len(text) if close is None else close.end()
        elif close is None:  # MediaWiki shows an unclosed tag as text and reads on
            out.append("\ufffd" + match.group(0)[1:])  # text, so no parser takes it for a tag
            pos = match.end()
        else:
            inner = _SYNTAX.sub("\ufffd", text[match.end():close.start()])
            out.append(f"{STRIP_MARK}{inner}{STRIP_MARK}")
            pos = close.end()
    out.append(text[pos:])
    return "".join(out)


@functools.cache
def _closing(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{name}\s*>", re.IGNORECASE)


def user_key(name: str) -> str:
    """A user name as MediaWiki stores it: ``_`` and runs of spaces one space, trimmed,
    first letter upper case (so ``letsConnectBot`` is ``LetsConnectBot``, but
    ``letsconnectbot`` is the account ``Letsconnectbot``)."""
    name = _NAME_SPACES.sub(" ", name).strip()
    first = name[:1].upper()
    return (first if len(first) == 1 else name[:1]) + name[1:]


def _list(value: str) -> list[str]:
    """A comma-separated list as the template receives it (strip marks are its text)."""
    return [item.strip() for item in value.replace(STRIP_MARK, "").split(",")]


def _calls(text: str) -> Iterator[tuple[str, dict[int, str], list[tuple[str, str]]]]:
    """Each ``{{bots}}``/``{{nobots}}`` MediaWiki would call: its name ("Bots" or "Nobots"),
    positional parameters (the last of a number wins, as in MediaWiki) and every named
    parameter in order (key case-folded)."""
    visible = transcluded_text(text or "")
    if not _CANDIDATE.search(visible):
        return
    try:
        templates = parse_wikitext(visible).filter_templates(recursive=True)
    except (RecursionError, ValueError, TypeError, AttributeError):
        return
    for template in templates:
        name = normalise_template_name(str(template.name))
        if name in ("Bots", "Nobots"):
            positional, named = _parameters(template)
            yield name, positional, named


def _parameters(template: Template) -> tuple[dict[int, str], list[tuple[str, str]]]:
    positional: dict[int, str] = {}
    named: list[tuple[str, str]] = []
    for param in template.params:
        key, value = str(param.name).strip(), str(param.value).strip()
        if _POSITION.fullmatch(key):  # "1=" is the first positional parameter; "01=" is not
            positional[int(key)] = value
        else:
            named.append((key.casefold(), value))
    return positional, named


class _Reader:
    """The bot's names and task, and how each list is read against them."""

    def __init__(self, bot_names: Collection[str], task: str) -> None:
        self.names = {user_key(n) for n in bot_names if n and n.strip()}
        self.task = task.casefold()

    def names_us(self, items: list[str]) -> bool:
        return any(user_key(item) in self.names for item in items if item)

    def names_task(self, items: list[str]) -> bool:
        return any(item.casefold() == self.task for item in items)

    def nobots(self, positional: dict[int, str], named: list[tuple[str, str]]) -> bool:
        """``{{nobots}}``, any keyword on it, or a first parameter naming all, us or the task.
        Pywikibot reads no other parameter, nor does the documentation."""
        if named or not positional:
            return True
        items = _list(positional.get(1, ""))
        return _any_all(items) or self.names_us(items) or self.names_task(items)

    def bots(self, named: list[tuple[str, str]]) -> str | None:
        """The first parameter of ``{{bots}}`` that keeps this bot away, or None.

        An empty value, an unknown key and a parameter without a name say nothing.  Only
        ``all`` itself opens a page in ``allow=`` (as in Pywikibot); ``all`` in any case
        closes it elsewhere."""
        for key, value in named:
            if not value:
                continue
            items = _list(value)
            if key == "allow" and not ("all" in items or self.names_us(items)):
                return "bots-deny"
            if key == "deny" and (_any_all(items) or self.names_us(items)):
                return "bots-deny"
            if key == "allowscript" and not ("all" in items or self.names_task(items)):
                return "bots-deny"
            if key == "denyscript" and (_any_all(items) or self.names_task(items)):
                return "bots-deny"
            if key == "optout" and (_any_all(items) or self.names_task(items)):
                return "bots-optout"
        return None


def _any_all(items: list[str]) -> bool:
    return any(item.casefold() == "all" for item in items)


def bots_exclusion(text: str, bot_names: Collection[str], task: str) -> str | None:
    """Why ``{{bots}}``/``{{nobots}}`` on a talk page keep this bot's notices away, or None.

    "nobots": ``{{nobots}}``, ``{{nobots|all}}``, ``{{nobots|<list naming the bot or the
    task>}}``, or ``{{nobots}}`` with any keyword.  "bots-deny": ``{{bots|deny=…}}`` naming
    the bot or ``all``, ``{{bots|allow=…}}`` naming neither (``none`` included), Pywikibot's
    ``allowscript=``/``denyscript=`` read with the task.  "bots-optout":
    ``{{bots|optout=…}}`` naming the task or ``all``.  The first such template on the page
    gives the reason; see the module's docstring for how the page is read.
    """
    reader = _Reader(bot_names, task)
    for name, positional, named in _calls(text):
        if name == "Nobots":
            if reader.nobots(positional, named):
                return "nobots"
            continue
        reason = reader.bots(named)
        if reason:
            return reason
    return None
