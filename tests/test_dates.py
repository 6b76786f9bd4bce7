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
        ("15 August 2025 18:52 later", "unknown time zone 'later' after the time"),
        ("", "empty timestamp"),
        ("yesterday", "unknown month 'yesterday'"),
    ],
)
def test_impossible_or_unknown_timestamps_are_errors_with_the_reason(text, reason):
    with pytest.raises(TimestampError) as info:
        parse_timestamp(text)
    assert reason in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "text, iso",
    [
        # a weekday before the date, full and short, in every language
        ("Saturday, 5 December 2026 12:00", "2026-12-05T12:00:00"),
        ("Sat 5 Dec 2026", "2026-12-05"),
        ("Samstag, 5. Dezember 2026, 18.52 Uhr", "2026-12-05T18:52:00"),
        ("samedi 5 décembre 2026 à 18h52", "2026-12-05T18:52:00"),
        ("sábado, 5 de diciembre de 2026", "2026-12-05"),
        ("sabato 5 dicembre 2026 ore 12:00", "2026-12-05T12:00:00"),
        ("sobota, 5 grudnia 2026 godz. 18:52", "2026-12-05T18:52:00"),
        ("Субота, 5 грудня 2026, 12:00", "2026-12-05T12:00:00"),
        ("П’ятниця, 4 грудня 2026 о 18:52", "2026-12-04T18:52:00"),
        ("суббота, 5 декабря 2026 г., 12:00", "2026-12-05T12:00:00"),
        ("Mar 5, 2026", "2026-03-05"),  # March, not a Tuesday
        ("mar 8 dic 2026", "2026-12-08"),  # martes: a month follows
        # ordinals
        ("December 5th, 2026", "2026-12-05"),
        ("5th December 2026 12:00", "2026-12-05T12:00:00"),
        ("November 1st, 2026 9:05 AM", "2026-11-01T09:05:00"),
        ("22nd March 2026", "2026-03-22"),
        ("1er décembre 2026", "2026-12-01"),
        # the time first
        ("12:00, 5 December 2026", "2026-12-05T12:00:00"),
        ("12:00 5 December 2026", "2026-12-05T12:00:00"),
        ("6:52 PM, December 5, 2026", "2026-12-05T18:52:00"),
        ("18:52, Saturday, 5 December 2026", "2026-12-05T18:52:00"),
        # zone words and offsets
        ("5 December 2026 12:00 UTC", "2026-12-05T12:00:00+00:00"),
        ("5 December 2026 12:00 GMT", "2026-12-05T12:00:00+00:00"),
        ("5 December 2026 12:00 CET", "2026-12-05T12:00:00+01:00"),
        ("5 August 2026 12:00 CEST", "2026-08-05T12:00:00+02:00"),
        ("5. August 2026 12:00 Uhr MESZ", "2026-08-05T12:00:00+02:00"),
        ("5 December 2026 12:00 EET", "2026-12-05T12:00:00+02:00"),
        ("5 серпня 2026 12:00 EEST", "2026-08-05T12:00:00+03:00"),
        ("5 декабря 2026 12:00 МСК", "2026-12-05T12:00:00+03:00"),
        ("5 December 2026 12:00 (MSK)", "2026-12-05T12:00:00+03:00"),
        ("5 December 2026 12:00 +0300", "2026-12-05T12:00:00+03:00"),
        ("5 December 2026 12:00 UTC+3", "2026-12-05T12:00:00+03:00"),
        ("5 December 2026 12:00 GMT -05:00", "2026-12-05T12:00:00-05:00"),
        ("December 5, 2026 7:00 AM EST", "2026-12-05T07:00:00-05:00"),
        ("12:00 CET, 5 December 2026", "2026-12-05T12:00:00+01:00"),
        ("2026-12-05T12:00:00+14:00", "2026-12-05T12:00:00+14:00"),
        # numeric dates that only one order can be
        ("2026/12/05 12:00", "2026-12-05T12:00:00"),
        ("05/05/2026", "2026-05-05"),
    ],
)
def test_bylines_as_sites_write_them(text, iso):
    assert parse_timestamp(text) == iso


@pytest.mark.parametrize(
    "text, reason",
    [
        ("Friday 12:00", "no date (day, month, year) after the weekday 'Friday'"),
        ("5 Friday 2026 12:00", "'Friday' is a weekday where the month should be"),
        ("5 Decmber 2026 12:00", "unknown month 'Decmber' (did you mean 'december'?)"),
        ("5 Smorch 2026", "unknown month 'Smorch'"),
        ("December 5st, 2026", "ordinal '5st' does not fit its number (expected '5th')"),
        ("5 December 2026 12:00 IST", "time zone 'IST' is ambiguous (India, Ireland or Israel); name the zone with ingest --tz"),
        ("5 December 2026 12:00 CST", "time zone 'CST' is ambiguous"),
        ("5 December 2026 12:00 XYZ", "unknown time zone 'XYZ'"),
        ("5 December 2026 12:00 +15:00", "offset '+15:00' is beyond ±14:00"),
        ("2026-12-05T12:00:00-14:30", "is beyond ±14:00"),
        ("12:00 5 December 2026 13:00", "two times"),
        ("08/07/2025", "ambiguous date '08/07/2025' (8 July or 7 August?); say which with ingest --date-order dmy or --date-order mdy"),
    ],
)
def test_unreadable_bylines_say_what_was_found_and_expected(text, reason):
    with pytest.raises(TimestampError) as info:
        parse_timestamp(text)
    assert reason in str(info.value)


def test_date_order_settles_slash_dates():
    assert parse_timestamp("08/07/2025 10:00", date_order="dmy") == "2025-07-08T10:00:00"
    assert parse_timestamp("08/07/2025 10:00", date_order="mdy") == "2025-08-07T10:00:00"
    assert parse_timestamp("15.08.2025", date_order="mdy") == "2025-08-15"  # dots are always day first
    with pytest.raises(TimestampError, match="month 15 does not exist"):
        parse_timestamp("08/15/2025", date_order="dmy")  # the order given is the order read
    with pytest.raises(TimestampError, match="does not start with the year"):
        parse_timestamp("08/07/2025", date_order="ymd")
    assert parse_timestamp("2025/07/08", date_order="ymd") == "2025-07-08"


def test_a_weekday_that_contradicts_the_date_keeps_the_date_with_a_note():
    iso, note = timestamps.read_timestamp("Friday, 5 December 2026 12:00")
    assert iso == "2026-12-05T12:00:00"
    assert note == "'Friday' does not match 5 December 2026, a Saturday; the date is kept"
    assert timestamps.read_timestamp("Saturday, 5 December 2026 12:00") == ("2026-12-05T12:00:00", None)


def test_clock_changes_with_tz():
    berlin = timestamps.Reading(tz="Europe/Berlin")
    with pytest.raises(TimestampError) as info:
        timestamps.read_timestamp("30 March 2025 02:30", berlin)
    assert str(info.value).startswith("02:30 on 30 March 2025 did not exist in Europe/Berlin: the clocks went forward an hour")
    iso, note = timestamps.read_timestamp("26 October 2025 02:30", berlin)
    assert iso == "2025-10-26T02:30:00+02:00"
    assert note == "02:30 on 26 October 2025 happened twice in Europe/Berlin (the clocks went back); the first, +02:00, is kept"
    assert timestamps.read_timestamp("26 October 2025 03:30", berlin) == ("2025-10-26T03:30:00+01:00", None)
    assert timestamps.read_timestamp("30 March 2025 02:30 +01:00", berlin)[0] == "2025-03-30T02:30:00+01:00"


def test_an_ambiguous_zone_word_is_read_with_the_tz_that_calls_it_so():
    assert parse_timestamp("5 December 2026 12:00 IST", tz="Asia/Kolkata") == "2026-12-05T12:00:00+05:30"
    assert parse_timestamp("5 July 2026 12:00 IST", tz="Europe/Dublin") == "2026-07-05T12:00:00+01:00"
    assert parse_timestamp("5 December 2026 12:00 CST", tz="America/Chicago") == "2026-12-05T12:00:00-06:00"
    with pytest.raises(TimestampError, match="time zone 'CST' is not what --tz Europe/Berlin calls 12:00 on 5 December 2026 \\('CET'\\)"):
        parse_timestamp("5 December 2026 12:00 CST", tz="Europe/Berlin")


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


@pytest.mark.parametrize("text", ["garbage", "", "   ", "August", "Smarch 2025", "2025-W60", "32 August 2025", "99999y", "7x"])
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
        slow, _note, _zone = timestamps._tokenized(text, None)
    except TimestampError:
        assert quick is None  # the tokenizer is the one that says why
    else:
        assert quick is None or quick == slow


def test_the_common_byline_shape_takes_the_short_way():
    assert timestamps._common("15 August 2025 18:52") == datetime(2025, 8, 15, 18, 52)
    assert timestamps._common("5 серпня 2025 8:02") == datetime(2025, 8, 5, 8, 2)
    assert timestamps._common("31 February 2025 18:52") is None  # left to the tokenizer's message
