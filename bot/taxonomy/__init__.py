"""Skills, thematic areas, regions, countries and languages: ids, labels, resolving.

Participants write their profiles by hand, in five languages and with typos.
This module turns what they wrote into the stable ids the rest of the bot
works with ("Presupuesto" -> ``budget-development``, "Maroc" -> ``MA``,
"português" -> ``pt``), and back into labels for readers.

Skills, thematic areas and regions come from config/skills.yaml and
config/regions.yaml, so the working group can change them without touching
code; countries and languages come from the ISO and CLDR data that pycountry
and langcodes ship, because hand-made lists of those go stale.

Resolving never raises for odd input: an answer that is not understood is a
:class:`Resolution` with ``value=None`` and, when a close match exists, a
suggestion to show the participant ("did you mean Budget development?").

Everything here is pure: text and plain data in and out, no wiki access.

The pieces: :mod:`.text` (normalising, list splitting), :mod:`.index` (the
lookup tables and the fuzzy match), :mod:`.schema` (reading and checking the
yaml), :mod:`.names` (countries and languages) and :mod:`.model` (the
values); this module puts them together as :class:`Taxonomy`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from pathlib import Path

from bot.i18n import fallback_chain
from bot.i18n.problems import did_you_mean as hint_message
from bot.taxonomy import names
from bot.taxonomy.index import closest
from bot.taxonomy.model import LANGS, Area, Region, Resolution, Skill, TaxonomyError
from bot.taxonomy.schema import RegionData, SkillData, parse_regions, parse_skills, read_yaml
from bot.taxonomy.text import label_order, normalise, split_list

__all__ = [
    "label_order",
    "LANGS",
    "Area",
    "Region",
    "Resolution",
    "Skill",
    "Taxonomy",
    "TaxonomyError",
    "did_you_mean",
    "normalise",
    "split_list",
]

#: Where Taxonomy.load() looks when no path is given.
CONFIG_DIR = Path(__file__).resolve().parents[2] / "config"

#: Resolved texts kept per taxonomy; far above a directory's distinct answers.
CACHE_LIMIT = 50_000


def _label(labels: Mapping[str, str], lang: str, fallback: str) -> str:
    """The label in ``lang``, else in the next language of its MediaWiki fallback chain
    (:func:`bot.i18n.fallback_chain`: "pt-BR" -> pt-br, pt, en), else ``fallback``; the
    schema makes sure the chain of every program language finds one."""
    for code in fallback_chain(lang or "en"):
        if labels.get(code):
            return labels[code]
    return fallback


# --- the taxonomy ------------------------------------------------------------------------------


class Taxonomy:
    """Skills, areas and regions from the config files, and resolvers for profile answers.

    Build it with :meth:`load` or :meth:`from_data`.  Resolvers remember their
    answers: a directory run asks about the same few hundred texts thousands
    of times.
    """

    skills: dict[str, Skill]
    areas: dict[str, Area]
    regions: dict[str, Region]
    thematic_areas: dict[str, Area]

    def __init__(self, skill_data: SkillData, region_data: RegionData) -> None:
        self.skills = skill_data.skills
        self.areas = skill_data.areas
        self.thematic_areas = skill_data.thematic
        self.regions = region_data.regions
        self._skill_index = skill_data.skill_index
        self._area_index = skill_data.area_index
        self._region_index = region_data.index
        self._country_region = region_data.country_region
        self._country_aliases = region_data.country_aliases
        self._country_alias_names = region_data.country_alias_names
        self._cache: dict[tuple[str, str], Resolution] = {}

    @classmethod
    def load(
        cls, skills_path: str | Path | None = None, regions_path: str | Path | None = None
    ) -> Taxonomy:
        """Read the two yaml files (default: config/ at the repository root)."""
        skills_file = Path(skills_path) if skills_path else CONFIG_DIR / "skills.yaml"
        regions_file = Path(regions_path) if regions_path else CONFIG_DIR / "regions.yaml"
        return cls.from_data(
            read_yaml(skills_file),
            read_yaml(regions_file),
            skills_source=str(skills_file),
            regions_source=str(regions_file),
        )

    @classmethod
    def from_data(
        cls,
        skills: object,
        regions: object,
        *,
        skills_source: str = "skills.yaml",
        regions_source: str = "regions.yaml",
    ) -> Taxonomy:
        """Build from already-parsed yaml; the sources only name the files in errors."""
        return cls(parse_skills(skills, skills_source), parse_regions(regions, regions_source))

    # -- resolving ----------------------------------------------------------------------------

    def resolve_skill(self, text: str) -> Resolution:
        return self._cached("skill", text, lambda t: self._skill_index.resolve(t, self.skill_label))

    def resolve_area(self, text: str) -> Resolution:
        """A thematic area (the profile's ``areas``), not a skill area."""
        return self._cached("area", text, lambda t: self._area_index.resolve(t, self.area_label))

    def resolve_region(self, text: str) -> Resolution:
        return self._cached("region", text, self._resolve_region)

    def resolve_country(self, text: str) -> Resolution:
        """ISO 3166-1 alpha-2 code, upper case, from a code or a name in many languages."""
        return self._cached("country", text, self._resolve_country)

    def resolve_language(self, text: str) -> Resolution:
        """A standard BCP 47 tag from a code ("pt-BR", "en-3") or a name ("español", "العربية")."""
        return self._cached("language", text, self._resolve_language)

    def _cached(self, kind: str, text: str, resolve: Callable[[str], Resolution]) -> Resolution:
        text = "" if text is None else str(text).strip()
        key = (kind, text)
        found = self._cache.get(key)
        if found is None:
            if len(self._cache) >= CACHE_LIMIT:
                self._cache.clear()
            found = self._cache[key] = resolve(text)
        return found

    def _resolve_region(self, text: str) -> Resolution:
        found = self._region_index.resolve(text, self.region_label)
        if found.ok or found.suggestion:
            return found
        # A country in the region field: point to its region rather than saying nothing.
        country = self._resolve_country(text)
        region = self.region_of_country(country.value) if country.value is not None else None
        return Resolution(None, self.region_label(region) if region else None)

    def _resolve_country(self, text: str) -> Resolution:
        key = normalise(text)
        if not key:
            return Resolution(None)
        code = names.country_code(text, key, self._country_aliases)
        if code:
            return Resolution(code)
        targets = self._country_targets
        match = closest(key, list(targets), targets)
        return Resolution(None, self.country_name(*match) if match else None)

    @functools.cached_property
    def _country_targets(self) -> dict[str, tuple[str, str]]:
        """Every country name and alias -> (code, language to suggest it in)."""
        _, langs = names.country_names()
        return {**langs, **{key: (code, "en") for key, code in self._country_aliases.items()}}

    def _resolve_language(self, text: str) -> Resolution:
        if not normalise(text):
            return Resolution(None)
        tag = names.language_tag(text)
        if tag:
            return Resolution(tag)
        known = names.language_names()
        match = closest(normalise(text), list(known), known)
        return Resolution(None, self.language_name(*match) if match else None)

    # -- labels -------------------------------------------------------------------------------

    def skill_label(self, skill_id: str, lang: str = "en") -> str:
        skill = self.skills.get(skill_id)
        return _label(skill.labels, lang, skill_id) if skill else skill_id

    def area_label(self, area_id: str, lang: str = "en") -> str:
        """A thematic area's or a skill area's label (their ids never collide)."""
        area = self.thematic_areas.get(area_id) or self.areas.get(area_id)
        return _label(area.labels, lang, area_id) if area else area_id

    def region_label(self, region_id: str, lang: str = "en") -> str:
        region = self.regions.get(region_id)
        return _label(region.labels, lang, region_id) if region else region_id

    def country_name(self, code: str, lang: str = "en") -> str:
        """CLDR's everyday name ("Iran", not "Iran, Islamic Republic of"), ISO's as a fallback."""
        return names.country_name(code, lang)

    def language_name(self, code: str, lang: str = "en") -> str:
        """The language's name in ``lang`` ("espagnol" for es in fr); the code if unknown."""
        return names.language_name(code, lang)

    def region_of_country(self, code: str) -> str | None:
        return self._country_region.get((code or "").strip().upper())

    # -- the taxonomy as data (what Module:Let's Connect/data is rendered from) ------------

    def country_regions(self) -> dict[str, str]:
        """Country code -> its region, in file order (each country is in one region)."""
        return dict(self._country_region)

    def ambiguous_skill_words(self) -> dict[str, tuple[str, ...]]:
        """``ambiguous_aliases`` of skills.yaml as written: word -> its skills' ids."""
        return dict(self._skill_index.ambiguous_words)

    def ambiguous_region_words(self) -> dict[str, tuple[str, ...]]:
        """``ambiguous_aliases`` of regions.yaml as written: word -> its regions' ids."""
        return dict(self._region_index.ambiguous_words)

    def country_alias_names(self) -> dict[str, str]:
        """``country_aliases`` of regions.yaml as written: name -> country code."""
        return dict(self._country_alias_names)


def did_you_mean(suggestion: str | None) -> tuple[str, ...]:
    """The hint of a problem (a message of the catalogue, :mod:`bot.i18n.problems`): the
    taxonomy's suggestion is already a label, several joined by " / " when the word fits
    more than one entry; ``()`` when there is none."""
    return hint_message((suggestion or "").split(" / "))
