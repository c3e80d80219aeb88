"""Sample session logs for the demo and the integration tests.

A dozen learning clinics, regional sessions and a coffee around ``now``, most
of them held and documented with recordings, slides and notes; outcomes for
some of the round's coffee groups; a few other learning spaces of the
movement; two stand-alone guides.  Written the way organisers write them:
mostly ISO dates, sometimes a date in Spanish or a time with its offset, one
session whose status nobody updated, one file link that does not exist.

Besides the pages, :class:`DemoSessions` keeps what each session *is* (date in
UTC, status, participants, resources), so a test can work out the expected
figures without the bot's parser.  Generated from a fixed seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.demo.profiles import DemoPage, DemoRevision

GRANTS_NS = 200
SESSION_PREFIX = "Grants:Knowledge Sharing/Connect/Sessions/"
COFFEES_PREFIX = "Grants:Knowledge Sharing/Connect/Coffees/"
SPACES_PAGE = "Grants:Knowledge Sharing/Connect/Learning spaces"
GUIDES_PAGE = "Grants:Knowledge Sharing/Connect/Resources/Guides"
ORGANISER = "Clinic Organiser"
MISSING_FILE = "File:Grant reporting clinic notes.pdf"

#: (title, format, region, languages, interpretation, skills)
TOPICS = [
    ("Organisation plan and strategy", "clinic", "", ["en"], ["es", "fr"],
     ["organisational-strategy"]),
    ("PAWS, Quarry and WDQS for reports", "clinic", "", ["en"], ["ar", "pt"],
     ["paws-quarry-wdqs"]),
    ("Learning and evaluation plans", "clinic", "", ["en"], ["es"], ["learning-evaluation-plans"]),
    ("Social media for affiliates", "clinic", "", ["en", "es"], [], ["social-media"]),
    ("Volunteer recognition", "clinic", "", ["en"], ["fr"], ["volunteer-management"]),
    ("Budgets that tell a story", "regional", "ssa", ["en", "fr"], [],
     ["budget-development", "reporting-storytelling"]),
    ("Grant proposals in LAC", "regional", "lac", ["es", "pt"], [], ["grant-proposals"]),
    ("Partnerships with GLAM institutions", "regional", "mena", ["ar", "fr"], [],
     ["partnerships"]),
    ("Wikidata basics", "clinic", "", ["en"], ["pt"], ["wikidata-basics"]),
    ("Burnout and leadership renewal", "other", "", ["en"], [], ["leadership-burnout"]),
    ("Coffee: fundraising first steps", "coffee", "", ["en"], [], ["fundraising"]),
    ("Safe spaces at events", "clinic", "", ["en"], ["es", "ar"],
     ["inclusive-safe-environments"]),
]
#: Days from ``now``: nine past sessions, three to come.
OFFSETS = [-150, -120, -95, -70, -48, -40, -27, -13, -6, 9, 23, 44]
RESOURCE_TYPES = ["recording", "slides", "document"]
SPACES = [
    ("Wikidata Wednesdays", "Wikimedia Deutschland", "global", "Wikidata, technical wiki skills",
     "en, de", "https://www.wikidata.org/wiki/Wikidata:Events", "Every Wednesday, 16:00 UTC"),
    ("Café GLAM Lusófono", "Wiki Movimento Brasil", "LAC", "GLAM, education", "pt, es",
     "https://meta.wikimedia.org/wiki/Wiki_Movimento_Brasil", "First Friday of the month"),
    ("ESEAP Strategy Hub learning hour", "ESEAP Hub", "ESEAP", "Organisational, fundraising",
     "en", "https://meta.wikimedia.org/wiki/ESEAP_Hub", "Monthly, 09:00 UTC"),
    ("Wiki Loves Africa office hours", "Wiki In Africa", "Sub-Saharan Africa",
     "campaigns, Commons", "en, fr", "https://meta.wikimedia.org/wiki/Wiki_Loves_Africa",
     "Fridays during the contest"),
]
GUIDES = [
    ("Writing a learning and evaluation plan", "guide", "learning and evaluation plans", "en, es",
     "https://meta.wikimedia.org/wiki/Learning_and_Evaluation"),
    ("Quarry in ten minutes", "guide", "PAWS", "en",
     "https://meta.wikimedia.org/wiki/Research:Quarry"),
]


@dataclass(frozen=True)
class DemoResource:
    title: str
    type: str
    link: str


@dataclass(frozen=True)
class DemoSession:
    """What a session is, whatever way its page writes it."""

    page: str
    start: datetime  # UTC
    title: str
    format: str
    region: str
    languages: tuple[str, ...]
    skills: tuple[str, ...]
    sharers: tuple[str, ...]
    participants: int | None
    status: str  # as the bot should read it (an outcome may have set it)
    resources: tuple[DemoResource, ...] = ()


@dataclass
class DemoSessions:
    users: list[str] = field(default_factory=list)
    pages: list[DemoPage] = field(default_factory=list)
    sessions: list[DemoSession] = field(default_factory=list)
    #: group id -> held, as the outcomes say (one "held" wins)
    outcomes: dict[str, bool] = field(default_factory=dict)
    spaces: int = 0
    guides: int = 0


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _template(name: str, fields: dict[str, str]) -> str:
    lines = [f"{{{{Let's Connect/{name}"]
    lines += [f"|{key} = {value}" for key, value in fields.items() if value != ""]
    return "\n".join(lines) + "\n}}\n"


def _written_date(index: int, start: datetime) -> dict[str, str]:
    """Most pages write ISO dates in UTC; a few write them the way people do."""
    if index == 3:  # a Spanish date, the time in UTC-3
        months = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                  "septiembre", "octubre", "noviembre", "diciembre"]
        local = start - timedelta(hours=3)
        return {"date": f"{local.day} de {months[local.month - 1]} de {local.year}",
                "time": f"{local:%H:%M} UTC-3"}
    if index == 5:  # the time with its offset, in East Africa
        local = start + timedelta(hours=3)
        return {"date": f"{local:%Y-%m-%d}", "time": f"{local:%H:%M} (UTC+3)"}
    return {"date": f"{start:%Y-%m-%d}", "time": f"{start:%H:%M}"}


def demo_sessions(
    sharers_pool: list[str], *, now: datetime | None = None, round_id: str | None = None,
    seed: int = 2023,
) -> DemoSessions:
    """The sample sessions around ``now``; outcomes name groups of ``round_id``
    (default: the month of ``now``)."""
    rng = random.Random(seed)
    now = (now or datetime(2026, 11, 1, tzinfo=UTC)).astimezone(UTC)
    round_id = round_id or f"{now:%Y-%m}"
    demo = DemoSessions(users=[ORGANISER])
    pool = sorted(sharers_pool)
    for index, (title, fmt, region, langs, interp, skills) in enumerate(TOPICS):
        demo_session, page = _session(rng, index, now, title, fmt, region, langs, interp, skills,
                                      pool)
        demo.sessions.append(demo_session)
        demo.pages.append(page)
    demo.pages.append(_coffee_outcomes(demo, round_id, now))
    demo.pages.append(_spaces_page(now))
    demo.spaces = len(SPACES)
    demo.pages.append(_guides_page(now))
    demo.guides = len(GUIDES)
    return demo


def _session(rng: random.Random, index: int, now: datetime, title: str, fmt: str, region: str,
             langs: list[str], interp: list[str], skills: list[str], pool: list[str]
             ) -> tuple[DemoSession, DemoPage]:
    day = (now + timedelta(days=OFFSETS[index])).replace(minute=0, second=0, microsecond=0)
    start = day.replace(hour=rng.choice([9, 13, 14, 15, 16]))
    past = start < now
    written_status, status = ("held", "held") if past else ("planned", "planned")
    outcome = ""
    if past and index == 4:
        written_status, status = "cancelled", "cancelled"
    if past and index == 7:  # nobody updated the status: stays planned, gets reported
        written_status = status = "planned"
    if past and index == 8:  # the status comes from an outcome on the page
        written_status, status, outcome = "planned", "held", "yes"
    sharers = tuple(rng.sample(pool, k=2)) if pool else ()
    participants = rng.randint(12, 30) if status == "held" else None
    if index == 2:
        participants = None  # a held session that gives no count
    resources = _resources(rng, index, title) if status == "held" else ()
    page = f"{SESSION_PREFIX}{start:%Y-%m} {title}"
    fields = {
        **_written_date(index, start),
        "title": title, "format": fmt, "region": region, "languages": ", ".join(langs),
        "interpretation": ", ".join(interp), "skills": ", ".join(skills),
        "sharers": ", ".join(sharers),
        "participants": "" if participants is None else str(participants),
        "registration": f"https://meta.wikimedia.org/wiki/Special:RegisterForEvent/{100 + index}",
        "status": written_status,
        "summary": f"{title}: questions from the participants, examples from the sharers.",
    }
    text = "Log of a Let's Connect learning space.\n\n" + _template("Session", fields)
    for resource in resources:
        text += _template("Resource", {"title": resource.title, "link": resource.link,
                                       "type": resource.type})
    if outcome:
        text += _template("Outcome", {"held": outcome, "date": f"{start:%Y-%m-%d}",
                                      "summary": "It took place; the page was not updated."})
    saved = min(now, start + timedelta(days=2)) if past else now - timedelta(days=5)
    spoken = tuple(dict.fromkeys(langs + interp))
    demo_session = DemoSession(page, start, title, fmt, region, spoken, tuple(skills), sharers,
                               participants, status, resources)
    return demo_session, DemoPage(page, GRANTS_NS, (DemoRevision(ORGANISER, _stamp(saved), text,
                                                                 "Let's Connect session log"),))


def _resources(rng: random.Random, index: int, title: str) -> tuple[DemoResource, ...]:
    if index in (1, 6):  # held, not documented yet
        return ()
    count = rng.randint(1, 3)
    found = []
    for kind in RESOURCE_TYPES[:count]:
        slug = title.replace(" ", "_").replace(",", "")
        link = {
            "recording": f"https://commons.wikimedia.org/wiki/File:Lets_Connect_{slug}.webm",
            "slides": f"[https://commons.wikimedia.org/wiki/File:Lets_Connect_{slug}_slides.pdf "
                      "slides on Commons]",
            "document": f"https://etherpad.wikimedia.org/p/lets-connect-{index}",
        }[kind]
        found.append(DemoResource(f"{title} ({kind})", kind, link))
    if index == 0:
        found.append(DemoResource("Notes (PDF)", "document", f"[[{MISSING_FILE}]]"))
    return tuple(found)


def _coffee_outcomes(demo: DemoSessions, round_id: str, now: datetime) -> DemoPage:
    said = [("001", "yes"), ("002", "yes"), ("003", "no"), ("004", "yes"), ("005", "no"),
            ("005", "yes"), ("006", "no")]
    text = "Outcomes of this round's coffees, as the participants recorded them.\n\n"
    for number, held in said:
        group = f"{round_id}-{number}"
        demo.outcomes[group] = demo.outcomes.get(group, False) or held == "yes"
        text += _template("Outcome", {
            "group": group, "held": held, "date": f"{now - timedelta(days=2):%Y-%m-%d}",
            "summary": "We met for an hour and shared templates." if held == "yes"
            else "We could not find a time this month.",
        })
    return DemoPage(f"{COFFEES_PREFIX}{round_id}", GRANTS_NS,
                    (DemoRevision(ORGANISER, _stamp(now - timedelta(days=1)), text,
                                  "Let's Connect coffee outcomes"),))


def _spaces_page(now: datetime) -> DemoPage:
    text = "Other learning spaces of the movement.\n\n"
    for name, organiser, region, topics, langs, link, schedule in SPACES:
        text += _template("Space", {"name": name, "organiser": organiser, "region": region,
                                    "topics": topics, "languages": langs, "link": link,
                                    "schedule": schedule})
    return DemoPage(SPACES_PAGE, GRANTS_NS, (DemoRevision(ORGANISER, _stamp(now - timedelta(
        days=30)), text, "Let's Connect learning spaces"),))


def _guides_page(now: datetime) -> DemoPage:
    text = "Guides written by participants.\n\n"
    for title, kind, skills, langs, link in GUIDES:
        text += _template("Resource", {"title": title, "type": kind, "skills": skills,
                                       "languages": langs, "link": link})
    return DemoPage(GUIDES_PAGE, GRANTS_NS, (DemoRevision(ORGANISER, _stamp(now - timedelta(
        days=60)), text, "Let's Connect guides"),))
