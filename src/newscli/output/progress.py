"""The ingest progress bar: files, articles, rate and time left, on stderr, on a terminal only.

Redrawn by the ingest's own calls (no refresh thread), so worker processes forked while it
shows never inherit a thread holding a lock.
"""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

_REDRAW_S = 0.1


class IngestProgress:
    """Bytes of input parsed drive the bar and the time left; articles and files are shown."""

    def __init__(self, console: Console, files: int, total_bytes: int) -> None:
        self._files, self._done_files, self._articles = files, 0, 0
        self._progress = Progress(
            TextColumn("ingest"), BarColumn(), TextColumn("{task.fields[files]}"),
            TextColumn("{task.fields[articles]}"), TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(), TextColumn("elapsed,"), TimeRemainingColumn(), TextColumn("left"),
            console=console, auto_refresh=False, transient=True,
            redirect_stdout=False, redirect_stderr=False,
        )
        self._task = self._progress.add_task("ingest", total=max(total_bytes, 1), files="",
                                             articles="", rate="")
        self._started = self._drawn = time.monotonic()

    def __enter__(self) -> IngestProgress:
        self._progress.start()
        self._update(force=True)
        return self

    def __exit__(self, *exc) -> None:
        self._progress.stop()

    def file_done(self, unit, size: int) -> None:
        self._done_files += unit is not None and size > 0
        self._progress.advance(self._task, size)
        self._update()

    def articles(self, count: int) -> None:
        self._articles = count
        self._update()

    def _update(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._drawn < _REDRAW_S:
            return
        rate = self._articles / max(now - self._started, 1e-6)
        self._progress.update(self._task, files=f"{self._done_files:,}/{self._files:,} files",
                              articles=f"{self._articles:,} articles", rate=f"{rate:,.0f}/s")
        self._progress.refresh()
        self._drawn = now
