"""Tell participants on their talk pages about new groups, clinics, follow-ups and profile problems.

Usage: letsconnect notify [-max-notices:N] [-date:YYYY-MM-DD] [-config:PATH] [global options]

Reads the profiles (as the directory job does), the session logs and the
groups the match job published, and works out what each participant should
hear about:
  - match     a new coffee group: the skill, the others and how to reach them,
              the common language, and where to record the outcome;
  - invite    a clinic on a skill they want, soon, in a language they speak;
  - followup  once, when no outcome was recorded some weeks after a match;
  - profile   problems in their profile (once per set of problems), or a stale one.
Each participant gets at most one new section per run on their user talk page
(following the redirect of a renamed user), holding all of their items, in
their language, signed, not minor, and at most notices.max_notices_per_month
sections a month; what is over the limit waits for a later run.

Nobody gets a notice whose profile says notify=no, who is quarantined, opted
out or blocked, whose talk page has {{nobots}}, {{bots|deny=...}} naming the
bot or {{bots|optout=...}} naming this task, or is in the opt-out category.
A protected talk page is reported and its notices wait.

Every item carries an invisible marker on the talk page and is recorded in
the bot's state page, and the talk page is read again just before posting (in
batches: one request for the next 10 talk pages, at most 10 seconds before each
notice; the edit is based on the revision read, so a change in between is
merged or refused, never overwritten): after a crash the next run sends what
was missing and nothing twice.  The shutoff page is read again with each batch,
so that it stops the run within 10 notices or 10 seconds; a block on the bot
stops the run at once.  The state page is saved at the end,
and every few minutes on a long run.  The month's log page lists every section
sent, and a JSON export lists the notices sent and waiting.

Options:
  -max-notices:N   post at most N sections in this run (a trial run)
  -date:YYYY-MM-DD plan as on that day (for trials with -simulate, and tests)
  -config:PATH     another configuration file (default config/letsconnect.yaml)
  -simulate        print every notice in full; post and save nothing
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

from bot.config import ConfigError
from bot.directory.build import Directory
from bot.jobs.common import (
    Context,
    OptionValue,
    load_taxonomy,
    run_job,
    versions,
    write_section,
)
from bot.jobs.reads import read_match_state, read_notice_state, read_profiles, read_session_log
from bot.matching.values import Group
from bot.model import Profile, TalkPage
from bot.notices.decide import (
    Decision,
    Delivery,
    Facts,
    Held,
    Item,
    NoticeSettings,
    by_talk_page,
    decide,
    followup_items,
    invite_items,
    match_items,
    profile_items,
    section_marker,
    stamp_text,
)
from bot.notices.state import NoticeState
from bot.notices.text import (
    Messages,
    Recipient,
    Section,
    TextSettings,
    choose_language,
    render_export,
    render_log,
    render_section,
)
from bot.sessions.build import outcome_statuses
from bot.sessions.model import SessionLog
from bot.taxonomy import Taxonomy
from bot.wiki.errors import EditConflict, PageTooBig, SaveRefused

JOB = "notify"
OPTIONS: dict[str, OptionValue] = {"max-notices": 0, "date": None}
#: Save the state at least this often (seconds) on a long run, so that one that dies
#: loses little; the markers on the talk pages cover the rest, so a run that dies
#: between two saves never sends a notice twice (the next run finds the markers).
SAVE_EVERY = 300.0
#: Talk pages read again in one request just before their notices (with the shutoff
#: page), and for how long (seconds) such a read counts as "just before": a shutoff
#: written during a run stops it within this many notices, or seconds.
RECHECK_BATCH = 10
RECHECK_FOR = 10.0


def notice_settings(ctx: Context) -> NoticeSettings:
    n = ctx.config.notices
    names = tuple(dict.fromkeys(
        name for name in (ctx.config.bot.name, ctx.wiki.username) if name))
    return NoticeSettings(
        max_per_month=n.max_notices_per_month,
        invite_days_before=n.invite_days_before,
        followup_after_days=n.followup_after_days,
        stale_after_days=ctx.config.directory.stale_after_days,
        bot_names=names,
        task=n.task,
        optout_category=n.optout_category,
    )


def text_settings(ctx: Context) -> TextSettings:
    return TextSettings(
        task_page=ctx.config.bot.task_page,
        problems_page=ctx.config.pages.problems,
        outcomes_page=ctx.config.notices.outcomes_page,
        outcome_template=ctx.config.templates.outcome,
        task=ctx.config.notices.task,
        max_per_month=ctx.config.notices.max_notices_per_month,
    )


def run_time(day: str | None) -> datetime:
    """Now, or the given day at the current time of day (each run keeps its own stamp)."""
    now = datetime.now(UTC).replace(microsecond=0)
    if not day:
        return now
    try:
        chosen = date.fromisoformat(day)
    except ValueError:
        raise ConfigError(f"-date:{day}: expected a day as YYYY-MM-DD") from None
    return datetime.combine(chosen, now.time(), UTC)


def language_of(profile: Profile) -> str:
    return choose_language(profile.lang, profile.languages)


@dataclass
class Run:
    """One run's working data, so the steps below stay small."""

    ctx: Context
    now: datetime
    settings: NoticeSettings
    text: TextSettings
    state: NoticeState
    taxonomy: Taxonomy
    messages: Messages
    names: dict[str, str] = field(default_factory=dict)  # old name -> new name (renames)
    not_delivered: Counter[str] = field(default_factory=Counter)
    sent_sections: int = 0
    sent_items: Counter[str] = field(default_factory=Counter)

    @property
    def month(self) -> str:
        return self.now.strftime("%Y-%m")

    @property
    def stamp(self) -> str:
        return stamp_text(self.now)

    def note(self, decision: Decision) -> None:
        """Put what a decision found and held into the state and the counts."""
        for item, title, stamp in decision.found:
            self.state.record_found(item, title, stamp, owner_of(title), self.now.date(),
                                    decision.found_heading.get(stamp, ""), decision.found_lang)
        for held in decision.held:
            self.state.hold(held, self.now.date())
            if not held.waits:
                self.not_delivered[held.reason] += 1
            if held.reason == "protected":
                self.ctx.problems += 1


def owner_of(talk_title: str) -> str:
    return talk_title.split(":", 1)[-1]


def gather_items(run: Run, directory: Directory, log: SessionLog, rounds: dict[str, list[Group]]
                 ) -> list[Item]:
    today = run.now.date()
    items = match_items(rounds, today)
    items += followup_items(rounds, outcome_statuses(log.outcomes), run.state.delivered_days(),
                            today, run.settings)
    items += invite_items(directory.profiles, log.sessions, run.now, run.settings)
    items += profile_items(directory.profiles, directory.problems, run.state.told_problems(),
                           run.settings)
    return items


def read_rounds(ctx: Context) -> dict[str, list[Group]]:
    state = read_match_state(ctx)
    for round_id in state.unreadable:
        ctx.report(f"round {round_id} in the match state cannot be read; skipped")
    return {round_id: list(groups) for round_id, groups in state.rounds.items()}


def facts_for(run: Run, title: str, items: list[Item], talks: dict[str, TalkPage],
              profiles: dict[str, Profile], blocked: set[str]) -> Facts:
    page = next(talks[i.user] for i in items if talks[i.user].title == title)
    owner = page.owner
    profile = profiles.get(owner) or next(
        (profiles[i.user] for i in items if i.user in profiles), None)
    return Facts(talk=page, profile=profile, blocked=owner in blocked,
                 stamps=run.state.stamps_for(owner))


def plan(run: Run, pending: list[Item], profiles: dict[str, Profile]) -> list[Delivery]:
    """Read every recipient's talk page (batched) and decide what each gets now."""
    ctx = run.ctx
    ctx.wiki.check_not_blocked()
    talks = ctx.wiki.talk_pages({i.user for i in pending}, run.settings.optout_category)
    for user, page in talks.items():
        if page.owner != user and not page.redirect:
            run.names[user] = page.owner
        if page.redirect:
            ctx.report(f"[[{page.asked}]] redirects where the bot cannot follow "
                       f"({page.redirect}); nothing is posted there")
    accounts = ctx.wiki.users({p.owner for p in talks.values()})
    blocked = {name for name, facts in accounts.items() if facts["blocked"]}
    deliveries = []
    for title, items in by_talk_page(pending, talks).items():
        facts = facts_for(run, title, items, talks, profiles, blocked)
        decision = decide(items, facts, run.month, run.settings, language_of)
        run.note(decision)
        if any(h.reason == "protected" for h in decision.held):
            ctx.report(f"[[{title}]] is protected: the bot may not edit it; the notices wait")
        for item, where, _ in decision.found:
            ctx.report(f"{item.id} for {item.user} was already on [[{where}]]; recorded")
        if decision.delivery is not None:
            deliveries.append(decision.delivery)
    return sorted(deliveries, key=lambda d: (d.to.casefold(), d.to))


def render(run: Run, delivery: Delivery) -> Section:
    profile = delivery.facts.profile
    recipient = Recipient(user=delivery.to, profile_page=profile.page if profile else "",
                          lang=delivery.lang, number=delivery.number)
    return render_section(run.messages, run.taxonomy, run.text, recipient, delivery.items,
                          run.now, run.names)


def compose(old: str, section: Section) -> str:
    base = old.rstrip()
    return (base + "\n\n" if base else "") + section.wikitext() + "\n"


def show(run: Run, delivery: Delivery, section: Section) -> None:
    """-simulate: the notice in full, as it would be posted."""
    run.ctx.wiki.out(f"\n--- would post on [[{delivery.facts.talk.title}]] "
                     f"({section.lang}, section {delivery.number} this month)\n"
                     f"summary: {section.summary}\n{section.wikitext()}")


@dataclass
class Rechecks:
    """The talk pages of the next notices, read again in one request just before they
    are posted (with the shutoff page and the bot's block status)."""

    run: Run
    upcoming: list[Delivery]
    pages: dict[str, TalkPage] = field(default_factory=dict)
    clock: str = ""
    read_at: float = 0.0

    def fresh(self, index: int) -> tuple[TalkPage, str]:
        """The talk page of ``upcoming[index]`` as it is now (read again when the batch
        holding it is older than :data:`RECHECK_FOR`), and the wiki's clock then."""
        asked = self.upcoming[index].facts.talk.asked
        if asked not in self.pages or time.monotonic() - self.read_at > RECHECK_FOR:
            batch = [d.facts.talk.asked for d in self.upcoming[index : index + RECHECK_BATCH]]
            cfg = self.run.ctx.config
            self.pages, self.clock = self.run.ctx.wiki.recheck_talks(
                cfg.bot.shutoff_page, batch, self.run.settings.optout_category)
            self.read_at = time.monotonic()
        return self.pages.pop(asked), self.clock


def deliver(run: Run, delivery: Delivery, rechecked: tuple[TalkPage, str]) -> Delivery | None:
    """Post one section on the talk page as just read again (``rechecked``: the page and
    the wiki's clock); None when nothing was posted.  When the page changed in between,
    it is read once more and the notice decided again."""
    ctx = run.ctx
    cfg = ctx.config
    fresh, started = rechecked
    for attempt in (1, 2):
        if attempt == 2:
            fresh, started = ctx.wiki.recheck_talk(
                cfg.bot.shutoff_page, delivery.facts.talk.asked, run.settings.optout_category)
        facts = replace(delivery.facts, talk=fresh)
        decision = decide(delivery.items, facts, run.month, run.settings, language_of)
        run.note(decision)
        ready = decision.delivery
        if ready is None:
            return None
        section = render(run, ready)
        ctx.wiki.claim()
        try:
            revid = ctx.wiki.post_talk(fresh, compose(fresh.text, section), section.summary,
                                       started, section_marker(run.now))
        except EditConflict:
            if attempt == 2:
                hold_all(run, ready, "conflict")
                ctx.problems += 1
                ctx.report(f"[[{fresh.title}]] kept changing; the notices wait")
                return None
            continue
        except PageTooBig as error:  # before SaveRefused, of which it is a kind
            hold_all(run, ready, "too-big")
            ctx.problems += 1
            ctx.report(str(error))
            return None
        except SaveRefused as error:
            hold_all(run, ready, "protected")
            ctx.problems += 1
            ctx.report(f"{error}; the notices wait")
            return None
        ctx.wiki.counters.changed += 1
        run.state.record_section(ready, run.stamp, section.heading, revid)
        return ready
    return None


def hold_all(run: Run, delivery: Delivery, reason: str) -> None:
    for item in delivery.items:
        run.state.hold(Held(item, reason, delivery.to), run.now.date())


def run_cap(ctx: Context) -> int | None:
    caps = [c for c in (ctx.options.number("max-notices"), ctx.config.bot.max_edits_per_run) if c]
    return min(caps) if caps else None


def send(run: Run, deliveries: Iterable[Delivery], save_state: Callable[[], None]) -> None:
    ctx = run.ctx
    cap = run_cap(ctx)
    upcoming = list(deliveries)
    rechecks = Rechecks(run, upcoming)
    saved_at = time.monotonic()
    for index, delivery in enumerate(upcoming):
        if cap is not None and run.sent_sections >= cap:
            hold_all(run, delivery, "run-cap")
            continue
        if ctx.wiki.simulate:
            show(run, delivery, render(run, delivery))
            done: Delivery | None = delivery
        else:
            done = deliver(run, delivery, rechecks.fresh(index))
        if done is None:
            continue
        run.sent_sections += 1
        run.sent_items.update(i.kind for i in done.items)
        if not ctx.wiki.simulate and time.monotonic() - saved_at > SAVE_EVERY:
            save_state()
            saved_at = time.monotonic()


def notify_job(ctx: Context) -> None:
    now = run_time(ctx.options.text("date"))
    taxonomy = load_taxonomy(ctx)
    state_title = ctx.config.state_page(JOB)
    run = Run(ctx=ctx, now=now, settings=notice_settings(ctx), text=text_settings(ctx),
              state=read_notice_state(ctx),
              taxonomy=taxonomy, messages=Messages.load())
    directory = read_profiles(ctx, taxonomy, now).directory
    log = read_session_log(ctx, taxonomy, now)
    items = gather_items(run, directory, log, read_rounds(ctx))
    pending = [i for i in items if i.id not in run.state.sent]
    expired = run.state.close_missing({i.id for i in pending}, now.date())
    profiles = {p.user: p for p in directory.profiles}
    deliveries = plan(run, pending, profiles)

    def save_state() -> None:
        ctx.wiki.save_json(state_title, run.state.as_json(),
                           ctx.summary("remember the notices sent"))

    send(run, deliveries, save_state)
    run.state.prune(now.date())
    if not ctx.wiki.simulate:
        ctx.wiki.check_shutoff(ctx.config.bot.shutoff_page, again=True)
        save_state()
    write_records(run)
    report(run, len(pending), expired)


def write_records(run: Run) -> None:
    """The month's log page and the JSON export."""
    ctx = run.ctx
    log_title = f"{ctx.config.notices.log_page}/{run.month}"
    export = ctx.config.export_page("notices")
    outputs = versions((log_title, "notices", partial(render_log, run.state, run.month)))
    current = ctx.wiki.read([*outputs, export])
    for title, (section, content, lang) in outputs.items():
        write_section(ctx, title, section, content, current[ctx.wiki.normalise(title)],
                      "the notices sent", lang)
    generated = run.now.strftime("%Y-%m-%dT%H:%M:%SZ")
    ctx.wiki.save_json(export, render_export(run.state, run.month, generated, run.not_delivered),
                       ctx.summary("update the notices export"), ignore=("generated",))


def report(run: Run, pending: int, expired: list[dict[str, Any]]) -> None:
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(run.sent_items.items())) or "no items"
    skipped = ", ".join(f"{k} {n}" for k, n in sorted(run.not_delivered.items())) or "none"
    posted = "would be posted" if run.ctx.wiki.simulate else "posted"
    run.ctx.report(
        f"{run.sent_sections} sections {posted} ({kinds}); {len(run.state.waiting)} items wait; "
        f"{len(expired)} expired; not delivered: {skipped}; {pending} items were pending"
    )


def main(*args: str) -> int:
    return run_job(JOB, args, notify_job, __doc__, OPTIONS)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
