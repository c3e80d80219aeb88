"""The dashboard page and its JSON export.

Bars are plain ``<span>`` elements with an inline width and colour, so the
page needs no image, no chart extension and no TemplateStyles, and it stays
light on a slow connection.  Every bar sits next to its number (and a target's
bar next to the words "met" or "not yet"), so nothing depends on seeing the
colour.  Tables are sortable; the chart columns are not (they repeat the
number beside them).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from bot.stats.compute import HOT_TOPIC_MONTHS, Dashboard, Figures, Target
from bot.taxonomy import Taxonomy
from bot.wikitext.tables import escape, render_table, skill

EXPORT_SCHEMA = 1
BAR_EM = 12.0
BLUE = "#3366cc"
GREEN = "#14866d"
GREY = "#c8ccd1"
CHART = 'class="unsortable" | Chart'


def bar(value: float, maximum: float, colour: str = BLUE) -> str:
    """A horizontal bar ``value / maximum`` of the full width (nothing for zero)."""
    if maximum <= 0 or value <= 0:
        return ""
    width = max(0.2, BAR_EM * min(value, maximum) / maximum)
    return (f'<span class="letsconnect-bar" style="display:inline-block;width:{width:.2f}em;'
            f'height:0.8em;background:{colour};vertical-align:middle;"></span>')


def _progress(target: Target) -> str:
    """The bar of a target: its share of the goal, over a grey track of the full width."""
    filled = bar(target.value, target.goal, GREEN if target.met else BLUE) if target.goal else ""
    return (f'<span style="display:inline-block;width:{BAR_EM:.2f}em;background:{GREY};'
            f'vertical-align:middle;line-height:0;">{filled}</span>')


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _max(values: Iterable[float]) -> float:
    return max(values, default=0)


def render_dashboard(dashboard: Dashboard, taxonomy: Taxonomy) -> str:
    f = dashboard.figures
    parts = [
        "== Phase-1 targets ==\n" + _targets(dashboard.targets),
        "== Participants ==\n" + _participants(f, taxonomy),
        "== Skills ==\n" + _skills(f),
        "== Learning spaces ==\n" + _spaces(f),
        "== Hot topics ==\n" + _hot_topics(f),
    ]
    return "\n\n".join(parts) + "\n"


def _targets(targets: Sequence[Target]) -> str:
    rows = [[
        escape(t.label), str(t.goal), _number(t.value), _progress(t),
        "✓ met" if t.met else "not yet",
    ] for t in targets]
    met = sum(1 for t in targets if t.met)
    return (f"'''{met}''' of '''{len(targets)}''' targets met.\n"
            + render_table(["Target", "Goal", "Today", 'class="unsortable" | Progress', "Met"],
                           rows))


def _participants(f: Figures, taxonomy: Taxonomy) -> str:
    lines = [
        f"'''{f['participants']}''' active participants from '''{len(f['countries'])}''' "
        f"countries, speaking '''{len(f['languages'])}''' languages, in "
        f"'''{f['communities']}''' communities.",
        "",
        "=== By region ===",
    ]
    regions = f["regions"]
    top = _max(r["count"] for r in regions)
    rows = [[
        escape(taxonomy.region_label(r["region"], "en") if r["region"] else "Region not given"),
        str(r["count"]), f"{r['share']:g}%", bar(r["count"], top),
    ] for r in regions]
    lines.append(render_table(["Region", "Participants", "Share", CHART], rows)
                 if rows else "''Nobody yet.''")
    lines += ["", "=== Countries ==="]
    countries = f["countries"]
    top = _max(c["count"] for c in countries)
    rows = [[
        escape(taxonomy.country_name(c["country"], "en")),
        escape(taxonomy.region_label(taxonomy.region_of_country(c["country"]) or "", "en")),
        str(c["count"]), bar(c["count"], top),
    ] for c in countries]
    lines.append(render_table(["Country", "Region", "Participants", CHART], rows)
                 if rows else "''No country given yet.''")
    lines += ["", "=== Languages ==="]
    languages = f["languages"]
    top = _max(r["count"] for r in languages)
    rows = [[escape(taxonomy.language_name(r["language"], "en")), escape(r["language"]),
             str(r["count"]), bar(r["count"], top)] for r in languages]
    lines.append(render_table(["Language", "Code", "Participants", CHART], rows)
                 if rows else "''No language given yet.''")
    return "\n".join(lines)


def _skills(f: Figures) -> str:
    lines = ["=== Most wanted ==="]
    wanted = f["learn_top"]
    top = _max(r["learners"] for r in wanted)
    rows = [[skill(r["skill"]), str(r["learners"]), str(r["sharers"]), bar(r["learners"], top)]
            for r in wanted]
    lines.append(render_table(["Skill", "Learners", "Sharers", CHART], rows)
                 if rows else "''Nobody has asked for a skill yet.''")
    lines += ["", "=== Most shared ==="]
    shared = f["share_top"]
    top = _max(r["sharers"] for r in shared)
    rows = [[skill(r["skill"]), str(r["sharers"]), str(r["learners"]), bar(r["sharers"], top)]
            for r in shared]
    lines.append(render_table(["Skill", "Sharers", "Learners", CHART], rows)
                 if rows else "''Nobody offers a skill yet.''")
    lines += ["", "=== Sharers wanted ===",
              "Skills that participants want to learn and no active participant shares."]
    if not f["sharers_wanted"]:
        lines.append("Every skill someone wants to learn has at least one sharer.")
    lines += [f"* {skill(r['skill'])}: {r['learners']} learner{'s' if r['learners'] != 1 else ''}"
              for r in f["sharers_wanted"]]
    return "\n".join(lines)


def _spaces(f: Figures) -> str:
    s, d, c = f["sessions"], f["documentation"], f["coffees"]
    lines = [
        f"'''{s['held']}''' sessions held ('''{s['clinics_held']}''' learning clinics), "
        f"'''{s['participations']}''' participations"
        + (f" ({s['without_count']} held sessions give no count)" if s["without_count"] else "")
        + f"; '''{f['resources']}''' resources; '''{f['spaces']}''' other learning spaces "
        "in the calendar.",
        "",
        f"'''Documentation rate''': {d['rate']:g}% ({d['documented']} of {d['held']} held "
        "sessions have at least one resource).",
        "",
        "=== Sessions held per month ===",
    ]
    months = f["sessions_by_month"]
    top = _max(m["participations"] for m in months)
    rows = [[escape(m["month"]), str(m["held"]), str(m["participations"]),
             bar(m["participations"], top)] for m in months]
    lines.append(render_table(["Month", "Sessions held", "Participations", CHART], rows)
                 if rows else "''No session has been held yet.''")
    lines += ["", "=== Coffees ==="]
    top = max(c.values(), default=0)
    rows = [[label, str(c[key]), bar(c[key], top, GREEN if key == "held" else BLUE)]
            for key, label in (("proposed", "Proposed"), ("held", "Held"),
                               ("not_held", "Not held"))]
    lines.append(render_table(["Coffees", "Number", CHART], rows, sortable=False))
    return "\n".join(lines)


def _hot_topics(f: Figures) -> str:
    lines = [f"Ideas for the next clinics: the skills participants most want to learn that had "
             f"no clinic in the last {HOT_TOPIC_MONTHS} months and have none planned."]
    if not f["hot_topics"]:
        lines.append("Every wanted skill had a clinic recently.")
    lines += [f"# {skill(r['skill'])} ({r['learners']} learner{'s' if r['learners'] != 1 else ''})"
              for r in f["hot_topics"]]
    return "\n".join(lines)


def render_dashboard_export(dashboard: Dashboard, generated: str) -> str:
    data = {
        "schema": EXPORT_SCHEMA,
        "generated": generated,
        "figures": dashboard.figures,
        "targets": [t.as_json() for t in dashboard.targets],
    }
    return json.dumps(data, ensure_ascii=False, indent=1)
