"""`check`'s comparison of the index with the store: every indexed field of every record.

The index holds, per record, its id, where its line is, the published and ingest times, the
title and source keys, the source, the language and the tags; its full-text entry is the
title and the body. The id is the hash of title, source, published time and body, so a record
whose id, place and fields all match the index has the text the index was built from too:
comparing these is comparing everything the index knows. What differs is listed by field.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from newscli.archive.records import index_values
from newscli.archive.values import ingested_key
from newscli.archive.store import decode_line
from newscli.index.sync import session
from newscli.model import Problem

@dataclass(frozen=True)
class Finding:
    reason: str
    line: int | None = None  # None: about the index as a whole, not one store line
    movable: bool = True  # --repair moves this line aside; index findings are fixed by a rebuild


_FIELDS = ("published", "ingested", "title", "source", "source", "lang", "tags")


def _fields(record: dict) -> tuple:
    """The record's indexed fields, as the index stores them (index/rows.py)."""
    id_, published, title_key, source, source_key, lang, _, _, _, names, _ = index_values(record)
    tags: dict[str, str] = {}
    for key, name in names:
        tags.setdefault(key, name)  # a tag repeated in one record: its first spelling
    return (published, ingested_key(record.get("ingested_at")) or "", title_key, source, source_key, lang,
            frozenset(tags.items()))


def record_digest(record: dict) -> int:
    return hash(_fields(record))


def compare_index(store_path, fd: int, end: int, expected: dict[str, tuple[int, int, int]],
                  on_problem: Callable[[Problem], None] | None) -> list | None:
    """Findings about the index against the store's first `end` bytes (read through `fd`);
    None if the index describes another file than `fd` (the store was replaced meanwhile)."""
    # The session brings the index up to date first, as any query would; what still
    # disagrees afterwards is an index that missed a change (or was damaged).
    def about_the_index(problem: Problem) -> None:  # the store's own lines: check lists those itself
        if on_problem is not None and problem.file != str(store_path):
            on_problem(problem)

    with session(store_path, about_the_index) as index:
        mine, theirs = os.fstat(fd), os.fstat(index._fd)  # noqa: SLF001 - the file it describes
        if (mine.st_dev, mine.st_ino) != (theirs.st_dev, theirs.st_ino):
            return None
        state = index.conn.execute("SELECT offset FROM state").fetchone()
        bound = min(end, state[0] if state else 0)  # appended after the snapshot: not compared
        found: list = []
        seen: set[str] = set()
        for id_, offset, length, fields in _indexed(index.conn, bound, index.real):
            seen.add(id_)
            want = expected.get(id_)
            if want is None or want[0] >= bound:
                found.append(Finding(f"index: id {id_} is indexed but not in the store", movable=False))
            elif want[:2] != (offset, length):
                found.append(Finding(f"index: id {id_} points to the wrong place in the store", movable=False))
            elif want[2] != hash(fields):
                stored = _fields(decode_line(os.pread(fd, length, offset)))
                differ = sorted({_FIELDS[i] for i, (a, b) in enumerate(zip(stored, fields)) if a != b})
                found.append(Finding(f"index: id {id_} is stale: its {', '.join(differ)} differ from the "
                                     "store (`newscli reindex` rebuilds it)", movable=False))
    for id_ in sorted(k for k, v in expected.items() if v[0] < bound and k not in seen):
        found.append(Finding(f"index: stored id {id_} is missing from the index", movable=False))
    return sorted(found, key=lambda f: f.reason)


def _indexed(conn, bound: int, real) -> Iterator[tuple[str, int, int, tuple]]:
    """Every indexed record whose line starts before `bound`, with its fields as _fields gives
    and where its line is (`real`: a row's offset to the store's, past rm's cuts)."""
    tags = conn.execute("SELECT article, key, name FROM tags ORDER BY article")
    pending = next(tags, None)
    for rowid, id_, offset, length, *columns in conn.execute(
            "SELECT rowid, id, offset, length, published, ingested, title_key, source, source_key, lang"
            " FROM articles ORDER BY rowid"):
        mine = set()
        while pending is not None and pending[0] <= rowid:
            if pending[0] == rowid:
                mine.add((pending[1], pending[2]))
            pending = next(tags, None)
        if real(offset) < bound:
            yield id_, real(offset), length, (*columns[:1], columns[1] or "", *columns[2:], frozenset(mine))
