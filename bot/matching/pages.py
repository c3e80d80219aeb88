"""The text of a round's page and its JSON export.

Deterministic like the directory pages: the same result renders to the same
text, so re-running a round saves nothing.  Group status starts as
"proposed"; outcomes recorded by participants may later turn it into "held"
or "not held" (``statuses`` maps group id to status).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from bot.matching.values import MatchResult
from bot.taxonomy import Taxonomy
from bot.wikitext.tables import escape, render_table, skill, user_link

REASONS = {
    "no-sharer": "nobody shares this skill yet",
    "no-common-language": "no sharer speaks a language in common",
    "sharers-at-capacity": "every sharer is at capacity this round",
    "learner-limit": "already in a group for another skill this round",
    "repeat": "met every possible sharer in recent rounds",
}


def _reason(code: str) -> str:
    return REASONS.get(code, code.replace("-", " "))


def _context(items: tuple[str, ...]) -> str:
    words = []
    for item in items:
        kind, _, value = item.partition(":")
        words.append(f"{escape(kind)}: {escape(value)}" if value else escape(kind))
    return ", ".join(words)


def render_round(
    result: MatchResult, taxonomy: Taxonomy, statuses: Mapping[str, str] | None = None
) -> str:
    statuses = statuses or {}
    lines = [
        f"'''{len(result.groups)}''' groups, '''{result.placements}''' learners placed, "
        f"'''{len(result.unmatched)}''' wishes still open this round.",
        "",
    ]
    rows = [
        [
            escape(g.id),
            skill(g.skill),
            user_link(g.sharer),
            ", ".join(user_link(u) for u in g.learners),
            escape(taxonomy.language_name(g.language) if g.language else ""),
            _context(g.context),
            escape(statuses.get(g.id, "proposed")),
        ]
        for g in result.groups
    ]
    headers = ["Group", "Skill", "Sharer", "Learners", "Language", "Shared context", "Status"]
    lines.append(render_table(headers, rows) if rows else "''No group this round yet.''")
    if result.sharers_wanted:
        lines += ["", "=== Sharers wanted ===", ""]
        wanted = sorted(result.sharers_wanted.items(), key=lambda kv: (-kv[1], kv[0]))
        lines.append(
            render_table(
                ["Skill", "Learners waiting"], [[skill(s), str(n)] for s, n in wanted]
            )
        )
    if result.unmatched:
        lines += ["", "=== Not matched this round ===", ""]
        rows = [
            [user_link(u.user), skill(u.skill), escape(_reason(u.reason))]
            for u in sorted(result.unmatched, key=lambda u: (u.user.casefold(), u.skill))
        ]
        lines.append(render_table(["Participant", "Skill", "Why"], rows))
    return "\n".join(lines)


def render_round_export(result: MatchResult, generated: str) -> str:
    value = {
        "schema": 1,
        "round": result.round,
        "generated": generated,
        "groups": [g.as_json() for g in result.groups],
        "unmatched": [u.as_json() for u in result.unmatched],
    }
    return json.dumps(value, ensure_ascii=False, indent=1)
