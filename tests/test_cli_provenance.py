"""Provenance filters through the CLI (issue 21): which dump a record came from (`--file`) and
when it was stored (`--ingested-since/--ingested-until`), on every query command and `rm`."""

from __future__ import annotations

import json
import time

import pytest

from newscli.archive.store import encode_record
from tests.factories import make_article

# Three runs' worth: a TASS dump on 1 December, an RBC dump on the 3rd, a pipe on the 5th (UTC).
ROWS = {
    "tass": (make_article(1, title="Budget vote in Kyiv", source="TASS", tags=("Politik",)),
             "/dumps/tass-2025-08-01.txt", "2026-12-01T10:00:00+00:00"),
    "rbc": (make_article(2, title="Kyiv energy summit", source="RBC", tags=("Wirtschaft",)),
            "dumps/rbc/rbc-2025-08-02.txt", "2026-12-03T10:00:00+00:00"),
    "pipe": (make_article(3, title="Kyiv cup final", source="Ukrinform", tags=("Sport",)),
             "<stdin>", "2026-12-05T10:00:00+00:00"),
}
NAME = {article.id: name for name, (article, _, _) in ROWS.items()}


@pytest.fixture
def corpus(store_path, monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    store_path.parent.mkdir(parents=True)
    store_path.write_bytes(b"".join(
        encode_record(article.to_record() | {"file": file, "ingested_at": stamp})
        for article, file, stamp in ROWS.values()))
    yield store_path
    monkeypatch.undo()
    time.tzset()


def listed(result) -> set[str]:
    assert result.exit_code == 0, result.stderr
    return {NAME[line.split("\t")[0]] for line in result.stdout.splitlines()}


@pytest.mark.parametrize("args, expected", [
    (["--file", "tass-*"], {"tass"}),  # no '/': the base name, in any folder
    (["--file", "*.txt"], {"tass", "rbc"}),
    (["--file", "dumps/rbc/*"], {"rbc"}),  # with a '/': the whole name as stored
    (["--file", "rbc/*"], set()),
    (["--file", "<stdin>"], {"pipe"}),
    (["--file", "TASS-*"], set()),  # case matters, as in the shell
    (["--ingested-since", "2026-12-03"], {"rbc", "pipe"}),
    (["--ingested-until", "2026-12-03"], {"tass", "rbc"}),  # a bare date: the whole day
    (["--ingested-since", "2026-12-03 10:00", "--ingested-until", "2026-12-03 10:00"], {"rbc"}),
    (["--ingested-since", "2026-12-02", "--file", "*.txt"], {"rbc"}),
])
def test_list_filters_by_dump_and_ingest_time(cli, corpus, args, expected):
    assert listed(cli("list", *args)) == expected


def test_ingest_bounds_are_local_time(cli, corpus, monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Kyiv")  # UTC+2 in December: 11:00 there is 09:00 UTC
    time.tzset()
    assert listed(cli("list", "--ingested-until", "2026-12-03 11:00")) == {"tass"}
    assert listed(cli("list", "--ingested-until", "2026-12-03 12:00")) == {"tass", "rbc"}


def test_every_query_command_takes_the_provenance_filters(cli, corpus):
    wanted = ["--file", "*.txt", "--ingested-since", "2026-12-02"]  # the RBC article alone
    assert listed(cli("search", "kyiv", *wanted)) == {"rbc"}
    assert cli("count", *wanted).stdout == "1\n"
    tags = json.loads(cli("tags", *wanted, "--json").stdout)
    assert [(t["tag"], t["count"]) for t in tags] == [("Wirtschaft", 1)]
    sources = json.loads(cli("sources", *wanted, "--json").stdout)
    assert [(s["source"], s["count"]) for s in sources] == [("RBC", 1)]
    stats = json.loads(cli("stats", "--by", "source", *wanted, "--json").stdout)
    assert [(s["source"], s["count"]) for s in stats] == [("RBC", 1)]
    exported = [json.loads(line) for line in cli("export", *wanted).stdout.splitlines()]
    assert [NAME[r["id"]] for r in exported] == ["rbc"]


def test_rm_by_dump_removes_only_that_dumps_articles(cli, corpus):
    result = cli("rm", "--file", "tass-*", "--yes")
    assert result.exit_code == 0, result.stderr
    assert "Removed 1 article." in result.stderr
    assert listed(cli("list")) == {"rbc", "pipe"}
    assert [NAME[json.loads(line)["id"]] for line in corpus.read_text().splitlines()] == ["rbc", "pipe"]


def test_rm_by_ingest_time(cli, corpus):
    assert cli("rm", "--ingested-since", "2026-12-04", "--yes").exit_code == 0
    assert listed(cli("list")) == {"tass", "rbc"}


def test_a_bad_ingest_date_is_a_usage_error(cli, corpus):
    result = cli("list", "--ingested-since", "not a date")
    assert result.exit_code == 2
    assert "not a date" in result.stderr and "Traceback" not in result.stderr
