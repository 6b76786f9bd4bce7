"""Timestamps in eight languages, impossible dates refused, user filter dates."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newscli.dump import datewords, timestamps
from newscli.dump.dates import parse_user_date
from newscli.dump.datewords import month_number
from newscli.dump.timestamps import TimestampError, format_timestamp, parse_timestamp
from newscli.errors import UsageError


@pytest.mark.parametrize(
    "text, iso",
    [
        ("15 August 2025 18:52", "2025-08-15T18:52:00"),
        ("15. März 2025", "2025-03-15"),
        ("15. Maerz 2025 18:52 Uhr", "2025-03-15T18:52:00"),
        ("2. September 2024, 07:30", "2024-09-02T07:30:00"),
        ("9 de diciembre de 2024", "2024-12-09"),
        ("9 de diciembre de 2024 12:00", "2024-12-09T12:00:00"),
        ("August 15, 2025 6:52 PM", "2025-08-15T18:52:00"),
        ("Aug. 15, 2025 12:05 a.m.", "2025-08-15T00:05:00"),
        ("15.08.2025 18:52", "2025-08-15T18:52:00"),
        ("2025-08-15 18:52", "2025-08-15T18:52:00"),
        ("2025-01-20T07:45:00+02:00", "2025-01-20T07:45:00+02:00"),
        ("2025-01-20T07:45:00Z", "2025-01-20T07:45:00+00:00"),
        ("15 серпня 2025", "2025-08-15"),
        ("15 серпень 2025 18:52", "2025-08-15T18:52:00"),
        ("2 января 2024 г. 10:15", "2024-01-02T10:15:00"),
        ("15 sierpnia 2025 o 18:52", "2025-08-15T18:52:00"),
        ("3 fevrier 2025 à 18h52", "2025-02-03T18:52:00"),
        ("3 février 2025", "2025-02-03"),
        ("1 août 2025", "2025-08-01"),
        ("20 gennaio 2025 alle 07:45", "2025-01-20T07:45:00"),
        ("1 травня 2025 о 10:00", "2025-05-01T10:00:00"),
        ("15\xa0August\xa02025,\xa018:52", "2025-08-15T18:52:00"),
        ("  15 AUGUST 2025 18:52  ", "2025-08-15T18:52:00"),
        ("29 February 2024 00:00", "2024-02-29T00:00:00"),
        ("15 August 2025 18:52:07 +05:45", "2025-08-15T18:52:07+05:45"),
        ("08/15/2025 10:00", "2025-08-15T10:00:00"),
    ],
)
def test_timestamps_in_every_supported_form(text, iso):
    assert parse_timestamp(text) == iso


@pytest.mark.parametrize(
    "text, reason",
    [
        ("31 February 2025 10:00", "day 31 does not exist in February 2025"),
        ("29 February 2025", "day 29 does not exist in February 2025"),
        ("15 August 2025 24:61", "time 24:61 does not exist"),
        ("15 August 2025 24:00", "time 24:00 does not exist"),
        ("15 August " + "1" * 30, "is not a four-digit year"),
        ("15 Smarch 2025 18:52", "unknown month 'Smarch'"),
        ("Smarch 15, 2025", "unknown month 'Smarch'"),
        ("08/07/2025", "ambiguous date"),
        ("15.13.2025", "month 13 does not exist"),
        ("13:00 PM", "no date"),
        ("15 August 2025 13:00 PM", "12-hour clock"),
        ("15 August 2025 18:52 later", "unreadable time zone offset 'later'"),
        ("", "empty timestamp"),
        ("yesterday", "unknown month 'yesterday'"),
    ],
)
def test_impossible_or_unknown_timestamps_are_errors_with_the_reason(text, reason):
    with pytest.raises(TimestampError) as info:
        parse_timestamp(text)
    assert reason in str(info.value)
    assert "\n" not in str(info.value)


def test_timestamp_error_is_a_value_error():
    assert issubclass(TimestampError, ValueError)


def test_tz_attaches_a_zone_to_naive_timestamps_only():
    assert parse_timestamp("15 August 2025 18:52", "Europe/Kyiv") == "2025-08-15T18:52:00+03:00"
    assert parse_timestamp("15 January 2025 18:52", "Europe/Kyiv") == "2025-01-15T18:52:00+02:00"
    assert parse_timestamp("2025-01-20T07:45:00+05:00", "Europe/Kyiv") == "2025-01-20T07:45:00+05:00"


def test_unknown_tz_is_a_usage_error():
    with pytest.raises(UsageError, match="unknown time zone 'Mars/Olympus'"):
        parse_timestamp("15 August 2025 18:52", "Mars/Olympus")


def test_month_names_all_languages():
    assert month_number("Februar") == month_number("lutego") == month_number("лютого") == 2
    assert month_number("февраля") == month_number("febbraio") == month_number("Fevrier") == 2
    assert month_number("Smarch") is None


def test_an_oversized_timestamp_is_refused_before_it_is_read(monkeypatch):
    def never(text):
        raise AssertionError("a timestamp over the length limit was read")

    monkeypatch.setattr(timestamps, "_common", never)
    monkeypatch.setattr(timestamps, "_tokenized", never)
    with pytest.raises(TimestampError, match="longer than"):
        parse_timestamp("1 " * 500_000)


@pytest.mark.parametrize(
    "iso, text",
    [
        ("2025-08-15T18:52:00", "15 August 2025 18:52"),
        ("2025-08-05T08:02:00", "5 August 2025 08:02"),
        ("2025-08-15", "15 August 2025"),
        ("2025-01-20T07:45:00+02:00", "20 January 2025 07:45 +02:00"),
        ("2025-01-20T07:45:09", "20 January 2025 07:45:09"),
        ("2025-01-20T07:45:09.250000-03:30", "20 January 2025 07:45:09.250000 -03:30"),
    ],
)
def test_format_timestamp_is_canonical_and_reparses(iso, text):
    assert format_timestamp(iso) == text
    assert parse_timestamp(text) == iso


NOW = datetime(2025, 8, 20, 12, 30)


@pytest.mark.parametrize(
    "text, end, expected",
    [
        ("2025-08-15", False, datetime(2025, 8, 15)),
        ("2025-08-15", True, datetime(2025, 8, 15, 23, 59, 59, 999999)),
        ("15 August 2025", True, datetime(2025, 8, 15, 23, 59, 59, 999999)),
        ("15. März 2025", False, datetime(2025, 3, 15)),
        ("2025-08-15 10:00", True, datetime(2025, 8, 15, 10, 0)),
        ("Aug 15 2025 10:00", True, datetime(2025, 8, 15, 10, 0)),
        ("2025/08/15", True, datetime(2025, 8, 15, 23, 59, 59, 999999)),
        ("today", False, datetime(2025, 8, 20)),
        ("today", True, datetime(2025, 8, 20, 23, 59, 59, 999999)),
        ("yesterday", False, datetime(2025, 8, 19)),
        ("7d", False, datetime(2025, 8, 13, 12, 30)),
        ("2w", False, datetime(2025, 8, 6, 12, 30)),
        ("3m", False, datetime(2025, 5, 20, 12, 30)),
        ("1y", False, datetime(2024, 8, 20, 12, 30)),
        (" 7D ", False, datetime(2025, 8, 13, 12, 30)),
    ],
)
def test_user_dates(text, end, expected):
    assert parse_user_date(text, now=NOW, end_of_day=end) == expected


def test_user_dates_keep_the_zone_of_now_for_relative_values():
    now = datetime(2025, 8, 20, 12, 30, tzinfo=timezone.utc)
    assert parse_user_date("1d", now=now).tzinfo is timezone.utc
    assert parse_user_date("today", now=now).tzinfo is timezone.utc


@pytest.mark.parametrize("text", ["garbage", "", "   ", "August 2025", "2025", "32 August 2025", "99999y", "7x"])
def test_user_date_garbage_is_a_usage_error(text):
    with pytest.raises(UsageError) as info:
        parse_user_date(text, now=NOW)
    assert "\n" not in str(info.value)


_MONTH_WORDS = sorted({form for forms in datewords.MONTHS_BY_LANG.values() for group in forms for form in group})
_NUMBER = st.integers(0, 99).map(str) | st.sampled_from(["0", "00", "007", "٣", "١٥"])


@given(day=_NUMBER, word=st.sampled_from(_MONTH_WORDS + ["de", "Smarch", "AUGUST", "août"]),
       year=st.integers(0, 9999).map(lambda y: f"{y:04d}"), hour=_NUMBER, minute=_NUMBER)
def test_the_common_byline_shape_reads_as_the_tokenizer_reads_it(day, word, year, hour, minute):
    text = f"{day} {word} {year} {hour}:{minute}"
    quick = timestamps._common(text)
    try:
        slow = timestamps._tokenized(text)
    except TimestampError:
        assert quick is None  # the tokenizer is the one that says why
    else:
        assert quick is None or quick == slow


def test_the_common_byline_shape_takes_the_short_way():
    assert timestamps._common("15 August 2025 18:52") == datetime(2025, 8, 15, 18, 52)
    assert timestamps._common("5 серпня 2025 8:02") == datetime(2025, 8, 5, 8, 2)
    assert timestamps._common("31 February 2025 18:52") is None  # left to the tokenizer's message
