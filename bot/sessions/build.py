"""Session logs -> Sessions, Resources, Outcomes, Spaces and the Problems found on the way.

Pure: pages in, plain data out; nothing here raises on bad input.  The four
templates (names from the configuration) are read in document order from
every page that uses them:

* ``{{Let's Connect/Session}}``: one learning space that took place or will:
  a clinic, a coffee, a regional session.  A page usually logs one session;
  a page may log several, then each is told apart by ``id=`` (or its date).
* ``{{Let's Connect/Resource}}``: a recording, slides, a document, a guide.
* ``{{Let's Connect/Outcome}}``: the short summary the program asks after a
  coffee (or a session): held or not, when, what came of it.
* ``{{Let's Connect/Space}}``: another learning space of the movement.

Decisions worth knowing:

* **Dates and times are UTC.**  ``date=`` takes ISO dates (2026-10-14), day
  and month names in English, Spanish, French or Portuguese (14 October
  2026, 14 de octubre de 2026) and numeric dates when they can only mean one
  thing (14/10/2026).  ``03/04/2026`` could be March or April: it is reported
  as ambiguous and not guessed.  A time (in ``time=`` or after the date) may
  name its zone as an offset (UTC+3, +05:30, GMT-4) or a tz database name
  (Africa/Nairobi); it is converted to UTC.  Abbreviations such as IST or
  CST mean different zones in different places, so they are reported and
  the time is dropped (the date is kept).  A session whose date cannot be
  read is reported and left out of the calendar and the figures.
* **Which session a resource belongs to.**  ``session=`` names the session's
  page (or ``page#id``, or an ``id`` used by only one session).  Without
  ``session=``, a resource on a page that logs exactly one session belongs
  to it; on a page with no session it belongs to none (a guide may stand
  alone); on a page with several it must say which.  A resource without
  skills or languages takes its session's.
* **Links** are read from the raw wikitext (``[[File:X.pdf]]``, ``[[Page|label]]``,
  ``[https://… label]``, a bare URL, ``File:X.pdf`` or a page title).  Only
  ``http(s)`` web links are accepted.  Files and wiki pages are checked by the
  job; the ones that do not exist are reported.
* **Outcomes** set the status of a coffee group: "held" as soon as one
  outcome says it was held (a meeting that happened happened, whoever
  reports it), "not held" when outcomes only say it was not, and "proposed"
  while there is none.  An outcome for a session turns a ``planned`` session
  into ``held`` (or ``cancelled``); a status the session page states itself
  is never overridden.
* A past session still marked ``planned`` is reported so that someone sets
  ``held`` or ``cancelled``; it does not count as held.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mwparserfromhell.nodes import Comment, ExternalLink, Template, Wikilink

from bot.model import Entry, PageData, Problem
from bot.taxonomy import Resolution, did_you_mean, normalise, split_list
from bot.wikitext.entries import (
    _visible_templates,  # the parser's own rule of which transclusions a reader sees
    normalise_param_name,
    normalise_template_name,
    parse_entries,
    parse_wikitext,
    strip_templates,
)
from bot.wikitext.guard import Unreadable, check_readable
from bot.wikitext.tables import normalise_user, valid_user_name

KINDS = ("session", "resource", "outcome", "space")
FORMATS = ("clinic", "coffee", "regional", "other")
STATUSES = ("planned", "held", "cancelled")
RESOURCE_TYPES = ("recording", "slides", "document", "guide", "other")
GROUP_STATUSES = ("proposed", "held", "not held")
#: Formats that count as learning clinics (regional and thematic sessions are clinics too).
CLINIC_FORMATS = ("clinic", "regional")
MAX_SUMMARY = 300

PARAMS: dict[str, tuple[str, ...]] = {
    "session": ("id", "date", "time", "title", "format", "region", "languages", "interpretation",
                "skills", "sharers", "participants", "registration", "status", "summary",
                "nocat"),
    "resource": ("title", "link", "type", "languages", "skills", "session", "nocat"),
    "outcome": ("group", "session", "held", "date", "summary", "nocat"),
    "space": ("name", "organiser", "region", "topics", "languages", "link", "schedule", "nocat"),
}
ALIASES: dict[str, dict[str, str]] = {
    "session": {
        "when": "date", "datetime": "date", "start": "date", "day": "date",
        "time utc": "time", "start time": "time", "name": "title", "type": "format",
        "language": "languages", "interpreted languages": "interpretation",
        "interpretation languages": "interpretation", "skill": "skills", "topics": "skills",
        "topic": "skills", "sharer": "sharers", "speakers": "sharers", "presenters": "sharers",
        "participant count": "participants", "attendees": "participants",
        "registration link": "registration", "register": "registration", "signup": "registration",
        "sign up": "registration", "state": "status", "notes": "summary", "organizer": "sharers",
    },
    "resource": {
        "name": "title", "url": "link", "file": "link", "kind": "type", "format": "type",
        "language": "languages", "skill": "skills", "topics": "skills", "clinic": "session",
    },
    "outcome": {
        "coffee": "group", "group id": "group", "match": "group", "status": "held",
        "result": "summary", "notes": "summary", "clinic": "session", "when": "date",
    },
    "space": {
        "title": "name", "organizer": "organiser", "organisers": "organiser",
        "organizers": "organiser", "host": "organiser", "topic": "topics", "skills": "topics",
        "language": "languages", "url": "link", "when": "schedule",
    },
}
#: Parameters whose raw wikitext is read as a link target.
LINK_PARAMS = {"session": ("registration",), "resource": ("link", "session"),
               "outcome": ("session",), "space": ("link",)}

_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "format": {
        "clinic": ("clinic", "clinics", "learning clinic", "learning clinics", "clinica",
                   "clínica", "clinique", "عيادة", "workshop", "webinar", "taller", "atelier"),
        "coffee": ("coffee", "coffees", "tea", "coffee tea", "coffee or tea", "1 1", "one to one",
                   "cafe", "café", "cafecito", "thé", "cha", "chá", "قهوة"),
        "regional": ("regional", "regional session", "thematic", "thematic session",
                     "regional thematic", "sesion regional", "sessão regional",
                     "session régionale", "quarterly", "quarterly session"),
        "other": ("other", "otro", "otra", "autre", "outro", "outra"),
    },
    "status": {
        "planned": ("planned", "scheduled", "upcoming", "announced", "open", "registration open",
                    "previsto", "programado", "prevu", "prévu", "planifié", "planejado"),
        "held": ("held", "done", "took place", "happened", "completed", "complete", "finished",
                 "realizado", "realizada", "celebrado", "tenu", "tenue", "realisé", "réalisé",
                 "realizou se", "past"),
        "cancelled": ("cancelled", "canceled", "called off", "cancelado", "cancelada",
                      "annulé", "annule", "cancelled postponed"),
    },
    "type": {
        "recording": ("recording", "recordings", "video", "vídeo", "audio", "podcast",
                      "grabacion", "grabación", "enregistrement", "gravacao", "gravação"),
        "slides": ("slides", "slide", "slide deck", "deck", "presentation", "presentación",
                   "presentacion", "diapositivas", "diapositives", "présentation", "apresentação",
                   "apresentacao"),
        "document": ("document", "documents", "doc", "notes", "report", "pdf", "etherpad", "pad",
                     "documento", "rapport", "relatório", "relatorio", "minutes"),
        "guide": ("guide", "guides", "how to", "howto", "tutorial", "handbook", "manual", "guía",
                  "guia", "toolkit"),
        "other": ("other", "otro", "autre", "outro"),
    },
    "held": {
        "yes": ("yes", "y", "true", "1", "held", "done", "took place", "happened", "met", "sí",
                "si", "oui", "sim", "نعم", "realizado", "tenu"),
        "no": ("no", "n", "false", "0", "not held", "cancelled", "canceled", "did not happen",
               "didn t happen", "not met", "non", "não", "nao", "لا", "no realizado"),
    },
}
_LOOKUP = {kind: {normalise(w): value for value, words in table.items() for w in words}
           for kind, table in _WORDS.items()}
_GLOBAL_REGION = frozenset(normalise(w) for w in (
    "global", "all", "all regions", "worldwide", "international", "online", "movement",
    "mundial", "todas", "mondial", "toutes", "global online"))

MESSAGES: dict[str, str] = {
    "unreadable-page": "The bot could not read this page: {reason}. Nothing on it is used "
                       "until that is fixed: remove what is never closed and save again.",
    "no-date": "The session gives no date=, so it is not in the calendar. Write the date as "
               "YYYY-MM-DD (for example 2026-10-14).",
    "bad-date": "The date “{value}” is not understood, so the session is not in the calendar. "
                "Write it as YYYY-MM-DD (for example 2026-10-14).",
    "ambiguous-date": "The date “{value}” can be read as {first} or {second}. Write it as "
                      "YYYY-MM-DD so that everybody reads the same day.",
    "incomplete-date": "The date “{value}” has no day. Write the full date as YYYY-MM-DD once "
                       "the day is known.",
    "bad-time": "The time “{value}” is not understood; the session is listed with its date only. "
                "Write the time in UTC as HH:MM (for example 14:00).",
    "unknown-timezone": "The time zone “{value}” is not one the bot can convert (short names such "
                        "as IST or CST mean different zones in different places). Write the time "
                        "in UTC, or with an offset such as UTC+3; the session is listed with its "
                        "date only.",
    "unknown-format": "The format “{value}” is not one of: clinic, coffee, regional, other. It is "
                      "counted as other.",
    "unknown-status": "The status “{value}” is not one of: planned, held, cancelled. It is read "
                      "as planned.",
    "status-not-updated": "The session on {date} has passed but is still marked planned, so it "
                          "does not count as held. Set status=held (and add its resources) or "
                          "status=cancelled.",
    "unknown-type": "The type “{value}” is not one of: recording, slides, document, guide, "
                    "other. It is counted as other.",
    "unknown-skill": "The skill “{value}” in {field}= is not in the list of skills.{hint}",
    "unknown-topic": "The topic “{value}” is not a skill or an area the bot knows; it is listed "
                     "under other topics.{hint}",
    "unknown-language": "The language “{value}” in {field}= is not understood.{hint} Write a "
                        "language name or its code (for example Spanish or es).",
    "unknown-region": "The region “{value}” is not one of the Wikimedia regions.{hint} Leave "
                      "region= empty (or write global) for a space open to every region.",
    "bad-participants": "participants= should be a whole number of people; “{value}” is not "
                        "counted.",
    "bad-sharer": "“{value}” in sharers= cannot be a user name; write user names separated by "
                  "commas.",
    "no-title": "The {kind} gives no title=; it is listed as “{used}”.",
    "no-name": "The space gives no name=, so it is not listed. Add name=.",
    "no-link": "The resource “{title}” gives no link=, so readers cannot open it. Add the "
               "address of the recording, the file (File:Name.pdf) or the page.",
    "bad-link": "The link “{value}” in {field}= is not a web address (https://…), a file "
                "(File:…) or a page title, so it is not shown.",
    "missing-page": "The {what} “{value}” in {field}= does not exist on the wiki. Check the "
                    "spelling, or upload the file / create the page.",
    "unknown-session": "No session log matches session=“{value}”; the {kind} is kept without a "
                       "session. Write the title of the session's page.",
    "which-session": "This page logs several sessions, so the {kind} must say which one in "
                     "session= (the page title followed by #id, or the session's id).",
    "ambiguous-session": "session=“{value}” matches several sessions; add #id to say which one.",
    "no-target": "The outcome does not say which coffee group (group=, for example 2026-11-003) "
                 "or which session (session=) it is about, so it is not counted.",
    "unknown-group": "There is no coffee group “{value}” in the published rounds, so the outcome "
                     "is not counted. Copy the group id from the round page.",
    "bad-group": "“{value}” is not a group id; group ids look like 2026-11-003 (see the round "
                 "page).",
    "no-held": "The outcome does not say whether the meeting was held (held=yes or held=no), so "
               "it is not counted.",
    "bad-held": "held= should be yes or no; “{value}” is not counted.",
    "duplicate-parameter": "The parameter {field}= is given more than once; only the last one "
                           "counts. Keep just one.",
    "unknown-parameter": "The parameter “{value}” is not one the {kind} template understands, so "
                         "it is ignored.{hint} The parameters are: {params}.",
    "template-in-value": "The value of {field}= contains a template ({value}), which the bot "
                         "cannot read; it is ignored. Write plain text instead.",
}

_SCHEME = re.compile(r"^(?:https?:)?//", re.IGNORECASE)
#: Web-like addresses that are not web links (or lack their scheme): never a page title.
_NOT_TITLES = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*://|(?:javascript|vbscript|data|mailto|tel|ftp|irc|news|sftp|ssh):"
    r"|www\.)", re.IGNORECASE)
_URL_BAD = re.compile(r"[\s<>\[\]{}|\"\x00-\x1f\x7f]")
_FILE_NS = re.compile(r"^\s*:?\s*(file|image|media)\s*:\s*", re.IGNORECASE)
_TITLE_BAD = re.compile(r"[#<>\[\]|{}\x00-\x1f\x7f]")
_GROUP_ID = re.compile(r"^\d{4}-\d{2}-\d{3,}$")


# --- values --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """Where a link points: ``kind`` is "url", "file", "page" or "" (none)."""

    kind: str
    target: str

    @property
    def wiki_title(self) -> str:
        """The title to check on the wiki ("" for web links)."""
        return self.target if self.kind in ("file", "page") else ""

    def as_text(self) -> str:
        return self.target


NO_LINK = Link("", "")


@dataclass(frozen=True)
class Session:
    """One learning space that took place or will (a clinic, a coffee, a regional session)."""

    key: str  # the page, or page#id when the page logs several sessions
    page: str
    start: datetime  # UTC; midnight when only the date is known
    has_time: bool
    title: str
    format: str
    status: str
    region: str = ""
    languages: tuple[str, ...] = ()  # spoken and interpreted
    interpretation: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    sharers: tuple[str, ...] = ()
    participants: int | None = None
    registration: Link = NO_LINK
    summary: str = ""
    id: str = ""

    @property
    def date(self) -> str:
        """ISO date, with the time in UTC when known (2026-10-14T14:00Z)."""
        return self.start.strftime("%Y-%m-%dT%H:%MZ" if self.has_time else "%Y-%m-%d")

    @property
    def month(self) -> str:
        return self.start.strftime("%Y-%m")

    def is_clinic(self) -> bool:
        return self.format in CLINIC_FORMATS

    def upcoming(self, now: datetime) -> bool:
        """Still to come: until its start time, or through the end of its day when no time."""
        end = self.start if self.has_time else self.start + timedelta(days=1)
        return end > now


@dataclass(frozen=True)
class Resource:
    """A recording, slides, a document or a guide, with what it is about."""

    page: str
    index: int
    title: str
    link: Link
    type: str
    languages: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    session: str = ""  # the session's key, or ""
    date: str = ""  # the session's date, else the day the page was last saved
    link_missing: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "link": self.link.as_text(),
            "type": self.type,
            "languages": list(self.languages),
            "skills": list(self.skills),
            "session": self.session,
        }


@dataclass(frozen=True)
class Outcome:
    """What came of a coffee group or a session, in the participants' words."""

    page: str
    index: int
    held: bool
    group: str = ""
    session: str = ""  # the session's key
    date: str = ""
    summary: str = ""


@dataclass(frozen=True)
class Space:
    """Another learning space of the movement, for the calendar."""

    page: str
    index: int
    name: str
    organiser: str = ""
    region: str = ""  # "" = every region
    topics: tuple[str, ...] = ()  # skill ids and area ids
    other_topics: tuple[str, ...] = ()  # as written, when not understood
    languages: tuple[str, ...] = ()
    link: Link = NO_LINK
    schedule: str = ""


@dataclass(frozen=True)
class SessionSettings:
    """Template names, as in the configuration."""

    session_template: str = "Template:Let's Connect/Session"
    resource_template: str = "Template:Let's Connect/Resource"
    outcome_template: str = "Template:Let's Connect/Outcome"
    space_template: str = "Template:Let's Connect/Space"

    def kinds(self) -> dict[str, str]:
        """Normalised template name -> kind."""
        names = (self.session_template, self.resource_template, self.outcome_template,
                 self.space_template)
        return {normalise_template_name(n): k for n, k in zip(names, KINDS, strict=True)}


@dataclass(frozen=True)
class SessionLog:
    """Everything the session logs say, ready for the pages and the dashboard."""

    sessions: tuple[Session, ...]  # by start time, then key
    resources: tuple[Resource, ...]  # newest first
    outcomes: tuple[Outcome, ...]
    spaces: tuple[Space, ...]  # by name
    problems: tuple[Problem, ...]  # by page, then position

    def resources_of(self, key: str) -> tuple[Resource, ...]:
        return tuple(r for r in self.resources if r.session == key)

    def held(self) -> tuple[Session, ...]:
        return tuple(s for s in self.sessions if s.status == "held")

    def documented(self) -> tuple[Session, ...]:
        """Held sessions with at least one resource."""
        with_resources = {r.session for r in self.resources if r.session}
        return tuple(s for s in self.held() if s.key in with_resources)

    def wiki_titles(self) -> set[str]:
        """Files and pages the resources, sessions and spaces link to (for the existence check)."""
        links = [r.link for r in self.resources] + [s.registration for s in self.sessions]
        links += [s.link for s in self.spaces]
        return {link.wiki_title for link in links if link.wiki_title}


# --- reading entries -----------------------------------------------------------------------


@dataclass(frozen=True)
class RawEntry:
    """One transclusion: its kind, plain parameters, and the link targets of its link
    parameters (read from the wikitext, because the plain text of ``[[File:X]]`` is empty)."""

    kind: str
    entry: Entry
    links: dict[str, Link]
    position: int  # in document order over all four kinds


def _unreadable(page: PageData) -> Problem | None:
    """A problem for a page whose markup would take too long to read (it is skipped)."""
    try:
        check_readable(page.latest.text if page.latest else "")
    except Unreadable as error:
        return Problem(page=page.title, user="", code="unreadable-page", field="", value="",
                       message=MESSAGES["unreadable-page"].format(reason=error))
    return None


def read_entries(page: PageData, settings: SessionSettings) -> list[RawEntry]:
    """Every transclusion of the four templates in the page's latest text, in document order."""
    if not page.latest:
        return []
    kinds = settings.kinds()
    try:
        code = parse_wikitext(page.latest.text)
        templates = [t for t in _visible_templates(code) if _kind(t, kinds)]
    except (RecursionError, ValueError, TypeError, AttributeError):
        return []
    found: list[RawEntry] = []
    counters = dict.fromkeys(KINDS, 0)
    for position, template in enumerate(templates):
        kind = _kind(template, kinds)
        assert kind is not None
        aliases = {**{p: p for p in PARAMS[kind]}, **ALIASES[kind]}
        entries = parse_entries(str(template), page.title, [str(template.name).strip()], aliases)
        if not entries:
            continue
        entry = replace(entries[0], index=counters[kind])
        counters[kind] += 1
        links = {name: _raw_link(template, name, aliases) for name in LINK_PARAMS[kind]}
        found.append(RawEntry(kind, entry, links, position))
    return found


def _kind(template: Template, kinds: Mapping[str, str]) -> str | None:
    try:
        return kinds.get(normalise_template_name(str(template.name).strip()))
    except (ValueError, AttributeError):
        return None


def _raw_link(template: Template, name: str, aliases: Mapping[str, str]) -> Link | None:
    """The link in parameter ``name`` (or an alias of it; the last one given wins):
    NO_LINK when absent or empty, None when the value is not a link."""
    raw = None
    for param in template.params:
        if aliases.get(normalise_param_name(str(param.name))) == name:
            raw = param.value
    return NO_LINK if raw is None else parse_link(raw)


def parse_link(value: Any) -> Link | None:
    """A link parameter's target; None when the value is not a link (reported by the caller)."""
    code = value if not isinstance(value, str) else parse_wikitext(value)
    nodes = [n for n in code.nodes if not isinstance(n, Comment)]
    if not any(str(n).strip() for n in nodes):
        return NO_LINK
    for node in nodes:
        if isinstance(node, Wikilink):
            return _title_link(str(node.title))
        if isinstance(node, ExternalLink):
            return _url_link(str(node.url))
    if any(isinstance(n, Template) for n in nodes):
        return None
    text = " ".join("".join(str(n) for n in nodes).split())
    if _SCHEME.match(text):
        return _url_link(text)
    if _NOT_TITLES.match(text):
        return None
    return _title_link(text)


def _url_link(url: str) -> Link | None:
    url = url.strip()
    if not _SCHEME.match(url) or _URL_BAD.search(url) or len(url) > 2000:
        return None
    if url.startswith("//"):
        url = "https:" + url
    host = url.split("//", 1)[1].split("/", 1)[0]
    if not host or "." not in host and host != "localhost" and ":" not in host:
        return None
    return Link("url", url)


def _title_link(title: str) -> Link | None:
    title = " ".join(title.replace("_", " ").split()).lstrip(":").strip()
    title = title.split("#", 1)[0].strip() if not title.startswith("#") else ""
    if not title or _TITLE_BAD.search(title) or "://" in title or len(title) > 255:
        return None
    found = _FILE_NS.match(title)
    if found:
        name = title[found.end():].strip()
        if not name:
            return None
        return Link("file", "File:" + name[:1].upper() + name[1:])
    namespace, sep, rest = title.partition(":")
    if sep and namespace.strip() and " " not in namespace.strip() and rest.strip():
        title = namespace.strip()[:1].upper() + namespace.strip()[1:] + ":" + rest.strip()
        rest = rest.strip()
        title = title.split(":", 1)[0] + ":" + rest[:1].upper() + rest[1:]
    else:
        title = title[:1].upper() + title[1:]
    return Link("page", title)


# --- dates and times -----------------------------------------------------------------------

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate((
    "january jan enero ene janvier janv janeiro",
    "february feb febrero février fevrier févr fevr fevereiro fev",
    "march mar marzo mars março marco",
    "april apr abril avril avr",
    "may mayo mai maio",
    "june jun junio juin junho",
    "july jul julio juillet juil julho",
    "august aug agosto août aout ago",
    "september sep sept septiembre setiembre septembre setembro set",
    "october oct octubre octobre outubro out",
    "november nov noviembre novembre novembro",
    "december dec diciembre dic décembre decembre déc dezembro dez",
), start=1):
    for _name in _names.split():
        _MONTHS[normalise(_name)] = _number
_WEEKDAYS = frozenset(normalise(w) for w in (
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs "
    "fri sat sun lunes martes miércoles jueves viernes sábado domingo lundi mardi mercredi "
    "jeudi vendredi samedi dimanche segunda terça quarta quinta sexta sábado domingo feira"
).split())
_FILLER = frozenset({"de", "of", "the", "le", "el", "at", "a", "à", "las", "los", "on", "du",
                     "do", "da"})

_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)(?:[T ](?=\d))?")
_YMD = re.compile(r"(?<!\d)(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?!\d)")
_NUMERIC = re.compile(r"(?<![\d:])(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})(?!\d)")
_DAY_MONTH = re.compile(r"(?<![\d:])(\d{1,2})(?:st|nd|rd|th|er|º|°|ª)?\.?\s*(?:de\s+)?"
                        r"([^\W\d_]{3,})\.?,?\s*(?:de\s+)?(\d{4})(?!\d)", re.IGNORECASE)
_MONTH_DAY = re.compile(r"([^\W\d_]{3,})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)",
                        re.IGNORECASE)
_YEAR_MONTH = re.compile(r"^\s*(?:(\d{4})-(\d{1,2})|([^\W\d_]{3,})\.?\s+(?:de\s+)?(\d{4}))\s*$",
                         re.IGNORECASE)
_TIME = re.compile(
    r"^(?P<h>\d{1,2})(?:\s*[:h.]\s*(?P<m>\d{2})|\s*(?P<hour_mark>h)(?![a-z]))?(?::\d{2})?"
    r"(?:\s*(?P<ampm>[ap]\.?\s?m\.?)(?![a-z]))?\s*(?P<zone>.*)$",
    re.IGNORECASE,
)
_OFFSET = re.compile(r"^(?:utc|gmt|ut)?\s*([+\-−–])\s*(\d{1,2})(?:\s*[:h.]?\s*(\d{2}))?$",
                     re.IGNORECASE)
_OFFSET_INSIDE = re.compile(r"(?:utc|gmt)\s*([+\-−–])\s*(\d{1,2})(?:\s*[:h.]?\s*(\d{2}))?(?!\d)",
                            re.IGNORECASE)
_TZ_NAME = re.compile(r"^[A-Za-z]+(?:/[A-Za-z0-9_+\-]+)+$")


@dataclass(frozen=True)
class When:
    """A parsed date and time, or why it could not be read."""

    start: datetime | None = None
    has_time: bool = False
    problems: tuple[tuple[str, str, dict[str, str]], ...] = ()  # (code, value, details)


def parse_when(date_text: str, time_text: str = "") -> When:
    """Read ``date=`` (which may carry a time) and ``time=``; the result is in UTC."""
    date_text, time_text = " ".join(date_text.split()), " ".join(time_text.split())
    if not date_text:
        return When(problems=(("no-date", "", {}),))
    day, rest, problem = _find_date(date_text)
    if day is None:
        return When(problems=(problem,) if problem else (("bad-date", date_text, {}),))
    clock_text = time_text or rest
    if not clock_text:
        return When(datetime(day.year, day.month, day.day, tzinfo=UTC), False)
    clock, problem = _parse_clock(clock_text, day)
    if clock is None:
        midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
        return When(midnight, False, (problem,) if problem else ())
    return When(clock, True)


def _find_date(text: str) -> tuple[date | None, str, tuple[str, str, dict[str, str]] | None]:
    """The day in ``text``, what is left of the text (a time), or the problem."""
    for pattern, order in ((_ISO, "ymd"), (_YMD, "ymd"), (_DAY_MONTH, "dMy"),
                           (_MONTH_DAY, "Mdy"), (_NUMERIC, "nny")):
        found = pattern.search(text)
        if not found:
            continue
        rest = (text[: found.start()] + " " + text[found.end():]).strip()
        day = _day_from(found.groups(), order, text)
        if isinstance(day, tuple):
            return None, "", day
        if day is None:
            continue
        return day, _drop_words(rest), None
    month_only = _YEAR_MONTH.match(text)
    if month_only and (month_only[1] or normalise(month_only[3]) in _MONTHS):
        return None, "", ("incomplete-date", text, {})
    return None, "", ("bad-date", text, {})


def _day_from(parts: tuple, order: str, text: str):
    """A date, None when the match is not a date after all, or a problem tuple."""
    if order == "ymd":
        year, month, day = (int(p) for p in parts)
    elif order in ("dMy", "Mdy"):
        day_s, name, year_s = parts if order == "dMy" else (parts[1], parts[0], parts[2])
        month = _MONTHS.get(normalise(name))
        if month is None:
            return None
        year, day = int(year_s), int(day_s)
    else:
        first, second, year_s = (int(p) for p in parts)
        if len(parts[2]) != 4:
            return ("bad-date", text, {})
        year = year_s
        if first > 12 >= second:
            day, month = first, second
        elif second > 12 >= first:
            month, day = first, second
        elif first == second:
            day = month = first
        elif first <= 12 and second <= 12:
            options = [_valid(year, second, first), _valid(year, first, second)]
            if all(options):
                return ("ambiguous-date", text, {"first": _long(options[0]),
                                                  "second": _long(options[1])})
            return ("bad-date", text, {})
        else:
            return ("bad-date", text, {})
    if not 2000 <= year <= 2100:
        return ("bad-date", text, {})
    found = _valid(year, month, day)
    return found if found else ("bad-date", text, {})


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _long(day: date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


def _drop_words(rest: str) -> str:
    words = [w for w in re.split(r"[\s,()]+", rest) if w]
    kept = [w for w in words if normalise(w) not in _WEEKDAYS | _FILLER]
    return " ".join(kept)


def _parse_clock(text: str, day: date) -> tuple[datetime | None, tuple | None]:
    cleaned = " ".join(re.sub(r"[()]", " ", text).split())
    words = cleaned.split(" ")
    while words and normalise(words[0]) in _FILLER | _WEEKDAYS:
        words = words[1:]
    cleaned = " ".join(words)
    found = _TIME.match(cleaned)
    if not found:
        return None, ("bad-time", text, {})
    hour, minute = int(found["h"]), int(found["m"] or 0)
    ampm = (found["ampm"] or "").replace(".", "").replace(" ", "").lower()
    has_separator = found["m"] is not None or found["hour_mark"] is not None
    zone_text = found["zone"].strip()
    if not (has_separator or ampm or zone_text):
        return None, ("bad-time", text, {})
    if ampm:
        if not 1 <= hour <= 12:
            return None, ("bad-time", text, {})
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59:
        return None, ("bad-time", text, {})
    local = datetime(day.year, day.month, day.day, hour, minute)
    return _in_zone(local, zone_text)


def _in_zone(local: datetime, zone_text: str) -> tuple[datetime | None, tuple | None]:
    key = zone_text.strip().rstrip(".").strip()
    if key.casefold() in ("", "z", "utc", "gmt", "ut", "zulu", "utc time", "hora utc",
                          "heure utc", "horário utc"):
        return local.replace(tzinfo=UTC), None
    found = _OFFSET.match(key) or _OFFSET_INSIDE.search(key)
    if found:
        sign = -1 if found[1] != "+" else 1
        hours, minutes = int(found[2]), int(found[3] or 0)
        if hours > 14 or minutes > 59:
            return None, ("unknown-timezone", zone_text, {})
        offset = timedelta(hours=hours, minutes=minutes) * sign
        return (local - offset).replace(tzinfo=UTC), None
    first = re.split(r"[\s/,;]+", key, maxsplit=1)[0].casefold()
    if first in ("z", "utc", "gmt", "ut"):
        return local.replace(tzinfo=UTC), None  # "14:00 UTC / 17:00 EAT"
    if _TZ_NAME.match(key):
        try:
            zone = ZoneInfo(key)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            return None, ("unknown-timezone", zone_text, {})
        return local.replace(tzinfo=zone).astimezone(UTC), None
    if re.fullmatch(r"[A-Za-z]{2,5}", key):
        return None, ("unknown-timezone", zone_text, {})
    return None, ("bad-time", zone_text, {})


# --- building the log ----------------------------------------------------------------------


class _Report:
    def __init__(self) -> None:
        self.problems: list[tuple[int, int, Problem]] = []

    def add(self, entry: RawEntry, code: str, field_name: str = "", value: str = "",
            **details: Any) -> None:
        values = {"field": field_name, "value": value, "hint": "", "kind": entry.kind,
                  **details}
        problem = Problem(page=entry.entry.page, user="", code=code, field=field_name,
                          value=value, message=MESSAGES[code].format(**values))
        self.problems.append((entry.position, len(self.problems), problem))


class _Values:
    """An entry's plain values; templates inside them reported and removed."""

    def __init__(self, raw: RawEntry, report: _Report) -> None:
        self.raw, self.values = raw, {}
        entry = raw.entry
        for name, value in entry.params.items():
            if name in entry.templated:
                report.add(raw, "template-in-value", name, value)
                value = strip_templates(value)
            self.values[name] = " ".join(value.split()) if name != "summary" else value.strip()
        for name in entry.duplicates:
            report.add(raw, "duplicate-parameter", name, self.values.get(name, ""))
        for name in entry.unknown:
            close = difflib.get_close_matches(normalise_param_name(name),
                                              list(PARAMS[raw.kind]), n=1, cutoff=0.7)
            hint = f" Did you mean “{close[0]}”?" if close else ""
            report.add(raw, "unknown-parameter", name, name, hint=hint,
                       params=", ".join(p for p in PARAMS[raw.kind] if p != "nocat"))

    def get(self, name: str) -> str:
        return self.values.get(name, "")


@dataclass
class _Builder:
    taxonomy: Any
    now: datetime
    missing: frozenset[str] | None
    known_groups: frozenset[str] | None
    report: _Report = field(default_factory=_Report)

    # -- shared field readers

    def word(self, kind: str, raw: RawEntry, values: _Values, name: str, default: str,
             code: str) -> str:
        text = values.get(name)
        if not text:
            return default
        found = _LOOKUP[kind].get(normalise(text))
        if found is None:
            self.report.add(raw, code, name, text)
            return default
        return found

    def resolve_all(self, raw: RawEntry, values: _Values, name: str, resolve, code: str
                    ) -> tuple[str, ...]:
        ids: list[str] = []
        for item in split_list(values.get(name)):
            resolution = resolve(item)
            if resolution.ok:
                if resolution.value not in ids:
                    ids.append(resolution.value)
            else:
                self.report.add(raw, code, name, item, hint=did_you_mean(resolution.suggestion))
        return tuple(ids)

    def languages(self, raw: RawEntry, values: _Values, name: str = "languages"
                  ) -> tuple[str, ...]:
        return self.resolve_all(raw, values, name, self.taxonomy.resolve_language,
                                "unknown-language")

    def region(self, raw: RawEntry, values: _Values) -> str:
        text = values.get("region")
        if not text or normalise(text) in _GLOBAL_REGION:
            return ""
        resolution = self.taxonomy.resolve_region(text)
        if resolution.ok:
            return resolution.value
        hint = did_you_mean(resolution.suggestion)
        self.report.add(raw, "unknown-region", "region", text, hint=hint)
        return ""

    def link(self, raw: RawEntry, values: _Values, name: str) -> Link:
        link = raw.links.get(name)
        written = values.get(name)
        if link is None:
            if name not in raw.entry.templated:
                self.report.add(raw, "bad-link", name, written)
            return NO_LINK
        if self.missing is not None and link.wiki_title in self.missing:
            what = "file" if link.kind == "file" else "page"
            self.report.add(raw, "missing-page", name, link.target, what=what)
        return link

    def title(self, raw: RawEntry, values: _Values, name: str = "title") -> str:
        text = _one_line(values.get(name), 200)
        if text:
            return text
        used = raw.entry.page.rsplit("/", 1)[-1]
        self.report.add(raw, "no-title", name, "", used=used)
        return used

    # -- the four kinds

    def session(self, raw: RawEntry, values: _Values) -> Session | None:
        when = parse_when(values.get("date"), values.get("time"))
        for code, value, details in when.problems:
            self.report.add(raw, code, "time" if code in ("bad-time", "unknown-timezone")
                            and values.get("time") else "date", value, **details)
        if when.start is None:
            return None
        spoken = self.languages(raw, values)
        interpreted = self.languages(raw, values, "interpretation")
        status = self.word("status", raw, values, "status", "planned", "unknown-status")
        return Session(
            key="", page=raw.entry.page, start=when.start, has_time=when.has_time,
            title=self.title(raw, values),
            format=self.word("format", raw, values, "format", "other", "unknown-format"),
            status=status,
            region=self.region(raw, values),
            languages=tuple(dict.fromkeys(spoken + interpreted)),
            interpretation=interpreted,
            skills=self.resolve_all(raw, values, "skills", self.taxonomy.resolve_skill,
                                    "unknown-skill"),
            sharers=self.sharers(raw, values),
            participants=self.participants(raw, values),
            registration=self.link(raw, values, "registration"),
            summary=_one_line(values.get("summary"), MAX_SUMMARY),
            id=_one_line(values.get("id"), 60),
        )

    def sharers(self, raw: RawEntry, values: _Values) -> tuple[str, ...]:
        names: list[str] = []
        for item in split_list(values.get("sharers")):
            name = normalise_user(item)
            if valid_user_name(name):
                if name not in names:
                    names.append(name)
            else:
                self.report.add(raw, "bad-sharer", "sharers", item)
        return tuple(names)

    def participants(self, raw: RawEntry, values: _Values) -> int | None:
        text = values.get("participants").replace(",", "").strip()
        if not text:
            return None
        if re.fullmatch(r"\d{1,5}", text):
            return int(text)
        self.report.add(raw, "bad-participants", "participants", values.get("participants"))
        return None

    def resource(self, raw: RawEntry, values: _Values) -> Resource:
        title = self.title(raw, values)
        link = self.link(raw, values, "link")
        if raw.links.get("link") == NO_LINK:
            self.report.add(raw, "no-link", "link", "", title=title)
        return Resource(
            page=raw.entry.page, index=raw.entry.index, title=title, link=link,
            type=self.word("type", raw, values, "type", "other", "unknown-type"),
            languages=self.languages(raw, values),
            skills=self.resolve_all(raw, values, "skills", self.taxonomy.resolve_skill,
                                    "unknown-skill"),
        )

    def outcome(self, raw: RawEntry, values: _Values) -> Outcome | None:
        held_text = values.get("held")
        held = _LOOKUP["held"].get(normalise(held_text)) if held_text else None
        group = values.get("group").strip()
        if group and not _GROUP_ID.match(group):
            self.report.add(raw, "bad-group", "group", group)
            return None
        if group and self.known_groups is not None and group not in self.known_groups:
            self.report.add(raw, "unknown-group", "group", group)
            return None
        if not held_text:
            self.report.add(raw, "no-held", "held", "")
            return None
        if held is None:
            self.report.add(raw, "bad-held", "held", held_text)
            return None
        when = parse_when(values.get("date")) if values.get("date") else When()
        for code, value, details in when.problems:
            self.report.add(raw, code, "date", value, **details)
        return Outcome(
            page=raw.entry.page, index=raw.entry.index, held=held == "yes", group=group,
            date=when.start.strftime("%Y-%m-%d") if when.start else "",
            summary=_one_line(values.get("summary"), MAX_SUMMARY),
        )

    def space(self, raw: RawEntry, values: _Values) -> Space | None:
        name = _one_line(values.get("name"), 200)
        if not name:
            self.report.add(raw, "no-name", "name", "")
            return None
        topics, others = self.topics(raw, values)
        return Space(
            page=raw.entry.page, index=raw.entry.index, name=name,
            organiser=_one_line(values.get("organiser"), 200), region=self.region(raw, values),
            topics=topics, other_topics=others, languages=self.languages(raw, values),
            link=self.link(raw, values, "link"), schedule=_one_line(values.get("schedule"), 200),
        )

    def topics(self, raw: RawEntry, values: _Values) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Thematic areas, skill areas or skills; other words kept as written."""
        ids: list[str] = []
        others: list[str] = []
        for item in split_list(values.get("topics")):
            # A space's topic is a theme first ("education"), then a skill area, then a skill.
            found = self.taxonomy.resolve_area(item)
            if not found.ok and _skill_area_id(self.taxonomy, item):
                found = Resolution(_skill_area_id(self.taxonomy, item))
            if not found.ok:
                found = self.taxonomy.resolve_skill(item)
            if found.ok:
                if found.value not in ids:
                    ids.append(found.value)
            else:
                self.report.add(raw, "unknown-topic", "topics", item,
                                hint=did_you_mean(found.suggestion))
                others.append(_one_line(item, 80))
        return tuple(ids), tuple(others)


def _skill_area_id(taxonomy: Any, text: str) -> str | None:
    key = normalise(text)
    for area_id, area in taxonomy.areas.items():
        names = {normalise(area_id), *(normalise(v) for v in area.labels.values())}
        if key in names:
            return area_id
    return None


def _one_line(text: str, limit: int) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def build_log(
    pages: Iterable[PageData],
    taxonomy: Any,
    settings: SessionSettings | None = None,
    *,
    now: datetime,
    missing_titles: Collection[str] | None = None,
    known_groups: Collection[str] | None = None,
) -> SessionLog:
    """Read every page's entries and put them together.

    ``missing_titles`` are the linked files and pages the wiki does not have
    (None: not checked yet).  ``known_groups`` are the published coffee groups'
    ids (None: outcomes are not checked against them).
    """
    settings = settings or SessionSettings()
    builder = _Builder(
        taxonomy, now,
        None if missing_titles is None else frozenset(missing_titles),
        None if known_groups is None else frozenset(known_groups),
    )
    pages = sorted(pages, key=lambda p: p.title)
    by_page: dict[str, list[RawEntry]] = {p.title: read_entries(p, settings) for p in pages}
    entries = _sessions(builder, by_page)
    sessions = [session for _, session in entries]
    index = _SessionIndex(sessions)
    resources: list[Resource] = []
    outcomes: list[Outcome] = []
    spaces: list[Space] = []
    page_times = {p.title: (p.latest.timestamp[:10] if p.latest else "") for p in pages}
    for title, raws in by_page.items():
        on_page = [s for s in sessions if s.page == title]
        for raw in raws:
            if raw.kind == "resource":
                resources.append(_place_resource(builder, raw, index, on_page, page_times))
            elif raw.kind == "outcome":
                outcome = _place_outcome(builder, raw, index, on_page)
                if outcome is not None:
                    outcomes.append(outcome)
            elif raw.kind == "space":
                space = builder.space(raw, _Values(raw, builder.report))
                if space is not None:
                    spaces.append(space)
    sessions = _apply_outcomes(sessions, outcomes)
    for (raw, _), session in zip(entries, sessions, strict=True):
        if session.status == "planned" and not session.upcoming(builder.now):
            builder.report.add(raw, "status-not-updated", "status",
                               raw.entry.params.get("status", ""),
                               date=session.start.strftime("%Y-%m-%d"))
    problems = _sorted_problems(builder.report, by_page)
    unreadable = [p for p in (_unreadable(page) for page in pages) if p is not None]
    if unreadable:  # a page-level problem: sorted in by page, the others keep their order
        problems = tuple(sorted([*problems, *unreadable], key=lambda p: p.page))
    resources.sort(key=lambda r: (r.date, r.page, -r.index), reverse=True)
    return SessionLog(
        sessions=tuple(sorted(sessions, key=lambda s: (s.start, s.key))),
        resources=tuple(resources),
        outcomes=tuple(outcomes),
        spaces=tuple(sorted(spaces, key=lambda s: (s.name.casefold(), s.page, s.index))),
        problems=problems,
    )


def _sorted_problems(report: _Report, by_page: Mapping[str, list[RawEntry]]) -> tuple:
    order = {title: i for i, title in enumerate(by_page)}
    ranked = sorted(report.problems, key=lambda item: (order.get(item[2].page, 0), item[0],
                                                       item[1]))
    return tuple(problem for _, _, problem in ranked)


def _sessions(builder: _Builder, by_page: Mapping[str, list[RawEntry]]
              ) -> list[tuple[RawEntry, Session]]:
    found: list[tuple[RawEntry, Session]] = []
    for title, raws in by_page.items():
        here: list[tuple[RawEntry, Session]] = []
        for raw in raws:
            if raw.kind != "session":
                continue
            session = builder.session(raw, _Values(raw, builder.report))
            if session is not None:
                here.append((raw, session))
        keys: set[str] = set()
        for raw, session in here:
            key = title
            if len(here) > 1:
                ident = session.id or session.start.strftime("%Y-%m-%d")
                key = f"{title}#{ident}"
                number = 2
                while key in keys:
                    key, number = f"{title}#{ident}-{number}", number + 1
            keys.add(key)
            found.append((raw, replace(session, key=key)))
    return found


class _SessionIndex:
    """Finds the session a ``session=`` value names."""

    def __init__(self, sessions: Sequence[Session]) -> None:
        self.by_key = {s.key: s for s in sessions}
        self.by_page: dict[str, list[Session]] = {}
        self.by_id: dict[str, list[Session]] = {}
        for s in sessions:
            self.by_page.setdefault(s.page, []).append(s)
            if s.id:
                self.by_id.setdefault(normalise(s.id), []).append(s)

    def find(self, written: str, link: Link | None, here: str) -> tuple[Session | None, str]:
        """The session, or None and the problem code."""
        candidates = []
        if link is not None and link.kind == "page":
            anchor = written.split("#", 1)[1].strip() if "#" in written else ""
            key = f"{link.target}#{anchor}" if anchor else link.target
            candidates = [key, link.target]
        if written.startswith("#"):
            candidates.append(f"{here}#{written[1:].strip()}")
        for key in candidates:
            if key in self.by_key and "#" in key:
                return self.by_key[key], ""
            on_page = self.by_page.get(key, [])
            if len(on_page) == 1:
                return on_page[0], ""
            if len(on_page) > 1:
                return None, "ambiguous-session"
        by_id = self.by_id.get(normalise(written.lstrip("#")), [])
        if len(by_id) == 1:
            return by_id[0], ""
        return None, "ambiguous-session" if by_id else "unknown-session"


def _target_session(builder: _Builder, raw: RawEntry, values: _Values, index: _SessionIndex,
                    on_page: Sequence[Session]) -> Session | None:
    written = values.get("session")
    if written:
        session, code = index.find(written, raw.links.get("session"), raw.entry.page)
        if session is None:
            builder.report.add(raw, code, "session", written)
        return session
    if len(on_page) == 1:
        return on_page[0]
    if len(on_page) > 1:
        builder.report.add(raw, "which-session", "session", "")
    return None


def _place_resource(builder: _Builder, raw: RawEntry, index: _SessionIndex,
                    on_page: Sequence[Session], page_times: Mapping[str, str]) -> Resource:
    values = _Values(raw, builder.report)
    resource = builder.resource(raw, values)
    session = _target_session(builder, raw, values, index, on_page)
    link_missing = bool(builder.missing and resource.link.wiki_title in builder.missing)
    if session is None:
        return replace(resource, date=page_times.get(raw.entry.page, ""),
                       link_missing=link_missing)
    return replace(
        resource,
        session=session.key,
        date=session.start.strftime("%Y-%m-%d"),
        skills=resource.skills or session.skills,
        languages=resource.languages or session.languages,
        link_missing=link_missing,
    )


def _place_outcome(builder: _Builder, raw: RawEntry, index: _SessionIndex,
                   on_page: Sequence[Session]) -> Outcome | None:
    values = _Values(raw, builder.report)
    outcome = builder.outcome(raw, values)
    if outcome is None:
        return None
    if outcome.group:
        return outcome
    if not values.get("session") and not on_page:
        builder.report.add(raw, "no-target", "group", "")
        return None
    session = _target_session(builder, raw, values, index, on_page)
    return replace(outcome, session=session.key) if session else None


def _apply_outcomes(sessions: list[Session], outcomes: Sequence[Outcome]) -> list[Session]:
    """An outcome turns a planned session into held (or cancelled)."""
    said: dict[str, bool] = {}
    for outcome in outcomes:
        if outcome.session:
            said[outcome.session] = said.get(outcome.session, False) or outcome.held
    result = []
    for session in sessions:
        if session.key in said and session.status == "planned":
            session = replace(session, status="held" if said[session.key] else "cancelled")
        result.append(session)
    return result


def outcome_statuses(outcomes: Iterable[Outcome]) -> dict[str, str]:
    """Group id -> "held" or "not held", for the round pages (groups not listed stay
    "proposed").  One outcome saying held is enough."""
    statuses: dict[str, str] = {}
    for outcome in outcomes:
        if not outcome.group:
            continue
        if outcome.held or statuses.get(outcome.group) == "held":
            statuses[outcome.group] = "held"
        else:
            statuses[outcome.group] = "not held"
    return dict(sorted(statuses.items()))
