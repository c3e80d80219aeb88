"""The messages in every language the program speaks, and the list of those languages.

The list lives in ``languages.json`` (data, not code) so that adding a language is one
line there, one message file beside it, and labels in the taxonomy files.
"""

from __future__ import annotations

import json
from importlib import resources


def _read_languages() -> tuple[tuple[str, str], ...]:
    data = json.loads((resources.files(__name__) / "languages.json").read_text(encoding="utf-8"))
    return tuple((entry["code"], entry["dir"]) for entry in data["languages"])


_LANGUAGES = _read_languages()
#: The program's languages, in the order pages list them.
LANGUAGES: tuple[str, ...] = tuple(code for code, _ in _LANGUAGES)
#: Those written right to left.
RTL: frozenset[str] = frozenset(code for code, direction in _LANGUAGES if direction == "rtl")
