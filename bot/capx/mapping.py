"""CapX capacities -> Let's Connect skills, and the report of what does not map.

``config/skills.yaml`` lists under each skill the capacities it stands for (``capx:``).
A capacity not listed counts as its nearest listed ancestor ("Pywikibot" under "Wikimedia
tools" is *Automation tools*), so that CapX may grow leaves without the bot losing them;
a capacity with no listed ancestor maps to nothing and is reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.capx.tree import Capacity, CapacityTree
from bot.taxonomy import Taxonomy


def listed_capacities(taxonomy: Taxonomy) -> dict[int, str]:
    """Capacity code -> the skill that lists it (each code is under one skill: the schema
    checks it)."""
    return {code: skill.id for skill in taxonomy.skills.values() for code in skill.capx}


def skill_of(code: int, tree: CapacityTree, listed: Mapping[int, str]) -> str | None:
    """The skill ``code`` stands for: its own, else its nearest listed ancestor's."""
    for step in tree.lineage(code):
        if step in listed:
            return listed[step]
    return None


@dataclass(frozen=True)
class MappingReport:
    """What maps and what does not, for the working group."""

    mapped: Mapping[int, str]  # every capacity of the tree that maps -> its skill
    unmapped: tuple[Capacity, ...]  # the capacities that map to nothing, by code
    skills_without: tuple[str, ...]  # skills no capacity of the tree maps to, yaml order
    unknown_listed: tuple[int, ...]  # codes skills.yaml lists that the tree lacks


def mapping_report(tree: CapacityTree, taxonomy: Taxonomy) -> MappingReport:
    listed = listed_capacities(taxonomy)
    mapped: dict[int, str] = {}
    unmapped: list[Capacity] = []
    for capacity in tree:
        skill = skill_of(capacity.code, tree, listed)
        if skill is None:
            unmapped.append(capacity)
        else:
            mapped[capacity.code] = skill
    reached = set(mapped.values())
    return MappingReport(
        mapped=mapped,
        unmapped=tuple(unmapped),
        skills_without=tuple(s for s in taxonomy.skills if s not in reached),
        unknown_listed=tuple(sorted(code for code in listed if code not in tree)),
    )


def render_report(report: MappingReport, tree: CapacityTree, taxonomy: Taxonomy) -> str:
    """The report as plain text (``scripts/capx-report``): figures, then each list."""
    lines = [
        f"{len(tree)} CapX capacities: {len(report.mapped)} map to a skill, "
        f"{len(report.unmapped)} to none.",
        "",
        f"CapX capacities with no skill ({len(report.unmapped)}):",
    ]
    for capacity in report.unmapped:
        parent = f" (under {tree.label(capacity.parent)})" if capacity.parent else ""
        lines.append(f"  {capacity.code}  {capacity.label}{parent}")
    lines += ["", f"Skills with no CapX capacity ({len(report.skills_without)}):"]
    lines += [f"  {s}  {taxonomy.skill_label(s)}" for s in report.skills_without]
    if report.unknown_listed:
        lines += ["", "Codes config/skills.yaml lists that this tree does not have: "
                  + ", ".join(map(str, report.unknown_listed))]
    return "\n".join(lines) + "\n"
