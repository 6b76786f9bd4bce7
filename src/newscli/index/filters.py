"""What a user asks for: filters, ordering and paging, as plain values every query path shares.

`Filters.matches` is the reference meaning of each filter; the index (questions.py) answers the
same questions in SQL, and the tests hold the two to each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from newscli.archive.values import (
    file_matches,
    fold,
    ingested_key,
    naive,
    published_at,
    sortable_time,
    tag_key,
    utc,
)
from newscli.errors import AmbiguousIdError, NotFoundError, UsageError

MIN_PREFIX = 4
SORTS = ("published", "ingested", "title", "relevance")


Names = str | tuple[str, ...]  # one name, or a group of aliases (archive/aliases.py) any of which matches


def group(names: Names) -> tuple[str, ...]:
    return names if isinstance(names, tuple) else (names,)


class Filters(NamedTuple):
    tags: tuple[Names, ...] = ()  # every one must match
    any_tags: tuple[Names, ...] = ()  # at least one must match
    no_tags: tuple[Names, ...] = ()  # none may match
    source: Names | None = None
    lang: str | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # inclusive
    query: str | None = None  # the search syntax (syntax.py); only the index can answer it
    # Each story once, by its earliest member (index/stories.py `collapse`, which must run first);
    # not a test of one record, so `matches` ignores it.
    collapse: bool = False
    labels: tuple[str, ...] = ()  # your own tags (archive/labels.py): every one must be on the article
    no_labels: tuple[str, ...] = ()  # none may be
    file: str | None = None  # glob on the dump the record came from (values.file_matches)
    ingested_since: datetime | None = None  # inclusive; naive means local time
    ingested_until: datetime | None = None  # inclusive

    def without_query(self) -> Filters:
        return self._replace(query=None)

    @property
    def is_empty(self) -> bool:
        return self == Filters()

    def matches(self, record: dict) -> bool:
        """The reference meaning of every filter but the query: what a word is, only FTS5's
        tokenizer says (the index answers the query; `rm` asks it). Labels are read from the
        record's `labels` (output-only: the index adds them); aliases must have been applied
        (with_aliases)."""
        have = {tag_key(t) for t in record.get("tags") or ()}
        hit = lambda names: any(tag_key(n) in have for n in group(names))  # noqa: E731
        if not all(hit(t) for t in self.tags):
            return False
        if self.any_tags and not any(hit(t) for t in self.any_tags):
            return False
        if any(hit(t) for t in self.no_tags):
            return False
        if self.source is not None and fold(record.get("source") or "") not in {fold(n) for n in group(self.source)}:
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
        if self.labels or self.no_labels:
            mine = {tag_key(n) for n in record.get("labels") or ()}
            if not all(tag_key(n) in mine for n in self.labels) or any(tag_key(n) in mine for n in self.no_labels):
                return False
        if self.file is not None and not file_matches(self.file, str(record.get("file") or "")):
            return False
        if self.ingested_since is not None or self.ingested_until is not None:
            stored = ingested_key(record.get("ingested_at"))
            if stored is None:
                return False
            low, high = self.ingested_bounds
            if low is not None and stored < low or high is not None and stored > high:
                return False
        return True

    @property
    def ingested_bounds(self) -> tuple[str | None, str | None]:
        """--ingested-since/--ingested-until as the index's sortable UTC text (values.ingested_key)."""
        return tuple(None if moment is None else sortable_time(utc(moment))  # type: ignore[return-value]
                     for moment in (self.ingested_since, self.ingested_until))


def with_aliases(filters: Filters, aliases) -> Filters:
    """Each tag and source name replaced by its alias group, so any name of the group matches."""
    if not aliases:
        return filters
    def grouped(kind: str, name: Names) -> Names:  # a group already is one: applying twice changes nothing
        return name if isinstance(name, tuple) else aliases.group(kind, name) or name

    tags = lambda names: tuple(grouped("tag", n) for n in names)  # noqa: E731
    source = filters.source
    return filters._replace(tags=tags(filters.tags), any_tags=tags(filters.any_tags), no_tags=tags(filters.no_tags),
                            source=None if source is None else grouped("source", source))


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
        if max(self.limit, self.offset) >= 1 << 63:  # SQLite's integers are 64-bit
            raise UsageError(f"--limit and --offset must be below 2^63 ({1 << 63})")


def check_prefix(prefix: str) -> str:
    """The normalised id prefix, or a UsageError when it cannot be one."""
    wanted = prefix.strip().lower()
    if not wanted or any(ch not in "0123456789abcdef" for ch in wanted):
        raise UsageError(f"'{prefix}' is not an id (ids are hex digits)")
    if len(wanted) < MIN_PREFIX:
        raise UsageError(f"'{prefix}' is too short for an id: give at least {MIN_PREFIX} of its hex digits")
    return wanted


def one_match(wanted: str, found: dict[str, dict]) -> dict:
    if not found:
        raise NotFoundError(f"no article with id '{wanted}'")
    if len(found) > 1:
        raise AmbiguousIdError(wanted, list(found))
    return next(iter(found.values()))
