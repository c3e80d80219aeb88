"""Plain data the core passes around.

Everything here is a frozen dataclass of strings, ints and tuples so that the
core stays pure: no wiki objects leak in, results compare by value, and tests
can build instances by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeAlias

#: A value as JSON holds it: what ``json.loads`` gives and ``json.dumps`` takes.
JSON: TypeAlias = "dict[str, JSON] | list[JSON] | str | int | float | bool | None"

#: Participant statuses, in the order the directory explains them.
STATUSES = ("active", "stale", "blocked", "opted-out", "quarantined")


@dataclass(frozen=True)
class Revision:
    """One revision of a wiki page as the wiki edge read it."""

    revid: int
    user: str
    timestamp: str  # UTC ISO 8601, as the API gives it
    text: str
    #: Who saved the text this revision holds, when that is not ``user``.  A move, a
    #: protection or an import leaves a *null revision*: same text as the one before,
    #: made by whoever moved the page.  Such a revision is not its maker's word, so the
    #: wiki edge names the author of the text here (and when they saved it).
    author: str | None = None
    authored: str = ""

    @property
    def writer(self) -> str:
        """The person whose words the text is (the maker, unless a null revision)."""
        return self.user if self.author is None else self.author

    @property
    def written(self) -> str:
        """When the writer saved the text."""
        return self.authored or self.timestamp

    @property
    def null(self) -> bool:
        """Whether this revision only carries an older text (a move, protection, import)."""
        return self.author is not None


@dataclass(frozen=True)
class PageData:
    """A page with the revisions the core may need (newest first)."""

    title: str
    revisions: tuple[Revision, ...]
    exists: bool = True

    @property
    def latest(self) -> Revision | None:
        return self.revisions[0] if self.revisions else None


@dataclass(frozen=True)
class Entry:
    """One template transclusion, its parameters as plain text.

    ``params`` maps canonical parameter names to values with comments removed
    and whitespace trimmed; ``duplicates`` lists names given more than once (the
    last value wins, as MediaWiki does).
    """

    page: str
    index: int
    params: dict[str, str]
    duplicates: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    #: Canonical names whose value contains a template; the value keeps its
    #: source text, and the caller decides how to report it.
    templated: tuple[str, ...] = ()


#: A parameter of a problem's message: a plain value, or a message of the catalogue with
#: its own parameters (its key first), told in the reader's language too; ``()`` is nothing.
ProblemParam: TypeAlias = "str | tuple[str, ...]"


@dataclass(frozen=True)
class Problem:
    """Something wrong in a participant's entry, told in plain words.

    ``message`` is the English text (the problems page, the exports and the notice state
    use it); ``key`` and ``params`` tell the same in any language: the catalogue message
    ``key`` with the reader's name as ``$1`` and ``params`` as ``$2`` on
    (:func:`bot.i18n.problems.problem_text`).  A problem without a key is told in English.
    """

    page: str
    user: str
    code: str
    field: str
    value: str
    message: str
    key: str = ""
    params: tuple[ProblemParam, ...] = ()

    def as_json(self) -> dict[str, str]:
        return {
            "page": self.page,
            "user": self.user,
            "code": self.code,
            "field": self.field,
            "value": self.value,
            "message": self.message,
        }


@dataclass(frozen=True)
class Profile:
    """A participant as the directory understands them."""

    user: str
    page: str
    revision: int
    status: str = "active"
    region: str = ""
    country: str = ""
    languages: tuple[str, ...] = ()
    affiliation: str = ""
    share: tuple[str, ...] = ()
    learn: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    capacity: int = 1
    formats: tuple[str, ...] = ("1:1", "group", "clinic")
    notify: bool = True
    consent: bool = False
    lang: str = ""
    bio: str = ""
    timestamp: str = ""
    notes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def takes_coffee(self) -> bool:
        """Whether matching puts them in coffee groups: their formats name 1:1 or group.

        No formats at all reads as every format, as the directory reads an empty field.
        """
        return not self.formats or "1:1" in self.formats or "group" in self.formats

    @property
    def one_to_one_only(self) -> bool:
        """Only ever in a group of two: 1:1 among their formats and group not.

        Clinics say nothing about coffees, so ``1:1, clinic`` is 1:1 only too.
        """
        return "1:1" in self.formats and "group" not in self.formats

    def as_json(self) -> dict[str, JSON]:
        return {
            "user": self.user,
            "page": self.page,
            "revision": self.revision,
            "status": self.status,
            "region": self.region,
            "country": self.country,
            "languages": list(self.languages),
            "affiliation": self.affiliation,
            "share": list(self.share),
            "learn": list(self.learn),
            "areas": list(self.areas),
            "capacity": self.capacity,
            "formats": list(self.formats),
            "notify": self.notify,
            "lang": self.lang,
        }


@dataclass(frozen=True)
class TalkPage:
    """A user talk page as the wiki edge read it.

    ``redirect`` is "" (no redirect, or one to another user's talk page that was
    followed: a renamed user), else why it cannot be followed ("interwiki",
    "elsewhere": outside the user talk namespace or to a subpage).
    """

    asked: str
    title: str
    owner: str
    exists: bool = False
    text: str = ""
    revid: int = 0
    timestamp: str = ""
    categories: tuple[str, ...] = ()
    can_edit: bool = True
    redirect: str = ""
