"""Machine-readable output (json, jsonl, csv, tsv) and export documents (md, dump); no rich.

Every function yields text pieces so a million-record export streams instead of piling up.
`safe=True` (output going to a terminal) makes control characters visible; files and pipes
get the exact text, except JSON, which always escapes them as \\u sequences (still exact).
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterable, Iterator, Sequence

from newscli.errors import UsageError
from newscli.model import RECORD_KEYS, Article
from newscli.output.inert import sanitize, to_json

ROW_FORMATS = ("table", "json", "jsonl", "csv", "tsv")
EXPORT_FORMATS = ("jsonl", "json", "csv", "tsv", "md", "dump", "es-bulk", "parquet")
# `raw` repeats the body as written; a spreadsheet wants it only when asked for.
TABULAR_DEFAULT = tuple(k for k in RECORD_KEYS if k != "raw")


def parse_fields(text: str | None, allowed: Sequence[str]) -> tuple[str, ...] | None:
    """'id,title' -> ('id', 'title'), checked against `allowed`; None when not given."""
    if text is None:
        return None
    fields = tuple(f.strip() for f in text.split(",") if f.strip())
    unknown = [f for f in fields if f not in allowed]
    if unknown or not fields:
        raise UsageError(f"unknown field '{unknown[0] if unknown else text}': "
                         f"choose from {', '.join(allowed)}")
    return fields


def project(row: dict, fields: Sequence[str] | None) -> dict:
    return dict(row) if fields is None else {f: row.get(f) for f in fields}


def cell(value: object) -> str:
    """One value as spreadsheet text: lists comma-joined, nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)


def tag_words(record: dict, hash_: str = "#") -> list[str]:
    """The dump's hashtags, then your labels marked '+' (the way `newscli tag +x` adds them)."""
    return [hash_ + t for t in record.get("tags") or ()] + ["+" + n for n in record.get("labels") or ()]


def rows_as(fmt: str, rows: Iterable[dict], fields: Sequence[str] | None,
            tabular_default: Sequence[str], *, safe: bool = False, crlf: bool = False) -> Iterator[str]:
    """Rows in json, jsonl, csv or tsv. JSON keeps every key unless `fields` picks some.
    `crlf`: csv lines end in CRLF (RFC 4180 to the letter, and what Excel expects)."""
    if fmt == "json":
        yield to_json([project(r, fields) for r in rows]) + "\n"
    elif fmt == "jsonl":
        for row in rows:
            yield to_json(project(row, fields), indent=None) + "\n"
    elif fmt in ("csv", "tsv"):
        columns = tuple(fields or tabular_default)
        write = _csv_line if fmt == "csv" else _tsv_line
        end = "\r\n" if crlf else "\n"
        yield write(columns, safe, end)
        for row in rows:
            yield write([cell(row.get(c)) for c in columns], safe, end)
    else:
        raise UsageError(f"unknown format '{fmt}'")


def _csv_line(cells: Sequence[str], safe: bool, end: str = "\n") -> str:
    # RFC 4180 quoting (commas, quotes, newlines), but '\n' line ends, as Unix tools expect.
    import csv  # here: every command imports this module, ~1 ms of start-up for csv alone

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=end).writerow(
        [sanitize(c, multiline=True) if safe else c for c in cells])
    return buffer.getvalue()


def _tsv_line(cells: Sequence[str], safe: bool, end: str = "\n") -> str:
    # TSV cannot quote, so the separators are escaped the way PostgreSQL's text format does.
    escaped = [c.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
               for c in cells]
    return "\t".join(sanitize(c) if safe else c for c in escaped) + end


def export_pieces(fmt: str, records: Iterable[dict], fields: Sequence[str] | None, *,
                  safe: bool, index: str | None = None, excel: bool = False,
                  extra: Sequence[str] = ()) -> Iterator[str]:
    """`export`'s text formats (parquet is a dataset: output/parquet.py). `excel` (csv): a
    byte order mark first and CRLF line ends, so Excel reads UTF-8 (Cyrillic, accents).
    `extra`: columns csv and tsv add to their default ones (copies, with --collapse)."""
    if fmt == "md":
        return markdown(records, safe=safe)
    if fmt == "dump":
        return dumps(records, safe=safe)
    if fmt == "es-bulk":
        from newscli.output.esbulk import bulk  # it builds on this module

        return bulk(records, index, fields)
    rows = rows_as(fmt, records, fields, TABULAR_DEFAULT + tuple(extra), safe=safe, crlf=excel)
    return itertools.chain(["\ufeff"], rows) if excel else rows


def markdown(records: Iterable[dict], *, safe: bool = False) -> Iterator[str]:
    """A readable document: one section per article, separated by rules."""
    clean = (lambda t: sanitize(t, multiline=True)) if safe else (lambda t: t)
    for n, r in enumerate(records):
        facts = " · ".join(x for x in (r.get("source"), _when(r.get("published")), r.get("lang")) if x)
        tags = " ".join("#" + t for t in r.get("tags") or ())
        parts = [("\n---\n\n" if n else "") + f"## {clean(_one_line(r.get('title') or ''))}\n",
                 f"*{clean(facts)}*" + (f" · {clean(tags)}" if tags else "") + f" · `{r['id']}`\n"]
        parts.extend(clean(p) + "\n" for p in (r.get("body") or "").split("\n\n") if p)
        if r.get("source_label"):
            parts.append(f"*{clean(r['source_label'])}*\n")
        yield "\n".join(parts)


def dumps(records: Iterable[dict], *, safe: bool = False) -> Iterator[str]:
    """The dump format, articles back to back; as written when the record kept its raw text,
    so re-ingesting gives the same ids."""
    from newscli.dump.write import format_dump  # imported late: only the dump format needs dates

    for n, r in enumerate(records):
        text = (r.get("raw") or format_dump(Article.from_record(r))).strip("\n")
        yield ("\n" if n else "") + (sanitize(text, multiline=True) if safe else text) + "\n"


def _when(iso: str | None) -> str:
    return (iso or "")[:16].replace("T", " ")


def _one_line(text: str) -> str:
    return " ".join(text.split())
