"""Labels brought along: an `export -f jsonl` file carries each article's `labels`, and
ingesting it into another archive applies them there, so labels survive a merge.

Read after the ingest, from the same files (stdin cannot be read twice: its labels stay
behind). Only the records the archive now holds get them, one change per set of labels.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from newscli.archive.labels import check_name, record_change
from newscli.dump.records import looks_like_records
from newscli.errors import UsageError


def labels_in(path: str) -> dict[tuple[str, ...], list[str]]:
    """{labels: ids} of a records file; empty for a dump or a file without labels."""
    found: dict[tuple[str, ...], list[str]] = {}
    try:
        with open(path, "rb") as f:
            lines = (line for line in f if line.strip())
            first = next(lines, b"")
            if not looks_like_records(first.decode("utf-8", "replace")):
                return found
            for line in [first, *lines]:
                if b'"labels"' not in line:
                    continue  # cheap: most records of most exports have none
                try:
                    record = json.loads(line)
                    names = tuple(sorted({check_name(str(n)) for n in record.get("labels") or ()}))
                except (ValueError, AttributeError, TypeError, UsageError):
                    continue  # the ingest refused or took the record; a bad label is not brought
                if names and isinstance(record.get("id"), str):
                    found.setdefault(names, []).append(record["id"])
    except OSError:
        return found  # the ingest said why it could not read the file
    return found


def restore(store_path: Path, paths: Iterable[str], held: set[str] | None = None) -> int:
    """Apply the labels the records files carry to the articles the archive holds (`held`:
    those ids; None: ask the index); how many articles got labels."""
    wanted = {}
    for path in paths:
        for names, ids in labels_in(path).items():
            wanted.setdefault(names, []).extend(ids)
    if not wanted:
        return 0
    if held is None:
        from newscli.index import questions
        from newscli.index.filters import Filters
        from newscli.index.sync import session

        with session(store_path) as index:
            every = [i for ids in wanted.values() for i in ids]
            held = set(questions.select_ids(index, Filters(), every))
    done = set()
    for names, ids in wanted.items():
        mine = [i for i in ids if i in held]
        if mine:
            record_change(store_path, names, (), mine)
            done.update(mine)
    return len(done)


def carry_over(store_path: Path, renamed: dict[str, str]) -> int:
    """Give each new id the labels its old id had (`ingest --replace` stores a new reading
    under a new id); how many articles got labels. The old ids' changes stay in the log."""
    from newscli.archive.labels import labels_path, read_changes

    held: dict[str, set[str]] = {}
    for _, change in read_changes(labels_path(store_path)):
        for old in (i for i in change.ids if i in renamed):
            held[old] = (held.get(old, set()) | set(change.add)) - set(change.remove)
    grouped: dict[tuple[str, ...], list[str]] = {}
    for old, names in held.items():
        if names:
            grouped.setdefault(tuple(sorted(names)), []).append(renamed[old])
    for names, ids in grouped.items():
        record_change(store_path, names, (), ids)
    return sum(map(len, grouped.values()))
