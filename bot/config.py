"""Settings from ``config/letsconnect.yaml``, checked before any job touches the wiki.

A working-group member edits this file by hand; a typo must end the job with
one line that names the file, the key and what was expected, never a traceback
and never a half-finished run.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias, TypeVar

import yaml

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

_T = TypeVar("_T")

#: The keys the file may hold: each maps to its own keys, or to ``None`` for a leaf.
KnownKeys: TypeAlias = "Mapping[str, KnownKeys | None]"

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = ROOT / "config" / "letsconnect.yaml"


class ConfigError(Exception):
    """A setting is missing or has the wrong shape; the message says which and why."""


@dataclass(frozen=True)
class BotSettings:
    task_page: str
    shutoff_page: str
    state_prefix: str
    name: str
    max_edits_per_run: int = 0
    lease_minutes: int = 30


@dataclass(frozen=True)
class TemplateSettings:
    source_dir: Path
    profile: str
    start_marker: str
    end_marker: str
    lua_data: str
    session: str = "Template:Let's Connect/Session"
    resource: str = "Template:Let's Connect/Resource"
    outcome: str = "Template:Let's Connect/Outcome"
    space: str = "Template:Let's Connect/Space"


@dataclass(frozen=True)
class DirectoryConfig:
    namespaces: tuple[int, ...]
    prefixes: tuple[str, ...]
    trusted: frozenset[str]
    stale_after_days: int


@dataclass(frozen=True)
class Pages:
    directory: str
    by_skill: str
    problems: str
    matches: str
    resources: str = "Grants:Knowledge Sharing/Connect/Resources"
    calendar: str = "Grants:Knowledge Sharing/Connect/Calendar"
    session_problems: str = "Grants:Knowledge Sharing/Connect/Session problems"
    dashboard: str = "Grants:Knowledge Sharing/Connect/Dashboard"


@dataclass(frozen=True)
class MatchingConfig:
    max_group_size: int = 4
    learner_groups_per_round: int = 1
    no_repeat_rounds: int = 6
    weights: dict[str, int] = field(
        default_factory=lambda: {"region": 3, "country": 2, "area": 1}
    )


@dataclass(frozen=True)
class SessionsConfig:
    """Where session logs, resources, outcomes and spaces are looked for."""

    namespaces: tuple[int, ...] = (200, 2)


#: The phase-1 targets of the program, as whole numbers (documented_percent in %).
DEFAULT_TARGETS = {
    "communities": 40,
    "active_sharers": 20,
    "clinics": 8,
    "coffees": 8,
    "documented_percent": 40,
    "ambassadors": 5,
    "working_group": 7,
}


@dataclass(frozen=True)
class StatsConfig:
    """What the dashboard needs that no page says: who the ambassadors and the
    working group are, and the targets to compare with."""

    ambassadors: tuple[str, ...] = ()
    working_group: tuple[str, ...] = ()
    targets: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_TARGETS))


@dataclass(frozen=True)
class NoticesConfig:
    """Talk-page notices: how many, how early, where they are logged and how people opt out."""

    max_notices_per_month: int = 2
    invite_days_before: int = 14
    followup_after_days: int = 21
    #: Monthly log pages get "/YYYY-MM" appended.
    log_page: str = "Grants:Knowledge Sharing/Connect/Notices"
    #: Where a coffee group records its outcome; "/YYYY-MM" (the round) is appended.
    outcomes_page: str = "Grants:Knowledge Sharing/Connect/Coffees"
    #: MassMessage's opt-out category: talk pages in it get no notice.
    optout_category: str = "Category:Opted-out of message delivery"
    #: The name {{bots|optout=...}} uses for this task.
    task: str = "letsconnect-notify"


@dataclass(frozen=True)
class CapxConfig:
    """The Capacity Exchange (bot/capx): where it answers and how the bot reads it."""

    #: The backend's base URL; "" turns the bridge off (capx=yes is then read from nothing).
    base_url: str = "https://capx-backend.toolforge.org"
    #: How CapX's operators reach ours: a URL or an e-mail, put in the User-Agent.
    contact: str = "https://meta.wikimedia.org/wiki/Grants:Knowledge_Sharing/Connect/Bot"
    timeout_seconds: int = 20
    retries: int = 3
    page_size: int = 200


@dataclass(frozen=True)
class Config:
    path: Path
    bot: BotSettings
    templates: TemplateSettings
    directory: DirectoryConfig
    pages: Pages
    exports_prefix: str
    matching: MatchingConfig
    sessions: SessionsConfig = field(default_factory=SessionsConfig)
    stats: StatsConfig = field(default_factory=StatsConfig)
    notices: NoticesConfig = field(default_factory=NoticesConfig)
    capx: CapxConfig = field(default_factory=CapxConfig)

    def state_page(self, job: str) -> str:
        return f"{self.bot.state_prefix}{job}.json"

    def export_page(self, name: str) -> str:
        return f"{self.exports_prefix}{name}.json"


class _Reader:
    """Walks the parsed YAML, turning every wrong shape into a ConfigError."""

    def __init__(self, path: Path, data: object) -> None:
        self.path = path
        self.data = data

    def _fail(self, key: str, expected: str, got: object) -> ConfigError:
        shown = "nothing" if got is None else repr(got)
        return ConfigError(f"{self.path}: key '{key}': expected {expected}, got {shown}")

    def get(self, key: str, default: object = ...) -> object:
        node = self.data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                if default is ...:
                    raise self._fail(key, "a value (the key is missing)", None)
                return default
            node = node[part]
        return node

    def title(self, key: str, default: object = ...) -> str:
        value = self.get(key, default)
        if not isinstance(value, str) or not value.strip() or any(c in value for c in "[]{}|#<>"):
            raise self._fail(key, "a page title (text without [ ] { } | # < >)", value)
        return value.strip()

    def prefix(self, key: str) -> str:
        value = self.get(key)
        if not isinstance(value, str) or not value.strip() or any(c in value for c in "[]{}|#<>"):
            raise self._fail(key, "a title prefix (text without [ ] { } | # < >)", value)
        return value

    def text(self, key: str, default: object = ...) -> str:
        value = self.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise self._fail(key, "some text", value)
        return value.strip()

    def integer(self, key: str, low: int, high: int, default: object = ...) -> int:
        value = self.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self._fail(key, f"a whole number from {low} to {high}", value)
        return value

    def list_of(self, key: str, kind: type[_T], what: str, default: object = ...) -> list[_T]:
        value = self.get(key, default)
        if value is None:
            value = []
        if not isinstance(value, list) or not all(
            isinstance(v, kind) and not isinstance(v, bool) for v in value
        ):
            raise self._fail(key, f"a list of {what}", value)
        return value


def load_config(path: str | Path | None = None) -> Config:
    """Read and check the configuration; raise ConfigError with a readable message."""
    path = Path(path or os.environ.get("LETSCONNECT_CONFIG") or DEFAULT_PATH)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: the configuration file does not exist") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise ConfigError(f"{path}: not valid YAML{where}: {error}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of settings at the top level")
    _check_known_keys(path, raw)
    r = _Reader(path, raw)
    source = Path(r.text("templates.source_dir"))
    if not source.is_absolute():
        source = path.parent.parent / source
    weights = r.get("matching.weights", {"region": 3, "country": 2, "area": 1})
    if not isinstance(weights, dict) or not all(
        k in {"region", "country", "area"} and isinstance(v, int) and v >= 0
        for k, v in weights.items()
    ):
        raise r._fail(
            "matching.weights", "a mapping of region/country/area to whole numbers ≥ 0", weights
        )
    return Config(
        path=path,
        bot=BotSettings(
            task_page=r.title("bot.task_page"),
            shutoff_page=r.title("bot.shutoff_page"),
            state_prefix=r.prefix("bot.state_prefix"),
            name=r.text("bot.name"),
            max_edits_per_run=r.integer("bot.max_edits_per_run", 0, 100000, 0),
            lease_minutes=r.integer("bot.lease_minutes", 1, 24 * 60, 30),
        ),
        templates=TemplateSettings(
            source_dir=source,
            profile=r.title("templates.profile"),
            start_marker=r.title("templates.start_marker"),
            end_marker=r.title("templates.end_marker"),
            lua_data=r.title("templates.lua_data"),
            **_optional_titles(r, TemplateSettings, "templates",
                               ("session", "resource", "outcome", "space")),
        ),
        directory=DirectoryConfig(
            namespaces=tuple(r.list_of("directory.namespaces", int, "namespace numbers")),
            prefixes=tuple(r.list_of("directory.prefixes", str, "title prefixes", [])),
            trusted=frozenset(r.list_of("directory.trusted", str, "user names", [])),
            stale_after_days=r.integer("directory.stale_after_days", 1, 36500, 365),
        ),
        pages=Pages(
            directory=r.title("pages.directory"),
            by_skill=r.title("pages.by_skill"),
            problems=r.title("pages.problems"),
            matches=r.title("pages.matches"),
            **_optional_titles(r, Pages, "pages",
                               ("resources", "calendar", "session_problems", "dashboard")),
        ),
        exports_prefix=r.prefix("exports.prefix"),
        matching=MatchingConfig(
            max_group_size=r.integer("matching.max_group_size", 2, 4, 4),
            learner_groups_per_round=r.integer("matching.learner_groups_per_round", 1, 12, 1),
            no_repeat_rounds=r.integer("matching.no_repeat_rounds", 0, 120, 6),
            weights=dict(weights),
        ),
        sessions=SessionsConfig(
            namespaces=tuple(
                r.list_of("sessions.namespaces", int, "namespace numbers", [200, 2])
            ),
        ),
        stats=_stats_config(r),
        notices=_notices_config(r),
        capx=_capx_config(r),
    )


def _capx_config(r: _Reader) -> CapxConfig:
    """The ``capx:`` section; every key is optional."""
    d = CapxConfig()
    base_url = r.get("capx.base_url", d.base_url)
    if not isinstance(base_url, str) or (
        base_url.strip() and not base_url.strip().startswith(("https://", "http://"))
    ):
        raise r._fail("capx.base_url", 'an http(s):// URL, or "" to turn CapX off', base_url)
    return CapxConfig(
        base_url=base_url.strip().rstrip("/"),
        contact=r.text("capx.contact", d.contact),
        timeout_seconds=r.integer("capx.timeout_seconds", 1, 300, d.timeout_seconds),
        retries=r.integer("capx.retries", 0, 10, d.retries),
        page_size=r.integer("capx.page_size", 10, 1000, d.page_size),
    )


def _optional_titles(
    r: _Reader, cls: type[DataclassInstance], prefix: str, names: tuple[str, ...]
) -> dict[str, str]:
    """Titles added after the first release: a configuration without them keeps working."""
    defaults = cls.__dataclass_fields__
    return {name: r.title(f"{prefix}.{name}", defaults[name].default) for name in names}


def _stats_config(r: _Reader) -> StatsConfig:
    targets = r.get("stats.targets", {})
    if not isinstance(targets, dict) or not all(
        k in DEFAULT_TARGETS and isinstance(v, int) and not isinstance(v, bool) and v >= 0
        for k, v in targets.items()
    ):
        names = "/".join(DEFAULT_TARGETS)
        raise r._fail("stats.targets", f"a mapping of {names} to whole numbers ≥ 0", targets)
    return StatsConfig(
        ambassadors=tuple(r.list_of("stats.ambassadors", str, "user names", [])),
        working_group=tuple(r.list_of("stats.working_group", str, "user names", [])),
        targets={**DEFAULT_TARGETS, **targets},
    )


def _notices_config(r: _Reader) -> NoticesConfig:
    """The ``notices:`` section; every key is optional (a config written before it works)."""
    d = NoticesConfig()
    category = r.title("notices.optout_category", d.optout_category)
    if not category.casefold().startswith("category:"):
        raise r._fail("notices.optout_category", "a category title (Category:...)", category)
    task = r.text("notices.task", d.task)
    if not all(c.isalnum() or c in "-_" for c in task):
        raise r._fail("notices.task", "a task name of letters, digits, - and _", task)
    return NoticesConfig(
        max_notices_per_month=r.integer(
            "notices.max_notices_per_month", 1, 31, d.max_notices_per_month),
        invite_days_before=r.integer("notices.invite_days_before", 1, 90, d.invite_days_before),
        followup_after_days=r.integer(
            "notices.followup_after_days", 1, 180, d.followup_after_days),
        log_page=r.title("notices.log_page", d.log_page),
        outcomes_page=r.title("notices.outcomes_page", d.outcomes_page),
        optout_category=category,
        task=task,
    )


def known_keys() -> dict[str, dict[str, KnownKeys | None]]:
    """Every key the file may hold, as nested dicts (``None`` marks a leaf).

    Taken from the dataclasses above, so a setting added there is known here without a
    second list to keep in step; the two mappings read whole get their own names.
    """
    sections: dict[str, dict[str, KnownKeys | None]] = {}
    for name, kind in typing.get_type_hints(Config).items():
        if dataclasses.is_dataclass(kind):
            sections[name] = {f.name: None for f in dataclasses.fields(kind)}
    sections["exports"] = {"prefix": None}
    sections["matching"]["weights"] = dict.fromkeys(MatchingConfig().weights)
    sections["stats"]["targets"] = dict.fromkeys(DEFAULT_TARGETS)
    return sections


def _check_known_keys(path: Path, raw: Mapping[object, object]) -> None:
    """A misspelt key would otherwise be ignored in silence and its default used instead.

    Checked before any value, so that ``task_pgae`` is reported as the typo it is rather
    than as a missing ``task_page``.
    """
    problem = _unknown_key(raw, known_keys(), "")
    if problem is not None:
        raise ConfigError(f"{path}: {problem}")


def _unknown_key(node: Mapping[object, object], known: KnownKeys, prefix: str) -> str | None:
    """The first key of ``node`` that ``known`` does not have, described in plain words."""
    for key, value in node.items():
        full = f"{prefix}{key}"
        if not isinstance(key, str) or key not in known:
            return _unknown_key_message(str(key), full, known, prefix)
        inner = known[key]
        if inner is None or value is None:
            continue
        if not isinstance(value, dict):
            if prefix:
                continue  # a leaf-like value under a mapping: the value checks say what is wrong
            names = ", ".join(inner)
            return f"section '{full}': expected a mapping of settings ({names}), got {value!r}"
        problem = _unknown_key(value, inner, f"{full}.")
        if problem is not None:
            return problem
    return None


def _unknown_key_message(key: str, full: str, known: KnownKeys, prefix: str) -> str:
    what = "key" if prefix else "section"
    nearest = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    if nearest:
        return f"unknown {what} '{full}'; did you mean '{prefix}{nearest[0]}'?"
    where = f"in '{prefix[:-1]}'" if prefix else "at the top level"
    return f"unknown {what} '{full}'; the known ones {where} are: {', '.join(known)}"
