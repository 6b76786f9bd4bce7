"""User dates for --since / --until: dump-style dates, ages, and python-dateutil's forms.

The only module that imports python-dateutil. Dump timestamps are `timestamps.py`'s.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from newscli.dump.timestamps import TimestampError, parse_written
from newscli.errors import UsageError

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
        value = parse_written(text)
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
