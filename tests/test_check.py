"""`newscli check`: finds every kind of bad line with its line number and exits non-zero;
`--repair` moves bad lines into a side file (losing nothing) and rebuilds the index."""

from __future__ import annotations

import json
import sqlite3

from newscli.archive.store import Store, encode_record
from newscli.index.sync import index_path
from tests.factories import make_article


def _lines(store_path) -> list[bytes]:
    return store_path.read_bytes().splitlines(keepends=True)


def test_a_healthy_store_checks_ok(cli, store_path):
    Store(store_path).append([make_article(n) for n in range(3)])
    result = cli("check")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "ok (3 lines, 3 good records)" in result.stderr


def test_a_missing_store_is_an_empty_archive(cli, store_path):
    result = cli("check")
    assert result.exit_code == 0 and "ok (0 lines" in result.stderr
    assert not store_path.exists()


def _damaged_store(store_path) -> dict[int, bytes]:
    """A store with one of each kind of bad line; returns the bad lines by line number."""
    good = [make_article(n) for n in range(4)]
    Store(store_path).append(good)
    edited = good[1].to_record()
    edited["title"] = "Edited by hand"  # the id no longer matches the content
    bad = {
        2: b"{not json at all\n",
        3: b'{"id": "abc", "title": 5}\n',  # JSON, but not an article record
        5: encode_record(edited),
        6: _lines(store_path)[0],  # the first record again: a duplicate id
        8: b'{"id":"torn',  # an interrupted write
    }
    lines = _lines(store_path)
    out = [lines[0], bad[2], bad[3], lines[1], bad[5], bad[6], lines[2], bad[8]]
    store_path.write_bytes(b"".join(out))
    return bad


def test_check_reports_each_bad_line_with_its_number(cli, store_path):
    _damaged_store(store_path)
    result = cli("check")
    assert result.exit_code == 1
    report = result.stdout.splitlines()
    assert [line.split(":")[1] for line in report] == ["2", "3", "5", "6", "8"]
    assert "not valid JSON" in report[0] and "not an article record" in report[1]
    assert "does not match the record's content" in report[2]
    assert "duplicate id" in report[3] and "first on line 1" in report[3]
    assert "incomplete last line" in report[4]
    (error,) = result.stderr.splitlines()
    assert error.startswith("newscli: ") and "5 problems" in error and "--repair" in error


def test_repair_moves_bad_lines_aside_and_loses_nothing(cli, store_path):
    bad = _damaged_store(store_path)
    before = store_path.read_bytes()
    result = cli("check", "--repair")
    assert result.exit_code == 0, result.output
    (aside,) = list(store_path.parent.glob("articles.jsonl.bad-*"))
    assert aside.read_bytes() == b"".join(bad[n] for n in sorted(bad))
    kept = _lines(store_path)
    assert len(kept) == 3
    # Every byte is still somewhere: the store and the side file hold the old file's lines.
    assert sorted(kept + aside.read_bytes().splitlines(keepends=True)) == sorted(before.splitlines(keepends=True))
    assert cli("check").exit_code == 0
    assert cli("count").stdout.strip() == "3"


def test_check_finds_an_index_that_disagrees_with_the_store(cli, store_path):
    Store(store_path).append([make_article(n) for n in range(3)])
    assert cli("count").stdout.strip() == "3"  # builds the index
    victim = json.loads(_lines(store_path)[1])["id"]
    with sqlite3.connect(index_path(store_path)) as conn:  # what a bug or a bad disk could do
        conn.execute("UPDATE articles SET offset = offset + 1 WHERE id = ?", (victim,))
        conn.execute("DELETE FROM articles WHERE id = (SELECT id FROM articles WHERE id != ? LIMIT 1)", (victim,))
    result = cli("check")
    assert result.exit_code == 1
    report = result.stdout
    assert f"id {victim} points to the wrong place" in report and "missing from the index" in report
    assert cli("check", "--repair").exit_code == 0
    assert cli("check").exit_code == 0
    assert list(store_path.parent.glob("articles.jsonl.bad-*")) == []  # nothing was wrong in the store


def test_repair_waits_for_the_lock_so_no_append_is_lost(store_path):
    """--repair rewrites the store under the same lock appends take (set_aside holds it)."""
    import fcntl
    import os
    import threading

    from newscli.jobs.check import repair

    Store(store_path).append([make_article(1)])
    with open(store_path, "ab") as handle:
        handle.write(b"junk\n" + encode_record(make_article(2).to_record()))
    fd = os.open(str(store_path) + ".lock", os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    done = threading.Event()
    worker = threading.Thread(target=lambda: (repair(store_path), done.set()))
    worker.start()
    assert not done.wait(0.5)  # blocked on the lock
    with open(store_path, "ab") as handle:  # an append that lands while repair waits
        handle.write(encode_record(make_article(3).to_record()))
    os.close(fd)
    worker.join(10)
    assert [json.loads(line)["title"] for line in _lines(store_path)] == [
        "Title number 1", "Title number 2", "Title number 3"]


def test_escape_sequences_in_findings_are_inert(cli, store_path):
    Store(store_path).append([make_article(1)])
    with open(store_path, "ab") as handle:
        handle.write(b'{"id": "\x1b]0;owned\x07"}\n' + encode_record(make_article(2).to_record()))
    result = cli("check")
    assert result.exit_code == 1
    assert "\x1b" not in result.stdout + result.stderr and "\x07" not in result.stdout
