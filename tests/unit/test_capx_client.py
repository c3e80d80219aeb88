"""The CapX edge without a network: a fake session answers as the backend does (its
shapes from the OpenAPI schema of release 2.2.27) and counts the requests."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest
import requests

from bot.capx.client import CapxError, CapxSettings, read_capx, same_user, user_agent

SKILLS = [{"id": 50, "skill_type": None, "skill_wikidata_item": "Q1"},
          {"id": 124, "skill_type": 50, "skill_wikidata_item": "Q2"},
          {"id": 139, "skill_type": 124, "skill_wikidata_item": "Q3"}]


def profile(name: str, **fields: Any) -> dict[str, Any]:
    """A /users/ result with every field CapX sends, secrets included."""
    return {
        "id": 7, "user": {"id": 7, "username": name, "email": f"{name.lower()}@example.org",
                          "is_staff": False, "is_active": True, "date_joined": "2025-01-01"},
        "about": "secret about", "contact": {"email": "private@example.org"},
        "wiki_alt": "Alt", "display_name": "X", "skills_known": [139],
        "skills_available": [139], "skills_wanted": [], "language": [{"id": 1, "proficiency": "n"}],
        "territory": [3], "affiliation": [4], **fields,
    }


class FakeResponse:
    def __init__(self, status: int, body: Any) -> None:
        self.status_code, self.body = status, body

    def json(self) -> Any:
        if isinstance(self.body, Exception):
            raise self.body
        return self.body


class FakeSession:
    def __init__(self, users: list[dict[str, Any]],
                 fail: Callable[[str, int], FakeResponse | Exception | None] = lambda p, n: None
                 ) -> None:
        self.users, self.fail = users, fail
        self.calls: list[tuple[str, Mapping[str, Any], Mapping[str, str], float]] = []

    def get(self, url: str, params: Mapping[str, Any] | None = None, timeout: float = 0,
            headers: Mapping[str, str] | None = None) -> FakeResponse:
        path = url.removeprefix("http://capx.test")
        self.calls.append((path, params or {}, headers or {}, timeout))
        failed = self.fail(path, len(self.calls))
        if isinstance(failed, Exception):
            raise failed
        if failed is not None:
            return failed
        if path == "/skill/":
            return FakeResponse(200, {"count": 3, "next": None, "results": SKILLS})
        if path.startswith("/list/"):
            return FakeResponse(200, {"1": "Portuguese", "2": "German", "3": "Brazil",
                                      "4": "Wikimedia Brasil"})
        if path == "/users/":
            start, size = int(params["offset"]), int(params["limit"])  # type: ignore[index]
            page = self.users[start:start + size]
            more = start + size < len(self.users)
            return FakeResponse(200, {"count": len(self.users), "next": "x" if more else None,
                                      "results": page})
        return FakeResponse(404, {})


SETTINGS = CapxSettings("http://capx.test", user_agent("https://example.org/bot"),
                        timeout=7, retries=2, page_size=2, pause=0.01)


def read(session: FakeSession, names: list[str]) -> Any:
    return read_capx(SETTINGS, names, session=session,  # type: ignore[arg-type]
                     sleep=lambda s: None)


def test_only_the_template_fields_of_the_asked_participants_are_kept() -> None:
    session = FakeSession([profile("Ana"), profile("Bo"), profile("Cy_Z")])
    found = read(session, ["Ana", "Cy Z"])
    assert set(found.records) == {"Ana", "Cy Z"}
    ana = found.records["Ana"]
    assert (ana.share, ana.learn, ana.languages, ana.territories, ana.affiliations) == (
        (139,), (), (("Portuguese", "n"),), ("Brazil",), ("Wikimedia Brasil",))
    assert "example.org" not in repr(found) and "secret" not in repr(found)
    assert found.tree.lineage(139) == (139, 124, 50)


def test_batched_a_list_endpoint_page_by_page_and_no_further_than_needed() -> None:
    session = FakeSession([profile(f"U{i}") for i in range(9)])
    found = read(session, ["U0", "U3"])
    users = [c for c in session.calls if c[0] == "/users/"]
    assert len(users) == 2  # U3 is on the second page of two: the rest is not read
    assert found.requests == len(session.calls) == 1 + 3 + 2
    for _, _, headers, timeout in session.calls:
        assert headers["User-Agent"].startswith("LetsConnectBot/")
        assert "https://example.org/bot" in headers["User-Agent"] and timeout == 7


def test_a_failure_is_retried_a_bounded_number_of_times() -> None:
    session = FakeSession([profile("Ana")],
                          fail=lambda p, n: FakeResponse(503, {}) if n <= 2 else None)
    assert set(read(session, ["Ana"]).records) == {"Ana"}
    down = FakeSession([], fail=lambda p, n: requests.ConnectionError("refused"))
    with pytest.raises(CapxError, match=r"no answer from /skill/ \(ConnectionError\), 3 times"):
        read(down, ["Ana"])
    assert len(down.calls) == 3


@pytest.mark.parametrize(("fail", "message"), [
    (lambda p, n: FakeResponse(404, {}) if p == "/skill/" else None, "/skill/ answered HTTP 404"),
    (lambda p, n: FakeResponse(200, ValueError("html")) if p == "/users/" else None,
     "not JSON"),
    (lambda p, n: FakeResponse(200, {"results": "x"}) if p == "/users/" else None,
     "without a list of results"),
    (lambda p, n: FakeResponse(200, ["a"]) if p == "/list/territory/" else None,
     "not a mapping"),
    (lambda p, n: FakeResponse(200, {"next": None, "results": [{"id": 1, "skill_type": 1},
                                                                {"id": 2, "skill_type": 3},
                                                                {"id": 3, "skill_type": 2}]})
     if p == "/skill/" else None, "not one"),
])
def test_nonsense_is_an_error_that_tells_no_data(fail: Any, message: str) -> None:
    session = FakeSession([profile("Ana", skills_available="oops")], fail=fail)
    with pytest.raises(CapxError, match=message) as error:
        read(session, ["Ana"])
    assert "example.org" not in str(error.value)


def test_a_profile_whose_fields_are_nonsense_is_an_error() -> None:
    with pytest.raises(CapxError, match="skills_available that is not a list"):
        read(FakeSession([profile("Ana", skills_available="oops")]), ["Ana"])


def test_user_names_compare_as_mediawiki_does() -> None:
    assert same_user("ana_maria ") == "Ana maria" == same_user("Ana  maria")
