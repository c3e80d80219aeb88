"""Reading the four templates' transclusions from a page, in document order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from mwparserfromhell.nodes import Template

from bot.model import Entry, PageData
from bot.sessions.links import parse_link
from bot.sessions.model import KINDS, NO_LINK, Link, SessionSettings
from bot.sessions.vocabulary import ALIASES, LINK_PARAMS, PARAMS
from bot.wikitext.entries import (
    _visible_templates,  # the parser's own rule of which transclusions a reader sees
    normalise_param_name,
    normalise_template_name,
    parse_entries,
    parse_wikitext,
)


@dataclass(frozen=True)
class RawEntry:
    """One transclusion: its kind, plain parameters, and the link targets of its link
    parameters (read from the wikitext, because the plain text of ``[[File:X]]`` is empty)."""

    kind: str
    entry: Entry
    links: dict[str, Link | None]  # None: the value is not a link
    position: int  # in document order over all four kinds



def read_entries(page: PageData, settings: SessionSettings) -> list[RawEntry]:
    """Every transclusion of the four templates in the page's latest text, in document order."""
    if not page.latest:
        return []
    kinds = settings.kinds()
    try:
        code = parse_wikitext(page.latest.text)
        templates = [t for t in _visible_templates(code) if _kind(t, kinds)]
    except (RecursionError, ValueError, TypeError, AttributeError):
        return []
    found: list[RawEntry] = []
    counters = dict.fromkeys(KINDS, 0)
    for position, template in enumerate(templates):
        kind = _kind(template, kinds)
        assert kind is not None
        aliases = {**{p: p for p in PARAMS[kind]}, **ALIASES[kind]}
        entries = parse_entries(str(template), page.title, [str(template.name).strip()], aliases)
        if not entries:
            continue
        entry = replace(entries[0], index=counters[kind])
        counters[kind] += 1
        links = {name: _raw_link(template, name, aliases) for name in LINK_PARAMS[kind]}
        found.append(RawEntry(kind, entry, links, position))
    return found


def _kind(template: Template, kinds: Mapping[str, str]) -> str | None:
    try:
        return kinds.get(normalise_template_name(str(template.name).strip()))
    except (ValueError, AttributeError):
        return None


def _raw_link(template: Template, name: str, aliases: Mapping[str, str]) -> Link | None:
    """The link in parameter ``name`` (or an alias of it; the last one given wins):
    NO_LINK when absent or empty, None when the value is not a link."""
    raw = None
    for param in template.params:
        if aliases.get(normalise_param_name(str(param.name))) == name:
            raw = param.value
    return NO_LINK if raw is None else parse_link(raw)

