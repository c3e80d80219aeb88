"""The taxonomy: the shipped config files, the resolvers, and the list splitting.

Expected values here are what a participant or the working group would check
by hand (a Spanish label gives the skill, "Maroc" is Morocco), never values
computed by the code under test.
"""

from __future__ import annotations

import copy
import re
import time
import unicodedata
from pathlib import Path

import langcodes
import pycountry
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.i18n import fallback_chain
from bot.taxonomy import (
    LANGS,
    Resolution,
    Taxonomy,
    TaxonomyError,
    normalise,
    split_list,
)

CONFIG = Path(__file__).resolve().parents[2] / "config"
TAX = Taxonomy.load()
ALL_SKILL_LABELS = [
    (skill.id, lang, label) for skill in TAX.skills.values() for lang, label in skill.labels.items()
]
ARABIC_LETTER = re.compile(r"[\u0600-\u06FF]")


@pytest.fixture(scope="module")
def tax() -> Taxonomy:
    return TAX


# --- the shipped config files ------------------------------------------------------------------


def test_config_defines_the_program_areas_and_named_skills(tax: Taxonomy) -> None:
    assert set(tax.areas) >= {
        "funding",
        "programs",
        "organisational",
        "technical",
        "interpersonal",
        "communication",
    }
    for skill_id in (
        "budget-development",
        "wikidata-basics",
        "paws-quarry-wdqs",
        "automation-tools",
        "volunteer-management",
        "learning-evaluation-plans",
        "social-media",
        "press-broadcast-media",
        "organisational-strategy",
        "conflict-transformation",
    ):
        assert skill_id in tax.skills


def test_every_skill_and_area_has_all_five_labels(tax: Taxonomy) -> None:
    entries = [*tax.skills.values(), *tax.areas.values(), *tax.thematic_areas.values()]
    entries += list(tax.regions.values())
    for entry in entries:
        for lang in LANGS:  # pt-br finds its label under pt, the next of its chain
            found = [entry.labels[c] for c in fallback_chain(lang, english=False)
                     if entry.labels.get(c, "").strip()]
            assert found, f"{entry.id} has no {lang} label"
        assert ARABIC_LETTER.search(entry.labels["ar"]), f"{entry.id}: ar label not in Arabic"


def test_ids_are_unique_kebab_case_and_skills_know_their_area(tax: Taxonomy) -> None:
    kebab = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
    raw = yaml.safe_load((CONFIG / "skills.yaml").read_text(encoding="utf-8"))
    ids = [skill["id"] for area in raw["areas"] for skill in area["skills"]]
    assert len(ids) == len(set(ids))
    assert ids == list(tax.skills)  # yaml order is kept
    for skill in tax.skills.values():
        assert kebab.match(skill.id)
        assert skill.id in tax.areas[skill.area].skills
    for area in tax.areas.values():
        assert kebab.match(area.id)
        assert all(tax.skills[s].area == area.id for s in area.skills)


def test_thematic_areas_cover_the_profile_topics(tax: Taxonomy) -> None:
    assert set(tax.thematic_areas) >= {
        "education",
        "glam",
        "gender-gap",
        "human-rights",
        "sustainability",
        "culture-heritage",
        "campaigns",
        "newcomers",
        "underrepresented-communities",
        "technology",
    }
    assert all(area.skills == () for area in tax.thematic_areas.values())


def test_labels_survive_being_typed_into_a_list(tax: Taxonomy) -> None:
    """People copy labels into comma lists; a label with a comma would be cut in two."""
    for _, _, label in ALL_SKILL_LABELS:
        assert split_list(label) == [label]
    for area in tax.thematic_areas.values():
        for label in area.labels.values():
            assert split_list(label) == [label]


def test_regions_are_the_eight_wikimedia_regions(tax: Taxonomy) -> None:
    assert set(tax.regions) == {
        "ssa",
        "mena",
        "south-asia",
        "eseap",
        "lac",
        "cee",
        "nwe",
        "usca",
    }


def test_every_iso_country_is_in_exactly_one_region(tax: Taxonomy) -> None:
    iso = {country.alpha_2 for country in pycountry.countries}
    listed = [code for region in tax.regions.values() for code in region.countries]
    assert len(listed) == len(set(listed)), "a country is listed twice"
    assert iso - set(listed) == set(), "countries without a region"
    assert set(listed) - iso <= {"XK"}, "codes that are not ISO 3166-1"
    for code in iso:
        assert tax.region_of_country(code) is not None


@pytest.mark.parametrize(
    ("code", "region"),
    [
        ("KE", "ssa"),
        ("ng", "ssa"),
        ("EG", "mena"),
        ("MA", "mena"),
        ("IN", "south-asia"),
        ("ID", "eseap"),
        ("AU", "eseap"),
        ("BR", "lac"),
        ("MX", "lac"),
        ("UA", "cee"),
        ("KZ", "cee"),
        ("DE", "nwe"),
        ("ES", "nwe"),
        ("US", "usca"),
        ("CA", "usca"),
        ("XK", "cee"),
    ],
)
def test_region_of_country(tax: Taxonomy, code: str, region: str) -> None:
    assert tax.region_of_country(code) == region


def test_region_of_unknown_country_is_none(tax: Taxonomy) -> None:
    assert tax.region_of_country("ZZ") is None
    assert tax.region_of_country("") is None


def test_loading_is_fast() -> None:
    start = time.perf_counter()
    Taxonomy.load()
    assert time.perf_counter() - start < 1.0


# --- skills ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("skill_id", "lang", "label"), ALL_SKILL_LABELS)
def test_every_label_resolves_to_its_skill(
    tax: Taxonomy, skill_id: str, lang: str, label: str
) -> None:
    assert tax.resolve_skill(label) == Resolution(skill_id)


def test_every_alias_and_id_resolves_to_its_skill(tax: Taxonomy) -> None:
    for skill in tax.skills.values():
        assert tax.resolve_skill(skill.id).value == skill.id
        for alias in skill.aliases:
            assert tax.resolve_skill(alias).value == skill.id, alias


@pytest.mark.parametrize(
    ("text", "skill_id"),
    [
        ("AWB", "automation-tools"),
        ("AutoWikiBrowser", "automation-tools"),
        ("WDQS", "paws-quarry-wdqs"),
        ("SPARQL", "paws-quarry-wdqs"),
        ("Quarry", "paws-quarry-wdqs"),
        ("PAWS", "paws-quarry-wdqs"),
        ("Wikimedia tools (PAWS, Quarry, WDQS)", "paws-quarry-wdqs"),
        ("presupuesto", "budget-development"),
        ("Budget", "budget-development"),
        ("Wikidata", "wikidata-basics"),
        ("Évaluation", "learning-evaluation-plans"),
        ("evaluation", "learning-evaluation-plans"),
        ("Partenariats", "partnerships"),
        ("الشراكات", "partnerships"),
        ("social media", "social-media"),
        ("press and broadcast media", "press-broadcast-media"),
        ("volunteer management", "volunteer-management"),
        ("organisation plan and strategy", "organisational-strategy"),
        ("Wikidata (beginner)", "wikidata-basics"),
    ],
)
def test_common_answers_resolve(tax: Taxonomy, text: str, skill_id: str) -> None:
    assert tax.resolve_skill(text) == Resolution(skill_id)


@pytest.mark.parametrize(
    "text",
    [
        "  BUDGET   development ",
        "budget_development",
        "Budget-Development",
        "budget development.",
        "elaboracion de presupuestos",
        "ELABORACIÓN DE PRESUPUESTOS",
        "élaboration du budget",
        "Elaboracao de orcamentos",
        "إِعْدَادُ الْمِيزَانِيَّة",
        "إعداد الميزانيه",
    ],
)
def test_case_spacing_punctuation_and_diacritics_do_not_matter(tax: Taxonomy, text: str) -> None:
    assert tax.resolve_skill(text).value == "budget-development"


@pytest.mark.parametrize(
    ("typo", "suggestion"),
    [
        ("Budjet developement", "Budget development"),
        ("budget developmnt", "Budget development"),
        ("development budget", "Budget development"),
        ("Wikidta basics", "Wikidata basics"),
        ("Fundrasing", "Fundraising"),
        ("Volunter managment and recognition", "Volunteer management and recognition"),
        ("Campaign actics", "Campaign tactics"),
        ("Elaboracion de presupuetos", "Elaboración de presupuestos"),
        ("Gestion finnancière", "Gestion financière"),
        ("إدارة المتطوعين وتقدير جهوده", "إدارة المتطوعين وتقدير جهودهم"),
    ],
)
def test_a_typo_gets_a_suggestion_in_the_language_it_was_written_in(
    tax: Taxonomy, typo: str, suggestion: str
) -> None:
    result = tax.resolve_skill(typo)
    assert not result.ok
    assert result.suggestion == suggestion


@pytest.mark.parametrize(
    "noise",
    ["asdfgh", "qwertyuiop", "xyz", "lorem ipsum dolor sit amet", "the", "and", "!!!", "", "  "],
)
def test_noise_gets_no_suggestion(tax: Taxonomy, noise: str) -> None:
    assert tax.resolve_skill(noise) == Resolution(None, None)


def test_a_word_that_fits_several_skills_asks_which(tax: Taxonomy) -> None:
    result = tax.resolve_skill("Strategy")
    assert not result.ok
    assert "Strategy and program design" in result.suggestion
    assert "Organisation plan and strategy" in result.suggestion


def test_the_pilot_top_five_wording_resolves(tax: Taxonomy) -> None:
    text = (
        "Organisation plan and strategy; Wikimedia tools (PAWS, Quarry, WDQS); learning and "
        "evaluation plans; social media, press and broadcast media; volunteer management"
    )
    assert [tax.resolve_skill(item).value for item in split_list(text)] == [
        "organisational-strategy",
        "paws-quarry-wdqs",
        "learning-evaluation-plans",
        "social-media",
        "press-broadcast-media",
        "volunteer-management",
    ]


def _respell(label: str, flips: list[bool], gaps: list[str]) -> str:
    """The label with some letters' case flipped and its spaces typed differently."""
    chars = [c.swapcase() if i < len(flips) and flips[i] else c for i, c in enumerate(label)]
    words = "".join(chars).split(" ")
    out = words[0]
    for i, word in enumerate(words[1:]):
        out += (gaps[i] if i < len(gaps) else " ") + word
    return out


@settings(max_examples=300, deadline=None)
@given(
    entry=st.sampled_from(ALL_SKILL_LABELS),
    flips=st.lists(st.booleans(), max_size=80),
    gaps=st.lists(st.sampled_from([" ", "  ", "_", "-", " - ", "\t"]), max_size=12),
    case=st.sampled_from(["as is", "upper", "lower", "title"]),
)
def test_any_label_in_any_case_and_spacing_resolves(
    entry: tuple[str, str, str], flips: list[bool], gaps: list[str], case: str
) -> None:
    skill_id, _, label = entry
    text = _respell(label, flips, gaps)
    text = {"upper": text.upper(), "lower": text.lower(), "title": text.title()}.get(case, text)
    assert TAX.resolve_skill(text).value == skill_id


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60))
def test_resolvers_never_raise_and_only_return_known_values(text: str) -> None:
    assert TAX.resolve_skill(text).value in {None, *TAX.skills}
    assert TAX.resolve_area(text).value in {None, *TAX.thematic_areas}
    assert TAX.resolve_region(text).value in {None, *TAX.regions}
    country = TAX.resolve_country(text).value
    assert country is None or TAX.region_of_country(country) is not None
    language = TAX.resolve_language(text).value
    assert language is None or langcodes.tag_is_valid(language)


def test_resolving_twice_reuses_the_first_answer(tax: Taxonomy) -> None:
    for resolve, text in [
        (tax.resolve_skill, "Budjet developement"),
        (tax.resolve_country, "Brasil"),
        (tax.resolve_language, "portugais"),
        (tax.resolve_region, "LATAM"),
        (tax.resolve_area, "GLAM"),
    ]:
        assert resolve(text) is resolve(text)


# --- thematic areas and regions ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("GLAM", "glam"),
        ("museums", "glam"),
        ("Éducation", "education"),
        ("التعليم", "education"),
        ("Women in Red", "gender-gap"),
        ("Brecha de género", "gender-gap"),
        ("Droits humains", "human-rights"),
        ("climate", "sustainability"),
        ("Wiki Loves Monuments", "culture-heritage"),
        ("indigenous languages", "underrepresented-communities"),
        ("Tecnologia", "technology"),
    ],
)
def test_resolve_thematic_area(tax: Taxonomy, text: str, area: str) -> None:
    assert tax.resolve_area(text) == Resolution(area)


def test_thematic_area_typo_and_noise(tax: Taxonomy) -> None:
    assert tax.resolve_area("Educaton") == Resolution(None, "Education")
    assert tax.resolve_area("qwertyuiop") == Resolution(None, None)


def test_every_region_label_alias_and_id_resolves(tax: Taxonomy) -> None:
    for region in tax.regions.values():
        assert tax.resolve_region(region.id).value == region.id
        for text in [*region.labels.values(), *region.aliases]:
            assert tax.resolve_region(text).value == region.id, text


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("LATAM", "lac"),
        ("ESEAP", "eseap"),
        ("CEE", "cee"),
        ("NWE", "nwe"),
        ("USCA", "usca"),
        ("North America", "usca"),
        ("MENA", "mena"),
        ("Middle East", "mena"),
        ("Africa", "ssa"),
        ("Afrique subsaharienne", "ssa"),
        ("south_asia", "south-asia"),
        ("Sul da Ásia", "south-asia"),
    ],
)
def test_resolve_region(tax: Taxonomy, text: str, region: str) -> None:
    assert tax.resolve_region(text) == Resolution(region)


def test_a_word_covering_several_regions_asks_which(tax: Taxonomy) -> None:
    europe = tax.resolve_region("Europe")
    assert not europe.ok
    assert "Northern and Western Europe" in europe.suggestion
    assert "Central and Eastern Europe and Central Asia" in europe.suggestion
    mea = tax.resolve_region("Middle East and Africa")
    assert not mea.ok
    assert "Sub-Saharan Africa" in mea.suggestion


def test_a_country_in_the_region_field_suggests_its_region(tax: Taxonomy) -> None:
    assert tax.resolve_region("Brazil") == Resolution(None, "Latin America and the Caribbean")
    assert tax.resolve_region("Kenya") == Resolution(None, "Sub-Saharan Africa")
    assert tax.resolve_region("Latin Amerca") == Resolution(None, "Latin America and the Caribbean")
    assert tax.resolve_region("hello") == Resolution(None, None)


# --- countries ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("BR", "BR"),
        ("br", "BR"),
        ("BRA", "BR"),
        ("Brazil", "BR"),
        ("Brasil", "BR"),
        ("Brésil", "BR"),
        ("البرازيل", "BR"),
        ("Maroc", "MA"),
        ("المغرب", "MA"),
        ("México", "MX"),
        ("Mexico", "MX"),
        ("مصر", "EG"),
        ("Bolivia", "BO"),
        ("Russia", "RU"),
        ("Iran", "IR"),
        ("Tanzania", "TZ"),
        ("Vietnam", "VN"),
        ("Viet Nam", "VN"),
        ("South Korea", "KR"),
        ("Côte d'Ivoire", "CI"),
        ("Cote d'Ivoire", "CI"),
        ("Ivory Coast", "CI"),
        ("The Gambia", "GM"),
        ("UK", "GB"),
        ("United States", "US"),
        ("Estados Unidos", "US"),
        ("EE. UU.", "US"),
        ("DRC", "CD"),
        ("Kosovo", "XK"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("Deutschland", "DE"),
        ("Émirats arabes unis", "AE"),
    ],
)
def test_resolve_country(tax: Taxonomy, text: str, code: str) -> None:
    assert tax.resolve_country(text) == Resolution(code)


@pytest.mark.parametrize("text", ["Europe", "Africa", "Latin America", "Atlantis", "ZZ", "419", ""])
def test_regions_and_nonsense_are_not_countries(tax: Taxonomy, text: str) -> None:
    assert not tax.resolve_country(text).ok


def test_country_typos_get_suggestions(tax: Taxonomy) -> None:
    assert tax.resolve_country("Germny") == Resolution(None, "Germany")
    assert tax.resolve_country("Philipines") == Resolution(None, "Philippines")
    # A misspelt Nigeria must not quietly become its neighbour Niger.
    assert tax.resolve_country("Nigerai") == Resolution(None, "Nigeria")
    assert tax.resolve_country("Ugnada") == Resolution(None, "Uganda")


def test_country_names(tax: Taxonomy) -> None:
    assert tax.country_name("MA", "fr") == "Maroc"
    assert tax.country_name("ma", "es") == "Marruecos"
    assert tax.country_name("EG", "ar") == "مصر"
    assert tax.country_name("IR") == "Iran"
    assert tax.country_name("BR", "pt-BR") == "Brasil"
    assert tax.country_name("XK") == "Kosovo"
    assert tax.country_name("ZZ") == "ZZ"


# --- languages ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("es", "es"),
        ("EN", "en"),
        ("pt-BR", "pt-BR"),
        ("pt_br", "pt-BR"),
        ("zh-Hant", "zh-Hant"),
        ("ZH-hant", "zh-Hant"),
        ("es-419", "es-419"),
        ("eng", "en"),
        ("iw", "he"),
        ("dag", "dag"),
        ("Spanish", "es"),
        ("español", "es"),
        ("Español", "es"),
        ("espanol", "es"),
        ("Arabic", "ar"),
        ("العربية", "ar"),
        ("العربيه", "ar"),
        ("portugais", "pt"),
        ("Brazilian Portuguese", "pt-BR"),
        ("anglais", "en"),
        ("inglês", "en"),
        ("Kiswahili", "sw"),
        ("Dagbani", "dag"),
        ("Bangla", "bn"),
        ("한국어", "ko"),
        ("fr-2", "fr"),
        ("en-N", "en"),
        ("English (native)", "en"),
        ("English: fluent", "en"),
    ],
)
def test_resolve_language(tax: Taxonomy, text: str, tag: str) -> None:
    assert tax.resolve_language(text) == Resolution(tag)


@pytest.mark.parametrize(
    "text",
    ["asdfgh", "und", "zxx", "x-foo", "qaa", "ar-XX", "etc", "yes", "fr-0", "English & French", ""],
)
def test_nonsense_is_not_a_language(tax: Taxonomy, text: str) -> None:
    assert not tax.resolve_language(text).ok


def test_language_typos_get_suggestions(tax: Taxonomy) -> None:
    assert tax.resolve_language("Franch") == Resolution(None, "French")
    assert tax.resolve_language("Engish") == Resolution(None, "English")


def test_resolved_languages_are_standard_tags(tax: Taxonomy) -> None:
    for text in ["PT_br", "Brazilian Portuguese", "Mandarin", "iw", "zh_hant", "Español"]:
        tag = tax.resolve_language(text).value
        assert tag == langcodes.standardize_tag(tag)


def test_language_names(tax: Taxonomy) -> None:
    assert tax.language_name("es") == "Spanish"
    assert tax.language_name("es", "fr") == "espagnol"
    assert tax.language_name("ar", "ar") == "العربية"
    assert tax.language_name("pt-BR", "en") == "Portuguese (Brazil)"
    assert tax.language_name("not a code") == "not a code"


# --- labels ------------------------------------------------------------------------------------


def test_labels_fall_back_to_english_then_to_the_id(tax: Taxonomy) -> None:
    assert tax.skill_label("budget-development", "es") == "Elaboración de presupuestos"
    assert tax.skill_label("budget-development", "ar") == "إعداد الميزانية"
    assert tax.skill_label("budget-development", "pt-BR") == "Elaboração de orçamentos"
    assert tax.skill_label("budget-development", "de") == "Budget development"
    assert tax.skill_label("no-such-skill", "fr") == "no-such-skill"
    assert tax.region_label("lac", "fr") == "Amérique latine et Caraïbes"
    assert tax.region_label("nowhere") == "nowhere"
    assert tax.area_label("glam", "es") == "GLAM (instituciones culturales)"
    assert tax.area_label("funding", "fr") == "Financement"


# --- split_list and normalise ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("a, b; c", ["a", "b", "c"]),
        ("Wikidata، ويكي بيانات؛ PAWS", ["Wikidata", "ويكي بيانات", "PAWS"]),
        ("一、二，三", ["一", "二", "三"]),
        ("* a\n* b\n#c\n:d", ["a", "b", "c", "d"]),
        ("- item one\n- item two", ["item one", "item two"]),
        ("• x • y", ["x", "y"]),
        ("x · y", ["x", "y"]),
        ("col·lectiu, x", ["col·lectiu", "x"]),
        ("a<br>b<br />c<BR/>d", ["a", "b", "c", "d"]),
        ("a{{·}}b", ["a", "b"]),
        ("pt-BR, edit-a-thon", ["pt-BR", "edit-a-thon"]),
        (
            "Wikimedia tools (PAWS, Quarry, WDQS), budget",
            ["Wikimedia tools (PAWS, Quarry, WDQS)", "budget"],
        ),
        ("[[Page, with comma]], other", ["[[Page, with comma]]", "other"]),
        ("x (unclosed, y", ["x (unclosed", "y"]),
        ("a) b, c", ["a) b", "c"]),
        ("  ,, ; \n\r\n ", []),
        ("", []),
        ("one", ["one"]),
    ],
)
def test_split_list(text: str, items: list[str]) -> None:
    assert split_list(text) == items


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_split_list_items_are_trimmed_and_never_empty(text: str) -> None:
    for item in split_list(text):
        assert item and item == item.strip()
        assert "\n" not in item


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1), max_size=8))
def test_split_list_gives_back_what_was_joined(words: list[str]) -> None:
    assert split_list(", ".join(words)) == words


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Évaluation", "evaluation"),
        ("  Budget_development ", "budget-development"),
        ("BUDGET   DEVELOPMENT", "budget development"),
        ("Art+Feminism", "art feminism"),
        ("إِعْدَادُ", "إعداد"),
        ("الميزانيّة", "الميزانيه"),
        ("ﬁnance", "finance"),
    ],
)
def test_normalise_equates(a: str, b: str) -> None:
    assert normalise(a) == normalise(b)


def test_normalise_keeps_different_words_apart() -> None:
    assert normalise("Art+Feminism") == "art feminism"
    assert normalise("budget") != normalise("budgets")
    assert normalise("Quarry") != normalise("query")


@given(st.text(max_size=40))
def test_normalise_is_idempotent_and_unaccented(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert not any(unicodedata.category(ch) == "Mn" for ch in once)
    assert once == once.strip() and "  " not in once


# --- loader errors -----------------------------------------------------------------------------


def _labels(word: str) -> dict[str, str]:
    return {lang: f"{word} {lang}" for lang in LANGS}


def _small() -> tuple[dict, dict]:
    skills = {
        "version": 1,
        "areas": [
            {
                "id": "funding",
                "labels": _labels("Funding"),
                "skills": [
                    {"id": "budget", "labels": _labels("Budget"), "aliases": ["money"]},
                    {"id": "grants", "labels": _labels("Grants")},
                ],
            }
        ],
        "thematic_areas": [{"id": "glam", "labels": _labels("Glam"), "aliases": ["museums"]}],
    }
    regions = {
        "regions": [
            {"id": "north", "labels": _labels("North"), "countries": ["NO", "SE"]},
            {"id": "south", "labels": _labels("South"), "aliases": ["sur"], "countries": ["ZA"]},
        ]
    }
    return skills, regions


def test_from_data_builds_a_working_taxonomy() -> None:
    skills, regions = _small()
    tax = Taxonomy.from_data(skills, regions)
    assert list(tax.skills) == ["budget", "grants"]
    assert tax.areas["funding"].skills == ("budget", "grants")
    assert tax.resolve_skill("MONEY") == Resolution("budget")
    assert tax.resolve_skill("Grants es") == Resolution("grants")
    assert tax.resolve_area("museums") == Resolution("glam")
    assert tax.resolve_region("sur") == Resolution("south")
    assert tax.region_of_country("se") == "north"
    assert tax.region_of_country("KE") is None


def _error(skills: dict, regions: dict) -> str:
    with pytest.raises(TaxonomyError) as caught:
        Taxonomy.from_data(skills, regions)
    return str(caught.value)


def test_missing_label_names_the_entry_and_the_language() -> None:
    skills, regions = _small()
    del skills["areas"][0]["skills"][1]["labels"]["ar"]
    message = _error(skills, regions)
    assert "skills.yaml" in message
    assert "areas[0].skills[1].labels" in message
    assert "ar" in message


def test_a_label_used_by_two_skills_is_refused() -> None:
    skills, regions = _small()
    skills["areas"][0]["skills"][1]["aliases"] = ["Budget FR"]
    message = _error(skills, regions)
    assert "'budget'" in message and "areas[0].skills[1].aliases[0]" in message


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda s, r: s["areas"][0]["skills"][0].update(id="Budget Dev"), "lowercase-kebab"),
        (lambda s, r: s["areas"][0]["skills"][1].update(id="budget"), "used twice"),
        (lambda s, r: s["areas"][0]["skills"][0].update(alias=["x"]), "unknown key 'alias'"),
        (lambda s, r: s.update(version=2), "version"),
        (lambda s, r: s["areas"][0].update(skills=[]), "non-empty list"),
        (lambda s, r: r["regions"][1]["countries"].append("SE"), "SE is already in 'north'"),
        (lambda s, r: r["regions"][1]["countries"].append("QQ"), "ISO 3166-1"),
        (lambda s, r: r["regions"][0]["countries"].__setitem__(0, False), "quotes"),
        (lambda s, r: s.update(ambiguous_aliases={"cash": ["budget", "nope"]}), "unknown id"),
        (lambda s, r: s.update(ambiguous_aliases={"money": ["budget", "grants"]}), "nowhere else"),
    ],
)
def test_config_mistakes_are_explained(change, expected: str) -> None:
    skills, regions = _small()
    skills, regions = copy.deepcopy(skills), copy.deepcopy(regions)
    change(skills, regions)
    assert expected in _error(skills, regions)


def test_ambiguous_aliases_from_data() -> None:
    skills, regions = _small()
    skills["ambiguous_aliases"] = {"cash": ["budget", "grants"]}
    tax = Taxonomy.from_data(skills, regions)
    assert tax.resolve_skill("Cash") == Resolution(None, "Budget en / Grants en")


def test_load_names_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "skills.yaml"
    with pytest.raises(TaxonomyError, match=re.escape(str(missing))):
        Taxonomy.load(missing, CONFIG / "regions.yaml")


def test_load_names_the_line_of_broken_yaml(tmp_path: Path) -> None:
    broken = tmp_path / "regions.yaml"
    broken.write_text("regions:\n  - id: north\n    labels: {en: [unclosed\n", encoding="utf-8")
    with pytest.raises(TaxonomyError) as caught:
        Taxonomy.load(CONFIG / "skills.yaml", broken)
    assert str(broken) in str(caught.value)
    assert "line" in str(caught.value)


def test_load_reads_given_paths(tmp_path: Path) -> None:
    skills, regions = _small()
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(skills, allow_unicode=True), encoding="utf-8")
    (tmp_path / "r.yaml").write_text(yaml.safe_dump(regions, allow_unicode=True), encoding="utf-8")
    tax = Taxonomy.load(tmp_path / "s.yaml", tmp_path / "r.yaml")
    assert list(tax.skills) == ["budget", "grants"]
    assert tax.region_of_country("NO") == "north"
