"""A time limit on reading one page's wikitext.

mwparserfromhell takes time that grows with the square of the length for markup
that never closes (``{{x|``, ``<span ``, ``[http://x `` repeated: 16 kB of
``{{x|`` take seconds, 80 kB minutes).  Anyone can save such a page where a
job reads it, and every job reads every profile.  So a large text is first
read by a separate process with a time limit; only a text that was read in time
is read again here (what the first reading shows is what the second finds).  A
text that was not is :class:`Unreadable`: the caller reports it and goes on.

Small texts, the usual case, are read directly: under :data:`GUARD_ABOVE`
characters no markup costs more than a fraction of a second.  The answer for
each text is remembered, so a page read several times in a run is tried once.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys

#: Texts shorter than this are read without a guard.
GUARD_ABOVE = 6_000
#: Seconds one text may take to read.
TIME_LIMIT = 5.0
#: The trial reading: a fresh interpreter with nothing but the parser.
_TRIAL = "import sys, mwparserfromhell; mwparserfromhell.parse(sys.stdin.read())"

_verdicts: dict[str, bool] = {}


class Unreadable(ValueError):
    """A text whose markup takes longer to read than :data:`TIME_LIMIT`."""


def _reads_in_time(text: str) -> bool:
    try:
        done = subprocess.run([sys.executable, "-c", _TRIAL], input=text.encode("utf-8", "replace"),
                              capture_output=True, timeout=TIME_LIMIT, check=False)
    except subprocess.TimeoutExpired:  # subprocess.run has killed it
        return False
    return done.returncode == 0


def check_readable(text: str) -> None:
    """Raise :class:`Unreadable` when ``text`` cannot be read within the time limit."""
    if len(text) < GUARD_ABOVE:
        return
    key = hashlib.sha1(text.encode("utf-8", "replace")).hexdigest()
    if key not in _verdicts:
        _verdicts[key] = _reads_in_time(text)
    if not _verdicts[key]:
        raise Unreadable(
            f"the page's markup takes more than {TIME_LIMIT:g} seconds to read (markup that "
            "is opened and never closed, such as “{{”, “<span” or “[http”, many times over)"
        )
