"""Filters, ordering and id prefixes, on records built directly."""

from __future__ import annotations

from datetime import datetime

import pytest

from newscli.errors import AmbiguousIdError, NotFoundError, UsageError
from newscli.index import questions
from newscli.index.filters import Filters, Order
from tests.factories import make_article


def rec(n, **kw):
    return make_article(n, **kw).to_record()


@pytest.mark.parametrize("wanted", ["Politik", "politik", "#POLITIK", " #politik "])
def test_tag_filter_ignores_case_and_hash(wanted):
    assert Filters(tags=(wanted,)).matches(rec(1, tags=("Politik", "EU")))


def test_tag_filter_ignores_accents_and_needs_every_tag():
    record = rec(1, tags=("Außenpolitik", "Économie"))
    assert Filters(tags=("economie", "außenpolitik")).matches(record)
    assert not Filters(tags=("economie", "Sport")).matches(record)


def test_source_and_lang_filters():
    record = rec(1, source="Chas Pravdy", lang="de")
    assert Filters(source="chas pravdy", lang="DE").matches(record)
    assert not Filters(source="Chas").matches(record)
    assert not Filters(lang="en").matches(record)


def test_since_until_are_inclusive_and_compare_wall_clock():
    record = rec(1, published="2025-08-15T18:52:00+02:00")
    assert Filters(since=datetime(2025, 8, 15, 18, 52), until=datetime(2025, 8, 15, 18, 52)).matches(record)
    assert not Filters(since=datetime(2025, 8, 15, 18, 53)).matches(record)
    assert not Filters(until=datetime(2025, 8, 15, 18, 51)).matches(record)


def index_of(tmp_path, records):
    from newscli.archive.store import encode_record
    from newscli.index.sync import session

    path = tmp_path / "articles.jsonl"
    path.write_bytes(b"".join(encode_record(r) for r in records))
    return session(path)


def test_newest_first_with_limit(tmp_path):
    records = [rec(n, published=f"2025-01-{n:02d}T00:00:00") for n in (3, 1, 2, 5, 4)]
    with index_of(tmp_path, records) as index:
        days = lambda order: [r["published"][8:10] for r in index.records(questions.select(index, Filters(), order))]  # noqa: E731
        assert days(Order()) == ["05", "04", "03", "02", "01"]
        assert days(Order(limit=2)) == ["05", "04"]


def test_resolve_id_unique_prefix(tmp_path):
    records = [rec(n) for n in range(5)]
    with index_of(tmp_path, records) as index:
        assert questions.resolve(index, records[3]["id"][:6].upper()) == records[3]


def test_resolve_id_errors(tmp_path):
    records = [dict(rec(1), id="abcd1111"), dict(rec(2), id="abcd2222")]
    with index_of(tmp_path, records) as index:
        with pytest.raises(AmbiguousIdError, match="abcd1111, abcd2222"):
            questions.resolve(index, "abcd")
        with pytest.raises(NotFoundError, match="no article with id 'ffff'"):
            questions.resolve(index, "ffff")
        with pytest.raises(UsageError, match="at least 4 of its hex digits"):
            questions.resolve(index, "abc")
        with pytest.raises(UsageError):
            questions.resolve(index, "xyz12")


def test_undated_articles_never_match_a_date_range():
    record = rec(1, published="sometime")
    assert Filters().matches(record)
    assert not Filters(until=datetime(2030, 1, 1)).matches(record)
