"""An article's stored forms, made once where it was parsed: its JSON line and its index values.

An ingest has one writer (it stores and indexes every article, on one core) and parses on the
others. So a worker that parsed an article also encodes it, and the writer only joins bytes
and hands values to SQLite: at 100k articles that took ~2 s off the writer, which is what an
ingest waits for. Only the ingest stamp is left open, since only the writer knows it.
"""

from __future__ import annotations

from typing import NamedTuple

from newscli.archive.values import fold, published_at, sortable_time, tag_key
from newscli.copies.signature import signature
from newscli.model import Article

# The index's columns of a record, in this order: id, published (sortable), title_key, source,
# source_key, lang, file, title, body, tags as ((key, name), ...), near-duplicate signature (bytes
# or None, see copies/signature.py). index/sync.py and index/rows.py read it.
IndexValues = tuple
SOURCE, TITLE, BODY, TAGS = 3, 7, 8, 9  # where those are in IndexValues

_OPEN_STAMP = b"null}"  # how a record whose ingested_at (its last key) is not set yet ends


class Prepared(NamedTuple):
    """A parsed article ready to store: what the writer needs and nothing it must compute."""

    id: str
    head: bytes  # its JSON line up to the ingested_at value (see stamped_line)
    values: IndexValues


def encode_record(record: dict) -> bytes:
    """One record as one line: compact (a smaller file), UTF-8 (readable in any language).

    orjson writes exactly the bytes json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    does, ~15x faster: with json, encoding was a tenth of a 100k-article ingest (issue 6).
    """
    global _orjson
    if _orjson is None:
        import orjson  # here, not at the top: loading it takes ~30 ms and only writes need it

        _orjson = orjson
    # Not OPT_APPEND_NEWLINE: its lines keep a larger allocation (+40 MB peak in a 100k ingest).
    return _orjson.dumps(record) + b"\n"


_orjson = None


def prepare(article: Article) -> Prepared:
    record = article.to_record()
    record["ingested_at"] = None
    line = encode_record(record)
    # ingested_at is the last key (model.RECORD_KEYS), so its value ends the line.
    assert line.endswith(_OPEN_STAMP + b"\n"), "ingested_at must be the last key of a record"
    return Prepared(article.id, line[: -len(_OPEN_STAMP) - 1], index_values(record))


def reading_of(ready: Prepared) -> dict:
    """The record a prepared article will be, without its stamp (decoded: only when asked)."""
    import json  # imported late: only a reading stored under another timestamp needs it

    return json.loads(ready.head + _OPEN_STAMP)


def stamped_line(head: bytes, stamp: str) -> bytes:
    """The stored line: byte for byte what encode_record gives the record with this stamp."""
    return b"".join((head, b'"', stamp.encode("ascii"), b'"}\n'))


def index_values(record: dict) -> IndexValues:
    """What the index keeps of a record (a decoded line or a prepared article); ingested_at and
    where the line is are added by the index, which knows them."""
    title, body, tags = searchable(record)
    source = str(record.get("source") or "")
    return (record["id"], sortable_time(published_at(record)), fold(title), source, fold(source),
            str(record.get("lang") or "").lower(), str(record.get("file") or ""), title, body, tags,
            signature(title, body))


def searchable(record: dict) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """The title, body and (tag key, name) pairs the index keeps of a record: what `rm` needs to
    take it out of the full-text index and the tags, without index_values' signature."""
    names = record.get("tags") if isinstance(record.get("tags"), list) else []
    return (str(record.get("title") or ""), str(record.get("body") or ""),
            tuple((tag_key(str(t)), str(t).strip().lstrip("#")) for t in names))


class Written(NamedTuple):
    """The lines one append wrote and their index values, so the index can take them without
    reading and decoding them again (it still checks the bytes are there)."""

    dev: int
    ino: int
    start: int  # offset of the first line
    lines: list[bytes]
    values: list[IndexValues]
    ingested: str  # the stamp every one of these lines holds
    mtime_ns: int = 0  # the store's modification time right after this append

    @property
    def size(self) -> int:
        """Bytes the append wrote: its lines end at `start + size`."""
        return sum(map(len, self.lines))
