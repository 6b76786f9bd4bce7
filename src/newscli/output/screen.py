"""Everything the user sees. Only this package imports rich (tables.py and progress.py, loaded
only when something is drawn).

Article text is untrusted: it goes through `sanitize` before any terminal sees it and is
wrapped in rich `Text` objects, so escape sequences stay inert and `[brackets]` stay literal.
On a terminal output is styled; piped, it is plain tab-separated rows without escape codes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import TextIO

from newscli.index.syntax import plain_snippet
from newscli.model import Problem
from newscli.output.formats import cell, tag_words
from newscli.output.inert import sanitize, to_json
from newscli.output.numbers import display_time, grouped, readable

PROGRESS_MIN_BYTES = 4 << 20  # a smaller ingest is over before a bar would tell anything

__all__ = ["Screen", "display_time", "sanitize", "to_json"]  # sanitize/to_json kept importable here


class Screen:
    """stdout and stderr as rich consoles; resolved at write time so tests can swap streams.

    rich is imported only when something is drawn or styled: a command whose output goes to
    a pipe writes plain text and starts without it.
    """

    def __init__(self, environ: Mapping[str, str] | None = None,
                 stdout: TextIO | None = None, stderr: TextIO | None = None) -> None:
        env = os.environ if environ is None else environ
        self.environ = env
        # NO_COLOR means no styling at all (no bold either), so no escape byte is ever written.
        colors = None if env.get("NO_COLOR") else "auto"
        self._common = dict(highlight=False, emoji=False, markup=False, color_system=colors, _environ=environ)
        self._stdout, self._stderr = stdout, stderr
        self._out = self._err = None

    @property
    def out(self):
        if self._out is None:
            from rich.console import Console

            self._out = Console(file=self._stdout, **self._common)
        return self._out

    @property
    def err(self):
        if self._err is None:
            from rich.console import Console

            self._err = Console(file=self._stderr, stderr=self._stderr is None, **self._common)
        return self._err

    @property
    def is_terminal(self) -> bool:
        # rich says yes only when one of these says maybe; a plain "no" needs no rich at all.
        return _maybe_terminal(self._stdout_file(), self.environ) and self.out.is_terminal

    @property
    def err_is_terminal(self) -> bool:
        # As is_terminal: a piped ingest asks no rich console (~40 ms of import) to learn it.
        return _maybe_terminal(self._stderr_file(), self.environ) and self.err.is_terminal

    def _stderr_file(self):
        if self._err is not None:
            return self._err.file
        return self._stderr or sys.stderr

    def _stdout_file(self):
        if self._out is not None:
            return self._out.file
        return self._stdout or sys.stdout

    def write(self, text: str) -> None:
        """Plain machine-readable text, exactly as given (callers sanitize)."""
        self._plain_file().write(text)

    def write_all(self, pieces: Iterable[str]) -> None:
        file = self._plain_file()
        for piece in pieces:
            file.write(piece)

    def _plain_file(self):
        file = self._stdout_file()
        # what rich's Console.file would give: the proxied file, or its null file for None
        file = getattr(file, "rich_proxied_file", file)
        return file if file is not None else self.out.file

    # -- diagnostics -------------------------------------------------------------------

    def problem(self, problem: Problem) -> None:
        label = "" if problem.is_error else "warning: "
        where = problem.file if problem.line is None else f"{problem.file}:{problem.line}"
        self._err_line(f"{sanitize(where)}: {label}{sanitize(problem.reason)}")

    def error(self, message: str) -> None:
        self._err_line(f"newscli: {sanitize(message)}")

    def status(self, message: str) -> None:
        """A note for the person, not for a pipe: goes to stderr."""
        self._err_line(sanitize(message))

    def _err_line(self, line: str) -> None:
        from rich.text import Text

        self.err.print(Text(line), soft_wrap=True)

    def confirm(self, question: str) -> bool:
        """Ask on the terminal; anything but y/yes (or end of input) is a no."""
        from rich.text import Text

        self.err.print(Text(f"{question} [y/N] "), end="", soft_wrap=True)
        answer = sys.stdin.readline()
        return answer.strip().lower() in ("y", "yes")

    def stdout_is_tty(self) -> bool:
        """A real terminal, as gzip asks: FORCE_COLOR styles a pipe but does not make it a screen."""
        return _isatty(self._stdout_file())

    @staticmethod
    def stdin_is_terminal() -> bool:
        try:
            return sys.stdin.isatty()
        except (AttributeError, ValueError):
            return False

    # -- results -----------------------------------------------------------------------

    def ingest_progress(self, files: int, total_bytes: int):
        """A progress bar on stderr for a long ingest on a terminal; piped, nothing at all."""
        if total_bytes < PROGRESS_MIN_BYTES or not self.err_is_terminal:
            return _NoProgress()
        from newscli.output.progress import IngestProgress

        return IngestProgress(self.err, files, total_bytes)

    def ingest_summary(self, new: int, duplicates: int, failed: int, replaced: int | None = None) -> None:
        n = grouped if self.is_terminal else str
        shown = f"{n(new)} new, " + (f"{n(replaced)} replaced, " if replaced is not None else "")
        line = f"{shown}{n(duplicates)} duplicate{'s' if duplicates != 1 else ''}, {n(failed)} failed"
        self._lines([[(line, "")]], soft_wrap=True)

    def json(self, value: object) -> None:
        self.write(to_json(value) + "\n")

    def article_list(self, records: list[dict], wrap: bool = False) -> None:
        """One line per article on a terminal (titles cut with '…', or wrapped between words);
        piped, one tab-separated row per article with every value whole."""
        if not self.is_terminal:
            for r in records:
                cells = (r["id"], r.get("published", ""), r.get("source", ""),
                         ",".join(tag_words(r, hash_="")), r.get("title", ""))
                self.write("\t".join(sanitize(c) for c in cells) + "\n")
            return
        self._rows(records, wrap)

    def _rows(self, records: list[dict], wrap: bool, snippets: Mapping[str, str] | None = None) -> None:
        from newscli.output.listing import Columns

        if not records:
            self.status("No articles match.")
            return
        columns = Columns(records, self.out.width)
        self._line(columns.head())
        for r in records:
            for line in columns.row(r, wrap):
                self._line(line)
            if snippets and snippets.get(r["id"]):
                from newscli.output.tables import highlighted

                self._line(columns.snippet(highlighted(snippets[r["id"]])))

    def _line(self, text) -> None:
        self.out.print(text, no_wrap=True, overflow="ignore", crop=False, soft_wrap=True)

    def cut_note(self, shown: int, total: int, offset: int = 0) -> None:
        """'20 of 7,204 — -n 0 for all' on stderr when the limit left articles out."""
        first = f"{grouped(offset + 1)}-{grouped(offset + shown)}" if offset else grouped(shown)
        self.status(f"{first} of {grouped(total)} — -n 0 for all")

    def field_table(self, rows: list[dict], fields: Sequence[str]) -> None:
        """Chosen columns: a table on a terminal, tab-separated rows when piped."""
        if not self.is_terminal:
            for row in rows:
                self.write("\t".join(sanitize(cell(row.get(f))) for f in fields) + "\n")
            return
        from newscli.output import tables

        self.out.print(tables.field_table(rows, fields))

    def search_results(self, records: list[dict], snippets: Mapping[str, str], wrap: bool = False) -> None:
        if not self.is_terminal:
            for r in records:
                cells = (r["id"], r.get("published", ""), r.get("source", ""),
                         ",".join(tag_words(r, hash_="")), r.get("title", ""),
                         plain_snippet(snippets.get(r["id"], "")))
                self.write("\t".join(sanitize(c) for c in cells) + "\n")
            return
        self._rows(records, wrap, snippets)

    def counts(self, label: str, rows: list[tuple[str, int]], footer: str | None = None) -> None:
        """Values with their counts: a bar chart on a terminal, 'value<TAB>count' piped."""
        if not self.is_terminal:
            for key, n in rows:
                self.write(f"{sanitize(key)}\t{n}\n")
            return
        from rich.text import Text

        from newscli.output import tables

        if not rows:
            self.err.print(Text("No articles match."), soft_wrap=True)
            return
        self.out.print(tables.bar_chart(label, rows, self.out.width))
        if footer:
            self.out.print(Text(sanitize(footer), style="dim"))

    def caption(self, text: str) -> None:
        """What a table is drawn from: above it on a terminal; piped, on stderr, so the rows
        stay rows."""
        if not self.is_terminal:
            self.status(text)
            return
        from rich.text import Text

        self.out.print(Text(sanitize(text), style="dim"), soft_wrap=True)

    def trend(self, trend, share: bool) -> None:
        """A `trend`: a chart and totals on a terminal; piped, its rows tab-separated."""
        if not self.is_terminal:
            for row in trend.rows():
                self.write("\t".join(sanitize(cell(row[k])) for k in row) + "\n")
            return
        from rich.text import Text

        from newscli.output import trendchart

        if not trend.starts and not trend.undated_total:
            self.err.print(Text("No articles match."), soft_wrap=True)
            return
        self.out.print(Text(trendchart.caption(trend, share), style="dim"), soft_wrap=True)
        for line in trendchart.lines(trend, share, self.out.width):
            self.out.print(line, soft_wrap=True)
        self.out.print()
        for line in trendchart.totals(trend):
            self.out.print(line, soft_wrap=True)

    def summary(self, data: Mapping[str, object], more: Sequence[tuple[str, str]] = ()) -> None:
        """`info`'s facts: on a terminal sizes in units (4.2 GB), counts grouped, times to the
        minute; piped, bytes, plain digits and ISO 8601 as in --json. `more`: lines as they are."""
        show = readable if self.is_terminal else (lambda _, v: "-" if v is None else str(v))
        name = (lambda key: key.replace("_bytes", "_size")) if self.is_terminal else (lambda key: key)
        self.facts([(name(key).replace("_", " "), show(key, value)) for key, value in data.items()] + list(more))

    def facts(self, pairs: Sequence[tuple[str, str]]) -> None:
        """'name: value' lines; aligned and dimmed on a terminal."""
        width = max((len(name) for name, _ in pairs), default=0) + 2
        style = "dim" if self.is_terminal else ""
        self._lines([[(f"{name + ':':<{width}}", style), (sanitize(value), "")] for name, value in pairs],
                    soft_wrap=True)

    def article(self, record: dict, *, pager: bool = False) -> None:
        """The article for reading; through the pager when it is longer than the terminal."""
        # A real terminal, not just forced colour: a pager needs a person at the keyboard.
        if not (pager and self.is_terminal and _isatty(self.out.file)):
            self._article(record)
            return
        with self.out.capture() as captured:
            self._article(record)
        text = captured.get()
        from newscli.output.pager import page

        if text.count("\n") < self.out.height or not page(text, self.environ):
            self.write(text)

    def _article(self, record: dict) -> None:
        lines = [[(sanitize(record.get("title", "")), "bold")]]
        facts = [
            ("Source", record.get("source", "")),
            ("Published", display_time(record.get("published", ""))),
            ("Tags", " ".join(tag_words(record))),
            ("Language", record.get("lang") or ""),
            ("Label", record.get("source_label") or ""),
            ("From", f"{record.get('file', '')}:{record.get('first_line')}-{record.get('last_line')}"),
            ("Id", record["id"]),
        ]
        for name, value in facts:
            if value:
                lines.append([(f"{name + ':':<11}", "dim"), (sanitize(str(value)), "")])
        for n, copy in enumerate(record.get("copies") or ()):  # output only, never stored
            lines.append([("also published as: " if n == 0 else " " * 19, "dim"), (sanitize(
                f"{copy['source']}, {display_time(copy.get('published') or '')}, {copy['id']}"
                f" (similarity {copy['similarity']:.2f})"), "")])
        for paragraph in (record.get("body") or "").split("\n\n"):
            lines.append([("", "")])
            lines.append([(sanitize(paragraph, multiline=True), "")])
        self._lines(lines, soft_wrap=not self.is_terminal)

    def _lines(self, lines: list[list[tuple[str, str]]], soft_wrap: bool) -> None:
        """Lines of text pieces, styled as a whole by the first one's style. Piped (soft-wrapped, unstyled) and without tabs,
        which rich expands by cell width, rich would print the text itself: write it directly
        and leave rich unimported."""
        if soft_wrap and not self.is_terminal and not any("\t" in t for line in lines for t, _ in line):
            self.write("".join("".join(t for t, _ in line) + "\n" for line in lines))
            return
        from rich.text import Text

        for (first, style), *rest in lines:
            text = Text(first, style=style)  # the first piece's style is the whole line's
            for piece, _ in rest:
                text.append(piece)
            self.out.print(text, soft_wrap=soft_wrap)

    def raw(self, text: str) -> None:
        self.write(sanitize(text, multiline=True).rstrip("\n") + "\n")


class _NoProgress:
    def __enter__(self) -> _NoProgress:
        return self

    def __exit__(self, *exc) -> None:
        pass

    def file_done(self, unit, size: int) -> None:
        pass

    def articles(self, count: int) -> None:
        pass


def _maybe_terminal(file, environ: Mapping[str, str]) -> bool:
    """False only where rich's Console.is_terminal is surely False (no override, no tty)."""
    if environ.get("TTY_COMPATIBLE", "") in ("0", "1") or environ.get("FORCE_COLOR") is not None:
        return True  # let rich decide
    return _isatty(file)


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
