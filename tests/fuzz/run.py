"""What a fuzz run is: how many examples (``LETSCONNECT_FUZZ_EXAMPLES`` times the
defaults), its clock, and the counts of what it generated and checked
(written to ``LETSCONNECT_FUZZ_REPORT`` at exit; ``scripts/fuzz`` reads them)."""

from __future__ import annotations

import atexit
import json
import os
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

from hypothesis import HealthCheck, settings

T = TypeVar("T")

#: Multiplies every test's number of examples; the default run stays near a minute.
SCALE = max(1, int(os.environ.get("LETSCONNECT_FUZZ_EXAMPLES", "1") or "1"))
#: Examples of each test in the default run (times SCALE).
PIPELINE_EXAMPLES = 30
PARSER_EXAMPLES = 150
OBJECT_EXAMPLES = 150
RESOLVER_EXAMPLES = 300
#: Entries of the generated bulk in each pipeline example (the Hypothesis-drawn pages come
#: on top): profile entries, and session-log entries.
BULK_PROFILES = 240
BULK_SESSIONS = 120

NOW = datetime(2026, 11, 1, tzinfo=UTC)
ROUND = "2026-11"

#: What the run generated and checked; written to LETSCONNECT_FUZZ_REPORT at exit.
COUNTS: Counter[str] = Counter()


def _write_report() -> None:
    path = os.environ.get("LETSCONNECT_FUZZ_REPORT")
    if path and COUNTS:  # not when the module was only imported (scripts/fuzz reads sizes)
        with open(path, "w", encoding="utf-8") as out:
            json.dump(dict(sorted(COUNTS.items())), out, indent=1)


atexit.register(_write_report)


def fuzz_settings(examples: int) -> Callable[[T], T]:
    """Deterministic runs (the same examples every time, no example database), so that a
    failure in CI is reproducible, and as many examples as the run asks for."""
    return settings(
        max_examples=examples * SCALE,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                               HealthCheck.large_base_example],
    )
