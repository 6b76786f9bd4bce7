"""Numbers and dates on a terminal read the same everywhere (7,204; 4.2 GB; 2025-08-15 18:52);
pipes and JSON keep plain digits, bytes and ISO 8601 (issue 21)."""

from __future__ import annotations

import json
import re

import pytest

from newscli.archive.store import Store
from newscli.dump.write import format_dumps
from tests.factories import make_article

TERMINAL = {"FORCE_COLOR": "1", "NO_COLOR": "1", "COLUMNS": "80"}


@pytest.fixture
def many(store_path):
    Store(store_path).append(
        [make_article(n, title=f"Item {n}", source=f"Source {n % 4}", tags=(f"T{n % 7}", "Politik"),
                      lang=None if n % 5 == 0 else "de", published=f"2025-0{1 + n % 8}-1{n % 10}T08:0{n % 10}:00")
         for n in range(1203)])


def test_ingest_summary_groups_digits_on_a_terminal_only(cli, tmp_path):
    dump = tmp_path / "big.txt"
    dump.write_text(format_dumps([make_article(n, title=f"Article {n}") for n in range(1203)]), encoding="utf-8")
    shown = cli("ingest", str(dump), env=TERMINAL)
    assert shown.exit_code == 0, shown.stderr
    assert shown.stdout == "1,203 new, 0 duplicates, 0 failed\n"
    piped = cli("ingest", str(dump))
    assert piped.stdout == "0 new, 1203 duplicates, 0 failed\n"


def test_stats_counts_and_dates_on_a_terminal(cli, many):
    chart = cli("stats", "--by", "source", env=TERMINAL).stdout
    assert re.search(r"Source 0\s+301\b", chart)
    assert "1,203 articles, published 2025-01-10 08:00 to 2025-08-19 08:09" in chart
    assert cli("stats", "--by", "year").stdout == "2025\t1203\n"  # piped: plain digits


@pytest.mark.parametrize("columns", [30, 40, 80])
def test_stats_by_lang_never_breaks_unknown(cli, many, columns):
    chart = cli("stats", "--by", "lang", env={**TERMINAL, "COLUMNS": str(columns)}).stdout
    assert re.search(r"^\(unknown\)\s+241\b", chart, re.M), chart
    assert re.search(r"^de\s+962\b", chart, re.M), chart


def test_tags_and_sources_take_a_limit(cli, many):
    assert cli("tags", "-n", "2").stdout == "Politik\t1203\nT0\t172\n"
    assert cli("sources", "--limit", "1", "--json").stdout.count('"source"') == 1
    assert len(cli("sources", "-n", "0").stdout.splitlines()) == 4
    shown = cli("tags", "-n", "3", env=TERMINAL)
    assert shown.stderr == "3 of 8 — -n 0 for all\n" and "1,203" in shown.stdout
    assert cli("tags", "-n", "-1").exit_code == 2


def test_count_json(cli, many):
    assert json.loads(cli("count", "--json").stdout) == {"count": 1203}
    assert json.loads(cli("count", "--json", "--tag", "t3").stdout) == {"count": 172}
    assert cli("count").stdout == "1203\n"


def test_info_sizes_in_units_on_a_terminal_bytes_elsewhere(cli, many, store_path):
    shown = cli("info", env=TERMINAL).stdout
    assert re.search(r"^store size:\s+\d+\.\d (kB|MB)$", shown, re.M), shown
    assert re.search(r"^articles:\s+1,203$", shown, re.M)
    assert re.search(r"^first published:\s+2025-01-10 08:00$", shown, re.M)
    facts = json.loads(cli("info", "--json").stdout)
    assert facts["store_bytes"] == store_path.stat().st_size and facts["articles"] == 1203
    piped = cli("info").stdout
    assert f"store bytes:     {store_path.stat().st_size}\n" in piped and "articles:        1203\n" in piped


@pytest.mark.parametrize("n, shown", [
    (0, "0 bytes"), (1, "1 byte"), (999, "999 bytes"), (1000, "1.0 kB"), (999_949, "999.9 kB"),
    (999_950, "1.0 MB"), (4_200_000_000, "4.2 GB"),
])
def test_sizes_read_like_ls_si(n, shown):
    from newscli.output.numbers import size

    assert size(n) == shown
