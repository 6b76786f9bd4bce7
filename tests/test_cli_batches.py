"""Ingest runs as batches (issue 21): `rm --last-ingest` takes back what the last run added,
`info` names the last runs, and both hold after a reindex or a lost index."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from newscli.archive import batches
from newscli.archive.store import Store
from newscli.index.sync import index_path
from tests.reliability_support import plain_article, write_dump


def dumps(tmp_path):
    first = write_dump(tmp_path / "kyiv-2025-08-01.txt", [plain_article(n) for n in range(3)])
    second = write_dump(tmp_path / "minsk-2025-08-02.txt", [plain_article(n) for n in range(2, 6)])
    return first, second  # article 2 is in both: a duplicate the second time


def stored_ids(store_path) -> list[str]:
    return [json.loads(line)["id"] for line in store_path.read_text().splitlines()]


def ids_of(*numbers) -> list[str]:
    return [plain_article(n).id for n in numbers]


def test_rm_last_ingest_removes_what_the_last_run_added(cli, store_path, tmp_path):
    first, second = dumps(tmp_path)
    assert cli("ingest", str(first)).exit_code == 0
    assert cli("ingest", str(second)).exit_code == 0
    refused = cli("rm", "--last-ingest")  # not a terminal: asks for --yes, removes nothing
    assert refused.exit_code == 1 and "pass --yes" in refused.stderr
    result = cli("rm", "--last-ingest", "--yes")
    assert result.exit_code == 0, result.stderr
    assert f"from {second}: added 3 articles (1 duplicate, 0 refused)." in result.stderr
    assert "Removed 3 articles." in result.stderr
    assert sorted(stored_ids(store_path)) == sorted(ids_of(0, 1, 2))
    assert cli("count").stdout == "3\n"


def test_a_last_run_that_added_nothing_takes_nothing_back(cli, store_path, tmp_path):
    # Its articles were all duplicates: "the last run" is that one, not the one before it.
    first, _ = dumps(tmp_path)
    cli("ingest", str(first))
    again = cli("ingest", str(first))
    assert again.exit_code == 0
    result = cli("rm", "--last-ingest", "--yes")
    assert result.exit_code == 0, result.stderr
    assert "added 0 articles (3 duplicates, 0 refused)" in result.stderr
    assert "nothing removed" in result.stderr
    assert sorted(stored_ids(store_path)) == sorted(ids_of(0, 1, 2))


def test_the_batches_survive_a_reindex_and_a_lost_index(cli, store_path, tmp_path):
    first, second = dumps(tmp_path)
    cli("ingest", str(first))
    cli("ingest", str(second))
    assert cli("reindex").exit_code == 0
    index_path(store_path).unlink()
    assert cli("rm", "--last-ingest", "--yes").exit_code == 0
    assert sorted(stored_ids(store_path)) == sorted(ids_of(0, 1, 2))


def test_rm_last_ingest_with_filters_takes_only_what_they_match(cli, store_path, tmp_path):
    first, second = dumps(tmp_path)
    cli("ingest", str(first))
    cli("ingest", str(second))
    assert cli("rm", "--last-ingest", "--tag", "T4", "--yes").exit_code == 0  # article 4: tags Test, T4
    assert sorted(stored_ids(store_path)) == sorted(ids_of(0, 1, 2, 3, 5))


def test_runs_in_the_same_second_keep_their_own_stamps(store_path):
    now = datetime(2026, 12, 7, 1, 0, 0, 300_000, tzinfo=timezone.utc)
    stamps = [batches.begin(Store(store_path), [f"run{n}.txt"], now=now).stamp for n in range(3)]
    assert stamps == ["2026-12-07T01:00:00+00:00", "2026-12-07T01:00:01+00:00", "2026-12-07T01:00:02+00:00"]


def test_every_article_of_a_run_has_the_runs_stamp(cli, store_path, tmp_path):
    big = write_dump(tmp_path / "big.txt", [plain_article(n) for n in range(1200)])  # several appends
    assert cli("ingest", str(big)).exit_code == 0
    stamps = {json.loads(line)["ingested_at"] for line in store_path.read_text().splitlines()}
    assert stamps == {batches.read(store_path)[-1].stamp}


def test_info_names_the_last_runs(cli, store_path, tmp_path):
    first, second = dumps(tmp_path)
    cli("ingest", str(first))
    cli("ingest", str(second))
    cli("rm", "--yes", plain_article(5).id)
    data = json.loads(cli("info", "--json").stdout)
    newest, oldest = data["ingests"]
    assert newest["inputs"] == [str(second)] and oldest["inputs"] == [str(first)]
    assert (newest["added"], newest["duplicates"], newest["refused"], newest["articles"]) == (3, 1, 0, 2)
    assert (oldest["added"], oldest["articles"], oldest["finished"]) == (3, 3, True)
    assert newest["ingested_at"] > oldest["ingested_at"]
    text = cli("info").stdout
    assert f"from {second}: added 3 articles (1 duplicate, 0 refused); 2 here now" in text


def test_an_interrupted_run_is_named_so(cli, store_path, tmp_path):
    first, _ = dumps(tmp_path)
    cli("ingest", str(first))
    batches.begin(Store(store_path), ["killed.txt"])  # a run that never came to its end
    assert "from killed.txt: interrupted; 0 here now" in cli("info").stdout
    assert json.loads(cli("info", "--json").stdout)["ingests"][0]["finished"] is False


def test_without_a_log_rm_last_ingest_says_so(cli, store_path, tmp_path):
    first, _ = dumps(tmp_path)
    cli("ingest", str(first))
    batches.log_path(store_path).unlink()
    result = cli("rm", "--last-ingest", "--yes")
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1 and "no ingest is recorded" in result.stderr
    assert len(stored_ids(store_path)) == 3
    assert json.loads(cli("info", "--json").stdout)["ingests"] == []


def test_rm_last_ingest_previews_and_asks_on_a_terminal(cli, store_path, tmp_path, monkeypatch):
    from newscli.output.screen import Screen

    first, second = dumps(tmp_path)
    cli("ingest", str(first))
    cli("ingest", str(second))
    monkeypatch.setattr(Screen, "stdin_is_terminal", staticmethod(lambda: True))  # a person at the keyboard
    declined = cli("rm", "--last-ingest", input="n\n")
    assert declined.exit_code == 0 and "Remove 3 articles from" in declined.stderr
    assert "Nothing removed." in declined.stderr and len(stored_ids(store_path)) == 6
    assert sorted(line.split("\t")[0] for line in declined.stdout.splitlines()) == sorted(ids_of(3, 4, 5))
    accepted = cli("rm", "--last-ingest", input="y\n")
    assert accepted.exit_code == 0 and "Removed 3 articles." in accepted.stderr
    assert sorted(stored_ids(store_path)) == sorted(ids_of(0, 1, 2))


def test_a_second_rm_last_ingest_never_reaches_back_to_the_run_before(cli, store_path, tmp_path):
    first, second = dumps(tmp_path)
    cli("ingest", str(first))
    cli("ingest", str(second))
    assert cli("rm", "--last-ingest", "--yes").exit_code == 0
    again = cli("rm", "--last-ingest", "--yes")  # the last run is still that one, now empty
    assert again.exit_code == 0, again.stderr
    assert f"from {second}: added 3 articles" in again.stderr
    assert "None of that ingest's articles is in the archive any more" in again.stderr
    assert "never reaches back to the one before" in again.stderr
    assert sorted(stored_ids(store_path)) == sorted(ids_of(0, 1, 2))  # the first run's articles stay


def test_a_damaged_batch_log_is_one_line_and_removes_nothing(cli, store_path, tmp_path):
    first, second = dumps(tmp_path)
    cli("ingest", str(first))
    cli("ingest", str(second))
    log = batches.log_path(store_path)
    lines = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(b"".join(lines[:2]) + b'{"batch": "2026-12-07T0\n' + b"".join(lines[2:]))  # a bad line 3
    result = cli("rm", "--last-ingest", "--yes")
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [f"newscli: {log}:3: damaged, so which ingest came last is not known;"
                                          " nothing removed (--ingested-since DATE selects by time)"]
    assert len(stored_ids(store_path)) == 6
    info = cli("info")  # shows what it can read, and says a line was skipped
    assert info.exit_code == 0 and f"{log}:3: " in info.stderr and "damaged line skipped" in info.stderr
    assert info.stdout.count("ingest:") == 2


def test_a_torn_last_line_of_the_log_is_no_damage(cli, store_path, tmp_path):
    # A kill in the middle of a run's first line: that run stored nothing, so the run before is the last.
    first, second = dumps(tmp_path)
    cli("ingest", str(first))
    cli("ingest", str(second))
    with open(batches.log_path(store_path), "ab") as log:
        log.write(b'{"batch": "2026-12-31T00:00:00+00:00", "inpu')
    result = cli("rm", "--last-ingest", "--yes")
    assert result.exit_code == 0 and f"from {second}: added 3 articles" in result.stderr
    assert sorted(stored_ids(store_path)) == sorted(ids_of(0, 1, 2))
    assert "warning" not in cli("info").stderr
