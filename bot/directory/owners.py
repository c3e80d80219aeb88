"""Whose profile entry is it, and which revision of its page counts.

**Whose entry is it (the owner).**  When the page title names someone
(``User:Ana/…``, ``User:Ana``, or a configured prefix followed by ``Ana`` or
``Ana/…``), every entry on the page is Ana's, whatever its ``user=`` says.  A
different ``user=`` is reported (``user-mismatch``) and ignored: Ana cannot list
somebody else (who never consented) by writing their name on her page, and a
vandal who changes ``user=`` on Ana's page cannot take her entry over.  On a
page whose title names nobody (a shared list), each entry belongs to its
``user=``; an entry without one cannot be attributed and is only reported.

**Which revision counts (trust).**  An entry counts as its owner (or a trusted
working-group member) left it.  For each owner the directory uses the newest
revision of the page made by the owner or a trusted editor:

* when that is the latest revision, nothing is special;
* when it is older, the owner's entries are taken from it and, if they differ
  from the latest text, ``edited-by-other`` says which fields changed and who
  changed them (an entry removed by someone else also comes back this way);
* when there is none among the revisions the wiki edge supplied, the owner's
  entries in the latest revision are ``quarantined``: listed as such, never
  matched, never notified.

On a page that names an owner, only the owner and trusted editors count; on a
shared page, each entry's own user and trusted editors count for that entry,
so two profiles on one page each count on their own.

A revision counts as the words of its *writer*: the person who saved its text.
That is its maker, except for a null revision (a move, a protection, an
import: the same text as the revision before), whose writer the wiki edge
finds in the parent.  When the only revisions by the person a title names are
null revisions (they moved someone else's profile to a title naming
themselves), the page is judged as its writer's and the move is reported
(``moved-profile``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from bot.directory.fields import PROFILE_ALIASES, problem
from bot.i18n.problems import PROFILE
from bot.model import Entry, PageData, Problem, Revision
from bot.wikitext.entries import parse_entries, strip_templates
from bot.wikitext.tables import normalise_user, valid_user_name

if TYPE_CHECKING:
    from bot.directory.settings import DirectorySettings


def page_owner(title: str, prefixes: Iterable[str]) -> str | None:
    """The user a page belongs to by its title, or None for a shared page.

    ``User:`` pages always belong to the user; the configured prefixes add
    pages like ``Grants:…/Directory/Ana`` (and its subpages).
    """
    clean = " ".join(title.replace("_", " ").split())
    for prefix in ("User:", *prefixes):
        prefix = " ".join(prefix.replace("_", " ").split())
        if prefix and clean.casefold().startswith(prefix.casefold()):
            rest = clean[len(prefix):].split("/", 1)[0].strip()
            if rest:
                return normalise_user(rest)
    return None


def needs_history(page: PageData, settings: DirectorySettings) -> bool:
    """Whether the latest revision alone cannot be trusted for every entry on
    the page, so the wiki edge should fetch older revisions."""
    latest = page.latest
    if latest is None:
        return False
    author = normalise_user(latest.writer)
    if author in {normalise_user(u) for u in settings.trusted}:
        return False
    title_owner = page_owner(page.title, settings.prefixes)
    if title_owner is not None:
        return author != title_owner
    owners = {entry_owner(e, None) for e in profile_entries(latest, page.title, settings)}
    return owners != {author}


def authors_to_trust(page: PageData, settings: DirectorySettings) -> set[str]:
    """Whose newest revision of ``page`` the directory may use: the owner(s) and trusted
    editors.  The wiki edge fetches exactly these revisions for pages that need history."""
    latest = page.latest
    trusted = {normalise_user(u) for u in settings.trusted}
    title_owner = page_owner(page.title, settings.prefixes)
    if title_owner is not None or latest is None:
        owners = {title_owner} if title_owner else set()
        if latest is not None and latest.null:  # moved: whose text it is counts too
            owners.add(normalise_user(latest.writer))
    else:
        owners = {entry_owner(e, None) for e in profile_entries(latest, page.title, settings)}
    return trusted | {o for o in owners if o and valid_user_name(o)}


def profile_entries(revision: Revision, title: str, settings: DirectorySettings) -> list[Entry]:
    return parse_entries(revision.text, title, settings.template_names, PROFILE_ALIASES)


def entry_owner(entry: Entry, title_owner: str | None) -> str:
    if title_owner is not None:
        return title_owner
    raw = entry.params.get("user", "")
    if "user" in entry.templated:
        raw = strip_templates(raw)
    return normalise_user(raw)


def taken_by_move(
    page: PageData, title_owner: str | None, trusted: frozenset[str]
) -> Revision | None:
    """The revision by which the page came to a title naming ``title_owner`` without their
    writing a word of it (a move: a null revision by them), or None.

    Someone who moves another person's profile to a title naming themselves must not
    become its owner: the page is then judged as its writer's.
    """
    latest = page.latest
    if title_owner is None or latest is None or not latest.null:
        return None
    writer = normalise_user(latest.writer)
    accepted = trusted | {title_owner}
    if writer in accepted or not valid_user_name(writer):
        return None
    if any(normalise_user(r.writer) in accepted for r in page.revisions):
        return None  # the title's owner (or the working group) wrote a version of it
    return next((r for r in page.revisions if r.null and normalise_user(r.user) == title_owner),
                None)


def moved_profile(page: PageData, owner: str, taker: Revision) -> Problem:
    return problem(page.title, owner, "moved-profile", "", taker.user, mover=taker.user,
                   revid=taker.revid, owner=owner)


def unattributed(entry: Entry) -> Problem:
    written = entry.params.get("user", "")
    if "user" in entry.templated:
        return problem(entry.page, "", "template-in-value", "user", written)
    return problem(entry.page, "", "no-user", "user", written, number=entry.index + 1)


def owners_of(
    page: PageData, entries_of: Callable[[int], list[Entry]], title_owner: str | None
) -> list[str]:
    """Owners in the latest revision first, then owners whose entries only older
    revisions hold (someone else may have removed them)."""
    if title_owner is not None:
        return [title_owner]
    owners: list[str] = []
    for position in range(len(page.revisions)):
        for entry in entries_of(position):
            owner = entry_owner(entry, title_owner)
            if owner and owner not in owners:
                owners.append(owner)
    return owners


def entries_differ(latest: list[Entry], used: list[Entry]) -> bool:
    return [e.params for e in latest] != [e.params for e in used]


def edited_by_other(
    page: PageData, owner: str, latest: list[Entry], used: list[Entry], revision: Revision
) -> Problem:
    newest = page.revisions[0]
    changes: tuple[str, ...]  # a message of the catalogue (bot.i18n.problems)
    if not latest:
        changes = (PROFILE + "change-removed",)
    elif len(latest) != len(used):
        changes = (PROFILE + "change-entries",)
    else:
        names = sorted({k for a, b in zip(latest, used, strict=True)
                        for k in a.params.keys() | b.params.keys()
                        if a.params.get(k) != b.params.get(k)})
        changes = (PROFILE + "change-fields", ", ".join(names))
    return problem(
        page.title, owner, "edited-by-other", "", newest.writer,
        latest_user=newest.writer or (PROFILE + "hidden-user",), latest_revid=newest.revid,
        changes=changes,
        used_revid=revision.revid, used_user=revision.user, owner=owner,
    )
