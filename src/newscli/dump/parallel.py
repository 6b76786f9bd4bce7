"""Parse many dump files on every core, and hand the results back in input order.

Parsing is the costly, independent part of an ingest, so worker processes parse whole
files; the caller (the one writer) receives each file's articles and Problems in the
order `plan_inputs` gave, so ids, provenance and "which copy is the duplicate" are the
same as in a sequential run. Small inputs, stdin and huge files are read in this
process: a pool only pays for itself on megabytes, and a huge file is streamed in flat
memory rather than held whole in a worker.

Results come back through files in a private temporary directory, not through the pool's
pipe: the writer reads each in one call, where a pipe hands it over 64 KiB at a time
(at 100k articles that cost the writer ~3 s of its one core, which an ingest waits for).
"""

from __future__ import annotations

import gc
import os
import pickle
import shutil
import signal
import tempfile
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import BinaryIO

from newscli.archive.records import Prepared, prepare
from newscli.dump.timestamps import Reading
from newscli.dump.decode import check_encoding
from newscli.dump.inputs import InputFile, plan_inputs, read_one, read_whole
from newscli.model import Article, Problem

# Below this much input, starting processes costs more than it saves: the pool costs ~15 ms
# (two files of 200 KB: 0.098 s alone, 0.113 s with it), two of 1.1 MB are even (0.207 s
# alone, 0.197 s), and 7.7 MB take 0.41 s instead of 0.55 s.
PARALLEL_MIN_BYTES = 2 << 20
# A bigger file is streamed here in flat memory: its parsed articles (~4x its size) would be
# held whole, first by a worker and then by this process.
WORKER_MAX_FILE = 8 << 20
WINDOW_PER_WORKER = 4  # files parsed ahead per worker: no core waits for another; memory bounded
# The one writer (storing and indexing, in the parent) must never wait for a core: with as many
# workers as cores, fair shares would give it 2/3 of one. Workers run at a lower priority instead.
WORKER_NICENESS = 5

Done = Callable[[object, int], None]  # (planned unit, its bytes) once its items were handed out


def read_inputs_parallel(
    paths: Sequence[str], *, encoding: str | None = None, tz: str | None = None, date_order: str | None = None,
    stdin: BinaryIO | None = None, workers: int | None = None, on_done: Done | None = None,
    plan: list | None = None,
) -> Iterator[Article | Prepared | Problem]:
    """Like inputs.read_inputs, same items in the same order, parsed on `workers` processes
    (whose articles come already Prepared for the store)."""
    codec = check_encoding(encoding)
    reading = Reading(tz, date_order).check()
    units = plan if plan is not None else list(plan_inputs(paths))
    count = workers if workers is not None else _cores()
    files = [u.size for u in units if isinstance(u, InputFile) and u.size <= WORKER_MAX_FILE]
    big = len(files) > 1 and sum(files) >= PARALLEL_MIN_BYTES
    return _ordered(units, codec, reading, stdin, count if big and count > 1 else 0, on_done or _nothing)


def _ordered(units, codec, reading, stdin, workers: int, on_done: Done) -> Iterator[Article | Prepared | Problem]:
    pool = _start(workers) if workers else None
    spool = tempfile.mkdtemp(prefix="newscli-parse-") if pool is not None else None
    try:
        pending: deque = deque()
        for unit in units:
            if pool is not None and isinstance(unit, InputFile) and unit.size <= WORKER_MAX_FILE:
                pending.append((unit, pool.apply_async(_parse_file, (unit, codec, reading, spool))))
            else:
                pending.append((unit, None))
            while len(pending) > workers * WINDOW_PER_WORKER:
                yield from _finish(*pending.popleft(), codec, reading, stdin, on_done)
        while pending:
            yield from _finish(*pending.popleft(), codec, reading, stdin, on_done)
    finally:
        if pool is not None:
            pool.terminate()  # also on Ctrl-C or an error in the caller: no worker outlives us
            pool.join()
            shutil.rmtree(spool, ignore_errors=True)


def _finish(unit, result, codec, reading, stdin, on_done: Done) -> Iterator[Article | Prepared | Problem]:
    if result is not None:
        yield from _unspool(result.get())
    else:
        yield from read_one(unit, codec, reading, stdin)
    on_done(unit, unit.size if isinstance(unit, InputFile) else 0)


def _parse_file(unit: InputFile, codec, reading, spool: str) -> str | list[Prepared | Problem]:
    """In a worker: parse, encode (the writer is the one all others wait for, see archive/records.py)
    and spool the result to a file; its path goes back, or the items when it cannot be written."""
    # A file's parse makes tens of thousands of short-lived objects and no cycles worth a
    # collection: the collector walking them cost ~3% of a worker's time (paired runs).
    gc.disable()
    try:
        items = [prepare(item) if isinstance(item, Article) else item
                 for item in read_whole(unit, codec, reading)]
    finally:
        gc.enable()
    try:
        fd, path = tempfile.mkstemp(dir=spool)
        with open(fd, "wb") as out:
            # Plain tuples: a NamedTuple pickles through copyreg, three times slower.
            pickle.dump([tuple(item) if isinstance(item, Prepared) else item for item in items],
                        out, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError:  # a full or read-only temporary directory: only slower
        return items
    return path


def _unspool(result: str | list[Prepared | Problem]) -> list[Prepared | Problem]:
    if isinstance(result, list):
        return result
    with open(result, "rb") as spooled:
        data = spooled.read()
    os.unlink(result)
    return [Prepared._make(item) if type(item) is tuple else item for item in pickle.loads(data)]


def _start(workers: int):
    import multiprocessing  # only an ingest of megabytes pays for this import

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    return context.Pool(workers, initializer=_quiet_worker)


def _quiet_worker() -> None:
    # The parent handles Ctrl-C and SIGTERM and then stops the pool; a worker just ends.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        os.nice(WORKER_NICENESS)
    except OSError:
        pass  # only a matter of speed


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _nothing(unit, size) -> None:
    pass
