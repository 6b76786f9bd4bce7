"""Dump timestamps: reading a byline's timestamp in eight languages, writing the canonical one.

Parsed by a small tokenizer (never a guess: a field that does not fit is an error with the
reason). The words it knows are in `datewords.py`; --since/--until are `dates.py`'s.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newscli.dump.datewords import CANONICAL_MONTHS, CONNECTORS, fold, month_number
from newscli.errors import UsageError

MAX_TIMESTAMP_CHARS = 120  # longer than any real timestamp; bounds every step below


class TimestampError(ValueError):
    """A timestamp that cannot be read; str() is the one-line reason for the user."""


_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?"
    r" ?(Z|[+-]\d{2}:?\d{2}(?::\d{2})?)?"
)
_NUMERIC = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(\d+)")
_TIME = re.compile(r"(\d{1,2})[:h.](\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?")
_OFFSET = re.compile(r"(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?(?::(\d{2}))?")
_DAY = re.compile(r"(\d{1,2})\.?")
_YEAR = re.compile(r"\d+")
_AMPM = {"am": "am", "a.m.": "am", "pm": "pm", "p.m.": "pm"}
_COMMON = re.compile(r"(\d{1,2}) ([^\W\d_]+) (\d{4}) (\d{1,2}):(\d{2})")


def parse_timestamp(text: str, tz: str | None = None) -> str:
    """Read a dump timestamp and return it as ISO 8601.

    A naive timestamp stays naive unless `tz` (an IANA name) is given; an explicit
    offset is kept. Raises TimestampError with the precise reason, never guesses.
    """
    value = _parse_once(text)
    if isinstance(value, str):
        raise TimestampError(value)
    if isinstance(value, datetime) and value.tzinfo is None and tz:
        value = value.replace(tzinfo=zone(tz))
    return value.isoformat()


@lru_cache(maxsize=256)
def _parse_once(text: str) -> datetime | date | str:
    """parse_written, or its error message; cached because the parser asks twice per byline."""
    try:
        return parse_written(text)
    except TimestampError as exc:
        return str(exc)


def zone(name: str) -> ZoneInfo:
    """The IANA zone called `name`; a bad name is the user's mistake, so UsageError."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UsageError(f"unknown time zone '{name}' (use an IANA name such as Europe/Kyiv)") from None


def parse_written(text: str) -> datetime | date:
    """A timestamp as written, to a datetime (naive or with its offset) or a date; TimestampError."""
    cleaned = text.replace("\xa0", " ").replace("\u202f", " ").strip()
    if not cleaned:
        raise TimestampError("empty timestamp")
    if len(cleaned) > MAX_TIMESTAMP_CHARS:
        raise TimestampError(f"timestamp longer than {MAX_TIMESTAMP_CHARS} characters")
    quick = _common(cleaned)
    return quick if quick is not None else _tokenized(cleaned)


def _common(cleaned: str) -> datetime | None:
    """'15 August 2025 18:52', the shape nearly every byline has, in one step; None for any
    other text, or when a field is out of range (_tokenized explains what is wrong)."""
    common = _COMMON.fullmatch(cleaned)
    if common:
        day, word, year, hour, minute = common.groups()
        month = month_number(word)
        if month and int(hour) < 24 and int(minute) < 60:
            try:
                return datetime(int(year), month, int(day), int(hour), int(minute))
            except ValueError:
                pass
    return None


def _tokenized(cleaned: str) -> datetime | date:
    iso = _ISO.fullmatch(cleaned)
    if iso:
        y, mo, d, h, mi, s, frac, off = iso.groups()
        day = _make_date(int(y), int(mo), int(d), y)
        if h is None:
            if off:
                raise TimestampError(f"offset without a time in '{cleaned}'")
            return day
        clock = _make_time(h, mi, s, frac, None)
        return _combine(day, clock, _offset(off) if off else None)
    tokens = [t for t in re.split(r"[\s,]+", cleaned) if t and fold(t) not in CONNECTORS]
    if not tokens:
        raise TimestampError(f"no date in '{cleaned}'")
    day, rest = _date_part(tokens, cleaned)
    clock, tzinfo = _time_part(rest, cleaned)
    if clock is None:
        if tzinfo is not None:
            raise TimestampError(f"offset without a time in '{cleaned}'")
        return day
    return _combine(day, clock, tzinfo)


def _date_part(tokens: list[str], whole: str) -> tuple[date, list[str]]:
    """The date at the start of `tokens`; returns it and the tokens left for the time."""
    first = tokens[0]
    numeric = _NUMERIC.fullmatch(first)
    if numeric:
        a, sep, b, y = numeric.groups()
        if sep == "/" and int(a) <= 12 and int(b) <= 12 and a != b:
            raise TimestampError(f"ambiguous date '{first}' (day/month or month/day?)")
        day, month = (int(a), int(b))
        if sep == "/" and int(b) > 12:  # unambiguous US order such as 08/15/2025
            day, month = int(b), int(a)
        return _make_date(_year(y), month, day, y), tokens[1:]
    if _DAY.fullmatch(first) and len(tokens) >= 3:  # 15 August 2025 / 15. März 2025
        month = _month(tokens[1])
        return _make_date(_year(tokens[2]), month, int(first.rstrip(".")), tokens[2]), tokens[3:]
    if not first[0].isdigit() and len(tokens) >= 3 and _DAY.fullmatch(tokens[1]):  # August 15, 2025
        month = _month(first)
        return _make_date(_year(tokens[2]), month, int(tokens[1].rstrip(".")), tokens[2]), tokens[3:]
    if not first[0].isdigit() and len(tokens) >= 1:
        _month(first)  # an unknown month word is the most useful thing to report
    raise TimestampError(f"no date (day, month, year) in '{whole}'")


def _month(word: str) -> int:
    number = month_number(word)
    if number is None:
        raise TimestampError(f"unknown month '{word}'")
    return number


def _year(text: str) -> int:
    if not _YEAR.fullmatch(text) or len(text) != 4:
        raise TimestampError(f"year '{text}' is not a four-digit year")
    return int(text)


def _time_part(tokens: list[str], whole: str) -> tuple[time | None, timezone | None]:
    if not tokens:
        return None, None
    m = _TIME.fullmatch(tokens[0])
    if not m:
        raise TimestampError(f"unreadable time '{tokens[0]}' in '{whole}'")
    rest = tokens[1:]
    ampm = None
    if rest and rest[0].lower() in _AMPM:
        ampm = _AMPM[rest[0].lower()]
        rest = rest[1:]
    clock = _make_time(*m.groups(), ampm)
    tzinfo = None
    if rest:
        tzinfo = _offset(rest[0])
        rest = rest[1:]
    if rest:
        raise TimestampError(f"unexpected '{' '.join(rest)}' after the time in '{whole}'")
    return clock, tzinfo


def _make_date(y: int, mo: int, d: int, year_text: str) -> date:
    try:
        return date(y, mo, d)
    except ValueError:
        if not 1 <= mo <= 12:
            raise TimestampError(f"month {mo} does not exist") from None
        raise TimestampError(f"day {d} does not exist in {CANONICAL_MONTHS[mo - 1]} {year_text}") from None


def _make_time(h: str, mi: str, s: str | None, frac: str | None, ampm: str | None) -> time:
    hour, minute, second = int(h), int(mi), int(s or 0)
    micro = int((frac or "").ljust(6, "0") or 0)
    if ampm:
        if not 1 <= hour <= 12:
            raise TimestampError(f"hour {hour} does not exist on a 12-hour clock")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise TimestampError(f"time {h}:{mi}{':' + s if s else ''} does not exist")
    return time(hour, minute, second, micro)


def _offset(text: str) -> timezone:
    if text.upper() in ("Z", "UTC", "GMT"):
        return timezone.utc
    m = _OFFSET.fullmatch(text)
    if not m:
        raise TimestampError(f"unreadable time zone offset '{text}'")
    sign, hh, mm, ss = m.groups()
    delta = timedelta(hours=int(hh), minutes=int(mm or 0), seconds=int(ss or 0))
    if delta >= timedelta(hours=24):
        raise TimestampError(f"offset '{text}' is out of range")
    return timezone(-delta if sign == "-" else delta)


def _combine(day: date, clock: time, tzinfo: timezone | None) -> datetime:
    return datetime.combine(day, clock).replace(tzinfo=tzinfo)


def format_timestamp(iso: str) -> str:
    """The canonical byline form ('15 August 2025 18:52'); parse_timestamp reads it back exactly."""
    if "T" not in iso:
        d = date.fromisoformat(iso)
        return f"{d.day} {CANONICAL_MONTHS[d.month - 1]} {d.year:04d}"
    dt = datetime.fromisoformat(iso)
    # Fields, not strftime: this runs for every article parsed (the raw check).
    text = f"{dt.day} {CANONICAL_MONTHS[dt.month - 1]} {dt.year:04d} {dt.hour:02d}:{dt.minute:02d}"
    if dt.second or dt.microsecond:
        text += f":{dt.second:02d}" + (f".{dt.microsecond:06d}" if dt.microsecond else "")
    if dt.tzinfo is not None:
        offset = dt.isoformat()[19:].lstrip(".0123456789")  # '+02:00' as isoformat writes it
        text += f" {offset}"
    return text
