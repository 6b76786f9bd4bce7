"""`trend`: how many articles match each query, per day, week, month or year, side by side.

Counts come from the index per published day and are summed into buckets here, so one
query serves every unit and every bucket of the range is present, zeros included. The
share of a bucket divides by the articles that pass the same filters without the series'
own query (as Media Cloud's and GDELT's normalised attention do).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from newscli.errors import UsageError
from newscli.index import days, periods
from newscli.index.filters import Filters
from newscli.index.sync import Index

CHART_BUCKETS = (20, 60)  # the default unit aims for a chart this many buckets long
MAX_BUCKETS = 20_000  # 55 years of days: beyond this, a longer unit says more
ALL_LABEL = "all articles"  # the label of the series with no query


@dataclass(frozen=True)
class Query:
    label: str
    text: str | None  # None: every article that passes the filters


@dataclass
class Series:
    query: Query
    counts: list[int]  # per bucket
    undated: int  # matching articles without a readable date: in no bucket

    @property
    def total(self) -> int:
        return sum(self.counts) + self.undated


@dataclass
class Trend:
    by: str
    starts: list[date]  # the first day of each bucket
    totals: list[int]  # articles per bucket that pass the filters, no series query
    undated_total: int
    series: list[Series]
    smooth: int = 1  # rolling mean over this many buckets (1: none)

    @property
    def labels(self) -> list[str]:
        return [periods.label(self.by, s) for s in self.starts]

    @property
    def total(self) -> int:
        return sum(self.totals) + self.undated_total

    def values(self, series: Series) -> list[tuple[float, float, float | None]]:
        """(count, total, share) per bucket, as rolling means over `smooth` buckets."""
        found = []
        for i in range(len(self.starts)):
            window = range(max(0, i - self.smooth + 1), i + 1)
            count = sum(series.counts[j] for j in window)
            total = sum(self.totals[j] for j in window)
            found.append((count / len(window), total / len(window), count / total if total else None))
        return found

    def rows(self) -> Iterator[dict]:
        """bucket, query, count, total, share: each bucket of each series, then the undated
        articles (bucket '') when there are any."""
        for series in self.series:
            for label, (count, total, share) in zip(self.labels, self.values(series)):
                yield _row(label, series.query.label, count, total, share, self.smooth > 1)
            if self.undated_total:
                share = series.undated / self.undated_total
                yield _row("", series.query.label, series.undated, self.undated_total, share, False)


def _row(bucket: str, label: str, count: float, total: float, share: float | None, smoothed: bool) -> dict:
    if not smoothed:
        count, total = int(count), int(total)
    else:
        count, total = round(count, 4), round(total, 4)
    return {"bucket": bucket, "query": label, "count": count, "total": total,
            "share": None if share is None else round(share, 6)}


def parse_queries(texts: list[str]) -> list[Query]:
    """'Label=query' or a bare query (its own label); none at all: one series of everything."""
    if not texts:
        return [Query(ALL_LABEL, None)]
    found = []
    for text in texts:
        label, sep, query = text.partition("=")
        if not sep or '"' in label or not label.strip() or not query.strip():
            label, query = text, text
        found.append(Query(" ".join(label.split()), query))
    seen: set[str] = set()
    for q in found:
        if q.label in seen:
            raise UsageError(f"two series are called '{q.label}': label them, as in 'Name=query'")
        seen.add(q.label)
    return found


def trend(index: Index, queries: list[Query], filters: Filters, by: str | None = None,
          smooth: int = 1) -> Trend:
    if by is not None and by not in periods.UNITS:
        raise UsageError(f"cannot count by '{by}': choose one of {', '.join(periods.UNITS)}")
    if smooth < 1:
        raise UsageError("--smooth takes a number of buckets, 1 or more")
    base = days.per_day(index, filters)
    per_query = [base if q.text is None else days.per_day(index, filters, q.text) for q in queries]
    first, last = _range(filters, base)
    by = by or choose_unit(first, last)
    starts = _starts(by, first, last)
    totals, undated_total = _bucketed(by, starts, base)
    series = [Series(q, *_bucketed(by, starts, days)) for q, days in zip(queries, per_query)]
    return Trend(by, starts, totals, undated_total, series, smooth)


def _range(filters: Filters, base: dict[str | None, int]) -> tuple[date | None, date | None]:
    dated = [day for day in base if day]
    first = filters.since.date() if filters.since else (_day(min(dated)) if dated else None)
    last = filters.until.date() if filters.until else (_day(max(dated)) if dated else None)
    if filters.since and filters.until is None and dated:
        last = max(_day(max(dated)), first)
    if filters.until and filters.since is None and dated:
        first = min(_day(min(dated)), last)
    return first, last


def _day(text: str) -> date:
    return date.fromisoformat(text)


def choose_unit(first: date | None, last: date | None) -> str:
    """The unit whose bucket count is nearest CHART_BUCKETS (the finer one on a tie)."""
    if first is None or last is None:
        return "day"
    low, high = CHART_BUCKETS

    def distance(unit: str) -> int:
        n = periods.how_many(unit, first, last)
        return low - n if n < low else max(n - high, 0)

    return min(periods.UNITS, key=distance)


def _starts(by: str, first: date | None, last: date | None) -> list[date]:
    if first is None or last is None or last < first:
        return []
    n = periods.how_many(by, first, last)
    if n > MAX_BUCKETS:
        raise UsageError(f"{first} to {last} is {n:,} {by}s, more than {MAX_BUCKETS:,}: "
                         f"count by a longer unit (--by) or narrow the dates (--since/--until)")
    return periods.starts(by, first, last)


def _bucketed(by: str, starts: list[date], days: dict[str | None, int]) -> tuple[list[int], int]:
    """Day counts summed into the buckets; the undated ones apart."""
    position = {start: n for n, start in enumerate(starts)}
    counts = [0] * len(starts)
    undated = 0
    for day, n in days.items():
        if not day:
            undated += n
            continue
        slot = position.get(periods.start_of(by, _day(day)))
        if slot is not None:  # (outside the range only when since/until cut it: never counted)
            counts[slot] += n
    return counts, undated


def bucket_bounds(by: str, label_start: date) -> tuple[datetime, datetime]:
    """The first and last moment of a bucket, as --since and --until would give them."""
    return (datetime.combine(label_start, datetime.min.time()),
            datetime.combine(periods.last_day(by, label_start), datetime.max.time()))
