"""Compute and publish this round's learning–sharing groups.

Usage: letsconnect match [-round:YYYY-MM] [-rematch] [-config:PATH] [global options]

A round is a calendar month.  The first run of a round computes its groups
from the active participants (exactly, with a MILP solver) and publishes them
on the round's page with a JSON export.  Later runs of the same round keep
every published group as it is; newcomers only fill the capacity that is left.
Earlier rounds (kept in the bot's state page) prevent repeats and spread the
load over sharers.

Options:
  -round:YYYY-MM  the round to compute (default: this month)
  -rematch        forget this round's published groups and compute them anew
  -config:PATH    another configuration file (default config/letsconnect.yaml)
  -simulate       show what would change; save nothing
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from functools import partial

from bot.config import ConfigError
from bot.jobs.common import Context, OptionValue, load_taxonomy, run_job, versions, write_section
from bot.jobs.reads import read_match_state, read_outcome_statuses, read_profiles
from bot.matching.pages import render_round, render_round_export
from bot.matching.round import match_round
from bot.matching.values import MatchSettings, round_id_for

JOB = "match"
OPTIONS: dict[str, OptionValue] = {"round": None, "rematch": False}


def match_settings(ctx: Context) -> MatchSettings:
    m = ctx.config.matching
    return MatchSettings(
        max_group_size=m.max_group_size,
        learner_groups_per_round=m.learner_groups_per_round,
        no_repeat_rounds=m.no_repeat_rounds,
        weights=dict(m.weights),
    )


def choose_round(ctx: Context, now: datetime) -> str:
    value = ctx.options.text("round") or round_id_for(now.date())
    try:
        datetime.strptime(value, "%Y-%m")
    except ValueError:
        raise ConfigError(f"-round:{value}: expected a month as YYYY-MM") from None
    return value


def match_job(ctx: Context) -> None:
    now = datetime.now(UTC)
    round_id = choose_round(ctx, now)
    taxonomy = load_taxonomy(ctx)
    state_title = ctx.config.state_page(JOB)
    state = read_match_state(ctx)
    rematch = ctx.options.flag("rematch")
    for rid, error in sorted(state.unreadable.items()):
        if rid < round_id or (rid == round_id and not rematch):
            raise error
    history = state.history(round_id)
    published = [] if rematch else state.published(round_id)
    directory = read_profiles(ctx, taxonomy, now).directory
    result = match_round(
        directory.active(), round_id, match_settings(ctx), history=history, published=published
    )
    page = f"{ctx.config.pages.matches}/{round_id}"
    export = ctx.config.export_page(f"matches/{round_id}")
    statuses = read_outcome_statuses(ctx, taxonomy, now, [g.id for g in result.groups])
    outputs = versions((page, "matches", partial(render_round, result, taxonomy, statuses)))
    current = ctx.wiki.read([*outputs, export])
    ctx.wiki.check_shutoff(ctx.config.bot.shutoff_page)
    for title, (section, content, lang) in outputs.items():
        write_section(ctx, title, section, content, current[ctx.wiki.normalise(title)],
                      "the profiles and the recorded outcomes", lang)
    generated = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    ctx.wiki.save_json(
        export,
        json.loads(render_round_export(result, generated, taxonomy)),
        ctx.summary(f"groups of round {round_id}"),
        ignore=("generated",),
    )
    ctx.wiki.save_json(
        state_title,
        state.with_round(round_id, result.groups),
        ctx.summary(f"remember the groups of round {round_id}"),
    )
    ctx.report(
        f"round {round_id}: {len(result.groups)} groups ({len(published)} kept), "
        f"{result.placements} learners placed, {len(result.unmatched)} wishes open"
    )


def main(*args: str) -> int:
    return run_job(JOB, args, match_job, __doc__, OPTIONS)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
