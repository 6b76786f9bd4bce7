"""What the index reads from the store and writes to its tables, below sync.py's bookkeeping.

Lines come from the store file by offset (or, for lines this process just appended, with
the values it stored them with: the same values without decoding JSON again); rows go to SQLite
in batches; a fingerprint of sampled blocks tells whether the indexed prefix is unchanged.
"""

from __future__ import annotations

import os
import sqlite3
import zlib
from collections.abc import Iterable, Iterator

from newscli.archive.records import IndexValues, Written
from newscli.archive.values import ingested_key
from newscli.index import candidates

BATCH = 2000  # records per executemany
_SAMPLE = 4096
_SAMPLES = 16
_CHUNK = 1 << 20

Row = tuple[IndexValues, str, int, int]  # (values, ingested_at, offset, length) of one line
Known = dict[int, tuple[bytes, IndexValues, str]]  # offset -> (line, values, ingested_at) we wrote


def known_lines(written: Iterable[Written], info: os.stat_result) -> Known:
    """Where the lines this process wrote are, in the file the index reads (`info`)."""
    known: Known = {}
    for w in written:
        if (w.dev, w.ino) != (info.st_dev, info.st_ino):
            continue  # written to a file since replaced: its offsets mean nothing here
        offset = w.start
        for line, values in zip(w.lines, w.values):
            known[offset] = (line, values, w.ingested)
            offset += len(line)
    return known


def insert_many(conn: sqlite3.Connection, batch: list[Row], rowid: int) -> tuple[int, int]:
    """Index lines with one statement per table; the next rowid, and how many lines were
    ignored because an earlier line holds their id.

    Rowids are given, so the rows INSERT OR IGNORE kept (a repeated id keeps its first
    line, as `show` does) are found again by range, and only they get text and tags.
    """
    if not batch:
        return rowid, 0
    first, rows, texts, signatures = rowid, [], [], []
    tags: dict[tuple[str, int], str] = {}  # (key, rowid) -> name
    files = _file_ids(conn, {row[0][6] for row in batch})
    for (id_, published, title_key, source, source_key, lang, file, title, body, names, signature), \
            ingested, offset, length in batch:
        rows.append((rowid, id_, offset, length, published, ingested_key(ingested), files[file],
                     title_key, source, source_key, lang))
        texts.append((rowid, title, body))
        if signature is not None:
            signatures.append((rowid, signature))
        for key, name in names:
            tags.setdefault((key, rowid), name)  # a tag repeated in one record: its first spelling
        rowid += 1
    conn.executemany(
        "INSERT OR IGNORE INTO articles (rowid, id, offset, length, published, ingested, file,"
        " title_key, source, source_key, lang) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    kept = conn.execute("SELECT count(*) FROM articles WHERE rowid >= ?", (first,)).fetchone()[0]
    if kept < len(rows):
        ours = {r for (r,) in conn.execute("SELECT rowid FROM articles WHERE rowid >= ?", (first,))}
        texts = [t for t in texts if t[0] in ours]
        signatures = [s for s in signatures if s[0] in ours]
        tags = {pair: name for pair, name in tags.items() if pair[1] in ours}
    conn.executemany("INSERT INTO fts (rowid, title, body) VALUES (?, ?, ?)", texts)
    # OR REPLACE: a row removed in place may have left its signature under a rowid used again.
    conn.executemany("INSERT OR REPLACE INTO signatures (article, signature) VALUES (?, ?)", signatures)
    if signatures and candidates.built(conn):  # else a bulk load: they come with the indexes at its end
        candidates.add(conn, first)
    conn.executemany("INSERT INTO tags (key, article, name) VALUES (?, ?, ?)",
                     [(key, article, name) for (key, article), name in tags.items()])
    _count_tags(conn, tags)
    conn.execute(  # the rows kept, by their day (INSERT OR IGNORE left out repeated ids)
        "INSERT INTO day_counts (day, n) SELECT coalesce(substr(published, 1, 10), ''), count(*)"
        " FROM articles WHERE rowid >= ? GROUP BY 1 ON CONFLICT (day) DO UPDATE SET n = n + excluded.n",
        (first,))
    return rowid, len(rows) - kept


def _file_ids(conn: sqlite3.Connection, names: set[str]) -> dict[str, int]:
    conn.executemany("INSERT OR IGNORE INTO files (name) VALUES (?)", [(name,) for name in names])
    marks = ", ".join("?" * len(names))
    return dict(conn.execute(f"SELECT name, rowid FROM files WHERE name IN ({marks})", list(names)))


def _count_tags(conn: sqlite3.Connection, tags: dict[tuple[str, int], str]) -> None:
    """Add a batch's tags to tag_counts: per key, how many and the smallest spelling, as
    count(*) and min(name) over the tags table would give."""
    per_key: dict[str, tuple[int, str]] = {}
    for (key, _), name in tags.items():
        n, lowest = per_key.get(key, (0, name))
        per_key[key] = (n + 1, min(lowest, name))  # str order is SQLite's: UTF-8 bytes, code points
    conn.executemany(
        "INSERT INTO tag_counts (key, n, name) VALUES (?, ?, ?)"
        " ON CONFLICT (key) DO UPDATE SET n = n + excluded.n, name = min(name, excluded.name)",
        [(key, n, name) for key, (n, name) in per_key.items()])


def complete_lines(fd: int, offset: int, lines: int, until: int | None = None) -> Iterator[tuple[int, int, bytes]]:
    """(start offset, line number, line) for each newline-terminated line from `offset` on,
    up to the end of the file or to the first line boundary at or after `until`."""
    pending = b""
    start = offset
    while until is None or start < until:
        chunk = os.pread(fd, _CHUNK, offset)
        if not chunk:
            return  # a last line without newline is an unfinished write: not ours to read yet
        offset += len(chunk)
        parts = (pending + chunk).split(b"\n")
        pending = parts.pop()
        for part in parts:
            lines += 1
            yield start, lines, part + b"\n"
            start += len(part) + 1
            if until is not None and start >= until:
                return


def fingerprint(fd: int, end: int) -> str:
    """CRC-32 and Adler-32 of sampled blocks of the first `end` bytes: spread out, plus the very end.

    It spots edits, it need not resist forgery; zlib loads in well under a millisecond where
    hashlib's OpenSSL costs every query ~4 ms of start-up."""
    head = str(end).encode()
    crc, adler = zlib.crc32(head), zlib.adler32(head)
    if end > 0:
        step = max(end // _SAMPLES, 1)
        starts = sorted({min(i * step, end - 1) for i in range(_SAMPLES)} | {max(end - _SAMPLE, 0)})
        for start in starts:
            block = os.pread(fd, min(_SAMPLE, end - start), start)
            crc, adler = zlib.crc32(block, crc), zlib.adler32(block, adler)
    return f"{crc:08x}{adler:08x}"
