"""Articles per published day, for `trend`: one query serves every unit and every bucket.

The whole archive is counted day by day, with one count of the `articles_published` index's
range per day ('2025-08-15' <= published < '2025-08-16'), instead of grouping every row by
its day through a temporary B-tree: at 980,037 articles, 0.15 s of CPU instead of 0.42-0.55 s
(`trend --by week`'s target is 0.25 s). A range holds exactly the rows whose day it is; the
counts are used only when, with the undated ones, they add up to every article (a published
value outside the calendar, or a span too long to walk, takes the grouping query).
"""

from __future__ import annotations

from datetime import date, timedelta

from newscli.index.filters import Filters, with_aliases
from newscli.index.questions import _MATCHES, where
from newscli.index.sync import Index
from newscli.index.syntax import to_fts

MAX_WALKED_DAYS = 40_000  # ~110 years: beyond this the grouping query is quicker


def per_day(index: Index, filters: Filters, query: str | None = None) -> dict[str | None, int]:
    """Articles per published day ('2025-08-15'; None for undated ones) that pass the filters
    and, when given, a search `query` besides the filters' own."""
    filters = with_aliases(filters, index.aliases)
    if query is None and filters == Filters():
        walked = _walked(index)
        if walked is not None:
            return walked
    sql, params = where(filters)
    if query is not None:
        sql, params = f"{sql} AND {_MATCHES}", params + [to_fts(query)]
    rows = index.conn.execute(
        f"SELECT substr(a.published, 1, 10), count(*) FROM articles a WHERE {sql} GROUP BY 1", params)
    return dict(rows.fetchall())


def _walked(index: Index) -> dict[str | None, int] | None:
    """Every article's day, counted one day's index range at a time; None when that cannot
    account for every article."""
    conn = index.conn
    first, last = conn.execute("SELECT min(published), max(published) FROM articles").fetchone()
    found: dict[str | None, int] = {}
    if first is not None:
        try:
            day, end = date.fromisoformat(first[:10]), date.fromisoformat(last[:10])
        except ValueError:
            return None
        if (end - day).days > MAX_WALKED_DAYS:
            return None
        count = "SELECT count(*) FROM articles WHERE published >= ? AND published < ?"
        while day <= end:
            following = day + timedelta(days=1)
            n = conn.execute(count, (day.isoformat(), following.isoformat())).fetchone()[0]
            if n:
                found[day.isoformat()] = n
            day = following
    undated = conn.execute("SELECT count(*) FROM articles WHERE published IS NULL").fetchone()[0]
    if undated:
        found[None] = undated
    total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    return found if sum(found.values()) == total else None
