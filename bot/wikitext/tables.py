"""The one place user text is made safe for a generated page, and a small table builder.

Anything a participant typed goes through :func:`escape` before it reaches a
page the bot writes.  The rules:

* Every character that can start wiki markup, HTML or a signature becomes a
  numeric character reference: ``& < > [ ] { } | ! = ~ _ ' : * # ; "``.  The
  reader sees the same characters; the parser sees no table syntax, no
  template, no link or category, no tag, no ``~~~~`` and no ``__MAGIC__``
  word.  ``:`` is encoded so that a free URL (``https://…``, ``mailto:…``)
  shows as text instead of becoming an external link: a directory is no place
  for unreviewed links.  The magic links ``ISBN``/``RFC``/``PMID`` followed by a
  number are broken up the same way.
* Line breaks and every other kind of whitespace collapse to one space, so a
  value can never start a new line (``|-``, ``|}``, ``*``, ``==``, a leading
  space for ``<pre>``).
* Bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
  U+061C) are removed so that a value cannot reorder what follows it; control
  characters and lone surrogates are removed because MediaWiki rejects them.
  Right-to-left names still display correctly: each table cell is its own
  paragraph for the bidi algorithm.

:func:`render_table` takes cells that are *already safe* wikitext: the caller
escapes user text and may add the bot's own links and templates.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Sequence

#: Characters that can start markup somewhere in wikitext or HTML.
_SPECIAL = "&<>[]{}|!=~_':*#;\""
_TABLE = {ord(c): f"&#{ord(c)};" for c in _SPECIAL}
_BIDI = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200e", "\u200f", "\u061c"]
)
#: Not anchored at a word boundary: what counts as a word character differs
#: between this regex and MediaWiki's, so every occurrence is broken up.
_MAGIC_LINK = re.compile(r"(ISBN|RFC|PMID)(?=\s)")

#: Characters MediaWiki never allows in a title.
_BAD_TITLE_CHARS = re.compile("[#<>\\[\\]|{}\x00-\x1f\x7f]")
#: ... and in a user name, also ``/`` (it would make a subpage) and the
#: invisible or look-alike characters MediaWiki refuses in account names.
_BAD_NAME_CHARS = re.compile(
    "[#<>\\[\\]|{}/\x00-\x1f\x7f\x80-\x9f\u00a0\u2000-\u200f\u2028-\u202f\u3000\ue000-\uf8ff]"
)
_BAD_NAME_PATTERNS = re.compile(r"%[0-9A-Fa-f]{2}|&[A-Za-z0-9#\x80-\U0010ffff]+;|~~~")
_USER_PREFIX = re.compile(r"^\s*user\s*:\s*", re.IGNORECASE)
_MAX_NAME_BYTES = 255


def _keep(char: str) -> bool:
    if char in _BIDI:
        return False
    return unicodedata.category(char) not in ("Cc", "Cs") or char in "\t\n\r"


def escape(text: str) -> str:
    """Wikitext that renders as ``text`` on one line and can add no structure."""
    kept = "".join(ch for ch in str(text) if _keep(ch))
    escaped = " ".join(kept.split()).translate(_TABLE)
    return _MAGIC_LINK.sub(lambda m: f"&#{ord(m.group(1)[0])};{m.group(1)[1:]}", escaped)


def normalise_user(name: str) -> str:
    """The canonical form MediaWiki stores: ``user:ana_b`` and ``Ana B`` are one account."""
    name = " ".join(str(name).replace("_", " ").split())
    name = _USER_PREFIX.sub("", name)
    first = name[:1].upper()
    return (first if len(first) == 1 else name[:1]) + name[1:]


def valid_user_name(name: str) -> bool:
    """Whether ``name`` (already normalised) can be a registered account.

    Stricter than nothing, looser than MediaWiki: what matters here is that a
    link to the user page cannot carry markup and that IP addresses, which
    cannot own a profile, are refused.
    """
    if not name or name != name.strip() or name.startswith(":") or name in {".", ".."}:
        return False
    if len(name.encode("utf-8", "surrogatepass")) > _MAX_NAME_BYTES:
        return False
    if _BAD_NAME_CHARS.search(name) or _BAD_NAME_PATTERNS.search(name):
        return False
    if any(not _keep(ch) for ch in name) or "  " in name or "_" in name:
        return False
    return not _is_ip(name)


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def user_link(name: str) -> str:
    """``[[User:Name|Name]]`` for a valid account name, else the escaped text."""
    canonical = normalise_user(name)
    if not valid_user_name(canonical):
        return escape(name)
    return f"[[User:{canonical}|{escape(canonical)}]]"


def page_link(title: str, label: str | None = None) -> str:
    """A link to a page the wiki gave us; the leading colon keeps a category or
    file title from categorising or embedding instead of linking."""
    clean = " ".join(str(title).replace("_", " ").split())
    if not clean or clean.startswith(":") or any(not _keep(ch) for ch in clean):
        return escape(title)
    if _BAD_TITLE_CHARS.search(clean) or _BAD_NAME_PATTERNS.search(clean) or "://" in clean:
        return escape(title)
    return f"[[:{clean}|{escape(label if label is not None else clean)}]]"


def render_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    sortable: bool = True,
    caption: str | None = None,
    css_class: str = "wikitable",
) -> str:
    """A wikitable, one cell per line so that a cell can never swallow the next.

    Cells, headers and caption must already be safe wikitext; a newline in one
    is folded into a space because a new line inside a cell could start table
    syntax.  A row of the wrong length is a bug in the caller, hence ValueError.
    """
    classes = " ".join(c for c in (css_class, "sortable" if sortable else "") if c)
    lines = [f'{{| class="{classes}"' if classes else "{|"]
    if caption:
        lines.append(f"|+ {_one_line(caption)}")
    lines.append("|-")
    lines.extend(f"! {_one_line(h)}" for h in headers)
    for row in rows:
        if len(row) != len(headers):
            raise ValueError(f"row has {len(row)} cells, the table {len(headers)} columns")
        lines.append("|-")
        lines.extend(f"| {_one_line(c)}" if c else "|" for c in row)
    lines.append("|}")
    return "\n".join(lines)


def _one_line(cell: str) -> str:
    return " ".join(cell.split("\n")).strip()


SKILL_TEMPLATE = "Let's Connect/Skill"
#: Skill ids are lowercase-kebab (the taxonomy enforces it); anything else is
#: shown as text rather than passed to a template.
_SAFE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def skill(skill_id: str) -> str:
    """The skill as a template that shows its label in the reader's language."""
    if _SAFE_ID.match(skill_id):
        return f"{{{{{SKILL_TEMPLATE}|{skill_id}}}}}"
    return escape(skill_id)
