"""Profile pages -> the skills directory: Profiles and the Problems found on the way.

Pure: pages and revisions in, plain data out.  Nothing here raises on bad
input; everything a participant could fix becomes a :class:`Problem` with a
message a newcomer understands.

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

**Status**, when several apply: quarantined > blocked > opted-out > stale >
active.  Quarantined means no trustworthy revision, an account that does not
exist, or a name that cannot be an account.  Opted-out means the entry does not
say ``consent=yes``; an explicit ``consent=no`` is a choice, not a problem, so
only a missing or unreadable answer is reported.  Stale means the revision used
is older than ``stale_after_days``.

**One profile per user.**  When a user has several entries, the newest
(revision time, then revision id, then position on the page: the last one wins
as for parameters) is kept, preferring any trustworthy entry over a
quarantined one so that a forged entry cannot push out the real one; the
others are reported as ``duplicate-profile``.

**Field rules.**  Region comes from ``region=`` when it is understood (an
explicit answer wins; a country outside that region is reported as
``region-country-mismatch``), else from the country.  ``capacity`` is the
number of coffees a month as a sharer: default 1, at most 4 (larger numbers are
capped and reported); 0 is allowed and means "listed, but not sharing this
month".  ``formats`` defaults to all three; unknown words are reported and
ignored.  ``notify`` defaults to yes; an unreadable answer counts as no (never
message someone who may have said no).  A value containing a template is
reported and read without the template.  Affiliation and bio are one line of at
most 200 characters.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.model import Entry, PageData, Problem, Profile, Revision
from bot.taxonomy import did_you_mean, split_list
from bot.wikitext.entries import parse_entries, strip_templates
from bot.wikitext.guard import Unreadable, check_readable
from bot.wikitext.tables import normalise_user, valid_user_name

if TYPE_CHECKING:
    from bot.taxonomy import Taxonomy

#: Canonical parameter names of the profile template.
PROFILE_PARAMS = (
    "user", "region", "country", "languages", "affiliation", "share", "learn", "areas",
    "capacity", "formats", "notify", "consent", "lang", "bio",
)

#: Other names people write for the parameters (matched ignoring case and underscores).
PROFILE_ALIASES: dict[str, str] = {
    **{name: name for name in PROFILE_PARAMS},
    "username": "user", "user name": "user", "account": "user",
    "shares": "share", "sharing": "share", "skills to share": "share", "can share": "share",
    "offers": "share",
    "learning": "learn", "wants": "learn", "wants to learn": "learn",
    "skills to learn": "learn", "learns": "learn",
    "language": "languages", "spoken languages": "languages",
    "group": "affiliation", "affiliate": "affiliation", "organization": "affiliation",
    "organisation": "affiliation", "affiliations": "affiliation",
    "topics": "areas", "thematic areas": "areas", "area": "areas",
    "format": "formats",
    "about": "bio", "biography": "bio",
    "notice language": "lang",
}

FORMATS = ("1:1", "group", "clinic")
MAX_CAPACITY = 4
DEFAULT_CAPACITY = 1
MAX_TEXT = 200
#: Items read from one list field (there are fewer skills than this in all).
MAX_ITEMS = 60
DEFAULT_SKILLS_PAGE = "Grants:Knowledge Sharing/Connect/Skills"

_FORMAT_WORDS = {
    "1:1": (
        "11", "1on1", "1to1", "onetoone", "oneonone", "individual", "individuel", "coffee",
        "coffees", "tea", "coffeetea", "coffeeortea", "فردي",
    ),
    "group": ("group", "groups", "smallgroup", "cluster", "grupo", "grupos", "groupe", "groupes",
              "مجموعة", "جماعي"),
    "clinic": ("clinic", "clinics", "learningclinic", "learningclinics", "clinica", "clínica",
               "clinicas", "clínicas", "clinique", "cliniques", "عيادة"),
}
_FORMAT_LOOKUP = {word: fmt for fmt, words in _FORMAT_WORDS.items() for word in words}
_YES = frozenset({"yes", "y", "true", "1", "on", "si", "sí", "oui", "sim", "ja", "نعم"})
_NO = frozenset({"no", "n", "false", "0", "off", "non", "não", "nao", "nein", "لا"})
_QUARANTINE_CODES = ("untrusted", "no-such-user", "bad-user-name")

#: What each problem says: what is wrong, then how to fix it.
MESSAGES: dict[str, str] = {
    "unknown-skill": "The skill “{value}” in {field}= is not in the list of skills.{hint} "
                     "See the list of skills at {skills_page}.",
    "unknown-area": "The area “{value}” in {field}= is not one of the program's areas.{hint} "
                    "See the areas at {skills_page}.",
    "unknown-country": "The country “{value}” is not understood.{hint} Write the country's "
                       "name in English or its two-letter code (for example Kenya or KE).",
    "unknown-language": "The language “{value}” in {field}= is not understood.{hint} Write a "
                        "language name or its code (for example Spanish or es).",
    "unknown-region": "The region “{value}” is not one of the Wikimedia regions.{hint} "
                      "You can also leave region= empty: the bot then uses your country's region.",
    "region-country-mismatch": "The region “{region}” does not include the country “{country}” "
                               "(the bot counts it in “{country_region}”). The directory uses "
                               "“{region}” as you wrote; if that is a mistake, correct region= "
                               "or leave it empty.",
    "no-consent": "The entry does not say consent=yes, so it is not shown in the directory and "
                  "not used for matching. Add consent=yes if you agree to be listed publicly.",
    "duplicate-parameter": "The parameter {field}= is given more than once; only the last one "
                           "counts. Keep just one.",
    "unknown-parameter": "The parameter “{value}” is not one the profile understands, so it is "
                         "ignored.{hint} The parameters are: {params}.",
    "bad-capacity": "capacity= should be a whole number of coffees a month from 0 to "
                    f"{MAX_CAPACITY}; “{{value}}” is read as {{used}}.",
    "bad-formats": "The format “{value}” is not understood and is ignored. Use one or more of: "
                   "1:1, group, clinic.",
    "bad-notify": "notify= should be yes or no; “{value}” is read as no, so the bot will not "
                  "message you. Write notify=yes to get notices.",
    "no-languages": "No language the bot understands is given in languages=, so nobody can be "
                    "matched with you. Add at least one language you can talk in.",
    "template-in-value": "The value of {field}= contains a template ({value}), which the bot "
                         "cannot read; it is ignored. Write plain text instead.",
    "edited-by-other": "The latest edit ({latest_user}, revision {latest_revid}) changed this "
                       "entry ({changes}), but only the owner or the working group can change it, "
                       "so the directory uses revision {used_revid} by {used_user}. If the change "
                       "is right, {owner} can save it again.",
    "untrusted": "No version of this entry was saved by {owner} or the working group, so it is "
                 "quarantined: not shown, matched or notified. {owner} should save the entry "
                 "themselves.",
    "no-such-user": "There is no account named “{value}”, so the entry is quarantined. Check the "
                    "spelling of the user name.",
    "bad-user-name": "“{value}” cannot be an account name, so the entry is quarantined.{hint} "
                     "Write your user name exactly as it is shown when you are logged in.",
    "too-many-items": "{field}= lists {count} items; only the first {limit} are read, so the "
                      "others are not checked or used. Keep the ones that matter most.",
    "unreadable-page": "The bot could not read this page: {reason}. Nothing on it is listed "
                       "until that is fixed: remove what is never closed and save again.",
    "moved-profile": "{mover} moved this page to its present title, which names {mover}, in "
                     "revision {revid}, without changing the entry. Moving a page does not make "
                     "it yours, so the directory keeps the entry as {owner}'s, who wrote it. "
                     "{owner} or an administrator can move the page back to a title of "
                     "{owner}'s own.",
    "no-user": "Profile number {number} on this page does not say whose it is. Add user= with "
               "your user name, or move the entry to your own profile page.",
    "user-mismatch": "This page belongs to {owner}, but user= says “{value}”. The entry is "
                     "listed as {owner}'s. If it is {value}'s profile, {value} should put it on "
                     "their own page.",
    "blocked": "The account is blocked, so the entry is not listed or matched while the block "
               "lasts.",
    "duplicate-profile": "{owner} has another entry, on {other_page} (revision {other_revid}), "
                         "which is used instead of this one. Remove the entry you no longer want.",
    "stale": "The entry was last changed by {owner} on {date}, more than {days} days ago, so it "
             "is not used for matching. Edit it (for example, check your skills) to make it "
             "active again.",
    "empty-profile": "The entry gives no skill to share or to learn, so there is nothing to "
                     "match. Add share= or learn= (or both).",
}


@dataclass(frozen=True)
class DirectorySettings:
    """What the directory needs from the configuration."""

    template_names: tuple[str, ...] = ("Let's Connect/Profile",)
    prefixes: tuple[str, ...] = ("Grants:Knowledge Sharing/Connect/Directory/",)
    trusted: frozenset[str] = frozenset()
    stale_after_days: int = 365
    #: Named in problem messages as the place where the skills are listed.
    skills_page: str = DEFAULT_SKILLS_PAGE


@dataclass(frozen=True)
class Directory:
    """What one directory run understood: the input of matching, notices and pages."""

    profiles: tuple[Profile, ...]  # every entry understood, any status, sorted by user
    problems: tuple[Problem, ...]  # sorted by page, user, field

    def active(self) -> tuple[Profile, ...]:
        """The profiles that may be shown and matched."""
        return tuple(p for p in self.profiles if p.status == "active" and p.consent)


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
    owners = {_entry_owner(e, None) for e in _parse(latest, page.title, settings)}
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
        owners = {_entry_owner(e, None) for e in _parse(latest, page.title, settings)}
    return trusted | {o for o in owners if o and valid_user_name(o)}


def build_directory(
    pages: Sequence[PageData],
    taxonomy: Taxonomy,
    settings: DirectorySettings,
    *,
    now: datetime,
    blocked: Collection[str] = (),
    missing_users: Collection[str] = (),
    invalid_users: Collection[str] = (),
) -> Directory:
    """Every profile entry on ``pages``, judged by the rules in the module docstring.

    ``invalid_users`` are names the wiki itself refused as user names (it is the
    judge: a name our own check lets through may still be one it refuses)."""
    context = _Context(
        taxonomy=taxonomy,
        settings=settings,
        now=now if now.tzinfo else now.replace(tzinfo=UTC),
        trusted=frozenset(normalise_user(u) for u in settings.trusted),
        blocked=frozenset(normalise_user(u) for u in blocked),
        missing=frozenset(normalise_user(u) for u in missing_users),
        invalid=frozenset(normalise_user(u) for u in invalid_users),
    )
    candidates: list[_Candidate] = []
    problems: list[Problem] = []
    for page in sorted(pages, key=lambda p: p.title):
        found, reported = _page_candidates(page, context)
        candidates.extend(found)
        problems.extend(reported)
    profiles, more = _one_per_user(candidates)
    problems.extend(more)
    return Directory(
        profiles=tuple(sorted(profiles, key=lambda p: (p.user.casefold(), p.user))),
        problems=tuple(sorted(set(problems), key=_problem_key)),
    )


def _problem_key(p: Problem) -> tuple[str, ...]:
    return (p.page, p.user, p.field, p.code, p.value, p.message)


# --- pages and revisions ---------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    taxonomy: Any
    settings: DirectorySettings
    now: datetime
    trusted: frozenset[str]
    blocked: frozenset[str]
    missing: frozenset[str]
    invalid: frozenset[str] = frozenset()


@dataclass
class _Candidate:
    profile: Profile
    problems: list[Problem]
    index: int

    @property
    def rank(self) -> tuple[bool, str, int, int]:
        """Bigger is better: trustworthy, then newest, then last on the page."""
        p = self.profile
        return (p.status != "quarantined", _sortable_time(p.timestamp), p.revision, self.index)


def _parse(revision: Revision, title: str, settings: DirectorySettings) -> list[Entry]:
    return parse_entries(revision.text, title, settings.template_names, PROFILE_ALIASES)


def _entry_owner(entry: Entry, title_owner: str | None) -> str:
    if title_owner is not None:
        return title_owner
    raw = entry.params.get("user", "")
    if "user" in entry.templated:
        raw = strip_templates(raw)
    return normalise_user(raw)


def _page_candidates(page: PageData, ctx: _Context) -> tuple[list[_Candidate], list[Problem]]:
    latest = page.latest
    if not page.exists or latest is None:
        return [], []
    title_owner = page_owner(page.title, ctx.settings.prefixes)
    try:
        check_readable(latest.text)
    except Unreadable as error:
        return [], [_problem(page.title, title_owner or "", "unreadable-page", "", "",
                             reason=str(error))]
    problems: list[Problem] = []
    taker = _taken_by_move(page, title_owner, ctx)
    if taker is not None:
        title_owner = normalise_user(latest.writer)
        problems.append(_moved(page, title_owner, taker))
    parsed: dict[int, list[Entry]] = {}

    def entries_of(position: int) -> list[Entry]:
        if position not in parsed:
            parsed[position] = _parse(page.revisions[position], page.title, ctx.settings)
        return parsed[position]

    candidates: list[_Candidate] = []
    for entry in entries_of(0):
        if _entry_owner(entry, title_owner) == "":
            problems.append(_unattributed(entry))
    for owner in _owners(page, entries_of, title_owner):
        found, reported = _owner_candidates(page, owner, title_owner, entries_of, ctx)
        candidates.extend(found)
        problems.extend(reported)
    return candidates, problems


def _taken_by_move(page: PageData, title_owner: str | None, ctx: _Context) -> Revision | None:
    """The revision by which the page came to a title naming ``title_owner`` without their
    writing a word of it (a move: a null revision by them), or None.

    Someone who moves another person's profile to a title naming themselves must not
    become its owner: the page is then judged as its writer's.
    """
    latest = page.latest
    if title_owner is None or latest is None or not latest.null:
        return None
    writer = normalise_user(latest.writer)
    accepted = ctx.trusted | {title_owner}
    if writer in accepted or not valid_user_name(writer):
        return None
    if any(normalise_user(r.writer) in accepted for r in page.revisions):
        return None  # the title's owner (or the working group) wrote a version of it
    return next((r for r in page.revisions if r.null and normalise_user(r.user) == title_owner),
                None)


def _moved(page: PageData, owner: str, taker: Revision) -> Problem:
    return _problem(page.title, owner, "moved-profile", "", taker.user, mover=taker.user,
                    revid=taker.revid, owner=owner)


def _unattributed(entry: Entry) -> Problem:
    written = entry.params.get("user", "")
    if "user" in entry.templated:
        return _problem(entry.page, "", "template-in-value", "user", written)
    return _problem(entry.page, "", "no-user", "user", written, number=entry.index + 1)


def _owners(
    page: PageData, entries_of: Callable[[int], list[Entry]], title_owner: str | None
) -> list[str]:
    """Owners in the latest revision first, then owners whose entries only older
    revisions hold (someone else may have removed them)."""
    if title_owner is not None:
        return [title_owner]
    owners: list[str] = []
    for position in range(len(page.revisions)):
        for entry in entries_of(position):
            owner = _entry_owner(entry, title_owner)
            if owner and owner not in owners:
                owners.append(owner)
    return owners


def _owner_candidates(
    page: PageData,
    owner: str,
    title_owner: str | None,
    entries_of: Callable[[int], list[Entry]],
    ctx: _Context,
) -> tuple[list[_Candidate], list[Problem]]:
    accepted = ctx.trusted | {owner}
    latest_mine = [e for e in entries_of(0) if _entry_owner(e, title_owner) == owner]
    position = next(
        (i for i, r in enumerate(page.revisions) if normalise_user(r.writer) in accepted), None
    )
    used = [] if position is None else [
        e for e in entries_of(position) if _entry_owner(e, title_owner) == owner
    ]
    if position is None or not used:
        # Only untrusted revisions hold an entry for this owner (or none does).
        found = [_candidate(e, page.revisions[0], owner, title_owner, ctx, trusted=False)
                 for e in latest_mine]
        return found, []
    revision = page.revisions[position]
    if revision.null:  # the text's own time counts (a move does not make an entry fresh)
        revision = replace(revision, timestamp=revision.written)
    problems: list[Problem] = []
    if position > 0 and _differs(latest_mine, used):
        problems.append(_edited_by_other(page, owner, latest_mine, used, revision))
    found = [_candidate(e, revision, owner, title_owner, ctx, trusted=True) for e in used]
    return found, problems


def _differs(latest: list[Entry], used: list[Entry]) -> bool:
    return [e.params for e in latest] != [e.params for e in used]


def _edited_by_other(
    page: PageData, owner: str, latest: list[Entry], used: list[Entry], revision: Revision
) -> Problem:
    newest = page.revisions[0]
    if not latest:
        changes = "it was removed"
    elif len(latest) != len(used):
        changes = "entries were added or removed"
    else:
        names = sorted({k for a, b in zip(latest, used, strict=True)
                        for k in a.params.keys() | b.params.keys()
                        if a.params.get(k) != b.params.get(k)})
        changes = "changed: " + ", ".join(names)
    return _problem(
        page.title, owner, "edited-by-other", "", newest.writer,
        latest_user=newest.writer or "a hidden user", latest_revid=newest.revid, changes=changes,
        used_revid=revision.revid, used_user=revision.user, owner=owner,
    )


# --- one entry -> one candidate profile -------------------------------------------------


class _Report:
    """Collects the problems of one entry, all with the same page and user."""

    def __init__(self, page: str, user: str, skills_page: str) -> None:
        self.page, self.user, self.skills_page = page, user, skills_page
        self.problems: list[Problem] = []

    def add(self, code: str, field_name: str = "", value: str = "", **details: Any) -> None:
        self.problems.append(_problem(self.page, self.user, code, field_name, value,
                                      skills_page=self.skills_page, **details))


def _problem(
    page: str, user: str, code: str, field_name: str, value: str, **details: Any
) -> Problem:
    values = {"field": field_name, "value": value, "hint": "", "owner": user,
              "skills_page": DEFAULT_SKILLS_PAGE, **details}
    return Problem(page=page, user=user, code=code, field=field_name, value=value,
                   message=MESSAGES[code].format(**values))


@dataclass
class _Reader:
    """The values of one entry, with templates already reported and removed."""

    entry: Entry
    report: _Report
    values: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name, value in self.entry.params.items():
            if name in self.entry.templated:
                self.report.add("template-in-value", name, value)
                value = strip_templates(value)
            self.values[name] = value.strip()

    def get(self, name: str) -> str:
        return self.values.get(name, "")


def _candidate(
    entry: Entry, revision: Revision, owner: str, title_owner: str | None, ctx: _Context,
    *, trusted: bool,
) -> _Candidate:
    report = _Report(entry.page, owner, ctx.settings.skills_page)
    reader = _Reader(entry, report)
    _report_parameters(entry, reader, title_owner, report)
    profile = Profile(
        user=owner,
        page=entry.page,
        revision=revision.revid,
        timestamp=revision.timestamp,
        affiliation=_one_line(reader.get("affiliation")),
        bio=_one_line(reader.get("bio")),
        **_skills(reader, ctx.taxonomy, report),
        **_place(reader, ctx.taxonomy, report),
        **_languages(reader, ctx.taxonomy, report),
        **_participation(reader, report),
    )
    status = _status(profile, reader.get("consent"), revision, ctx, report, trusted=trusted)
    notes = tuple(sorted({p.code for p in report.problems}))
    return _Candidate(replace(profile, status=status, notes=notes), report.problems, entry.index)


def _report_parameters(
    entry: Entry, reader: _Reader, title_owner: str | None, report: _Report
) -> None:
    for name in entry.duplicates:
        report.add("duplicate-parameter", name, reader.get(name))
    for name in entry.unknown:
        report.add("unknown-parameter", name, name, hint=_did_you_mean_param(name),
                   params=", ".join(PROFILE_PARAMS))
    written = normalise_user(reader.get("user"))
    if title_owner is not None and written and written != title_owner:
        report.add("user-mismatch", "user", reader.get("user"))
    if not reader.get("share") and not reader.get("learn"):
        report.add("empty-profile")


def _did_you_mean_param(name: str) -> str:
    close = difflib.get_close_matches(name.casefold(), list(PROFILE_ALIASES), n=1, cutoff=0.7)
    return f" Did you mean “{PROFILE_ALIASES[close[0]]}”?" if close else ""


def _items(reader: _Reader, name: str) -> list[str]:
    """The items of a list field, at most :data:`MAX_ITEMS` of them: every item costs a
    lookup, so a list of thousands would make one entry slow down every job."""
    items = [item for item in split_list(reader.get(name)) if item.strip()]
    if len(items) > MAX_ITEMS:
        # Reported for the entry as a whole (no field), so that it comes first among the
        # entry's problems and is seen even when the rest are summed up as "N more".
        reader.report.add("too-many-items", "", str(len(items)), field=name,
                          count=len(items), limit=MAX_ITEMS)
    return items[:MAX_ITEMS]


def _resolve_all(
    reader: _Reader, name: str, resolve: Callable[[str], Any], code: str, report: _Report
) -> tuple[str, ...]:
    ids: list[str] = []
    for item in _items(reader, name):
        resolution = resolve(item)
        if resolution.ok:
            if resolution.value not in ids:
                ids.append(resolution.value)
        else:
            report.add(code, name, item, hint=did_you_mean(resolution.suggestion))
    return tuple(ids)


def _skills(reader: _Reader, tax: Any, report: _Report) -> dict[str, tuple[str, ...]]:
    return {
        "share": _resolve_all(reader, "share", tax.resolve_skill, "unknown-skill", report),
        "learn": _resolve_all(reader, "learn", tax.resolve_skill, "unknown-skill", report),
        "areas": _resolve_all(reader, "areas", tax.resolve_area, "unknown-area", report),
    }


def _languages(reader: _Reader, tax: Any, report: _Report) -> dict[str, Any]:
    languages = _resolve_all(reader, "languages", tax.resolve_language, "unknown-language",
                             report)
    if not languages:
        report.add("no-languages", "languages", reader.get("languages"))
    lang = ""
    if reader.get("lang"):
        resolution = tax.resolve_language(reader.get("lang"))
        if resolution.ok:
            lang = resolution.value
        else:
            report.add("unknown-language", "lang", reader.get("lang"),
                       hint=did_you_mean(resolution.suggestion))
    return {"languages": languages, "lang": lang}


def _place(reader: _Reader, tax: Any, report: _Report) -> dict[str, str]:
    country = ""
    if reader.get("country"):
        resolution = tax.resolve_country(reader.get("country"))
        if resolution.ok:
            country = resolution.value
        else:
            report.add("unknown-country", "country", reader.get("country"),
                       hint=did_you_mean(resolution.suggestion))
    country_region = (tax.region_of_country(country) if country else None) or ""
    region = ""
    if reader.get("region"):
        resolution = tax.resolve_region(reader.get("region"))
        if resolution.ok:
            region = resolution.value
        else:
            report.add("unknown-region", "region", reader.get("region"),
                       hint=did_you_mean(resolution.suggestion))
    if region and country and country_region and country_region != region:
        if country not in tax.regions[region].countries:
            report.add("region-country-mismatch", "region", reader.get("region"),
                       region=tax.region_label(region, "en"),
                       country=tax.country_name(country, "en"),
                       country_region=tax.region_label(country_region, "en"))
    return {"country": country, "region": region or country_region}


def _participation(reader: _Reader, report: _Report) -> dict[str, Any]:
    return {
        "capacity": _capacity(reader.get("capacity"), report),
        "formats": _formats(reader, report),
        "notify": _notify(reader.get("notify"), report),
        "consent": _yes_no(reader.get("consent")) is True,
    }


def _capacity(value: str, report: _Report) -> int:
    if not value:
        return DEFAULT_CAPACITY
    if re.fullmatch(r"\d{1,6}", value):
        number = int(value)
        if number <= MAX_CAPACITY:
            return number
        report.add("bad-capacity", "capacity", value, used=MAX_CAPACITY)
        return MAX_CAPACITY
    report.add("bad-capacity", "capacity", value, used=DEFAULT_CAPACITY)
    return DEFAULT_CAPACITY


def _formats(reader: _Reader, report: _Report) -> tuple[str, ...]:
    chosen: set[str] = set()
    for item in _items(reader, "formats"):
        key = re.sub(r"[\s\-_:/.]+", "", item.casefold())
        if key in _FORMAT_LOOKUP:
            chosen.add(_FORMAT_LOOKUP[key])
        else:
            report.add("bad-formats", "formats", item)
    return tuple(f for f in FORMATS if f in chosen) or FORMATS


def _yes_no(value: str) -> bool | None:
    word = value.strip().casefold().rstrip(".!")
    if word in _YES:
        return True
    if word in _NO:
        return False
    return None


def _notify(value: str, report: _Report) -> bool:
    if not value:
        return True
    answer = _yes_no(value)
    if answer is None:
        report.add("bad-notify", "notify", value)
        return False
    return answer


def _one_line(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= MAX_TEXT else line[: MAX_TEXT - 1].rstrip() + "…"


# --- status and duplicates ---------------------------------------------------------------


def _status(
    profile: Profile, consent_text: str, revision: Revision, ctx: _Context, report: _Report,
    *, trusted: bool,
) -> str:
    """The first status that applies, in precedence order; every reason is reported."""
    owner = profile.user
    statuses: list[str] = []
    if not valid_user_name(owner) or owner in ctx.invalid:
        report.add("bad-user-name", "user", owner, hint=_invisible_hint(owner))
        statuses.append("quarantined")
    elif owner in ctx.missing:
        report.add("no-such-user", "user", owner)
        statuses.append("quarantined")
    if not trusted:
        if not statuses:  # for a name that is no account, "not saved by them" says nothing new
            report.add("untrusted", "", revision.user)
        statuses.append("quarantined")
    if owner in ctx.blocked:
        report.add("blocked", "", owner)
        statuses.append("blocked")
    if not profile.consent:
        if _yes_no(consent_text) is not False:
            report.add("no-consent", "consent", consent_text)
        statuses.append("opted-out")
    if not statuses and _is_stale(revision.timestamp, ctx):
        report.add("stale", "", revision.timestamp, date=revision.timestamp[:10],
                   days=ctx.settings.stale_after_days)
        statuses.append("stale")
    return statuses[0] if statuses else "active"


def _invisible_hint(name: str) -> str:
    """Name the characters a reader cannot see (a zero-width joiner looks like nothing)."""
    hidden = sorted({ch for ch in name
                     if unicodedata.category(ch) in ("Cf", "Cc", "Co", "Zl", "Zp")
                     or (unicodedata.category(ch) == "Zs" and ch != " ")})
    if not hidden:
        return ""
    codes = ", ".join(f"U+{ord(ch):04X} ({unicodedata.name(ch, 'unnamed')})" for ch in hidden)
    return f" It contains a character that cannot be seen: {codes}."


def _parse_time(timestamp: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(timestamp.strip())
    except (ValueError, AttributeError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _sortable_time(timestamp: str) -> str:
    parsed = _parse_time(timestamp)
    return parsed.astimezone(UTC).isoformat() if parsed else ""


def _is_stale(timestamp: str, ctx: _Context) -> bool:
    """A revision whose time cannot be read is not called stale: the wiki edge
    always gives times, so this only protects hand-made data."""
    parsed = _parse_time(timestamp)
    return parsed is not None and ctx.now - parsed > timedelta(days=ctx.settings.stale_after_days)


def _one_per_user(candidates: list[_Candidate]) -> tuple[list[Profile], list[Problem]]:
    by_user: dict[str, list[_Candidate]] = {}
    for candidate in candidates:
        by_user.setdefault(candidate.profile.user, []).append(candidate)
    profiles: list[Profile] = []
    problems: list[Problem] = []
    for group in by_user.values():
        group.sort(key=lambda c: (c.rank, c.profile.page), reverse=True)
        kept = group[0]
        profiles.append(kept.profile)
        for candidate in group:
            problems.extend(candidate.problems)
        for dropped in group[1:]:
            problems.append(_problem(
                dropped.profile.page, dropped.profile.user, "duplicate-profile", "",
                str(dropped.profile.revision), other_page=kept.profile.page,
                other_revid=kept.profile.revision,
            ))
    return profiles, problems
