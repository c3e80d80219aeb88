"""JSON exports that fit in a wiki page.

A page holds at most 2 MiB on Wikimedia wikis, and MediaWiki stores JSON pages
pretty-printed, so a directory of thousands of participants does not fit in
one page.  A large export is cut into parts: the main page keeps everything
but the long list and names its parts; each part holds a slice of the list.
One item too large for a part on its own (a participant who lists thousands of
languages) keeps the first values of its long lists and says how many it left out.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import cast

from bot.model import JSON

#: Leave room under the 2 MiB page limit for MediaWiki's own pretty-printing.
MAX_PAGE_BYTES = 1_500_000


def _size(value: JSON) -> int:
    return len(json.dumps(value, ensure_ascii=False, indent=4).encode("utf-8"))


def split_export(
    value: dict[str, JSON],
    list_key: str,
    part_titles: Callable[[int], str],
    max_bytes: int = MAX_PAGE_BYTES,
) -> tuple[dict[str, JSON], dict[str, dict[str, JSON]]]:
    """Return (main page value, {part title: part value}); no parts when it fits.

    ``part_titles(n)`` names the n-th part (1-based), so callers choose titles.
    """
    if _size(value) <= max_bytes:
        return value, {}
    items = cast(list[JSON], value[list_key])  # ``list_key`` names a list
    chunks: list[list[JSON]] = [[]]
    budget = max_bytes - 200  # the part's own keys
    used = 0
    for item in items:
        item = _fit_item(item, list_key, budget)
        size = _size({list_key: [item]})  # measured at the depth it will be stored
        if chunks[-1] and used + size > budget:
            chunks.append([])
            used = 0
        chunks[-1].append(item)
        used += size
    parts: dict[str, dict[str, JSON]] = {
        part_titles(n): {"schema": value.get("schema", 1), "part": n, list_key: chunk}
        for n, chunk in enumerate(chunks, start=1)
    }
    head = {k: v for k, v in value.items() if k != list_key}
    head["parts"] = list(parts)
    head[f"{list_key}_count"] = len(items)
    return head, parts


def _fit_item(item: JSON, list_key: str, budget: int) -> JSON:
    """An item that alone would not fit in a part, with its longest lists cut to their first
    values and ``<list>_left_out`` saying how many were left out: one participant listing
    every language there is must not make a part too big to save.  Others are unchanged."""
    if not isinstance(item, dict) or _size({list_key: [item]}) <= budget:
        return item
    item = dict(item)
    lists = [k for k, v in item.items() if isinstance(v, list)]
    for key in sorted(lists, key=lambda k: -_size(item[k])):
        values = cast(list[JSON], item[key])  # one of ``lists``
        keep = len(values)
        while keep and _size({list_key: [item]}) > budget:
            keep //= 2
            item[key] = values[:keep]
            item[f"{key}_left_out"] = len(values) - keep
        if _size({list_key: [item]}) <= budget:
            break
    return item
