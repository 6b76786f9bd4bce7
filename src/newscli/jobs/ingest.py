"""Ingest: parsed articles and problems in, a stored archive and an honest count out.

The index follows the store while it grows: each append's lines are indexed right after
they are written, from the values the workers prepared (no JSON is decoded again), in a
thread of this process, so indexing overlaps with storing here and parsing in other
processes (see dump/parallel.py). Commits come every few dozen megabytes, since FTS5 pays per commit;
a fresh index gets its secondary indexes once, at the end.
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from newscli.archive import batches
from newscli.archive.records import Prepared, reading_of
from newscli.archive.store import AppendResult, Store, Written
from newscli.errors import WriteError
from newscli.model import Article, Problem

# Commit the index after this much new store text. FTS5 writes its pending terms at every commit,
# so fewer commits index faster (100k articles: 27.7 s at 96 MB, 29.4 s at 32 MB); readers see
# the index grow in these steps, and an interrupted ingest loses at most one step of index work.
FOLLOW_BYTES = 96 << 20


@dataclass
class IngestReport:
    """Articles in = new + replaced + duplicates + failed, for every input."""

    new: int = 0
    duplicates: int = 0  # the id, or without --replace the text, already stored
    failed: int = 0  # articles or whole inputs refused; warnings do not count
    stopped: bool = False  # a write failed: the rest of the input was not read
    replaced: int = 0  # --replace: stored in place of a reading of the same text


def ingest(
    store: Store,
    items: Iterable[Article | Problem],
    on_problem: Callable[[Problem], None],
    batch_size: int = 500,
    on_batch: Callable[[IngestReport, AppendResult], None] | None = None,
    on_note: Callable[[Problem], None] | None = None,
    inputs: Sequence[str] | None = None,
) -> IngestReport:
    """Store every good article; report each problem as it happens, so nothing is silent.

    A write that fails (disk full, file size limit, I/O error) ends the run: what the run had
    stored is taken back, so the store is as it was before it, unless another process wrote
    after it (then it stays, and the message says so). Either way the report counts it.

    An article whose text is stored under another timestamp is a duplicate, with a warning
    naming the stored one; with a Store made to `replace`, it replaces that one instead, in
    one rewrite at the end, and `on_note` hears of each replacement once it is done.

    `inputs`: what the user gave; the run is then a batch (archive/batches.py): logged, and
    every article it stores gets the run's one stamp.
    """
    report = IngestReport()
    read = 0
    replacing: list[Problem] = []
    renamed: dict[str, str] = {}  # old id -> new id, for --replace
    run = None if inputs is None else batches.begin(store, inputs)

    def articles() -> Iterator[Article]:
        nonlocal read
        for item in items:
            if isinstance(item, Problem):
                on_problem(item)
                report.failed += item.is_error
            else:
                read += 1
                yield item

    try:
        for result in append_in_batches(store, articles(), batch_size, run.stamp if run else None):
            report.new += len(result.added)
            report.duplicates += len(result.duplicates) + len(result.same_text)
            for article, stored in result.same_text:
                on_problem(_note(article, stored, "already stored as {id} with published {published}; this"
                                 " reading says {new} (same title, source and text; --replace stores it instead)"))
            report.replaced += len(result.replacing)
            renamed.update((old["id"], article.id) for article, old in result.replacing)
            replacing.extend(_note(article, stored, "replaced {id} (published {published}) with this reading"
                                   " ({new_id}, published {new})") for article, stored in result.replacing)
            if on_batch is not None:
                on_batch(report, result)
        if store.apply_replacements():
            from newscli.jobs.relabel import carry_over

            carry_over(store.path, renamed)  # labels are kept by id
    except WriteError as exc:
        report.stopped, all_read, report.replaced = True, report.replaced > 0, 0  # none was replaced
        taken = store.take_back()
        on_problem(Problem(str(exc.path), _stopped(exc, taken, report.new, all_read)))
        if taken is None:  # they stay: every article read is stored, a duplicate, or failed
            report.failed += read - report.new - report.duplicates
        else:  # nothing this run read is in the store
            report.failed += read
            report.new = report.duplicates = 0
            if run is not None:
                batches.take_back(store, run)  # nothing of it stays: neither does its line
                run = None
        _log_end(store, run, report, on_problem)
        return report
    for note in replacing:
        (on_note or on_problem)(note)
    _log_end(store, run, report, on_problem)
    return report


def _note(article: Article | Prepared, stored: dict, text: str) -> Problem:
    reading = article.to_record() if isinstance(article, Article) else reading_of(article)
    reason = text.format(id=stored["id"], published=stored["published"], new=reading["published"],
                         new_id=reading["id"])
    return Problem(reading["file"], reason, reading["first_line"], is_error=False)


def _log_end(store: Store, run: batches.Started | None, report: IngestReport, on_problem) -> None:
    if run is not None:
        problem = batches.finish(store, run.stamp, report.new, report.duplicates, report.failed)
        if problem is not None:
            on_problem(problem)


def _stopped(exc: WriteError, taken: int | None, stored: int, all_read: bool = False) -> str:
    rest = "nothing was replaced" if all_read else "the rest of the input was not read"
    if taken is None:
        return (f"cannot write ({exc.reason}); the {stored} articles this run stored before that stay "
                f"(another process wrote after them); {rest}")
    if taken:
        return (f"cannot write ({exc.reason}); the store is unchanged: the {taken} articles this run "
                f"had stored were taken back; {rest}")
    return f"cannot write ({exc.reason}); the store is unchanged; {rest}"


def append_in_batches(store: Store, articles: Iterable[Article], size: int = 500,
                      stamp: str | None = None) -> Iterator[AppendResult]:
    """Keep memory flat on huge inputs: one locked append per batch (all with `stamp`)."""
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= size:
            yield store.append(batch, stamp)
            batch = []
    if batch:
        yield store.append(batch, stamp)


class IndexFollower:
    """Keeps the index in step with a store an ingest is writing, from a thread of its own.

    Indexing (SQLite, FTS5 above all) is most of the work the one writer does; in a thread it
    overlaps with storing the next batch and taking in parsed files, since SQLite and those
    writes and reads all let go of the GIL. At most two appends wait for it, so memory stays
    bounded and the index is never far behind. A failure is only a warning (the store is what
    matters) and ends the following; `close` makes the index whole either way, as
    `index.refresh` does after any write.
    """

    def __init__(self, store_path: Path, on_problem: Callable[[Problem], None],
                 every: int = FOLLOW_BYTES) -> None:
        self.store_path, self._on_problem, self._every = store_path, on_problem, every
        self._waiting: queue.Queue = queue.Queue(maxsize=2)
        self._thread: threading.Thread | None = None
        self._problems: deque[Problem] = deque()  # the thread's, reported by the caller's thread
        self._failed = self._stop = False

    def step(self, written: Written | None) -> None:
        """Hand over what one append wrote; the thread commits once `every` bytes are waiting."""
        self._report()
        if self._failed or written is None:
            return
        if self._thread is None:
            thread = threading.Thread(target=self._follow, name="newscli-index", daemon=True)
            thread.start()
            self._thread = thread  # only once started: Ctrl-C in between must not join an unstarted one
        self._hand_over(written)

    def close(self, finish: bool = True) -> None:
        """Let go of the index; `finish` also saves, catches up and builds deferred indexes."""
        if self._thread is not None:
            self._stop = not finish  # unsaved work is then rolled back: the index says what it holds
            self._hand_over(None)
            self._thread.join()
            self._thread = None
        self._report()
        if finish:
            from newscli.index.sync import refresh

            refresh(self.store_path, self._on_problem)

    def _hand_over(self, item: Written | None) -> None:
        # Blocks while two appends wait, but never on a thread that has ended.
        while self._thread.is_alive():
            try:
                self._waiting.put(item, timeout=0.1)
                return
            except queue.Full:
                pass

    def _follow(self) -> None:
        from newscli.index.sync import open_index

        index, unsaved = None, 0
        try:
            while (written := self._waiting.get()) is not None:
                if self._failed or self._stop:
                    continue  # only drained, so that the ingest never waits on us
                if index is None:
                    fresh = not _has_index(self.store_path)
                    index = open_index(self.store_path, self._problems.append, defer_indexes=fresh,
                                       written=[written])
                    continue
                index.follow(written)
                unsaved += written.size
                if unsaved >= self._every:
                    index.save()
                    unsaved = 0
            if index is not None and not self._failed and not self._stop:
                index.save()
        except Exception as exc:  # noqa: BLE001 - a warning, whatever it was: refresh still catches up
            self._failed = True
            self._problems.append(_not_updated(self.store_path, exc))
            while self._waiting.get() is not None:
                pass
        finally:
            if index is not None:
                index.close()

    def _report(self) -> None:
        while self._problems:
            self._on_problem(self._problems.popleft())


def _not_updated(store_path: Path, exc: Exception) -> Problem:
    # Only a warning: the store holds every article, and the next command catches up.
    return Problem(str(store_path), f"index not updated ({exc})", is_error=False)


def _has_index(store_path: Path) -> bool:
    from newscli.index.sync import index_path

    return index_path(store_path).exists()
