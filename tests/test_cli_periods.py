"""--since/--until read what `stats` prints: a year, a month, an ISO week, a month by name in
any of the eight languages; --until includes all of it (issue 19 §3)."""

from __future__ import annotations

import csv
import io

import pytest

from newscli.archive.store import Store
from tests.factories import make_article

WHEN = {
    "eve": "2024-12-31T23:59:59",
    "new_year": "2025-01-01T00:00:00",
    "sun_w32": "2025-08-10T12:00:00",
    "mon_w33": "2025-08-11T00:00:00",
    "sun_w33": "2025-08-17T23:59:59.500000",
    "end_aug": "2025-08-31T23:59:59",
    "sep": "2025-09-01T00:00:00",
    "feb_29": "2024-02-29T18:00:00",
}
ARTICLES = {name: make_article(n, published=when) for n, (name, when) in enumerate(WHEN.items())}
NAME = {a.id: name for name, a in ARTICLES.items()}


@pytest.fixture
def corpus(store_path):
    Store(store_path).append(list(ARTICLES.values()))
    return store_path


def found(cli, *args) -> set[str]:
    result = cli("list", "-n", "0", *args)
    assert (result.exit_code, result.stderr) == (0, ""), result.stderr
    return {NAME[line.split("\t")[0]] for line in result.stdout.splitlines()}


@pytest.mark.parametrize("args, expected", [
    (["--since", "2025", "--until", "2025"], {"new_year", "sun_w32", "mon_w33", "sun_w33", "end_aug", "sep"}),
    (["--until", "2024"], {"eve", "feb_29"}),
    (["--since", "2025-08", "--until", "2025-08"], {"sun_w32", "mon_w33", "sun_w33", "end_aug"}),
    (["--since", "2025-09"], {"sep"}),
    (["--since", "2024-02", "--until", "2024-02"], {"feb_29"}),  # a leap February, whole
    (["--since", "2025-W33", "--until", "2025-W33"], {"mon_w33", "sun_w33"}),
    (["--since", "2025-w32", "--until", "2025-W32"], {"sun_w32"}),
    (["--since", "2025-W01", "--until", "2025-W01"], {"eve", "new_year"}),  # ISO week 1 starts in 2024
    (["--since", "August 2025", "--until", "August 2025"], {"sun_w32", "mon_w33", "sun_w33", "end_aug"}),
    (["--since", "Aug. 2025", "--until", "aug 2025"], {"sun_w32", "mon_w33", "sun_w33", "end_aug"}),
    (["--since", "серпень 2025", "--until", "серпня 2025"], {"sun_w32", "mon_w33", "sun_w33", "end_aug"}),
    (["--since", "sierpień 2025", "--until", "agosto 2025"], {"sun_w32", "mon_w33", "sun_w33", "end_aug"}),
    (["--since", "août 2025", "--until", "September 2025"], {"sun_w32", "mon_w33", "sun_w33", "end_aug", "sep"}),
    (["--since", "февраль 2024", "--until", "Februar 2024"], {"feb_29"}),
    (["--until", "dicembre 2024"], {"eve", "feb_29"}),
    # the forms that worked before still do
    (["--since", "2025-08-17", "--until", "2025-08-17"], {"sun_w33"}),
    (["--since", "17 August 2025", "--until", "2025-08-31 23:59:59"], {"sun_w33", "end_aug"}),
])
def test_a_year_month_or_week_is_included_whole(cli, corpus, args, expected):
    assert found(cli, *args) == expected


@pytest.mark.parametrize("by", ["year", "month", "week", "day"])
def test_every_period_stats_prints_reads_back_to_its_count(cli, corpus, by):
    result = cli("stats", "--by", by, "-f", "csv")
    rows = [row for row in csv.DictReader(io.StringIO(result.stdout)) if row[by]]
    assert len(rows) >= 2
    for row in rows:
        label = row[by]
        counted = cli("count", "--since", label, "--until", label)
        assert (counted.exit_code, counted.stdout) == (0, f"{row['count']}\n"), (by, label, counted.stderr)


@pytest.mark.parametrize("value", ["2025-13", "2025-00", "2025-W54", "2025-W00", "0000", "Smarch 2025"])
def test_a_period_that_does_not_exist_is_a_usage_error(cli, corpus, value):
    result = cli("list", "--since", value)
    assert result.exit_code == 2 and result.stdout == ""
    assert f"'{value}'" in result.stderr
