"""One participant's CapX profile: as the edge keeps it, as the profile template would
say it, and as the directory job remembers it between runs.

Only what the profile template holds ever passes the edge: capacities to share and to
learn, languages with their level, territories and affiliations, by name.  No e-mail, no
"about", no contact, no CapX id leaves :mod:`bot.capx.client`.

**Languages.**  CapX records a level per language (0–5, or ``n`` for native, as the Babel
boxes do).  A language counts as one the participant *can talk in* from level 3
("advanced") up, and native; 0–2 and a language with no level are left out: a coffee
conversation about a skill needs more than basic or intermediate command.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.capx.mapping import listed_capacities, skill_of
from bot.capx.tree import CapacityTree
from bot.model import JSON
from bot.taxonomy import Taxonomy

#: The CapX levels that count as "can talk in" (see the module docstring).
CAN_TALK = frozenset({"3", "4", "5", "n"})
#: CapX is read at most this often when no ``capx=yes`` profile changed.
READ_EVERY = timedelta(hours=24)
#: The template fields CapX may fill, in the card's order.
FIELDS = ("share", "learn", "languages", "region", "country", "affiliation")
MAX_AFFILIATION = 200


def can_talk(level: str) -> bool:
    return str(level).strip().lower() in CAN_TALK


@dataclass(frozen=True)
class CapxRecord:
    """What the edge keeps of one CapX profile (names, not CapX's ids, where CapX has
    them: the edge looks them up in CapX's lists)."""

    username: str
    share: tuple[int, ...] = ()  # skills_available
    learn: tuple[int, ...] = ()  # skills_wanted
    languages: tuple[tuple[str, str], ...] = ()  # (language name, level)
    territories: tuple[str, ...] = ()
    affiliations: tuple[str, ...] = ()


@dataclass(frozen=True)
class CapxValues:
    """A CapX profile in the profile template's terms; what the state keeps of it."""

    share: tuple[str, ...] = ()
    learn: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    region: str = ""
    country: str = ""
    affiliation: str = ""
    #: (field, capacity name) of the capacities no skill stands for.
    unmapped: tuple[tuple[str, str], ...] = ()
    unknown_languages: tuple[str, ...] = ()
    unknown_territories: tuple[str, ...] = ()
    #: False: CapX has no profile under the participant's name.
    found: bool = True

    def as_json(self) -> dict[str, JSON]:
        data: dict[str, JSON] = {
            "share": list(self.share), "learn": list(self.learn),
            "languages": list(self.languages), "region": self.region,
            "country": self.country, "affiliation": self.affiliation,
            "unmapped": [[f, name] for f, name in self.unmapped],
            "unknown_languages": list(self.unknown_languages),
            "unknown_territories": list(self.unknown_territories),
        }
        if not self.found:
            data = {"found": False}
        return data

    @classmethod
    def from_json(cls, data: object) -> CapxValues | None:
        """The values a state page holds, or None when they are not what we wrote."""
        if not isinstance(data, Mapping):
            return None
        if data.get("found") is False:
            return cls(found=False)
        try:
            return cls(
                share=_texts(data.get("share")), learn=_texts(data.get("learn")),
                languages=_texts(data.get("languages")),
                region=_one(data.get("region")), country=_one(data.get("country")),
                affiliation=_one(data.get("affiliation")),
                unmapped=tuple((str(f), str(n)) for f, n in data.get("unmapped") or ()),
                unknown_languages=_texts(data.get("unknown_languages")),
                unknown_territories=_texts(data.get("unknown_territories")),
            )
        except (TypeError, ValueError):
            return None


def _texts(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError("expected a list of texts")
    return tuple(value)


def _one(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError("expected a text")
    return value


def resolve_record(record: CapxRecord, tree: CapacityTree, taxonomy: Taxonomy) -> CapxValues:
    """What the CapX profile says in the template's terms: skills by the mapping (nearest
    listed ancestor), languages the participant can talk in, the first territory that is
    a country or a region the taxonomy knows, the affiliations joined."""
    listed = listed_capacities(taxonomy)
    unmapped: list[tuple[str, str]] = []

    def skills(codes: Iterable[int], field_name: str) -> tuple[str, ...]:
        found: list[str] = []
        for code in codes:
            skill = skill_of(code, tree, listed)
            if skill is None:
                unmapped.append((field_name, tree.label(code)))
            elif skill not in found:
                found.append(skill)
        return tuple(found)

    share, learn = skills(record.share, "share"), skills(record.learn, "learn")
    languages: list[str] = []
    unknown_languages: list[str] = []
    for name, level in record.languages:
        if not can_talk(level):
            continue
        tag = taxonomy.resolve_language(name).value
        if tag is None:
            unknown_languages.append(name)
        elif tag not in languages:
            languages.append(tag)
    country = region = ""
    unknown_territories: list[str] = []
    for name in record.territories:
        found_country = taxonomy.resolve_country(name).value
        found_region = None if found_country else taxonomy.resolve_region(name).value
        if found_country:
            country = country or found_country
            region = region or taxonomy.region_of_country(found_country) or ""
        elif found_region:
            region = region or found_region
        else:
            unknown_territories.append(name)
    affiliation = ", ".join(" ".join(a.split()) for a in record.affiliations if a.strip())
    if len(affiliation) > MAX_AFFILIATION:
        affiliation = affiliation[: MAX_AFFILIATION - 1].rstrip() + "…"
    return CapxValues(
        share=share, learn=learn, languages=tuple(languages), region=region,
        country=country, affiliation=affiliation, unmapped=tuple(unmapped),
        unknown_languages=tuple(unknown_languages),
        unknown_territories=tuple(unknown_territories),
    )


@dataclass(frozen=True)
class CapxState:
    """What the directory job remembers of CapX: when it last read it successfully, the
    revisions of the ``capx=yes`` profiles then, and each participant's values then."""

    read: str = ""  # ISO time of the last successful read, "" = never
    inputs: Mapping[str, int] = field(default_factory=dict)
    users: Mapping[str, CapxValues] = field(default_factory=dict)

    def as_json(self) -> dict[str, JSON]:
        return {
            "read": self.read,
            "inputs": dict(sorted(self.inputs.items())),
            "users": {user: self.users[user].as_json() for user in sorted(self.users)},
        }

    @classmethod
    def from_json(cls, data: object) -> CapxState:
        """The state's ``capx`` part; anything unreadable counts as never read (the next
        run reads CapX again), one participant's unreadable values as none."""
        if not isinstance(data, Mapping):
            return cls()
        read = data.get("read") if isinstance(data.get("read"), str) else ""
        raw_inputs: Any = data.get("inputs")
        inputs = ({str(k): v for k, v in raw_inputs.items() if isinstance(v, int)}
                  if isinstance(raw_inputs, Mapping) else {})
        raw_users: Any = data.get("users")
        users: dict[str, CapxValues] = {}
        if isinstance(raw_users, Mapping):
            for user, raw in raw_users.items():
                values = CapxValues.from_json(raw)
                if values is not None:
                    users[str(user)] = values
        return cls(str(read), inputs, users)

    def due(self, inputs: Mapping[str, int], now: datetime) -> bool:
        """Whether to read CapX now: never read, a day since the last read, or a
        ``capx=yes`` profile new or changed since (``inputs``: page -> revision)."""
        if not inputs:
            return False
        try:
            last = datetime.fromisoformat(self.read)
        except ValueError:
            return True
        return dict(inputs) != dict(self.inputs) or now - last >= READ_EVERY

    def kept(self, users: Iterable[str]) -> CapxState:
        """The state for these participants only (a participant who dropped capx=yes
        leaves nothing behind)."""
        wanted = set(users)
        return CapxState(self.read, self.inputs,
                         {u: v for u, v in self.users.items() if u in wanted})
