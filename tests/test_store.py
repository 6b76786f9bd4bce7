"""The JSON-lines store: round trip, dedup, damage handling, atomic writes, locking."""

from __future__ import annotations

import dataclasses
import errno
import json
import multiprocessing
import os
import stat

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newscli.archive.store import Store, encode_record
from newscli.errors import StoreError
from newscli.model import RECORD_KEYS, Article
from tests.factories import make_article


def collect(store_path):
    problems = []
    store = Store(store_path, on_problem=problems.append)
    return store, problems


def test_missing_store_is_an_empty_archive(store_path):
    store, problems = collect(store_path)
    assert list(store.records()) == []
    assert problems == []
    assert not store_path.exists()


def test_append_creates_the_store_and_round_trips(store_path):
    store, _ = collect(store_path)
    article = make_article(1)
    result = store.append([article])
    assert [a.id for a in result.added] == [article.id]
    (record,) = list(store.records())
    assert list(record) == list(RECORD_KEYS)
    assert record["ingested_at"].endswith("+00:00")
    assert Article.from_record(record).id == article.id
    line = store_path.read_bytes()
    assert line.endswith(b"\n") and line.count(b"\n") == 1


def test_duplicates_are_counted_not_stored(store_path):
    store, _ = collect(store_path)
    a, b = make_article(1), make_article(2)
    store.append([a])
    result = Store(store_path).append([a, b, b])
    assert [x.id for x in result.added] == [b.id]
    assert len(result.duplicates) == 2
    assert [r["id"] for r in store.records()] == [a.id, b.id]


def test_another_writer_is_seen_before_the_next_append(store_path):
    first, second = Store(store_path), Store(store_path)
    first.append([make_article(1)])
    second.append([make_article(2)])
    assert len(first.append([make_article(2)]).duplicates) == 1


def test_damaged_line_in_the_middle_is_skipped_with_its_line_number(store_path):
    store, problems = collect(store_path)
    store.append([make_article(1)])
    with open(store_path, "ab") as f:
        # a good line after it makes it damage inside the file, not a damaged end
        f.write(b"{not json\n" + encode_record(make_article(2).to_record()))
    store.append([make_article(3)])
    assert [r["title"] for r in store.records()] == ["Title number 1", "Title number 2", "Title number 3"]
    assert [(p.line, p.is_error) for p in problems] == [(2, False)]
    assert "damaged line" in problems[0].reason
    assert b"{not json\n" in store_path.read_bytes()  # reported, never deleted


def test_torn_tail_is_skipped_then_moved_aside_by_the_next_write(store_path):
    store, problems = collect(store_path)
    store.append([make_article(1)])
    torn = b'{"id":"abc","title":"half'
    with open(store_path, "ab") as f:
        f.write(torn)
    assert len(list(store.records())) == 1
    assert problems[-1].line == 2 and "incomplete last line" in problems[-1].reason

    Store(store_path, on_problem=problems.append).append([make_article(2)])
    assert [r["title"] for r in store.records()] == ["Title number 1", "Title number 2"]
    (aside,) = list(store_path.parent.glob("articles.jsonl.torn-*"))
    assert aside.read_bytes() == torn
    assert "moved an incomplete last line (25 bytes) aside" in problems[-1].reason


def test_store_file_is_never_group_or_world_writable(store_path):
    old = os.umask(0)
    try:
        Store(store_path).append([make_article(1)])
    finally:
        os.umask(old)
    assert stat.S_IMODE(store_path.stat().st_mode) == 0o644


def test_symlinked_store_is_refused(store_path, tmp_path):
    target = tmp_path / "elsewhere.jsonl"
    target.write_text("")
    store_path.parent.mkdir(parents=True)
    store_path.symlink_to(target)
    with pytest.raises(StoreError, match="symbolic link"):
        Store(store_path).append([make_article(1)])
    assert target.read_text() == ""


@pytest.mark.parametrize("failing", ["write", "fsync"])
def test_failed_write_leaves_the_store_byte_identical(store_path, monkeypatch, failing):
    store = Store(store_path)
    store.append([make_article(1)])
    before = store_path.read_bytes()
    real = getattr(os, failing)

    def broken(fd, *args):
        if failing == "write":
            real(fd, args[0][:10])  # a short write first, as a full disk does
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, failing, broken)
    with pytest.raises(StoreError, match="no space left on device.*unchanged"):
        Store(store_path).append([make_article(2)])
    monkeypatch.undo()
    assert store_path.read_bytes() == before
    assert len(Store(store_path).append([make_article(2)]).added) == 1


def test_rewrite_drops_records_atomically_and_keeps_damaged_lines(store_path):
    store = Store(store_path)
    store.append([make_article(n) for n in range(3)])
    with open(store_path, "ab") as f:
        f.write(b"garbage\n")
    removed = store.rewrite(lambda r: r["title"] != "Title number 1")
    assert [r["title"] for r in removed] == ["Title number 1"]
    assert store_path.read_bytes().endswith(b"garbage\n")
    assert [r["title"] for r in Store(store_path).records()] == ["Title number 0", "Title number 2"]
    assert list(store_path.parent.glob(".articles.jsonl.*")) == []


def _append_range(path, start, stop):
    store = Store(path)
    for n in range(start, stop, 25):
        store.append([make_article(i) for i in range(n, min(n + 25, stop))])


def test_concurrent_ingests_store_the_union_without_duplicates(store_path):
    ctx = multiprocessing.get_context("spawn")
    jobs = [(0, 300), (200, 500), (0, 300)]
    procs = [ctx.Process(target=_append_range, args=(store_path, a, b)) for a, b in jobs]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    ids = [json.loads(line)["id"] for line in store_path.read_bytes().splitlines()]
    assert len(ids) == 500 == len(set(ids))


text = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)


@settings(max_examples=60, deadline=None)
@given(
    title=text, source=text, body=text, label=st.none() | text,
    tags=st.lists(text, max_size=4).map(tuple),
)
def test_any_article_round_trips_through_the_store(tmp_path_factory, title, source, body, label, tags):
    path = tmp_path_factory.mktemp("prop") / "s.jsonl"
    article = make_article(title=title, source=source, body=body, source_label=label, tags=tags)
    Store(path).append([article])
    (record,) = list(Store(path).records())
    assert Article.from_record(record) == dataclasses.replace(article, ingested_at=record["ingested_at"])
    assert record["id"] == article.id
