"""One computation over the parts of a list, on every core: `map_parts(work, items)`.

Each part but the first goes to a forked child, which sends `work(part)` back pickled through
a pipe and exits; the first part is done here meanwhile. Forked, not spawned: a child starts
in a few milliseconds with everything this process has loaded, and uses none of it but the
part's data and open file descriptors (never the index's SQLite connection: the work must
not touch it). Where fork is missing, for a small list, or on one core, everything is done
here. A child that fails or dies is not trusted for anything: its part is done again here,
so an answer never depends on a child, and an error is raised from this process as it
would be without children.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

_OK = b"\x01"  # first byte of a child's answer: the pickle follows


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def map_parts(work: Callable[[Sequence[T]], R], items: Sequence[T], min_part: int) -> list[R]:
    """[work(part) for each part], the items dealt round-robin into at most one part per core,
    each of at least `min_part` items (one part, here, when there are fewer)."""
    count = max(1, min(cores(), len(items) // max(1, min_part)))
    if count == 1 or not hasattr(os, "fork"):
        return [work(items)]
    parts = [items[n::count] for n in range(count)]
    children = [_start(work, part) for part in parts[1:]]
    results: list = [None] * count
    try:
        results[0] = work(parts[0])
    finally:
        answers = [_collect(child) for child in children]
    for n, answer in enumerate(answers, 1):
        results[n] = answer[0] if answer is not None else work(parts[n])
    return results


def _start(work: Callable, part: Sequence) -> tuple[int, int] | None:
    """(pid, read end of its pipe), or None when no child could be started."""
    try:
        read, write = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # the child: answer, then leave without running this process's exit code
        status = 1
        try:
            os.close(read)
            data = _OK + pickle.dumps(work(part), protocol=pickle.HIGHEST_PROTOCOL)
            with open(write, "wb", closefd=True) as pipe:
                pipe.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    return pid, read


def _collect(child: tuple[int, int] | None) -> tuple | None:
    """(the child's result,) or None when it had none to give."""
    if child is None:
        return None
    pid, read = child
    try:
        with open(read, "rb", closefd=True) as pipe:
            data = pipe.read()
    finally:
        _, status = os.waitpid(pid, 0)
    if status != 0 or not data.startswith(_OK):
        return None
    try:
        return (pickle.loads(data[1:]),)
    except Exception:  # a truncated answer: not trusted
        return None
