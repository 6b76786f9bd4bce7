"""Copies of a story (issue 23): `dups`, as a user meets it, on a dump written like real wires.

tests/dumps/copies.txt holds one story four times: the original (Ukrinform), a dpa copy with a
prefix, a dateline, paragraphs reordered and a boilerplate paragraph (Dzerkalo Tyzhnia), an
exact copy under another source (Hromadske); then a story with the same people about another
event (it must not join), and an unrelated local story.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from newscli.index.sync import index_path
from tests.conftest import TESTS

DUMP = TESTS / "dumps" / "copies.txt"
ORIGINAL, DPA, EXACT = "Ukrinform", "Dzerkalo Tyzhnia", "Hromadske"


@pytest.fixture
def wires(cli, store_path):
    assert cli("ingest", str(DUMP)).exit_code == 0
    return store_path


def rows(result) -> list[dict]:
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_dups_finds_the_copies_earliest_first_and_not_the_look_alike(cli, wires):
    found = rows(cli("dups", "-f", "jsonl"))
    assert [r["source"] for r in found] == [ORIGINAL, DPA, EXACT]  # by published time
    assert {r["story"] for r in found} == {1} and {r["copies"] for r in found} == {3}
    assert found[0]["similarity"] == 1.0 and found[2]["similarity"] == 1.0
    assert 0.5 < found[1]["similarity"] < 1.0
    assert found[1]["title"].startswith("dpa: ")
    assert set(found[0]) == {"story", "copies", "id", "published", "source", "title", "similarity"}


def test_dups_table_when_piped_is_tab_separated_in_the_table_columns(cli, wires):
    result = cli("dups")
    assert result.exit_code == 0
    first = result.stdout.splitlines()[0].split("\t")  # story copies id published source title similarity
    assert first[:2] == ["1", "3"] and first[3] == "2025-03-03T09:15:00" and first[4] == ORIGINAL
    assert first[5].startswith("Minister Kowalenko") and first[6] == "1.0"


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_dups_csv_and_tsv_have_a_header_and_honour_fields(cli, wires, fmt):
    result = cli("dups", "-f", fmt, "--fields", "story,source,similarity")
    assert result.exit_code == 0
    table = list(csv.reader(io.StringIO(result.stdout), delimiter="," if fmt == "csv" else "\t"))
    assert table[0] == ["story", "source", "similarity"]
    assert [r[1] for r in table[1:]] == [ORIGINAL, DPA, EXACT]


def test_dups_json_is_one_array_of_the_same_rows(cli, wires):
    result = cli("dups", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == rows(cli("dups", "-f", "jsonl"))


def test_filters_choose_the_articles_copies_are_looked_for_among(cli, wires):
    assert [r["source"] for r in rows(cli("dups", "-f", "jsonl", "--until", "2025-03-03"))] == [ORIGINAL, DPA]
    assert rows(cli("dups", "-f", "jsonl", "--source", ORIGINAL)) == []
    assert [r["source"] for r in rows(cli("dups", "-f", "jsonl", "--no-tag", "Diplomatie"))] == []


def test_min_similarity_above_the_edited_copy_leaves_only_the_exact_one(cli, wires):
    edited = rows(cli("dups", "-f", "jsonl"))[1]["similarity"]
    strict = rows(cli("dups", "-f", "jsonl", "--min-similarity", str(min(1.0, edited + 0.05))))
    assert [r["source"] for r in strict] == [ORIGINAL, EXACT]


@pytest.mark.parametrize("value", ["0", "1.5", "-0.2"])
def test_min_similarity_outside_0_1_is_a_usage_error(cli, wires, value):
    result = cli("dups", "--min-similarity", value)
    assert result.exit_code == 2
    assert "--min-similarity must be above 0 and at most 1" in result.stderr


def test_limit_counts_stories_not_rows(cli, tmp_path, store_path):
    text = DUMP.read_text(encoding="utf-8")
    second = tmp_path / "second.txt"  # every story once more, under other sources, later
    second.write_text(text.replace(" - 3 March", " - 9 March").replace(" - 4 March", " - 9 March")
                      .replace(" - 5 March", " - 9 March").replace(" - 6 March", " - 9 March")
                      .replace("Ukrinform", "Babel").replace("Hromadske", "Fakty")
                      .replace("Dzerkalo Tyzhnia", "NV").replace("Zaxid.net", "Glavcom"), encoding="utf-8")
    assert cli("ingest", str(DUMP), str(second)).exit_code == 0
    everything = rows(cli("dups", "-f", "jsonl", "-n", "0"))
    assert [len([r for r in everything if r["story"] == n]) for n in (1, 2, 3)] == [6, 2, 2]
    assert {r["story"] for r in rows(cli("dups", "-f", "jsonl", "-n", "2"))} == {1, 2}
    assert cli("dups", "-n", "-1").exit_code == 2


def test_no_copies_is_said_on_a_terminal_and_is_empty_in_a_pipe(cli, tmp_path):
    lone = tmp_path / "lone.txt"
    lone.write_text(DUMP.read_text(encoding="utf-8").split("\n\nMinister Kowalenko reist")[0].split(
        "\n\ndpa: ")[0] + "\n", encoding="utf-8")
    assert cli("ingest", str(lone)).exit_code == 0
    result = cli("dups")
    assert result.exit_code == 0 and result.stdout == "" and "No copies found." in result.stderr
    assert rows(cli("dups", "-f", "jsonl")) == []
    assert json.loads(cli("dups", "--json").stdout) == []


def test_the_index_rebuilds_the_signatures_from_the_store(cli, wires):
    before = rows(cli("dups", "-f", "jsonl"))
    index_path(wires).unlink()
    assert rows(cli("dups", "-f", "jsonl")) == before
    assert cli("reindex").exit_code == 0
    assert rows(cli("dups", "-f", "jsonl")) == before
