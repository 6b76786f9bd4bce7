"""Races: simultaneous ingests store exactly the union of their articles, and the lock is what
makes it so (with the test-only switch that disables it, the same race does find duplicates)."""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import subprocess
import sys

import pytest

from newscli.archive.files import UNSAFE_NO_LOCK_ENV
from newscli.archive.store import Store, lock_path
from newscli.dump.inputs import read_inputs
from newscli.errors import StoreError
from newscli.jobs.check import check
from newscli.jobs.ingest import ingest
from tests.factories import make_article
from tests.reliability_support import audit, cli_env, plain_article, write_dump

PER_PROCESS = 500
DISTINCT_PROCESSES = 8


@pytest.fixture(scope="session")
def race_dumps(tmp_path_factory):
    """8 dumps of 500 distinct articles each, and one more dump of 500 that two processes share."""
    folder = tmp_path_factory.mktemp("races")
    dumps = []
    for p in range(DISTINCT_PROCESSES + 1):
        articles = [plain_article(p * PER_PROCESS + n) for n in range(PER_PROCESS)]
        dumps.append(write_dump(folder / f"dump{p}.txt", articles))
    return dumps[:-1] + [dumps[-1], dumps[-1]]  # 10 ingests, the last two identical


def _ingest_after_barrier(barrier, dump, store, no_lock):
    if no_lock:
        os.environ[UNSAFE_NO_LOCK_ENV] = "1"
    barrier.wait()
    # Small batches: a hundred locked appends per process instead of one, so the processes
    # interleave many times, which is what gives a missing lock its chance to show.
    report = ingest(Store(store), read_inputs([str(dump)]), on_problem=lambda p: None, batch_size=5)
    assert report.failed == 0


def _race(dumps, store, no_lock: bool):
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(len(dumps))
    procs = [ctx.Process(target=_ingest_after_barrier, args=(barrier, d, store, no_lock)) for d in dumps]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    return [p.exitcode for p in procs]


def test_ten_simultaneous_ingests_store_exactly_the_union(race_dumps, tmp_path):
    store = tmp_path / "locked" / "articles.jsonl"
    assert _race(race_dumps, store, no_lock=False) == [0] * len(race_dumps)
    found = audit(store)
    assert (len(found.ids), found.duplicates, len(found.bad_lines), found.torn_bytes) == (4500, 0, 0, 0)
    report = check(store)  # and newscli's own verdict agrees, index included
    assert report.ok and report.records == 4500


def test_without_the_lock_the_same_race_finds_duplicates(race_dumps, tmp_path):
    """Negative control: the race test above can fail. Without the lock a race is likely,
    not certain, on any one try; three tries make missing it about a one-in-a-thousand event."""
    outcomes = []
    for attempt in range(3):
        store = tmp_path / f"unlocked{attempt}" / "articles.jsonl"
        _race(race_dumps, store, no_lock=True)
        found = audit(store)
        outcomes.append((len(found.ids), found.duplicates, len(found.bad_lines)))
        if found.duplicates > 0 or len(found.ids) != 4500 or found.bad_lines:
            return
    pytest.fail(f"three unlocked races all came out right: {outcomes}")


def test_ten_real_cli_processes_at_once(race_dumps, tmp_path):
    """The same race through `python -m newscli ingest`, one batch per process."""
    store = tmp_path / "cli" / "articles.jsonl"
    procs = [subprocess.Popen([sys.executable, "-m", "newscli", "ingest", str(d)], env=cli_env(store),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for d in race_dumps]
    results = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    assert [code for _, _, code in results] == [0] * len(procs), results
    summaries = sorted(out.decode().strip() for out, _, _ in results)
    assert summaries.count("500 new, 0 duplicates, 0 failed") == 9
    assert summaries.count("0 new, 500 duplicates, 0 failed") == 1
    found = audit(store)
    assert (len(found.ids), found.duplicates, len(found.bad_lines)) == (4500, 0, 0)


def _hold_lock_and_die(path):
    fd = os.open(path, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    os._exit(0)  # dies holding the lock, without unlocking


def test_a_lock_held_by_a_dead_process_blocks_no_one(store_path):
    store_path.parent.mkdir(parents=True)
    ctx = multiprocessing.get_context("fork")
    holder = ctx.Process(target=_hold_lock_and_die, args=(str(lock_path(store_path)),))
    holder.start()
    holder.join(10)
    assert lock_path(store_path).exists()
    assert len(Store(store_path).append([make_article(1)]).added) == 1


def test_a_lock_held_by_a_live_process_is_waited_for(store_path, tmp_path):
    """Control for the test above: the lock file really is the lock."""
    dump = write_dump(tmp_path / "one.txt", [plain_article(1)])
    store_path.parent.mkdir(parents=True)
    fd = os.open(lock_path(store_path), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        writer = subprocess.Popen([sys.executable, "-m", "newscli", "ingest", str(dump)],
                                  env=cli_env(store_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        with pytest.raises(subprocess.TimeoutExpired):
            writer.wait(timeout=2)
        assert not store_path.exists()
    finally:
        os.close(fd)
    writer.communicate(timeout=30)
    assert writer.returncode == 0 and len(audit(store_path).ids) == 1


def test_a_lock_file_that_is_a_symlink_is_refused(store_path, tmp_path):
    store_path.parent.mkdir(parents=True)
    target = tmp_path / "victim"
    target.write_text("precious")
    lock_path(store_path).symlink_to(target)
    with pytest.raises(StoreError, match="symbolic link"):
        Store(store_path).append([make_article(1)])
    assert target.read_text() == "precious" and not store_path.exists()
