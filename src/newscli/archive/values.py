"""A record's values as every layer compares them: folded names, tag keys, sortable times.

They live beside the record, not with the questions: the store's encoder (records.py) makes
the index's values with them, and the filters (index/filters.py) match with the same ones.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime, timezone
from functools import lru_cache


class _Marks(dict):
    """str.translate table deleting combining marks, filled in as characters are first seen."""

    def __missing__(self, code: int):
        self[code] = None if unicodedata.combining(chr(code)) else code
        return self[code]


_MARKS = _Marks()


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Case- and accent-insensitive key: 'Außenpolitik' == 'aussenpolitik', 'Été' == 'ete'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return decomposed if decomposed.isascii() else decomposed.translate(_MARKS)


def tag_key(tag: str) -> str:
    return fold(tag.strip().lstrip("#"))


def published_at(record: dict) -> datetime | None:
    """The article's own wall-clock time (an offset does not move it); None when unreadable."""
    try:
        return datetime.fromisoformat(record["published"]).replace(tzinfo=None)
    except (KeyError, TypeError, ValueError):
        return None


def sortable_time(moment: datetime | None) -> str | None:
    """Text that sorts like the datetime, so SQL can compare it as a string. Microseconds only
    when there are some: '…:00' is a prefix of '…:00.5' and sorts before it, as it should."""
    return None if moment is None else moment.replace(tzinfo=None).isoformat()


def naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None)


def utc(moment: datetime) -> datetime:
    """The same instant as a naive UTC datetime; a naive `moment` is the user's local time."""
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


@lru_cache(maxsize=256)  # an archive holds few distinct stamps: one per ingest run
def ingested_key(stamp: object) -> str | None:
    """A record's ingested_at as sortable UTC text (a stamp without an offset is UTC, as
    newscli writes them); None when missing or unreadable."""
    if not isinstance(stamp, str):
        return None
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    return sortable_time(moment if moment.tzinfo is None else utc(moment))


def file_matches(pattern: str, name: str) -> bool:
    """`--file`: a shell glob on the dump's name as stored. Like .gitignore, a pattern without
    '/' matches the base name in any folder ('*.txt', 'tass-2025-*'); one with '/' the whole name."""
    from fnmatch import fnmatchcase  # imported late: only --file needs it

    if "/" in pattern:
        return fnmatchcase(name, pattern)
    return fnmatchcase(name.rsplit("/", 1)[-1], pattern)
