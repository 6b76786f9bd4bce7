"""Reading store lines: one line to a record or a reason, and the warnings for what a reader skipped."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from newscli.archive.files import open_file
from newscli.model import Problem

_REQUIRED_TEXT = ("id", "title", "source", "published", "body")
_OPTIONAL_TEXT = ("lang", "source_label", "raw", "file", "ingested_at")
_LINE_NUMBERS = ("first_line", "last_line")


def decode_line(line: bytes) -> dict:
    """One stored line to a record, or ValueError naming what is wrong with it.

    Strict UTF-8 first: json.loads(bytes) would guess UTF-16 for lines full of NUL bytes.
    Any bytes at all end in a record or a ValueError, never another exception.
    """
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("not valid UTF-8") from None
    try:
        record = json.loads(text)
    except (ValueError, RecursionError) as exc:  # RecursionError: '[[[[…' nested too deep
        raise ValueError(f"not valid JSON ({exc.__class__.__name__})") from None
    problem = schema_problem(record)
    if problem:
        raise ValueError(problem)
    return record


def schema_problem(record: object) -> str | None:
    """Why a parsed value is not an article record, or None. Types are checked so no reader
    downstream ever meets a number where it expects text."""
    if not isinstance(record, dict):
        return "not an article record (not a JSON object)"
    for key in _REQUIRED_TEXT:
        if not isinstance(record.get(key), str):
            return f"not an article record (no text '{key}')"
    for key in _OPTIONAL_TEXT:
        if record.get(key) is not None and not isinstance(record[key], str):
            return f"not an article record ('{key}' is not text)"
    for key in _LINE_NUMBERS:
        value = record.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            return f"not an article record ('{key}' is not a number)"
    tags = record.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        return "not an article record ('tags' is not a list of text)"
    return None


def iter_lines(fd: int, start: int = 0) -> Iterator[tuple[int, bytes]]:
    """(offset, line) for every line from `start`; the last one may lack its newline."""
    with os.fdopen(os.dup(fd), "rb") as handle:
        handle.seek(start)
        offset = start
        for line in handle:
            yield offset, line
            offset += len(line)


def damage_problems(path: Path | str, damaged: Sequence[tuple[int, str]], complete_lines: int,
                    torn: bool) -> list[Problem]:
    """Warnings for what a reader skipped: one per damaged line inside the file, and one for
    the whole damaged end (damaged lines after the last good record, an incomplete last line),
    because that end is what a crash leaves and what the next write moves aside."""
    tail: list[tuple[int, str]] = []
    inside = list(damaged)
    expected = complete_lines
    while inside and inside[-1][0] == expected:
        tail.insert(0, inside.pop())
        expected -= 1
    problems = [Problem(str(path), f"damaged line skipped: {reason}", line, is_error=False)
                for line, reason in inside]
    if tail:
        extra = " and an incomplete last line" if torn else ""
        count = f"{len(tail)} line{'s' if len(tail) != 1 else ''}{extra}"
        problems.append(Problem(
            str(path), f"damaged end of file ({count}: {tail[0][1]}); skipped, "
            "the next ingest moves it aside", tail[0][0], is_error=False))
    elif torn:
        problems.append(Problem(
            str(path), "incomplete last line (an interrupted write); skipped, "
            "the next ingest moves it aside", complete_lines + 1, is_error=False))
    return problems


def numbered_lines(path: Path) -> Iterator[tuple[int, int, bytes]]:
    """(line number, offset, exact bytes) of every line of the store at `path`, damaged or not."""
    try:
        fd = open_file(path, os.O_RDONLY)
    except FileNotFoundError:
        return
    try:
        for lineno, (offset, line) in enumerate(iter_lines(fd), 1):
            yield lineno, offset, line
    finally:
        os.close(fd)
