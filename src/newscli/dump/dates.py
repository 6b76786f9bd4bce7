"""Every date the project reads or writes: dump timestamps, --since/--until, canonical bylines.

Kept in one module so that "what counts as a date" has a single answer. Byline
timestamps are parsed by a small tokenizer (never a guess: a field that does not
fit is an error with the reason); user filter dates fall back to python-dateutil.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newscli.errors import UsageError

MAX_TIMESTAMP_CHARS = 120  # longer than any real timestamp; bounds every step below


class TimestampError(ValueError):
    """A timestamp that cannot be read; str() is the one-line reason for the user."""


# Month names as written in dates, nominative and genitive, full and abbreviated.
# Stored accent-free and lowercase (see _fold), so 'fevrier' and 'février' both match.
_MONTHS_BY_LANG: dict[str, list[tuple[str, ...]]] = {
    "en": [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
           ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
           ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
           ("december", "dec")],
    "de": [("januar", "jänner", "jan"), ("februar", "feber", "feb"), ("märz", "maerz", "mär", "mrz"),
           ("april", "apr"), ("mai",), ("juni", "jun"), ("juli", "jul"), ("august", "aug"),
           ("september", "sep", "sept"), ("oktober", "okt"), ("november", "nov"),
           ("dezember", "dez")],
    "fr": [("janvier", "janv"), ("février", "févr", "fév"), ("mars",), ("avril", "avr"), ("mai",),
           ("juin",), ("juillet", "juil"), ("août",), ("septembre", "sept"),
           ("octobre", "oct"), ("novembre", "nov"), ("décembre", "déc")],
    "es": [("enero", "ene"), ("febrero", "feb"), ("marzo", "mar"), ("abril", "abr"), ("mayo", "may"),
           ("junio", "jun"), ("julio", "jul"), ("agosto", "ago"), ("septiembre", "setiembre", "sep", "sept"),
           ("octubre", "oct"), ("noviembre", "nov"), ("diciembre", "dic")],
    "it": [("gennaio", "gen"), ("febbraio", "feb"), ("marzo", "mar"), ("aprile", "apr"),
           ("maggio", "mag"), ("giugno", "giu"), ("luglio", "lug"), ("agosto", "ago"),
           ("settembre", "set"), ("ottobre", "ott"), ("novembre", "nov"), ("dicembre", "dic")],
    "pl": [("styczeń", "stycznia", "sty"), ("luty", "lutego", "lut"), ("marzec", "marca", "mar"),
           ("kwiecień", "kwietnia", "kwi"), ("maj", "maja"), ("czerwiec", "czerwca", "cze"),
           ("lipiec", "lipca", "lip"), ("sierpień", "sierpnia", "sie"),
           ("wrzesień", "września", "wrz"), ("październik", "października", "paź"),
           ("listopad", "listopada", "lis"), ("grudzień", "grudnia", "gru")],
    "uk": [("січень", "січня", "січ"), ("лютий", "лютого", "лют"), ("березень", "березня", "бер"),
           ("квітень", "квітня", "квіт"), ("травень", "травня", "трав"),
           ("червень", "червня", "черв"), ("липень", "липня", "лип"),
           ("серпень", "серпня", "серп"), ("вересень", "вересня", "вер"),
           ("жовтень", "жовтня", "жовт"), ("листопад", "листопада", "лист"),
           ("грудень", "грудня", "груд")],
    "ru": [("январь", "января", "янв"), ("февраль", "февраля", "фев", "февр"),
           ("март", "марта", "мар"), ("апрель", "апреля", "апр"), ("май", "мая"),
           ("июнь", "июня", "июн"), ("июль", "июля", "июл"), ("август", "августа", "авг"),
           ("сентябрь", "сентября", "сен", "сент"), ("октябрь", "октября", "окт"),
           ("ноябрь", "ноября", "ноя", "нояб"), ("декабрь", "декабря", "дек")],
}

# English full names: the one spelling format_timestamp writes.
_CANONICAL_MONTHS = [forms[0].capitalize() for forms in _MONTHS_BY_LANG["en"]]

# Words that sit between date parts and carry no value ('9 de diciembre de 2024',
# '15 août 2025 à 18h52', '2 января 2024 г.', '15 sierpnia 2025 o godz. 18:52').
_CONNECTORS = {
    "de", "del", "a", "à", "las", "la", "um", "uhr", "at", "on", "alle", "ore", "o", "godz",
    "г", "года", "р", "року", "в", "о", "об",
}


@lru_cache(maxsize=4096)  # every byline's words go through here; news repeats them
def _fold(word: str) -> str:
    """Lowercase, accent-free, without a trailing period: the key months are stored under."""
    word = unicodedata.normalize("NFKD", word.lower().rstrip("."))
    # Cyrillic й/ї decompose too; folding table and input identically keeps them distinct enough.
    return "".join(ch for ch in word if not unicodedata.combining(ch))


def _build_month_table() -> dict[str, int]:
    table: dict[str, int] = {}
    for months in _MONTHS_BY_LANG.values():
        for number, forms in enumerate(months, start=1):
            for form in forms:
                key = _fold(form)
                if table.setdefault(key, number) != number:  # a guard for future edits
                    raise AssertionError(f"month form {form!r} is ambiguous")
    return table


_MONTHS = _build_month_table()


def month_number(word: str) -> int | None:
    """The month a word names in any supported language (any case, accents optional)."""
    return _MONTHS.get(_fold(word))


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
    """_parse, or its error message; cached because the parser asks twice per byline."""
    try:
        return _parse(text)
    except TimestampError as exc:
        return str(exc)


def zone(name: str) -> ZoneInfo:
    """The IANA zone called `name`; a bad name is the user's mistake, so UsageError."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UsageError(f"unknown time zone '{name}' (use an IANA name such as Europe/Kyiv)") from None


def _parse(text: str) -> datetime | date:
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
    tokens = [t for t in re.split(r"[\s,]+", cleaned) if t and _fold(t) not in _CONNECTORS]
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
        raise TimestampError(f"day {d} does not exist in {_CANONICAL_MONTHS[mo - 1]} {year_text}") from None


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
        return f"{d.day} {_CANONICAL_MONTHS[d.month - 1]} {d.year:04d}"
    dt = datetime.fromisoformat(iso)
    # Fields, not strftime: this runs for every article parsed (the raw check).
    text = f"{dt.day} {_CANONICAL_MONTHS[dt.month - 1]} {dt.year:04d} {dt.hour:02d}:{dt.minute:02d}"
    if dt.second or dt.microsecond:
        text += f":{dt.second:02d}" + (f".{dt.microsecond:06d}" if dt.microsecond else "")
    if dt.tzinfo is not None:
        offset = dt.isoformat()[19:].lstrip(".0123456789")  # '+02:00' as isoformat writes it
        text += f" {offset}"
    return text


# --- user dates for --since / --until -------------------------------------------------

_RELATIVE = re.compile(r"(\d{1,5}) ?([dwmy])")
_USAGE_HINT = "use a date like 2025-08-15 or '15 August 2025', or an age like 7d, 2w, 3m, 1y, today, yesterday"


def parse_user_date(text: str, *, now: datetime, end_of_day: bool = False) -> datetime:
    """A --since/--until value as a datetime; a bare date means its end with end_of_day.

    Relative ages ('7d', '2w', '3m', '1y') count back from `now`; 'today' and
    'yesterday' are whole days. Anything unreadable is a UsageError.
    """
    cleaned = text.strip().lower()
    if not cleaned:
        raise UsageError(f"empty date: {_USAGE_HINT}")
    if cleaned in ("today", "yesterday"):
        day = now.date() - timedelta(days=1 if cleaned == "yesterday" else 0)
        return _day_bound(day, now.tzinfo, end_of_day)
    if cleaned == "now":
        return now
    rel = _RELATIVE.fullmatch(cleaned)
    if rel:
        n, unit = int(rel.group(1)), rel.group(2)
        from dateutil.relativedelta import relativedelta  # imported late: only --since/--until need it

        step = {"d": relativedelta(days=n), "w": relativedelta(weeks=n),
                "m": relativedelta(months=n), "y": relativedelta(years=n)}[unit]
        try:
            return now - step
        except (OverflowError, ValueError):
            raise UsageError(f"age '{text}' reaches before the year 1") from None
    try:  # dump-style dates in any of the eight languages first
        value = _parse(text)
    except TimestampError:
        return _dateutil(text, end_of_day)
    if isinstance(value, datetime):
        return value
    return _day_bound(value, None, end_of_day)


def _day_bound(day: date, tzinfo, end_of_day: bool) -> datetime:
    return datetime.combine(day, time.max if end_of_day else time.min).replace(tzinfo=tzinfo)


def _dateutil(text: str, end_of_day: bool) -> datetime:
    # Two different defaults tell us whether the user gave a time at all: if the
    # results differ, the time came from the default, so the value is a bare date.
    from dateutil import parser as _du_parser  # imported late: costs more than the rest of startup

    start = datetime(2000, 1, 1, 0, 0, 0, 0)
    end = datetime(2000, 1, 1, 23, 59, 59, 999999)
    try:
        early = _du_parser.parse(text, default=start)
        late = _du_parser.parse(text, default=end)
        probe = _du_parser.parse(text, default=datetime(2001, 2, 2))
        if probe.date() != early.date() or late.date() != early.date():
            raise ValueError("incomplete")  # a day, month or year from a default is a guess
    except (ValueError, OverflowError, TypeError):
        raise UsageError(f"cannot read date '{text}': {_USAGE_HINT}") from None
    if early.time() != late.time():
        return late if end_of_day else early
    return early
