"""Write the Let's Connect dashboard: how the program is doing against its targets.

Usage: letsconnect stats [-config:PATH] [global Pywikibot options]

Reads the profiles (as the directory job does), the session logs, outcomes
and spaces (as the sessions job does) and the coffee groups the match job
published, and writes between the bot's markers on the dashboard page:
  - the phase-1 targets, each with today's figure and whether it is met,
  - participants by region (count and share), countries and languages,
  - the skills most wanted and most shared, and the sharers wanted,
  - sessions held per month and participations, the documentation rate,
    coffees proposed and held,
  - hot topics: wanted skills with no clinic in the last six months.
The figures also go to a JSON export.  Only pages whose text changes are saved.

Options:
  -config:PATH  another configuration file (default config/letsconnect.yaml)
  -simulate     show the diff of every page that would change; save nothing
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from functools import partial

from bot.jobs.common import (
    Context,
    OptionValue,
    load_taxonomy,
    run_job,
    save_export,
    versions,
    write_section,
)
from bot.jobs.reads import MatchState, read_match_state, read_profiles, read_session_log
from bot.sessions.build import outcome_statuses
from bot.stats.compute import CoffeeGroup, StatsSettings, compute_dashboard, summary_lines
from bot.stats.pages import render_dashboard, render_dashboard_export

JOB = "stats"
OPTIONS: dict[str, OptionValue] = {}


def stats_settings(ctx: Context) -> StatsSettings:
    s = ctx.config.stats
    return StatsSettings(targets=dict(s.targets), ambassadors=s.ambassadors,
                         working_group=s.working_group)


def published_coffees(state: MatchState) -> list[CoffeeGroup]:
    """The published groups, round by round."""
    return [CoffeeGroup(round_id, g.id, g.sharer, g.skill)
            for round_id, groups in sorted(state.rounds.items()) for g in groups if g.id]


def stats_job(ctx: Context) -> None:
    taxonomy = load_taxonomy(ctx)
    now = datetime.now(UTC)
    directory = read_profiles(ctx, taxonomy, now).directory
    log = read_session_log(ctx, taxonomy, now)
    groups = published_coffees(read_match_state(ctx))
    dashboard = compute_dashboard(directory.active(), log, groups, outcome_statuses(log.outcomes),
                                  stats_settings(ctx), now=now)
    page = ctx.config.pages.dashboard
    export = ctx.config.export_page("dashboard")
    outputs = versions((page, "dashboard", partial(render_dashboard, dashboard, taxonomy)))
    current = ctx.wiki.read([*outputs, export])
    ctx.wiki.check_shutoff(ctx.config.bot.shutoff_page)
    for title, (section, content, lang) in outputs.items():
        write_section(ctx, title, section, content, current[ctx.wiki.normalise(title)],
                      "the directory and the session logs", lang)
    save_export(ctx, export, render_dashboard_export(dashboard, now.strftime(
        "%Y-%m-%dT%H:%M:%SZ")), "dashboard")
    for line in summary_lines(dashboard):
        ctx.report(line)


def main(*args: str) -> int:
    return run_job(JOB, args, stats_job, __doc__, OPTIONS)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
