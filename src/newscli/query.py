"""Select articles from the store: filters, ordering, paging, and id lookup by prefix."""

from __future__ import annotations

import heapq
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from newscli.errors import AmbiguousIdError, NotFoundError, UsageError

MIN_PREFIX = 4


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Case- and accent-insensitive key: 'Außenpolitik' == 'aussenpolitik', 'Été' == 'ete'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tag_key(tag: str) -> str:
    return fold(tag.strip().lstrip("#"))


def published_at(record: dict) -> datetime:
    """The article's own wall-clock time; an offset, if any, does not move it."""
    try:
        return datetime.fromisoformat(record["published"]).replace(tzinfo=None)
    except (KeyError, TypeError, ValueError):
        return datetime.min


@dataclass(frozen=True)
class Filters:
    tags: tuple[str, ...] = ()  # every one must match
    source: str | None = None
    lang: str | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # inclusive

    def matches(self, record: dict) -> bool:
        if self.tags:
            have = {tag_key(t) for t in record.get("tags") or ()}
            if not all(tag_key(t) in have for t in self.tags):
                return False
        if self.source is not None and fold(record.get("source") or "") != fold(self.source):
            return False
        if self.lang is not None and (record.get("lang") or "") != self.lang.lower():
            return False
        if self.since is not None or self.until is not None:
            when = published_at(record)
            if self.since is not None and when < _naive(self.since):
                return False
            if self.until is not None and when > _naive(self.until):
                return False
        return True


def _naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None)


def newest_first(records: Iterable[dict], filters: Filters, limit: int = 0) -> list[dict]:
    """Matching records, newest published first (ties by id); limit 0 means all."""
    matching = (r for r in records if filters.matches(r))
    key = lambda r: (published_at(r), r.get("id", ""))  # noqa: E731
    if limit > 0:
        return heapq.nlargest(limit, matching, key=key)
    return sorted(matching, key=key, reverse=True)


def resolve_id(records: Iterable[dict], prefix: str) -> dict:
    """The one record whose id starts with `prefix` (4+ hex characters), like git's short ids."""
    wanted = prefix.strip().lower()
    if len(wanted) < MIN_PREFIX or any(ch not in "0123456789abcdef" for ch in wanted):
        raise UsageError(f"'{prefix}' is not an article id: give at least {MIN_PREFIX} hex characters")
    found: dict[str, dict] = {}
    for record in records:
        if record["id"].startswith(wanted):
            found.setdefault(record["id"], record)
    if not found:
        raise NotFoundError(f"no article with id '{wanted}'")
    if len(found) > 1:
        raise AmbiguousIdError(wanted, list(found))
    return next(iter(found.values()))
