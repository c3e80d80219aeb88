"""What the four templates accept: parameter names and their aliases, the words of the
values that are one of a few (format, status, type, held), and the problem messages.
"""

from __future__ import annotations

from bot.taxonomy import normalise

PARAMS: dict[str, tuple[str, ...]] = {
    "session": ("id", "date", "time", "title", "format", "region", "languages", "interpretation",
                "skills", "sharers", "participants", "registration", "status", "summary",
                "nocat"),
    "resource": ("title", "link", "type", "languages", "skills", "session", "nocat"),
    "outcome": ("group", "session", "held", "date", "summary", "nocat"),
    "space": ("name", "organiser", "region", "topics", "languages", "link", "schedule", "nocat"),
}
ALIASES: dict[str, dict[str, str]] = {
    "session": {
        "when": "date", "datetime": "date", "start": "date", "day": "date",
        "time utc": "time", "start time": "time", "name": "title", "type": "format",
        "language": "languages", "interpreted languages": "interpretation",
        "interpretation languages": "interpretation", "skill": "skills", "topics": "skills",
        "topic": "skills", "sharer": "sharers", "speakers": "sharers", "presenters": "sharers",
        "participant count": "participants", "attendees": "participants",
        "registration link": "registration", "register": "registration", "signup": "registration",
        "sign up": "registration", "state": "status", "notes": "summary", "organizer": "sharers",
    },
    "resource": {
        "name": "title", "url": "link", "file": "link", "kind": "type", "format": "type",
        "language": "languages", "skill": "skills", "topics": "skills", "clinic": "session",
    },
    "outcome": {
        "coffee": "group", "group id": "group", "match": "group", "status": "held",
        "result": "summary", "notes": "summary", "clinic": "session", "when": "date",
    },
    "space": {
        "title": "name", "organizer": "organiser", "organisers": "organiser",
        "organizers": "organiser", "host": "organiser", "topic": "topics", "skills": "topics",
        "language": "languages", "url": "link", "when": "schedule",
    },
}
#: Parameters whose raw wikitext is read as a link target.
LINK_PARAMS = {"session": ("registration",), "resource": ("link", "session"),
               "outcome": ("session",), "space": ("link",)}

_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "format": {
        "clinic": ("clinic", "clinics", "learning clinic", "learning clinics", "clinica",
                   "clínica", "clinique", "عيادة", "workshop", "webinar", "taller", "atelier"),
        "coffee": ("coffee", "coffees", "tea", "coffee tea", "coffee or tea", "1 1", "one to one",
                   "cafe", "café", "cafecito", "thé", "cha", "chá", "قهوة"),
        "regional": ("regional", "regional session", "thematic", "thematic session",
                     "regional thematic", "sesion regional", "sessão regional",
                     "session régionale", "quarterly", "quarterly session"),
        "other": ("other", "otro", "otra", "autre", "outro", "outra"),
    },
    "status": {
        "planned": ("planned", "scheduled", "upcoming", "announced", "open", "registration open",
                    "previsto", "programado", "prevu", "prévu", "planifié", "planejado"),
        "held": ("held", "done", "took place", "happened", "completed", "complete", "finished",
                 "realizado", "realizada", "celebrado", "tenu", "tenue", "realisé", "réalisé",
                 "realizou se", "past"),
        "cancelled": ("cancelled", "canceled", "called off", "cancelado", "cancelada",
                      "annulé", "annule", "cancelled postponed"),
    },
    "type": {
        "recording": ("recording", "recordings", "video", "vídeo", "audio", "podcast",
                      "grabacion", "grabación", "enregistrement", "gravacao", "gravação"),
        "slides": ("slides", "slide", "slide deck", "deck", "presentation", "presentación",
                   "presentacion", "diapositivas", "diapositives", "présentation", "apresentação",
                   "apresentacao"),
        "document": ("document", "documents", "doc", "notes", "report", "pdf", "etherpad", "pad",
                     "documento", "rapport", "relatório", "relatorio", "minutes"),
        "guide": ("guide", "guides", "how to", "howto", "tutorial", "handbook", "manual", "guía",
                  "guia", "toolkit"),
        "other": ("other", "otro", "autre", "outro"),
    },
    "held": {
        "yes": ("yes", "y", "true", "1", "held", "done", "took place", "happened", "met", "sí",
                "si", "oui", "sim", "نعم", "realizado", "tenu"),
        "no": ("no", "n", "false", "0", "not held", "cancelled", "canceled", "did not happen",
               "didn t happen", "not met", "non", "não", "nao", "لا", "no realizado"),
    },
}
LOOKUP = {kind: {normalise(w): value for value, words in table.items() for w in words}
           for kind, table in _WORDS.items()}
GLOBAL_REGION = frozenset(normalise(w) for w in (
    "global", "all", "all regions", "worldwide", "international", "online", "movement",
    "mundial", "todas", "mondial", "toutes", "global online"))

#: The parameters of each problem's message, ``$2`` on (``$1`` is the reader): the message
#: is ``letsconnect-session-problem-<code>`` in the catalogue (``bot/i18n/<lang>.json``),
#: told in any language by :mod:`bot.i18n.problems`.  ``kind`` (session, resource,
#: outcome, space) and ``what`` (file, page) are words of the catalogue too:
#: ``letsconnect-session-problem-kind-<kind>``, ``letsconnect-session-problem-what-<what>``.
PROBLEM_PARAMS: dict[str, tuple[str, ...]] = {
    "unreadable-page": ("reason",),
    "no-date": (),
    "bad-date": ("value",),
    "ambiguous-date": ("value", "first", "second"),
    "incomplete-date": ("value",),
    "bad-time": ("value",),
    "unknown-timezone": ("value",),
    "unknown-format": ("value",),
    "unknown-status": ("value",),
    "status-not-updated": ("date",),
    "unknown-type": ("value",),
    "unknown-skill": ("value", "field", "hint"),
    "unknown-topic": ("value", "hint"),
    "unknown-language": ("value", "field", "hint"),
    "unknown-region": ("value", "hint"),
    "bad-participants": ("value",),
    "bad-sharer": ("value",),
    "no-title": ("kind", "used"),
    "no-name": (),
    "no-link": ("title",),
    "bad-link": ("value", "field"),
    "missing-page": ("what", "value", "field"),
    "unknown-session": ("value", "kind"),
    "which-session": ("kind",),
    "ambiguous-session": ("value",),
    "no-target": (),
    "unknown-group": ("value",),
    "bad-group": ("value",),
    "no-held": (),
    "bad-held": ("value",),
    "duplicate-parameter": ("field",),
    "unknown-parameter": ("value", "kind", "params", "hint"),
    "template-in-value": ("field", "value"),
}
#: The kinds of entry and of link target a message names (as words of the catalogue).
KINDS = ("session", "resource", "outcome", "space")
WHATS = ("file", "page")
