"""Records read back: an `export -f jsonl` file (or another archive's store) as an input, so
archives merge.

An input is records, not a dump, when its first non-blank line is a JSON object with the
keys every record has; anything else is parsed as a dump. Each line is one article in: it is
stored under the id it came with (ids are content hashes, so the same text keeps the same id
in every archive), counted a duplicate when the archive holds it already, or refused with its
line when it is not a record, or its id is not its content's. Provenance (file, lines) and
`raw` are kept as the record has them; `ingested_at` becomes when it entered this archive.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime

from newscli.archive.store import schema_problem
from newscli.dump.decode import LongLine
from newscli.model import Article, Problem, content_id

_KEYS = ('"id"', '"title"', '"source"', '"published"', '"body"')


def looks_like_records(first_line: str | LongLine) -> bool:
    """Whether an input whose first non-blank line is this one holds records."""
    if isinstance(first_line, LongLine):
        return False
    text = first_line.strip()
    if not (text.startswith("{") and all(key in text for key in _KEYS)):
        return False  # cheap: no dump's first line passes this
    try:
        return isinstance(json.loads(text), dict)
    except (ValueError, RecursionError):
        return False


def read_records(lines: Iterable[str | LongLine], *, file: str, first: int = 1) -> Iterator[Article | Problem]:
    """One Article or Problem per non-blank line, numbered from `first`."""
    for lineno, line in enumerate(lines, first):
        if isinstance(line, LongLine):
            yield Problem(file, f"line too long for a record ({line.length} characters)", lineno)
        elif line.strip():
            yield _article(line, file, lineno)


def _article(line: str, file: str, lineno: int) -> Article | Problem:
    try:
        record = json.loads(line)
    except (ValueError, RecursionError) as exc:
        return Problem(file, f"not a record: not valid JSON ({exc.__class__.__name__})", lineno)
    problem = schema_problem(record)
    if problem:
        return Problem(file, problem, lineno)
    expected = content_id(record["title"], record["source"], record["published"], record["body"])
    if record["id"] != expected:
        return Problem(file, f"id {record['id']} does not match the record's content (that is {expected}); "
                       "refused, as `check` would", lineno)
    try:
        datetime.fromisoformat(record["published"])
    except ValueError:
        return Problem(file, f"'published' is not an ISO 8601 time: {record['published'][:40]!r}", lineno)
    kept = {k: v for k, v in record.items() if v is not None and k not in ("id", "ingested_at")}
    kept.setdefault("file", file)
    if "first_line" not in kept:
        kept["first_line"] = kept["last_line"] = lineno
    return Article.from_record(kept)
