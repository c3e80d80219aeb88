"""The values the session logs are read into: sessions, resources, outcomes, spaces, links.

Plain frozen data, built by :mod:`bot.sessions.build` and rendered by
:mod:`bot.sessions.pages`, the notices and the dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.model import JSON, Problem
from bot.wikitext.entries import normalise_template_name

KINDS = ("session", "resource", "outcome", "space")
FORMATS = ("clinic", "coffee", "regional", "other")
STATUSES = ("planned", "held", "cancelled")
RESOURCE_TYPES = ("recording", "slides", "document", "guide", "other")
GROUP_STATUSES = ("proposed", "held", "not held")
#: Formats that count as learning clinics (regional and thematic sessions are clinics too).
CLINIC_FORMATS = ("clinic", "regional")


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

    def as_json(self) -> dict[str, JSON]:
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

