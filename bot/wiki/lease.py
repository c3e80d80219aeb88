"""A lease on a job's state: one run of a job writes at a time.

Two runs of the same job (a slow scheduled run and a hand-started one, or a
restarted container) would otherwise write the same pages with different
views of the wiki, and two notify runs could post the same notice twice.

The lease is a small JSON page beside the job's state page
(``<state_prefix><job>.lease.json``).  A run takes it just before its first
edit, so runs that change nothing cost no edit at all:

* If another run holds it (its time is not up, and it is not a process on
  this machine that has died), this run stops with a message and writes
  nothing.
* Taking it is an edit; two runs may make that edit at the same moment, and
  MediaWiki does not report a conflict between two edits by the same account.
  So the winner is decided by the page history: the first revision after the
  one this run read is the holder, and the other run stops.  The edit's answer
  says which revision it followed (``oldrevid``): when that is the one this run
  read, this run's revision is the first after it; otherwise another run's is.
* The same read checks that the state page is still the revision the run read
  at its start; if another run finished in between, this run's view is older
  than the wiki's and it stops without writing.  (A run writes its state
  before it gives the lease back, so a free lease and an unchanged state page,
  read in one query, mean nobody wrote in between.)
* That read costs nothing when the job has just read both pages (with the pages
  it writes, in one batch a few seconds before its first edit); so a run that
  writes spends two requests on its lease: taking it and giving it back.
* The lease is renewed when half its time is gone, and given back at the end
  (also when the run fails).  A run killed without giving it back blocks the
  job until its time is up, or not at all for the next run on the same machine.
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pywikibot.exceptions import APIError

from bot.wiki.api import Site, not_a_bot, query_continued, submit_edit

LEASE_SUFFIX = ".lease.json"


class LeaseHeld(Exception):
    """Another run of the same job is writing; this one stops without writing."""


@dataclass(frozen=True)
class Holder:
    run: str
    host: str
    pid: int
    since: datetime
    until: datetime

    @classmethod
    def from_text(cls, text: str) -> Holder | None:
        """The holder a lease page names, or None when it is free or unreadable."""
        try:
            data = json.loads(text)
            if not data.get("run"):
                return None
            return cls(
                run=str(data["run"]),
                host=str(data.get("host", "")),
                pid=int(data.get("pid", 0)),
                since=datetime.fromisoformat(data["since"]),
                until=datetime.fromisoformat(data["until"]),
            )
        except (ValueError, TypeError, KeyError, AttributeError):
            return None

    def as_json(self) -> dict[str, Any]:
        return {
            "run": self.run,
            "host": self.host,
            "pid": self.pid,
            "since": self.since.isoformat(timespec="seconds"),
            "until": self.until.isoformat(timespec="seconds"),
        }

    def describe(self) -> str:
        return (
            f"since {self.since:%Y-%m-%d %H:%M} UTC (process {self.pid} on {self.host}); "
            f"its lease ends at {self.until:%H:%M} UTC at the latest"
        )


def _alive_here(holder: Holder, host: str) -> bool:
    """False only when the holder is a process of this machine that no longer exists."""
    if holder.host != host or holder.pid <= 0:
        return True
    try:
        os.kill(holder.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def lease_title(state_title: str) -> str:
    return state_title.removesuffix(".json") + LEASE_SUFFIX


class Lease:
    """The lease of one run; ``ensure()`` is called before every edit the run makes."""

    def __init__(
        self,
        site: Site,
        title: str,
        state_title: str,
        state_revid: Callable[[], int],
        minutes: int,
        summary: Callable[[str], str],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        peek: Callable[[str], tuple[int, str] | None] = lambda title: None,
    ) -> None:
        self.site = site
        self.title = title
        self.state_title = state_title
        self.state_revid = state_revid  # the state revision this run read (0: none)
        self.peek = peek  # a page's revision and text as read a moment ago, or None
        self.length = timedelta(minutes=minutes)
        self.summary = summary
        self.clock = clock
        self.host = socket.gethostname()
        self.run = f"{self.host}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.held = False
        self.renew_at: datetime | None = None

    # ------------------------------------------------------------------ use

    def ensure(self) -> None:
        """Take the lease before the first edit; renew it when half its time is gone."""
        if not self.held:
            self._take()
        elif self.renew_at and self.clock() >= self.renew_at:
            self._renew()

    def release(self) -> None:
        """Give the lease back; a failure here only delays the next run (it expires)."""
        if not self.held:
            return
        self.held = False
        try:
            self._write({"run": None, "released": self._now(), "by": self.run}, "release")
        except Exception:  # noqa: BLE001 - the run is ending; the lease expires anyway
            pass

    # ------------------------------------------------------------- details

    def _now(self) -> str:
        return self.clock().isoformat(timespec="seconds")

    def _take(self) -> None:
        pages = self._just_read() or self._read()
        lease = pages.get(self.title, {})
        holder = Holder.from_text(lease.get("text", ""))
        now = self.clock()
        if holder and holder.run != self.run and holder.until > now:
            if _alive_here(holder, self.host):
                raise LeaseHeld(
                    f"another run of this job is writing {holder.describe()}; "
                    "this run stops without writing"
                )
        # A run writes its state before it gives the lease back, so with the lease free
        # (read in the same query) a changed state page means a run finished meanwhile.
        if pages.get(self.state_title, {}).get("revid", 0) != self.state_revid():
            raise LeaseHeld(
                "another run of this job finished while this one was reading the wiki; "
                "this run stops without writing (the other run's pages stand)"
            )
        base = lease.get("revid", 0)
        answer = self._write(self._holder(now).as_json(), "take")
        if self._winner(answer, base) != self.run:
            raise LeaseHeld(
                "another run of this job took the lease at the same moment; "
                "this run stops without writing"
            )
        self.held = True
        self.renew_at = now + self.length / 2

    def _renew(self) -> None:
        pages = self._read()
        holder = Holder.from_text(pages.get(self.title, {}).get("text", ""))
        if holder is None or holder.run != self.run:
            self.held = False
            raise LeaseHeld("this run's lease ran out and another run took it; it stops here")
        now = self.clock()
        self._write(self._holder(now).as_json(), "renew")
        self.renew_at = now + self.length / 2

    def _holder(self, now: datetime) -> Holder:
        return Holder(self.run, self.host, os.getpid(), now, now + self.length)

    def _just_read(self) -> dict[str, dict[str, Any]] | None:
        """The lease and state pages as the job read them a moment ago, or None."""
        lease, state = self.peek(self.title), self.peek(self.state_title)
        if lease is None or state is None:
            return None
        return {self.title: {"revid": lease[0], "text": lease[1]},
                self.state_title: {"revid": state[0], "text": state[1]}}

    def _read(self) -> dict[str, dict[str, Any]]:
        """The lease page and the state page as they are now: text and latest revision."""
        names: dict[str, str] = {}
        pages: dict[str, dict[str, Any]] = {}
        for reply in query_continued(
            self.site, action="query", titles=[self.title, self.state_title],
            prop="revisions", rvprop="ids|content", rvslots="main",
        ):
            query = reply.get("query", {})
            names.update({n["from"]: n["to"] for n in query.get("normalized", [])})
            for page in query.get("pages", []):
                revision = (page.get("revisions") or [{}])[0]
                if page["title"] in pages and not page.get("revisions"):
                    continue  # a continuation that carries the other page's text
                pages[page["title"]] = {
                    "revid": int(revision.get("revid", 0) or 0),
                    "text": revision.get("slots", {}).get("main", {}).get("content", ""),
                }
        for asked, title in names.items():
            if title in pages:
                pages[asked] = pages[title]
        return pages

    def _winner(self, answer: dict[str, Any], base: int) -> str:
        """The run whose revision came first after ``base``: this one when its edit
        followed ``base`` itself.  An answer that does not say (a resent request that found
        its text saved) is settled by the page history."""
        followed = answer.get("oldrevid")
        if followed is None or "nochange" in answer:
            return self._first_after(base)
        return self.run if int(followed or 0) == base else ""

    def _first_after(self, base: int) -> str:
        """The run named by the first revision of the lease page after ``base``."""
        params = {"action": "query", "titles": self.title, "prop": "revisions",
                  "rvprop": "ids|content", "rvslots": "main", "rvdir": "newer",
                  "rvlimit": 2, "formatversion": 2}
        if base:
            params["rvstartid"] = base
        reply = self.site.simple_request(**params).submit()
        for page in reply.get("query", {}).get("pages", []):
            for revision in page.get("revisions", []):
                if int(revision.get("revid", 0)) == base:
                    continue
                text = revision.get("slots", {}).get("main", {}).get("content", "")
                holder = Holder.from_text(text)
                return holder.run if holder else ""
        return ""

    def _write(self, value: dict[str, Any], what: str) -> dict[str, Any]:
        """One edit of the lease page; the answer's ``edit`` part.  A resent request after
        a lost answer finds its own text there and MediaWiki makes no edit ("nochange"),
        so retries are harmless."""
        params = dict(
            action="edit", title=self.title, text=json.dumps(value, indent=1),
            summary=self.summary(f"{what} the lease of this job"),
            token=self.site.tokens["csrf"], bot=True, contentmodel="json",
            formatversion=2,
        )
        try:
            reply = submit_edit(self.site, params)
        except APIError as error:
            not_a_bot(error)
            raise
        answer: dict[str, Any] = reply.get("edit", {})
        return answer
