"""What the notify tests share: small programs, and reading talk pages as a reader would.

The checks read the talk pages themselves (markers, sections, text) through the
plain API client, never the bot's state, so they see what participants see.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from bot.demo.profiles import GRANTS_NS, PROFILE_PREFIX, DemoPage, DemoRevision, profile_text
from tests.integration.wikiclient import WikiClient

ITEM = re.compile(r"<!-- letsconnect-notice:([a-z]+):([0-9a-f]{16}) -->")
SECTION = re.compile(r"<!-- letsconnect-section:(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ) -->")
STATE = "User:LetsConnectBot/state/notify.json"
EXPORT = "Grants:Knowledge Sharing/Connect/Data/notices.json"
LOG = "Grants:Knowledge Sharing/Connect/Notices/"
SESSIONS = "Grants:Knowledge Sharing/Connect/Sessions/"
ORGANISER = "Clinic Organiser"


def profile(user: str, stamp: str = "2026-10-01T10:00:00Z", title: str | None = None,
            **fields: str) -> DemoPage:
    """A profile its owner saved (on their directory page unless ``title`` says where)."""
    values = {"country": "Kenya", "languages": "English", "consent": "yes"}
    values.update(fields)
    title = title or PROFILE_PREFIX + user
    ns = 2 if title.startswith("User:") else GRANTS_NS
    return DemoPage(title, ns, (DemoRevision(user, stamp, profile_text(values)),))


def session_page(title: str, day: str, skills: str, languages: str = "English",
                 fmt: str = "clinic", stamp: str = "2026-10-20T10:00:00Z") -> DemoPage:
    text = ("{{Let's Connect/Session\n"
            f"|date = {day}\n|time = 15:00\n|title = {title}\n|format = {fmt}\n"
            f"|languages = {languages}\n|skills = {skills}\n|status = planned\n}}}}\n")
    return DemoPage(SESSIONS + title, GRANTS_NS, (DemoRevision(ORGANISER, stamp, text),))


@dataclass
class Talk:
    """A talk page as a reader finds it."""

    title: str
    text: str
    items: Counter = field(default_factory=Counter)  # (kind, hash) -> occurrences
    sections: list[str] = field(default_factory=list)  # section stamps, in page order

    @classmethod
    def of(cls, title: str, text: str) -> Talk:
        return cls(title, text, Counter(ITEM.findall(text)), SECTION.findall(text))

    def kinds(self) -> Counter:
        return Counter(kind for (kind, _), n in self.items.items() for _ in range(n))

    def in_month(self, month: str) -> int:
        return sum(1 for s in self.sections if s.startswith(month))


def talk_pages(wiki: WikiClient) -> dict[str, Talk]:
    """Every page in the User talk namespace with its text (redirects included)."""
    listed = wiki.get(action="query", list="allpages", apnamespace=3, aplimit="max")
    titles = [p["title"] for p in listed["query"]["allpages"]]
    found = {}
    for start in range(0, len(titles), 50):
        chunk = titles[start:start + 50]
        pages = wiki.get(action="query", prop="revisions", titles="|".join(chunk),
                         rvprop="content", rvslots="main")["query"]["pages"]
        for page in pages:
            text = page["revisions"][0]["slots"]["main"]["content"]
            found[page["title"]] = Talk.of(page["title"], text)
    return found


def bot_talk_edits(wiki: WikiClient) -> list[dict]:
    """The bot's edits in the User talk namespace, oldest first."""
    changes = wiki.get(action="query", list="recentchanges", rcnamespace=3, rclimit=500,
                       rcuser="LetsConnectBot", rcprop="ids|title|flags|comment|timestamp",
                       rcdir="newer")
    return changes["query"]["recentchanges"]


def all_items(talks: dict[str, Talk]) -> Counter:
    total: Counter = Counter()
    for talk in talks.values():
        total.update(talk.items)
    return total


def max_rcid(wiki: WikiClient) -> int:
    """The newest recent-change id (imported pages carry old times, so not the first listed)."""
    changes = wiki.get(action="query", list="recentchanges", rclimit=500, rcprop="ids")
    return max((c["rcid"] for c in changes["query"]["recentchanges"]), default=0)
