"""What a user asks for: filters, ordering and paging, as plain values every query path shares.

`Filters.matches` is the reference meaning of each filter; the index (catalog.py) answers the
same questions in SQL, and the tests hold the two to each other.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

from newscli.errors import AmbiguousIdError, NotFoundError, UsageError

MIN_PREFIX = 4
SORTS = ("published", "ingested", "title", "relevance")


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


class Filters(NamedTuple):
    tags: tuple[str, ...] = ()  # every one must match
    any_tags: tuple[str, ...] = ()  # at least one must match
    no_tags: tuple[str, ...] = ()  # none may match
    source: str | None = None
    lang: str | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # inclusive

    @property
    def is_empty(self) -> bool:
        return self == Filters()

    def matches(self, record: dict) -> bool:
        have = {tag_key(t) for t in record.get("tags") or ()}
        if not all(tag_key(t) in have for t in self.tags):
            return False
        if self.any_tags and not any(tag_key(t) in have for t in self.any_tags):
            return False
        if any(tag_key(t) in have for t in self.no_tags):
            return False
        if self.source is not None and fold(record.get("source") or "") != fold(self.source):
            return False
        if self.lang is not None and (record.get("lang") or "").lower() != self.lang.lower():
            return False
        if self.since is not None or self.until is not None:
            when = published_at(record)
            if when is None:  # an undated article is neither before nor after anything
                return False
            if self.since is not None and when < _naive(self.since):
                return False
            if self.until is not None and when > _naive(self.until):
                return False
        return True


@dataclass(frozen=True)
class Order:
    """Sort key and page. Dates sort newest first and titles A to Z; `reverse` flips either."""

    sort: str = "published"
    reverse: bool = False
    limit: int = 0  # 0 means all
    offset: int = 0

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise UsageError(f"cannot sort by '{self.sort}': choose one of {', '.join(SORTS)}")
        if self.limit < 0 or self.offset < 0:
            raise UsageError("--limit and --offset cannot be negative")


def _naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None)


def check_prefix(prefix: str) -> str:
    """The normalised id prefix, or a UsageError when it cannot be one."""
    wanted = prefix.strip().lower()
    if len(wanted) < MIN_PREFIX or any(ch not in "0123456789abcdef" for ch in wanted):
        raise UsageError(f"'{prefix}' is not an article id: give at least {MIN_PREFIX} hex characters")
    return wanted


def one_match(wanted: str, found: dict[str, dict]) -> dict:
    if not found:
        raise NotFoundError(f"no article with id '{wanted}'")
    if len(found) > 1:
        raise AmbiguousIdError(wanted, list(found))
    return next(iter(found.values()))
