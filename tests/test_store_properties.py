"""Whatever bytes are in the store file, readers return records and warnings, never an
exception; the next append either refuses with one StoreError or moves the damaged end aside
so that, byte for byte, nothing of the old file is lost."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscli.archive.store import Store, decode_line, encode_record
from newscli.errors import StoreError
from newscli.index import questions
from newscli.index.filters import Filters, Order
from newscli.index.sync import session
from newscli.jobs.check import check
from tests.factories import make_article

VALID = [encode_record(make_article(n).to_record()) for n in range(5)]

line_like = st.one_of(
    st.sampled_from(VALID),
    st.binary(max_size=200),
    st.binary(max_size=60).map(lambda b: b + b"\n"),
    st.integers(1, 5000).map(lambda n: b"[" * n + b"\n"),  # nesting deeper than the JSON parser goes
    st.integers(4000, 6000).map(lambda n: b'{"id":"x","n":' + b"9" * n + b"}\n"),  # too many digits
    st.sampled_from([b"{}\n", b"null\n", b'"text"\n', b'{"id": 5}\n', b'{"id": "a", "title": []}\n',
                     b'\xef\xbb\xbf{"id":"a"}\n', b"\x00" * 64, b"\n", b"\r\n", b'{"id":"\xed\xa0\x80"}\n',
                     b'{"id":"a","title":"t","source":"s","published":"p","body":"b","tags":[1]}\n',
                     b'{"id":"a","title":"t","source":"s","published":"p","body":"b","first_line":true}\n']),
)
contents = st.lists(line_like, max_size=12).map(b"".join)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@contextmanager
def _fresh(data: bytes) -> Iterator[Path]:
    """A store holding `data` in a folder of its own, gone afterwards (hypothesis runs
    each test hundreds of times, and pytest's tmp_path is one folder per test)."""
    with tempfile.TemporaryDirectory(prefix="newscli-prop-") as folder:
        path = Path(folder) / "articles.jsonl"
        path.write_bytes(data)
        yield path


@SETTINGS
@given(contents)
def test_any_bytes_give_records_or_warnings_never_an_exception(data):
    with _fresh(data) as path:
        problems = []
        records = list(Store(path, on_problem=problems.append).records())
        assert all(p.is_error is False and p.line is not None for p in problems)
        assert all(isinstance(r["id"], str) for r in records)
        index_problems = []
        with session(path, index_problems.append) as index:
            found = list(index.records(questions.select(index, Filters(), Order())))
        assert sorted(r["id"] for r in found) == sorted({r["id"] for r in records})
        check(path)  # never raises either


@SETTINGS
@given(contents)
def test_the_next_append_loses_no_byte(data):
    with _fresh(data) as path:
        try:
            Store(path).append([make_article(77)])
        except StoreError as exc:
            assert "no line in it is a newscli record" in str(exc)
            assert path.read_bytes() == data
            return
        after = path.read_bytes()
        aside = b"".join(p.read_bytes() for p in path.parent.glob("articles.jsonl.torn-*"))
        assert after.endswith(b"\n")
        kept = after[: after.rfind(b"\n", 0, len(after) - 1) + 1]  # all but the line just appended
        # What stayed in the store, followed by what went aside, is the old file exactly.
        assert kept + aside == data
        assert list(Store(path).records())[-1]["title"] == "Title number 77"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_decode_line_raises_only_value_error(line):
    try:
        record = decode_line(line)
    except ValueError:
        return
    assert isinstance(record, dict) and isinstance(record["id"], str)
