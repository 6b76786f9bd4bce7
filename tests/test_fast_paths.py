"""The fast paths give the same answers as the plain ones: parallel parsing, the ingest's
index following, the query shortcuts, the lazy option coercion and the progress bar.
(No timings here: benchmarks/run.py measures speed.)"""

from __future__ import annotations

import re
import shutil
import sqlite3
import tempfile
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newscli.archive.records import Prepared, prepare
from newscli.archive.store import Store, decode_line
from newscli.archive.values import fold
from newscli.dump import parallel as fan_out
from newscli.dump.inputs import read_inputs
from newscli.dump.timestamps import Reading
from newscli.index import questions
from newscli.index.filters import Filters, Order
from newscli.index.schema import INDEX_NAMES
from newscli.index.sync import Index, index_path, session
from newscli.jobs import ingest
from newscli.model import Article
from newscli.output import screen as render
from tests.conftest import SEEDS, TESTS
from tests.factories import make_article

DUMPS = TESTS / "dumps"


def _dump_tree(tmp_path):
    """Test dumps and the seed sample, several times over, in nested directories."""
    for n in range(3):
        shutil.copytree(DUMPS, tmp_path / "in" / f"copy{n}")
    shutil.copytree(SEEDS, tmp_path / "in" / "seeds")
    return tmp_path / "in"


def test_parallel_parsing_gives_the_sequential_items_in_the_same_order(tmp_path, monkeypatch):
    top = _dump_tree(tmp_path)
    monkeypatch.setattr(fan_out, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(fan_out, "WORKER_MAX_FILE", 4000)  # the bigger files stay in this process
    done = []
    paths = [str(top), str(tmp_path / "missing.txt")]
    parallel = list(fan_out.read_inputs_parallel(paths, workers=2, on_done=lambda u, n: done.append(n)))
    assert any(isinstance(item, Prepared) for item in parallel)  # workers' come ready to store
    assert [prepare(x) if isinstance(x, Article) else x for x in parallel] == [
        prepare(x) if isinstance(x, Article) else x for x in read_inputs(paths)]
    assert sum(done) == sum(p.stat().st_size for p in top.rglob("*.txt"))


def test_ingest_in_parallel_stores_what_a_sequential_ingest_stores(tmp_path, monkeypatch, cli, store_path):
    top = _dump_tree(tmp_path)
    sequential = cli("ingest", str(top))
    expected = [r["id"] for r in Store(store_path).records()]
    store_path.unlink()
    index_path(store_path).unlink()
    monkeypatch.setattr(fan_out, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(ingest, "FOLLOW_BYTES", 10_000)  # the index follows in many steps
    parallel = cli("ingest", str(top))
    assert (parallel.exit_code, parallel.stdout, parallel.stderr) == (
        sequential.exit_code, sequential.stdout, sequential.stderr)
    assert [r["id"] for r in Store(store_path).records()] == expected
    with session(store_path) as index:
        assert index.last_sync == "fresh"  # followed to the end, deferred indexes built
        assert questions.count(index, Filters()) == len(expected)
        assert not index._needs_indexes()


def test_progress_bar_on_a_terminal_only(tmp_path, monkeypatch, cli):
    top = _dump_tree(tmp_path)
    monkeypatch.setattr(render, "PROGRESS_MIN_BYTES", 0)
    piped = cli("ingest", str(top))
    assert "files" not in piped.stderr and "articles" not in piped.stderr
    assert piped.stdout.endswith("failed\n")
    (tmp_path / "archive" / "articles.jsonl").unlink()
    shown = cli("ingest", str(top), env={"FORCE_COLOR": "1"})
    assert shown.exit_code == piped.exit_code
    assert "files" in shown.stderr and "articles" in shown.stderr
    bar = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", shown.stderr)
    assert re.search(r"\d:\d\d:\d\d elapsed, (-:--:--|\d:\d\d:\d\d) left", bar), bar
    assert shown.stdout.endswith("failed\n")


def _store_with_tags(store_path, n=400):
    tags = lambda i: ("Politik",) if i % 3 else ("Politik", "Sport") if i % 2 else ("Rare",)  # noqa: E731
    articles = [make_article(i, tags=tags(i), published=f"20{10 + i % 15}-0{1 + i % 9}-1{i % 10}T{i % 24:02d}:00:00")
                for i in range(n)]
    articles.append(make_article(n + 1, tags=("Politik",), published="undated"))
    Store(store_path).append(articles)


@pytest.mark.parametrize("filters", [Filters(tags=("politik",)), Filters(tags=("Sport",)), Filters(tags=("rare",)),
                                     Filters(tags=("politik",), no_tags=("sport",)),
                                     Filters(tags=("politik",), any_tags=("sport", "rare"))])
@pytest.mark.parametrize("limit,offset", [(1, 0), (20, 0), (20, 150), (5, 10_000)])
def test_walking_the_date_index_lists_what_sorting_lists(store_path, monkeypatch, filters, limit, offset):
    _store_with_tags(store_path)
    order = Order("published", False, limit, offset)
    with session(store_path) as index:
        walked = questions.select(index, filters, order)
        monkeypatch.setattr(questions, "_walk_by_date", lambda *a: False)
        sorted_ = questions.select(index, filters, order)
    assert walked == sorted_


def test_the_walk_without_the_date_index_lists_the_same_and_streaming_lists_what_select_lists(store_path):
    _store_with_tags(store_path)
    filters, order = Filters(tags=("politik",)), Order("published", False, 20, 0)
    with session(store_path) as index:
        walked = questions.select(index, filters, order)
        assert list(questions.each_selected(index, filters, order)) == walked
        index.conn.execute("DROP INDEX articles_published")  # as an ingest that deferred it leaves it
        assert questions.select(index, filters, order) == walked


def test_a_line_cut_short_under_an_open_index_is_refused_not_read(store_path):
    from newscli.index.sync import StaleIndexError

    _store_with_tags(store_path, n=3)
    with session(store_path) as index:
        places = questions.select(index, Filters(), Order("title"))
        last = max(places, key=lambda p: p.offset)
        assert list(index.lines([last])) == [store_path.read_bytes()[last.offset:]]
        with open(store_path, "r+b") as f:
            f.truncate(last.offset + last.length - 1)  # the newline gone: a writer cut short
        with pytest.raises(StaleIndexError):
            list(index.lines([last]))


def test_counting_one_tag_by_its_index_counts_what_the_filter_counts(store_path):
    _store_with_tags(store_path)
    with session(store_path) as index:
        for tag in ("Politik", "#sport", "RARE", "missing"):
            by_index = questions.count(index, Filters(tags=(tag,)))
            records = index.records(questions.select(index, Filters(), Order()))
            assert by_index == sum(Filters(tags=(tag,)).matches(r) for r in records)


@given(st.text())
def test_fold_is_casefold_nfkd_without_combining_marks(text):
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    assert fold(text) == "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def test_plain_option_values_skip_pydantic_but_bad_ones_are_still_refused(cli):
    assert cli("list", "-n", "5", "--tag", "x").exit_code == 0
    bad = cli("list", "-n", "five")  # refused by typer's own coercion, worded by cli/usage.py
    assert (bad.exit_code, bad.stderr) == (2, "newscli: -n expects a whole number, got 'five'\n")
    assert cli("list", "-n", "-1").exit_code == 2  # our own check, after coercion


def test_an_ingest_that_deferred_the_indexes_leaves_them_built(store_path):
    store = Store(store_path)
    follower = ingest.IndexFollower(store_path, lambda p: None, every=10**9)
    follower.step(store.append([make_article(i) for i in range(5)]).written)  # fresh: deferred
    follower.step(store.append([make_article(i) for i in range(5, 7)]).written)  # unsaved yet
    store.append([make_article(i) for i in range(7, 9)])  # not followed, as by another process
    follower.close()  # saves, catches up the last appends and builds what was deferred
    with sqlite3.connect(index_path(store_path)) as conn:  # as left, not as a session fixes it
        built = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert set(INDEX_NAMES) <= built
    with session(store_path) as index:
        assert index.last_sync == "fresh"
        assert questions.count(index, Filters()) == 9


def test_a_whole_file_read_at_once_gives_what_the_careful_reader_gives(tmp_path):
    from newscli.dump.inputs import InputFile, plan_inputs, read_one, read_whole

    (tmp_path / "nul.txt").write_bytes(b"Title\n\nSource - 1 May 2025 10:00\n\nBody\x00\n")
    (tmp_path / "late.txt").write_bytes(b"Title\n\nSource - 1 May 2025 10:00\n\n" + b"x" * 70_000 + b"\xe9\n")
    units = [u for u in plan_inputs([str(DUMPS), str(SEEDS), str(tmp_path)]) if isinstance(u, InputFile)]
    assert len(units) > 10
    for unit in units:
        assert read_whole(unit, None, Reading()) == list(read_one(unit, None, Reading())), unit.name


def test_following_an_ingest_indexes_what_a_rebuild_indexes_even_if_the_store_is_replaced(store_path):
    store = Store(store_path)
    follower = ingest.IndexFollower(store_path, lambda p: None, every=10**9)
    follower.step(store.append([make_article(i) for i in range(5)]).written)
    follower.step(store.append([make_article(i) for i in range(5, 8)]).written)  # not saved yet
    Store(store_path).rewrite(lambda r: r["id"] != make_article(1).id)  # another process: a new file
    follower.step(store.append([make_article(i) for i in range(8, 10)]).written)
    follower.close()
    with session(store_path) as index:
        followed = list(index.records(questions.select(index, Filters(), Order())))
    with session(store_path, rebuild=True) as index:
        rebuilt = list(index.records(questions.select(index, Filters(), Order())))
    assert followed == rebuilt and len(rebuilt) == 9
    assert make_article(1).id not in {r["id"] for r in rebuilt}


def test_an_index_failure_while_following_is_one_warning_and_the_store_is_whole(store_path, monkeypatch):
    def broken(self, written):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(Index, "follow", broken)
    problems, store = [], Store(store_path)
    follower = ingest.IndexFollower(store_path, problems.append, every=10**9)
    for n in range(0, 30, 3):  # the first step opens the index, every later one fails
        follower.step(store.append([make_article(i) for i in range(n, n + 3)]).written)
    follower.close()
    assert [p.reason for p in problems] == ["index not updated (disk I/O error)"]
    assert not problems[0].is_error
    with session(store_path) as index:
        assert index.last_sync == "fresh"  # close() caught the index up all the same
        assert questions.count(index, Filters()) == 30


def test_following_reads_only_up_to_each_append_and_takes_its_values(store_path, monkeypatch):
    import newscli.index.sync as index_module

    decoded = []
    monkeypatch.setattr(index_module, "decode_line", lambda line: decoded.append(line) or decode_line(line))
    store = Store(store_path)
    follower = ingest.IndexFollower(store_path, lambda p: None, every=10**9)
    for n in range(0, 60, 3):
        follower.step(store.append([make_article(i) for i in range(n, n + 3)]).written)
    follower.close()
    # Only what the first step found beyond its own append (the thread starts late) is decoded;
    # at most two appends wait for the thread, so that is a few appends' worth at most.
    assert len(decoded) <= 4 * 3
    with session(store_path, rebuild=True) as rebuilt, session(store_path) as followed:
        assert (list(followed.records(questions.select(followed, Filters(), Order())))
                == list(rebuilt.records(questions.select(rebuilt, Filters(), Order()))))


def test_results_come_back_through_a_private_spool_that_is_gone_afterwards(tmp_path, monkeypatch):
    top = _dump_tree(tmp_path)
    spools = tmp_path / "tmp"
    spools.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spools))
    monkeypatch.setattr(fan_out, "PARALLEL_MIN_BYTES", 0)
    expected = [prepare(x) if isinstance(x, Article) else x for x in read_inputs([str(top)])]
    spooled = []
    real = fan_out._unspool
    monkeypatch.setattr(fan_out, "_unspool", lambda r: spooled.append(isinstance(r, str)) or real(r))
    assert list(fan_out.read_inputs_parallel([str(top)], workers=2)) == expected
    assert spooled and all(spooled)  # every file came through a spool file
    assert list(spools.iterdir()) == []


def test_a_spool_that_cannot_be_written_only_makes_parsing_slower(tmp_path, monkeypatch):
    top = _dump_tree(tmp_path)
    monkeypatch.setattr(fan_out, "PARALLEL_MIN_BYTES", 0)

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "mkstemp", full)  # in the workers too: they are forked
    expected = [prepare(x) if isinstance(x, Article) else x for x in read_inputs([str(top)])]
    assert list(fan_out.read_inputs_parallel([str(top)], workers=2)) == expected


def _automerge(store_path) -> int:
    with sqlite3.connect(index_path(store_path)) as conn:
        return int(conn.execute("SELECT v FROM fts_config WHERE k = 'automerge'").fetchone()[0])


def test_small_catch_ups_leave_merging_to_large_writes_and_lose_nothing(store_path, monkeypatch):
    import newscli.index.schema as schema

    store = Store(store_path)
    for n in range(0, 40, 2):  # more small segments than FTS5's crisismerge (16) lets pile up
        store.append([make_article(i) for i in range(n, n + 2)])
        with session(store_path):
            pass
        assert _automerge(store_path) == 0
    monkeypatch.setattr(schema, "MERGE_MIN_BYTES", 1)  # now every write counts as large
    store.append([make_article(i) for i in range(40, 42)])
    with session(store_path):
        pass
    assert _automerge(store_path) == schema.AUTOMERGE
    with session(store_path) as caught_up:
        found = questions.search(caught_up, "paragraph", Filters(), Order())
    with session(store_path, rebuild=True) as rebuilt:
        assert questions.search(rebuilt, "paragraph", Filters(), Order()) == found
    assert len(found) == 42
