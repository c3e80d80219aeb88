"""The edge to CapX: the only module of the bridge that talks to the network.

A good citizen of a small volunteer-run service:

* public, anonymous GETs only, on list endpoints: ``/skill/`` (the capacity tree),
  ``/list/language/``, ``/list/territory/``, ``/list/affiliation/`` (id -> name) and
  ``/users/`` page by page, stopping as soon as every participant asked for is found —
  never one request per participant;
* a User-Agent that names the bot and how to reach its operators;
* a timeout on every request and a bounded number of retries, with a growing pause, on
  a dropped connection, a timeout, HTTP 429 or 5xx; any other answer is final;
* an answer that is not what the API documents is an error (:class:`CapxError`), never
  half-used.

Privacy: of each ``/users/`` result only the capacities, languages with their level,
territories and affiliations of the participants asked for are kept, by name; the rest
(e-mail, "about", contact, social links, …) is dropped here, before anything else sees
it, and never logged.  An error message names the endpoint and what was wrong with the
answer, never its content.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

import requests

from bot.capx.tree import CapacityTree, TreeError
from bot.capx.values import CapxRecord

#: Results asked for per page of ``/users/`` and ``/skill/``.
DEFAULT_PAGE_SIZE = 200
#: Pages read at most from one list: far above CapX's size, a guard against a loop.
MAX_PAGES = 200


class CapxError(Exception):
    """CapX could not be read; the message says why in one line, without any data."""


@dataclass(frozen=True)
class CapxSettings:
    base_url: str
    user_agent: str
    timeout: float = 20.0
    retries: int = 3
    page_size: int = DEFAULT_PAGE_SIZE
    pause: float = 1.0  # before the first retry; doubled each time


@dataclass(frozen=True)
class CapxRead:
    """One successful read: the tree, the records of the participants found, and how
    many requests it took."""

    tree: CapacityTree
    records: Mapping[str, CapxRecord]
    requests: int


def user_agent(contact: str, version: str = "0.1") -> str:
    return f"LetsConnectBot/{version} ({contact}) python-requests/{requests.__version__}"


def same_user(name: str) -> str:
    """A user name as MediaWiki compares it: spaces for underscores, first letter upper."""
    name = " ".join(name.replace("_", " ").split())
    return name[:1].upper() + name[1:]


class _Reader:
    def __init__(self, settings: CapxSettings, session: requests.Session,
                 sleep: Callable[[float], None]) -> None:
        self.settings, self.session, self.sleep = settings, session, sleep
        self.count = 0

    def get(self, path: str, params: Mapping[str, str | int] | None = None) -> Any:
        url = self.settings.base_url.rstrip("/") + path
        pause = self.settings.pause
        for attempt in range(self.settings.retries + 1):
            self.count += 1
            try:
                answer = self.session.get(
                    url, params=params, timeout=self.settings.timeout,
                    headers={"User-Agent": self.settings.user_agent,
                             "Accept": "application/json"},
                )
            except (requests.ConnectionError, requests.Timeout) as error:
                why = f"no answer from {path} ({type(error).__name__})"
            else:
                if answer.status_code == 200:
                    try:
                        return answer.json()
                    except ValueError as error:
                        raise CapxError(f"{path} answered something that is not JSON") \
                            from error
                why = f"{path} answered HTTP {answer.status_code}"
                if answer.status_code != 429 and answer.status_code < 500:
                    raise CapxError(why)
            if attempt < self.settings.retries:
                self.sleep(pause)
                pause *= 2
        raise CapxError(f"{why}, {self.settings.retries + 1} times")

    def pages(self, path: str, each: Callable[[Mapping[str, Any]], None],
              stop: Callable[[], bool] = lambda: False) -> None:
        """Every result of a paginated list (LimitOffsetPagination) handed to ``each``,
        page by page until the list ends or ``stop()`` says enough."""
        size = self.settings.page_size
        for page in range(MAX_PAGES):
            data = self.get(path, {"limit": size, "offset": page * size})
            if not isinstance(data, Mapping) or not isinstance(data.get("results"), list):
                raise CapxError(f"{path} answered without a list of results")
            for item in data["results"]:
                if not isinstance(item, Mapping):
                    raise CapxError(f"{path} answered a result that is not an object")
                each(item)
            if not data.get("next") or not data["results"] or stop():
                return
        raise CapxError(f"{path} did not end after {MAX_PAGES} pages")

    def names(self, kind: str) -> dict[int, str]:
        data = self.get(f"/list/{kind}/")
        if not isinstance(data, Mapping):
            raise CapxError(f"/list/{kind}/ answered something that is not a mapping")
        out: dict[int, str] = {}
        for key, name in data.items():
            try:
                out[int(key)] = str(name)
            except (TypeError, ValueError) as error:
                raise CapxError(f"/list/{kind}/ answered an id that is not a number") \
                    from error
        return out


def read_capx(settings: CapxSettings, usernames: Collection[str], *,
              session: requests.Session | None = None,
              sleep: Callable[[float], None] = time.sleep) -> CapxRead:
    """The capacity tree and the CapX profiles of ``usernames`` (those CapX has)."""
    reader = _Reader(settings, session or requests.Session(), sleep)
    skills: list[Mapping[str, Any]] = []
    reader.pages("/skill/", skills.append)
    try:
        tree = CapacityTree.from_skill_list(skills)
    except TreeError as error:
        raise CapxError(f"/skill/ answered a capacity tree that is not one ({error})") \
            from error
    languages = reader.names("language")
    territories = reader.names("territory")
    affiliations = reader.names("affiliation")
    wanted = {same_user(u): u for u in usernames}
    records: dict[str, CapxRecord] = {}

    def keep(item: Mapping[str, Any]) -> None:
        user = item.get("user")
        name = user.get("username") if isinstance(user, Mapping) else None
        if not isinstance(name, str):
            raise CapxError("/users/ answered a profile without a user name")
        ours = wanted.get(same_user(name))
        if ours is not None and ours not in records:
            records[ours] = _record(ours, item, languages, territories, affiliations)

    reader.pages("/users/", keep, stop=lambda: len(records) == len(wanted))
    return CapxRead(tree, records, reader.count)


def _ids(item: Mapping[str, Any], key: str) -> tuple[int, ...]:
    value = item.get(key) or []
    if not isinstance(value, list):
        raise CapxError(f"/users/ answered a {key} that is not a list")
    try:
        return tuple(int(v) for v in value if not isinstance(v, bool))
    except (TypeError, ValueError) as error:
        raise CapxError(f"/users/ answered a {key} that is not a list of ids") from error


def _record(user: str, item: Mapping[str, Any], languages: Mapping[int, str],
            territories: Mapping[int, str], affiliations: Mapping[int, str]) -> CapxRecord:
    """The fields the profile template holds, and nothing else."""
    spoken: list[tuple[str, str]] = []
    raw_languages = item.get("language") or []
    if not isinstance(raw_languages, list):
        raise CapxError("/users/ answered languages that are not a list")
    for entry in raw_languages:
        if not isinstance(entry, Mapping):
            raise CapxError("/users/ answered a language that is not an object")
        try:
            code = int(entry.get("id"))  # type: ignore[arg-type]
        except (TypeError, ValueError) as error:
            raise CapxError("/users/ answered a language without an id") from error
        if code in languages:
            spoken.append((languages[code], str(entry.get("proficiency") or "")))
    return CapxRecord(
        username=user,
        share=_ids(item, "skills_available"),
        learn=_ids(item, "skills_wanted"),
        languages=tuple(spoken),
        territories=tuple(territories[i] for i in _ids(item, "territory") if i in territories),
        affiliations=tuple(affiliations[i] for i in _ids(item, "affiliation")
                           if i in affiliations),
    )
