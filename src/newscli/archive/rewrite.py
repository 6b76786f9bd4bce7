"""Rewriting the store whole, under its lock (the caller, Store, holds it): `rm` drops records,
`check --repair` moves bad lines into a side file. A temp file beside the store, fsynced and
renamed over it (family.py names it), so the store is the old file or the new one, never half.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path

from newscli.archive.family import BAD_SUFFIX, temp_prefix
from newscli.archive.files import (
    open_file,
    replace_with,
    side_mode,
    unlink_quietly,
    write_failure,
    write_new_file,
)
from newscli.archive.lines import decode_line, iter_lines, numbered_lines
from newscli.errors import StoreError


def rewrite(path: Path, keep: Callable[[dict], bool]) -> list[dict]:
    """Drop the records `keep` refuses; damaged lines stay. The records dropped."""
    removed: list[dict] = []

    def kept_lines(fd: int) -> Iterator[bytes]:
        for _, line in iter_lines(fd):
            try:
                record = decode_line(line)
            except ValueError:
                record = None
            if record is not None and line.endswith(b"\n") and not keep(record):
                removed.append(record)
            else:
                yield line

    _replace(path, kept_lines)
    return removed


def set_aside(path: Path, choose: Callable[[Iterator[tuple[int, int, bytes]]], set[int]]) -> tuple[Path | None, int]:
    bad = choose(numbered_lines(path))
    if not bad:
        return None, 0
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.name}{BAD_SUFFIX}{stamp}-{os.getpid()}")
    moved = b"".join(line for n, _, line in numbered_lines(path) if n in bad)
    try:
        write_new_file(aside, moved, side_mode(path))
    except OSError as exc:
        raise StoreError(write_failure(path, exc)) from None

    def good_lines(fd: int) -> Iterator[bytes]:
        for n, (_, line) in enumerate(iter_lines(fd), 1):
            if n not in bad:
                yield line

    try:
        _replace(path, good_lines)
    except BaseException:
        unlink_quietly(aside)  # the store is unchanged, so the copies are not needed
        raise
    return aside, len(bad)


def _replace(path: Path, lines: Callable[[int], Iterator[bytes]]) -> None:
    try:
        fd = open_file(path, os.O_RDWR)  # a store we may not write is refused, as by ingest
    except FileNotFoundError:
        return
    try:
        mode = os.fstat(fd).st_mode & 0o777
        replace_with(path, lines(fd), mode, temp_prefix(path))
    except OSError as exc:
        raise StoreError(write_failure(path, exc)) from None
    finally:
        os.close(fd)
