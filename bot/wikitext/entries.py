"""Template entries out of wikitext: every transclusion of a profile-like template.

Participants write their entries by hand, so the parser is forgiving about the
template name (``Template:`` prefix, case of the first letter, underscores) and
parameter names (aliases), and it never raises: a page the parser cannot
understand yields no entries rather than stopping a run.

Decisions worth knowing:

* **Where entries count.** A transclusion counts wherever MediaWiki would show
  it: at top level, inside other templates (a collapsible box, a userbox),
  inside ordinary HTML tags and inside another entry's parameter.  It does not
  count inside comments, ``<nowiki>``, ``<pre>`` and the other tags whose text
  MediaWiki shows literally, inside ``<includeonly>`` (not shown on the page
  itself) or inside ``<ref>``.  Entries are numbered in document order.
* **Values are plain text.** HTML comments are dropped; ``<nowiki>x</nowiki>``
  becomes ``x``; HTML entities are decoded; a link becomes its visible text
  (category and file links vanish, as on the rendered page); formatting tags
  and ``''quotes''`` become their content; ``<br>`` becomes a space; ``<ref>`` is
  dropped.  Leading and trailing whitespace is trimmed.
* **Templates inside values** are not expanded (the bot cannot know what they
  render).  The value keeps the template's source text and the parameter is
  listed in ``Entry.templated`` so the caller can tell the participant to write
  plain text instead.  No template is unwrapped: a short list of "known" ones
  would silently mis-read the next one somebody invents.
* **Duplicated parameters**: the last value wins, as in MediaWiki, and the
  canonical name is listed in ``Entry.duplicates`` (also when two aliases of
  one parameter are both given).
* **Unknown parameter names** (including positional ones) are listed, as
  written, in ``Entry.unknown``; their values are not kept.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping

import mwparserfromhell
from mwparserfromhell.nodes import (
    Argument,
    Comment,
    ExternalLink,
    Heading,
    HTMLEntity,
    Node,
    Tag,
    Template,
    Text,
    Wikilink,
)
from mwparserfromhell.wikicode import Wikicode

from bot.model import Entry
from bot.wikitext.guard import check_readable

#: Tags whose content MediaWiki shows as literal text (no templates expanded).
LITERAL_TAGS = frozenset(
    {"nowiki", "pre", "source", "syntaxhighlight", "math", "chem", "score", "templatedata",
     "timeline", "graph", "hiero", "categorytree", "inputbox", "imagemap", "ce"}
)
#: Tags whose content is not shown where they stand (or not on this page at all).
HIDDEN_TAGS = frozenset({"includeonly", "ref", "references"})
#: Link namespaces that render as something other than their text.
_SILENT_LINK = re.compile(r"^\s*(category|file|image)\s*:", re.IGNORECASE)
_TEMPLATE_PREFIX = re.compile(r"^template\s*:\s*", re.IGNORECASE)
_SPACES = re.compile(r"[\s_]+")
#: What MediaWiki replaces with U+FFFD before it stores a page (see parse_wikitext).
_NOT_STORED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def normalise_template_name(name: str) -> str:
    """The name MediaWiki would resolve: people write ``template:let's_connect/profile``."""
    name = _SPACES.sub(" ", name).strip()
    name = _TEMPLATE_PREFIX.sub("", name)
    return name[:1].upper() + name[1:]


def normalise_param_name(name: str) -> str:
    """Parameter names are matched loosely (case, underscores, runs of spaces)
    because participants type them; MediaWiki itself is stricter."""
    return _SPACES.sub(" ", name).strip().casefold()


def parse_wikitext(text: str) -> Wikicode:
    """mwparserfromhell's reading of ``text`` as MediaWiki would store it.

    MediaWiki's UTF-8 clean-up replaces C0 control characters (but tab and line
    breaks) and lone surrogates with U+FFFD before it stores a page, so a page
    read from the wiki never holds them; text from anywhere else still may.
    Read as it stands, a NUL makes mwparserfromhell drop the rest of the page
    (every entry after it) and a lone surrogate cannot be encoded later (to save
    a page, or to hash a notice's id).  A large text whose markup would take too
    long to read raises :class:`~bot.wikitext.guard.Unreadable` (a ValueError).
    """
    clean = _NOT_STORED.sub("\ufffd", str(text))
    check_readable(clean)
    return mwparserfromhell.parse(clean)


def parse_entries(
    text: str,
    page: str,
    template_names: Iterable[str],
    aliases: Mapping[str, str] | None = None,
) -> list[Entry]:
    """Every transclusion of one of ``template_names`` in ``text``, in document order.

    ``aliases`` maps parameter names as written (matched loosely) to canonical
    names; canonical names map to themselves implicitly.  With ``aliases=None``
    every named parameter is kept under its own loosely-normalised name.
    """
    wanted = {normalise_template_name(n) for n in template_names}
    try:
        code = parse_wikitext(text)
        templates = [t for t in _visible_templates(code) if _template_name(t) in wanted]
        return [_entry(t, page, i, aliases) for i, t in enumerate(templates)]
    except (RecursionError, ValueError, TypeError, AttributeError):
        # A parser corner case must not stop a run over hundreds of pages.
        return []


def _visible_templates(code: Wikicode) -> list[Template]:
    found: list[Template] = []
    for node in code.nodes:
        if isinstance(node, Template):
            found.append(node)
            for param in node.params:
                found.extend(_visible_templates(param.value))
        elif isinstance(node, Tag):
            tag = str(node.tag).strip().lower()
            if node.contents is not None and tag not in LITERAL_TAGS | HIDDEN_TAGS:
                found.extend(_visible_templates(node.contents))
        elif isinstance(node, Wikilink) and node.text is not None:
            found.extend(_visible_templates(node.text))
        elif isinstance(node, ExternalLink) and node.title is not None:
            found.extend(_visible_templates(node.title))
        elif isinstance(node, Heading):
            found.extend(_visible_templates(node.title))
    return found


def _template_name(template: Template) -> str:
    return normalise_template_name(_plain(template.name)[0])


def _entry(
    template: Template, page: str, index: int, aliases: Mapping[str, str] | None
) -> Entry:
    lookup = _alias_lookup(aliases)
    params: dict[str, str] = {}
    duplicates: list[str] = []
    unknown: list[str] = []
    templated: set[str] = set()
    for param in template.params:
        written = _plain(param.name)[0].strip()
        canonical = _canonical(written, lookup)
        if canonical is None:
            if written not in unknown:
                unknown.append(written)
            continue
        value, has_template = _plain(param.value)
        if canonical in params and canonical not in duplicates:
            duplicates.append(canonical)
        params[canonical] = value.strip()
        if has_template:
            templated.add(canonical)
        else:
            templated.discard(canonical)  # the last value wins, so does its flag
    return Entry(
        page=page,
        index=index,
        params=params,
        duplicates=tuple(duplicates),
        unknown=tuple(unknown),
        templated=tuple(sorted(templated)),
    )


def _alias_lookup(aliases: Mapping[str, str] | None) -> dict[str, str] | None:
    if aliases is None:
        return None
    lookup = {normalise_param_name(c): c for c in aliases.values()}
    lookup.update({normalise_param_name(k): v for k, v in aliases.items()})
    return lookup


def _canonical(written: str, lookup: dict[str, str] | None) -> str | None:
    key = normalise_param_name(written)
    if lookup is None:
        return key or None
    return lookup.get(key)


def _plain(code: Wikicode) -> tuple[str, bool]:
    """Plain text of a piece of wikitext, and whether it contained a template."""
    parts: list[str] = []
    has_template = False
    for node in code.nodes:
        text, nested = _plain_node(node)
        parts.append(text)
        has_template = has_template or nested
    return "".join(parts), has_template


def _plain_node(node: Node) -> tuple[str, bool]:
    if isinstance(node, Text):
        return str(node.value), False
    if isinstance(node, Comment):
        return "", False
    if isinstance(node, HTMLEntity):
        return node.normalize(), False
    if isinstance(node, Template | Argument):
        return str(node), True
    if isinstance(node, Wikilink):
        return _plain_link(node)
    if isinstance(node, ExternalLink):
        return _plain(node.title) if node.title is not None else (str(node.url), False)
    if isinstance(node, Heading):
        return _plain(node.title)
    if isinstance(node, Tag):
        return _plain_tag(node)
    return str(node), False


def _plain_link(link: Wikilink) -> tuple[str, bool]:
    title, has_template = _plain(link.title)
    if _SILENT_LINK.match(title):
        return "", has_template
    if link.text is not None:
        return _plain(link.text)
    return title.strip().lstrip(":"), has_template


def _plain_tag(tag: Tag) -> tuple[str, bool]:
    name = str(tag.tag).strip().lower()
    if name in {"br", "hr"}:
        return " ", False
    if name in HIDDEN_TAGS or tag.contents is None:
        return "", False
    if name in LITERAL_TAGS:
        return html.unescape(str(tag.contents)), False
    return _plain(tag.contents)


def strip_templates(value: str) -> str:
    """``value`` without the templates in it, for a caller that has reported them
    and wants to read what is left (``Kenya {{flag|KE}}`` -> ``Kenya``)."""
    try:
        code = parse_wikitext(value)
        # The stubs take one type; mwparserfromhell checks with isinstance, so a tuple works.
        kinds = (Template, Argument)
        for node in code.filter(recursive=False, forcetype=kinds):  # type: ignore[call-overload]
            code.remove(node)
        return " ".join(str(code).split())
    except (RecursionError, ValueError, TypeError, AttributeError):
        return ""
