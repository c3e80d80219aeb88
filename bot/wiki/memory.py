"""The wiki in memory: a twin of :class:`bot.wiki.pages.Wiki` for testing the jobs fast.

:class:`MemoryStore` is the wiki itself (pages with their revisions, accounts,
protections, the page size limit, a clock); people edit it directly
(:meth:`MemoryStore.edit`).  :class:`MemoryWiki` is one run of the bot on it,
through the same :class:`bot.wiki.edits.Edits` rules as the real wiki, so it
behaves like the real one where the jobs care:

* every save is an edit based on the revision the run read: a page changed
  since then is merged when the two edits touch lines apart from each other
  (as MediaWiki's three-way merge does; adjacent or overlapping changes are
  not merged), else refused with :class:`EditConflict`; a page created, or
  deleted, since the run found it missing is a conflict too (``createonly``);
* a text equal to the page's is no edit (MediaWiki's "nochange"), and saved
  texts lose their trailing whitespace as on the wiki;
* protected pages, a blocked bot and texts over the size limit
  (``maxarticlesize``) are refused with :class:`SaveRefused`;
* ``-simulate`` saves nothing; ``{{bots}}``/``{{nobots}}`` keep the bot away;
* users can be missing, invalid or blocked; talk pages can redirect (a rename).

Not modelled: the API's batching and continuation, the job queue and links
tables (a page "uses" a template when its text calls it; no transclusion
through other templates), JSON re-formatting, edit summaries and flags beyond
keeping them, lost answers and resent requests, rate limits, and the lease's
page (the jobs' ``claim`` only calls ``before_write``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from bot.limits import byte_size
from bot.model import PageData, Revision, TalkPage
from bot.wiki.edits import Edits, Known, allowed_bytes, check_talk_size
from bot.wiki.errors import BotBlocked, EditConflict, SaveRefused, bot_blocked, shutoff
from bot.wiki.protocol import Account, Change, Look, nothing_older
from bot.wikitext.bots import bots_exclusion
from bot.wikitext.tables import normalise_user

#: Namespace names and numbers of Meta-Wiki that the jobs meet.
NAMESPACES: Mapping[str, int] = {
    "User": 2, "User talk": 3, "Project": 4, "File": 6, "MediaWiki": 8, "Template": 10,
    "Help": 12, "Category": 14, "Grants": 200, "Grants talk": 201, "Module": 828,
}
USER_TALK = 3
#: Characters no title, and so no user name, may hold.
ILLEGAL = frozenset("#<>[]|{}")
#: Further characters MediaWiki refuses in user names ($wgInvalidUsernameCharacters).
NOT_IN_NAMES = frozenset("@:=")
REDIRECT = re.compile(r"^\s*#REDIRECT\s*\[\[([^\]|#]+)", re.IGNORECASE)
START = datetime(2026, 1, 1, tzinfo=UTC)


class _Conflict(Exception):
    """The edit's base is not the page's latest revision, and the edits cannot be merged."""


@dataclass
class _Account:
    blocked: bool = False
    reason: str = ""
    gender: str = "unknown"


@dataclass
class MemoryStore:
    """The wiki: pages (oldest revision first), accounts, protections and a clock."""

    bot: str = "LetsConnectBot"
    #: ``$wgMaxArticleSize`` in bytes (MediaWiki's default is 2048 KiB).
    max_article_size: int = 2048 * 1024
    namespaces: Mapping[str, int] = field(default_factory=lambda: dict(NAMESPACES))
    pages: dict[str, list[Revision]] = field(default_factory=dict)
    accounts: dict[str, _Account] = field(default_factory=dict)
    protected: set[str] = field(default_factory=set)
    #: Page -> when it was last deleted.
    deleted: dict[str, str] = field(default_factory=dict)
    #: Called with the title just before each edit the bot makes: a person's edit "in
    #: between" the bot's read and its write.
    before_edit: list[Callable[[str], None]] = field(default_factory=list)
    #: When the wiki's clock starts.
    start: datetime = START
    #: The bot's notes to itself (its ``userjs-`` preferences on a real wiki).
    notes: dict[str, str] = field(default_factory=dict)
    _revid: int = 0
    _ticks: int = 0

    def __post_init__(self) -> None:
        self.accounts.setdefault(self.bot, _Account())

    # ------------------------------------------------------------------ time

    def now(self) -> str:
        """The wiki's clock: a second later at every call, so every revision has its own."""
        self._ticks += 1
        return (self.start + timedelta(seconds=self._ticks)).strftime("%Y-%m-%dT%H:%M:%SZ")

    # ----------------------------------------------------------------- titles

    def normalise(self, title: str) -> str:
        """The title as MediaWiki spells it: spaces for underscores, one space at a time,
        the namespace's own name, the first letter of the name in capitals."""
        clean = " ".join(title.replace("_", " ").split())
        prefix, colon, rest = clean.partition(":")
        if colon:
            for name in self.namespaces:
                if name.casefold() == prefix.strip().casefold():
                    return f"{name}:{_first_upper(rest.strip())}"
        return _first_upper(clean)

    def namespace(self, title: str) -> int:
        prefix, colon, _ = self.normalise(title).partition(":")
        return self.namespaces.get(prefix, 0) if colon else 0

    # ------------------------------------------------------------------ pages

    def latest(self, title: str) -> Revision | None:
        revisions = self.pages.get(self.normalise(title))
        return revisions[-1] if revisions else None

    def text(self, title: str) -> str | None:
        """The page's text now, or None when it does not exist."""
        latest = self.latest(title)
        return latest.text if latest is not None else None

    def history(self, title: str) -> list[Revision]:
        """The page's revisions, oldest first."""
        return list(self.pages.get(self.normalise(title), []))

    def edit(self, title: str, text: str, user: str = "Someone", at: str = "") -> int:
        """A person's edit (no conflict check), made now or ``at`` the time given; the page's
        latest revision id after it."""
        key = self.normalise(title)
        latest = self.latest(key)
        if latest is not None and latest.text == text.rstrip():
            return latest.revid
        return self._append(key, Revision(0, user, at, text.rstrip())).revid

    def null_edit(self, title: str, user: str) -> int:
        """A revision that keeps the text (a move, a protection, an import by ``user``): the
        text stays its writer's word."""
        key = self.normalise(title)
        latest = self.latest(key)
        if latest is None:
            raise KeyError(key)
        return self._append(key, Revision(0, user, "", latest.text, author=latest.writer,
                                          authored=latest.written)).revid

    def delete(self, title: str) -> None:
        key = self.normalise(title)
        self.pages.pop(key, None)
        self.deleted[key] = self.now()

    def _append(self, key: str, revision: Revision) -> Revision:
        self._revid += 1
        saved = replace(revision, revid=self._revid, timestamp=revision.timestamp or self.now())
        self.pages.setdefault(key, []).append(saved)
        return saved

    # --------------------------------------------------------------- accounts

    def add_user(self, name: str, *, blocked: bool = False, gender: str = "unknown") -> None:
        self.accounts[normalise_user(name)] = _Account(blocked, "", gender)

    def block(self, name: str, reason: str = "vandalism") -> None:
        account = self.accounts.setdefault(normalise_user(name), _Account())
        account.blocked, account.reason = True, reason

    def account(self, name: str) -> Account:
        if not valid_user_name(name):
            return Account(missing=True, invalid=True, blocked=False, gender="unknown")
        found = self.accounts.get(normalise_user(name))
        if found is None:
            return Account(missing=True, invalid=False, blocked=False, gender="unknown")
        return Account(missing=False, invalid=False, blocked=found.blocked, gender=found.gender)

    @property
    def bot_blocked(self) -> _Account | None:
        account = self.accounts.get(self.bot)
        return account if account is not None and account.blocked else None

    # ------------------------------------------------------------------ edits

    def save(self, key: str, text: str, base: Known) -> tuple[Revision, bool]:
        """The bot's edit of ``key`` based on ``base``: the page's latest revision after it
        (the one before when the text did not change) and whether it was merged with an
        edit made since ``base``.  Raises :class:`_Conflict`."""
        for hook in list(self.before_edit):
            hook(key)
        latest = self.latest(key)
        merged = False
        text = text.rstrip()
        if base.exists:
            if latest is None:
                raise _Conflict(key)  # deleted since
            if latest.revid != base.revid:
                mix = merge3(base.text, latest.text, text)
                if mix is None:
                    raise _Conflict(key)
                text, merged = mix, True
        elif latest is not None or self.deleted.get(key, "") >= (base.read_at or "~"):
            raise _Conflict(key)  # created, or created and deleted, since it was found missing
        if latest is not None and latest.text == text:
            return latest, merged
        return self._append(key, Revision(0, self.bot, "", text)), merged


class MemoryWiki(Edits):
    """One run of the bot on a :class:`MemoryStore`: the jobs' :class:`WikiProtocol`."""

    def __init__(self, store: MemoryStore | None = None, *, simulate: bool = False,
                 max_edits: int = 0, out: Callable[[str], None] = print) -> None:
        super().__init__(simulate=simulate, max_edits=max_edits, out=out)
        self.store = store if store is not None else MemoryStore()
        #: Titles purged in this run.
        self.purged: list[str] = []

    @property
    def username(self) -> str:
        return self.store.bot

    @property
    def max_bytes(self) -> int:
        return allowed_bytes(self.store.max_article_size)

    def normalise(self, title: str) -> str:
        return self.store.normalise(title)

    # ------------------------------------------------------------------ reads

    def _remember(self, key: str) -> PageData:
        latest = self.store.latest(key)
        if latest is None:
            self._seen(key, Known(False, "", 0, "", read_at=self.store.now()))
            return PageData(key, (), exists=False)
        self._seen(key, Known(True, latest.text, latest.revid, latest.timestamp))
        return PageData(key, (latest,))

    def read(self, titles: Iterable[str]) -> dict[str, PageData]:
        result = {}
        for key in dict.fromkeys(self.normalise(t) for t in titles):
            result[key] = self._remember(key)
            self.counters.read += 1
        return result

    def _using(self, template: str, namespaces: Iterable[int]) -> list[str]:
        wanted = set(namespaces)
        name = self.normalise(template).partition(":")[2] or self.normalise(template)
        return [title for title in sorted(self.store.pages)
                if self.store.namespace(title) in wanted
                and calls(self.store.pages[title][-1].text, name)]

    def embedded_in(self, template: str, namespaces: Iterable[int], expected: int = 0,
                    owner_of: Callable[[str], str | None] | None = None,
                    known: Iterable[str] = ()) -> list[PageData]:
        found = []
        for title in self._using(template, namespaces):
            found.append(self._remember(title))
            self.counters.read += 1
        return found

    def read_with_changes(self, title: str, namespaces: Iterable[int], window: timedelta,
                          horizon: Callable[[PageData], str] = nothing_older) -> Look:
        """The page and every revision (and deletion) in ``namespaces`` over the last
        ``window`` of the wiki's clock; no other log entries are kept in memory."""
        clock = self.store.now()
        since = (datetime.fromisoformat(clock.replace("Z", "+00:00")) - window
                 ).strftime("%Y-%m-%dT%H:%M:%SZ")
        key = self.normalise(title)
        page = self._remember(key)
        self.counters.read += 1
        wanted = set(namespaces)
        changes: list[Change] = []
        for name, revisions in self.store.pages.items():
            if self.store.namespace(name) not in wanted:
                continue
            for number, revision in enumerate(revisions):
                if revision.timestamp >= since:
                    changes.append(Change(kind="edit" if number else "new", title=name,
                                          revid=revision.revid, timestamp=revision.timestamp,
                                          user=revision.user, log="", target=""))
        for name, when in self.store.deleted.items():
            if self.store.namespace(name) in wanted and when >= since:
                changes.append(Change(kind="log", title=name, revid=0, timestamp=when,
                                      user="Someone", log="delete", target=""))
        changes.sort(key=lambda c: (c["timestamp"], c["revid"]), reverse=True)
        return Look(page=page, changes=tuple(changes), clock=clock,
                    notes=dict(self.store.notes))

    def uses_template(self, titles: Iterable[str], template: str) -> set[str]:
        name = self.normalise(template).partition(":")[2] or self.normalise(template)
        return {t for t in (self.normalise(t) for t in titles)
                if (text := self.store.text(t)) is not None and calls(text, name)}

    def note(self, name: str, value: str) -> bool:
        if self.simulate:
            return False
        self.store.notes[name] = value
        return True

    def revisions_by(self, wanted: Mapping[str, set[str]], namespaces: Iterable[int]
                     ) -> dict[str, list[Revision]]:
        shown = set(namespaces)
        facts = self.users({u for names in wanted.values() for u in names})
        self.refused |= {n for n, f in facts.items() if f["invalid"]}
        found: dict[str, list[Revision]] = {}
        for title, users in wanted.items():
            newest: dict[str, Revision] = {}
            if self.store.namespace(title) in shown:
                for revision in self.store.history(title):
                    if revision.user in users and revision.user not in self.refused:
                        newest[revision.user] = revision
            found[title] = sorted(newest.values(), key=lambda r: r.revid, reverse=True)
        return found

    def users(self, names: Iterable[str]) -> dict[str, Account]:
        info = {}
        for name in {n for n in names if n}:
            key = normalise_user(name) if valid_user_name(name) else name
            info[key] = self.store.account(name)
        return info

    def missing(self, titles: Iterable[str]) -> set[str]:
        wanted = set(titles)
        self.counters.read += len(wanted)
        return {t for t in wanted
                if ILLEGAL & set(t) or self.store.latest(self.normalise(t)) is None}

    def _fresh_text(self, title: str) -> str:
        return self.store.text(title) or ""

    def purge(self, titles: Iterable[str], batch: int = 50) -> None:
        if not self.simulate:
            self.purged += [self.normalise(t) for t in titles]

    # ----------------------------------------------------------------- writes

    def _bots_may_edit(self, key: str) -> bool:
        return bots_exclusion(self._known[key].text, (self.store.bot,), "") is None

    def _show_diff(self, old: str, new: str) -> None:
        for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm=""):
            self.out(line)

    def _refusal(self, key: str, text: str) -> str:
        """Why the wiki would refuse the bot's edit ("code: info"), or ""."""
        blocked = self.store.bot_blocked
        if blocked is not None:
            return f"blocked: You have been blocked from editing ({blocked.reason})"
        if key in self.store.protected:
            return "protectedpage: This page has been protected to prevent editing"
        if byte_size(text) > self.store.max_article_size:
            return (f"contenttoobig: The content you supplied exceeds the page size limit of "
                    f"{self.store.max_article_size // 1024} kibibytes")
        return ""

    def _edit(self, key: str, known: Known, text: str, summary: str, model: str | None,
              minor: bool) -> None:
        refusal = self._refusal(key, text)
        if refusal:
            raise SaveRefused(f"[[{key}]] cannot be edited by the bot ({refusal})")
        try:
            revision, merged = self.store.save(key, text, known)
        except _Conflict:
            raise EditConflict(
                f"[[{key}]] was edited while the bot was working; not overwritten"
            ) from None
        if merged:
            self._merged.add(key)
        self._known[key] = Known(True, text, revision.revid, revision.timestamp)

    # ------------------------------------------------------------- talk pages

    def check_not_blocked(self) -> None:
        blocked = self.store.bot_blocked
        if blocked is not None:
            raise bot_blocked(self.store.bot, blocked.reason)

    def talk_pages(self, users: Iterable[str], category: str) -> dict[str, TalkPage]:
        return {user: self._talk_page(f"User talk:{normalise_user(user)}", category)
                for user in sorted(set(users))}

    def _talk_page(self, asked: str, category: str) -> TalkPage:
        original = self.normalise(asked)
        title, problem = original, ""
        text = self.store.text(original) or ""
        target = REDIRECT.match(text)
        if target:
            title = self.normalise(target.group(1))
            owner = title.partition(":")[2]
            if self.store.namespace(title) != USER_TALK or "/" in owner:
                title, problem = original, "elsewhere"
        latest = self.store.latest(title)
        page_text = latest.text if latest is not None else ""
        in_category = bool(category) and any(
            self.normalise(c) == self.normalise(category)
            for c in re.findall(r"\[\[\s*(Category\s*:[^\]|]+)", page_text, re.IGNORECASE))
        return TalkPage(
            asked=original, title=title, owner=normalise_user(title.partition(":")[2]),
            exists=latest is not None, text=page_text,
            revid=latest.revid if latest is not None else 0,
            timestamp=latest.timestamp if latest is not None else "",
            categories=(self.normalise(category),) if in_category else (),
            can_edit=title not in self.store.protected and self.store.bot_blocked is None,
            redirect=problem,
        )

    def recheck_talk(self, shutoff_title: str, asked: str, category: str
                     ) -> tuple[TalkPage, str]:
        if self._fresh_text(shutoff_title).strip():
            raise shutoff(shutoff_title)
        self.check_not_blocked()
        return self._talk_page(asked, category), self.store.now()

    def recheck_talks(self, shutoff_title: str, asked: Sequence[str], category: str
                      ) -> tuple[dict[str, TalkPage], str]:
        if self._fresh_text(shutoff_title).strip():
            raise shutoff(shutoff_title)
        self.check_not_blocked()
        return {a: self._talk_page(a, category) for a in asked}, self.store.now()

    def post_talk(self, talk_page: TalkPage, text: str, summary: str, started: str,
                  landed_if: str = "") -> int:
        check_talk_size(talk_page.title, text, self.max_bytes)
        refusal = self._refusal(talk_page.title, text)
        if refusal.startswith("blocked"):
            raise BotBlocked(f"the bot is blocked ({refusal})")
        if refusal:
            raise SaveRefused(f"[[{talk_page.title}]] cannot be edited by the bot "
                              f"({refusal.partition(':')[0]})")
        base = Known(talk_page.exists, talk_page.text, talk_page.revid, talk_page.timestamp,
                     read_at=started)
        before = self.store.latest(talk_page.title)
        try:
            revision, _ = self.store.save(talk_page.title, text, base)
        except _Conflict:
            raise EditConflict(f"[[{talk_page.title}]] changed while the bot was posting"
                               ) from None
        if before is not None and revision.revid == before.revid:  # no change: a resend
            mine = revision.user == self.store.bot and landed_if and landed_if in revision.text
            return revision.revid if mine else 0
        return revision.revid


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def valid_user_name(name: str) -> bool:
    clean = name.strip()
    return bool(clean) and not (set(clean) & (ILLEGAL | NOT_IN_NAMES))


def calls(text: str, template: str) -> bool:
    """Whether ``text`` calls ``template`` (a name without namespace): ``{{Name`` or
    ``{{Template:Name`` followed by ``|`` or ``}}``; first letter either case, spaces or
    underscores alike."""
    words = [re.escape(w) for w in template.replace("_", " ").split()]
    if not words:
        return False
    first = words[0]
    head = f"[{first[0].upper()}{first[0].lower()}]{first[1:]}"
    name = r"[ _]+".join([head, *words[1:]])
    return re.search(r"\{\{\s*(?:[Tt]emplate\s*:\s*)?" + name + r"\s*(?:\||\}\})", text) is not None


def merge3(base: str, theirs: str, mine: str) -> str | None:
    """Both edits of ``base`` in one text, when they change lines apart from each other
    (with at least one unchanged line between); None when they touch the same lines."""
    old = base.splitlines()
    ours = _changes(old, mine.splitlines())
    others = _changes(old, theirs.splitlines())
    for a in ours:
        for b in others:
            if a == b:
                continue
            if not (a[1] < b[0] or b[1] < a[0]):
                return None
    lines = list(old)
    done = set()
    for start, end, new in sorted(ours + others, key=lambda c: (c[0], c[1]), reverse=True):
        if (start, end, tuple(new)) in done:
            continue
        done.add((start, end, tuple(new)))
        lines[start:end] = new
    return "\n".join(lines)


def _changes(old: list[str], new: list[str]) -> list[tuple[int, int, list[str]]]:
    """The changed ranges of ``old`` and what replaces each."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return [(i1, i2, new[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes()
            if tag != "equal"]
