"""Batched reads and careful writes: the only place that talks to pages.

Reads are batched (one API request per 50 pages, 500 with ``apihighlimits``).
Writes go through :meth:`Wiki.save`, which is where every rule of a good bot
citizen lives: the shutoff page, ``{{bots}}``/``{{nobots}}``, no no-op edits,
conflict detection through the base revision, ``-simulate``, the edit cap.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import pywikibot
from pywikibot import exceptions as pwb_exc
from pywikibot.data import api

from bot.model import PageData, Revision


class ShutoffError(Exception):
    """Someone asked the bot to stop through the shutoff page."""


class EditConflict(Exception):
    """The page changed between our read and our write; nothing was saved."""


class SaveRefused(Exception):
    """The wiki or the page's own rules refused the edit; the message says why."""


class NotABot(ShutoffError):
    """The account lost its bot flag (or its login): no edit may be made, the run stops."""


def submit_edit(site, params: dict) -> dict:
    """Send one edit with ``assert=bot``: should the account lose its bot flag (or its
    login), the wiki refuses the edit (``assertbotfailed``) and the run stops instead of
    flooding Recent changes.  (Pywikibot sets ``assert=user`` on every write; ours
    replaces it after the request is made.)"""
    request = site.simple_request(**params)
    request["assert"] = "bot"
    return request.submit()


def not_a_bot(error: pwb_exc.APIError) -> None:
    """Stop the run when the wiki refused an edit because the account is not a bot."""
    if error.code in NOT_A_BOT:
        raise NotABot(
            "the wiki says the bot's account is not flagged as a bot (or not logged in) "
            f"({error.code}), so it stops before making edits that would flood Recent changes"
        ) from None


#: Edit errors that mean "not this page, not now".
REFUSED = frozenset({
    "protectedpage", "cascadeprotected", "protectedtitle", "permissiondenied",
    "protectednamespace", "protectednamespace-interface", "customcssjsprotected",
    "abusefilter-disallowed", "spamblacklist", "titleblacklist-forbidden", "contenttoobig",
})
#: Edit errors that mean the account is not what the bot must be: stop the run.
NOT_A_BOT = frozenset({"assertbotfailed", "assertuserfailed", "assertnameduserfailed"})
#: Edit errors that mean the page changed under us: read it again.
CHANGED = frozenset({"editconflict", "articleexists", "missingtitle", "pagedeleted"})
BLOCKED = frozenset({"blocked", "autoblocked", "globalblocking-blockedtext",
                     "globalblocking-ipblocked"})


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


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _missing() -> Known:
    return Known(False, "", 0, "", read_at=_now())


def _known(page: pywikibot.Page) -> Known:
    if not page.exists():
        return _missing()
    rev = page.latest_revision
    return Known(True, rev.text or "", int(rev.revid),
                 rev.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ"))


@dataclass
class Counters:
    read: int = 0
    changed: int = 0
    unchanged: int = 0
    skipped: int = 0
    notes: list[str] = field(default_factory=list)


def _revision(rev) -> Revision:
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


def _stub(rev) -> _Stub | None:
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


def query_continued(site, **params) -> Iterator[dict]:
    """Every reply of one API query, following ``continue`` to the end: a reply may stop
    half-way (too many values, or texts over the API's result size)."""
    params.setdefault("formatversion", 2)
    while True:
        reply = site.simple_request(**params).submit()
        yield reply
        if "continue" not in reply:
            return
        params.update(reply["continue"])


def _query_pages(reply: dict) -> list[dict]:
    return reply.get("query", {}).get("pages", [])


def _page_data(page: pywikibot.Page) -> PageData:
    if not page.exists():
        return PageData(title=page.title(), revisions=(), exists=False)
    rev = page.latest_revision
    return PageData(title=page.title(), revisions=(_revision(rev),))


def latest_revision(site, title: str, props: str) -> dict:
    """The latest revision of one page with the given ``rvprop`` (``{}`` when it has none);
    for the rare checks after an edit whose answer did not say enough."""
    for reply in query_continued(site, action="query", titles=title, prop="revisions",
                                 rvprop=props, rvslots="main"):
        for page in _query_pages(reply):
            for revision in page.get("revisions", []):
                return revision
    return {}


class Wiki:
    """One site, one run: remembers what it read so that writes carry the base revision."""

    def __init__(
        self, site, *, simulate: bool = False, max_edits: int = 0, out=print, progress=None
    ) -> None:
        self.site = site
        self.simulate = simulate
        self.progress = progress  # a callable(done, total) for long reads, or None
        self.max_edits = max_edits
        self.out = out
        self.counters = Counters()
        self._pages: dict[str, pywikibot.Page] = {}
        self._known: dict[str, Known] = {}
        self._merged: set[str] = set()  # pages whose last edit MediaWiki merged with another
        self._shutoff_checked = False
        #: User names the wiki refused as invalid in this run (to be reported, not asked).
        self.refused: set[str] = set()
        self._accounts: dict[str, dict] = {}  # what users() learnt in this run
        #: Called before every edit this run makes (the job's lease), or None.
        self.before_write: Callable[[], None] | None = None

    def claim(self) -> None:
        """Make sure this run may write now (the lease); raises when it may not."""
        if self.before_write is not None and not self.simulate:
            self.before_write()

    # ------------------------------------------------------------------ reads

    def normalise(self, title: str) -> str:
        return pywikibot.Page(self.site, title).title()

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

    def _revision_facts(self, revids: list[int]) -> dict[int, dict]:
        """Maker, time, flags and SHA-1 of many revisions (no text), in batches."""
        facts: dict[int, dict] = {}
        for start in range(0, len(revids), self.batch):
            chunk = revids[start : start + self.batch]
            for reply in query_continued(
                self.site, action="query", prop="revisions", revids=chunk,
                rvprop="ids|user|timestamp|flags|sha1",
            ):
                for page in _query_pages(reply):
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

    @property
    def batch(self) -> int:
        """How many values one API parameter may carry for this account."""
        return 500 if self.site.has_right("apihighlimits") else 50

    def revisions_by(
        self, wanted: dict[str, set[str]], namespaces: Iterable[int]
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
                for page in _query_pages(reply):
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

    def _contributions(self, users: list[str], namespaces: Iterable[int]) -> list[dict]:
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

    def users(self, names: Iterable[str]) -> dict[str, dict]:
        """Account facts for many users in batched requests: missing, invalid, blocked,
        gender.  ``missing`` is also true for a name that cannot be an account.  A name
        asked once in a run (the history read checks names too) is not asked again."""
        wanted = {n for n in names if n}
        info = {n: self._accounts[n] for n in wanted if n in self._accounts}
        asking = sorted(wanted - info.keys())
        for start in range(0, len(asking), self.batch):
            for entry in self.site.users(asking[start : start + self.batch]):
                facts = {
                    "missing": "missing" in entry or "invalid" in entry,
                    "invalid": "invalid" in entry,
                    "blocked": "blockid" in entry,
                    "gender": entry.get("gender", "unknown"),
                }
                info[entry.get("name", "")] = self._accounts[entry.get("name", "")] = facts
        return info

    # ----------------------------------------------------------------- writes

    def check_shutoff(self, title: str, *, again: bool = False) -> None:
        """Stop when the shutoff page has any text (read fresh, never from cache)."""
        if self._shutoff_checked and not again:
            return
        page = pywikibot.Page(self.site, title)
        text = page.get(force=True) if page.exists() else ""
        if text.strip():
            raise ShutoffError(
                f"the shutoff page [[{title}]] is not empty, so the bot stops here. "
                "Empty that page to let it run again."
            )
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
        page, known = self._pages.get(key), self._known.get(key)
        if page is None or known is None:
            raise RuntimeError(f"save() of [[{title}]] without reading it first")
        old = known.text if known.exists else ""
        if known.exists and old == text:
            self.counters.unchanged += 1
            return False
        if self.max_edits and self.counters.changed >= self.max_edits:
            self.counters.skipped += 1
            self.counters.notes.append(f"edit cap reached: [[{title}]] not saved")
            return False
        if known.exists and not page.botMayEdit():
            self.counters.skipped += 1
            self.counters.notes.append(f"[[{title}]] asks bots to stay away ({{{{bots}}}})")
            return False
        if self.simulate:
            self.out(f"\n--- would save [[{key}]] ({summary})")
            pywikibot.showDiff(old, text)
            self.counters.changed += 1
            return True
        self.claim()
        self._edit(key, known, text, summary, content_model, minor)
        self.counters.changed += 1
        return True

    def _edit(
        self, key: str, known: Known, text: str, summary: str, model: str | None, minor: bool
    ) -> None:
        """One edit through the API, so that its answer (which revision it followed) is kept.

        A request sent again after a lost answer finds its own text saved and
        MediaWiki answers "nochange": the edit was made, nothing is doubled.
        """
        params: dict = {
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
            params.update(createonly=True, starttimestamp=known.read_at or _now())
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
        if content is None or not _same_text(content, text):
            return None
        return int(latest["revid"]), latest.get("timestamp", "")

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

    def read_json(self, title: str) -> dict:
        data = self.read([title])[self.normalise(title)]
        if not data.exists or not data.latest:
            return {}
        try:
            value = json.loads(data.latest.text)
        except json.JSONDecodeError:
            return {}
        return value if isinstance(value, dict) else {}

    def save_json(
        self, title: str, value: dict, summary: str, ignore: tuple[str, ...] = ()
    ) -> bool:
        """Save a JSON page unless its data (less the ``ignore`` keys) is already there.

        MediaWiki re-formats JSON pages, so texts are compared as data; a
        timestamp such as "generated" alone never causes an edit.
        """
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


def _same_text(saved: str, sent: str) -> bool:
    """Whether the wiki's copy is the text sent: MediaWiki trims trailing whitespace, and
    re-formats a JSON page (so JSON is compared as data)."""
    if saved.rstrip() == sent.rstrip():
        return True
    try:
        return json.loads(saved) == json.loads(sent)
    except (json.JSONDecodeError, ValueError):
        return False


def _without(value: dict, keys: tuple[str, ...]) -> dict:
    return {k: v for k, v in value.items() if k not in keys}


class PageTooBig(SaveRefused):
    """The text is larger than the wiki accepts (``contenttoobig``); nothing was sent."""


def max_page_bytes(site) -> int:
    """The most bytes the bot puts in one page: the wiki's own limit (``maxarticlesize`` in
    siteinfo, i.e. ``$wgMaxArticleSize``; read with the site's other facts, no extra request)
    less a little room for what MediaWiki adds on save; 2048 KiB when the wiki does not say."""
    from bot.limits import DEFAULT_MAX_BYTES, HEADROOM

    try:
        limit = int(site.siteinfo["maxarticlesize"])
    except (AttributeError, KeyError, TypeError, ValueError, pwb_exc.Error):
        limit = DEFAULT_MAX_BYTES
    return (limit if limit > 0 else DEFAULT_MAX_BYTES) - HEADROOM
