"""Articles per published day, for `trend`: one query serves every unit and every bucket.

The whole archive is counted from `day_counts`, which the index keeps up as rows go in and out
(rows.py, prune.py): a few thousand rows instead of a million. At 980,037 articles the
walk of the published index one day at a time that this replaced took 0.15 s of CPU, and
`trend --by week` 0.31 s in all against its 0.25 s target. Anything filtered is counted by
grouping the matching rows by their day.
"""

from __future__ import annotations

from newscli.index.filters import Filters, with_aliases
from newscli.index.questions import MATCHES, where
from newscli.index.sync import Index
from newscli.index.syntax import to_fts


def per_day(index: Index, filters: Filters, query: str | None = None) -> dict[str | None, int]:
    """Articles per published day ('2025-08-15'; None for undated ones) that pass the filters
    and, when given, a search `query` besides the filters' own."""
    filters = with_aliases(filters, index.aliases)
    if query is None and filters == Filters():
        return {day or None: n for day, n in index.conn.execute("SELECT day, n FROM day_counts")}
    sql, params = where(filters)
    if query is not None:
        sql, params = f"{sql} AND {MATCHES}", params + [to_fts(query)]
    rows = index.conn.execute(
        f"SELECT substr(a.published, 1, 10), count(*) FROM articles a WHERE {sql} GROUP BY 1", params)
    return dict(rows.fetchall())
