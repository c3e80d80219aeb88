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

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
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
    submit_edit,
)
from bot.wiki.edits import Edits, Known, now_stamp, same_text
from bot.wiki.errors import EditConflict, SaveRefused
from bot.wiki.protocol import Account


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
        for page in self.site.preloadpages(pages, content=True, templates=True):
            self._pages[page.title()] = page
            self._known[page.title()] = _known(page)
            result[page.title()] = _page_data(page)
            self.counters.read += 1
        for page in pages:  # preloadpages drops nothing, but be sure missing ones are listed
            result.setdefault(page.title(), PageData(page.title(), (), exists=False))
            self._pages.setdefault(page.title(), page)
            self._known.setdefault(page.title(), _missing())
        return result

    def embedded_in(
        self, template: str, namespaces: Iterable[int], expected: int = 0
    ) -> list[PageData]:
        """Every page that transcludes ``template``, with content, listing and text in one query."""
        tpl = pywikibot.Page(self.site, template)
        found = []
        stubs: dict[int, _Stub] = {}
        for page in self.site.page_embeddedin(tpl, namespaces=list(namespaces), content=True):
            self._pages[page.title()] = page
            self._known[page.title()] = _known(page)
            found.append(_page_data(page))
            if page.exists() and (stub := _stub(page.latest_revision)) is not None:
                stubs[int(page.latest_revision.revid)] = stub
            self.counters.read += 1
            if self.progress and len(found) % 500 == 0:
                self.progress(len(found), expected)
        authors = self.text_authors(stubs)
        return [
            replace(p, revisions=(with_author(p.revisions[0], authors.get(p.revisions[0].revid)),
                                  *p.revisions[1:]))
            if p.revisions and p.revisions[0].revid in authors else p
            for p in found
        ]

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

    def list_embedded(self, template: str, namespaces: Iterable[int]) -> dict[str, int]:
        """Titles and latest revision ids of the pages that transclude ``template``.

        No text: one request per 500 titles (5,000 with ``apihighlimits``), so a
        job can see that nothing changed for the price of a listing.
        """
        tpl = pywikibot.Page(self.site, template)
        return {
            page.title(): int(page.latest_revision_id)
            for page in self.site.page_embeddedin(tpl, namespaces=list(namespaces))
        }

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
        for start in range(0, len(revids), 50):  # texts: 50 revisions a request at most
            for reply in query_continued(
                self.site, action="query", prop="revisions", revids=revids[start : start + 50],
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
        asked once in a run (the history read checks names too) is not asked again."""
        wanted = {n for n in names if n}
        info = {n: self._accounts[n] for n in wanted if n in self._accounts}
        asking = sorted(wanted - info.keys())
        for start in range(0, len(asking), self.batch):
            for entry in self.site.users(asking[start : start + self.batch]):
                facts = Account(
                    missing="missing" in entry or "invalid" in entry,
                    invalid="invalid" in entry,
                    blocked="blockid" in entry,
                    gender=str(entry.get("gender", "unknown")),
                )
                info[entry.get("name", "")] = self._accounts[entry.get("name", "")] = facts
        return info

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

    def post_talk(self, talk_page: TalkPage, text: str, summary: str, started: str,
                  landed_if: str = "") -> int:
        return talk.post(self.site, talk_page, text, summary, started, landed_if)
