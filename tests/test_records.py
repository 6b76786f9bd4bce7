"""An article prepared where it was parsed is stored and indexed exactly as one prepared by
the writer: the same line, byte for byte, and the same index values as decoding that line."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newscli.archive.records import encode_record, index_values, prepare, stamped_line
from newscli.archive.store import Store, decode_line
from newscli.model import Article
from tests.factories import make_article

text = st.text(st.characters(blacklist_categories=["Cs"]), max_size=40)
articles = st.builds(
    Article, title=text, source=text, published=st.sampled_from(
        ["2025-08-15T18:52:00", "2025-08-15T18:52:00+03:00", "2025-08-15", "2025-08-15T18:52:00.250000", "not a date"]),
    body=text, tags=st.lists(text, max_size=3).map(tuple), lang=st.sampled_from([None, "de", "UK"]),
    source_label=st.none() | text, raw=st.none() | text, file=text, first_line=st.integers(1, 10**6),
    last_line=st.integers(1, 10**6))
stamps = st.sampled_from(["2026-11-26T03:00:00+00:00", "1999-01-01T00:00:00+00:00"])


@settings(max_examples=300, deadline=None)
@given(articles, stamps)
def test_a_prepared_line_is_the_encoded_record_with_its_stamp(article, stamp):
    ready = prepare(article)
    record = article.to_record() | {"ingested_at": stamp}
    line = stamped_line(ready.head, stamp)
    assert line == encode_record(record)
    assert ready.id == article.id
    assert ready.values == index_values(decode_line(line))


def test_the_store_writes_prepared_and_plain_articles_alike(tmp_path):
    plain, ready = Store(tmp_path / "a.jsonl"), Store(tmp_path / "b.jsonl")
    first = plain.append([make_article(n) for n in range(3)])
    second = ready.append([prepare(make_article(n)) for n in range(3)])
    assert [a.id for a in first.added] == [a.id for a in second.added]
    stamp = first.written.ingested
    assert (tmp_path / "b.jsonl").read_bytes().replace(second.written.ingested.encode(), stamp.encode()) \
        == (tmp_path / "a.jsonl").read_bytes()
    assert first.written.values == second.written.values
    assert len(ready.append([prepare(make_article(1)), make_article(4)]).duplicates) == 1
