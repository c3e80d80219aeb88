"""Build the Let's Connect skills directory from the participants' profiles.

Usage: letsconnect directory [-config:PATH] [global Pywikibot options]

Reads every page that transcludes the profile template (list and text in one
batched query), checks who wrote each entry, looks up the owners' accounts in
batches, and writes between the bot's markers:
  - the directory (one table per region),
  - the skills page (sharers and learners per skill, and "sharers wanted"),
  - the problems page (what is wrong in an entry and how to fix it),
  - a JSON export for other tools.
Only pages whose text changes are saved.

The bot's state page remembers the revision of every profile it last used.
When none changed and the last full run is less than a day old, the job stops
after the listing: no text is read and nothing is saved.  A full run at least
daily keeps time-driven facts (stale profiles, blocks) up to date.

Options:
  -config:PATH  another configuration file (default config/letsconnect.yaml)
  -full         read and rebuild everything even if no profile changed
  -progress     print how many pages were read on long runs (default: only on a terminal)
  -simulate     show the diff of every page that would change; save nothing
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from bot.directory.pages import render_by_skill, render_directory, render_export, render_problems
from bot.exports import split_export
from bot.jobs.common import Context, OptionValue, load_taxonomy, run_job, versions, write_section
from bot.jobs.reads import directory_settings, in_scope, read_profiles

JOB = "directory"
FULL_RUN_EVERY = timedelta(hours=24)
OPTIONS: dict[str, OptionValue] = {"full": False}


def nothing_changed(state: dict[str, Any], listing: dict[str, int], now: datetime) -> bool:
    """True when the inputs are the ones of a full run that is recent enough."""
    try:
        last = datetime.fromisoformat(state.get("full_run", ""))
    except (TypeError, ValueError):
        return False
    return state.get("inputs") == listing and now - last < FULL_RUN_EVERY


def directory_job(ctx: Context) -> None:
    now = datetime.now(UTC)
    settings = directory_settings(ctx)
    state_title = ctx.config.state_page(JOB)
    state = ctx.wiki.read_json(state_title)
    listing = {
        title: revid
        for title, revid in ctx.wiki.list_embedded(
            ctx.config.templates.profile, ctx.config.directory.namespaces
        ).items()
        if in_scope(title, settings.prefixes)
    }
    if not ctx.options.flag("full") and nothing_changed(state, listing, now):
        ctx.report(f"no profile changed since the last full run ({len(listing)} profiles)")
        return
    taxonomy = load_taxonomy(ctx)
    profiles = read_profiles(ctx, taxonomy, now, len(listing))
    directory = profiles.directory
    ctx.problems += len(directory.problems)
    # The pages the directory links to first: saved after them, it shows its links blue
    # at once instead of after the wiki's job queue has caught up.
    outputs = versions(
        (ctx.config.pages.by_skill, "skills", partial(render_by_skill, directory, taxonomy)),
        (ctx.config.pages.problems, "problems", partial(render_problems, directory, taxonomy)),
        (ctx.config.pages.directory, "directory", partial(render_directory, directory, taxonomy)),
    )
    export = ctx.config.export_page("directory")
    current = ctx.wiki.read([*outputs, export])
    ctx.wiki.check_shutoff(ctx.config.bot.shutoff_page)
    for title, (section, content, lang) in outputs.items():
        write_section(
            ctx, title, section, content, current[ctx.wiki.normalise(title)], "the profiles",
            lang,
        )
    write_export(ctx, export, render_export(directory, now.strftime("%Y-%m-%dT%H:%M:%SZ")))
    ctx.wiki.save_json(  # last: a run that fails before this point is redone in full
        state_title,
        {
            "schema": 1,
            "full_run": now.isoformat(timespec="seconds"),
            "inputs": profiles.inputs(),
        },
        ctx.summary("remember the profile revisions used"),
    )


def write_export(ctx: Context, title: str, text: str) -> None:
    """Save the JSON export (in parts when large) unless only its "generated" time changes."""
    head, parts = split_export(
        json.loads(text), "participants", lambda n: ctx.config.export_page(f"directory/{n}")
    )
    if parts:
        ctx.wiki.read(parts)
    for part_title, part in parts.items():
        ctx.wiki.save_json(part_title, part, ctx.summary("update the JSON export (part)"))
    ctx.wiki.save_json(title, head, ctx.summary("update the JSON export"), ignore=("generated",))


def main(*args: str) -> int:
    return run_job(JOB, args, directory_job, __doc__, OPTIONS)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
