"""Every resolver answers any text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.run import COUNTS, RESOLVER_EXAMPLES, fuzz_settings
from tests.fuzz.text import RandomSource, hostile_text, the_taxonomy


@fuzz_settings(RESOLVER_EXAMPLES)
@given(st.one_of(st.text(max_size=40), st.builds(hostile_text, st.builds(RandomSource,
                                                                           st.integers()))))
def test_resolvers_answer_anything(text: str) -> None:
    """Every resolver answers any text with a known id or nothing, and never raises."""
    taxonomy = the_taxonomy()
    skill, area = taxonomy.resolve_skill(text), taxonomy.resolve_area(text)
    region, country = taxonomy.resolve_region(text), taxonomy.resolve_country(text)
    language = taxonomy.resolve_language(text)
    assert skill.value is None or skill.value in taxonomy.skills
    assert area.value is None or area.value in taxonomy.thematic_areas
    assert region.value is None or region.value in taxonomy.regions
    assert country.value is None or taxonomy.region_of_country(country.value)
    assert language.value is None or taxonomy.resolve_language(language.value).value
    COUNTS["resolver texts"] += 1
