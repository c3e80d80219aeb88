"""The text of a notice: the section, the log page and the export.

The messages are ``letsconnect-notice-*`` in the catalogue (``bot/i18n/<lang>.json``,
see :mod:`bot.i18n.catalogue`), formatted by :mod:`bot.i18n.format`: PLURAL with the
recipient's language's rules, GENDER left to the wiki.

Everything here is pure: messages and plain data in, text out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, Protocol

from bot.i18n import LANGUAGES, RTL
from bot.i18n.catalogue import Catalogue
from bot.i18n.choice import choose_language as choose_language  # one rule: bot/i18n/choice.py
from bot.i18n.format import MessageError, Param
from bot.i18n.problems import problem_text
from bot.i18n.words import join, number
from bot.limits import PER_ENTRY, brief
from bot.model import Problem
from bot.notices.decide import KINDS, WAIT_REASONS, Item, item_marker, section_marker
from bot.notices.state import NoticeState, Record
from bot.wikitext.tables import escape, page_link, render_table

PREFIX = "letsconnect-notice-"
#: The languages notices are written in (qqq is documentation, not a language).
LANGS = LANGUAGES  # the one list: bot/i18n/languages.json
#: What the bot adds after the footer: the signature, expanded when the page is saved.
SIGNATURE = "~~~~"
#: LEFT-TO-RIGHT MARK, put before the date in a right-to-left heading (see docs/notices.md,
#: "Right to left"): MediaWiki removes it from the section's anchor, an isolate it keeps.
LRM = "\u200e"

_GROUP_ID = re.compile(r"^\d{4}-\d{2}-\d{3,}$")
_BAD_TITLE = re.compile(r"[\[\]{}|#<>\x00-\x1f\x7f]")


def isolate(wikitext: str, direction: str = "") -> str:
    """Wikitext in ``<bdi>``: whatever its direction, it does not reorder what is around it
    (a user name in Arabic script in an English notice, a date in an Arabic one).
    ``direction`` "ltr" for what always reads left to right (ids, times)."""
    attribute = f' dir="{direction}"' if direction else ""
    return f"<bdi{attribute}>{wikitext}</bdi>"


def link_target(title: str) -> str:
    """A page title as a message's link target (``[[$2|label]]``): with a leading colon, so
    that a category or file title links instead of categorising or embedding."""
    clean = " ".join(str(title).replace("_", " ").split()).lstrip(":")
    if not clean or _BAD_TITLE.search(clean):
        raise MessageError(f"not a page title a link can point to: {title!r}")
    return ":" + clean


class Labels(Protocol):
    """What the text needs from the taxonomy (:class:`bot.taxonomy.Taxonomy`)."""

    def skill_label(self, skill_id: str, lang: str = "en") -> str: ...

    def language_name(self, code: str, lang: str = "en") -> str: ...


# --- message files ---------------------------------------------------------------------


class Messages(Catalogue):
    """The notices' messages (``letsconnect-notice-*``); English fills a missing one."""

    prefix = PREFIX


# --- the section -----------------------------------------------------------------------


@dataclass(frozen=True)
class TextSettings:
    """Pages and limits the text names."""

    task_page: str
    problems_page: str
    outcomes_page: str  # "/<round>" is appended
    outcome_template: str = "Let's Connect/Outcome"
    task: str = "letsconnect-notify"
    max_per_month: int = 2


@dataclass(frozen=True)
class Section:
    """One recipient's new talk-page section."""

    heading: str
    body: str
    summary: str
    lang: str

    def wikitext(self) -> str:
        return f"== {self.heading} ==\n{self.body}"


@dataclass(frozen=True)
class Recipient:
    """Who the section is for and what the text needs to know about them."""

    user: str  # the account whose talk page it is (after a rename)
    profile_page: str
    lang: str
    number: int  # this section's number in the month


class _Writer:
    def __init__(self, messages: Messages, labels: Labels, settings: TextSettings,
                 recipient: Recipient, names: Mapping[str, str]) -> None:
        self.m = messages
        self.labels = labels
        self.s = settings
        self.r = recipient
        self.lang = recipient.lang
        self.rtl = recipient.lang in RTL
        self.names = names

    def msg(self, key: str, *params: Param) -> str:
        return self.m.text(key, self.lang, self.r.user, *params)

    # labels and links

    def skill(self, skill_id: str) -> str:
        return escape(_label(lambda: self.labels.skill_label(skill_id, self.lang), skill_id))

    def language(self, code: str) -> str:
        return escape(_label(lambda: self.labels.language_name(code, self.lang), code))

    def join(self, parts: Sequence[str]) -> str:
        return self.m.raw("separator", self.lang).join(parts)

    def person(self, user: str) -> str:
        """A link to the person's talk page, under their current name (renames followed),
        isolated: a name in another script must not carry the punctuation around it."""
        name = self.names.get(user, user)
        return isolate(page_link(f"User talk:{name}", name))

    def group_id(self, group_id: str) -> str:
        """A group's id (2026-11-003), read left to right: in Arabic text its parts would
        otherwise come in reverse order."""
        return isolate(escape(group_id), "ltr")

    def date(self, iso_day: str) -> str:
        fmt = self.m.raw("date-format", self.lang)
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso_day) or "|" in fmt or "}" in fmt:
            return isolate(escape(iso_day), "ltr")
        return isolate(f"{{{{#time:{fmt}|{iso_day}|{self.lang}}}}}")

    def code(self, call: str) -> str:
        """A template call to copy: left to right in every notice; in a right-to-left one
        also on one line (a left-to-right run broken over two right-to-left lines shows its
        halves in the wrong order).  ``call`` is plain text: nowiki keeps it from the parser."""
        style = ' style="white-space:nowrap"' if self.rtl else ""
        return f'<code dir="ltr"{style}><nowiki>{call}</nowiki></code>'

    def outcome_code(self, group_id: str) -> str:
        group = group_id if _GROUP_ID.match(group_id) else escape(group_id)
        name = self.s.outcome_template.split(":", 1)[-1] if self.s.outcome_template.lower(
        ).startswith("template:") else self.s.outcome_template
        return self.code(f"{{{{{name}|group={group}|held=yes|summary=…}}}}")

    def outcomes_link(self, round_id: str) -> str:
        return link_target(f"{self.s.outcomes_page}/{round_id}")

    # items

    def item(self, item: Item) -> list[str]:
        kind = item.kind
        if kind == "match":
            lines = [self.match(item)]
        elif kind == "followup":
            lines = [self.followup(item)]
        elif kind == "invite":
            lines = [self.invite(item)]
        elif item.stale:
            lines = [self.stale(item)]
        else:
            lines = self.problems(item)
        lines[0] = f"* {lines[0]} {item_marker(item.id)}"
        return lines

    def match(self, item: Item) -> str:
        group = item.group
        assert group is not None
        skill = self.skill(group.skill)
        language = self.language(group.language)
        if item.user == group.sharer:
            learners = [self.person(u) for u in group.learners]
            text = self.msg("match-sharer", self.group_id(group.id), skill, self.join(learners),
                            language, len(learners))
        else:
            sharer = self.names.get(group.sharer, group.sharer)
            text = self.msg("match-learner", self.group_id(group.id), skill,
                            self.person(group.sharer), language, sharer)
            others = [self.person(u) for u in group.learners if u != item.user]
            if others:
                text += " " + self.msg("match-others", self.join(others), len(others))
        record = self.msg("match-record", self.outcomes_link(item.round),
                          self.outcome_code(group.id))
        return f"{text} {record}"

    def followup(self, item: Item) -> str:
        group = item.group
        assert group is not None
        return self.msg("followup", self.group_id(group.id), self.skill(group.skill), item.days,
                        self.outcomes_link(item.round), self.outcome_code(group.id))

    def invite(self, item: Item) -> str:
        session = item.session
        assert session is not None
        when = self.date(session.start.strftime("%Y-%m-%d"))
        if session.has_time:
            when += " " + isolate(f"{session.start:%H:%M} UTC", "ltr")
        languages = self.join([self.language(c) for c in session.languages])
        skills = self.join([self.skill(s) for s in item.skills])
        return self.msg("invite", when, isolate(escape(session.title)), languages, skills,
                        link_target(session.page))

    def problems(self, item: Item) -> list[str]:
        """The problems told (at most ``PER_ENTRY``, chosen by ``profile_items``, each cut
        short), then one line for the others: a notice stays small whatever the entry."""
        head = self.msg("profile", link_target(item.page), len(item.problems) + item.more,
                        link_target(self.s.problems_page))
        lines = [head]
        for problem in item.problems[:PER_ENTRY]:
            lines.append(f"** {self.problem(brief(problem))}")
        more = item.more + max(len(item.problems) - PER_ENTRY, 0)
        if more:
            lines.append(f"** {self.msg('profile-more', more)}")
        return lines

    def problem(self, problem: Problem) -> str:
        """One problem in the notice's language: the catalogue's message, the participant's
        values in it escaped (GENDER for the recipient left to the wiki).  In English, and
        for a problem that has no message key, its English text escaped whole (marked as
        English in a notice in another language)."""
        if self.lang == "en":
            return escape(problem.message)
        if not problem.key:
            return f'<span lang="en" dir="ltr">{escape(problem.message)}</span>'
        return problem_text(problem, self.lang, self.r.user, escape)

    def stale(self, item: Item) -> str:
        return self.msg("stale", link_target(item.page), self.date(item.since), item.days)

    # the section

    def about(self) -> str:
        return page_link(self.s.task_page, self.m.raw("about", self.lang))

    def optout_code(self) -> str:
        return self.code(f"{{{{bots|optout={self.s.task}}}}}")


def render_section(messages: Messages, labels: Labels, settings: TextSettings,
                   recipient: Recipient, items: Sequence[Item], stamp: datetime,
                   names: Mapping[str, str] | None = None) -> Section:
    """The new section for one recipient: heading, body (one list item per notice, each
    with its invisible marker) and the edit summary, in the recipient's language."""
    w = _Writer(messages, labels, settings, recipient, names or {})
    day = stamp.strftime("%Y-%m-%d")
    # A heading takes no markup (it is the anchor): a mark instead of <bdi>, and only where
    # the date follows right-to-left letters, which would reverse its parts.
    heading = w.msg("heading", LRM + day if w.rtl else day)
    lines = [section_marker(stamp), w.msg("intro", isolate(escape(recipient.user)), len(items))]
    for item in items:
        lines.extend(w.item(item))
    footer = w.msg("footer", link_target(recipient.profile_page), settings.max_per_month,
                   recipient.number, w.optout_code(), w.about())
    lines.append(f"{footer} {SIGNATURE}")
    direction = "rtl" if recipient.lang in RTL else "ltr"
    body = f'<div lang="{recipient.lang}" dir="{direction}">\n' + "\n".join(lines) + "\n</div>"
    summary = w.msg("summary", len(items), recipient.number, settings.max_per_month, w.about())
    return Section(heading=heading, body=body, summary=f"/* {heading} */ {summary}",
                   lang=recipient.lang)


def _label(lookup: Callable[[], str | None], fallback: str) -> str:
    try:
        return str(lookup() or fallback)
    except (KeyError, LookupError, ValueError, AttributeError):
        return fallback


# --- the log page (in every language of the program) and the export ----------------------


class LogMessages(Catalogue):
    """The log page's messages (``letsconnect-noticelog-*``)."""

    prefix = "letsconnect-noticelog-"


@cache
def _log_messages() -> LogMessages:
    return LogMessages.load()


_UNSAFE_HEADING = re.compile(r"[\[\]{}|<>#]")


class _Log:
    """The words of the log page in one language: messages (trusted wikitext, so their
    parameters are escaped first), and on a right-to-left page what reads left to right
    (days, the month, group ids) and user names and titles isolated."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.rtl = lang in RTL

    def t(self, key: str, *params: Param) -> str:
        return _log_messages().text(key, self.lang, *params)

    def ltr(self, wikitext: str) -> str:
        return isolate(wikitext, "ltr") if self.rtl else wikitext

    def bdi(self, wikitext: str) -> str:
        return isolate(wikitext) if self.rtl else wikitext

    def number(self, n: int) -> str:
        return number(n, self.lang)

    def person(self, user: object) -> str:
        return self.bdi(page_link(f"User:{user or ''}", str(user or "")))

    def kind(self, kind: object) -> str:
        return self.t(f"kind-{kind}" if kind in KINDS else "kind-other")

    def about(self, kind: str, about: str) -> str:
        if kind in ("invite", "profile"):
            return self.bdi(page_link(about.split("#", 1)[0].rsplit("@", 1)[0]))
        return self.ltr(escape(about))

    def section_link(self, section: Mapping[str, Any]) -> str:
        page, heading = str(section.get("page", "")), str(section.get("heading", ""))
        label = self.t("section-link")
        link = page_link(page, label)
        if heading and not _UNSAFE_HEADING.search(heading) and link.startswith("[[:"):
            link = f"[[:{page}#{heading}|{label}]]"
        revid = int(section.get("revid", 0) or 0)
        return f"{link} ([[Special:Diff/{revid}|{self.t('diff-link')}]])" if revid else link

    def headers(self, *keys: str) -> list[str]:
        return [self.t(f"column-{key}") for key in keys]


def month_sections(state: NoticeState, month: str) -> list[Record]:
    return [s for s in state.sections if str(s.get("stamp", "")).startswith(month)]


def render_log(state: NoticeState, month: str, lang: str = "en") -> str:
    """The month's log in ``lang``: every section sent (date, participant, kinds, link), what
    waits and what expired."""
    w = _Log(lang)
    sections = month_sections(state, month)
    counts: dict[str, int] = {}
    for section in sections:
        for item_id in section.get("items", []):
            kind = item_id.split(":", 1)[0]
            counts[kind] = counts.get(kind, 0) + 1
    people = {s.get("user") for s in sections}
    kinds = join([w.t(f"count-{k}", w.number(counts[k])) for k in KINDS if k in counts],
                 lang) or w.t("no-items")
    parts = [w.t("summary", w.number(len(sections)), w.number(len(people)),
                 w.ltr(escape(month)), kinds)]
    if sections:
        rows = [[w.ltr(escape(str(s.get("stamp", ""))[:10])), w.person(s.get("user", "")),
                 join([w.kind(k) for k in s.get("kinds", [])], lang), w.section_link(s)]
                for s in sorted(sections, key=lambda s: (s.get("stamp", ""), s.get("user", "")))]
        parts.append(render_table(w.headers("date", "participant", "notices", "section"), rows))
    waiting = sorted(state.waiting.values(), key=lambda i: (i.get("since", ""), i.get("user", ""),
                                                            i.get("kind", "")))
    parts.append(f"=== {w.t('waiting-heading')} ===\n"
                 + w.t("waiting-count", w.number(len(waiting))))
    if waiting:
        rows = [[w.ltr(escape(i.get("since", ""))), w.person(i.get("user", "")),
                 w.kind(i.get("kind", "")), w.about(i.get("kind", ""), i.get("about", "")),
                 w.t(f"reason-{i.get('reason')}" if i.get("reason") in WAIT_REASONS
                     else "reason-other")]
                for i in waiting]
        parts.append(render_table(w.headers("since", "participant", "notice", "about", "why"),
                                  rows))
    closed = sorted((c for c in state.closed.values() if c.get("closed", "").startswith(month)),
                    key=lambda c: (c.get("closed", ""), c.get("user", "")))
    parts.append(f"=== {w.t('expired-heading')} ===\n"
                 + w.t("expired-count", w.number(len(closed))))
    if closed:
        rows = [[w.ltr(escape(c.get("closed", ""))), w.person(c.get("user", "")),
                 w.kind(c.get("kind", "")), w.about(c.get("kind", ""), c.get("about", ""))]
                for c in closed]
        parts.append(render_table(w.headers("day", "participant", "notice", "about"), rows))
    return "\n\n".join(parts) + "\n"


def render_export(state: NoticeState, month: str, generated: str,
                  not_delivered: Mapping[str, int]) -> Record:
    """The JSON export: the month's sections with their items, what waits, what expired,
    and how many items were not delivered by reason (names are not listed)."""
    sent = []
    for s in sorted(month_sections(state, month), key=lambda s: (s.get("stamp", ""),
                                                                 s.get("user", ""))):
        items = [{"id": i, "kind": i.split(":", 1)[0],
                  "about": state.sent.get(i, {}).get("about", "")} for i in s.get("items", [])]
        sent.append({"time": s.get("stamp", ""), "user": s.get("user", ""),
                     "page": s.get("page", ""), "lang": s.get("lang", ""),
                     "kinds": list(s.get("kinds", [])), "revid": s.get("revid", 0),
                     "items": items})
    waiting = [{"id": k, **v} for k, v in sorted(state.waiting.items())]
    expired = [{"id": k, **v} for k, v in sorted(state.closed.items())
               if str(v.get("closed", "")).startswith(month)]
    return {"schema": 1, "generated": generated, "month": month, "sent": sent,
            "waiting": waiting, "expired": expired,
            "not_delivered": dict(sorted(not_delivered.items()))}
