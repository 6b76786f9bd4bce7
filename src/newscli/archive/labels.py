"""Your own tags (labels): an append-only log beside the store, data as the store is.

`articles.jsonl.labels` holds one JSON object per change, `{"at": ..., "add": [...],
"remove": [...], "ids": [...]}`, applied in order. A log rather than a field in the store:
tagging 100,000 articles writes one line of ids, not a rewrite of a 4 GB file. Each line is
written whole under the store lock and fsynced, so a kill leaves a change applied or not;
an incomplete last line (a kill mid-write) is ignored by readers and cut off by the next
change. Readable with jq; the index mirrors it (index/labels.py) and can always be rebuilt.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path

from newscli.archive.files import (
    append_line,
    end_of_last_full_line,
    locked,
    open_file,
    read_range,
    side_mode,
)
from newscli.archive.family import LABELS_SUFFIX
from newscli.archive.store import lock_path
from newscli.errors import StoreError, UsageError, os_reason

_NAME = re.compile(r"[^\s,#+\-][^\s,]*")  # one word; not starting with a sign that means add/remove


def labels_path(store_path: Path) -> Path:
    store_path = Path(store_path)
    return store_path.with_name(store_path.name + LABELS_SUFFIX)


def check_name(name: str) -> str:
    if not _NAME.fullmatch(name) or len(name) > 100 or not name.isprintable():
        raise UsageError(f"'{name}' cannot be a label: one printable word, no spaces or commas, not starting "
                         "with '#', '+' or '-'")
    return name


def record_change(store_path: Path, add: Iterable[str], remove: Iterable[str], ids: Iterable[str]) -> int:
    """Append one change for `ids`, whole or not at all; the number of ids it names."""
    ids = sorted(set(ids))
    if not ids:
        return 0
    line = json.dumps({"at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                       "add": list(add), "remove": list(remove), "ids": ids},
                      ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
    path = labels_path(store_path)
    try:
        _append(path, lock_path(store_path), line, side_mode(store_path))
    except OSError as exc:
        raise StoreError(f"{path}: cannot write ({os_reason(exc)}); no label was changed") from None
    return len(ids)


def _append(path: Path, lock: Path, line: bytes, mode: int) -> None:
    with locked(lock):
        append_line(path, line, mode)


class Change:
    __slots__ = ("add", "remove", "ids")

    def __init__(self, add: list[str], remove: list[str], ids: list[str]) -> None:
        self.add, self.remove, self.ids = add, remove, ids


def read_changes(path: Path, start: int = 0) -> Iterator[tuple[int, Change]]:
    """(offset after it, change) for each complete, readable change from `start` on.

    A line that is not a change (edited by hand into nonsense) is skipped: it changes nothing.
    """
    try:
        fd = open_file(path, os.O_RDONLY)
    except FileNotFoundError:
        return
    try:
        end = end_of_last_full_line(fd, os.fstat(fd).st_size)
        data = read_range(fd, start, end) if end > start else b""
    finally:
        os.close(fd)
    offset = start
    for line in data.splitlines(keepends=True):
        offset += len(line)
        try:
            entry = json.loads(line)
            change = Change([str(x) for x in entry.get("add", ())], [str(x) for x in entry.get("remove", ())],
                            [str(x) for x in entry["ids"]])
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
        yield offset, change
