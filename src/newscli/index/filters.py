"""What a user asks for: filters, ordering and paging, as plain values every query path shares.

`Filters.matches` is the reference meaning of each filter; the index (questions.py) answers the
same questions in SQL, and the tests hold the two to each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from newscli.archive.values import fold, naive, published_at, tag_key
from newscli.errors import AmbiguousIdError, NotFoundError, UsageError

MIN_PREFIX = 4
SORTS = ("published", "ingested", "title", "relevance")


class Filters(NamedTuple):
    tags: tuple[str, ...] = ()  # every one must match
    any_tags: tuple[str, ...] = ()  # at least one must match
    no_tags: tuple[str, ...] = ()  # none may match
    source: str | None = None
    lang: str | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # inclusive
    query: str | None = None  # the search syntax (syntax.py); only the index can answer it

    def without_query(self) -> Filters:
        return self._replace(query=None)

    @property
    def is_empty(self) -> bool:
        return self == Filters()

    def matches(self, record: dict) -> bool:
        """Every filter but the query: what a word is, only FTS5's tokenizer says (the index
        answers the query; `rm` asks it)."""
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
            if self.since is not None and when < naive(self.since):
                return False
            if self.until is not None and when > naive(self.until):
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
