"""`newscli trend`: attention over time, as a user pipes it, reads it and draws it (issue 22)."""

from __future__ import annotations

import csv
import io
import json
import os
import sys

import pytest

from newscli.archive.store import Store
from tests.conftest import TESTS
from tests.factories import make_article

GOLDEN = TESTS / "golden" / "analysis"
UPDATE = os.environ.get("NEWSCLI_UPDATE_GOLDEN") == "1"
CHART = {"FORCE_COLOR": "1", "NO_COLOR": "1", "COLUMNS": "80"}


def art(n, day, body, **more):
    return make_article(n, title=f"Meldung {n}", body=body, published=f"{day}T10:00:00", **more)


@pytest.fixture
def weeks(store_path):
    """Three weeks of August 2025 with a silent week between, and one undated article."""
    Store(store_path).append([
        art(1, "2025-08-04", "Lukashenko in Minsk.", source="Belta"),
        art(2, "2025-08-05", "Gas prices rise.", source="Belta"),
        art(3, "2025-08-06", "Lukashenko and gas.", source="Kyiv Post"),
        art(4, "2025-08-20", "Gas again, Lukashenko again.", source="Kyiv Post"),
        art(5, "2025-08-21", "Weather.", source="Kyiv Post"),
        art(6, "2025-08-22", "Lukashenko.", source="Belta"),
        make_article(7, title="Undated", body="Lukashenko without a date.", published="not a date"),
    ])


def rows(result):
    assert result.exit_code == 0, result.stderr
    return [line.split("\t") for line in result.stdout.splitlines()]


def test_piped_rows_have_every_bucket_zeros_and_the_undated(cli, weeks):
    assert rows(cli("trend", "lukashenko", "--by", "week")) == [
        ["2025-W32", "lukashenko", "2", "3", "0.666667"],
        ["2025-W33", "lukashenko", "0", "0", ""],  # a silent week is there, its share unknown
        ["2025-W34", "lukashenko", "2", "3", "0.666667"],
        ["", "lukashenko", "1", "1", "1.0"],
    ]


def test_several_queries_labels_and_the_filters(cli, weeks):
    got = rows(cli("trend", "Luka=lukashenko", "Gas=gas", "--by", "month", "--source", "kyiv post"))
    assert got == [["2025-08", "Luka", "2", "3", "0.666667"], ["2025-08", "Gas", "2", "3", "0.666667"]]
    # -q belongs to the filters: the total is what matches it, the series narrow it further
    assert rows(cli("trend", "gas", "-q", "lukashenko", "--by", "month")) == [
        ["2025-08", "gas", "2", "4", "0.5"], ["", "gas", "0", "1", "0.0"]]
    everything = rows(cli("trend", "--by", "year"))
    assert everything == [["2025", "all articles", "6", "6", "1.0"], ["", "all articles", "1", "1", "1.0"]]


def test_since_until_set_the_range_even_where_nothing_was_published(cli, weeks):
    got = rows(cli("trend", "gas", "--by", "week", "--since", "2025-07-28", "--until", "2025-08-17"))
    assert [r[0] for r in got] == ["2025-W31", "2025-W32", "2025-W33"]
    assert [r[2] for r in got] == ["0", "2", "0"]


def test_formats_and_fields(cli, weeks):
    as_json = json.loads(cli("trend", "gas", "--by", "month", "--json").stdout)
    assert as_json == [{"bucket": "2025-08", "query": "gas", "count": 3, "total": 6, "share": 0.5},
                       {"bucket": "", "query": "gas", "count": 0, "total": 1, "share": 0.0}]
    lines = cli("trend", "gas", "--by", "month", "-f", "jsonl", "--until", "2025-08-31").stdout.splitlines()
    assert [json.loads(line) for line in lines] == [as_json[0]]
    table = list(csv.reader(io.StringIO(cli("trend", "gas", "--by", "year", "-f", "csv").stdout)))
    assert table == [["bucket", "query", "count", "total", "share"], ["2025", "gas", "3", "6", "0.5"],
                     ["", "gas", "0", "1", "0.0"]]
    assert cli("trend", "gas", "--by", "year", "--fields", "bucket,count").stdout == "2025\t3\n\t0\n"


def test_smooth_is_a_rolling_mean_of_counts_and_totals(cli, weeks):
    got = rows(cli("trend", "lukashenko", "--by", "week", "--smooth", "2", "--until", "2025-08-31"))
    assert got == [["2025-W32", "lukashenko", "2.0", "3.0", "0.666667"],  # a column keeps one type
                   ["2025-W33", "lukashenko", "1.0", "1.5", "0.666667"],
                   ["2025-W34", "lukashenko", "1.0", "1.5", "0.666667"],
                   ["2025-W35", "lukashenko", "1.0", "1.5", "0.666667"]]


def test_the_default_unit_gives_a_chart_of_20_to_60_buckets(cli, store_path):
    Store(store_path).append([art(n, day, "Text.") for n, day in enumerate(
        ["2019-01-03", "2025-12-30", "2025-06-01"])])
    assert len(rows(cli("trend"))) == 7  # 7 years: months would be 84, years the nearest to 20-60
    assert len(rows(cli("trend", "--since", "2025-06-01", "--until", "2025-06-30"))) == 30  # days
    assert len(rows(cli("trend", "--since", "2025-01-01", "--until", "2025-12-31"))) == 53  # weeks
    assert len(rows(cli("trend", "--since", "2023-01-01", "--until", "2025-12-31"))) == 36  # months


def test_a_range_of_too_many_buckets_is_refused_not_drawn(cli, store_path):
    Store(store_path).append([art(1, "0900-01-01", "A typo'd year."), art(2, "2025-01-01", "Text.")])
    refused = cli("trend", "--by", "day")
    assert refused.exit_code == 2
    assert refused.stderr == ("newscli: 0900-01-01 to 2025-01-01 is 410,899 days, more than 20,000:"
                              " count by a longer unit (--by) or narrow the dates (--since/--until)\n")
    assert len(rows(cli("trend"))) == 1126  # the default unit (years) still draws it


@pytest.mark.parametrize("args, message", [
    (["--by", "hour"], "cannot count by 'hour'"),
    (["--smooth", "0"], "--smooth takes a number of buckets"),
    (["gas", "gas"], "two series are called 'gas'"),
    (["A=gas", "A=oil"], "two series are called 'A'"),
    (["-q", "-gas"], "nothing to search for"),
    (["--fields", "bucket,nope"], "unknown field 'nope'"),
])
def test_usage_errors(cli, weeks, args, message):
    result = cli("trend", *args)
    assert result.exit_code == 2 and result.stderr.startswith("newscli: ") and message in result.stderr


def test_chart_in_80_columns_without_colour(cli, weeks):
    result = cli("trend", "Lukashenko=lukashenko", "gas", "--by", "week", env=CHART)
    assert result.exit_code == 0 and "\x1b" not in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    _golden("trend_weeks.txt", result.stdout)
    share = cli("trend", "lukashenko", "--by", "week", "--share", env=CHART)
    _golden("trend_share.txt", share.stdout)
    coloured = cli("trend", "lukashenko", "gas", env={"FORCE_COLOR": "1", "COLUMNS": "80"}).stdout
    assert "\x1b[36m" in coloured and "\x1b[35m" in coloured  # one colour per series


def test_untrusted_labels_stay_inert_on_the_chart(cli, weeks):
    shown = cli("trend", "Evil\x1b[31m=gas", env=CHART).stdout
    assert "\x1b" not in shown and "Evil\\x1b[31m" in shown


def test_no_match_on_a_terminal_says_so(cli, store_path):
    Store(store_path).append([])
    result = cli("trend", "gas", env=CHART)
    assert result.exit_code == 0 and result.stdout == "" and "No articles match." in result.stderr


def test_an_image_without_the_plot_extra_is_one_line_naming_it(cli, weeks, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if not installed
    result = cli("trend", "gas", "--png", str(tmp_path / "gas.png"))
    assert result.exit_code == 1
    assert result.stderr == "newscli: --png needs the optional packages of newscli[plot]: pip install 'newscli[plot]'\n"


def test_png_and_svg_with_the_plot_extra(cli, weeks, tmp_path):
    pytest.importorskip("matplotlib")
    result = cli("trend", "gas", "lukashenko", "--share", "--png", str(tmp_path / "t.png"),
                 "--svg", str(tmp_path / "t.svg"))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "t.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = (tmp_path / "t.svg").read_text()
    assert "<svg" in svg and "lukashenko" in svg


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def _day_tables(store_path):
    """day_counts as the index keeps it, and the same counted by grouping every row."""
    from newscli.index.sync import session

    with session(store_path, print) as index:
        kept = {day or None: n for day, n in index.conn.execute("SELECT day, n FROM day_counts")}
        grouped = dict(index.conn.execute("SELECT substr(published, 1, 10), count(*) FROM articles GROUP BY 1"))
    return kept, grouped


def test_the_whole_archive_is_counted_from_day_counts_kept_as_rows_go_in_and_out(cli, store_path):
    from newscli.archive.store import encode_record

    dated = ["2024-12-31T23:59:59", "2025-01-01T00:00:00", "2025-01-01T12:00:00", "2025-03-01T00:00:00",
             "2025-02-28T23:59:00", "not a date", "2026-01-01T00:00:00", "undated"]
    articles = [make_article(n, published=published) for n, published in enumerate(dated)]
    Store(store_path).append(articles)
    by_day = cli("trend", "--by", "day", "--format", "jsonl")
    assert by_day.exit_code == 0, by_day.stderr
    buckets = [json.loads(line) for line in by_day.stdout.splitlines()]
    assert sum(b["count"] for b in buckets) == 8 and buckets[-1] == {  # undated ones: the last bucket
        "bucket": "", "query": "all articles", "count": 2, "total": 2, "share": 1.0}
    kept, grouped = _day_tables(store_path)
    assert kept == grouped == {"2024-12-31": 1, "2025-01-01": 2, "2025-02-28": 1, "2025-03-01": 1,
                               "2026-01-01": 1, None: 2}
    with open(store_path, "ab") as handle:  # by hand: an id already held (no row) and a new day
        handle.write(encode_record({**articles[1].to_record(), "tags": ["Other"]}))
        handle.write(encode_record(make_article(20, published="2027-05-05T09:00:00").to_record()))
    kept, grouped = _day_tables(store_path)
    assert kept == grouped and kept["2027-05-05"] == 1 and kept["2025-01-01"] == 2
    removed = cli("rm", articles[6].id, articles[1].id, articles[7].id, "--yes")  # a day's only one, one of two
    assert removed.exit_code == 0, removed.stderr
    kept, grouped = _day_tables(store_path)
    assert kept == grouped and "2026-01-01" not in kept and kept["2025-01-01"] == 1 and kept[None] == 1
    after = cli("trend", "--by", "day", "--format", "jsonl", "--since", "2025-01-01", "--until", "2025-01-01")
    assert [json.loads(line)["count"] for line in after.stdout.splitlines()] == [1]
