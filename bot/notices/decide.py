"""Who gets which talk-page notice, and when: items, opt-outs, caps and ids.

Pure: profiles, groups, sessions, talk-page texts and the bot's state in;
plain decisions out.  The notify job reads and writes; this module decides.  What
was sent and what waits is remembered by :mod:`bot.notices.state`.

**Items.**  A notice section holds *items*, each about one thing:

* ``match``: a member of a coffee group of this round or the previous one;
* ``followup``: a member whose match notice went out ``followup_after_days``
  ago while the group has no recorded outcome (sent once, until twice that
  time has passed);
* ``invite``: an active learner who wants one of the skills of a planned
  session (a clinic, a regional or another open session; a coffee is not open)
  that starts within ``invite_days_before`` days, speaks one
  of its languages, accepts clinics (``formats``), is in its region (or the
  session is for every region) and is not one of its sharers;
* ``profile``: the owner of a profile with problems (once per set of
  problems; a set that only drops problems already told is not told again),
  or of a stale profile (once per stale revision).

Every item has a stable id (kind + a hash of what it is about and who gets
it), so the same fact never becomes two notices.

**Exactly once.**  The posted text carries an invisible marker per item
(``<!-- letsconnect-notice:ID -->``) and one per section
(``<!-- letsconnect-section:TIME -->``); the state remembers the same.  An
item whose marker is on the talk page, or that the state lists, is never sent
again; a section marker on the talk page counts against the monthly limit even
when the state lost it (a run killed between posting and recording).

**Who never gets a notice**, checked in this order: no profile; ``notify=no``;
a profile that is quarantined, opted out (no consent) or blocked (and, for
invitations, one that is not active); a blocked account; a talk page that
redirects somewhere the bot cannot follow; ``{{nobots}}``, ``{{bots|deny=…}}``
naming the bot, ``{{bots|allow=…}}`` not naming it, ``{{bots|optout=…}}``
naming the task (or ``all``); a talk page in the opt-out category.  A talk
page the bot may not edit (protected) is reported and its items wait.

**Caps.**  At most ``max_per_month`` sections a calendar month (UTC) per
recipient.  Items over the limit wait (``monthly-cap``) and go out with the
next section the limit allows; items that can no longer be sent when their
time has passed are reported as expired.  Nothing is dropped silently.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

from bot.limits import PER_ENTRY, brief
from bot.matching.values import Group, round_id_for
from bot.model import Problem, Profile, TalkPage
from bot.sessions.model import Session
from bot.wikitext.bots import bots_exclusion
from bot.wikitext.tables import normalise_user

#: Picks the language of a participant's notices.
Language = Callable[[Profile], str]

#: The kinds of item, in the order they appear in a section.
KINDS = ("match", "followup", "invite", "profile")
#: Problem codes that are not the owner's to fix or that a notice must not be about:
#: they make a profile quarantined, opted out, blocked or stale (stale has its own item).
NOT_TOLD = frozenset({"no-consent", "blocked", "stale", "untrusted", "no-such-user",
                      "bad-user-name"})
#: Profile statuses that may receive each kind of item.
RECEIVES = {
    "match": ("active", "stale"),
    "followup": ("active", "stale"),
    "invite": ("active",),
    "profile": ("active", "stale"),
}
#: Reasons an item is not sent now but may be later.
WAIT_REASONS = ("monthly-cap", "run-cap", "protected", "conflict", "too-big")

_ITEM_MARKER = re.compile(r"<!--\s*letsconnect-notice:([a-z]+:[0-9a-f]{16})\s*-->")
_SECTION_MARKER = re.compile(
    r"<!--\s*letsconnect-section:(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)\s*-->")
_HEADING = re.compile(r"^==(?!=)(.*?)==\s*$", re.MULTILINE)
#: ``[[Category:X]]`` puts a page in X; ``[[:Category:X]]`` only links to it.
_CATEGORY_LINK = re.compile(r"\[\[\s*category\s*:([^\]|]*)", re.IGNORECASE)


# --- settings and items ----------------------------------------------------------------


@dataclass(frozen=True)
class NoticeSettings:
    """What the working group may tune (config ``notices:``), plus names the rules need."""

    max_per_month: int = 2
    invite_days_before: int = 14
    followup_after_days: int = 21
    stale_after_days: int = 365
    bot_names: tuple[str, ...] = ("LetsConnectBot",)
    task: str = "letsconnect-notify"
    optout_category: str = "Category:Opted-out of message delivery"


@dataclass(frozen=True)
class Item:
    """One thing to tell one person."""

    kind: str
    user: str  # the recipient as the source names them
    about: str  # group id, session key, or profile page
    expires: str = ""  # ISO date; after it the item is not worth sending ("" = never)
    round: str = ""  # match, followup: the group's round
    group: Group | None = None
    session: Session | None = None
    skills: tuple[str, ...] = ()  # invite: the session's skills the recipient wants
    problems: tuple[Problem, ...] = ()  # profile: the problems told (the first PER_ENTRY)
    more: int = 0  # profile: the entry's other problems, counted, told once these are fixed
    stale: bool = False  # profile: about a stale profile, not about problems
    since: str = ""  # stale: the day of the last change by the owner
    days: int = 0  # followup: days since the match notice; stale: the stale limit
    page: str = ""  # profile: the profile page

    @property
    def key(self) -> str:
        """What the item is, in words; the id is its hash."""
        if self.kind == "profile" and self.stale:
            return f"stale|{self.user}|{self.about}"
        if self.kind == "profile":
            return "profile|" + self.user + "|" + "|".join(sorted(problem_keys(self.problems)))
        return f"{self.kind}|{self.about}|{self.user}"

    @property
    def id(self) -> str:
        digest = hashlib.sha1(self.key.encode("utf-8")).hexdigest()[:16]
        return f"{self.kind}:{digest}"

    def order(self) -> tuple[int, str, str]:
        return (KINDS.index(self.kind), self.about, self.id)


def problem_keys(problems: Iterable[Problem]) -> frozenset[str]:
    return frozenset(f"{p.page}|{p.code}|{p.field}|{p.value}" for p in problems)


def item_marker(item_id: str) -> str:
    return f"<!-- letsconnect-notice:{item_id} -->"


def section_marker(stamp: datetime) -> str:
    return f"<!-- letsconnect-section:{stamp_text(stamp)} -->"


def stamp_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def markers_in(text: str) -> set[str]:
    """The ids of the items whose marker is on a page."""
    return set(_ITEM_MARKER.findall(text or ""))


def sections_in(text: str) -> set[str]:
    """The time stamps of the bot's notice sections on a page."""
    return set(_SECTION_MARKER.findall(text or ""))


def section_heading(text: str, stamp: str) -> str:
    """The heading of the section whose marker carries ``stamp`` ("" when not found): a
    notice recovered after a crash is recorded as it was posted."""
    where = (text or "").find(f"letsconnect-section:{stamp} ")
    if not stamp or where < 0:
        return ""
    headings = _HEADING.findall(text[:where])
    return headings[-1].strip() if headings else ""


def marker_sections(text: str) -> dict[str, str]:
    """Item id -> the stamp of the section it is in (the nearest section marker before it;
    "" when none)."""
    marks = [(m.start(), "section", m.group(1)) for m in _SECTION_MARKER.finditer(text or "")]
    marks += [(m.start(), "item", m.group(1)) for m in _ITEM_MARKER.finditer(text or "")]
    found: dict[str, str] = {}
    current = ""
    for _, kind, value in sorted(marks):
        if kind == "section":
            current = value
        else:
            found.setdefault(value, current)
    return found


# --- making items ----------------------------------------------------------------------


def _month_end(round_id: str, months_later: int) -> date:
    year, month = int(round_id[:4]), int(round_id[5:7]) + months_later + 1
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, 1) - timedelta(days=1)


def previous_round(today: date) -> str:
    return round_id_for(today.replace(day=1) - timedelta(days=1))


def match_items(rounds: Mapping[str, Sequence[Group]], today: date) -> list[Item]:
    """Every member of every group of this round and the previous one."""
    items = []
    for round_id in (previous_round(today), round_id_for(today)):
        expires = _month_end(round_id, 1)
        for group in rounds.get(round_id, ()):
            for member in group.members:
                items.append(Item("match", member, group.id, expires.isoformat(),
                                  round=round_id, group=group))
    return items


def followup_items(rounds: Mapping[str, Sequence[Group]], statuses: Mapping[str, str],
                   delivered: Mapping[str, date], today: date,
                   settings: NoticeSettings) -> list[Item]:
    """Members told about a group ``followup_after_days`` ago whose group has no outcome.

    ``delivered`` maps match item ids to the day their notice went out; a member
    who never heard of the group is not asked how it went.
    """
    wait = timedelta(days=settings.followup_after_days)
    items = []
    for round_id, groups in rounds.items():
        for group in groups:
            if statuses.get(group.id) in ("held", "not held"):
                continue
            for member in group.members:
                told = delivered.get(Item("match", member, group.id).id)
                if told is None or today < told + wait or today > told + 2 * wait:
                    continue
                items.append(Item("followup", member, group.id, (told + 2 * wait).isoformat(),
                                  round=round_id, group=group, days=(today - told).days))
    return items


def _base(code: str) -> str:
    return (code or "").split("-")[0].lower()


def invite_items(profiles: Iterable[Profile], sessions: Iterable[Session], now: datetime,
                 settings: NoticeSettings) -> list[Item]:
    """Learners who want what a session soon to come teaches, in a language they speak."""
    horizon = now + timedelta(days=settings.invite_days_before)
    learners = [p for p in profiles if p.status == "active" and p.consent
                and "clinic" in p.formats and p.learn]
    items = []
    for session in sessions:
        if (session.status != "planned" or session.format == "coffee"
                or not session.upcoming(now) or session.start > horizon):
            continue
        spoken = {_base(c) for c in session.languages}
        sharers = {normalise_user(u) for u in session.sharers}
        for profile in learners:
            wanted = tuple(s for s in session.skills if s in profile.learn)
            if not wanted or profile.user in sharers:
                continue
            if not spoken & {_base(c) for c in profile.languages}:
                continue
            if session.region and session.region != profile.region:
                continue
            items.append(Item("invite", profile.user, session.key,
                              session.start.date().isoformat(), session=session,
                              skills=wanted))
    return items


def profile_items(profiles: Iterable[Profile], problems: Iterable[Problem],
                  told: Mapping[str, Sequence[frozenset[str]]],
                  settings: NoticeSettings) -> list[Item]:
    """Owners of profiles with problems they can fix, and of stale profiles.

    ``told`` maps a user to the problem sets already sent to them: a set that is
    no larger than one of those tells nothing new and is not sent.

    A notice tells the first ``PER_ENTRY`` problems (their quotes cut short) and counts
    the others: thousands of mistakes in one entry must not make a notice as long as a
    page.  The others are told when some of those are fixed (the first ones then differ).
    """
    by_user: dict[str, list[Problem]] = {}
    for problem in problems:
        if problem.user and problem.code not in NOT_TOLD:
            by_user.setdefault(problem.user, []).append(problem)
    items = []
    for profile in profiles:
        if profile.status not in RECEIVES["profile"] or not profile.consent:
            continue
        mine = sorted(by_user.get(profile.user, ()), key=lambda p: (p.page, p.field, p.code,
                                                                     p.value))
        shown = tuple(brief(p) for p in mine[:PER_ENTRY])
        keys = problem_keys(shown)
        if mine and not any(keys <= old for old in told.get(profile.user, ())):
            items.append(Item("profile", profile.user, profile.page, problems=shown,
                              more=len(mine) - len(shown), page=profile.page))
        if profile.status == "stale":
            items.append(Item("profile", profile.user, f"{profile.page}@{profile.revision}",
                              stale=True, since=profile.timestamp[:10], page=profile.page,
                              days=settings.stale_after_days))
    return items


# --- the {{bots}} convention -----------------------------------------------------------
# bots_exclusion() lives in bot/wikitext/bots.py (imported above) with the rules it follows.


def in_category(text: str, categories: Iterable[str], category: str) -> bool:
    """Whether the page is in ``category``: as the wiki says, or by a link in its own text
    (the wiki's category table may lag behind a fresh edit)."""
    wanted = category.split(":", 1)[-1].replace("_", " ").strip().casefold()
    listed = {c.split(":", 1)[-1].replace("_", " ").strip().casefold() for c in categories}
    if wanted in listed:
        return True
    visible = re.sub(r"<!--.*?(?:-->|$)", "", text or "", flags=re.DOTALL)
    return any(" ".join(m.replace("_", " ").split()).casefold() == wanted
               for m in _CATEGORY_LINK.findall(visible))


# --- talk pages and decisions ----------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """Everything a decision about one talk page needs."""

    talk: TalkPage
    profile: Profile | None
    blocked: bool
    stamps: frozenset[str]  # section stamps the state has for the recipient


@dataclass(frozen=True)
class Held:
    """An item not sent now: it waits (``reason`` in WAIT_REASONS) or is not delivered."""

    item: Item
    reason: str
    to: str = ""

    @property
    def waits(self) -> bool:
        return self.reason in WAIT_REASONS


@dataclass(frozen=True)
class Delivery:
    """One new section to post."""

    to: str  # the talk page's owner
    facts: Facts
    lang: str
    items: tuple[Item, ...]
    number: int  # the section's number in the month


@dataclass(frozen=True)
class Decision:
    delivery: Delivery | None = None
    held: tuple[Held, ...] = ()
    #: Items already on the talk page: (item, talk page, stamp of the section they are in).
    found: tuple[tuple[Item, str, str], ...] = ()
    #: For found items: their section's heading and the language it was written in.
    found_heading: dict[str, str] = field(default_factory=dict)
    found_lang: str = ""


def _profile_exclusion(profile: Profile | None, blocked: bool) -> str | None:
    if profile is None:
        return "no-profile"
    if not profile.notify:
        return "notify-no"
    if profile.status in ("quarantined", "opted-out", "blocked"):
        return profile.status
    if not profile.consent:
        return "opted-out"
    if blocked:
        return "blocked"
    return None


def talk_exclusion(talk: TalkPage, settings: NoticeSettings) -> str | None:
    """Why the talk page itself keeps notices away ("protected" only delays them)."""
    if talk.redirect:
        return f"talk-redirect-{talk.redirect}"
    reason = bots_exclusion(talk.text, settings.bot_names, settings.task)
    if reason:
        return reason
    if in_category(talk.text, talk.categories, settings.optout_category):
        return "optout-category"
    if not talk.can_edit:
        return "protected"
    return None


def month_stamps(facts: Facts, month: str) -> set[str]:
    """Sections in ``month`` (YYYY-MM) on the talk page or in the state."""
    return {s for s in set(facts.stamps) | sections_in(facts.talk.text) if s.startswith(month)}


def decide(items: Sequence[Item], facts: Facts, month: str, settings: NoticeSettings,
           language: Language | None = None) -> Decision:
    """What to do with one talk page's pending items.

    ``language(profile)`` picks the notice language (English when not given).
    Items whose marker is already on the page are ``found``, with their section's
    heading and language, so that the state records them as they were posted.
    """
    talk = facts.talk
    on_page = marker_sections(talk.text)
    ordered = sorted(items, key=Item.order)
    decision = _decide_new([i for i in ordered if i.id not in on_page], facts, month,
                           settings, language)
    found = tuple((i, talk.title, on_page[i.id]) for i in ordered if i.id in on_page)
    if not found:
        return decision
    return replace(decision, found=found,
                   found_heading={s: section_heading(talk.text, s) for _, _, s in found},
                   found_lang=_language(facts.profile, language))


def _language(profile: Profile | None, language: Language | None) -> str:
    return language(profile) if language and profile else "en"


def _decide_new(items: list[Item], facts: Facts, month: str, settings: NoticeSettings,
                language: Language | None) -> Decision:
    """The decision for items not yet on the talk page (in posting order)."""
    if not items:
        return Decision()
    talk = facts.talk
    reason = _profile_exclusion(facts.profile, facts.blocked)
    if reason is None:
        reason = talk_exclusion(talk, settings)
    if reason is not None:
        return Decision(held=tuple(Held(i, reason, talk.owner) for i in items))
    profile = facts.profile
    assert profile is not None
    allowed = [i for i in items if profile.status in RECEIVES[i.kind]]
    held = [Held(i, f"status-{profile.status}", talk.owner) for i in items if i not in allowed]
    if not allowed:
        return Decision(held=tuple(held))
    sent = month_stamps(facts, month)
    if len(sent) >= settings.max_per_month:
        held += [Held(i, "monthly-cap", talk.owner) for i in allowed]
        return Decision(held=tuple(held))
    delivery = Delivery(talk.owner, facts, _language(profile, language), tuple(allowed),
                        len(sent) + 1)
    return Decision(delivery=delivery, held=tuple(held))


def by_talk_page(items: Iterable[Item], talks: Mapping[str, TalkPage]) -> dict[str, list[Item]]:
    """Items grouped by the talk page they go to (a renamed user's old and new names meet)."""
    grouped: dict[str, list[Item]] = {}
    for item in items:
        talk = talks.get(item.user)
        if talk is not None:
            grouped.setdefault(talk.title, []).append(item)
    return dict(sorted(grouped.items()))
