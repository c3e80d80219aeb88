"""What the jobs use of the wiki, as a protocol: the real wiki and its in-memory twin.

:class:`bot.wiki.pages.Wiki` talks to MediaWiki through Pywikibot;
:class:`bot.wiki.memory.MemoryWiki` keeps pages in memory and behaves like it
where the jobs care (revisions, base-revision conflicts, missing pages, blocked
users, the page size limit, ``-simulate``, no-op edits), so that a job's logic
can be tested in milliseconds.  A job sees only this protocol
(``Context.wiki``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol, TypedDict

from bot.model import PageData, Revision, TalkPage
from bot.wiki.edits import Counters


class Account(TypedDict):
    """What the wiki says of one user name."""

    missing: bool  # no such account (also true for a name that cannot be one)
    invalid: bool  # not a valid user name at all
    blocked: bool
    gender: str  # "male", "female" or "unknown"


class Change(TypedDict):
    """One entry of Recent changes."""

    kind: str  # "edit", "new" or "log"
    title: str
    revid: int  # the new revision (0 for a log entry)
    timestamp: str  # as the wiki writes it: 2026-12-02T06:32:04Z
    user: str
    log: str  # the log's type ("delete", "move", ...), "" for an edit
    target: str  # where a page was moved to, else ""


@dataclass(frozen=True)
class Look:
    """A job's first look at the wiki: its state page, what changed lately, the wiki's
    clock and the bot's notes to itself, from one request."""

    page: PageData
    changes: tuple[Change, ...] = ()  # newest first
    clock: str = ""
    notes: dict[str, str] = field(default_factory=dict)


def nothing_older(page: PageData) -> str:
    """The default horizon of :meth:`WikiProtocol.read_with_changes`: every change back to
    ``since`` is wanted."""
    return ""


class WikiProtocol(Protocol):
    """One wiki, one run: what a job reads and writes.

    Writes are based on the revision this run read: a page must be read (or
    listed with its text) in the run before it is saved, and a person's edit in
    between is merged or refused as :class:`bot.wiki.errors.EditConflict`.
    """

    #: What the run did: pages read, changed, unchanged, skipped, and notes.
    counters: Counters
    #: ``-simulate``: show what would change, save nothing.
    simulate: bool
    #: User names the wiki refused as invalid in this run (to be reported).
    refused: set[str]
    #: Where ``-simulate`` shows what would be saved.
    out: Callable[[str], None]

    @property
    def username(self) -> str:
        """The bot's account name."""

    @property
    def max_bytes(self) -> int:
        """The most bytes the bot puts in one page (the wiki's limit less some room)."""

    def claim(self) -> None:
        """Make sure this run may write now (the lease); raises when it may not."""

    # ---------------------------------------------------------------- reading

    def normalise(self, title: str) -> str:
        """The title as the wiki spells it (first letter, spaces, namespace name)."""

    def read(self, titles: Iterable[str]) -> dict[str, PageData]:
        """The latest revision of each page, by normalised title; missing pages too."""

    def read_json(self, title: str) -> dict[str, Any]:
        """A JSON page's data ({} when missing or not a JSON object), its parts joined."""

    def json_of(self, page: PageData) -> dict[str, Any]:
        """The data of a JSON page already read; the parts of a large one are read and
        joined (``save_json`` cuts a value too large for one page into parts)."""

    def embedded_in(self, template: str, namespaces: Iterable[int], expected: int = 0,
                    owner_of: Callable[[str], str | None] | None = None,
                    known: Iterable[str] = ()) -> list[PageData]:
        """Every page in ``namespaces`` that uses ``template``, with its latest revision;
        the accounts ``owner_of`` names for each title (and for the ``known`` titles) are
        asked about alongside, so that :meth:`users` finds them answered."""

    def read_with_changes(self, title: str, namespaces: Iterable[int], window: timedelta,
                          horizon: Callable[[PageData], str] = nothing_older) -> Look:
        """A page and the changes in ``namespaces`` over the last ``window`` (or only back
        to ``horizon(page)``), in one request."""

    def uses_template(self, titles: Iterable[str], template: str) -> set[str]:
        """Which of ``titles`` transclude ``template``."""

    def note(self, name: str, value: str) -> bool:
        """Keep a note for the bot's next runs without an edit (False: not kept)."""

    def first_revid(self, title: str) -> int:
        """The revision of a page when this run first read it (0: missing, not read)."""

    def revisions_by(self, wanted: Mapping[str, set[str]], namespaces: Iterable[int]
                     ) -> dict[str, list[Revision]]:
        """For each page, the newest revision by each of the given users, newest first."""

    def users(self, names: Iterable[str]) -> dict[str, Account]:
        """What the wiki says of each user name."""

    def missing(self, titles: Iterable[str]) -> set[str]:
        """The titles (as given) the wiki has no page for."""

    def check_shutoff(self, title: str, *, again: bool = False) -> None:
        """Raise ShutoffError when the shutoff page has text (``again``: read it anew)."""

    def revid(self, title: str) -> int:
        """The latest revision id this run knows for a page (0: none)."""

    # ---------------------------------------------------------------- writing

    def save(self, title: str, text: str, summary: str, *, content_model: str | None = None,
             minor: bool = True) -> bool:
        """Save ``text`` unless it is what was read; True when an edit was made (or, with
        ``simulate``, would be)."""

    def update(self, title: str, change: Callable[[str], str], summary: str, *,
               watch: Callable[[str], str | None] | None = None, attempts: int = 3) -> bool:
        """Save ``change(current text)``, reading again when someone edits in between."""

    def save_json(self, title: str, value: dict[str, Any], summary: str,
                  ignore: tuple[str, ...] = ()) -> bool:
        """Save a JSON page unless its data (less ``ignore``) is already there; a value too
        large for one page goes into parts that :meth:`read_json` joins."""

    def purge(self, titles: Iterable[str], batch: int = 50) -> None:
        """Have the pages parsed again and their links updated (no edit)."""

    # ------------------------------------------------------------- talk pages

    def check_not_blocked(self) -> None:
        """Raise BotBlocked when the bot's account is blocked."""

    def talk_pages(self, users: Iterable[str], category: str) -> dict[str, TalkPage]:
        """The users' talk pages (renames followed), by user name as given; ``category``:
        the opt-out category, listed in ``categories`` when the page is in it."""

    def recheck_talk(self, shutoff_title: str, asked: str, category: str
                     ) -> tuple[TalkPage, str]:
        """Just before a notice: stop on the shutoff page or a block, else the talk page as
        it is now and the wiki's clock (for the edit)."""

    def recheck_talks(self, shutoff_title: str, asked: Sequence[str], category: str
                      ) -> tuple[dict[str, TalkPage], str]:
        """:meth:`recheck_talk` for a batch of talk pages (by title as asked), one request."""

    def post_talk(self, talk_page: TalkPage, text: str, summary: str, started: str,
                  landed_if: str = "") -> int:
        """Save ``text`` as the talk page's new text (not minor); the new revision id."""
