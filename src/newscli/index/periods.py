"""Calendar buckets (day, ISO week, month, year) for the timelines of `stats` and `trend`.

A bucket is named by the date it starts on; its label is what users read and type
('2025-08-15', '2025-W33', '2025-08', '2025'). Published times are wall-clock, so a
bucket holds the articles whose date part falls between its first and last day.
"""

from __future__ import annotations

from datetime import date, timedelta

UNITS = ("day", "week", "month", "year")


def start_of(by: str, day: date) -> date:
    """The first day of the bucket holding `day`."""
    if by == "year":
        return day.replace(month=1, day=1)
    if by == "month":
        return day.replace(day=1)
    if by == "week":
        return day - timedelta(days=day.weekday())  # Monday, as ISO weeks start
    return day


def next_start(by: str, start: date) -> date:
    if by == "year":
        return start.replace(year=start.year + 1)
    if by == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=7 if by == "week" else 1)


def last_day(by: str, start: date) -> date:
    return next_start(by, start) - timedelta(days=1)


def how_many(by: str, first: date, last: date) -> int:
    """Buckets from the one holding `first` to the one holding `last`, by arithmetic."""
    if last < first:
        return 0
    if by == "year":
        return last.year - first.year + 1
    if by == "month":
        return (last.year - first.year) * 12 + last.month - first.month + 1
    days = (start_of(by, last) - start_of(by, first)).days
    return days // (7 if by == "week" else 1) + 1


def starts(by: str, first: date, last: date) -> list[date]:
    """Every bucket's first day from `first`'s bucket to `last`'s (call how_many first to bound it)."""
    found, start, end = [], start_of(by, first), start_of(by, last)
    while start <= end:
        found.append(start)
        if start == end:
            break  # (stepping past the last bucket of year 9999 would overflow)
        start = next_start(by, start)
    return found


def label(by: str, start: date) -> str:
    if by == "year":
        return f"{start.year:04d}"
    if by == "month":
        return start.isoformat()[:7]
    if by == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    return start.isoformat()


def parse_key(by: str, key: str) -> date:
    """The first day of the bucket named `key` in SQL's form ('2025', '2025-08', a Monday, a day)."""
    return date.fromisoformat({"year": f"{key}-01-01", "month": f"{key}-01"}.get(by, key))
