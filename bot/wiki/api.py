"""Requests to the MediaWiki API through Pywikibot, shared by pages, talk pages and leases.

Pywikibot is untyped: a site is ``Any`` here, and an API reply a plain dict.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pywikibot import exceptions as pwb_exc

from bot.limits import DEFAULT_MAX_BYTES, HEADROOM
from bot.wiki.errors import NotABot

#: A site of Pywikibot (``pywikibot.site.APISite``).
Site = Any
#: One reply of the API (``formatversion=2``).
Reply = dict[str, Any]

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


def submit_edit(site: Site, params: dict[str, Any]) -> Reply:
    """Send one edit with ``assert=bot``: should the account lose its bot flag (or its
    login), the wiki refuses the edit (``assertbotfailed``) and the run stops instead of
    flooding Recent changes.  (Pywikibot sets ``assert=user`` on every write; ours
    replaces it after the request is made.)"""
    request = site.simple_request(**params)
    request["assert"] = "bot"
    reply: Reply = request.submit()
    return reply


def not_a_bot(error: pwb_exc.APIError) -> None:
    """Stop the run when the wiki refused an edit because the account is not a bot."""
    if error.code in NOT_A_BOT:
        raise NotABot(
            "the wiki says the bot's account is not flagged as a bot (or not logged in) "
            f"({error.code}), so it stops before making edits that would flood Recent changes"
        ) from None


def query_continued(site: Site, **params: Any) -> Iterator[Reply]:
    """Every reply of one API query, following ``continue`` to the end: a reply may stop
    half-way (too many values, or texts over the API's result size)."""
    params.setdefault("formatversion", 2)
    while True:
        reply: Reply = site.simple_request(**params).submit()
        yield reply
        if "continue" not in reply:
            return
        params.update(reply["continue"])


def remember_csrf(site: Site, token: str) -> None:
    """Keep an edit token that came with another query, so that the run's first edit
    needs no request of its own for it.  (Pywikibot's token wallet would fetch every kind
    of token in a request of its own, and drops what it holds when it sees that the
    account changed since it was made: it is told the account the token is for.  It
    asks again should the wiki call the token bad.)"""
    wallet = getattr(site, "tokens", None)
    held = getattr(wallet, "_tokens", None)
    if not isinstance(held, dict) or not token or token == "+\\":
        return
    wallet._currentuser = site.user()  # type: ignore[union-attr]
    held.setdefault("csrf", token)


def without_done(cont: dict[str, Any], module: str) -> dict[str, Any]:
    """A ``continue`` with ``module`` no longer listed as done, so the next request runs it
    again (with new values: the bot asks about more accounts alongside each batch)."""
    value = str(cont.get("continue", ""))
    if "||" not in value:
        return cont
    head, done = value.split("||", 1)
    kept = "|".join(m for m in done.split("|") if m and m != module)
    return {**cont, "continue": f"{head}||{kept}"}


def query_pages(reply: Reply) -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = reply.get("query", {}).get("pages", [])
    return pages


def latest_revision(site: Site, title: str, props: str) -> dict[str, Any]:
    """The latest revision of one page with the given ``rvprop`` (``{}`` when it has none);
    for the rare checks after an edit whose answer did not say enough."""
    for reply in query_continued(site, action="query", titles=title, prop="revisions",
                                 rvprop=props, rvslots="main"):
        for page in query_pages(reply):
            for revision in page.get("revisions", []):
                found: dict[str, Any] = revision
                return found
    return {}


def max_page_bytes(site: Site) -> int:
    """The most bytes the bot puts in one page: the wiki's own limit (``maxarticlesize`` in
    siteinfo, i.e. ``$wgMaxArticleSize``; read with the site's other facts, no extra request)
    less a little room for what MediaWiki adds on save; 2048 KiB when the wiki does not say."""
    try:
        limit = int(site.siteinfo["maxarticlesize"])
    except (AttributeError, KeyError, TypeError, ValueError, pwb_exc.Error):
        limit = DEFAULT_MAX_BYTES
    return (limit if limit > 0 else DEFAULT_MAX_BYTES) - HEADROOM
