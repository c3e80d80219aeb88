"""The data and messages of the profile form gadget, as one JSON page.

``letsconnect deploy`` writes the result of :func:`render_form_data` to
``MediaWiki:Gadget-letsconnect-form-data.json``; the gadget
(``templates_wikitext/MediaWiki/Gadget-letsconnect-form-core.js``) gets it as a
package file of its ResourceLoader module, so the data comes with the code in
one request and is cached with it.

One source for the bot, the Lua module and the form: the skill, thematic-area,
region and country tables (with their lookup keys) are the very ones
:mod:`bot.onwiki.luadata` lays out for ``Module:Let's Connect/data``, the
field rules (parameter names and their aliases, formats, yes/no words, the
bounds on text and lists) are the bot's own (:mod:`bot.directory.fields`), and
the texts are the catalogue's group ``bot/i18n/form/``, each language filled
along its fallback chain down to English.  Languages people speak are the ISO
639-1 languages, named in the program's languages and in their own.

Deterministic (sorted keys, no timestamps): deploy saves it only when it changed.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import langcodes
import pycountry

from bot.directory.fields import (
    FORMAT_WORDS,
    FORMATS,
    MAX_CAPACITY,
    MAX_ITEMS,
    MAX_TEXT,
    NO_WORDS,
    PROFILE_ALIASES,
    PROFILE_PARAMS,
    YES_WORDS,
)
from bot.i18n import FALLBACKS, LANGUAGES, RTL, fallback_chain
from bot.i18n.catalogue import read_catalogue
from bot.onwiki.luadata import region_tables, skill_tables
from bot.taxonomy.names import language_name

if TYPE_CHECKING:
    from bot.taxonomy import Taxonomy

__all__ = [
    "FORM_DATA_PAGE",
    "FORM_PREFIX",
    "GADGETS_DEFINITION",
    "SITE_SCRIPT_RIGHTS",
    "is_site_page",
    "merge_gadgets_definition",
    "render_form_data",
    "spoken_languages",
    "staged_title",
]

#: The page deploy writes; the gadget's definition lists it as a package file.
FORM_DATA_PAGE = "MediaWiki:Gadget-letsconnect-form-data.json"
#: The keys of the catalogue the form shows (bot/i18n/form/).
FORM_PREFIX = "letsconnect-form-"

_HTML_ESCAPES = str.maketrans({"<": "\\u003C", ">": "\\u003E", "&": "\\u0026"})

#: Lookup tables of the data module the form uses to read answers written by hand.
_LOOKUPS = ("lookup", "thematicLookup", "regionLookup", "countryLookup")


@functools.cache
def spoken_languages() -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """(code, ((language, name)...)) of every ISO 639-1 language: its name in each of the
    program's languages and in itself (under its own code), for the form's search."""
    found = []
    for entry in pycountry.languages:
        code = getattr(entry, "alpha_2", None)
        if not code or not langcodes.tag_is_valid(code):
            continue
        code = langcodes.standardize_tag(code, macro=True)
        names = {lang: language_name(code, lang) for lang in LANGUAGES}
        try:
            names[code] = langcodes.Language.get(code).autonym()
        except (LookupError, ValueError):
            pass
        kept = tuple(sorted((lang, n) for lang, n in names.items() if n and n != code))
        if kept:
            found.append((code, kept))
    return tuple(sorted(set(found)))


def _messages(catalogue: Mapping[str, Mapping[str, str]], lang: str) -> dict[str, str]:
    """``lang``'s form messages, each missing one taken along its chain (English last)."""
    table: dict[str, str] = {}
    for code in fallback_chain(lang):
        for key, text in catalogue.get(code, {}).items():
            if key.startswith(FORM_PREFIX):
                table.setdefault(key, text)
    return table


def render_form_data(
    taxonomy: Taxonomy, tables: Mapping[str, Mapping[str, str]] | None = None
) -> str:
    """The text of :data:`FORM_DATA_PAGE` (default: the shipped catalogue)."""
    catalogue = read_catalogue() if tables is None else tables
    skills = skill_tables(taxonomy)
    places = region_tables(taxonomy)
    data: dict[str, Any] = {
        "version": 1,
        "template": "Let's Connect/Profile",
        "languages": list(LANGUAGES),
        "rtl": sorted(RTL),
        "fallbacks": {lang: list(chain) for lang, chain in FALLBACKS.items() if chain},
        "messages": {lang: _messages(catalogue, lang) for lang in LANGUAGES},
        "skills": [
            {"id": s.id, "area": s.area, "labels": dict(s.labels), "aliases": list(s.aliases)}
            for s in taxonomy.skills.values()
        ],
        "areas": [{"id": a.id, "labels": dict(a.labels)} for a in taxonomy.areas.values()],
        "thematic": [
            {"id": t.id, "labels": dict(t.labels), "aliases": list(t.aliases)}
            for t in taxonomy.thematic_areas.values()
        ],
        "regions": [
            {"id": r.id, "labels": dict(r.labels), "countries": list(r.countries)}
            for r in taxonomy.regions.values()
        ],
        "countryNames": places["countryNames"],
        "spoken": [{"code": code, "names": dict(names)} for code, names in spoken_languages()],
        "params": list(PROFILE_PARAMS),
        "paramAliases": dict(PROFILE_ALIASES),
        "formats": list(FORMATS),
        "formatWords": {fmt: list(words) for fmt, words in FORMAT_WORDS.items()},
        "yes": sorted(YES_WORDS),
        "no": sorted(NO_WORDS),
        "limits": {"text": MAX_TEXT, "items": MAX_ITEMS, "capacity": MAX_CAPACITY},
        **{name: skills[name] if name in skills else places[name] for name in _LOOKUPS},
    }
    # As MediaWiki stores a JSON page (FormatJson: tabs, and <, > and & escaped), so that
    # deploy finds it unchanged; those three appear only inside strings.
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent="\t")
    return text.translate(_HTML_ESCAPES) + "\n"


# --- the gadget's pages on a wiki --------------------------------------------------------------

#: The page listing a wiki's gadgets; deploy adds the form's lines and keeps everyone else's.
GADGETS_DEFINITION = "MediaWiki:Gadgets-definition"
#: What an account needs to write the gadget's pages (an interface administrator's rights).
SITE_SCRIPT_RIGHTS = ("editinterface", "editsitejs", "editsitecss", "editsitejson")


def is_site_page(title: str) -> bool:
    """Whether only an interface administrator may write this page of the bundle."""
    return title.startswith("MediaWiki:")


def _gadget_name(line: str) -> str | None:
    """The gadget a line of the definitions page defines (``* name[options]|pages``)."""
    if not line.startswith("*"):
        return None
    name = line.lstrip("* ").split("[", 1)[0].split("|", 1)[0].strip()
    return name or None


def merge_gadgets_definition(current: str, ours: str) -> str:
    """``current`` (the wiki's definitions page) with the lines of ``ours`` (our section).

    Every other gadget and heading is kept as it is.  When our lines are all there
    already, nothing changes; else the lines defining our gadgets, and our heading,
    are taken out and our section is added at the end.
    """
    wanted = [line for line in ours.strip("\n").split("\n") if line.strip()]
    have = current.split("\n")
    if all(line in have for line in wanted):
        return current
    names = {name for name in map(_gadget_name, wanted) if name}
    headings = {line.strip() for line in wanted if line.startswith("==")}
    kept = [line for line in have
            if _gadget_name(line) not in names and line.strip() not in headings]
    body = "\n".join(kept).rstrip("\n")
    return (body + "\n\n" if body else "") + "\n".join(wanted) + "\n"


def staged_title(title: str, bot_user: str) -> str:
    """Where deploy leaves a site page for an interface administrator to copy: in the bot's
    own user space, which its BotPassword may edit (``User:Bot/gadget/Gadget-x.js``)."""
    return f"User:{bot_user}/gadget/{title.split(':', 1)[1]}"
