"""User talk pages: read them in batches, check them again just before a notice, post.

The rules that make a notice safe live in ``bot.notices.decide`` (pure); this module
only fetches what those rules need and performs the one edit:

* **Reading.**  One query gives, for up to 50 talk pages (500 with
  ``apihighlimits``), their text, latest
  revision, whether they are in the opt-out category, whether the bot may edit
  them (``intestactions``), and where they redirect (``redirects``): the talk
  page of a renamed user redirects to the new name, which is followed.
* **Just before the notices**, one query reads the shutoff page, the bot's own
  block status and the talk pages of the next notices again (a batch, read a
  few seconds before each of its notices is posted).  Any text on the
  shutoff page stops the run; so does a block on the bot.
* **Posting** saves the whole page (old text plus the new section) with the
  revision it was read at as the base.  A resent request (a lost answer, a
  retry) then finds its own text already saved and MediaWiki makes no edit;
  a new-section edit (``section=new``) would have added the section twice.  A
  human edit in between is merged by MediaWiki or reported as a conflict, and
  the job reads the page again.  The edit is not minor (a minor edit by a bot
  raises no "new message" notice) and the summary starts with the section
  link, as a new-section edit would.
"""

from __future__ import annotations

from collections.abc import Iterable

from pywikibot.exceptions import APIError

from bot.model import TalkPage
from bot.wiki.api import (
    BLOCKED,
    CHANGED,
    REFUSED,
    Reply,
    Site,
    latest_revision,
    max_page_bytes,
    not_a_bot,
    query_continued,
    remember_csrf,
    submit_edit,
)
from bot.wiki.edits import check_talk_size
from bot.wiki.errors import BotBlocked, EditConflict, SaveRefused, bot_blocked, shutoff
from bot.wikitext.tables import normalise_user

USER_TALK = 3
BATCH = 50

def talk_title(user: str) -> str:
    return f"User talk:{normalise_user(user)}"


def _user_of(title: str) -> str:
    return title.split(":", 1)[1] if ":" in title else title


def _query(site: Site, titles: list[str], category: str, extra: Reply | None = None) -> Reply:
    """One query (with its continuations merged): pages, redirects, normalisations."""
    params = {
        "action": "query", "titles": titles, "redirects": True,
        "prop": "revisions|info|categories", "rvprop": "ids|timestamp|content",
        "rvslots": "main", "intestactions": "edit|create", "clcategories": category,
        "cllimit": "max", "curtimestamp": True, **(extra or {}),
    }
    merged: Reply = {"pages": {}, "redirects": [], "normalized": [], "interwiki": []}
    reply: Reply = {}
    for reply in query_continued(site, **params):
        query = reply.get("query", {})
        for key in ("redirects", "normalized", "interwiki"):
            merged[key] += [r for r in query.get(key, []) if r not in merged[key]]
        for page in query.get("pages", []):
            old = merged["pages"].setdefault(page["title"], {})
            for key, value in page.items():
                if isinstance(value, list) and isinstance(old.get(key), list):
                    old[key] = old[key] + [v for v in value if v not in old[key]]
                else:
                    old.setdefault(key, value)
        if "userinfo" in query:
            merged["userinfo"] = query["userinfo"]
        if "tokens" in query:
            merged["tokens"] = query["tokens"]
    merged["curtimestamp"] = reply.get("curtimestamp", "")
    return merged


def _follow(title: str, data: Reply) -> tuple[str, str]:
    """The title a page finally is after normalisation and redirects, and why a redirect
    cannot be followed ("" when it can, or when there is none)."""
    for item in data["normalized"]:
        if item["from"] == title:
            title = item["to"]
    seen = {title}
    for _ in range(5):
        hop = next((r for r in data["redirects"] if r["from"] == title), None)
        if hop is None:
            break
        if hop.get("tointerwiki"):
            return title, "interwiki"
        title = hop["to"]
        if title in seen:
            return title, "elsewhere"
        seen.add(title)
    return title, ""


def _talk_page(asked: str, data: Reply) -> TalkPage:
    original = asked
    for item in data["normalized"]:
        if item["from"] == asked:
            original = item["to"]
    title, problem = _follow(asked, data)
    page = data["pages"].get(title, {})
    if not problem and title != original and (
        page.get("ns") != USER_TALK or "/" in _user_of(title)
    ):
        problem = "elsewhere"
    owner = _user_of(title) if not problem else _user_of(original)
    revision = (page.get("revisions") or [{}])[0]
    actions = page.get("actions", {})
    exists = "missing" not in page and bool(page)
    can_edit = bool(actions.get("edit" if exists else "create", True)) if page else True
    return TalkPage(
        asked=original,
        title=title if not problem else original,
        owner=normalise_user(owner),
        exists=exists,
        text=revision.get("slots", {}).get("main", {}).get("content", "") if exists else "",
        revid=int(revision.get("revid", 0) or 0),
        timestamp=revision.get("timestamp", ""),
        categories=tuple(c.get("title", "") for c in page.get("categories", [])),
        can_edit=can_edit,
        redirect=problem,
    )


def read_talk_pages(site: Site, users: Iterable[str], category: str) -> dict[str, TalkPage]:
    """The talk pages of many users, 50 a request (500 with ``apihighlimits``), keyed by
    the user name as given."""
    names = sorted(set(users))
    found: dict[str, TalkPage] = {}
    batch = 500 if site.has_right("apihighlimits") else BATCH
    for start in range(0, len(names), batch):
        chunk = names[start : start + batch]
        data = _query(site, [talk_title(u) for u in chunk], category)
        for user in chunk:
            found[user] = _talk_page(talk_title(user), data)
    return found


def recheck(site: Site, shutoff_title: str, asked: str, category: str) -> tuple[TalkPage, str]:
    """Just before a notice: stop if the shutoff page has text or the bot is blocked;
    otherwise the talk page as it is now, and the wiki's clock (for the edit)."""
    pages, clock = recheck_many(site, shutoff_title, [asked], category)
    return pages[asked], clock


def recheck_many(site: Site, shutoff_title: str, asked: list[str], category: str
                 ) -> tuple[dict[str, TalkPage], str]:
    """Just before a batch of notices, in one request: stop if the shutoff page has text
    or the bot is blocked; otherwise the talk pages (by title as asked) as they are now,
    and the wiki's clock (for the edits)."""
    data = _query(site, [shutoff_title, *asked], category,
                  {"meta": "userinfo|tokens", "uiprop": "blockinfo", "type": "csrf"})
    page = data["pages"].get(_follow(shutoff_title, data)[0], {})
    text = ""
    if "missing" not in page and page.get("revisions"):
        text = page["revisions"][0].get("slots", {}).get("main", {}).get("content", "")
    if text.strip():
        raise shutoff(shutoff_title)
    _stop_if_blocked(data.get("userinfo", {}))
    remember_csrf(site, data.get("tokens", {}).get("csrftoken", ""))  # for the posts
    return {title: _talk_page(title, data) for title in asked}, data.get("curtimestamp", "")


def _stop_if_blocked(info: Reply) -> None:
    if "blockid" in info:
        raise bot_blocked(str(info.get("name", "")),
                          str(info.get("blockreason", "no reason given")))


def check_not_blocked(site: Site) -> None:
    """Stop at once when the bot's account is blocked (a blocked bot would also see every
    talk page as one it may not edit)."""
    reply = site.simple_request(action="query", meta="userinfo", uiprop="blockinfo",
                                formatversion=2).submit()
    _stop_if_blocked(reply.get("query", {}).get("userinfo", {}))


def _landed(site: Site, title: str, mark: str) -> int:
    """The latest revision of ``title`` when the bot made it and it holds ``mark`` (this
    run's section marker: the text itself differs, MediaWiki expands the signature), else 0."""
    revision = latest_revision(site, title, "ids|user|content")
    content = revision.get("slots", {}).get("main", {}).get("content", "")
    if revision.get("user") == site.user() and mark in content:
        return int(revision["revid"])
    return 0


def post(site: Site, talk: TalkPage, text: str, summary: str, started: str, landed_if: str = ""
         ) -> int:
    """Save ``text`` as the talk page's new text; return the new revision id (0 when the
    page already held exactly this text: a resent request).  When the wiki answers that
    the page changed, and its latest revision is the bot's and holds ``landed_if``, an
    earlier copy of this very request was saved and its answer lost: that is success.
    A text larger than the wiki accepts is not sent at all (:class:`PageTooBig`)."""
    check_talk_size(talk.title, text, max_page_bytes(site))
    params = {
        "action": "edit", "title": talk.title, "text": text, "summary": summary,
        "token": site.tokens["csrf"], "bot": True, "notminor": True,
        "watchlist": "nochange", "formatversion": 2,
    }
    if talk.exists:  # by id: a base time misses an edit made in the same second
        params.update(baserevid=talk.revid, nocreate=True)
    else:
        params["createonly"] = True
    if started:
        params["starttimestamp"] = started
    try:
        reply = submit_edit(site, params)
    except APIError as error:
        not_a_bot(error)
        if error.code in CHANGED:
            landed = _landed(site, talk.title, landed_if) if landed_if else 0
            if landed:  # a resent request: the first one was saved, its answer lost
                return landed
            raise EditConflict(f"[[{talk.title}]] changed while the bot was posting") from None
        if error.code in REFUSED:
            raise SaveRefused(f"[[{talk.title}]] cannot be edited by the bot ({error.code})"
                              ) from None
        if error.code in BLOCKED:
            raise BotBlocked(f"the bot is blocked ({error.info})") from None
        raise
    result = reply.get("edit", {})
    if result.get("result") != "Success":
        raise SaveRefused(f"[[{talk.title}]] was not saved: {result}")
    if "nochange" in result:  # a resent request: find the revision the first one made
        return _landed(site, talk.title, landed_if) if landed_if else 0
    return int(result.get("newrevid", 0) or 0)

