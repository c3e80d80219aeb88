"""Batched reads and careful writes: the only place that talks to pages.

Reads are batched (one API request per 50 pages, 500 with ``apihighlimits``).
Writes go through :meth:`Wiki.save`, whose rules of a good bot citizen (the
shutoff page, ``{{bots}}``/``{{nobots}}``, no no-op edits, ``-simulate``, the
edit cap) live in :class:`bot.wiki.edits.Edits`, shared with the in-memory
twin; here is the one edit request, with the base revision for conflict
detection.  :class:`Wiki` is what :class:`bot.wiki.protocol.WikiProtocol` asks
for, talk pages (:mod:`bot.wiki.talk`) included.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pywikibot
from pywikibot import exceptions as pwb_exc
from pywikibot.data import api

from bot.model import PageData, Revision, TalkPage
from bot.wiki import talk
from bot.wiki.api import (
    BLOCKED,
    CHANGED,
    REFUSED,
    Site,
    latest_revision,
    max_page_bytes,
    not_a_bot,
    query_continued,
    query_pages,
    remember_csrf,
    submit_edit,
    without_done,
)
from bot.wiki.edits import Edits, Known, now_stamp, same_text
from bot.wiki.errors import EditConflict, SaveRefused
from bot.wiki.protocol import Account, Change, Look, nothing_older

#: The prefix of the bot's notes among its preferences (``userjs-`` options are free).
NOTE = "userjs-letsconnect-"


class _Names:
    """Account names to ask about alongside a listing: each once, in the order found,
    none the run knows already."""

    def __init__(self, known: Mapping[str, object]) -> None:
        self.known = known
        self.queue: dict[str, None] = {}
        self.asked: set[str] = set()

    def add(self, names: Iterable[str | None]) -> None:
        for name in names:
            if name and name not in self.asked and name not in self.known:
                self.queue[name] = None

    def take(self, count: int) -> list[str]:
        names = list(self.queue)[:count]
        for name in names:
            del self.queue[name]
        self.asked.update(names)
        return names


def _change(item: dict[str, Any]) -> Change:
    """One entry of Recent changes, as the jobs read it."""
    params = item.get("logparams", {})
    params = params if isinstance(params, dict) else {}
    # The other page a log entry names: a move's target, or the page a merge went into.
    target = params.get("target_title") or params.get("dest_title") or ""
    return Change(
        kind=str(item.get("type", "")), title=str(item.get("title", "")),
        revid=int(item.get("revid", 0) or 0), timestamp=str(item.get("timestamp", "")),
        user=str(item.get("user", "")), log=str(item.get("logtype", "")), target=str(target),
    )


def _missing() -> Known:
    return Known(False, "", 0, "", read_at=now_stamp())


def _known(page: pywikibot.Page) -> Known:
    if not page.exists():
        return _missing()
    rev = page.latest_revision
    return Known(True, rev.text or "", int(rev.revid),
                 rev.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ"))


def _revision(rev: Any) -> Revision:
    return Revision(
        revid=int(rev.revid),
        user=rev.get("user", "") or "",
        timestamp=rev.timestamp.isoformat() if rev.get("timestamp") else "",
        text=rev.text or "",
    )


@dataclass(frozen=True)
class _Stub:
    """What tells a null revision: a minor edit whose text is its parent's (same SHA-1)."""

    parent: int
    sha1: str


def _stub(rev: Any) -> _Stub | None:
    """The revision as a candidate null revision, or None when it cannot be one: moves,
    protections and imports are minor edits that keep the parent's text."""
    parent = int(rev.get("parentid", 0) or 0)
    if not rev.get("minor") or not parent or not rev.get("sha1"):
        return None
    return _Stub(parent, str(rev["sha1"]))


def with_author(revision: Revision, author: tuple[str, str] | None) -> Revision:
    if author is None:
        return revision
    return replace(revision, author=author[0], authored=author[1])


def _page_data(page: pywikibot.Page) -> PageData:
    if not page.exists():
        return PageData(title=page.title(), revisions=(), exists=False)
    rev = page.latest_revision
    return PageData(title=page.title(), revisions=(_revision(rev),))


class Wiki(Edits):
    """One site, one run: remembers what it read so that writes carry the base revision."""

    def __init__(
        self, site: Site, *, simulate: bool = False, max_edits: int = 0,
        out: Callable[[str], None] = print, progress: Callable[[int, int], None] | None = None,
    ) -> None:
        super().__init__(simulate=simulate, max_edits=max_edits, out=out)
        self.site = site
        self.progress = progress  # a callable(done, total) for long reads, or None
        self._pages: dict[str, pywikibot.Page] = {}
        self._accounts: dict[str, Account] = {}  # what users() learnt in this run

    @property
    def username(self) -> str:
        return str(self.site.username() or "")

    @property
    def max_bytes(self) -> int:
        return max_page_bytes(self.site)

    # ------------------------------------------------------------------ reads

    def normalise(self, title: str) -> str:
        return str(pywikibot.Page(self.site, title).title())

    def read(self, titles: Iterable[str]) -> dict[str, PageData]:
        """Latest text of many pages, in batches; missing pages come back with exists=False."""
        pages = [pywikibot.Page(self.site, t) for t in dict.fromkeys(titles)]
        result: dict[str, PageData] = {}
        # groupsize: Pywikibot may count on high limits the account does not have (seen
        # with a bot that lost its flag: maxlimit stays 500 and the wiki refuses).
        for page in self.site.preloadpages(pages, content=True, templates=True,
                                           groupsize=self.batch):
            self._pages[page.title()] = page
            self._seen(page.title(), _known(page))
            result[page.title()] = _page_data(page)
            self.counters.read += 1
        for page in pages:  # preloadpages drops nothing, but be sure missing ones are listed
            result.setdefault(page.title(), PageData(page.title(), (), exists=False))
            self._pages.setdefault(page.title(), page)
            if page.title() not in self._known:
                self._seen(page.title(), _missing())
        return result

    def embedded_in(
        self, template: str, namespaces: Iterable[int], expected: int = 0,
        owner_of: Callable[[str], str | None] | None = None, known: Iterable[str] = (),
    ) -> list[PageData]:
        """Every page that transcludes ``template``, with its latest revision, listed and
        read in one query with the API's largest batches: 500 texts a request with
        ``apihighlimits`` (``generator=embeddedin`` with ``prop=revisions``; Pywikibot's
        own generator asks for half as many).

        ``owner_of`` names the account a title belongs to (None: no one by its title).
        Those accounts are asked about in the same requests (``list=users``, a batch a
        request), the owners of the ``known`` titles (the last run's) first, so that
        :meth:`users` later finds them answered instead of asking again.
        """
        asking = _Names(self._accounts)
        if owner_of is not None:
            asking.add(owner_of(title) for title in known)
        params: dict[str, Any] = {
            "action": "query", "generator": "embeddedin", "geititle": template,
            "geinamespace": "|".join(str(n) for n in namespaces), "geilimit": self.batch,
            "prop": "revisions", "rvprop": "ids|timestamp|user|flags|sha1|content",
            "rvslots": "main", "formatversion": 2,
        }
        found: dict[str, PageData] = {}
        stubs: dict[int, _Stub] = {}
        follow: dict[str, Any] = {}
        while True:
            request = {**params, **follow}
            names = asking.take(self.batch)
            if names:
                request.update(list="users", ususers=names, usprop="blockinfo|gender")
            reply: dict[str, Any] = self.site.simple_request(**request).submit()
            self._learn_accounts(reply.get("query", {}).get("users", []))
            for page in query_pages(reply):
                revision = (page.get("revisions") or [None])[0]
                if revision is None:
                    continue  # its text comes with a later answer (a continuation)
                found[page["title"]] = self._listed(page["title"], revision, stubs)
                if owner_of is not None:
                    asking.add([owner_of(page["title"])])
            if self.progress and found:
                self.progress(len(found), expected)
            if "continue" not in reply:
                break
            follow = without_done(reply["continue"], "users")
        self.counters.read += len(found)
        authors = self.text_authors(stubs)
        return [
            replace(p, revisions=(with_author(p.revisions[0], authors.get(p.revisions[0].revid)),
                                  *p.revisions[1:]))
            if p.revisions and p.revisions[0].revid in authors else p
            for p in found.values()
        ]

    def _listed(self, title: str, rev: dict[str, Any], stubs: dict[int, _Stub]) -> PageData:
        """A page of a listing with its latest revision (an API reply's dict)."""
        revision = Revision(int(rev["revid"]), rev.get("user", "") or "",
                            rev.get("timestamp", ""),
                            rev.get("slots", {}).get("main", {}).get("content", "") or "")
        self._seen(title, Known(True, revision.text, revision.revid, revision.timestamp))
        if (stub := _stub(rev)) is not None:
            stubs[revision.revid] = stub
        return PageData(title=title, revisions=(revision,))

    def text_authors(self, stubs: dict[int, _Stub]) -> dict[int, tuple[str, str]]:
        """Who saved, and when, the text of each null revision among ``stubs`` (revid ->
        candidate); revisions whose text differs from their parent's are left out.

        The parents are read in batches, without text; a chain of null revisions
        (moved twice) is followed a few steps back.
        """
        pending = dict(stubs)  # revid -> the ancestor to compare with next
        found: dict[int, tuple[str, str]] = {}
        for _ in range(5):
            if not pending:
                break
            parents = self._revision_facts(sorted({s.parent for s in pending.values()}))
            following: dict[int, _Stub] = {}
            for revid, stub in pending.items():
                parent = parents.get(stub.parent)
                if parent is None or parent.get("sha1") != stub.sha1:
                    continue  # a real edit (or a parent we may not see): its maker's word
                found[revid] = (parent.get("user", "") or "", parent.get("timestamp", ""))
                grand = _stub(parent)
                if grand is not None and grand.sha1 == stub.sha1:
                    following[revid] = grand
            pending = following
        return found

    def _revision_facts(self, revids: list[int]) -> dict[int, dict[str, Any]]:
        """Maker, time, flags and SHA-1 of many revisions (no text), in batches."""
        facts: dict[int, dict[str, Any]] = {}
        for start in range(0, len(revids), self.batch):
            chunk = revids[start : start + self.batch]
            for reply in query_continued(
                self.site, action="query", prop="revisions", revids=chunk,
                rvprop="ids|user|timestamp|flags|sha1",
            ):
                for page in query_pages(reply):
                    for rev in page.get("revisions", []):
                        facts[int(rev["revid"])] = rev
        return facts

    def missing(self, titles: Iterable[str]) -> set[str]:
        """The titles (as asked) that the wiki has no page for, 50 a request.

        A file kept on a shared repository (Commons, seen from Meta) counts as
        existing: the API marks it "known".
        """
        wanted = sorted(set(titles))
        gone: set[str] = set()
        for start in range(0, len(wanted), 50):  # the API's limit without apihighlimits
            batch = wanted[start : start + 50]
            for reply in query_continued(self.site, action="query", titles=batch, prop="info"):
                query = reply.get("query", {})
                asked = {n["to"]: n["from"] for n in query.get("normalized", [])}
                for page in query.get("pages", []):
                    title = page.get("title", "")
                    if "invalid" in page or ("missing" in page and "known" not in page):
                        gone.add(asked.get(title, title))
            self.counters.read += len(batch)
        return gone

    @property
    def batch(self) -> int:
        """How many values one API parameter may carry for this account."""
        return 500 if self.site.has_right("apihighlimits") else 50

    def revisions_by(
        self, wanted: Mapping[str, set[str]], namespaces: Iterable[int]
    ) -> dict[str, list[Revision]]:
        """For each page, the newest revision by each of the given users, with text.

        Instead of one history request per page, one ``usercontribs`` listing for
        all the users at once, then the texts by revision id in batches.  Names the
        wiki calls invalid are never sent (one of them would make the API refuse
        the whole batch); they are in :attr:`refused` for the job to report.
        """
        users = self._valid_users({u for names in wanted.values() for u in names})
        newest: dict[tuple[str, str], int] = {}
        for start in range(0, len(users), self.batch):
            for item in self._contributions(users[start : start + self.batch], namespaces):
                key = (item["title"], item["user"])
                if item["user"] in wanted.get(item["title"], ()):
                    newest[key] = max(newest.get(key, 0), int(item["revid"]))
        found: dict[str, list[Revision]] = {title: [] for title in wanted}
        stubs: dict[int, _Stub] = {}
        revids = sorted(set(newest.values()))
        for start in range(0, len(revids), self.batch):  # texts: 500 with apihighlimits
            for reply in query_continued(
                self.site, action="query", prop="revisions",
                revids=revids[start : start + self.batch],
                rvprop="ids|user|timestamp|flags|sha1|content", rvslots="main",
            ):
                for page in query_pages(reply):
                    for rev in page.get("revisions", []):
                        text = rev.get("slots", {}).get("main", {}).get("content", "")
                        found.setdefault(page["title"], []).append(Revision(
                            int(rev["revid"]), rev.get("user", ""), rev["timestamp"], text))
                        if (stub := _stub(rev)) is not None:
                            stubs[int(rev["revid"])] = stub
        authors = self.text_authors(stubs)
        for title, revisions in found.items():
            found[title] = sorted((with_author(r, authors.get(r.revid)) for r in revisions),
                                  key=lambda r: r.revid, reverse=True)
        return found

    def _valid_users(self, names: set[str]) -> list[str]:
        """The names the wiki accepts as user names (asked in batches); the others are
        remembered in :attr:`refused`."""
        facts = self.users(names)
        refused = {n for n, f in facts.items() if f["invalid"]}
        self.refused |= refused
        return sorted(n for n in names if n not in refused)

    def _contributions(self, users: list[str], namespaces: Iterable[int]
                       ) -> list[dict[str, Any]]:
        """``list=usercontribs`` for a batch of users.  Should the API still refuse a
        name (``baduser``), the batch is split until the refused name stands alone; it is
        left out and remembered in :attr:`refused`, and the others are read."""
        try:
            return list(api.ListGenerator(
                "usercontribs", site=self.site, ucuser="|".join(users),
                ucnamespace="|".join(str(n) for n in namespaces), ucprop="ids|title",
            ))
        except pwb_exc.APIError as error:
            if error.code != "baduser":
                raise
            if len(users) == 1:
                self.refused.add(users[0])
                return []
            half = len(users) // 2
            return (self._contributions(users[:half], namespaces)
                    + self._contributions(users[half:], namespaces))

    def users(self, names: Iterable[str]) -> dict[str, Account]:
        """Account facts for many users in batched requests: missing, invalid, blocked,
        gender.  ``missing`` is also true for a name that cannot be an account.  A name
        asked once in a run (alongside the profiles' texts, or by the history read) is not
        asked again."""
        wanted = {n for n in names if n}
        asking = sorted(n for n in wanted if n not in self._accounts)
        answered: set[str] = set()
        for start in range(0, len(asking), self.batch):
            for reply in query_continued(
                self.site, action="query", list="users",
                ususers=asking[start : start + self.batch], usprop="blockinfo|gender",
            ):
                answered |= self._learn_accounts(reply.get("query", {}).get("users", []))
        return {n: self._accounts[n] for n in wanted | answered if n in self._accounts}

    def _learn_accounts(self, entries: Iterable[dict[str, Any]]) -> set[str]:
        """Keep what a ``list=users`` answer says of each name (as the wiki spells it);
        the names answered."""
        names = set()
        for entry in entries:
            names.add(entry.get("name", ""))
            self._accounts[entry.get("name", "")] = Account(
                missing="missing" in entry or "invalid" in entry,
                invalid="invalid" in entry,
                blocked="blockid" in entry,
                gender=str(entry.get("gender", "unknown")),
            )
        return names

    def read_with_changes(
        self, title: str, namespaces: Iterable[int], window: timedelta,
        horizon: Callable[[PageData], str] = nothing_older,
    ) -> Look:
        """A page (a job's state) and the recent changes in ``namespaces`` over the last
        ``window`` (edits, creations, log entries; newest first) in one request, which
        also brings an edit token, the wiki's clock and the bot's notes.  Further answers
        are asked for only while the changes are newer than ``horizon(page)``: older ones
        do not matter to the job."""
        params: dict[str, Any] = {
            "action": "query", "titles": title, "prop": "revisions",
            "rvprop": "ids|timestamp|content", "rvslots": "main",
            "list": "recentchanges", "rcnamespace": "|".join(str(n) for n in namespaces),
            "rctype": "edit|new|log", "rcprop": "title|ids|timestamp|user|loginfo",
            "rclimit": "max", "rcend": now_stamp(datetime.now(UTC) - window),
            "meta": "tokens|userinfo", "type": "csrf",
            "uiprop": "options", "curtimestamp": True,
        }
        page = PageData(self.normalise(title), (), exists=False)
        changes: list[Change] = []
        notes: dict[str, str] = {}
        clock = ""
        for reply in query_continued(self.site, **params):
            query = reply.get("query", {})
            clock = clock or str(reply.get("curtimestamp", ""))
            for found in query.get("pages", []):
                if found.get("revisions"):
                    page = self._listed(found["title"], found["revisions"][0], {})
            if not page.exists and page.title not in self._known:
                self._seen(page.title, _missing())
            remember_csrf(self.site, query.get("tokens", {}).get("csrftoken", ""))
            options = query.get("userinfo", {}).get("options", {})
            notes.update({k.removeprefix(NOTE): str(v) for k, v in options.items()
                          if k.startswith(NOTE)})
            changes += [_change(c) for c in query.get("recentchanges", [])]
            if changes and changes[-1]["timestamp"] < horizon(page):
                break
        return Look(page=page, changes=tuple(changes), clock=clock, notes=notes)

    def uses_template(self, titles: Iterable[str], template: str) -> set[str]:
        """Which of ``titles`` transclude ``template`` now (a batch a request)."""
        wanted = sorted(set(titles))
        using: set[str] = set()
        for start in range(0, len(wanted), self.batch):
            for reply in query_continued(
                self.site, action="query", titles=wanted[start : start + self.batch],
                prop="templates", tltemplates=template, tllimit="max",
            ):
                using |= {p["title"] for p in query_pages(reply) if p.get("templates")}
        return using

    def note(self, name: str, value: str) -> bool:
        """Keep a short note for the bot's next runs among its own preferences (a
        ``userjs-`` option): no edit, nothing in Recent changes.  False when the wiki
        refuses (a BotPassword without "Edit your user preferences")."""
        if self.simulate:
            return False
        try:
            self.site.simple_request(
                action="options", optionname=NOTE + name, optionvalue=value,
                token=self.site.tokens["csrf"],
            ).submit()
        except pwb_exc.APIError:
            return False
        return True

    # ----------------------------------------------------------------- writes

    def _fresh_text(self, title: str) -> str:
        page = pywikibot.Page(self.site, title)
        return str(page.get(force=True)) if page.exists() else ""

    def _bots_may_edit(self, key: str) -> bool:
        page = self._pages.get(key)
        return page is None or bool(page.botMayEdit())

    def _show_diff(self, old: str, new: str) -> None:
        pywikibot.showDiff(old, new)

    def _edit(
        self, key: str, known: Known, text: str, summary: str, model: str | None, minor: bool
    ) -> None:
        """One edit through the API, so that its answer (which revision it followed) is kept.

        A request sent again after a lost answer finds its own text saved and
        MediaWiki answers "nochange": the edit was made, nothing is doubled.
        """
        params: dict[str, Any] = {
            "action": "edit", "title": key, "text": text, "summary": summary,
            "token": self.site.tokens["csrf"], "bot": True, "formatversion": 2,
            "minor" if minor else "notminor": True, "watchlist": "nochange",
        }
        if known.exists:
            # The base revision by its id, not its time: two edits in the same second share
            # a timestamp, and MediaWiki then sees no conflict and the person's edit is lost
            # (seen on MediaWiki 1.39, also when both are sent).
            params.update(baserevid=known.revid, nocreate=True)
        else:
            params.update(createonly=True, starttimestamp=known.read_at or now_stamp())
            if model:
                params["contentmodel"] = model
        try:
            reply = submit_edit(self.site, params)
        except pwb_exc.APIError as error:
            not_a_bot(error)
            mine = self._own_creation(key, text) if error.code == "articleexists" else None
            if mine is not None:  # a resent creation: the first copy was saved
                self._known[key] = Known(True, text, *mine)
                return
            if error.code in CHANGED:
                raise EditConflict(
                    f"[[{key}]] was edited while the bot was working; not overwritten"
                ) from None
            if error.code in REFUSED or error.code in BLOCKED:
                raise SaveRefused(f"[[{key}]] cannot be edited by the bot ({error.code}: "
                                  f"{error.info})") from None
            raise
        edit = reply.get("edit", {})
        if edit.get("result") != "Success":
            raise SaveRefused(f"[[{key}]] was not saved: {edit}")
        if "nochange" in edit:
            latest = latest_revision(self.site, key, "ids|timestamp")
            revid, stamp = int(latest.get("revid", 0)), latest.get("timestamp", "")
        else:
            revid, stamp = int(edit["newrevid"]), edit.get("newtimestamp", "")
            if known.exists and int(edit.get("oldrevid", 0) or 0) != known.revid:
                self._merged.add(key)
        self._known[key] = Known(True, text, revid, stamp)

    def _own_creation(self, key: str, text: str) -> tuple[int, str] | None:
        """The revision and time of ``key`` when its only revision is this bot's with
        ``text``, else None.  A creation (``createonly``) resent after its answer was lost
        meets ``articleexists``: the first copy was saved, and that is success, not a
        conflict; a page someone else created is a conflict."""
        latest = latest_revision(self.site, key, "ids|timestamp|user|content")
        content = latest.get("slots", {}).get("main", {}).get("content")
        if latest.get("user") != self.site.user() or int(latest.get("parentid", 1) or 0):
            return None
        if content is None or not same_text(content, text):
            return None
        return int(latest["revid"]), latest.get("timestamp", "")

    def purge(self, titles: Iterable[str], batch: int = 50) -> None:
        """Parse pages again and update their links now (``forcelinkupdate``), 50 a request.

        No edit is made.  MediaWiki leaves this to its job queue, which may be
        slow or, on a local wiki, never run; a page saved before a page it links
        to would show a red link meanwhile.  ``-simulate`` purges nothing.
        """
        if self.simulate:
            return
        pages = [pywikibot.Page(self.site, title) for title in dict.fromkeys(titles)]
        for start in range(0, len(pages), batch):
            self.site.purgepages(pages[start : start + batch], forcelinkupdate=True)

    # ------------------------------------------------------------- talk pages

    def check_not_blocked(self) -> None:
        talk.check_not_blocked(self.site)

    def talk_pages(self, users: Iterable[str], category: str) -> dict[str, TalkPage]:
        return talk.read_talk_pages(self.site, users, category)

    def recheck_talk(self, shutoff_title: str, asked: str, category: str
                     ) -> tuple[TalkPage, str]:
        return talk.recheck(self.site, shutoff_title, asked, category)

    def recheck_talks(self, shutoff_title: str, asked: Sequence[str], category: str
                      ) -> tuple[dict[str, TalkPage], str]:
        return talk.recheck_many(self.site, shutoff_title, list(asked), category)

    def post_talk(self, talk_page: TalkPage, text: str, summary: str, started: str,
                  landed_if: str = "") -> int:
        return talk.post(self.site, talk_page, text, summary, started, landed_if)
