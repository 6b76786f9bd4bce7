"""Stored record lines to the Parquet dataset's rows (docs/scale-out.md is the contract).

Every record key gets an Arrow type, and `published` four columns, because a Parquet column
has one type and records mix naive times, times with an offset and bare dates:

- `published`        timestamp[us]          the article's own wall-clock time, as newscli sorts
                                            and filters by it (a bare date is its midnight)
- `published_utc`    timestamp[us, UTC]     the instant, only where the record has an offset
- `published_offset` int32                  that offset in seconds east of UTC, else null
- `published_text`   string                 the record's text, exactly (lossless round trip)

Lines are parsed in blocks by pyarrow's JSON reader (C++, on every core); only the times
are read in Python.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timezone  # fromisoformat reads a bare date as its midnight

from newscli.errors import NewscliError
from newscli.model import RECORD_KEYS

BLOCK_BYTES = 4 << 20  # stored lines parsed at once
PARSE_BYTES = 1 << 20  # in pieces of this size (whole lines), on every core


class MissingExtra(NewscliError):
    pass


def require():
    """pyarrow, or the one-line error naming the extra that brings it."""
    try:
        import pyarrow
        import pyarrow.json
        import pyarrow.parquet
    except ImportError:
        raise MissingExtra("Parquet export needs pyarrow: pip install 'newscli[parquet]'") from None
    return pyarrow


def schema(fields: Sequence[str] | None = None, labels: bool = False):
    """The dataset's Arrow schema, in record-key order (`published` as its four columns);
    `labels` (your own, newscli tag) last, in an archive that has them, as in `export`."""
    pa = require()
    types = {
        "id": pa.string(), "title": pa.string(), "source": pa.string(),
        "published": [("published", pa.timestamp("us")), ("published_utc", pa.timestamp("us", tz="UTC")),
                      ("published_offset", pa.int32()), ("published_text", pa.string())],
        "lang": pa.string(), "tags": pa.list_(pa.string()), "body": pa.string(),
        "source_label": pa.string(), "raw": pa.string(), "file": pa.string(),
        "first_line": pa.int64(), "last_line": pa.int64(),
        "ingested_at": pa.timestamp("us", tz="UTC"), "labels": pa.list_(pa.string()),
    }
    columns = []
    for key in fields or RECORD_KEYS + (("labels",) if labels else ()):
        kind = types[key]
        columns.extend(kind if isinstance(kind, list) else [(key, kind)])
    return pa.schema(columns)


def blocks(lines: Iterable[bytes]) -> Iterable[tuple[list[bytes], int]]:
    """Lines in blocks of about BLOCK_BYTES, with the longest line's length (the JSON reader's
    blocks must hold whole lines)."""
    block: list[bytes] = []
    size = 0
    for line in lines:
        block.append(line)
        size += len(line)
        if size >= BLOCK_BYTES:
            yield block, max(map(len, block))
            block, size = [], 0
    if block:
        yield block, max(map(len, block))


def rows(pa, block: tuple[list[bytes], int], arrow_schema, labels_of: Callable | None = None):
    """A block of stored lines as (rows of the dataset's schema, each row's wall-clock time,
    the lines as read: every record key, whatever `--fields` keeps, for the partition keys).

    pyarrow's JSON reader parses in C++ on every core; lines it cannot take (which the index
    never hands out) go the way `export -f jsonl` reads them, with its error."""
    import pyarrow.json

    lines, longest = block
    as_read = _as_read(pa)
    data = b"".join(lines)  # each ends with its newline: the index holds only whole lines
    try:
        parsed = pyarrow.json.read_json(
            pa.py_buffer(data),
            read_options=pyarrow.json.ReadOptions(block_size=max(PARSE_BYTES, 2 * longest + 2)),
            parse_options=pyarrow.json.ParseOptions(explicit_schema=as_read, unexpected_field_behavior="ignore"))
    except pa.ArrowInvalid:
        from newscli.archive.store import decode_line

        records = [decode_line(line) for line in lines]  # raises what a jsonl export would
        parsed = pa.Table.from_pylist([{k: r.get(k) for k in as_read.names} for r in records], schema=as_read)
    moments = [moment(t) for t in parsed.column("published").to_pylist()]
    columns = {}
    for name in arrow_schema.names:
        if name == "published":
            columns["published"] = pa.array([m[0] for m in moments], pa.timestamp("us"))
            columns["published_utc"] = pa.array([m[1] for m in moments], pa.timestamp("us", tz="UTC"))
            columns["published_offset"] = pa.array([m[2] for m in moments], pa.int32())
            columns["published_text"] = parsed.column("published")
        elif name == "ingested_at":
            stamps: dict = {}
            values = parsed.column("ingested_at").to_pylist()
            columns[name] = pa.array([stamps[v] if v in stamps else stamps.setdefault(v, _instant(v))
                                      for v in values], pa.timestamp("us", tz="UTC"))
        elif name == "labels":
            ids = parsed.column("id").to_pylist()
            found = labels_of(ids) if labels_of is not None else {}
            columns[name] = pa.array([found.get(i, []) for i in ids], pa.list_(pa.string()))
        elif not name.startswith("published_"):
            columns[name] = parsed.column(name)
    return pa.table(columns, schema=arrow_schema), [m[0] for m in moments], parsed


def _as_read(pa):
    """Every record key as the JSON reader takes it: the times as text, parsed here after."""
    full = schema()
    return pa.schema([(k, pa.string() if k in ("published", "ingested_at") else full.field(k).type)
                      for k in RECORD_KEYS])


def moment(text: str | None) -> tuple[datetime | None, datetime | None, int | None]:
    """(wall-clock time, UTC instant or None, offset seconds or None) of a record's `published`."""
    try:
        value = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None, None, None
    offset = value.utcoffset()
    if offset is None:
        return value, None, None
    return value.replace(tzinfo=None), value.astimezone(timezone.utc), int(offset.total_seconds())


def _instant(text: str | None) -> datetime | None:
    try:
        value = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return value.astimezone(timezone.utc) if value.tzinfo else value.replace(tzinfo=timezone.utc)


