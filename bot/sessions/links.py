"""Link parameters: the target of ``[[File:X.pdf]]``, ``[[Page|label]]``,
``[https://… label]``, a bare URL, ``File:X.pdf`` or a page title.

Read from the raw wikitext, because the plain text of ``[[File:X]]`` is
empty.  Only ``http(s)`` web links are accepted; anything else that is not a
file or a page title is no link (None), which the caller reports.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from mwparserfromhell.nodes import Comment, ExternalLink, Template, Wikilink

from bot.sessions.model import NO_LINK, Link
from bot.wikitext.entries import parse_wikitext

if TYPE_CHECKING:
    from mwparserfromhell.wikicode import Wikicode

_SCHEME = re.compile(r"^(?:https?:)?//", re.IGNORECASE)
#: Web-like addresses that are not web links (or lack their scheme): never a page title.
_NOT_TITLES = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*://|(?:javascript|vbscript|data|mailto|tel|ftp|irc|news|sftp|ssh):"
    r"|www\.)", re.IGNORECASE)
_URL_BAD = re.compile(r"[\s<>\[\]{}|\"\x00-\x1f\x7f]")
_FILE_NS = re.compile(r"^\s*:?\s*(file|image|media)\s*:\s*", re.IGNORECASE)
_TITLE_BAD = re.compile(r"[#<>\[\]|{}\x00-\x1f\x7f]")


def parse_link(value: str | Wikicode) -> Link | None:
    """A link parameter's target; None when the value is not a link (reported by the caller)."""
    code = value if not isinstance(value, str) else parse_wikitext(value)
    nodes = [n for n in code.nodes if not isinstance(n, Comment)]
    if not any(str(n).strip() for n in nodes):
        return NO_LINK
    for node in nodes:
        if isinstance(node, Wikilink):
            return _title_link(str(node.title))
        if isinstance(node, ExternalLink):
            return _url_link(str(node.url))
    if any(isinstance(n, Template) for n in nodes):
        return None
    text = " ".join("".join(str(n) for n in nodes).split())
    if _SCHEME.match(text):
        return _url_link(text)
    if _NOT_TITLES.match(text):
        return None
    return _title_link(text)


def _url_link(url: str) -> Link | None:
    url = url.strip()
    if not _SCHEME.match(url) or _URL_BAD.search(url) or len(url) > 2000:
        return None
    if url.startswith("//"):
        url = "https:" + url
    host = url.split("//", 1)[1].split("/", 1)[0]
    if not host or "." not in host and host != "localhost" and ":" not in host:
        return None
    return Link("url", url)


def _title_link(title: str) -> Link | None:
    title = " ".join(title.replace("_", " ").split()).lstrip(":").strip()
    title = title.split("#", 1)[0].strip() if not title.startswith("#") else ""
    if not title or _TITLE_BAD.search(title) or "://" in title or len(title) > 255:
        return None
    found = _FILE_NS.match(title)
    if found:
        name = title[found.end():].strip()
        if not name:
            return None
        return Link("file", "File:" + name[:1].upper() + name[1:])
    namespace, sep, rest = title.partition(":")
    if sep and namespace.strip() and " " not in namespace.strip() and rest.strip():
        title = namespace.strip()[:1].upper() + namespace.strip()[1:] + ":" + rest.strip()
        rest = rest.strip()
        title = title.split(":", 1)[0] + ":" + rest[:1].upper() + rest[1:]
    else:
        title = title[:1].upper() + title[1:]
    return Link("page", title)

