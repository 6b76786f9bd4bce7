"""Everything the user sees. The only module that imports rich.

Article text is untrusted: it goes through `sanitize` before any terminal sees it and is
wrapped in rich `Text` objects, so escape sequences stay inert and `[brackets]` stay literal.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterable, Mapping
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from newscli.model import Problem

# C0 and C1 controls (tab and newline are handled per context), DEL, and the invisible
# direction marks and overrides that can make text read differently from what it is.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_UNSAFE_IN_LINE = re.compile(_UNSAFE.pattern[:-1] + "\t\n]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def sanitize(text: str, *, multiline: bool = False) -> str:
    """Make untrusted text inert: every control character is shown as a visible escape."""
    return (_UNSAFE if multiline else _UNSAFE_IN_LINE).sub(_escape, text)


def to_json(value: object, *, indent: int | None = 2) -> str:
    """Exact text as JSON; characters a terminal would act on are written as \\u escapes."""
    dumped = json.dumps(value, ensure_ascii=False, indent=indent)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


def display_time(iso: str) -> str:
    """'2025-08-15T18:52:00+02:00' -> '2025-08-15 18:52 +02:00' (our own ISO format, not parsing)."""
    if not iso or len(iso) < 16:
        return iso or ""
    return (iso[:10] + " " + iso[11:16] + (" " + iso[19:] if len(iso) > 19 else "")).rstrip()


class Screen:
    """stdout and stderr as rich consoles; resolved at write time so tests can swap streams."""

    def __init__(self, environ: Mapping[str, str] | None = None,
                 stdout: TextIO | None = None, stderr: TextIO | None = None) -> None:
        env = os.environ if environ is None else environ
        # NO_COLOR means no styling at all (no bold either), so no escape byte is ever written.
        colors = None if env.get("NO_COLOR") else "auto"
        common = dict(highlight=False, emoji=False, markup=False, color_system=colors, _environ=environ)
        self.out = Console(file=stdout, **common)
        self.err = Console(file=stderr, stderr=stderr is None, **common)

    @property
    def is_terminal(self) -> bool:
        return self.out.is_terminal

    def write(self, text: str) -> None:
        """Plain machine-readable text, exactly as given (callers sanitize)."""
        self.out.file.write(text)

    # -- diagnostics -------------------------------------------------------------------

    def problem(self, problem: Problem) -> None:
        label = "" if problem.is_error else "warning: "
        where = problem.file if problem.line is None else f"{problem.file}:{problem.line}"
        self._err_line(f"{sanitize(where)}: {label}{sanitize(problem.reason)}")

    def error(self, message: str) -> None:
        self._err_line(f"newscli: {sanitize(message)}")

    def _err_line(self, line: str) -> None:
        self.err.print(Text(line), soft_wrap=True)

    # -- results -----------------------------------------------------------------------

    def ingest_summary(self, new: int, duplicates: int, failed: int) -> None:
        line = f"{new} new, {duplicates} duplicate{'s' if duplicates != 1 else ''}, {failed} failed"
        self.out.print(Text(line), soft_wrap=True)

    def json(self, value: object) -> None:
        self.write(to_json(value) + "\n")

    def article_list(self, records: list[dict]) -> None:
        if not self.is_terminal:
            for r in records:
                cells = (r["id"], r.get("published", ""), r.get("source", ""),
                         ",".join(r.get("tags") or ()), r.get("title", ""))
                self.write("\t".join(sanitize(c) for c in cells) + "\n")
            return
        if not records:
            self.err.print(Text("No articles match."), soft_wrap=True)
            return
        table = Table(box=None, header_style="bold", pad_edge=False)
        table.add_column("ID", style="yellow", no_wrap=True)
        table.add_column("Published", style="dim", no_wrap=True)
        table.add_column("Source", style="cyan", overflow="fold")
        table.add_column("Tags", style="green", overflow="fold")
        table.add_column("Title", overflow="fold", ratio=1)
        for r in records:
            table.add_row(
                Text(r["id"][:8]),
                Text(display_time(r.get("published", ""))),
                Text(sanitize(r.get("source", ""))),
                Text(sanitize(" ".join("#" + t for t in r.get("tags") or ()))),
                Text(sanitize(r.get("title", ""))),
            )
        self.out.print(table)

    def article(self, record: dict) -> None:
        """The article for reading: heading, facts, then the body in wrapped paragraphs."""
        plain = not self.is_terminal
        print_ = lambda text: self.out.print(text, soft_wrap=plain)  # noqa: E731
        print_(Text(sanitize(record.get("title", "")), style="bold"))
        facts = [
            ("Source", record.get("source", "")),
            ("Published", display_time(record.get("published", ""))),
            ("Tags", " ".join("#" + t for t in record.get("tags") or ())),
            ("Language", record.get("lang") or ""),
            ("Label", record.get("source_label") or ""),
            ("From", f"{record.get('file', '')}:{record.get('first_line')}-{record.get('last_line')}"),
            ("Id", record["id"]),
        ]
        for name, value in facts:
            if value:
                line = Text(f"{name + ':':<11}", style="dim")
                line.append(sanitize(str(value)))
                print_(line)
        for paragraph in (record.get("body") or "").split("\n\n"):
            print_(Text(""))
            print_(Text(sanitize(paragraph, multiline=True)))

    def raw(self, text: str) -> None:
        self.write(sanitize(text, multiline=True).rstrip("\n") + "\n")


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()
