"""The entry parser reads back what was written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.profiles import GeneratedPage, check_parsed, profile_page
from tests.fuzz.run import COUNTS, PARSER_EXAMPLES, fuzz_settings
from tests.fuzz.text import DrawSource, the_vocabulary


@st.composite
def predictable_pages(draw: Callable[[st.SearchStrategy[Any]], Any]) -> list[GeneratedPage]:
    """Profile pages drawn by Hypothesis alone, so that a misreading shrinks well."""
    src = DrawSource(draw)
    return [profile_page(src, the_vocabulary()) for _ in range(src.integer(1, 3))]


@fuzz_settings(PARSER_EXAMPLES)
@given(predictable_pages())
def test_the_parser_reads_back_what_was_written(pages: list[GeneratedPage]) -> None:
    """Every page read, and where the reading is predicted, read exactly."""
    COUNTS["parser pages"] += len(pages)
    COUNTS["parser entries"] += sum(p.generated for p in pages)
    check_parsed(pages)
