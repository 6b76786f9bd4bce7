"""`--query/-q`: a search as a filter on every command that takes filters (issue 22, point 1)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.test_cli_query import A, NAME, corpus, names  # noqa: F401  (the fixture is used by name)

FILTER_COMMANDS = ("list", "search", "count", "tags", "sources", "stats", "export", "rm")


@pytest.mark.parametrize("args, expected", [
    (["-q", "summit"], ["eu"]),
    (["--query", "SUMMIT"], ["eu"]),
    (["-q", "economie"], ["eco"]),  # accents folded, as search folds them
    (["-q", "budget OR cup"], ["sport", "pol"]),
    (["-q", "paragraph -summit -cup"], ["pol", "eco", "old"]),
    (["-q", '"brussels summit"'], ["eu"]),
    (["-q", '"summit brussels"'], []),
    (["-q", "archiv*"], ["old"]),
    (["-q", "paragraph", "--lang", "de"], ["pol", "old"]),
    (["-q", "paragraph", "--tag", "politik", "--since", "2025-08-15"], ["eu"]),
    (["-q", "nothing-like-this"], []),
])
def test_list_takes_a_query_with_the_other_filters(cli, corpus, args, expected):
    assert names(cli("list", *args)) == expected


def test_count_tags_sources_stats_with_a_query(cli, corpus):
    assert cli("count", "-q", "summit").stdout == "1\n"
    assert cli("count", "-q", "paragraph").stdout == "5\n"
    assert cli("count", "-q", "paragraph", "--source", "kyiv post").stdout == "2\n"
    assert cli("count", "-q", "nothing-like-this").stdout == "0\n"
    # tags that co-occur with the search
    assert cli("tags", "-q", "budget OR summit").stdout == "Politik\t2\nEU\t1\nHaushalt\t1\n"
    assert cli("sources", "-q", "final OR inflation", "-f", "csv").stdout == "source,count\nKyiv Post,1\nLe Monde,1\n"
    assert cli("stats", "-q", "paragraph -archive", "--by", "year").stdout == "2025\t4\n"


def test_search_and_export_take_a_query_too(cli, corpus):
    both = cli("search", "paragraph", "-q", "summit OR vote", "--latest")
    assert [NAME[line.split("\t")[0]] for line in both.stdout.splitlines()] == ["eu", "pol"]
    rows = list(csv.reader(io.StringIO(cli("export", "-q", "cup", "-f", "csv", "--fields", "title").stdout)))
    assert rows == [["title"], ["Cup final"]]
    assert [r["title"] for r in json.loads(cli("list", "-q", "vote", "--json").stdout)] == ["Budget vote"]


def test_rm_with_a_query_removes_only_the_matches(cli, corpus):
    kept = cli("rm", A["eu"].id, "-q", "budget", "--yes")  # an id that does not match: nothing
    assert kept.exit_code == 0 and "nothing removed" in kept.stderr
    gone = cli("rm", "-q", "budget OR cup", "--yes")
    assert gone.exit_code == 0 and "Removed 2 articles." in gone.stderr
    assert names(cli("list")) == ["eu", "eco", "old"]
    assert cli("count", "-q", "budget").stdout == "0\n"


def test_a_query_with_nothing_to_find_is_a_usage_error(cli, corpus):
    for command in ("list", "count", "tags", "stats"):
        refused = cli(command, "-q", "-summit")
        assert refused.exit_code == 2 and refused.stderr.startswith("newscli: nothing to search for")


@pytest.mark.parametrize("command", FILTER_COMMANDS)
def test_every_filter_command_offers_the_option(cli, command):
    text = cli(command, "--help").stdout
    assert "--query" in text and "-q" in text
