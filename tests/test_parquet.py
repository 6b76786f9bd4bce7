"""`export -f parquet` (issue 25): a Hive-partitioned dataset that holds the same records as
`export -f jsonl`, that DuckDB reads to the same counts as `newscli stats` and `tags`, and
whose partitions a one-month query prunes to that month's file."""

from __future__ import annotations

import errno
import json
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.handoff_support import ARTICLES, ingest_sample, jsonl_records

pq = pytest.importorskip("pyarrow.parquet", reason="the parquet extra: pip install -e '.[test]'")
duckdb = pytest.importorskip("duckdb", reason="a test dependency: pip install -e '.[test]'")

COLUMNS = [  # the contract, docs/scale-out.md
    ("id", "string"), ("title", "string"), ("source", "string"),
    ("published", "timestamp[us]"), ("published_utc", "timestamp[us, tz=UTC]"),
    ("published_offset", "int32"), ("published_text", "string"),
    ("lang", "string"), ("tags", "list<element: string>"), ("body", "string"),
    ("source_label", "string"), ("raw", "string"), ("file", "string"),
    ("first_line", "int64"), ("last_line", "int64"), ("ingested_at", "timestamp[us, tz=UTC]"),
]


def _export(cli, out: Path, *args: str):
    result = cli("export", "-f", "parquet", "-o", str(out), *args)
    assert result.exit_code == 0, result.stderr
    return result


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def _records(root: Path) -> dict[str, dict]:
    """The dataset's rows back as records, the way docs/scale-out.md says to."""
    found = {}
    for path in sorted(root.rglob("*.parquet")):
        for row in pq.read_table(path).to_pylist():
            record = {k: v for k, v in row.items() if not k.startswith("published")}
            record["published"] = row["published_text"]
            if record["ingested_at"] is not None:
                record["ingested_at"] = record["ingested_at"].isoformat(timespec="seconds")
            found[record["id"]] = record
    return found


def test_the_dataset_holds_the_same_records_as_jsonl_field_by_field(cli, tmp_path):
    ingest_sample(cli, tmp_path)
    out = tmp_path / "dataset"
    result = _export(cli, out)
    rows = _records(out)
    records = jsonl_records(cli)
    assert len(rows) == len(records) == ARTICLES
    for record in records:
        assert list(rows[record["id"]]) == [k for k in record if k != "published"] + ["published"]
        for key, value in record.items():
            assert rows[record["id"]][key] == value, (record["id"], key)
    assert result.stderr.startswith(f"{ARTICLES} articles in 4 files (")
    assert result.stderr.rstrip().endswith(f"-> {out}") and not result.stdout


def test_an_archive_with_labels_gives_them_a_column_as_jsonl_gives_them_a_key(cli, tmp_path):
    ingest_sample(cli, tmp_path)
    first = jsonl_records(cli)[0]["id"]
    assert cli("tag", "+checked", "+study1", first).exit_code == 0
    _export(cli, tmp_path / "dataset")
    rows, records = _records(tmp_path / "dataset"), jsonl_records(cli)
    assert rows[first]["labels"] == ["checked", "study1"]
    for record in records:
        assert {k: rows[record["id"]][k] for k in record} == record
    (path, *_) = (tmp_path / "dataset").rglob("*.parquet")
    assert [(f.name, str(f.type)) for f in pq.read_schema(path)] == COLUMNS + [("labels", "list<element: string>")]


def test_the_columns_and_their_types_are_the_documented_contract(cli, tmp_path):
    ingest_sample(cli, tmp_path)
    _export(cli, tmp_path / "dataset")
    for path in (tmp_path / "dataset").rglob("*.parquet"):
        schema = pq.read_schema(path)
        assert [(f.name, str(f.type)) for f in schema] == COLUMNS
        meta = pq.ParquetFile(path).metadata
        assert {meta.row_group(0).column(i).compression for i in range(meta.num_columns)} == {"ZSTD"}
    doc = (Path(__file__).parent.parent / "docs" / "scale-out.md").read_text(encoding="utf-8")
    for name, _ in COLUMNS:
        assert f"| `{name}` |" in doc, name


def test_published_keeps_the_wall_clock_the_instant_and_the_offset(cli, tmp_path):
    ingest_sample(cli, tmp_path)
    _export(cli, tmp_path / "dataset")
    rows = {r["title"][:12]: r for p in (tmp_path / "dataset").rglob("*.parquet") for r in pq.read_table(p).to_pylist()}
    offset = rows["Bundestag de"]  # 2025-08-14T09:30:00+02:00
    assert offset["published"] == datetime(2025, 8, 14, 9, 30)
    assert offset["published_utc"] == datetime(2025, 8, 14, 7, 30, tzinfo=timezone.utc)
    assert offset["published_offset"] == 7200
    naive = rows["Le Parlement"]  # 2025-06-30T21:15:00: naive stays naive
    assert (naive["published"], naive["published_utc"], naive["published_offset"]) == (datetime(2025, 6, 30, 21, 15), None, None)
    bare = rows["Kyiv braces "]  # 2024-07-03: a date is its midnight, and stays a date in the text
    assert (bare["published"], bare["published_utc"], bare["published_text"]) == (datetime(2024, 7, 3), None, "2024-07-03")
    assert rows["Уряд схвалив"]["published_utc"] - rows["Уряд схвалив"]["published"].replace(tzinfo=timezone.utc) == timedelta(hours=-3)


def test_the_layout_is_hive_year_and_month_by_default(cli, tmp_path):
    ingest_sample(cli, tmp_path)
    _export(cli, tmp_path / "dataset")
    assert _files(tmp_path / "dataset") == [
        "year=2024/month=07/part-0.parquet", "year=2024/month=12/part-0.parquet",
        "year=2025/month=06/part-0.parquet", "year=2025/month=08/part-0.parquet"]


def test_partitions_by_language_and_by_source_keep_every_value_exact(cli, tmp_path):
    ingest_sample(cli, tmp_path)
    _export(cli, tmp_path / "by-lang", "--partition-by", "lang")
    assert [f.split("/")[0] for f in _files(tmp_path / "by-lang")] == [
        f"lang={c}" for c in ("de", "en", "es", "fr", "it", "pl", "ru", "uk")]
    _export(cli, tmp_path / "by-source", "--partition-by", "source")
    assert "source=Onet%2FWiadomo%C5%9Bci/part-0.parquet" in _files(tmp_path / "by-source")
    glob = str(tmp_path / "by-source" / "**" / "*.parquet")
    sources = duckdb.sql(f"SELECT source FROM read_parquet('{glob}', hive_partitioning=true)").fetchall()
    assert sorted(s for (s,) in sources) == sorted(r["source"] for r in jsonl_records(cli))
    assert _records(tmp_path / "by-source") == _records(tmp_path / "by-lang")


def test_the_filters_choose_the_rows(cli, tmp_path):
    ingest_sample(cli, tmp_path)
    _export(cli, tmp_path / "energy", "--tag", "energy", "--partition-by", "none")
    assert set(_records(tmp_path / "energy")) == {r["id"] for r in jsonl_records(cli, "--tag", "energy")}
    assert _files(tmp_path / "energy") == ["part-0.parquet"]


def test_fields_pick_the_columns(cli, tmp_path):
    ingest_sample(cli, tmp_path)
    _export(cli, tmp_path / "slim", "--fields", "id,published,tags", "--partition-by", "lang")
    (path, *_) = (tmp_path / "slim").rglob("*.parquet")
    assert pq.read_schema(path).names == ["id", "published", "published_utc", "published_offset",
                                          "published_text", "tags"]


# -- DuckDB: the same answers over the dataset and the store as newscli gives ------------


def _newscli_counts(cli, *args: str) -> dict[str, int]:
    rows = json.loads(cli(*args, "--json").stdout)
    return {row[next(k for k in row if k != "count")]: row["count"] for row in rows if row["count"]}


def test_duckdb_over_parquet_and_over_the_store_counts_as_newscli_does(cli, tmp_path, store_path):
    ingest_sample(cli, tmp_path)
    _export(cli, tmp_path / "dataset")
    parquet = f"read_parquet('{tmp_path / 'dataset'}/**/*.parquet', hive_partitioning=true)"
    store = f"read_json('{store_path}', format='newline_delimited')"
    questions = {  # (newscli command, DuckDB over Parquet, DuckDB over the store)
        "month": (("stats",),
                  f"SELECT printf('%d-%s', year, month), count(*) FROM {parquet} GROUP BY ALL",
                  f"SELECT substr(published, 1, 7), count(*) FROM {store} GROUP BY ALL"),
        "tag": (("tags",),
                f"SELECT tag, count(*) FROM (SELECT unnest(tags) AS tag FROM {parquet}) GROUP BY ALL",
                f"SELECT tag, count(*) FROM (SELECT unnest(tags) AS tag FROM {store}) GROUP BY ALL"),
        "lang": (("stats", "--by", "lang"),
                 f"SELECT lang, count(*) FROM {parquet} GROUP BY ALL",
                 f"SELECT lang, count(*) FROM {store} GROUP BY ALL"),
    }
    for name, (command, over_parquet, over_store) in questions.items():
        expected = _newscli_counts(cli, *command)
        assert sum(expected.values()) >= ARTICLES, name
        assert dict(duckdb.sql(over_parquet).fetchall()) == expected, name
        assert dict(duckdb.sql(over_store).fetchall()) == expected, name


def test_a_one_month_query_reads_only_that_months_file(cli, tmp_path):
    ingest_sample(cli, tmp_path)
    _export(cli, tmp_path / "dataset")
    profile = tmp_path / "profile.json"
    con = duckdb.connect()
    con.execute("PRAGMA enable_profiling='json'")
    con.execute(f"PRAGMA profiling_output='{profile}'")
    (count,) = con.sql(f"SELECT count(*) FROM read_parquet('{tmp_path / 'dataset'}/**/*.parquet', "
                       "hive_partitioning=true) WHERE year = 2025 AND month = '08'").fetchall()[0]
    con.close()
    assert count == int(cli("count", "--since", "2025-08-01", "--until", "2025-08-31").stdout)
    scans = []

    def walk(node: object) -> None:  # every table scan in the profile, wherever it nests
        if isinstance(node, dict):
            if node.get("name") == "READ_PARQUET":
                scans.append(node["extra_info"])
            node = list(node.values())
        if isinstance(node, list):
            for child in node:
                walk(child)

    walk(json.loads(profile.read_text()))
    (scan,) = scans
    assert scan["Total Files Read"] == "1" and scan["Scanning Files"] == "1/4"
    assert scan["Filename(s)"].endswith("year=2025/month=08/part-0.parquet")


# -- writing: bounded, atomic, refusing what it must ------------------------------------


def test_memory_is_bounded_by_row_groups_and_open_files_whatever_the_order(cli, tmp_path, monkeypatch):
    from newscli.output import parquet, parquet_rows

    ingest_sample(cli, tmp_path)
    monkeypatch.setattr(parquet_rows, "BLOCK_BYTES", 1)  # one line per block
    monkeypatch.setattr(parquet, "ROW_GROUP_BYTES", 1)  # every row its own row group
    monkeypatch.setattr(parquet, "MAX_OPEN_FILES", 1)  # one file open: a partition met again gets part-1
    out = tmp_path / "dataset"
    _export(cli, out, "--partition-by", "year", "--sort", "title")
    files = _files(out)
    assert "year=2025/part-1.parquet" in files and len(files) > 2
    assert sum(pq.ParquetFile(out / f).metadata.num_row_groups for f in files) == ARTICLES
    assert _records(out) == {r["id"]: r for r in jsonl_records(cli)}


def test_the_selection_is_streamed_the_first_rows_are_written_before_it_is_all_read(cli, tmp_path, monkeypatch):
    """A million matches must not become a list first (~200 MB at 1M): SQLite's cursor is
    read as the rows are written."""
    from newscli.index import sync
    from newscli.output import parquet, parquet_rows

    ingest_sample(cli, tmp_path)
    monkeypatch.setattr(parquet_rows, "BLOCK_BYTES", 1)
    monkeypatch.setattr(parquet, "ROW_GROUP_BYTES", 1)
    stepped, at_first_write = [0], []

    class Counted:  # the index's connection, counting the rows its selection steps through
        def __init__(self, conn):
            self.conn = conn

        def __getattr__(self, name):
            return getattr(self.conn, name)

        def execute(self, sql, *args):
            rows = self.conn.execute(sql, *args)
            return counting(rows) if sql.startswith("SELECT a.offset, a.length, a.id FROM articles") else rows

    def counting(rows):
        for row in rows:
            stepped[0] += 1
            yield row

    def open_counted(*args, **kwargs):
        index = opened(*args, **kwargs)
        index.conn = Counted(index.conn)
        return index

    def flush(self, *args):  # a row group handed to the writing thread
        at_first_write.append(stepped[0])
        return flushed(self, *args)

    opened, flushed = sync.open_index, parquet._Partitioned._flush
    monkeypatch.setattr(sync, "open_index", open_counted)
    monkeypatch.setattr(parquet._Partitioned, "_flush", flush)
    out = tmp_path / "dataset"
    _export(cli, out)
    assert stepped[0] == ARTICLES and at_first_write[0] < ARTICLES
    monkeypatch.undo()
    assert _records(out) == {r["id"]: r for r in jsonl_records(cli)}


def test_an_existing_directory_with_files_is_never_replaced(cli, tmp_path):
    ingest_sample(cli, tmp_path)
    out = tmp_path / "dataset"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    result = cli("export", "-f", "parquet", "-o", str(out))
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1
    assert "not empty" in result.stderr and _files(out) == ["notes.txt"]
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    result = cli("export", "-f", "parquet", "-o", str(link))
    assert result.exit_code == 1 and "symbolic link" in result.stderr and not (tmp_path / "elsewhere").exists()
    (tmp_path / "empty").mkdir()
    _export(cli, tmp_path / "empty")  # an empty directory is taken, as `git clone` takes one


def test_a_failed_write_leaves_nothing_behind(cli, tmp_path, monkeypatch):
    import pyarrow.parquet

    ingest_sample(cli, tmp_path)

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pyarrow.parquet.ParquetWriter, "write_table", full)
    before = set((tmp_path).iterdir())
    result = cli("export", "-f", "parquet", "-o", str(tmp_path / "dataset"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"newscli: {tmp_path / 'dataset'}: cannot write the dataset (no space left on device)"]
    assert set(tmp_path.iterdir()) == before  # no dataset, no temporary directory


def test_without_the_extra_one_line_names_it(cli, tmp_path, monkeypatch):
    ingest_sample(cli, tmp_path)
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow now fails
    result = cli("export", "-f", "parquet", "-o", str(tmp_path / "dataset"))
    assert result.exit_code == 1 and not (tmp_path / "dataset").exists()
    assert result.stderr.splitlines() == ["newscli: Parquet export needs pyarrow: pip install 'newscli[parquet]'"]


@pytest.mark.parametrize("args", [("-f", "parquet"), ("-f", "parquet", "-o", "d", "--partition-by", "month"),
                                  ("-f", "parquet", "-o", "d", "--partition-by", "year,weekday"),
                                  ("-f", "jsonl", "--partition-by", "lang")])
def test_usage_mistakes_are_one_line_and_exit_2(cli, tmp_path, args):
    ingest_sample(cli, tmp_path)
    result = cli("export", *args)
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1 and not result.stdout
