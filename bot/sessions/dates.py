"""Dates and times as organisers write them, read into UTC.

ISO dates, day and month names in English, Spanish, French and Portuguese,
and numeric dates that can only mean one day; a time may carry an offset or
a tz database name.  Nothing raises: what cannot be read comes back as a
problem (code, value, details) for the caller to report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.taxonomy import normalise

#: What could not be read: the problem's code, the text, details for its message.
DateProblem = tuple[str, str, dict[str, str]]

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate((
    "january jan enero ene janvier janv janeiro",
    "february feb febrero février fevrier févr fevr fevereiro fev",
    "march mar marzo mars março marco",
    "april apr abril avril avr",
    "may mayo mai maio",
    "june jun junio juin junho",
    "july jul julio juillet juil julho",
    "august aug agosto août aout ago",
    "september sep sept septiembre setiembre septembre setembro set",
    "october oct octubre octobre outubro out",
    "november nov noviembre novembre novembro",
    "december dec diciembre dic décembre decembre déc dezembro dez",
), start=1):
    for _name in _names.split():
        _MONTHS[normalise(_name)] = _number
_WEEKDAYS = frozenset(normalise(w) for w in (
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs "
    "fri sat sun lunes martes miércoles jueves viernes sábado domingo lundi mardi mercredi "
    "jeudi vendredi samedi dimanche segunda terça quarta quinta sexta sábado domingo feira"
).split())
_FILLER = frozenset({"de", "of", "the", "le", "el", "at", "a", "à", "las", "los", "on", "du",
                     "do", "da"})

_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)(?:[T ](?=\d))?")
_YMD = re.compile(r"(?<!\d)(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?!\d)")
_NUMERIC = re.compile(r"(?<![\d:])(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})(?!\d)")
_DAY_MONTH = re.compile(r"(?<![\d:])(\d{1,2})(?:st|nd|rd|th|er|º|°|ª)?\.?\s*(?:de\s+)?"
                        r"([^\W\d_]{3,})\.?,?\s*(?:de\s+)?(\d{4})(?!\d)", re.IGNORECASE)
_MONTH_DAY = re.compile(r"([^\W\d_]{3,})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)",
                        re.IGNORECASE)
_YEAR_MONTH = re.compile(r"^\s*(?:(\d{4})-(\d{1,2})|([^\W\d_]{3,})\.?\s+(?:de\s+)?(\d{4}))\s*$",
                         re.IGNORECASE)
_TIME = re.compile(
    r"^(?P<h>\d{1,2})(?:\s*[:h.]\s*(?P<m>\d{2})|\s*(?P<hour_mark>h)(?![a-z]))?(?::\d{2})?"
    r"(?:\s*(?P<ampm>[ap]\.?\s?m\.?)(?![a-z]))?\s*(?P<zone>.*)$",
    re.IGNORECASE,
)
_OFFSET = re.compile(r"^(?:utc|gmt|ut)?\s*([+\-−–])\s*(\d{1,2})(?:\s*[:h.]?\s*(\d{2}))?$",
                     re.IGNORECASE)
_OFFSET_INSIDE = re.compile(r"(?:utc|gmt)\s*([+\-−–])\s*(\d{1,2})(?:\s*[:h.]?\s*(\d{2}))?(?!\d)",
                            re.IGNORECASE)
_TZ_NAME = re.compile(r"^[A-Za-z]+(?:/[A-Za-z0-9_+\-]+)+$")


@dataclass(frozen=True)
class When:
    """A parsed date and time, or why it could not be read."""

    start: datetime | None = None
    has_time: bool = False
    problems: tuple[DateProblem, ...] = ()  # (code, value, details)


def parse_when(date_text: str, time_text: str = "") -> When:
    """Read ``date=`` (which may carry a time) and ``time=``; the result is in UTC."""
    date_text, time_text = " ".join(date_text.split()), " ".join(time_text.split())
    if not date_text:
        return When(problems=(("no-date", "", {}),))
    day, rest, problem = _find_date(date_text)
    if day is None:
        return When(problems=(problem,) if problem else (("bad-date", date_text, {}),))
    clock_text = time_text or rest
    if not clock_text:
        return When(datetime(day.year, day.month, day.day, tzinfo=UTC), False)
    clock, problem = _parse_clock(clock_text, day)
    if clock is None:
        midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
        return When(midnight, False, (problem,) if problem else ())
    return When(clock, True)


def _find_date(text: str) -> tuple[date | None, str, DateProblem | None]:
    """The day in ``text``, what is left of the text (a time), or the problem."""
    for pattern, order in ((_ISO, "ymd"), (_YMD, "ymd"), (_DAY_MONTH, "dMy"),
                           (_MONTH_DAY, "Mdy"), (_NUMERIC, "nny")):
        found = pattern.search(text)
        if not found:
            continue
        rest = (text[: found.start()] + " " + text[found.end():]).strip()
        day = _day_from(found.groups(), order, text)
        if isinstance(day, tuple):
            return None, "", day
        if day is None:
            continue
        return day, _drop_words(rest), None
    month_only = _YEAR_MONTH.match(text)
    if month_only and (month_only[1] or normalise(month_only[3]) in _MONTHS):
        return None, "", ("incomplete-date", text, {})
    return None, "", ("bad-date", text, {})


def _day_from(parts: tuple[str, ...], order: str, text: str) -> date | DateProblem | None:
    """A date, None when the match is not a date after all, or a problem tuple."""
    if order == "ymd":
        year, month, day = (int(p) for p in parts)
    elif order in ("dMy", "Mdy"):
        day_s, name, year_s = parts if order == "dMy" else (parts[1], parts[0], parts[2])
        named = _MONTHS.get(normalise(name))
        if named is None:
            return None
        year, month, day = int(year_s), named, int(day_s)
    else:
        first, second, year = (int(p) for p in parts)
        if len(parts[2]) != 4:
            return ("bad-date", text, {})
        if first > 12 >= second:
            day, month = first, second
        elif second > 12 >= first:
            month, day = first, second
        elif first == second:
            day = month = first
        elif first <= 12 and second <= 12:
            earlier, later = _valid(year, second, first), _valid(year, first, second)
            if earlier and later:
                return ("ambiguous-date", text, {"first": _long(earlier),
                                                  "second": _long(later)})
            return ("bad-date", text, {})
        else:
            return ("bad-date", text, {})
    if not 2000 <= year <= 2100:
        return ("bad-date", text, {})
    found = _valid(year, month, day)
    return found if found else ("bad-date", text, {})


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _long(day: date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


def _drop_words(rest: str) -> str:
    words = [w for w in re.split(r"[\s,()]+", rest) if w]
    kept = [w for w in words if normalise(w) not in _WEEKDAYS | _FILLER]
    return " ".join(kept)


def _parse_clock(text: str, day: date) -> tuple[datetime | None, DateProblem | None]:
    cleaned = " ".join(re.sub(r"[()]", " ", text).split())
    words = cleaned.split(" ")
    while words and normalise(words[0]) in _FILLER | _WEEKDAYS:
        words = words[1:]
    cleaned = " ".join(words)
    found = _TIME.match(cleaned)
    if not found:
        return None, ("bad-time", text, {})
    hour, minute = int(found["h"]), int(found["m"] or 0)
    ampm = (found["ampm"] or "").replace(".", "").replace(" ", "").lower()
    has_separator = found["m"] is not None or found["hour_mark"] is not None
    zone_text = found["zone"].strip()
    if not (has_separator or ampm or zone_text):
        return None, ("bad-time", text, {})
    if ampm:
        if not 1 <= hour <= 12:
            return None, ("bad-time", text, {})
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59:
        return None, ("bad-time", text, {})
    local = datetime(day.year, day.month, day.day, hour, minute)
    return _in_zone(local, zone_text)


def _in_zone(local: datetime, zone_text: str) -> tuple[datetime | None, DateProblem | None]:
    key = zone_text.strip().rstrip(".").strip()
    if key.casefold() in ("", "z", "utc", "gmt", "ut", "zulu", "utc time", "hora utc",
                          "heure utc", "horário utc"):
        return local.replace(tzinfo=UTC), None
    found = _OFFSET.match(key) or _OFFSET_INSIDE.search(key)
    if found:
        sign = -1 if found[1] != "+" else 1
        hours, minutes = int(found[2]), int(found[3] or 0)
        if hours > 14 or minutes > 59:
            return None, ("unknown-timezone", zone_text, {})
        offset = timedelta(hours=hours, minutes=minutes) * sign
        return (local - offset).replace(tzinfo=UTC), None
    first = re.split(r"[\s/,;]+", key, maxsplit=1)[0].casefold()
    if first in ("z", "utc", "gmt", "ut"):
        return local.replace(tzinfo=UTC), None  # "14:00 UTC / 17:00 EAT"
    if _TZ_NAME.match(key):
        try:
            zone = ZoneInfo(key)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            return None, ("unknown-timezone", zone_text, {})
        return local.replace(tzinfo=zone).astimezone(UTC), None
    if re.fullmatch(r"[A-Za-z]{2,5}", key):
        return None, ("unknown-timezone", zone_text, {})
    return None, ("bad-time", zone_text, {})

