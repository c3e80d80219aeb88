"""A realistic sample program for the demo and the integration tests.

About 150 participants over the Wikimedia regions in roughly the pilot's
proportions, writing their profiles the way real people do: labels in their
own language, aliases, a few typos, a few without consent, one or two entries
last touched by someone else.  Generated from a fixed seed, so every run of
the demo and every test sees the same program.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import NotRequired, TypedDict, TypeVar
from xml.sax.saxutils import escape

import langcodes
import pycountry

PROFILE_PREFIX = "Grants:Knowledge Sharing/Connect/Directory/"
GRANTS_NS = 200
#: The program's own page, which exists on Meta-Wiki and which the bot never writes.
PROGRAM_PAGE = "Grants:Knowledge Sharing/Connect"
PROGRAM_TEAM = "Program Team"

# region id -> (share of participants, countries, languages spoken there)
REGIONS = {
    "ssa": (0.27, ["NG", "KE", "GH", "UG", "TZ", "ZA", "CM", "CI", "SN", "BJ"],
            ["en", "fr", "sw", "yo", "ha", "ig"]),
    "lac": (0.20, ["MX", "BR", "AR", "CO", "PE", "CL", "VE", "BO"], ["es", "pt", "en"]),
    "south-asia": (0.12, ["IN", "BD", "PK", "NP", "LK"], ["en", "hi", "bn", "ur", "ta"]),
    "mena": (0.10, ["EG", "MA", "TN", "DZ", "JO", "IQ", "LB"], ["ar", "fr", "en"]),
    "eseap": (0.10, ["ID", "PH", "MY", "TW", "AU", "KR"], ["en", "id", "tl", "zh", "ko"]),
    "cee": (0.09, ["UA", "PL", "RS", "AM", "GE"], ["en", "uk", "pl", "sr", "ru", "hy"]),
    "nwe": (0.08, ["DE", "FR", "GB", "NL", "SE", "ES", "IT"], ["en", "fr", "de", "nl", "es"]),
    "usca": (0.04, ["US", "CA"], ["en", "es", "fr"]),
}
LABEL_LANG = {"lac": ["es", "pt", "en"], "mena": ["ar", "fr", "en"], "ssa": ["en", "fr"],
              "nwe": ["en", "fr"], "usca": ["en"], "cee": ["en"], "eseap": ["en"],
              "south-asia": ["en"]}
FIRST = ["Amina", "Kwame", "Lucía", "João", "Fatima", "Ravi", "Siti", "Olena", "Emma", "Noah",
         "Chinedu", "Wanjiru", "Mateo", "Camila", "Youssef", "Priya", "Ana", "Tanvir", "Mai",
         "Ibrahim", "Nadia", "Diego", "Aisha", "Kofi", "Marta", "Leila", "Arjun", "Yuki", "Sara",
         "Omar", "Zanele", "Pedro", "Hana", "Bilal", "Valentina", "Tomasz", "Grace", "Ahmed"]
LAST = ["Okafor", "Mensah", "García", "Silva", "Haddad", "Sharma", "Rahman", "Kovalenko",
        "Johnson", "Mwangi", "Pérez", "Costa", "Benali", "Gupta", "Santos", "Nguyen", "Diallo",
        "Kowalski", "Moreau", "Ali", "Achieng", "Rojas", "Tan", "Petrov", "Addo", "Fernández"]
AREAS = ["education", "glam", "gender-gap", "human-rights", "sustainability", "campaigns"]
WANTED_FIRST = ("strategy", "paws", "learning-evaluation", "social-media", "volunteer")


_T = TypeVar("_T")


class DemoSkill(TypedDict):
    """A skill of ``config/skills.yaml``: the keys the demo reads."""

    id: str
    labels: dict[str, str]
    aliases: NotRequired[list[str]]


class DemoArea(TypedDict):
    skills: list[DemoSkill]


class SkillsFile(TypedDict):
    """``config/skills.yaml`` as the demo reads it."""

    areas: list[DemoArea]


@dataclass(frozen=True)
class DemoRevision:
    user: str
    timestamp: str
    text: str
    comment: str = "Let's Connect profile"


@dataclass(frozen=True)
class DemoPage:
    title: str
    ns: int
    revisions: tuple[DemoRevision, ...]  # oldest first


@dataclass
class DemoProgram:
    users: list[str] = field(default_factory=list)  # accounts to create
    pages: list[DemoPage] = field(default_factory=list)


def _skill_pool(skills_yaml: SkillsFile) -> tuple[list[DemoSkill], list[float]]:
    """All skills, most-wanted first, with Zipf-like demand weights."""
    skills = [s for area in skills_yaml["areas"] for s in area["skills"]]
    skills.sort(key=lambda s: (not any(w in s["id"] for w in WANTED_FIRST), 0))
    weights = [1.0 / (rank + 1) ** 0.9 for rank in range(len(skills))]
    return skills, weights


def _pick(rng: random.Random, pool: list[_T], weights: list[float], k: int) -> list[_T]:
    chosen: list[_T] = []
    while len(chosen) < k:
        item = rng.choices(pool, weights)[0]
        if item not in chosen:
            chosen.append(item)
    return chosen


def _written(rng: random.Random, skill: DemoSkill, langs: list[str]) -> str:
    """How a participant writes a skill: a label in their language, or an alias."""
    if skill.get("aliases") and rng.random() < 0.15:
        return rng.choice(skill["aliases"])
    return skill["labels"].get(rng.choice(langs), skill["labels"]["en"])


def _names(rng: random.Random, n: int) -> list[str]:
    """Distinct names; past the first/last-name combinations, a number tells people apart."""
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < n:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name in seen:
            if len(seen) < len(FIRST) * len(LAST) // 2:
                continue
            name = f"{name} {len(names)}"
        seen.add(name)
        names.append(name)
    return names


def profile_text(fields: dict[str, str]) -> str:
    lines = ["{{Let's Connect/Profile"]
    lines += [f"|{key} = {value}" for key, value in fields.items()]
    return "\n".join(lines) + "\n}}\n"


def _country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:  # REGIONS holds only real codes
        raise ValueError(f"not a country code: {code}")
    return country.name


def demo_program(skills_yaml: SkillsFile, *, size: int = 150, seed: int = 2022,
                 now: datetime | None = None) -> DemoProgram:
    rng = random.Random(seed)
    now = now or datetime(2026, 11, 1, tzinfo=UTC)
    pool, weights = _skill_pool(skills_yaml)
    names = _names(rng, size)
    regions = list(REGIONS)
    shares = [REGIONS[r][0] for r in regions]
    program = DemoProgram()
    for index, user in enumerate(names):
        region = rng.choices(regions, shares)[0]
        _, countries, spoken = REGIONS[region]
        country = rng.choice(countries)
        langs = ["en"] if rng.random() < 0.6 else []
        langs += [lang for lang in rng.sample(spoken, k=min(2, len(spoken))) if lang not in langs]
        written_langs = LABEL_LANG[region]
        share = _pick(rng, pool, [1.0] * len(pool), rng.choice([0, 1, 1, 2, 3]))
        learn = [s for s in _pick(rng, pool, weights, rng.choice([1, 1, 2, 3])) if s not in share]
        fields = {
            "country": _country_name(country),
            "languages": ", ".join(langcodes.Language.get(c).display_name() for c in langs),
            "affiliation": f"Wikimedia Community User Group {country}",
            "share": ", ".join(_written(rng, s, written_langs) for s in share),
            "learn": ", ".join(_written(rng, s, written_langs) for s in learn),
            "areas": ", ".join(rng.sample(AREAS, k=rng.choice([0, 1, 2]))),
            "capacity": str(rng.choice([1, 1, 2, 3])),
            "formats": rng.choice(["1:1, group", "1:1, group, clinic", "1:1", "group, clinic"]),
            "notify": "yes" if rng.random() < 0.9 else "no",
            "consent": "yes" if rng.random() < 0.95 else "",
            "lang": rng.choice(langs) if rng.random() < 0.5 else "",
        }
        if rng.random() < 0.3:
            fields["region"] = region
        if index % 50 == 7:  # a typo the problems page should catch
            fields["share"] = (fields["share"] + ", Wikidata basiks").lstrip(", ")
        age = rng.randint(1, 300) if index % 40 else rng.randint(400, 700)
        stamp = (now - timedelta(days=age, minutes=index)).strftime("%Y-%m-%dT%H:%M:%SZ")
        revisions = [DemoRevision(user, stamp, profile_text(fields))]
        if index % 75 == 11:  # a drive-by edit the bot must not trust
            later = (now - timedelta(days=max(age - 1, 0))).strftime("%Y-%m-%dT%H:%M:%SZ")
            changed = dict(fields, share="Fundraising, Governance, Advocacy")
            revisions.append(DemoRevision("Drive-by editor", later, profile_text(changed)))
        program.users.append(user)
        program.pages.append(DemoPage(PROFILE_PREFIX + user, GRANTS_NS, tuple(revisions)))
    program.users.append("Drive-by editor")
    ghost = "Nobody Registered"  # a profile for an account that does not exist
    stamp = (now - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    ghost_text = profile_text({"country": "Kenya", "languages": "English",
                               "share": "Fundraising", "consent": "yes"})
    program.pages.append(
        DemoPage(
            PROFILE_PREFIX + ghost, GRANTS_NS, (DemoRevision("Drive-by editor", stamp, ghost_text),)
        )
    )
    return program


def program_page(now: datetime | None = None) -> DemoPage:
    """A stand-in for the program's page on Meta, which the templates and the bot's task
    page link to (the bot never writes it); without it the local wiki shows red links."""
    now = now or datetime(2026, 11, 1, tzinfo=UTC)
    text = (
        "'''Let's Connect''' is the Wikimedia movement's peer-learning program: people who "
        "want to learn a skill meet people who can share it, in coffees, clinics and "
        "regional sessions.\n\n"
        "''This page stands in for the program's page on Meta-Wiki.''\n\n"
        "* [[Grants:Knowledge Sharing/Connect/Directory|Directory]]: add your profile\n"
        "* [[Grants:Knowledge Sharing/Connect/Skills|Skills]]\n"
        "* [[Grants:Knowledge Sharing/Connect/Calendar|Calendar]]\n"
        "* [[Grants:Knowledge Sharing/Connect/Dashboard|Dashboard]]\n"
        "* [[Grants:Knowledge Sharing/Connect/Bot|About the bot]]\n"
    )
    stamp = (now - timedelta(days=400)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return DemoPage(PROGRAM_PAGE, GRANTS_NS,
                    (DemoRevision(PROGRAM_TEAM, stamp, text, "Let's Connect program page"),))


def export_xml(pages: list[DemoPage]) -> str:
    """MediaWiki's XML export format, so importDump.php can load the pages with their authors."""
    parts = ['<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11">']
    for page in pages:
        parts.append(f"<page><title>{escape(page.title)}</title><ns>{page.ns}</ns>")
        for rev in page.revisions:
            parts.append(
                "<revision>"
                f"<timestamp>{rev.timestamp}</timestamp>"
                f"<contributor><username>{escape(rev.user)}</username></contributor>"
                f"<comment>{escape(rev.comment)}</comment>"
                "<model>wikitext</model><format>text/x-wiki</format>"
                f'<text xml:space="preserve">{escape(rev.text)}</text>'
                "</revision>"
            )
        parts.append("</page>")
    parts.append("</mediawiki>\n")
    return "".join(parts)
