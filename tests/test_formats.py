"""Each output format pinned: headers, keys, escaping."""

from __future__ import annotations

import csv
import io
import json

import pytest

from newscli.errors import UsageError
from newscli.model import RECORD_KEYS
from newscli.output import formats
from tests.factories import make_article

TRICKY = make_article(
    1, title='Comma, "quotes" and\nnewline', source="Chas Pravdy", tags=("Politik", "EU"),
    body="Tab\there.\n\nSecond\\para.", published="2025-08-15T18:52:00",
).to_record()


def text(pieces):
    return "".join(pieces)


def test_csv_header_and_rfc4180_escaping():
    out = text(formats.rows_as("csv", [TRICKY], ("id", "title", "tags", "lang"), ()))
    assert out == (
        "id,title,tags,lang\n"
        f'{TRICKY["id"]},"Comma, ""quotes"" and\nnewline","Politik,EU",de\n'
    )
    assert list(csv.reader(io.StringIO(out)))[1][1] == TRICKY["title"]


def test_csv_default_columns_are_the_store_keys_without_raw():
    header = text(formats.rows_as("csv", [], None, formats.TABULAR_DEFAULT)).strip()
    assert header.split(",") == [k for k in RECORD_KEYS if k != "raw"]


def test_tsv_escapes_separators_like_postgres_text_format():
    out = text(formats.rows_as("tsv", [TRICKY], ("title", "body", "source_label"), ()))
    assert out == ('title\tbody\tsource_label\n'
                   'Comma, "quotes" and\\nnewline\tTab\\there.\\n\\nSecond\\\\para.\t\n')


def test_json_and_jsonl_keep_the_store_keys_and_exact_text():
    array = json.loads(text(formats.rows_as("json", [TRICKY], None, ())))
    assert array == [TRICKY] and list(array[0]) == list(RECORD_KEYS)
    line = text(formats.rows_as("jsonl", [TRICKY, TRICKY], ("id", "title"), ()))
    first, second = line.splitlines()
    assert json.loads(first) == {"id": TRICKY["id"], "title": TRICKY["title"]} == json.loads(second)


def test_terminal_safe_output_makes_escapes_visible_files_keep_them():
    evil = dict(TRICKY, title="a\x1b[31mred")
    assert "\x1b" not in text(formats.rows_as("csv", [evil], ("title",), (), safe=True))
    assert "\x1b" in text(formats.rows_as("csv", [evil], ("title",), (), safe=False))
    assert "\x1b" not in text(formats.rows_as("jsonl", [evil], None, ()))  # \u001b in JSON
    assert json.loads(text(formats.rows_as("jsonl", [evil], None, ())))["title"] == evil["title"]


def test_markdown_document():
    second = make_article(2, title="Second", tags=(), lang=None).to_record()
    out = text(formats.markdown([TRICKY, second]))
    assert out.startswith("## Comma, \"quotes\" and newline\n\n*Chas Pravdy · 2025-08-15 18:52 · de* · #Politik #EU · `")
    assert "\nTab\there.\n\nSecond\\para.\n" in out
    assert "\n---\n\n## Second\n" in out


def test_dump_prefers_the_text_as_written():
    as_written = dict(TRICKY, raw="Original\n\nChas Pravdy - 15 August 2025 18:52\n\nBody as written\n")
    canonical = make_article(3, title="Canonical").to_record()
    out = text(formats.dumps([as_written, canonical]))
    assert out.startswith("Original\n\nChas Pravdy - 15 August 2025 18:52\n\nBody as written\n\nCanonical\n\n")
    assert out.endswith("#Politik\n")


def test_fields_are_checked():
    assert formats.parse_fields(" id, title ", RECORD_KEYS) == ("id", "title")
    assert formats.parse_fields(None, RECORD_KEYS) is None
    with pytest.raises(UsageError, match="unknown field 'nope'"):
        formats.parse_fields("id,nope", RECORD_KEYS)
    with pytest.raises(UsageError):
        formats.parse_fields(",", RECORD_KEYS)


@pytest.mark.parametrize("value, expected", [(None, ""), (["a", "b"], "a,b"), (3, "3"), (True, "true"), ("x", "x")])
def test_cells(value, expected):
    assert formats.cell(value) == expected
