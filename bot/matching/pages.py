"""The text of a round's page, in each language of the program, and its JSON export.

Deterministic like the directory pages: the same result renders to the same
text, so re-running a round saves nothing.  Group status starts as
"proposed"; outcomes recorded by participants may later turn it into "held"
or "not held" (``statuses`` maps group id to status).

Every word is in the page's language (messages ``letsconnect-matching-*``, labels from the
taxonomy): a group's shared context reads "same region: Sub-Saharan Africa", never
"region: ssa".  Groups keep the order of their ids; skills are sorted by their label in the
page's language.  On a right-to-left page group ids and user names are isolated
(``<bdi>``) so that nothing around them reorders.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from bot.i18n.catalogue import messages
from bot.i18n.words import join, number
from bot.matching.values import CONTEXT_KINDS, REASONS, MatchResult
from bot.taxonomy import Taxonomy, label_order
from bot.taxonomy.model import identities
from bot.wikitext.tables import escape, render_table, user_link
from bot.wikitext.versions import isolated, ltr

#: Group status (from the outcomes) -> its message.
_STATUSES = {"proposed": "status-proposed", "held": "status-held", "not held": "status-not-held"}


#: A message of the round page in ``lang``: trusted wikitext, so its parameters must already
#: be safe (escaped text, numbers).
_t = messages("letsconnect-matching-")
#: The names of the formats, as the profile card writes them.
_format = messages("letsconnect-module-format-")


def _person(user: str, lang: str) -> str:
    return isolated(user_link(user), lang)


def _reason(code: str, lang: str) -> str:
    if code == "format":  # the learner takes part in clinics only
        return _t("reason-format", lang, escape(_format("clinic", lang)))
    return _t(f"reason-{code}" if code in REASONS else "reason-other", lang)


def _context(items: tuple[str, ...], taxonomy: Taxonomy, lang: str) -> str:
    """The context a group shares, in words: the region, the country, then the thematic
    areas sorted by their label."""
    labels: dict[str, list[str]] = {kind: [] for kind in CONTEXT_KINDS}
    for item in items:
        kind, _, value = item.partition(":")
        if kind == "region":
            labels[kind].append(taxonomy.region_label(value, lang))
        elif kind == "country":
            labels[kind].append(taxonomy.country_name(value, lang))
        elif kind == "area":
            labels[kind].append(taxonomy.area_label(value, lang))
    labels["area"].sort(key=label_order)
    return join([_t(f"context-{kind}", lang, escape(label))
                 for kind in CONTEXT_KINDS for label in labels[kind]], lang)


def render_round(
    result: MatchResult, taxonomy: Taxonomy, statuses: Mapping[str, str] | None = None,
    lang: str = "en",
) -> str:
    statuses = statuses or {}

    def label(skill_id: str) -> str:
        return taxonomy.skill_label(skill_id, lang)

    lines = [
        _t("summary", lang, number(len(result.groups), lang), number(result.placements, lang),
           number(len(result.unmatched), lang)),
        "",
    ]
    rows = [
        [
            ltr(escape(g.id), lang),
            escape(label(g.skill)),
            _person(g.sharer, lang),
            join([_person(u, lang) for u in g.learners], lang),
            escape(taxonomy.language_name(g.language, lang) if g.language else ""),
            _context(g.context, taxonomy, lang),
            _t(_STATUSES.get(statuses.get(g.id, "proposed"), "status-proposed"), lang),
        ]
        for g in result.groups
    ]
    headers = [_t(f"column-{key}", lang) for key in
               ("group", "skill", "sharer", "learners", "language", "context", "status")]
    lines.append(render_table(headers, rows) if rows else f"''{_t('no-groups', lang)}''")
    if result.sharers_wanted:
        lines += ["", f"=== {_t('wanted-heading', lang)} ===", ""]
        wanted = sorted(result.sharers_wanted.items(),
                        key=lambda kv: (-kv[1], label_order(label(kv[0])), kv[0]))
        lines.append(render_table(
            [_t("column-skill", lang), _t("column-waiting", lang)],
            [[escape(label(s)), number(n, lang)] for s, n in wanted]))
    if result.unmatched:
        lines += ["", f"=== {_t('unmatched-heading', lang)} ===", ""]
        unmatched = sorted(result.unmatched, key=lambda u: (
            u.user.casefold(), u.user, label_order(label(u.skill)), u.skill))
        rows = [[_person(u.user, lang), escape(label(u.skill)), _reason(u.reason, lang)]
                for u in unmatched]
        lines.append(render_table(
            [_t(f"column-{key}", lang) for key in ("participant", "skill", "why")], rows))
    return "\n".join(lines)


def render_round_export(result: MatchResult, generated: str,
                        taxonomy: Taxonomy | None = None) -> str:
    """The round's JSON export; with the taxonomy, ``skills`` gives each skill named its
    Wikidata item and CapX capacities, for tools that do not know our ids."""
    value: dict[str, object] = {
        "schema": 1,
        "round": result.round,
        "generated": generated,
        "groups": [g.as_json() for g in result.groups],
        "unmatched": [u.as_json() for u in result.unmatched],
    }
    if taxonomy is not None:
        named = {g.skill for g in result.groups} | {u.skill for u in result.unmatched}
        value["skills"] = identities(taxonomy.skills, named)
    return json.dumps(value, ensure_ascii=False, indent=1)
