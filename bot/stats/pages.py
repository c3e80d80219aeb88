"""The dashboard page, in each language of the program, and its JSON export.

Bars are plain ``<span>`` elements with an inline width and colour, so the
page needs no image, no chart extension and no TemplateStyles, and it stays
light on a slow connection.  Every bar sits next to its number (and a target's
bar next to the words "met" or "not yet"), so nothing depends on seeing the
colour.  Tables are sortable; the chart columns are not (they repeat the
number beside them).

Every word is in the page's language (messages ``letsconnect-stats-*``, labels from the
taxonomy); numbers are grouped and percentages written as the language writes them.  Lists
keep the order of their figures (most first); equal figures are sorted by their label in
the page's language.  On a right-to-left page months, codes and percentages are isolated
(``<bdi>``) so that nothing around them reorders.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from bot.i18n.catalogue import messages
from bot.i18n.format import MessageError
from bot.i18n.words import number
from bot.i18n.words import text as page_text
from bot.stats.compute import (
    HOT_TOPIC_MONTHS,
    Dashboard,
    Figures,
    SkillCount,
    SkillLearners,
    Target,
)
from bot.taxonomy import Taxonomy, label_order
from bot.wikitext.tables import escape, render_table
from bot.wikitext.versions import ltr

EXPORT_SCHEMA = 1
BAR_EM = 12.0
BLUE = "#3366cc"
GREEN = "#14866d"
GREY = "#c8ccd1"
UNSORTABLE = 'class="unsortable" | '

_Row = TypeVar("_Row")
_Skill = TypeVar("_Skill", SkillCount, SkillLearners)


#: A message of the dashboard in ``lang``: trusted wikitext, so its parameters must already
#: be safe (escaped text, numbers).
_t = messages("letsconnect-stats-")


def _headers(lang: str, *keys: str) -> list[str]:
    """Column headers; ``chart`` and ``progress`` are not sortable (they repeat a number)."""
    return [(UNSORTABLE if key in ("chart", "progress") else "") + _t(f"column-{key}", lang)
            for key in keys]


def _decimal(value: float, lang: str) -> str:
    """``value`` with its digits grouped and the language's decimal separator (12.5, 12,5)."""
    text = f"{abs(value):g}"
    if "e" in text:
        text = f"{abs(value):.1f}"
    whole, _, decimals = text.partition(".")
    written = number(int(whole), lang)
    if decimals:
        written += page_text("decimal-separator", lang) + decimals
    return ("-" if value < 0 else "") + written


def _percent(value: float, lang: str) -> str:
    return ltr(page_text("percent", lang, _decimal(value, lang)), lang)


def _by_label(rows: Iterable[_Row], count: Callable[[_Row], int], label: Callable[[_Row], str]
              ) -> list[tuple[_Row, str]]:
    """(row, label) most first, equal counts by their label in the page's language."""
    labelled = [(row, label(row)) for row in rows]
    return sorted(labelled, key=lambda item: (-count(item[0]), label_order(item[1])))


def _table_or(headers: list[str], rows: list[list[str]], empty: str, lang: str) -> str:
    return render_table(headers, rows) if rows else f"''{_t(empty, lang)}''"


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


def _max(values: Iterable[float]) -> float:
    return max(values, default=0)


def render_dashboard(dashboard: Dashboard, taxonomy: Taxonomy, lang: str = "en") -> str:
    f = dashboard.figures
    parts = [
        (_t("heading-targets", lang), _targets(dashboard.targets, lang)),
        (_t("heading-participants", lang), _participants(f, taxonomy, lang)),
        (_t("heading-skills", lang), _skills(f, taxonomy, lang)),
        (_t("heading-spaces", lang), _spaces(f, lang)),
        (_t("heading-hot-topics", lang), _hot_topics(f, taxonomy, lang)),
    ]
    return "\n\n".join(f"== {heading} ==\n{text}" for heading, text in parts) + "\n"


def _target_label(target: Target, lang: str) -> str:
    key = "target-" + target.name.replace("_", "-")
    try:
        return _t(key, lang)
    except MessageError:  # a target the configuration names and no message does
        return _t("target-other", lang)


def _targets(targets: Sequence[Target], lang: str) -> str:
    rows = [[
        _target_label(t, lang), number(t.goal, lang),
        _percent(t.value, lang) if t.name == "documented_percent" else _decimal(t.value, lang),
        _progress(t), _t("met" if t.met else "not-met", lang),
    ] for t in targets]
    met = sum(1 for t in targets if t.met)
    return (_t("targets-met", lang, number(met, lang), number(len(targets), lang)) + "\n"
            + render_table(_headers(lang, "target", "goal", "today", "progress", "met"), rows))


def _chart(heading: str, entries: Sequence[tuple[_Row, str]], count: Callable[[_Row], int],
           cells: Callable[[_Row, str], list[str]], columns: tuple[str, ...], empty: str,
           lang: str) -> list[str]:
    """A heading, then a table of ``entries`` (row, label): its cells, then a bar of its
    count (the longest for the largest); ``empty`` names the line shown when there is none."""
    top = _max(count(row) for row, _ in entries)
    rows = [[*cells(row, label), bar(count(row), top)] for row, label in entries]
    return [f"=== {_t(heading, lang)} ===",
            _table_or(_headers(lang, *columns, "chart"), rows, empty, lang)]


def _participants(f: Figures, taxonomy: Taxonomy, lang: str) -> str:
    regions = _by_label(f["regions"], lambda r: r["count"], lambda r: (
        escape(taxonomy.region_label(r["region"], lang)) if r["region"]
        else _t("no-region", lang)))
    countries = _by_label(f["countries"], lambda c: c["count"],
                          lambda c: taxonomy.country_name(c["country"], lang))
    languages = _by_label(f["languages"], lambda r: r["count"],
                          lambda r: taxonomy.language_name(r["language"], lang))
    return "\n".join([
        _t("people", lang, number(f["participants"], lang), number(len(f["countries"]), lang),
           number(len(f["languages"]), lang), number(f["communities"], lang)),
        "",
        *_chart("heading-regions", regions, lambda r: r["count"], lambda r, label: [
            label, number(r["count"], lang), _percent(r["share"], lang)],
            ("region", "participants", "share"), "nobody", lang),
        "",
        *_chart("heading-countries", countries, lambda c: c["count"], lambda c, label: [
            escape(label),
            escape(taxonomy.region_label(taxonomy.region_of_country(c["country"]) or "", lang)),
            number(c["count"], lang)],
            ("country", "region", "participants"), "no-country", lang),
        "",
        *_chart("heading-languages", languages, lambda r: r["count"], lambda r, label: [
            escape(label), ltr(escape(r["language"]), lang), number(r["count"], lang)],
            ("language", "code", "participants"), "no-language", lang),
    ])


def _skills(f: Figures, taxonomy: Taxonomy, lang: str) -> str:
    def by_label(rows: Iterable[_Skill], count: Callable[[_Skill], int]
                 ) -> list[tuple[_Skill, str]]:
        return _by_label(rows, count, lambda r: taxonomy.skill_label(r["skill"], lang))

    wanted = by_label(f["learn_top"], lambda r: r["learners"])
    shared = by_label(f["share_top"], lambda r: r["sharers"])
    lines = [
        *_chart("heading-most-wanted", wanted, lambda r: r["learners"], lambda r, name: [
            escape(name), number(r["learners"], lang), number(r["sharers"], lang)],
            ("skill", "learners", "sharers"), "no-wanted", lang),
        "",
        *_chart("heading-most-shared", shared, lambda r: r["sharers"], lambda r, name: [
            escape(name), number(r["sharers"], lang), number(r["learners"], lang)],
            ("skill", "sharers", "learners"), "no-shared", lang),
        "",
        f"=== {_t('heading-sharers-wanted', lang)} ===",
        _t("wanted-intro", lang),
    ]
    if not f["sharers_wanted"]:
        lines.append(_t("wanted-none", lang))
    lines += ["* " + _t("wanted-line", lang, escape(name), number(r["learners"], lang))
              for r, name in by_label(f["sharers_wanted"], lambda r: r["learners"])]
    return "\n".join(lines)


def _spaces(f: Figures, lang: str) -> str:
    s, d, c = f["sessions"], f["documentation"], f["coffees"]
    summary = _t("spaces", lang, *(number(n, lang) for n in (
        s["held"], s["clinics_held"], s["participations"], f["resources"], f["spaces"])))
    if s["without_count"]:
        summary += " " + _t("uncounted", lang, number(s["without_count"], lang))
    lines = [
        summary,
        "",
        _t("documentation-rate", lang, _percent(d["rate"], lang), number(d["documented"], lang),
           number(d["held"], lang)),
        "",
        *_chart("heading-months", [(m, m["month"]) for m in f["sessions_by_month"]],
                lambda m: m["participations"], lambda m, month: [
                    ltr(escape(month), lang), number(m["held"], lang),
                    number(m["participations"], lang)],
                ("month", "sessions-held", "participations"), "no-sessions", lang),
    ]
    lines += ["", f"=== {_t('heading-coffees', lang)} ==="]
    top = max(c.values(), default=0)
    rows = [[_t(f"coffees-{key.replace('_', '-')}", lang), number(c[key], lang),
             bar(c[key], top, GREEN if key == "held" else BLUE)]
            for key in ("proposed", "held", "not_held")]
    lines.append(render_table(_headers(lang, "coffees", "number", "chart"), rows,
                              sortable=False))
    return "\n".join(lines)


def _hot_topics(f: Figures, taxonomy: Taxonomy, lang: str) -> str:
    lines = [_t("hot-intro", lang, number(HOT_TOPIC_MONTHS, lang))]
    if not f["hot_topics"]:
        lines.append(_t("hot-none", lang))
    topics = _by_label(f["hot_topics"], lambda r: r["learners"],
                       lambda r: taxonomy.skill_label(r["skill"], lang))
    lines += ["# " + _t("hot-line", lang, escape(name), number(r["learners"], lang))
              for r, name in topics]
    return "\n".join(lines)


def render_dashboard_export(dashboard: Dashboard, generated: str) -> str:
    data = {
        "schema": EXPORT_SCHEMA,
        "generated": generated,
        "figures": dashboard.figures,
        "targets": [t.as_json() for t in dashboard.targets],
    }
    return json.dumps(data, ensure_ascii=False, indent=1)
