"""A small program on the in-memory wiki, and a way to run a job on it.

The jobs run exactly as ``run_job`` runs them, except that their wiki is a
:class:`MemoryWiki` on a :class:`MemoryStore` shared between runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import yaml

from bot.config import DEFAULT_PATH, Config, load_config
from bot.demo.profiles import PROFILE_PREFIX, DemoPage, demo_program, profile_text
from bot.demo.sessions import DemoSessions, demo_sessions
from bot.jobs.common import Context, OptionValue, parse_options
from bot.model import PageData
from bot.wiki.memory import MemoryStore, MemoryWiki
from bot.wikitext.sections import Markers, read_section

CONFIG: Config = load_config(DEFAULT_PATH)
NOW = datetime.now(UTC).replace(microsecond=0)
ROUND = f"{NOW:%Y-%m}"
STAMP = (NOW - timedelta(days=20)).strftime("%Y-%m-%dT%H:%M:%SZ")
BOT = "LetsConnectBot"

#: user -> profile fields (besides country, languages and consent)
PEOPLE: dict[str, dict[str, str]] = {
    "Ana Sharer": {"share": "Fundraising", "capacity": "3"},
    "Ben Sharer": {"share": "Governance", "capacity": "3"},
    "Cy Learner": {"learn": "Fundraising"},
    "Dee Learner": {"learn": "Fundraising, Governance"},
    "Eli Learner": {"learn": "Governance"},
    "Fay Typo": {"share": "Wikidata basiks"},
}


def profile(user: str, **fields: str) -> str:
    return profile_text({"country": "Kenya", "languages": "English", "consent": "yes",
                         **fields})


def small_program(people: Mapping[str, dict[str, str]] = PEOPLE, **store_options: object
                  ) -> MemoryStore:
    """Every person with an account and a profile saved twenty days ago."""
    store = MemoryStore(start=NOW - timedelta(days=1), **store_options)  # type: ignore[arg-type]
    for user, fields in people.items():
        store.add_user(user)
        store.edit(PROFILE_PREFIX + user, profile(user, **fields), user, at=STAMP)
    return store


def load(store: MemoryStore, pages: Iterable[DemoPage], users: Iterable[str] = ()) -> None:
    for user in users:
        store.add_user(user)
    for page in pages:
        for revision in page.revisions:
            store.edit(page.title, revision.text, revision.user, at=revision.timestamp)


def demo_store(size: int, **store_options: object) -> MemoryStore:
    """The demo's sample program of ``size`` profiles (``bot.demo.profiles``), written a
    day before now."""
    skills = yaml.safe_load(DEFAULT_PATH.with_name("skills.yaml").read_text(encoding="utf-8"))
    sample = demo_program(skills, size=size, now=NOW)
    store = MemoryStore(start=NOW - timedelta(days=1), **store_options)  # type: ignore[arg-type]
    load(store, sample.pages, sample.users)
    return store


def with_sessions(**store_options: object) -> tuple[MemoryStore, DemoSessions]:
    """The small program, and the demo's session logs around now."""
    store = small_program(**store_options)
    demo = demo_sessions(list(PEOPLE), now=NOW, round_id=ROUND)
    load(store, demo.pages, demo.users)
    return store, demo


class CountingWiki(MemoryWiki):
    """The in-memory wiki, counting how often each page is read."""

    def __init__(self, store: MemoryStore, **options: object) -> None:
        super().__init__(store, **options)  # type: ignore[arg-type]
        self.reads: dict[str, int] = {}

    def read(self, titles: Iterable[str]) -> dict[str, PageData]:
        found = super().read(titles)
        for title in found:
            self.reads[title] = self.reads.get(title, 0) + 1
        return found


@dataclass
class Ran:
    """One run: its context (counters, problems) and what it printed."""

    ctx: Context
    wiki: CountingWiki
    lines: list[str] = field(default_factory=list)

    @property
    def notes(self) -> list[str]:
        return self.wiki.counters.notes


def run(body: Callable[[Context], None], store: MemoryStore, job: str,
        options: Mapping[str, OptionValue], *args: str, simulate: bool = False) -> Ran:
    lines: list[str] = []
    wiki = CountingWiki(store, simulate=simulate, out=lines.append)
    ctx = Context(job=job, config=CONFIG, wiki=wiki, options=parse_options(args, options))
    ctx.report = lambda line: lines.append(f"{job}: {line}")  # type: ignore[method-assign]
    body(ctx)
    return Ran(ctx, wiki, lines)


def edits_by_bot(store: MemoryStore, besides: tuple[str, ...] = ()) -> int:
    """The bot's edits, leaving out those on ``besides`` (e.g. a state page that records
    the time of the run, and so changes whenever a run falls in another second)."""
    return sum(1 for title, revisions in store.pages.items() if title not in besides
               for r in revisions if r.user == BOT)


def section(store: MemoryStore, title: str, name: str) -> str:
    """The text between the bot's markers of ``name`` on ``title``."""
    markers = Markers(CONFIG.templates.start_marker, CONFIG.templates.end_marker)
    return read_section(store.text(title) or "", name, markers)
