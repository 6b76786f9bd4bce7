"""Ingest runs (archive/batches.py) as the index sees them: how many of each run's articles
the archive still holds, for `info`."""

from __future__ import annotations

from newscli.archive.values import ingested_key
from newscli.index.sync import Index


def per_stamp(index: Index, stamps: list[str]) -> dict[str, int]:
    """How many articles the archive holds with each of these ingested_at stamps (ingest runs)."""
    keys = {stamp: ingested_key(stamp) for stamp in stamps}
    counts = dict(index.conn.execute(
        f"SELECT ingested, count(*) FROM articles WHERE ingested IN ({', '.join('?' * len(keys))})"
        " GROUP BY ingested", list(keys.values()))) if keys else {}
    return {stamp: counts.get(key, 0) for stamp, key in keys.items()}
