"""How much one entry may put on a generated page or in a notice, and the last fit check.

A participant decides how long their own entry is: a profile may list 8,000
skills the program does not know, or quote a whole article in one value.
Unbounded, each of those becomes a row of the problems page and a line of a
notice, the page grows past what the wiki accepts (``$wgMaxArticleSize``,
2048 KiB on Wikimedia wikis), the edit is refused and the job stops on every
run.  So:

* a page or a notice lists at most :data:`PER_ENTRY` problems of one entry and
  then says how many more there are (the owner fixes those, saves, and sees
  the rest);
* a participant's text quoted in a problem is cut to :data:`QUOTE_CHARS`;
* before a generated section is saved, the whole page is measured; when it
  would still be too big (people's text around it, a very large program),
  whole lines are dropped at the end of the section, tables left open are
  closed, and a visible note says how many lines were left out and why.

Pure: text in, text out; the wiki's limit comes from
``bot.wiki.pages.max_page_bytes``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace

from bot.model import Problem

#: Problems of one entry listed on a page or in a notice; the rest are counted.
PER_ENTRY = 20
#: The longest piece of a participant's text quoted in a problem.
QUOTE_CHARS = 200
#: The longest problem message (its quote already cut): a bound whatever the message.
MESSAGE_CHARS = 1000
#: MediaWiki's default ``$wgMaxArticleSize`` (2048 KiB), for a wiki that does not say.
DEFAULT_MAX_BYTES = 2048 * 1024
#: Room kept under the wiki's limit for what MediaWiki adds when it saves (signatures).
HEADROOM = 8 * 1024

_CUT = "…"


def byte_size(text: str) -> int:
    """The size MediaWiki measures: UTF-8 bytes (a lone surrogate counts as three)."""
    return len(text.encode("utf-8", "surrogatepass"))


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, with "…" when something was cut."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + _CUT


def brief(problem: Problem) -> Problem:
    """The problem with the participant's text in it cut to :data:`QUOTE_CHARS`: a single
    value as long as a page must not make a row or a notice line as long as a page.  The
    English message and the parameters the message is told with in other languages alike."""
    value = shorten(problem.value, QUOTE_CHARS)
    field = shorten(problem.field, QUOTE_CHARS)
    message = problem.message
    if value != problem.value:
        message = message.replace(problem.value, value)
    if field != problem.field:
        message = message.replace(problem.field, field)
    message = shorten(message, MESSAGE_CHARS)
    cut = {problem.value: value, problem.field: field}
    params = tuple(cut.get(p, p) if isinstance(p, str) else p for p in problem.params)
    if (value, field, message, params) == (problem.value, problem.field, problem.message,
                                           problem.params):
        return problem
    return replace(problem, value=value, field=field, message=message, params=params)


def per_entry(problems: Iterable[Problem], limit: int = PER_ENTRY) -> list[tuple[Problem, int]]:
    """The problems in their order, at most ``limit`` of each entry (page and owner), each
    shortened by :func:`brief`.  With the last one listed of an entry that has more goes how
    many more it has (0 with every other), so that a line can say so right after it."""
    problems = list(problems)
    totals = Counter((p.page, p.user) for p in problems)
    seen: Counter[tuple[str, str]] = Counter()
    listed: list[tuple[Problem, int]] = []
    for problem in problems:
        entry = (problem.page, problem.user)
        seen[entry] += 1
        if seen[entry] > limit:
            continue
        more = totals[entry] - limit if seen[entry] == limit else 0
        listed.append((brief(problem), max(more, 0)))
    return listed


# --- the last check before a save -----------------------------------------------------------


def left_out_note(count: int, limit: int) -> str:
    """The visible note at the end of a section cut short."""
    lines = "line" if count == 1 else "lines"
    return (f"''{count:,} more {lines} of this list were left out here: with them, this page "
            f"would be larger than the wiki allows ({limit // 1024:,} KiB). They come back "
            "when the page gets shorter.''")


def _cut_points(lines: list[str]) -> tuple[list[tuple[int, int, int]], list[int]]:
    """Where a section may be cut: before a line outside any table, or before a row (``|-``)
    or the end (``|}``) of one, never inside a row.  Returns (index, bytes kept before it,
    tables open there) for each such place, and for each line whether it counts as one
    line of the list for the note (a table row counts once, not once per cell)."""
    points: list[tuple[int, int, int]] = []
    counts: list[int] = []
    depth = used = 0
    for index, line in enumerate(lines):
        start = line.lstrip()
        if depth == 0 or start.startswith(("|-", "|}")):
            points.append((index, used, depth))
        counts.append(int(start.startswith("|-") or (depth == 0 and bool(start)
                                                     and not start.startswith(("{|", "|}")))))
        if start.startswith("{|"):
            depth += 1
        elif start.startswith("|}") and depth:
            depth -= 1
        used += byte_size(line) + 1
    return points, counts


def fit_lines(content: str, budget: int, note: Callable[[int], str]) -> tuple[str, int] | None:
    """``content`` when it takes at most ``budget`` bytes; else its first whole lines, every
    table left open closed, and ``note(n)`` saying that n lines were left out: ``(text, n)``.
    None when not even the note fits."""
    if byte_size(content) <= budget:
        return content, 0
    lines = content.rstrip("\n").split("\n")
    points, counts = _cut_points(lines)
    after = [0] * (len(lines) + 1)  # after[i]: lines of the list from line i on
    for index in range(len(lines) - 1, -1, -1):
        after[index] = after[index + 1] + counts[index]
    for index, kept, open_tables in reversed(points):
        tail = ["|}"] * open_tables + [note(after[index])]
        if kept + byte_size("\n".join(tail)) <= budget:
            return "\n".join([*lines[:index], *tail]), after[index]
    return None
