"""Organise the learning spaces: the resource index, the calendar and their exports.

Usage: letsconnect sessions [-config:PATH] [global Pywikibot options]

Reads every page that uses the session, resource, outcome or space template
(batched, with their text), checks in batches that the files and pages the
resources link to exist, and writes between the bot's markers, each page in
every language of the program (English on the configured title, the others on
its subpages <title>/es, /fr, /pt-br, /ar):
  - the resource index (by skill area and skill, by language, newest first),
  - the calendar (upcoming sessions and other learning spaces, by region and
    by topic; past sessions by month),
  - the session problems page (dates, links and fields to fix; each page's
    problems in the language of whoever saved it last, from their profile),
  - JSON exports of the sessions and of the resources.
Outcomes of coffees give the status of the groups on the round pages (the
match job reads them); the dashboard is written by `letsconnect stats`.
Only pages whose text changes are saved.

Options:
  -config:PATH  another configuration file (default config/letsconnect.yaml)
  -simulate     show the diff of every page that would change; save nothing
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from functools import partial

from bot.directory.build import build_directory
from bot.i18n.choice import choose_language
from bot.jobs.common import (
    Context,
    OptionValue,
    load_taxonomy,
    run_job,
    save_export,
    versions,
    write_section,
)
from bot.jobs.reads import directory_settings, read_session_log, read_session_pages
from bot.sessions.model import SessionLog
from bot.sessions.pages import (
    render_calendar,
    render_resources,
    render_resources_export,
    render_session_problems,
    render_sessions_export,
)
from bot.taxonomy import Taxonomy

JOB = "sessions"
OPTIONS: dict[str, OptionValue] = {}


def problem_owners(ctx: Context, log: SessionLog, taxonomy: Taxonomy, now: datetime
                   ) -> dict[str, tuple[str, str]]:
    """Page with problems -> (its owner, their language).  The owner is whoever saved the
    page's latest version; their language is their profile's (the notices' rule), English
    when they have none.  Only those writers' own profile pages are read, in one batch:
    a language is all that is needed of them, not the whole directory."""
    with_problems = {p.page for p in log.problems}
    if not with_problems:
        return {}
    writers = {page.title: page.latest.writer for page in read_session_pages(ctx).pages
               if page.title in with_problems and page.latest}
    settings = directory_settings(ctx)
    own = [settings.prefixes[0] + user for user in sorted(set(writers.values()))]
    found = [p for p in ctx.wiki.read(own).values() if p.exists and p.revisions]
    langs: dict[str, str] = {}
    for profile in build_directory(found, taxonomy, settings, now=now).profiles:
        if profile.status != "quarantined":
            langs.setdefault(profile.user, choose_language(profile.lang, profile.languages))
    return {page: (user, langs.get(user, "en")) for page, user in writers.items()}


def sessions_job(ctx: Context) -> None:
    taxonomy = load_taxonomy(ctx)
    now = datetime.now(UTC)
    log = read_session_log(ctx, taxonomy, now, check_links=True)
    ctx.problems += len(log.problems)
    pages = ctx.config.pages
    owners = problem_owners(ctx, log, taxonomy, now)
    outputs = versions(
        (pages.resources, "resources", partial(render_resources, log, taxonomy)),
        (pages.calendar, "calendar", partial(render_calendar, log, taxonomy, now)),
        (pages.session_problems, "session-problems",
         partial(render_session_problems, log, owners)),
    )
    exports = {
        ctx.config.export_page("sessions"): ("sessions", render_sessions_export),
        ctx.config.export_page("resources"): ("resources", render_resources_export),
    }
    current = ctx.wiki.read([*outputs, *exports])
    ctx.wiki.check_shutoff(ctx.config.bot.shutoff_page)
    for title, (section, content, lang) in outputs.items():
        write_section(
            ctx, title, section, content, current[ctx.wiki.normalise(title)], "the session logs",
            lang,
        )
    generated = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    for title, (what, render) in exports.items():
        save_export(ctx, title, render(log, generated), what)
    held, documented = len(log.held()), len(log.documented())
    ctx.report(
        f"{len(log.sessions)} sessions ({held} held, {documented} documented), "
        f"{len(log.resources)} resources, {len(log.outcomes)} outcomes, "
        f"{len(log.spaces)} other spaces"
    )


def main(*args: str) -> int:
    return run_job(JOB, args, sessions_job, __doc__, OPTIONS)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
