"""Extreme values a hostile or merely odd archive holds (issue 20, item 9): years 0001 and
9999, offsets of -14:00 at the end of time, and paging numbers SQLite cannot hold."""

from __future__ import annotations

import json

import pytest

from newscli.archive.store import Store
from tests.reliability_support import TRACEBACK, plain_article


@pytest.fixture
def extremes(store_path):
    Store(store_path).append([
        plain_article(1, published="9999-12-31T23:00:00-14:00"),  # the last hour there is, far west
        plain_article(2, published="9999-06-01T12:00:00"),
        plain_article(3, published="2025-03-04T05:06:00+14:00"),
    ])


@pytest.mark.parametrize("by", ["month", "day", "week", "year", "source", "tag", "lang"])
def test_stats_at_the_end_of_time(cli, extremes, by):
    result = cli("stats", "--by", by, "-f", "json")
    assert result.exit_code == 0 and TRACEBACK not in result.output, result.output
    rows = json.loads(result.stdout)
    assert sum(row["count"] for row in rows) >= 3
    if by in ("month", "day", "week", "year"):
        last = {"month": "9999-12", "day": "9999-12-31", "week": "9999-W52", "year": "9999"}[by]
        assert rows[-1] == {by: last, "count": 2 if by == "year" else 1}


def test_stats_and_info_with_the_end_of_time_as_a_table(cli, extremes):
    for args in (["stats"], ["info"], ["stats", "--by", "year"], ["list"]):
        result = cli(*args)
        assert result.exit_code == 0 and TRACEBACK not in result.output, (args, result.output)


def test_a_year_0001_article_does_not_fill_two_thousand_years_of_empty_days(cli, store_path):
    Store(store_path).append([plain_article(1, published="0001-01-01T00:00:00"),
                              plain_article(2, published="2025-08-01T10:00:00"),
                              plain_article(3, published="2025-08-03T10:00:00")])
    rows = json.loads(cli("stats", "--by", "day", "-f", "json").stdout)
    assert rows == [{"day": "0001-01-01", "count": 1}, {"day": "2025-08-01", "count": 1},
                    {"day": "2025-08-03", "count": 1}]  # only the days with articles: sparse
    months = json.loads(cli("stats", "--by", "year", "-f", "json").stdout)
    assert len(months) == 2025 and months[1] == {"year": "0002", "count": 0}  # 2,025 years: filled


def test_a_narrow_range_is_still_zero_filled(cli, store_path):
    Store(store_path).append([plain_article(1, published="2025-08-01T10:00:00"),
                              plain_article(2, published="2025-08-03T10:00:00")])
    rows = json.loads(cli("stats", "--by", "day", "-f", "json").stdout)
    assert [r["count"] for r in rows] == [1, 0, 1]


@pytest.mark.parametrize("option", ["--limit", "--offset"])
@pytest.mark.parametrize("command", ["list", "export", "search"])
def test_paging_numbers_sqlite_cannot_hold_are_a_usage_error(cli, extremes, option, command):
    args = [command] + (["article"] if command == "search" else []) + [option, str(1 << 63)]
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert "must be below 2^63" in result.stderr and TRACEBACK not in result.output
    largest = cli(*args[:-1], str((1 << 63) - 1))
    assert largest.exit_code in (0, 1) and "internal error" not in largest.output
