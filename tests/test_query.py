"""Filters, ordering and id prefixes, on records built directly."""

from __future__ import annotations

from datetime import datetime

import pytest

from newscli.errors import AmbiguousIdError, NotFoundError, UsageError
from newscli.query import Filters, newest_first, resolve_id
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


def test_newest_first_with_limit():
    records = [rec(n, published=f"2025-01-{n:02d}T00:00:00") for n in (3, 1, 2, 5, 4)]
    assert [r["published"][8:10] for r in newest_first(records, Filters())] == ["05", "04", "03", "02", "01"]
    assert [r["published"][8:10] for r in newest_first(records, Filters(), limit=2)] == ["05", "04"]


def test_resolve_id_unique_prefix():
    records = [rec(n) for n in range(5)]
    target = records[3]
    assert resolve_id(records, target["id"][:6].upper()) is target


def test_resolve_id_errors():
    records = [{"id": "abcd1111"}, {"id": "abcd2222"}]
    with pytest.raises(AmbiguousIdError, match="abcd1111, abcd2222"):
        resolve_id(records, "abcd")
    with pytest.raises(NotFoundError, match="no article with id 'ffff'"):
        resolve_id(records, "ffff")
    with pytest.raises(UsageError, match="at least 4 hex"):
        resolve_id(records, "abc")
    with pytest.raises(UsageError):
        resolve_id(records, "xyz12")
