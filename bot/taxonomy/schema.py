"""Reading config/skills.yaml and config/regions.yaml, and checking them: every error names
the file, the entry and the fix."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.i18n import fallback_chain
from bot.taxonomy.index import Index
from bot.taxonomy.model import LANGS, Area, Region, Skill, TaxonomyError
from bot.taxonomy.names import known_countries
from bot.taxonomy.text import normalise

_KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_COUNTRY_CODE = re.compile(r"[A-Z]{2}\Z")
_QID = re.compile(r"Q[1-9][0-9]*\Z")


class _Checker:
    """Turns parsed yaml into checked values; every error names the file and the key."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str, expected: str) -> TaxonomyError:
        place = f"{self.source}: {where}" if where else self.source
        return TaxonomyError(f"{place}: {problem} (expected {expected})")

    def mapping(self, value: object, where: str, allowed: Iterable[str]) -> Mapping[str, object]:
        allowed = tuple(allowed)
        if not isinstance(value, Mapping):
            raise self.fail(where, f"got {_kind(value)}", f"a mapping with {', '.join(allowed)}")
        unknown = [str(k) for k in value if k not in allowed]
        if unknown:
            raise self.fail(where, f"unknown key {unknown[0]!r}", f"only {', '.join(allowed)}")
        return value

    def items(self, value: object, where: str, *, required: bool = True) -> list[object]:
        if value is None and not required:
            return []
        if not isinstance(value, list) or (required and not value):
            raise self.fail(where, f"got {_kind(value)}", "a non-empty list")
        return value

    def ident(self, entry: Mapping[str, object], where: str, seen: set[str]) -> str:
        value = entry.get("id")
        if not isinstance(value, str) or not _KEBAB.match(value):
            raise self.fail(
                f"{where}.id", f"got {value!r}", "a lowercase-kebab id like 'budget-development'"
            )
        if value in seen:
            raise self.fail(f"{where}.id", f"{value!r} is used twice", "unique ids")
        seen.add(value)
        return value

    def labels(self, entry: Mapping[str, object], where: str) -> dict[str, str]:
        raw = entry.get("labels")
        if not isinstance(raw, Mapping):
            raise self.fail(f"{where}.labels", f"got {_kind(raw)}", f"labels in {', '.join(LANGS)}")
        labels = {}
        for lang, text in raw.items():
            if not isinstance(text, str) or not text.strip():
                raise self.fail(f"{where}.labels.{lang}", f"got {text!r}", "a non-empty text")
            labels[str(lang)] = text.strip()
        missing = [lang for lang in LANGS if not _has_label(labels, lang)]
        if missing:
            raise self.fail(
                f"{where}.labels",
                f"no label in {', '.join(missing)}",
                f"labels in {', '.join(LANGS)} (or a language of their fallback chains, "
                "e.g. pt for pt-br)",
            )
        return labels

    def texts(self, value: object, where: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(where, f"got {_kind(value)}", "a list of texts")
        out: list[str] = []
        for i, text in enumerate(value):
            if not isinstance(text, str | int | float) or isinstance(text, bool):
                raise self.fail(f"{where}[{i}]", f"got {text!r}", "a text (quote it in yaml)")
            text = str(text).strip()
            if text and text not in out:
                out.append(text)
        return tuple(out)

    def qid(self, entry: Mapping[str, object], where: str) -> str:
        value = entry.get("qid")
        if value is None:
            return ""
        if not isinstance(value, str) or not _QID.match(value.strip()):
            raise self.fail(f"{where}.qid", f"got {value!r}", "a Wikidata item like Q2013")
        return value.strip()

    def capacities(
        self, entry: Mapping[str, object], where: str, claimed: dict[int, str], owner: str
    ) -> tuple[int, ...]:
        """The CapX capacity codes of a skill; each code belongs to one skill only, so that
        a CapX profile's capacity never stands for two skills."""
        raw = entry.get("capx")
        if raw is None:
            return ()
        if not isinstance(raw, list):
            raise self.fail(f"{where}.capx", f"got {_kind(raw)}", "a list of CapX skill codes")
        codes: list[int] = []
        for i, code in enumerate(raw):
            if isinstance(code, bool) or not isinstance(code, int) or code <= 0:
                raise self.fail(
                    f"{where}.capx[{i}]", f"got {code!r}", "a CapX skill code (a number)"
                )
            other = claimed.setdefault(code, owner)
            if other != owner or code in codes:
                raise self.fail(f"{where}.capx[{i}]", f"{code} is already listed under {other!r}",
                                "each CapX capacity under one skill")
            codes.append(code)
        return tuple(codes)

    def country(self, value: object, where: str) -> str:
        if isinstance(value, bool):
            raise self.fail(
                where,
                f"got {value!r}",
                'a country code; write "NO" in quotes, yaml reads NO as false',
            )
        code = str(value).strip().upper() if isinstance(value, str) else ""
        if not _COUNTRY_CODE.match(code) or code not in known_countries():
            raise self.fail(where, f"got {value!r}", "an ISO 3166-1 alpha-2 country code")
        return code


def _has_label(labels: Mapping[str, str], lang: str) -> bool:
    """A label under ``lang`` or a language of its MediaWiki fallback chain before English
    (a ``pt`` label serves ``pt-br``), so that no program language falls back to English
    or to a raw id."""
    return any(code in labels for code in fallback_chain(lang, english=False))


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return f"the text {value!r}"
    return f"a {type(value).__name__}"


def read_yaml(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise TaxonomyError(f"{path}: cannot read the file ({err.strerror or err})") from err
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        place = f" line {mark.line + 1}" if mark is not None else ""
        raise TaxonomyError(f"{path}:{place} is not valid YAML ({err})") from err


def _check_version(check: _Checker, data: Mapping[str, object]) -> None:
    if "version" in data and data["version"] != 1:
        raise check.fail("version", f"got {data['version']!r}", "version: 1")


def _ambiguous(
    check: _Checker, raw: object, index: Index, known: Mapping[str, object], where: str
) -> None:
    if raw is None:
        return
    if not isinstance(raw, Mapping):
        raise check.fail(where, f"got {_kind(raw)}", "a mapping of word to a list of ids")
    for text, targets in raw.items():
        place = f"{where}.{text}"
        ids = check.texts(targets, place)
        unknown = [i for i in ids if i not in known]
        if len(ids) < 2 or unknown:
            problem = f"unknown id {unknown[0]!r}" if unknown else "fewer than two ids"
            raise check.fail(place, problem, "two or more ids defined in this file")
        index.claim_ambiguous(str(text), ids, place)


def _claim_entry(
    index: Index, ident: str, labels: Mapping[str, str], aliases: Iterable[str], where: str
) -> None:
    index.claim(ident, ident, None, f"{where}.id")
    for lang, text in labels.items():
        index.claim(text, ident, lang, f"{where}.labels.{lang}")
    for i, alias in enumerate(aliases):
        index.claim(alias, ident, None, f"{where}.aliases[{i}]")


@dataclass
class SkillData:
    areas: dict[str, Area]
    skills: dict[str, Skill]
    thematic: dict[str, Area]
    skill_index: Index
    area_index: Index


def parse_skills(data: object, source: str) -> SkillData:
    check = _Checker(source)
    top = check.mapping(data, "", ["version", "areas", "thematic_areas", "ambiguous_aliases"])
    _check_version(check, top)
    out = SkillData({}, {}, {}, Index(source), Index(source))
    area_ids: set[str] = set()
    skill_ids: set[str] = set()
    claimed: dict[int, str] = {}
    for a, raw_area in enumerate(check.items(top.get("areas"), "areas")):
        where = f"areas[{a}]"
        area = check.mapping(raw_area, where, ["id", "labels", "skills"])
        area_id = check.ident(area, where, area_ids)
        members = []
        for s, raw_skill in enumerate(check.items(area.get("skills"), f"{where}.skills")):
            swhere = f"{where}.skills[{s}]"
            skill = check.mapping(raw_skill, swhere, ["id", "labels", "aliases", "qid", "capx"])
            skill_id = check.ident(skill, swhere, skill_ids)
            labels = check.labels(skill, swhere)
            aliases = check.texts(skill.get("aliases"), f"{swhere}.aliases")
            _claim_entry(out.skill_index, skill_id, labels, aliases, swhere)
            out.skills[skill_id] = Skill(
                skill_id, area_id, labels, aliases, qid=check.qid(skill, swhere),
                capx=check.capacities(skill, swhere, claimed, skill_id),
            )
            members.append(skill_id)
        out.areas[area_id] = Area(area_id, check.labels(area, where), tuple(members))
    theme_ids: set[str] = set()
    themes = check.items(top.get("thematic_areas"), "thematic_areas", required=False)
    for t, raw_theme in enumerate(themes):
        where = f"thematic_areas[{t}]"
        theme = check.mapping(raw_theme, where, ["id", "labels", "aliases", "qid"])
        theme_id = check.ident(theme, where, theme_ids)
        if theme_id in out.areas:
            raise check.fail(f"{where}.id", f"{theme_id!r} is also a skill area", "distinct ids")
        labels = check.labels(theme, where)
        aliases = check.texts(theme.get("aliases"), f"{where}.aliases")
        _claim_entry(out.area_index, theme_id, labels, aliases, where)
        out.thematic[theme_id] = Area(theme_id, labels, (), aliases, qid=check.qid(theme, where))
    _ambiguous(
        check, top.get("ambiguous_aliases"), out.skill_index, out.skills, "ambiguous_aliases"
    )
    out.skill_index.freeze()
    out.area_index.freeze()
    return out


@dataclass
class RegionData:
    regions: dict[str, Region]
    index: Index
    country_region: dict[str, str]
    country_aliases: dict[str, str]
    #: ``country_aliases`` as written in the file: name -> code, in file order.
    country_alias_names: dict[str, str] = field(default_factory=dict)


def parse_regions(data: object, source: str) -> RegionData:
    check = _Checker(source)
    top = check.mapping(data, "", ["version", "regions", "ambiguous_aliases", "country_aliases"])
    _check_version(check, top)
    out = RegionData({}, Index(source), {}, {})
    ids: set[str] = set()
    for r, raw_region in enumerate(check.items(top.get("regions"), "regions")):
        where = f"regions[{r}]"
        region = check.mapping(raw_region, where, ["id", "labels", "aliases", "countries"])
        region_id = check.ident(region, where, ids)
        labels = check.labels(region, where)
        aliases = check.texts(region.get("aliases"), f"{where}.aliases")
        _claim_entry(out.index, region_id, labels, aliases, where)
        codes = []
        for c, raw in enumerate(check.items(region.get("countries"), f"{where}.countries")):
            code = check.country(raw, f"{where}.countries[{c}]")
            other = out.country_region.setdefault(code, region_id)
            if other != region_id or code in codes:
                raise check.fail(
                    f"{where}.countries[{c}]",
                    f"{code} is already in {other!r}",
                    "each country once",
                )
            codes.append(code)
        out.regions[region_id] = Region(region_id, labels, tuple(codes), aliases)
    _ambiguous(check, top.get("ambiguous_aliases"), out.index, out.regions, "ambiguous_aliases")
    raw_aliases = top.get("country_aliases") or {}
    if not isinstance(raw_aliases, Mapping):
        raise check.fail(
            "country_aliases", f"got {_kind(raw_aliases)}", "a mapping of name to code"
        )
    for name, code in raw_aliases.items():
        key = normalise(str(name))
        if not key:
            raise check.fail(f"country_aliases.{name}", "the name has no letters", "a name")
        out.country_aliases[key] = check.country(code, f"country_aliases.{name}")
        out.country_alias_names[str(name).strip()] = out.country_aliases[key]
    out.index.freeze()
    return out

