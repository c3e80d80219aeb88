"""A fault-injecting HTTP proxy between the bot and the local wiki, for the tests.

It listens on 127.0.0.1 only and forwards each request to the wiki, except
that a share of them (``rate``, drawn from a seeded generator so a failing run
can be replayed) fail in one of the ways a busy wiki farm fails:

* ``500``, ``502``, ``503``: an error page instead of the API's answer;
* ``maxlag``: the API's own "database lag" error (only for requests that ask
  for ``maxlag``, as on Wikimedia wikis);
* ``ratelimited``: the API's rate-limit error, for edits;
* ``timeout``: the request reaches the wiki (an edit is made) but the answer
  comes later than the client waits, and never;
* ``drop``: the connection is closed without an answer, half of the time
  before the wiki saw the request and half of the time after it acted on it;
* ``slow`` (a share of its own, ``slow_rate``): the answer is delayed, but arrives;
* ``outage``: every request from the n-th to the m-th (``outages``) gets a 503, so
  that a request fails more times in a row than the client retries.

Every wait is bounded (``hold`` and ``slow`` seconds), so a test cannot hang on
the proxy.  ``before`` hooks see each request that is about to be forwarded:
the concurrency tests use them to make a person's edit between the bot's read
and its write.  ``after`` hooks see each request the wiki has answered, before
the answer goes back: the crash test kills the job there, after its N-th edit
was made and before it learns so.
"""

from __future__ import annotations

import http.client
import json
import random
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

KINDS = ("500", "502", "503", "maxlag", "ratelimited", "timeout", "drop")
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host",
              "proxy-connection", "te", "trailer", "upgrade"}


@dataclass
class Seen:
    """One request as the proxy saw it (parameters from the query string and the form)."""

    method: str
    path: str
    params: dict[str, str]

    @property
    def action(self) -> str:
        return self.params.get("action", "")

    @property
    def is_edit(self) -> bool:
        return self.method == "POST" and self.action == "edit"


@dataclass
class Stats:
    requests: int = 0
    faults: Counter = field(default_factory=Counter)

    @property
    def failed(self) -> int:
        """Requests that did not get their answer (slow ones did)."""
        return sum(n for kind, n in self.faults.items() if kind != "slow")


class FaultProxy:
    """``with FaultProxy(wiki_port, rate=0.2) as proxy:``, then point the bot at ``proxy.url``."""

    def __init__(self, upstream_port: int, rate: float = 0.0, seed: int = 0,
                 kinds: tuple[str, ...] = KINDS, hold: float = 3.5, slow: float = 1.0,
                 slow_rate: float = 0.0, outages: tuple[range, ...] = ()) -> None:
        self.upstream_port = upstream_port
        self.outages = outages
        self.rate = rate
        self.slow_rate = slow_rate
        self.kinds = kinds
        self.hold = hold
        self.slow = slow
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.stats = Stats()
        self.before: list[Callable[[Seen], None]] = []
        self.after: list[Callable[[Seen], None]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> FaultProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    # ------------------------------------------------------------ choosing

    def choose(self, seen: Seen) -> str | None:
        """The fault this request meets, or None; faults that do not fit it become 503."""
        with self.lock:
            self.stats.requests += 1
            if any(self.stats.requests in outage for outage in self.outages):
                self.stats.faults["outage"] += 1
                return "503"
            draw = self.random.random()
            if draw >= self.rate:
                if draw < self.rate + self.slow_rate:
                    self.stats.faults["slow"] += 1
                    return "slow"
                return None
            kind = self.random.choice(self.kinds)
            if kind == "maxlag" and "maxlag" not in seen.params:
                kind = "503"
            if kind == "ratelimited" and not seen.is_edit:
                kind = "502"
            self.stats.faults[kind] += 1
            return kind

    # ------------------------------------------------------------- serving

    def _handler(self):
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                self._serve(b"")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0) or 0)
                self._serve(self.rfile.read(length) if length else b"")

            def _serve(self, body: bytes) -> None:
                seen = Seen(self.command, self.path, _params(self.path, body, self.headers))
                kind = proxy.choose(seen)
                if kind in {"500", "502", "503"}:
                    return self._error_page(int(kind))
                if kind == "maxlag":
                    return self._api_error("maxlag", "Waiting for 127.0.0.1: 1 seconds lagged.",
                                           {"lag": 1, "host": "127.0.0.1", "type": "db"},
                                           {"Retry-After": "1", "X-Database-Lag": "1"})
                if kind == "ratelimited":
                    return self._api_error(
                        "ratelimited", "As an anti-abuse measure, you are limited from "
                        "performing this action too many times in a short space of time.", {}, {})
                if kind == "drop" and proxy.random.random() < 0.5:
                    return self._drop()
                if kind == "slow":
                    time.sleep(proxy.slow)
                for hook in list(proxy.before):
                    hook(seen)
                answer = self._forward(body)
                for hook in list(proxy.after):
                    hook(seen)
                if kind == "timeout":
                    time.sleep(proxy.hold)
                    return self._drop()
                if kind == "drop":
                    return self._drop()
                self._send(*answer)

            def _forward(self, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
                connection = http.client.HTTPConnection("127.0.0.1", proxy.upstream_port,
                                                        timeout=120)
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in HOP_BY_HOP}
                headers["Host"] = f"127.0.0.1:{proxy.upstream_port}"
                connection.request(self.command, self.path, body=body or None, headers=headers)
                response = connection.getresponse()
                data = response.read()
                kept = [(k, v) for k, v in response.getheaders() if k.lower() not in HOP_BY_HOP]
                connection.close()
                return response.status, kept, data

            def _send(self, status: int, headers: list[tuple[str, str]], data: bytes) -> None:
                try:
                    self.send_response(status)
                    for key, value in headers:
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client is gone (killed by a test): nobody to answer
                    self.close_connection = True

            def _error_page(self, status: int) -> None:
                page = f"<html><body><h1>{status}</h1>Our servers are having a problem.</body>"
                self._send(status, [("Content-Type", "text/html")], page.encode())

            def _api_error(self, code: str, info: str, extra: dict, headers: dict) -> None:
                data = json.dumps({"error": {"code": code, "info": info, **extra}}).encode()
                self._send(200, [("Content-Type", "application/json; charset=utf-8"),
                                 ("MediaWiki-API-Error", code), *headers.items()], data)

            def _drop(self) -> None:
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                self.close_connection = True

        return Handler


def _params(path: str, body: bytes, headers) -> dict[str, str]:
    """The request's parameters, for deciding what fits (multipart bodies are not read)."""
    params = {k: v[0] for k, v in parse_qs(urlsplit(path).query, keep_blank_values=True).items()}
    kind = headers.get("Content-Type", "")
    if body and kind.startswith("application/x-www-form-urlencoded"):
        params.update({k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace"),
                                                    keep_blank_values=True).items()})
    return params
