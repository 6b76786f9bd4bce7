"""Dump timestamps: reading a byline's timestamp in eight languages, writing the canonical one.

Parsed by a small tokenizer (never a guess: a field that does not fit is an error with the
reason). Reads the forms sites write: a weekday first ('Friday, 5 December 2026'), ordinals
('December 5th, 2026'), the time first ('12:00, 5 December 2026'), '18h52', '18.52 Uhr',
zone words ('CEST', '+0300'). The words it knows are in `datewords.py`, zones in `zones.py`;
--since/--until are `dates.py`'s.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timezone
from functools import lru_cache
from typing import NamedTuple

from newscli.dump.datewords import CANONICAL_MONTHS, CONNECTORS, closest_month, fold, month_number, weekday_number
from newscli.dump.zones import TimestampError, localize, offset, resolve, zone, zone_word
from newscli.errors import UsageError

MAX_TIMESTAMP_CHARS = 120  # longer than any real timestamp; bounds every step below
DATE_ORDERS = ("dmy", "mdy", "ymd")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class Reading(NamedTuple):
    """What the dump leaves open, as the user settled it: the zone of naive times (--tz) and
    the order of slash dates (--date-order)."""

    tz: str | None = None
    date_order: str | None = None

    def check(self) -> Reading:
        """Itself, once both settings are known good; UsageError before any input is read."""
        if self.tz is not None:
            zone(self.tz)
        if self.date_order is not None and self.date_order not in DATE_ORDERS:
            raise UsageError(f"unknown date order '{self.date_order}' (use dmy, mdy or ymd)")
        return self


_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?"
    r" ?(?:Z|([+-])(\d{2}):?(\d{2})(?::(\d{2}))?)?"
)
_NUMERIC = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(\d+)")
_YEAR_FIRST = re.compile(r"(\d{4})([./])(\d{1,2})\2(\d{1,2})")
_TIME = re.compile(r"(\d{1,2})[:h.](\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?")
_DAY = re.compile(r"(\d{1,2})(st|nd|rd|th|er|º|°|\.)?", re.IGNORECASE)
_YEAR = re.compile(r"\d+")
_AMPM = {"am": "am", "a.m.": "am", "pm": "pm", "p.m.": "pm"}
_COMMON = re.compile(r"(\d{1,2}) ([^\W\d_]+) (\d{4}) (\d{1,2}):(\d{2})")


def parse_timestamp(text: str, tz: str | None = None, date_order: str | None = None) -> str:
    """Read a dump timestamp and return it as ISO 8601 (read_timestamp without its note)."""
    return read_timestamp(text, Reading(tz, date_order))[0]


def read_timestamp(text: str, reading: Reading = Reading()) -> tuple[str, str | None]:
    """A dump timestamp as ISO 8601, and a note for the user or None.

    A naive timestamp stays naive unless `reading.tz` (an IANA name) is given; an explicit
    offset is kept. The note tells of a weekday that contradicts the date, or of an autumn
    hour that happened twice. Raises TimestampError with the precise reason, never guesses.
    """
    parsed = _parse_once(text, reading.date_order)
    if isinstance(parsed, str):
        raise TimestampError(parsed)
    value, note, ambiguous = parsed
    zone_note = None
    if ambiguous:
        value, zone_note = resolve(value, ambiguous, reading.tz)
    elif isinstance(value, datetime) and value.tzinfo is None and reading.tz:
        value, zone_note = localize(value, reading.tz)
    notes = [n for n in (note, zone_note) if n]
    return value.isoformat(), "; ".join(notes) or None


@lru_cache(maxsize=256)
def _parse_once(text: str, order: str | None) -> tuple[datetime | date, str | None, str | None] | str:
    """_read, or its error message; cached because the parser asks twice per byline."""
    try:
        return _read(text, order)
    except TimestampError as exc:
        return str(exc)


def parse_written(text: str, date_order: str | None = None) -> datetime | date:
    """A timestamp as written, to a datetime (naive or with its offset) or a date; TimestampError."""
    value, _note, ambiguous = _read(text, date_order)
    if ambiguous:
        resolve(value, ambiguous, None)  # raises: the word names several zones
    return value


def _read(text: str, order: str | None) -> tuple[datetime | date, str | None, str | None]:
    """(value, note, ambiguous zone word): the value naive, or with the offset written."""
    cleaned = text.replace("\xa0", " ").replace("\u202f", " ").strip()
    if not cleaned:
        raise TimestampError("empty timestamp")
    if len(cleaned) > MAX_TIMESTAMP_CHARS:
        raise TimestampError(f"timestamp longer than {MAX_TIMESTAMP_CHARS} characters")
    quick = _common(cleaned)
    return (quick, None, None) if quick is not None else _tokenized(cleaned, order)


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


def _tokenized(cleaned: str, order: str | None) -> tuple[datetime | date, str | None, str | None]:
    iso = _ISO.fullmatch(cleaned)
    if iso:
        y, mo, d, h, mi, s, frac, sign, oh, om, os_ = iso.groups()
        day = _make_date(int(y), int(mo), int(d), y)
        zoned = cleaned.endswith("Z") or sign
        if h is None:
            if zoned:
                raise TimestampError(f"offset without a time in '{cleaned}'")
            return day, None, None
        off = (offset(cleaned, sign, oh, om, os_) if sign else timezone.utc) if zoned else None
        return _combine(day, _make_time(h, mi, s, frac, None), off), None, None
    tokens = [t for t in re.split(r"[\s,]+", cleaned) if t and fold(t) not in CONNECTORS]
    weekday = tokens.pop(0) if _weekday_first(tokens) else None
    first_time = []  # the time, when it comes before the date
    if tokens and _TIME.fullmatch(tokens[0]) and not _NUMERIC.fullmatch(tokens[0]):
        ampm = len(tokens) > 1 and tokens[1].lower() in _AMPM
        first_time, tokens = tokens[: 1 + ampm], tokens[1 + ampm :]
        if tokens and _is_zone(tokens[0]):  # '12:00 CET, 5 December 2026'
            first_time.append(tokens.pop(0))
        if weekday is None and _weekday_first(tokens):
            weekday = tokens.pop(0)
    if not tokens:
        after = f" after the weekday '{weekday}'" if weekday else ""
        raise TimestampError(f"no date (day, month, year){after} in '{cleaned}'")
    day, rest = _date_part(tokens, cleaned, order)
    if first_time and rest and _TIME.fullmatch(rest[0]):
        raise TimestampError(f"two times in '{cleaned}'")
    clock, tzinfo = _time_part(first_time + rest, cleaned)
    note = None
    if weekday and weekday_number(weekday) != day.weekday():
        note = (f"'{weekday}' does not match {day.day} {CANONICAL_MONTHS[day.month - 1]} {day.year}, "
                f"a {WEEKDAY_NAMES[day.weekday()]}; the date is kept")
    if clock is None:
        if tzinfo is not None:
            raise TimestampError(f"offset without a time in '{cleaned}'")
        return day, note, None
    if isinstance(tzinfo, str):
        return _combine(day, clock, None), note, tzinfo
    return _combine(day, clock, tzinfo), note, None


def _is_zone(word: str) -> bool:
    try:
        zone_word(word)
        return True
    except TimestampError:
        return False


def _weekday_first(tokens: list[str]) -> bool:
    """A weekday name leads (not 'Mar' of 'Mar 5, 2026', which is March unless a month follows)."""
    if not tokens or weekday_number(tokens[0]) is None:
        return False
    return month_number(tokens[0]) is None or any(month_number(t) for t in tokens[1:3])


def _date_part(tokens: list[str], whole: str, order: str | None) -> tuple[date, list[str]]:
    """The date at the start of `tokens`; returns it and the tokens left for the time."""
    first = tokens[0]
    numeric = _NUMERIC.fullmatch(first)
    if numeric:
        a, sep, b, y = numeric.groups()
        day, month = _numeric_order(first, int(a), sep, int(b), order)
        return _make_date(_year(y), month, day, y), tokens[1:]
    year_first = _YEAR_FIRST.fullmatch(first)
    if year_first:  # 2025/08/15, 2025.08.15: nobody writes year, day, month
        y, _sep, mo, d = year_first.groups()
        return _make_date(int(y), int(mo), int(d), y), tokens[1:]
    if _DAY.fullmatch(first) and len(tokens) >= 3:  # 15 August 2025 / 15. März 2025 / 5th December 2026
        month = _month(tokens[1])
        return _make_date(_year(tokens[2]), month, _day(first), tokens[2]), tokens[3:]
    if not first[0].isdigit() and len(tokens) >= 3 and _DAY.fullmatch(tokens[1]):  # August 15, 2025
        month = _month(first)
        return _make_date(_year(tokens[2]), month, _day(tokens[1]), tokens[2]), tokens[3:]
    if not first[0].isdigit():
        _month(first)  # an unknown month word is the most useful thing to report
    raise TimestampError(f"no date (day, month, year) in '{whole}'")


def _numeric_order(text: str, a: int, sep: str, b: int, order: str | None) -> tuple[int, int]:
    """(day, month) of a numeric date. Dots and dashes are day first; a slash date is read in
    --date-order, or alone when only one order makes a date (08/15/2025)."""
    if sep != "/" or order == "dmy":
        return a, b
    if order == "mdy":
        return b, a
    if order == "ymd":
        raise TimestampError(f"date '{text}' does not start with the year (--date-order ymd)")
    if a <= 12 and b <= 12 and a != b:
        raise TimestampError(
            f"ambiguous date '{text}' ({a} {CANONICAL_MONTHS[b - 1]} or {b} {CANONICAL_MONTHS[a - 1]}?); "
            "say which with ingest --date-order dmy or --date-order mdy")
    return (b, a) if b > 12 else (a, b)


def _day(text: str) -> int:
    """The day of '5', '5.', '5th', '1er', '1º'; an English suffix must fit its number."""
    number, suffix = _DAY.fullmatch(text).groups()
    n = int(number)
    if suffix and suffix.lower() in ("st", "nd", "rd", "th"):
        right = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        if suffix.lower() != right:
            raise TimestampError(f"ordinal '{text}' does not fit its number (expected '{n}{right}')")
    return n


def _month(word: str) -> int:
    number = month_number(word)
    if number is not None:
        return number
    if weekday_number(word) is not None:
        raise TimestampError(f"'{word}' is a weekday where the month should be")
    close = closest_month(word)
    hint = f" (did you mean '{close}'?)" if close else " (expected a month name such as 'December')"
    raise TimestampError(f"unknown month '{word}'{hint}")


def _year(text: str) -> int:
    if not _YEAR.fullmatch(text) or len(text) != 4:
        raise TimestampError(f"year '{text}' is not a four-digit year")
    return int(text)


def _time_part(tokens: list[str], whole: str) -> tuple[time | None, timezone | str | None]:
    if not tokens:
        return None, None
    m = _TIME.fullmatch(tokens[0])
    if not m:
        raise TimestampError(f"unreadable time '{tokens[0]}' in '{whole}' (expected a time such as 18:52)")
    rest = tokens[1:]
    ampm = None
    if rest and rest[0].lower() in _AMPM:
        ampm = _AMPM[rest[0].lower()]
        rest = rest[1:]
    clock = _make_time(*m.groups(), ampm)
    if len(rest) == 2 and rest[1][:1] in "+-":  # 'UTC +3'
        rest = [rest[0] + rest[1]]
    if len(rest) > 1:
        raise TimestampError(f"unexpected '{' '.join(rest)}' after the time in '{whole}'")
    return clock, (zone_word(rest[0]) if rest else None)


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
