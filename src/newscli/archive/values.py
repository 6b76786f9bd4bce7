"""A record's values as every layer compares them: folded names, tag keys, sortable times.

They live beside the record, not with the questions: the store's encoder (records.py) makes
the index's values with them, and the filters (index/filters.py) match with the same ones.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
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
