"""The rules of a careful edit, shared by the real wiki and its in-memory twin.

:class:`Edits` keeps what a run read (the base of its next edit) and holds
every rule of a good bot citizen that does not depend on how the wiki is
reached: no no-op edits, the edit cap, ``{{bots}}``/``{{nobots}}``,
``-simulate``, the lease before every edit, JSON compared as data, and a
person's edit between the read and the write merged or read again.  A wiki
(:class:`bot.wiki.pages.Wiki`, :class:`bot.wiki.memory.MemoryWiki`) supplies the
reads and the one edit request.
"""

from __future__ import annotations

import json
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from typing import Any

from bot.exports import CONTINUED, MAX_PAGE_BYTES, join_collections, split_collections
from bot.limits import DEFAULT_MAX_BYTES, HEADROOM, byte_size
from bot.model import PageData
from bot.wiki.errors import EditConflict, PageTooBig, shutoff


@dataclass
class Known:
    """A page as this run last saw it: the base of its next edit."""

    exists: bool
    text: str
    revid: int
    timestamp: str
    #: When a missing page was found missing: the ``starttimestamp`` of its creation, so
    #: that a page created, or created and deleted, in between is not overwritten.
    read_at: str = ""
    #: When this run read it (``time.monotonic()``); 0 for what the run saved itself.
    seen: float = 0.0


#: A page read this many seconds ago counts as read "just now" (the shutoff page and the
#: lease read in the batch just before the first edit need not be read again).
JUST_NOW = 15.0


def now_stamp(moment: datetime | None = None) -> str:
    """A time (now by default) as the wiki writes it: 2026-12-02T06:32:04Z."""
    return (moment or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Counters:
    """What a run did, for its last line."""

    read: int = 0
    changed: int = 0
    unchanged: int = 0
    skipped: int = 0
    notes: list[str] = field(default_factory=list)


def allowed_bytes(max_article_size: int) -> int:
    """The most bytes the bot puts in one page of a wiki whose limit is ``max_article_size``
    (``$wgMaxArticleSize`` in bytes; 0 or less: not said, 2048 KiB): a little room is left
    for what MediaWiki adds on save."""
    return (max_article_size if max_article_size > 0 else DEFAULT_MAX_BYTES) - HEADROOM


def check_talk_size(title: str, text: str, limit: int) -> None:
    """Refuse, before sending anything, a talk page the new section would make larger than
    the wiki accepts: the edit would be refused (``contenttoobig``) on every run."""
    size = byte_size(text)
    if size > limit:
        raise PageTooBig(
            f"[[{title}]] is too long for a new notice: with it the page would have "
            f"{size // 1024:,} KiB, and the wiki takes at most {(limit + HEADROOM) // 1024:,} "
            "KiB; nothing was posted, and the notices wait until the page is archived or "
            "made shorter"
        )


class Edits(ABC):
    """One run's writes: remembers what it read so that writes carry the base revision."""

    def __init__(self, *, simulate: bool, max_edits: int,
                 out: Callable[[str], None]) -> None:
        self.simulate = simulate
        self.max_edits = max_edits
        self.out = out
        self.counters = Counters()
        self._known: dict[str, Known] = {}
        self._first_revid: dict[str, int] = {}  # the revision of each page first read
        self._merged: set[str] = set()  # pages whose last edit the wiki merged with another
        self._shutoff_checked = False
        #: User names the wiki refused as invalid in this run (to be reported, not asked).
        self.refused: set[str] = set()
        #: Called before every edit this run makes (the job's lease), or None.
        self.before_write: Callable[[], None] | None = None

    # ------------------------------------------------------- what a wiki supplies

    @abstractmethod
    def normalise(self, title: str) -> str: ...

    @property
    @abstractmethod
    def max_bytes(self) -> int:
        """The most bytes the bot puts in one page (the wiki's limit less some room)."""

    @abstractmethod
    def read(self, titles: Iterable[str]) -> dict[str, PageData]: ...

    @abstractmethod
    def _bots_may_edit(self, key: str) -> bool:
        """Whether the page read as ``key`` lets this bot edit it ({{bots}}, {{nobots}})."""

    @abstractmethod
    def _show_diff(self, old: str, new: str) -> None: ...

    @abstractmethod
    def _fresh_text(self, title: str) -> str:
        """The page's text as it is now, never from what the run read ("" when missing)."""

    @abstractmethod
    def _edit(self, key: str, known: Known, text: str, summary: str, model: str | None,
              minor: bool) -> None:
        """One edit with ``known`` as its base; updates ``_known`` (and ``_merged`` when the
        wiki merged the edit with another); raises EditConflict or SaveRefused."""

    def _seen(self, key: str, known: Known) -> None:
        """Remember a page as just read (not as saved by this run)."""
        self._known[key] = replace(known, seen=time.monotonic())
        self._first_revid.setdefault(key, known.revid)

    def first_revid(self, title: str) -> int:
        """The revision of the page when this run first read it (0: missing or not read):
        what the run's view is based on, whatever it read or saved later."""
        return self._first_revid.get(self.normalise(title), 0)

    def just_read(self, title: str) -> Known | None:
        """The page as a read of the last few seconds found it (None: not read so lately);
        what the lease and the shutoff check may use instead of a request of their own."""
        known = self._known.get(self.normalise(title))
        if known is None or not known.seen or time.monotonic() - known.seen > JUST_NOW:
            return None
        return known

    def peek(self, title: str) -> tuple[int, str] | None:
        """A page's revision and text as a read of the last few seconds found it, or None."""
        known = self.just_read(title)
        return (known.revid, known.text) if known is not None else None

    # ---------------------------------------------------------------- the rules

    def claim(self) -> None:
        """Make sure this run may write now (the lease); raises when it may not."""
        if self.before_write is not None and not self.simulate:
            self.before_write()

    def check_shutoff(self, title: str, *, again: bool = False) -> None:
        """Stop when the shutoff page has any text: read fresh, or in the batch the job read
        just before (its pages to write, read with the shutoff page in one request)."""
        if self._shutoff_checked and not again:
            return
        recent = None if again else self.just_read(title)
        text = recent.text if recent is not None else self._fresh_text(title)
        if text.strip():
            raise shutoff(title)
        self._shutoff_checked = True

    def save(
        self,
        title: str,
        text: str,
        summary: str,
        *,
        content_model: str | None = None,
        minor: bool = True,
    ) -> bool:
        """Save ``text`` if it differs from what we read; return True when an edit was made.

        The page must have been read in this run: the revision read is the base
        of the edit, so a person's edit in between is either merged by MediaWiki
        (recorded, see :meth:`update`) or refused as an :class:`EditConflict`.
        """
        key = self.normalise(title)
        known = self._known.get(key)
        if known is None:
            raise RuntimeError(f"save() of [[{title}]] without reading it first")
        old = known.text if known.exists else ""
        if known.exists and old == text:
            self.counters.unchanged += 1
            return False
        if self.max_edits and self.counters.changed >= self.max_edits:
            self.counters.skipped += 1
            self.counters.notes.append(f"edit cap reached: [[{title}]] not saved")
            return False
        if known.exists and not self._bots_may_edit(key):
            self.counters.skipped += 1
            self.counters.notes.append(f"[[{title}]] asks bots to stay away ({{{{bots}}}})")
            return False
        if self.simulate:
            self.out(f"\n--- would save [[{key}]] ({summary})")
            self._show_diff(old, text)
            self.counters.changed += 1
            return True
        self.claim()
        self._edit(key, known, text, summary, content_model, minor)
        self.counters.changed += 1
        return True

    def update(
        self,
        title: str,
        change: Callable[[str], str],
        summary: str,
        *,
        watch: Callable[[str], str | None] | None = None,
        attempts: int = 3,
    ) -> bool:
        """Save ``change(current text)``; when someone edits the page between the read
        and the write, read it again and apply ``change`` to their text.

        MediaWiki merges an edit elsewhere on the page by itself (the person's
        text stays); an edit to the same lines is refused as a conflict.  Either
        way the page is read again, and when the part the bot owns (``watch``:
        the generated section) is not what the bot wrote, the bot writes it
        again and says so in the run's notes: a person's change there is
        replaced, never lost from the page history, and never merged blindly.
        """
        key = self.normalise(title)
        original = self._known[key].text if key in self._known else ""
        saved = False
        for attempt in range(1, attempts + 1):
            current = self._known[key].text if key in self._known else ""
            wanted = change(current)
            try:
                saved = self.save(title, wanted, summary) or saved
            except EditConflict:
                if attempt == attempts:
                    raise
            else:
                if key not in self._merged:
                    return saved
            self._merged.discard(key)
            latest = self.read([title])[key].latest
            if latest is None or change(latest.text) == latest.text:
                self.counters.notes.append(
                    f"[[{title}]] was edited while the bot was writing; MediaWiki kept both edits"
                )
                return saved
            note = (f"[[{title}]] was edited by {latest.user} (revision {latest.revid}) while "
                    "the bot was writing; read again")
            if watch is not None and watch(latest.text) != watch(original):
                note += (
                    "; that edit changed the generated part, which the bot writes again "
                    "(edit the entries, not the table: the change is in the page history)"
                )
            self.counters.notes.append(note)
        return saved

    # ------------------------------------------------------------------ JSON

    def revid(self, title: str) -> int:
        """The latest revision id we know for a page read or saved in this run (no request)."""
        known = self._known.get(self.normalise(title))
        return known.revid if known is not None else 0

    def read_json(self, title: str) -> dict[str, Any]:
        """A JSON page's data ({} when missing or unreadable), its parts joined."""
        return self.json_of(self.read([title])[self.normalise(title)])

    def json_of(self, page: PageData) -> dict[str, Any]:
        """The data of a JSON page already read ({} when missing or unreadable); when
        :meth:`save_json` cut it into parts, they are read (one request) and joined."""
        head = page_json(page)
        titles = head.get(CONTINUED)
        if not isinstance(titles, list) or not all(isinstance(t, str) for t in titles):
            return head
        found = self.read(titles)
        parts = [page_json(found[self.normalise(t)]) for t in titles]
        for part_title, part in zip(titles, parts, strict=True):
            if not part:
                self.counters.notes.append(
                    f"[[{part_title}]], a part of [[{page.title}]], is missing or unreadable: "
                    "what it held is not known to this run")
        return join_collections(head, parts)

    def save_json(
        self, title: str, value: dict[str, Any], summary: str, ignore: tuple[str, ...] = ()
    ) -> bool:
        """Save a JSON page unless its data (less the ``ignore`` keys) is already there.

        MediaWiki re-formats JSON pages, so texts are compared as data; a
        timestamp such as "generated" alone never causes an edit.  A value too
        large for one page goes into parts (``bot.exports.split_collections``): the
        parts first, each saved only when its data changed, then the page that
        names them.
        """
        head, parts = split_collections(
            value, partial(part_title, title), min(MAX_PAGE_BYTES, self.max_bytes * 3 // 4))
        unread = [t for t in parts if self.normalise(t) not in self._known]
        if unread:
            self.read(unread)
        saved = False
        for part_name, part in parts.items():
            saved = self._save_json(part_name, part, summary + " (part)", ()) or saved
        return self._save_json(title, head, summary, ignore) or saved

    def _save_json(self, title: str, value: dict[str, Any], summary: str,
                   ignore: tuple[str, ...]) -> bool:
        known = self._known.get(self.normalise(title))
        if known is not None and known.exists:
            try:
                old = json.loads(known.text)
            except json.JSONDecodeError:
                old = None
            if isinstance(old, dict) and _without(old, ignore) == _without(value, ignore):
                self.counters.unchanged += 1
                return False
        text = json.dumps(value, ensure_ascii=False, indent=1)
        return self.save(title, text, summary, content_model="json")


def part_title(title: str, number: int) -> str:
    """The title of the ``number``-th part of a JSON page: ``…/notify.json`` has its parts
    at ``…/notify/1.json`` (a user's own ``.json`` pages only the user can edit)."""
    stem, dot, _ = title.rpartition(".json")
    return f"{stem}/{number}.json" if dot else f"{title}/{number}"


def page_json(page: PageData) -> dict[str, Any]:
    """A JSON page's own data, as read ({} when missing or unreadable), parts not joined."""
    if not page.exists or not page.latest:
        return {}
    try:
        value = json.loads(page.latest.text)
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def same_text(saved: str, sent: str) -> bool:
    """Whether the wiki's copy is the text sent: MediaWiki trims trailing whitespace, and
    re-formats a JSON page (so JSON is compared as data)."""
    if saved.rstrip() == sent.rstrip():
        return True
    try:
        return bool(json.loads(saved) == json.loads(sent))
    except (json.JSONDecodeError, ValueError):
        return False


def _without(value: Mapping[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: v for k, v in value.items() if k not in keys}
