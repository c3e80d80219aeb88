"""The bot's memory of notices: what was sent, posted, held back and expired.

A JSON page in the bot's user space holds it (``NoticeState.as_json``); the
notify job reads it before deciding (:mod:`bot.notices.decide`) and records
every section it posts, every item found on a talk page that the state did not
know, every item that waits and every item that expired.  It keeps only what
can still matter (:meth:`NoticeState.prune`); past a few thousand participants
that is still more than one page holds, and the wiki edge keeps it in parts
(``bot.exports.split_collections``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bot.notices.decide import KINDS, Delivery, Held, Item, problem_keys

#: One remembered item or section: decoded JSON from the state page, read with ``.get``.
Record = dict[str, Any]

#: How long the state keeps what it needs: sent items of kinds that can recur only within
#: their windows, section records for the monthly count and log, closed items for the log.
KEEP_SENT_DAYS = {"match": 120, "followup": 120, "invite": 120, "profile": 800}
KEEP_SECTION_DAYS = 70


@dataclass
class NoticeState:
    """The bot's memory of notices (a JSON page in its user space).

    ``sent``: item id -> {user, to, kind, about, date, stamp[, problems]};
    ``sections``: the sections posted, for the monthly count and the log;
    ``waiting``: items held back that may still go out; ``closed``: items that
    waited and can no longer be sent (expired), kept a while for the log.
    """

    sent: dict[str, Record] = field(default_factory=dict)
    sections: list[Record] = field(default_factory=list)
    waiting: dict[str, Record] = field(default_factory=dict)
    closed: dict[str, Record] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> NoticeState:
        def mapping(key: str) -> dict[str, Record]:
            value = data.get(key, {})
            return {str(k): dict(v) for k, v in value.items() if isinstance(v, Mapping)} \
                if isinstance(value, Mapping) else {}

        sections = data.get("sections", [])
        return cls(
            sent=mapping("sent"),
            sections=[dict(s) for s in sections if isinstance(s, Mapping)]
            if isinstance(sections, list) else [],
            waiting=mapping("waiting"),
            closed=mapping("closed"),
        )

    def as_json(self) -> Record:
        return {
            "schema": 1,
            "sent": dict(sorted(self.sent.items())),
            "sections": sorted(self.sections, key=lambda s: (s.get("stamp", ""),
                                                             s.get("user", ""))),
            "waiting": dict(sorted(self.waiting.items())),
            "closed": dict(sorted(self.closed.items())),
        }

    def stamps_for(self, user: str) -> frozenset[str]:
        return frozenset(s.get("stamp", "") for s in self.sections if s.get("user") == user)

    def delivered_days(self) -> dict[str, date]:
        days = {}
        for item_id, entry in self.sent.items():
            try:
                days[item_id] = date.fromisoformat(str(entry.get("date", ""))[:10])
            except ValueError:
                continue
        return days

    def told_problems(self) -> dict[str, list[frozenset[str]]]:
        told: dict[str, list[frozenset[str]]] = {}
        for entry in self.sent.values():
            if entry.get("kind") == "profile" and entry.get("problems"):
                told.setdefault(str(entry.get("user")), []).append(
                    frozenset(entry["problems"]))
        return told

    def record_item(self, item: Item, to: str, stamp: str) -> None:
        entry: Record = {"user": item.user, "to": to, "kind": item.kind, "about": item.about,
                 "date": stamp[:10], "stamp": stamp}
        if item.kind == "profile" and not item.stale:
            entry["problems"] = sorted(problem_keys(item.problems))
        self.sent[item.id] = entry
        self.waiting.pop(item.id, None)

    def record_section(self, delivery: Delivery, stamp: str, heading: str, revid: int) -> None:
        for item in delivery.items:
            self.record_item(item, delivery.facts.talk.title, stamp)
        self.sections.append({
            "user": delivery.to, "page": delivery.facts.talk.title, "stamp": stamp,
            "heading": heading, "kinds": sorted({i.kind for i in delivery.items},
                                                key=KINDS.index),
            "items": [i.id for i in delivery.items], "revid": revid, "lang": delivery.lang,
        })

    def record_found(self, item: Item, talk_title: str, stamp: str, owner: str,
                     today: date, heading: str = "", lang: str = "") -> None:
        """An item whose marker is on the talk page though the state did not know it (a run
        stopped between posting and recording): remember it as sent, in its section."""
        if item.id in self.sent:
            return
        stamp = stamp or f"{today.isoformat()}T00:00:00Z"
        self.record_item(item, talk_title, stamp)
        if not any(s.get("stamp") == stamp and s.get("page") == talk_title
                   for s in self.sections):
            self.sections.append({"user": owner, "page": talk_title, "stamp": stamp,
                                  "heading": heading, "kinds": [], "items": [], "revid": 0,
                                  "lang": lang, "found": True})
        for section in self.sections:
            if section.get("stamp") == stamp and section.get("page") == talk_title:
                if item.id not in section["items"]:
                    section["items"].append(item.id)
                    section["kinds"] = sorted(set(section["kinds"]) | {item.kind},
                                              key=KINDS.index)

    def hold(self, held: Held, today: date) -> None:
        """Remember a waiting item (its first day of waiting is kept)."""
        if not held.waits:
            self.waiting.pop(held.item.id, None)
            return
        since = self.waiting.get(held.item.id, {}).get("since", today.isoformat())
        self.waiting[held.item.id] = {"user": held.item.user, "kind": held.item.kind,
                                      "about": held.item.about, "since": since,
                                      "reason": held.reason, "to": held.to}

    def close_missing(self, pending_ids: Collection[str], today: date) -> list[Record]:
        """Waiting items that are no longer due (expired, or their cause went away)."""
        closed = []
        for item_id in sorted(set(self.waiting) - set(pending_ids)):
            entry = dict(self.waiting.pop(item_id), closed=today.isoformat(),
                         reason="expired")
            if item_id not in self.sent:
                self.closed[item_id] = entry
                closed.append(entry)
        return closed

    def prune(self, today: date) -> None:
        """Forget what can no longer matter, so the page stays small."""
        def older(day: str, days: int) -> bool:
            try:
                return date.fromisoformat(day[:10]) < today - timedelta(days=days)
            except ValueError:
                return True

        def kept_days(entry: Record) -> int:
            return KEEP_SENT_DAYS.get(str(entry.get("kind")), 120)

        self.sent = {k: v for k, v in self.sent.items()
                     if not older(str(v.get("date", "")), kept_days(v))}
        self.sections = [s for s in self.sections
                         if not older(str(s.get("stamp", "")), KEEP_SECTION_DAYS)]
        self.closed = {k: v for k, v in self.closed.items()
                       if not older(str(v.get("closed", "")), KEEP_SECTION_DAYS)}
