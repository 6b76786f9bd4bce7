"""The Article record: the one shape every module agrees on, and its JSON form."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import NamedTuple

# The order here is the order of keys in the store and in --json output.
RECORD_KEYS = (
    "id",
    "title",
    "source",
    "published",
    "lang",
    "tags",
    "body",
    "source_label",
    "raw",
    "file",
    "first_line",
    "last_line",
    "ingested_at",
)

ID_LENGTH = 16  # 64 bits: collisions stay negligible far beyond a million articles


def content_id(title: str, source: str, published: str, body: str) -> str:
    """Same article text, same id, on every run and machine (tags and provenance excluded)."""
    import hashlib  # imported late: only parsing makes ids, and OpenSSL takes a while to load

    digest = hashlib.sha256("\x1f".join((title, source, published, body)).encode("utf-8"))
    return digest.hexdigest()[:ID_LENGTH]


@dataclass(frozen=True)
class Article:
    title: str
    source: str
    published: str  # ISO 8601; naive stays naive, an offset is kept
    body: str  # repaired paragraphs joined by one blank line
    tags: tuple[str, ...] = ()  # without '#', as written
    lang: str | None = None  # ISO 639-1
    source_label: str | None = None  # e.g. "Informationsquelle"
    raw: str | None = None  # the article as written, when it differs from its canonical dump form
    file: str = "<stdin>"
    first_line: int = 1
    last_line: int = 1
    ingested_at: str | None = None
    id: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "id", content_id(self.title, self.source, self.published, self.body)
        )

    def to_record(self) -> dict:
        record = {key: getattr(self, key) for key in RECORD_KEYS}
        record["tags"] = _jsonable(self.tags)  # the one tuple field
        return record

    @classmethod
    def from_record(cls, record: dict) -> Article:
        names = {f.name for f in dataclasses.fields(cls) if f.init}
        values = {k: v for k, v in record.items() if k in names}
        values["tags"] = tuple(values.get("tags") or ())
        return cls(**values)


def _jsonable(value):
    return list(value) if isinstance(value, tuple) else value


class Problem(NamedTuple):
    """Something the user must hear about: a skipped article, a refused file, an assumption.

    A named tuple, not a dataclass like Article: every command imports it, and creating a
    frozen dataclass class costs ~1 ms of start-up, a named tuple's ~0.15 ms.
    """

    file: str
    reason: str
    line: int | None = None
    is_error: bool = True

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.reason}"
