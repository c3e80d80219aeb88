"""Generated sections: the only part of a page the bot ever rewrites.

A section sits between ``{{Let's Connect/Start|NAME}}`` and
``{{Let's Connect/End|NAME}}``.  Text outside is never changed.  A start
marker without its end marker means a human cut the page in a way the bot
cannot repair safely (it would swallow the rest of the page), so the write is
refused and reported instead, as ListeriaBot does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


class MarkerError(Exception):
    """The markers on a page are broken; the message says how to repair them."""


@dataclass(frozen=True)
class Markers:
    """The two marker templates, as full titles or bare names."""

    start: str
    end: str


def _name_pattern(title: str) -> str:
    """A regex for a template name as people write it: case of the first
    letter, spaces or underscores, optional ``Template:`` prefix."""
    name = title.split(":", 1)[1] if title.lower().startswith("template:") else title
    first, rest = name[0], name[1:]
    parts = [re.escape(c) if c not in " _" else "[ _]+" for c in rest]
    return (
        r"(?:[Tt]emplate[ _]*:[ _]*)?"
        + f"[{re.escape(first.upper())}{re.escape(first.lower())}]"
        + "".join(parts)
    )


def _marker_re(title: str, section: str) -> re.Pattern[str]:
    return re.compile(
        r"\{\{[ _]*" + _name_pattern(title) + r"[ _]*\|[ _]*" + re.escape(section) + r"[ _]*\}\}"
    )


def marker(title: str, section: str) -> str:
    name = title.split(":", 1)[1] if title.lower().startswith("template:") else title
    return f"{{{{{name}|{section}}}}}"


def find_section(text: str, section: str, markers: Markers) -> tuple[int, int] | None:
    """Return (start, end) of the content between the markers, or None if absent.

    Raises MarkerError when the markers are there but cannot be trusted.
    """
    starts = list(_marker_re(markers.start, section).finditer(text))
    ends = list(_marker_re(markers.end, section).finditer(text))
    if not starts and not ends:
        return None
    if len(starts) > 1 or len(ends) > 1:
        raise MarkerError(
            f"the section '{section}' has {len(starts)} start and {len(ends)} end markers; "
            "keep exactly one of each"
        )
    if not starts:
        raise MarkerError(f"the section '{section}' has an end marker but no start marker")
    if not ends:
        raise MarkerError(
            f"the section '{section}' has a start marker but no end marker; add "
            f"{marker(markers.end, section)} where the generated text should stop"
        )
    if ends[0].start() < starts[0].end():
        raise MarkerError(f"the end marker of section '{section}' comes before its start marker")
    return starts[0].end(), ends[0].start()


def read_section(text: str, section: str, markers: Markers) -> str | None:
    span = find_section(text, section, markers)
    if span is None:
        return None
    return text[span[0] : span[1]].strip("\n")


def replace_section(text: str, section: str, content: str, markers: Markers) -> str:
    """Put ``content`` between the section's markers.

    A page without the section gets it appended at the end, so a page the
    working group prepared (intro, navigation) keeps all of its text.
    """
    body = "\n" + content.strip("\n") + "\n"
    span = find_section(text, section, markers)
    if span is None:
        block = marker(markers.start, section) + body + marker(markers.end, section)
        if not text.strip():
            return block + "\n"
        return text.rstrip("\n") + "\n\n" + block + "\n"
    start, end = span
    return text[:start] + body + text[end:]
