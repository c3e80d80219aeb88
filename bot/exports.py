"""JSON exports, and the bot's state pages, that fit in a wiki page.

A page holds at most 2 MiB on Wikimedia wikis, and MediaWiki stores JSON pages
pretty-printed, so a directory of thousands of participants does not fit in
one page.  A large export is cut into parts: the main page keeps everything
but the long list and names its parts; each part holds a slice of the list.
One item too large for a part on its own (a participant who lists thousands of
languages) keeps the first values of its long lists and says how many it left out.

The bot's own state pages grow with the program too (the notices sent to 5,000
participants are more than 2 MiB).  They are cut by :func:`split_collections`
and put together by :func:`join_collections`; the wiki edge does both whenever it
saves or reads a JSON page (``bot.wiki.edits``), so no job has to think of it.
"""

from __future__ import annotations

import json
import zlib
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


# ------------------------------------------------------------------ state pages in parts

#: The key of a JSON page whose collections continue on other pages: their titles, in order.
#: (Exports name their parts "parts"; state pages are read only by the bot.)
CONTINUED = "continued_on"
#: A collection smaller than this share of a part stays on the page that names the parts.
SMALL_SHARE = 16

Path = tuple[str, ...]


def split_collections(
    value: dict[str, JSON],
    part_titles: Callable[[int], str],
    max_bytes: int = MAX_PAGE_BYTES,
) -> tuple[dict[str, JSON], dict[str, dict[str, JSON]]]:
    """Return (head, {part title: part}) for a value too large for one page; no parts when
    it fits.  Its large collections, however deep (the notices sent; the groups of each
    round), go into parts, each part saying where it belongs; the head keeps the rest and
    names the parts under :data:`CONTINUED`.

    A list is cut in order, so a list that grows at its end changes its last part only.  A
    dict's entries go to the part their key's checksum picks, so an entry added or changed
    alters one part: a run saves one or two pages, not all of them."""
    if _size(value) <= max_bytes:
        return value, {}
    budget = max_bytes - 1000  # a part's own keys
    head: dict[str, JSON] = {}
    chunks: list[dict[str, JSON]] = []
    for path, kept in _spread(value, (), budget // SMALL_SHARE, head):
        for chunk in _list_chunks(kept, budget) if isinstance(kept, list) else \
                _dict_chunks(kept, budget):
            chunks.append({"path": list(path), **chunk})
    parts = {part_titles(n): {"part": n, **chunk} for n, chunk in enumerate(chunks, start=1)}
    return {**head, CONTINUED: list(parts)}, parts


def _spread(node: dict[str, JSON], path: Path, small: int, head: dict[str, JSON]
            ) -> list[tuple[Path, dict[str, JSON] | list[JSON]]]:
    """The collections of ``node`` larger than ``small`` bytes, by path; what stays on the
    head page goes into ``head``.  A large dict is looked into: its large values are
    collections of their own, its other entries one collection together."""
    found: list[tuple[Path, dict[str, JSON] | list[JSON]]] = []
    rest: dict[str, JSON] = {}
    for key, kept in node.items():
        if isinstance(kept, list) and _size(kept) > small:
            found.append(((*path, key), kept))
        elif isinstance(kept, dict) and _size(kept) > small:
            inner: dict[str, JSON] = {}
            found += _spread(kept, (*path, key), small, inner)
            head[key] = inner
        else:
            rest[key] = kept
    if path and _size(rest) > small:
        found.append((path, rest))
    else:
        head.update(rest)
    return found


def _list_chunks(items: list[JSON], budget: int) -> list[dict[str, JSON]]:
    chunks: list[list[JSON]] = [[]]
    used = 0
    for item in items:
        size = _size({"items": [item]})  # measured at the depth it is stored
        if chunks[-1] and used + size > budget:
            chunks.append([])
            used = 0
        chunks[-1].append(item)
        used += size
    return [{"items": chunk} for chunk in chunks]


def _dict_chunks(entries: dict[str, JSON], budget: int) -> list[dict[str, JSON]]:
    sized = [(name, item, _size({"entries": {name: item}}), zlib.crc32(name.encode("utf-8")))
             for name, item in entries.items()]
    count = max(1, -(-sum(size for _, _, size, _ in sized) // budget))
    while count < len(sized):
        used = [0] * count
        for _, _, size, checksum in sized:
            used[checksum % count] += size
        if max(used) <= budget:
            break
        count += 1
    buckets: list[dict[str, JSON]] = [{} for _ in range(count)]
    for name, item, _, checksum in sized:
        buckets[checksum % count][name] = item
    return [{"entries": bucket} for bucket in buckets]


def join_collections(head: dict[str, JSON], parts: list[dict[str, JSON]]) -> dict[str, JSON]:
    """The value that :func:`split_collections` cut into ``head`` and ``parts``.

    The lists of a state are lists of distinct records (the sections posted, a round's
    groups): an item found in two parts is kept once.  So parts left by a run that stopped
    between saving its parts and its head, newer than the head, join without loss: what the
    bot remembers is never lost, and older entries may come back until pruned again.  A
    part that does not say where it belongs is left out."""
    value = {k: v for k, v in head.items() if k != CONTINUED}
    earlier: dict[tuple[str, ...], set[str]] = {}
    for part in parts:
        path = part.get("path")
        if not isinstance(path, list) or not path or not all(isinstance(p, str) for p in path):
            continue
        where: dict[str, JSON] = value
        for key in path[:-1]:
            inner = where.setdefault(str(key), {})
            if not isinstance(inner, dict):
                break
            where = inner
        else:
            _join_part(where, str(path[-1]), part, earlier.setdefault(tuple(map(str, path)), set()))
    return value


def _join_part(where: dict[str, JSON], key: str, part: dict[str, JSON], earlier: set[str]
               ) -> None:
    """Put one part's entries or items in place; ``earlier``: the items of the list that
    earlier parts held (as JSON), to which this part's are added."""
    entries, items = part.get("entries"), part.get("items")
    if isinstance(entries, dict):
        target = where.setdefault(key, {})
        if isinstance(target, dict):
            target.update(entries)
    elif isinstance(items, list):
        listed = where.setdefault(key, [])
        if not isinstance(listed, list):
            return
        texts = [json.dumps(item, ensure_ascii=False, sort_keys=True) for item in items]
        listed.extend(item for item, text in zip(items, texts, strict=True) if text not in earlier)
        earlier.update(texts)
