"""The on-wiki toolset as plain data: page title -> text and content model.

``templates_wikitext/`` holds one file per wiki page; the path below it is the
title (first folder = namespace).  Keeping this mapping pure lets the tests
check it without a wiki and lets ``deploy`` compare it with what is on the wiki.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

TEMPLATEDATA_SUFFIX = ".templatedata.json"
#: Files whose extension is part of the page title (JavaScript and CSS pages).
KEEP_EXTENSION = frozenset({".js", ".css"})
TEMPLATEDATA_PLACEHOLDER = "<!-- TEMPLATEDATA -->"
MODELS = {".wikitext": "wikitext", ".lua": "Scribunto", ".json": "json", ".js": "javascript",
          ".css": "css"}


@dataclass(frozen=True)
class BundlePage:
    title: str
    text: str
    model: str
    source: str  # the file it came from, for messages


class BundleError(Exception):
    """A file in templates_wikitext/ cannot become a page; the message names it."""


def title_for(relpath: str) -> tuple[str, str]:
    """``Template/Let's Connect/Profile.wikitext`` -> ("Template:Let's Connect/Profile",
    "wikitext"); a script or style sheet keeps its extension, as MediaWiki's titles of
    them do (``MediaWiki/Gadget-x.js`` -> "MediaWiki:Gadget-x.js")."""
    for ext in MODELS:
        if relpath.endswith(ext):
            stem = relpath if ext in KEEP_EXTENSION else relpath[: -len(ext)]
            break
    else:
        raise BundleError(f"{relpath}: unknown file type (use .wikitext, .lua, .json, .js or .css)")
    model = MODELS[ext]
    parts = stem.split("/")
    if len(parts) < 2 or not all(parts):
        raise BundleError(f"{relpath}: expected NAMESPACE/Title{ext}")
    namespace, rest = parts[0], "/".join(parts[1:])
    title = rest if namespace in {"Main", "(Main)"} else f"{namespace}:{rest}"
    return title, model


def model_of(title: str) -> str:
    """The content model MediaWiki gives a page of this title outside the Module namespace."""
    return next((model for ext, model in MODELS.items()
                 if title.endswith(ext) and ext != ".lua"), "wikitext")


def assemble(
    files: Mapping[str, str], generated: Mapping[str, tuple[str, str]] | None = None
) -> dict[str, BundlePage]:
    """Turn the files (relative path -> text) into pages, TemplateData placed in doc pages.

    ``generated`` adds the pages the bot makes (title -> (Lua source, where it is made
    from, for the edit summary)).
    """
    templatedata = {
        path[: -len(TEMPLATEDATA_SUFFIX)]: text
        for path, text in files.items()
        if path.endswith(TEMPLATEDATA_SUFFIX)
    }
    pages: dict[str, BundlePage] = {}
    for path in sorted(files):
        if path.endswith(TEMPLATEDATA_SUFFIX):
            continue
        title, model = title_for(path)
        text = files[path]
        if path.endswith("/doc.wikitext"):
            owner = path[: -len("/doc.wikitext")]
            if owner in templatedata:
                text = _place_templatedata(text, templatedata[owner], path)
        pages[title] = BundlePage(title, text.rstrip("\n") + "\n", model, path)
    for owner in templatedata:
        if f"{owner}/doc.wikitext" not in files:
            raise BundleError(f"{owner}{TEMPLATEDATA_SUFFIX}: there is no {owner}/doc.wikitext")
    for title, (text, source) in (generated or {}).items():
        model = "Scribunto" if title.startswith("Module:") else model_of(title)
        pages[title] = BundlePage(title, text.rstrip("\n") + "\n", model, source)
    return pages


def _place_templatedata(doc: str, raw: str, path: str) -> str:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise BundleError(f"{path}: its TemplateData is not valid JSON ({error})") from None
    block = (
        "<templatedata>\n"
        + json.dumps(data, ensure_ascii=False, indent="\t")
        + "\n</templatedata>"
    )
    if TEMPLATEDATA_PLACEHOLDER in doc:
        return doc.replace(TEMPLATEDATA_PLACEHOLDER, block, 1)
    return doc.rstrip("\n") + "\n\n" + block + "\n"
