"""The index is only a cache of the store: damaged, without room, stale or read while an ingest
writes, it must never cost an answer or tell one that is not true (issue 20, items 4-7, 13)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newscli.archive.store import Store
from tests.reliability_support import TRACEBACK, cli_env, exit_status, fork_cli, plain_article

N = 300


@pytest.fixture
def indexed(store_path, cli) -> Path:
    Store(store_path).append([plain_article(n) for n in range(N)])
    assert cli("count").stdout.strip() == str(N)
    index = store_path.with_name(store_path.name + ".index.sqlite")
    assert index.stat().st_size > 64 * 1024
    return index


def _damage(index: Path, where: str) -> None:
    size = index.stat().st_size
    with open(index, "r+b") as handle:
        if where == "header":
            handle.write(b"\xff" * 100)
        else:  # the middle half of the file: page contents of every table, not the header
            handle.seek(size // 4)
            handle.write(bytes(range(256)) * (size // 2 // 256))


@pytest.mark.parametrize("where", ["header", "middle"])
@pytest.mark.parametrize("command", [["count"], ["list", "--limit", "0"], ["stats", "--by", "year"], ["check"]])
def test_a_damaged_index_is_thrown_away_and_rebuilt_with_one_warning(indexed, cli, where, command):
    expected = cli(*command)
    assert expected.exit_code == 0
    _damage(indexed, where)
    result = cli(*command)
    assert result.exit_code == 0, result.output
    assert result.stdout == expected.stdout
    warnings = [line for line in result.stderr.splitlines() if line not in expected.stderr.splitlines()]
    assert len(warnings) == 1 and "index damaged" in warnings[0] and "rebuilt it" in warnings[0], result.stderr
    assert TRACEBACK not in result.output and "internal error" not in result.output
    again = cli(*command)
    assert again.stderr == expected.stderr and again.stdout == expected.stdout


def _mount_tmpfs(where: Path, size: str) -> None:
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small file system needs root")
def test_no_room_for_the_index_answers_from_memory_with_one_warning(tmp_path):
    disk = tmp_path / "disk"
    _mount_tmpfs(disk, "2m")
    try:
        store = disk / "articles.jsonl"
        Store(store).append([plain_article(n) for n in range(N)])
        with open(disk / "filler", "wb") as handle:  # the disk is full now
            try:
                while True:
                    handle.write(b"\0" * 65536)
            except OSError:
                pass
        for command, answer in ((["count"], str(N)), (["count", "--tag", "T3"], str(sum(n % 7 == 3 for n in range(N))))):
            result = subprocess.run([sys.executable, "-m", "newscli", *command], env=cli_env(store),
                                    capture_output=True, timeout=60)
            err = result.stderr.decode()
            assert result.returncode == 0 and result.stdout.decode().strip() == answer, err
            assert len(err.splitlines()) == 1 and "answering from a temporary one in memory" in err, err
            assert TRACEBACK not in err
    finally:
        subprocess.run(["umount", str(disk)])


def test_check_during_a_running_ingest_reads_a_consistent_snapshot(tmp_path):
    """Issue 20.7: check read the store, then synced the index to what the ingest had written
    since, and reported those records as 'indexed but not in the store'."""
    from tests.reliability_support import write_dump

    store = tmp_path / "s" / "articles.jsonl"
    # Long enough that a check (~0.2 s) starts and ends inside it on a quiet machine too: with
    # 8,000 articles a fresh-clone CI run once saw the ingest end before the first check did.
    dumps = [write_dump(tmp_path / f"d{i}.txt", [plain_article(n) for n in range(i * 4000, (i + 1) * 4000)])
             for i in range(8)]
    def commit_after_every_append() -> None:  # as a big ingest does every 96 MB
        from newscli.jobs.ingest import IndexFollower
        IndexFollower.__init__.__defaults__ = (1,)

    pid = fork_cli(store, ["ingest", *map(str, dumps)], before=commit_after_every_append)

    class _Ingest:
        returncode = None

        def poll(self):
            if self.returncode is None:
                self.returncode = exit_status(pid, block=False)
            return self.returncode

        def wait(self, timeout=None):
            while self.poll() is None:
                time.sleep(0.05)

    ingest = _Ingest()
    overlapped, results = 0, []
    try:
        while ingest.poll() is None:
            if not store.exists():
                continue
            checked = subprocess.run([sys.executable, "-m", "newscli", "check"], env=cli_env(store),
                                     capture_output=True, timeout=120)
            results.append(checked)
            overlapped += ingest.poll() is None
    finally:
        ingest.wait(timeout=300)
    assert ingest.returncode == 0
    assert overlapped >= 1, "no check ran while the ingest did: make the dumps bigger"
    for checked in results:
        out = checked.stdout.decode() + checked.stderr.decode()
        assert checked.returncode == 0 and "index:" not in out and TRACEBACK not in out, out


def _edit_in_place(store: Path, old: bytes, new: bytes) -> None:
    data = store.read_bytes()
    assert len(old) == len(new) and data.count(old) >= 1
    at = data.index(old)
    with open(store, "r+b") as handle:
        handle.seek(at)
        handle.write(new)


def _unsampled(store: Path, old: bytes) -> int:
    """An occurrence of `old` outside every block the index's cheap fingerprint samples."""
    from newscli.index import rows

    data, end = store.read_bytes(), store.stat().st_size
    step = max(end // rows._SAMPLES, 1)
    starts = {min(i * step, end - 1) for i in range(rows._SAMPLES)} | {max(end - rows._SAMPLE, 0)}
    at = data.find(old)
    while at >= 0:
        if all(at + len(old) <= s or at >= s + rows._SAMPLE for s in starts):
            return at
        at = data.find(old, at + 1)
    raise AssertionError("every occurrence is sampled")


def _edit_at(store: Path, at: int, new: bytes, keep_mtime: bool) -> None:
    before = os.stat(store)
    with open(store, "r+b") as handle:
        handle.seek(at)
        handle.write(new)
    if keep_mtime:
        os.utime(store, ns=(before.st_atime_ns, before.st_mtime_ns))


def _politik(store_path: Path, cli) -> int:
    Store(store_path).append([plain_article(n, tags=("Politik",)) for n in range(200)])
    assert cli("count", "--tag", "Politik").stdout.strip() == "200"
    return _unsampled(store_path, b'"tags":["Politik"]')


def test_check_compares_every_indexed_field_of_every_record(store_path, cli):
    """Issue 20.6: an in-place edit that keeps the size and the mtime (and misses the sampled
    blocks) is invisible to a query's cheap look; `check` compares every field and finds it."""
    _edit_at(store_path, _politik(store_path, cli), b'"tags":["Pxlitik"]', keep_mtime=True)
    assert cli("count", "--tag", "Pxlitik").stdout.strip() == "0"  # documented: only check sees this
    result = cli("check")
    assert result.exit_code == 1, result.output
    stale = [line for line in result.stdout.splitlines() if "is stale" in line]
    assert len(stale) == 1 and "its tags differ from the store" in stale[0], result.stdout
    assert cli("reindex").exit_code == 0
    assert cli("check").exit_code == 0
    assert cli("count", "--tag", "Pxlitik").stdout.strip() == "1"


@pytest.mark.parametrize("append", ["newscli ingest", "cat >>"])
def test_queries_never_miss_an_edit_that_moved_the_mtime_even_after_an_append(store_path, cli, tmp_path, append):
    """Issue 20.6: the same edit, the mtime left as the edit made it, then an append: the
    next query sees the store was written by something other than newscli's appends, checks
    every indexed byte, and rebuilds."""
    from tests.reliability_support import write_dump
    from newscli.archive.store import encode_record

    _edit_at(store_path, _politik(store_path, cli), b'"tags":["Pxlitik"]', keep_mtime=False)
    if append == "newscli ingest":
        assert cli("ingest", str(write_dump(tmp_path / "one.txt", [plain_article(900)]))).exit_code == 0
    else:
        with open(store_path, "ab") as handle:
            handle.write(encode_record({**plain_article(900).to_record(), "ingested_at": "2025-01-01T00:00:00+00:00"}))
    assert cli("count", "--tag", "Pxlitik").stdout.strip() == "1"
    assert cli("count", "--tag", "Politik").stdout.strip() == "199"
    assert cli("count").stdout.strip() == "201"
    assert cli("check").exit_code == 0


def test_appends_alone_keep_the_index_and_a_foreign_append_is_verified(store_path, cli, tmp_path):
    from tests.reliability_support import write_dump
    from newscli.archive.store import encode_record
    from newscli.index.sync import open_index

    Store(store_path).append([plain_article(n) for n in range(50)])
    assert cli("count").stdout.strip() == "50"
    Store(store_path).append([plain_article(60)])
    Store(store_path).append([plain_article(61)])  # two of newscli's appends: a chain in the lock file
    index = open_index(store_path)
    assert index.last_sync == "append" and index.lines_read == 2
    index.close()
    with open(store_path, "ab") as handle:  # not newscli's: every indexed byte is checked, and they hold
        handle.write(encode_record({**plain_article(62).to_record(), "ingested_at": "2025-01-01T00:00:00+00:00"}))
    index = open_index(store_path)
    assert index.last_sync == "append" and index.lines_read == 1
    index.close()
    assert cli("count").stdout.strip() == "53"


def test_a_damaged_line_inside_the_store_is_mentioned_by_every_command_while_it_is_there(store_path, cli):
    """Issue 20.13: it was warned about by the query that first indexed it, then never again."""
    from newscli.archive.store import encode_record

    Store(store_path).append([plain_article(n) for n in range(5)])
    with open(store_path, "ab") as handle:
        handle.write(b"{half a record\n" + encode_record(plain_article(9).to_record()))
    first = cli("count")
    assert first.stdout.strip() == "6" and ":6: warning: damaged line skipped" in first.stderr
    for args in (["count"], ["list"], ["info"], ["stats"], ["count", "--tag", "T1"]):
        again = cli(*args)
        assert again.exit_code == 0
        assert again.stderr.count("\n") == 1, (args, again.stderr)
        assert "1 damaged line skipped (line 6: not valid JSON" in again.stderr
        assert "`newscli check` lists them" in again.stderr
    assert cli("check", "--repair").exit_code == 0
    assert cli("count").stderr == ""
