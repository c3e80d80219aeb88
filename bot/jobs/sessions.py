"""Organise the learning spaces: the resource index, the calendar and their exports.

Usage: letsconnect sessions [-config:PATH] [global Pywikibot options]

Reads every page that uses the session, resource, outcome or space template
(batched, with their text), checks in batches that the files and pages the
resources link to exist, and writes between the bot's markers:
  - the resource index (by skill area and skill, by language, newest first),
  - the calendar (upcoming sessions and other learning spaces, by region and
    by topic; past sessions by month),
  - the session problems page (dates, links and fields to fix),
  - JSON exports of the sessions and of the resources.
Outcomes of coffees give the status of the groups on the round pages (the
match job reads them); the dashboard is written by `letsconnect stats`.
Only pages whose text changes are saved.

Options:
  -config:PATH  another configuration file (default config/letsconnect.yaml)
  -simulate     show the diff of every page that would change; save nothing
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from datetime import UTC, datetime

from bot.jobs.common import Context, load_taxonomy, run_job, write_section
from bot.model import PageData
from bot.sessions.build import SessionLog, SessionSettings, build_log, outcome_statuses
from bot.sessions.pages import (
    render_calendar,
    render_resources,
    render_resources_export,
    render_session_problems,
    render_sessions_export,
)
from bot.taxonomy import Taxonomy
from bot.wiki.pages import query_continued

JOB = "sessions"
#: Titles per existence query (the API's limit without apihighlimits).
BATCH = 50


def session_settings(ctx: Context) -> SessionSettings:
    t = ctx.config.templates
    return SessionSettings(session_template=t.session, resource_template=t.resource,
                           outcome_template=t.outcome, space_template=t.space)


def read_logs(ctx: Context, templates: Iterable[str] | None = None) -> list[PageData]:
    """Every page that uses one of the templates, once, with its latest text."""
    s = session_settings(ctx)
    names = templates or (s.session_template, s.resource_template, s.outcome_template,
                          s.space_template)
    pages: dict[str, PageData] = {}
    for template in names:
        for page in ctx.wiki.embedded_in(template, ctx.config.sessions.namespaces):
            pages.setdefault(page.title, page)
    return [pages[title] for title in sorted(pages)]


def published_groups(ctx: Context) -> dict:
    """The match job's rounds (its state page): round id -> {"groups": [...]}."""
    rounds = ctx.wiki.read_json(ctx.config.state_page("match")).get("rounds", {})
    return rounds if isinstance(rounds, dict) else {}


def group_ids(rounds: dict) -> set[str]:
    return {str(g.get("id")) for data in rounds.values() if isinstance(data, dict)
            for g in data.get("groups", []) if isinstance(g, dict) and g.get("id")}


def missing_titles(ctx: Context, titles: Iterable[str]) -> set[str]:
    """The titles (as asked) that the wiki has no page for, in batches of 50.

    A file kept on a shared repository (Commons, seen from Meta) counts as
    existing: the API marks it "known".
    """
    wanted = sorted(set(titles))
    missing: set[str] = set()
    for start in range(0, len(wanted), BATCH):
        batch = wanted[start : start + BATCH]
        for data in query_continued(ctx.wiki.site, action="query", titles=batch, prop="info"):
            query = data.get("query", {})
            asked = {n["to"]: n["from"] for n in query.get("normalized", [])}
            for page in query.get("pages", []):
                title = page.get("title", "")
                gone = "invalid" in page or ("missing" in page and "known" not in page)
                if gone:
                    missing.add(asked.get(title, title))
        ctx.wiki.counters.read += len(batch)
    return missing


def build(ctx: Context, taxonomy: Taxonomy, now: datetime, *, check_links: bool = True
          ) -> SessionLog:
    """Read the logs and put them together; with ``check_links``, ask the wiki which
    linked files and pages are missing and report them."""
    settings = session_settings(ctx)
    pages = read_logs(ctx)
    known = group_ids(published_groups(ctx))
    log = build_log(pages, taxonomy, settings, now=now, known_groups=known)
    if not check_links or not log.wiki_titles():
        return log
    gone = missing_titles(ctx, log.wiki_titles())
    return build_log(pages, taxonomy, settings, now=now, missing_titles=gone, known_groups=known)


def read_outcome_statuses(ctx: Context, taxonomy: Taxonomy, now: datetime,
                          groups: Iterable[str] = ()) -> dict[str, str]:
    """Group id -> "held" / "not held" from the outcome pages, for the round pages.

    ``groups`` are the ids of the groups the run is publishing: an outcome may name
    one of them before the match state records it (a first run, ``-rematch``).
    """
    known = group_ids(published_groups(ctx)) | set(groups)
    log = build_log(read_logs(ctx), taxonomy, session_settings(ctx), now=now, known_groups=known)
    return outcome_statuses(log.outcomes)


def write_export(ctx: Context, title: str, text: str, what: str) -> None:
    """Save a JSON export unless only its "generated" time would change."""
    ctx.wiki.save_json(title, json.loads(text), ctx.summary(f"update the {what} export"),
                       ignore=("generated",))


def sessions_job(ctx: Context) -> None:
    taxonomy = load_taxonomy(ctx)
    now = datetime.now(UTC)
    log = build(ctx, taxonomy, now)
    ctx.problems += len(log.problems)
    pages = ctx.config.pages
    outputs = {
        pages.resources: ("resources", render_resources(log, taxonomy)),
        pages.calendar: ("calendar", render_calendar(log, taxonomy, now)),
        pages.session_problems: ("session-problems", render_session_problems(log)),
    }
    exports = {
        ctx.config.export_page("sessions"): ("sessions", render_sessions_export),
        ctx.config.export_page("resources"): ("resources", render_resources_export),
    }
    current = ctx.wiki.read([*outputs, *exports])
    ctx.wiki.check_shutoff(ctx.config.bot.shutoff_page)
    for title, (section, content) in outputs.items():
        write_section(
            ctx, title, section, content, current[ctx.wiki.normalise(title)], "the session logs"
        )
    generated = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    for title, (what, render) in exports.items():
        write_export(ctx, title, render(log, generated), what)
    held, documented = len(log.held()), len(log.documented())
    ctx.report(
        f"{len(log.sessions)} sessions ({held} held, {documented} documented), "
        f"{len(log.resources)} resources, {len(log.outcomes)} outcomes, "
        f"{len(log.spaces)} other spaces"
    )


def main(*args: str) -> int:
    return run_job(JOB, args, sessions_job, __doc__)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
