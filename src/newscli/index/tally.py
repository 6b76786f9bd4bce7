"""Counts for `newscli saved`: each saved search's total, and how many of its articles came in
from a given moment on, both from one SQL statement per search, on one connection.

Nothing is kept between runs: every number is counted from the index as it is now.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

from newscli.index import questions
from newscli.index.filters import Filters, with_aliases
from newscli.index.sync import Index


def totals_and_new(index: Index, searches: Iterable[tuple[Filters, datetime | None]]) -> Iterator[tuple[int, int]]:
    """(total, new) for each (filters, new_from): `new` counts the matching articles ingested at
    or after `new_from` (what `count` gives with --ingested-since too); all of them when None."""
    for filters, new_from in searches:
        filters = with_aliases(filters, index.aliases)
        if new_from is None:
            total = questions.count(index, filters)
            yield total, total
            continue
        low = Filters(ingested_since=new_from).ingested_bounds[0]
        sql, params = questions.where(filters)
        # Rows passing `sql` already meet the search's own --ingested-since, if it has one, so
        # the CASE counts those ingested from the later of the two moments.
        yield tuple(index.conn.execute(
            f"SELECT count(*), count(CASE WHEN a.ingested >= ? THEN 1 END) FROM articles a WHERE {sql}",
            [low] + params).fetchone())
