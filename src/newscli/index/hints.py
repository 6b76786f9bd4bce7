"""What an answer cannot show by itself: an archive with no article, a filter value naming nothing.

An empty answer reads the same whether nothing matched or the question was mistyped (`--tag
Politk`, a wrong `--store`). These checks tell the two apart from the index alone: a tag is
one lookup in tag_counts, a source one seek in the source index, and only a miss pays for the
list of names to suggest from (tag_counts, or the distinct sources found seek by seek).
"""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

from newscli.archive.values import fold, tag_key
from newscli.index.filters import Filters, group, with_aliases
from newscli.index.sync import Index

MAX_SUGGESTIONS = 3
_CUTOFF = 0.6  # difflib's default: 'politk'/'politik' 0.92, 'kyiv'/'kyiv post' 0.62


class Unknown(NamedTuple):
    """A filter value no article has; `near`: the closest names that some do, with counts."""

    kind: str  # 'tag', 'source' or 'language'
    value: str
    near: list[tuple[str, int]]


def holds_articles(index: Index) -> bool:
    return index.conn.execute("SELECT EXISTS (SELECT 1 FROM articles)").fetchone()[0] == 1


def unknown_values(index: Index, filters: Filters) -> list[Unknown]:
    """Each value of --tag, --any-tag, --no-tag, --source, --lang, --label and --no-label that
    names nothing here; a name with aliases (archive/aliases.py) names something if any name
    of its group does."""
    found: list[Unknown] = []
    tags: dict[str, tuple[str, int]] = {}
    aliased = with_aliases(filters, index.aliases)
    typed = filters.tags + filters.any_tags + filters.no_tags
    for tag, names in dict(zip(typed, aliased.tags + aliased.any_tags + aliased.no_tags)).items():
        keys = [k for k in map(tag_key, group(names)) if k]
        if keys and not any(_tag_count(index, k) for k in keys):
            tags = tags or {k: (name, n) for k, name, n in index.conn.execute("SELECT key, name, n FROM tag_counts")}
            found.append(Unknown("tag", tag, [tags[k] for k in _closest(tag_key(tag), tags)]))
    if filters.source is not None and not any(_has(index, "source_key", fold(n)) for n in group(aliased.source)):
        sources = _sources(index)
        near = [(sources[k], _source_count(index, k)) for k in _closest(fold(filters.source), sources)]
        found.append(Unknown("source", filters.source, near))
    if filters.lang is not None and not _has(index, "lang", filters.lang.lower()):
        found.append(Unknown("language", filters.lang, _languages(index)))
    labels: dict[str, tuple[str, int]] | None = None
    for label in dict.fromkeys(filters.labels + filters.no_labels):
        labels = _labels(index) if labels is None else labels
        if tag_key(label) not in labels:
            found.append(Unknown("label", label, [labels[k] for k in _closest(tag_key(label), labels)]))
    return found


def _labels(index: Index) -> dict[str, tuple[str, int]]:
    """Your labels (archive/labels.py) with their article counts: a few, so all at once."""
    try:
        rows = index.conn.execute("SELECT key, min(name), count(*) FROM labels GROUP BY key")
    except sqlite3.OperationalError:  # no label was ever given: the table is made on first use
        return {}
    return {key: (name, n) for key, name, n in rows}


def _tag_count(index: Index, key: str) -> int:
    row = index.conn.execute("SELECT n FROM tag_counts WHERE key = ?", (key,)).fetchone()
    return row[0] if row else 0


def _has(index: Index, column: str, value: str) -> bool:
    # --lang has no index of its own (see schema.py): a miss scans the table, as the query does
    query = f"SELECT EXISTS (SELECT 1 FROM articles WHERE {column} = ?)"
    return index.conn.execute(query, (value,)).fetchone()[0] == 1


def _sources(index: Index) -> dict[str, str]:
    """Every source (folded key: name), found by seeking past each one in the source index (a
    skip scan): as many seeks as there are sources, however many articles each has."""
    sources: dict[str, str] = {}
    seek = ("SELECT source_key, source FROM articles INDEXED BY articles_source"
            " WHERE source_key > ? ORDER BY source_key LIMIT 1")
    try:
        row = index.conn.execute(seek, ("",)).fetchone()
        while row is not None:
            sources[row[0]] = row[1]
            row = index.conn.execute(seek, (row[0],)).fetchone()
    except sqlite3.OperationalError:  # the index is not there (an ingest deferred it): one scan
        sources = dict(index.conn.execute("SELECT source_key, min(source) FROM articles GROUP BY 1"))
    return sources


def _source_count(index: Index, key: str) -> int:
    return index.conn.execute("SELECT count(*) FROM articles WHERE source_key = ?", (key,)).fetchone()[0]


def _languages(index: Index) -> list[tuple[str, int]]:
    rows = index.conn.execute("SELECT lang, count(*) FROM articles WHERE lang != '' GROUP BY lang ORDER BY 2 DESC, 1")
    return [(lang, n) for lang, n in rows]


def _closest(wanted: str, keys) -> list[str]:
    """The keys most like `wanted` (both folded): those containing it, or contained in it, first
    ('kyiv' for 'kyiv post'), nearest in length first; then difflib's closest spellings."""
    within = sorted((k for k in keys if wanted in k or (len(k) >= 3 and k in wanted)),
                    key=lambda k: (abs(len(k) - len(wanted)), k))
    import difflib  # imported late: only a miss needs it

    # A ratio of 0.6 needs lengths within a factor of 3.3 of each other: cheaper to test first.
    near_length = [k for k in keys if len(wanted) * 0.3 <= len(k) <= len(wanted) * 3.4]
    close = difflib.get_close_matches(wanted, near_length, n=MAX_SUGGESTIONS, cutoff=_CUTOFF)
    return list(dict.fromkeys(within[:MAX_SUGGESTIONS] + close))[:MAX_SUGGESTIONS]
