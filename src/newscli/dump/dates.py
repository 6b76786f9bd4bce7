"""User dates for --since / --until: dump-style dates, ages, and python-dateutil's forms.

The only module that imports python-dateutil. Dump timestamps are `timestamps.py`'s.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from newscli.dump.datewords import month_number
from newscli.dump.timestamps import TimestampError, parse_written
from newscli.errors import UsageError

# --- user dates for --since / --until -------------------------------------------------

_RELATIVE = re.compile(r"(\d{1,5}) ?([dwmy])")
_USAGE_HINT = ("use a date like 2025-08-15 or '15 August 2025', a period like 2025, 2025-08, 2025-W33 or"
               " 'August 2025', or an age like 7d, 2w, 3m, 1y, today, yesterday")


def parse_user_date(text: str, *, now: datetime, end_of_day: bool = False) -> datetime:
    """A --since/--until value as a datetime; a bare date means its end with end_of_day, and
    so does a year, month or week (its last day's end; otherwise its first day's start).

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
    span = _period(cleaned, text)
    if span is not None:
        return _day_bound(span[1] if end_of_day else span[0], None, end_of_day)
    try:  # dump-style dates in any of the eight languages first
        value = parse_written(text)
    except TimestampError:
        return _dateutil(text, end_of_day)
    if isinstance(value, datetime):
        return value
    return _day_bound(value, None, end_of_day)


_YEAR = re.compile(r"\d{4}")
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_WEEK = re.compile(r"(\d{4})-?w(\d{1,2})")
_NAMED_MONTH = re.compile(r"([^\W\d_]+)\.?,? +(\d{4})")  # 'august 2025', 'серпень 2025', 'aug. 2025'


def _period(cleaned: str, text: str) -> tuple[date, date] | None:
    """The first and last day of a whole year, month or ISO week, as `stats` labels them
    ('2025', '2025-08', '2025-W33') or as a month is written ('August 2025' in any of the
    eight languages); None for any other text."""
    try:
        if _YEAR.fullmatch(cleaned):
            return date(int(cleaned), 1, 1), date(int(cleaned), 12, 31)
        named, numeric = _NAMED_MONTH.fullmatch(cleaned), _MONTH.fullmatch(cleaned)
        if named and month_number(named.group(1)):
            return _month_span(int(named.group(2)), month_number(named.group(1)))
        if numeric:
            return _month_span(int(numeric.group(1)), int(numeric.group(2)))
        week = _WEEK.fullmatch(cleaned)
        if week:
            monday = date.fromisocalendar(int(week.group(1)), int(week.group(2)), 1)
            return monday, monday + timedelta(days=6)
    except ValueError:
        raise UsageError(f"no such year, month or week: '{text}'") from None
    return None


def _month_span(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    return first, (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


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
