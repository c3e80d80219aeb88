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

The bot's state page remembers the revision of every profile it last used and
when it read them.  The job first reads that page together with Recent changes
in the profiles' namespaces (one request); when no profile was edited, created,
moved or deleted since, and the last full read is less than a day old, it stops
there: no text is read and nothing is saved.  A full read at least daily keeps
time-driven facts (stale profiles, blocks) up to date.  A full read that changes
nothing saves nothing either: its time is kept among the bot's own preferences
(no edit), so that the next runs know it.

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

from bot.directory.pages import directory_pages, render_by_skill, render_export, render_problems
from bot.exports import split_export
from bot.jobs.capx_bridge import (
    allow_capx_read,
    capx_marks,
    capx_state,
    save_card_values,
)
from bot.jobs.common import Context, OptionValue, load_taxonomy, run_job, versions, write_section
from bot.jobs.reads import directory_settings, in_scope, read_profiles
from bot.model import JSON
from bot.wiki.edits import page_json
from bot.wiki.lease import lease_title
from bot.wiki.protocol import Change, Look

JOB = "directory"
FULL_RUN_EVERY = timedelta(hours=24)
#: How far back the first request looks in Recent changes: as far as a state may be
#: trusted, and an hour more for clocks that disagree.
LOOK_BACK = FULL_RUN_EVERY + timedelta(hours=1)
#: How much older than the last full read a change may be and still be missing from it.
#: MediaWiki stamps a revision when its save begins (before the edit filters and the parse);
#: readers see it once the save commits and reaches the replica the API reads, seconds later.
#: Changes this much older than the read are looked at too: a revision already read is
#: known by its id, a page not yet a profile is asked about.
SETTLING = timedelta(minutes=5)
#: Log entries that can change what a profile page says or whether it is one.
PAGE_LOGS = frozenset({"delete", "move", "import", "merge", "suppress"})
#: The note (among the bot's preferences) that keeps the time of a full read that saved
#: nothing, with the state revision it confirmed.
READ_NOTE = f"{JOB}-read"
OPTIONS: dict[str, OptionValue] = {"full": False}


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def last_read(look: Look, state: dict[str, Any]) -> str:
    """The wiki's time of the last full read that the state page is still true for: the
    state's own, or a later one from the note of a run that found nothing to save."""
    last = str(state.get("read_at", ""))
    try:
        note = json.loads(look.notes.get(READ_NOTE, "{}"))
    except json.JSONDecodeError:
        return last
    latest = look.page.latest
    if isinstance(note, dict) and latest and note.get("state") == latest.revid:
        return max(last, str(note.get("read_at", "")))
    return last


def parse_time(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def wiki_time(look: Look, now: datetime) -> datetime:
    """The wiki's clock at the first request (the run's own when the wiki did not say)."""
    return parse_time(look.clock) or now


def settled(read_at: str) -> str:
    """The time of the oldest change that a full read at ``read_at`` may have missed."""
    moment = parse_time(read_at)
    return stamp(moment - SETTLING) if moment else read_at


def nothing_changed(ctx: Context, look: Look, state: dict[str, Any], now: datetime) -> bool:
    """True when no profile can have changed since the last full read, which is recent
    enough.  An in-scope page that is not a profile yet, edited since, is asked about (one
    request): a page that starts using the template is a new profile."""
    inputs = state.get("inputs")
    last = last_read(look, state)
    if not isinstance(inputs, dict) or not last or last < stamp(now - FULL_RUN_EVERY):
        return False
    prefixes = directory_settings(ctx).prefixes
    maybe_new: set[str] = set()
    since = settled(last)
    for change in look.changes:  # newest first
        if change["timestamp"] < since:
            break
        if touches_profile(change, inputs):
            return False
        maybe_new |= {title for title in (change["title"], change["target"])
                      if title and title not in inputs and in_scope(title, prefixes)
                      and change["user"] != ctx.wiki.username}
    return not (maybe_new and ctx.wiki.uses_template(maybe_new, ctx.config.templates.profile))


def touches_profile(change: Change, inputs: dict[str, Any]) -> bool:
    """Whether a change is a newer revision of a profile the state used, or a log entry
    (deletion, move, import, merge) of one."""
    if change["kind"] == "log":
        return change["log"] in PAGE_LOGS and (
            change["title"] in inputs or change["target"] in inputs)
    used = inputs.get(change["title"])
    return isinstance(used, int) and change["revid"] > used


def directory_job(ctx: Context) -> None:
    now = datetime.now(UTC)
    state_title = ctx.config.state_page(JOB)
    look = ctx.wiki.read_with_changes(
        state_title, ctx.config.directory.namespaces, LOOK_BACK,
        horizon=lambda page: settled(str(page_json(page).get("read_at", ""))),
    )
    state = ctx.wiki.json_of(look.page)  # a large state's parts read too (one request)
    known = state.get("inputs")
    known = known if isinstance(known, dict) else {}
    if not ctx.options.flag("full") and nothing_changed(ctx, look, state, wiki_time(look, now)):
        ctx.report(f"no profile changed since the last full run ({len(known)} profiles)")
        return
    taxonomy = load_taxonomy(ctx)
    # CapX is read in this run when due: at most daily, or when a capx=yes profile changed.
    capx_before = allow_capx_read(ctx, state)
    profiles = read_profiles(ctx, taxonomy, now, len(known), known=known)
    directory = profiles.directory
    ctx.problems += len(directory.problems)
    # The pages the directory links to first: saved after them, it shows its links blue
    # at once instead of after the wiki's job queue has caught up.
    # Every language version of each (bot.wikitext.versions); the directory split by region
    # when one page would be too large (bot.directory.pages.directory_pages).
    split = directory_pages(directory, taxonomy, ctx.config.pages.directory)
    outputs = versions(
        (ctx.config.pages.by_skill, "skills", partial(render_by_skill, directory, taxonomy)),
        (ctx.config.pages.problems, "problems", partial(render_problems, directory, taxonomy)),
        *[(title, "directory", render) for title, render in reversed(split.pages.items())],
    )
    pointers = versions(*[(title, "directory", render) for title, render in split.pointers.items()])
    export = ctx.config.export_page("directory")
    text = render_export(directory, stamp(now), taxonomy, capx_marks(ctx))
    head, parts = split_export(json.loads(text), "participants",
                               lambda n: ctx.config.export_page(f"directory/{n}"))
    # One request: the pages to write, and what the first edit checks (the shutoff page;
    # the lease and the state page, to see that no other run is writing or has written).
    shutoff = ctx.config.bot.shutoff_page
    current = ctx.wiki.read([*outputs, *pointers, export, *parts, shutoff, state_title,
                             lease_title(state_title)])
    ctx.wiki.check_shutoff(shutoff)
    # A region page of an earlier split is told where the directory went, never created.
    outputs |= {t: o for t, o in pointers.items() if current[ctx.wiki.normalise(t)].exists}
    for title, (section, content, lang) in outputs.items():
        write_section(
            ctx, title, section, content, current[ctx.wiki.normalise(title)], "the profiles",
            lang,
        )
    write_export(ctx, export, head, parts)
    save_card_values(ctx, directory, capx_before)
    remember(ctx, state_title, look.clock or stamp(now), profiles.inputs(),
             capx_state(ctx).as_json())


def remember(ctx: Context, title: str, read_at: str, inputs: dict[str, int],
             capx: dict[str, JSON]) -> None:
    """Save the state last (a run that fails before this point is redone in full), unless
    only its time would change: then the time goes into a note, which is no edit.  ``capx``:
    the values of the last successful read of the Capacity Exchange (bot.jobs.capx_bridge)."""
    saved = ctx.wiki.save_json(
        title, {"schema": 2, "read_at": read_at, "inputs": inputs, "capx": capx},
        ctx.summary("remember the profile revisions used"), ignore=("read_at",),
    )
    if not saved and not ctx.wiki.simulate:
        note = json.dumps({"read_at": read_at, "state": ctx.wiki.revid(title)})
        if not ctx.wiki.note(READ_NOTE, note):
            ctx.wiki.counters.notes.append(
                "the time of this full read could not be kept (the bot's preferences); "
                "the next runs read everything again until a profile changes")


def write_export(ctx: Context, title: str, head: dict[str, Any],
                 parts: dict[str, dict[str, Any]]) -> None:
    """Save the JSON export (its parts first when large; all read with the pages the job
    writes) unless only its "generated" time changes."""
    for part_title, part in parts.items():
        ctx.wiki.save_json(part_title, part, ctx.summary("update the JSON export (part)"))
    ctx.wiki.save_json(title, head, ctx.summary("update the JSON export"), ignore=("generated",))


def main(*args: str) -> int:
    return run_job(JOB, args, directory_job, __doc__, OPTIONS)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
