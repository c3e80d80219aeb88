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

MESSAGES: dict[str, str] = {
    "unreadable-page": "The bot could not read this page: {reason}. Nothing on it is used "
                       "until that is fixed: remove what is never closed and save again.",
    "no-date": "The session gives no date=, so it is not in the calendar. Write the date as "
               "YYYY-MM-DD (for example 2026-10-14).",
    "bad-date": "The date “{value}” is not understood, so the session is not in the calendar. "
                "Write it as YYYY-MM-DD (for example 2026-10-14).",
    "ambiguous-date": "The date “{value}” can be read as {first} or {second}. Write it as "
                      "YYYY-MM-DD so that everybody reads the same day.",
    "incomplete-date": "The date “{value}” has no day. Write the full date as YYYY-MM-DD once "
                       "the day is known.",
    "bad-time": "The time “{value}” is not understood; the session is listed with its date only. "
                "Write the time in UTC as HH:MM (for example 14:00).",
    "unknown-timezone": "The time zone “{value}” is not one the bot can convert (short names such "
                        "as IST or CST mean different zones in different places). Write the time "
                        "in UTC, or with an offset such as UTC+3; the session is listed with its "
                        "date only.",
    "unknown-format": "The format “{value}” is not one of: clinic, coffee, regional, other. It is "
                      "counted as other.",
    "unknown-status": "The status “{value}” is not one of: planned, held, cancelled. It is read "
                      "as planned.",
    "status-not-updated": "The session on {date} has passed but is still marked planned, so it "
                          "does not count as held. Set status=held (and add its resources) or "
                          "status=cancelled.",
    "unknown-type": "The type “{value}” is not one of: recording, slides, document, guide, "
                    "other. It is counted as other.",
    "unknown-skill": "The skill “{value}” in {field}= is not in the list of skills.{hint}",
    "unknown-topic": "The topic “{value}” is not a skill or an area the bot knows; it is listed "
                     "under other topics.{hint}",
    "unknown-language": "The language “{value}” in {field}= is not understood.{hint} Write a "
                        "language name or its code (for example Spanish or es).",
    "unknown-region": "The region “{value}” is not one of the Wikimedia regions.{hint} Leave "
                      "region= empty (or write global) for a space open to every region.",
    "bad-participants": "participants= should be a whole number of people; “{value}” is not "
                        "counted.",
    "bad-sharer": "“{value}” in sharers= cannot be a user name; write user names separated by "
                  "commas.",
    "no-title": "The {kind} gives no title=; it is listed as “{used}”.",
    "no-name": "The space gives no name=, so it is not listed. Add name=.",
    "no-link": "The resource “{title}” gives no link=, so readers cannot open it. Add the "
               "address of the recording, the file (File:Name.pdf) or the page.",
    "bad-link": "The link “{value}” in {field}= is not a web address (https://…), a file "
                "(File:…) or a page title, so it is not shown.",
    "missing-page": "The {what} “{value}” in {field}= does not exist on the wiki. Check the "
                    "spelling, or upload the file / create the page.",
    "unknown-session": "No session log matches session=“{value}”; the {kind} is kept without a "
                       "session. Write the title of the session's page.",
    "which-session": "This page logs several sessions, so the {kind} must say which one in "
                     "session= (the page title followed by #id, or the session's id).",
    "ambiguous-session": "session=“{value}” matches several sessions; add #id to say which one.",
    "no-target": "The outcome does not say which coffee group (group=, for example 2026-11-003) "
                 "or which session (session=) it is about, so it is not counted.",
    "unknown-group": "There is no coffee group “{value}” in the published rounds, so the outcome "
                     "is not counted. Copy the group id from the round page.",
    "bad-group": "“{value}” is not a group id; group ids look like 2026-11-003 (see the round "
                 "page).",
    "no-held": "The outcome does not say whether the meeting was held (held=yes or held=no), so "
               "it is not counted.",
    "bad-held": "held= should be yes or no; “{value}” is not counted.",
    "duplicate-parameter": "The parameter {field}= is given more than once; only the last one "
                           "counts. Keep just one.",
    "unknown-parameter": "The parameter “{value}” is not one the {kind} template understands, so "
                         "it is ignored.{hint} The parameters are: {params}.",
    "template-in-value": "The value of {field}= contains a template ({value}), which the bot "
                         "cannot read; it is ignored. Write plain text instead.",
}
