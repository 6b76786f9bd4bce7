"""The rich renderables behind Screen: field tables, search hits and bar charts."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text

from newscli.index.syntax import HIT_END, HIT_START, plain_snippet
from newscli.output.formats import cell
from newscli.output.inert import sanitize

__all__ = ["bar_chart", "cell", "field_table", "highlighted", "plain_snippet"]


def highlighted(snippet: str) -> Text:
    """The snippet with its hits styled; each piece sanitized on its own."""
    text = Text()
    for n, piece in enumerate(snippet.split(HIT_START)):
        hit, _, rest = piece.partition(HIT_END) if n else ("", "", piece)
        text.append(sanitize(hit), style="bold reverse")
        text.append(sanitize(rest))
    return text


def field_table(rows: list[dict], fields: Sequence[str]) -> Table:
    table = Table(box=None, header_style="bold", pad_edge=False)
    for field in fields:
        table.add_column(field, overflow="fold", no_wrap=field in ("id", "published"))
    for row in rows:
        table.add_row(*(Text(sanitize(cell(row.get(f)), multiline=True)) for f in fields))
    return table


def bar_chart(label: str, rows: list[tuple[str, int]], width: int) -> Table:
    """One row per value: name, count, and a bar scaled to the largest count."""
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column(label, overflow="fold")
    table.add_column("articles", justify="right", no_wrap=True)
    table.add_column("", no_wrap=True)
    longest = max(len(key) for key, _ in rows) if rows else 0
    room = max(width - min(longest, width // 3) - 14, 10)
    top = max(n for _, n in rows) or 1
    for key, n in rows:
        bar = "█" * round(room * n / top) if n else ""
        table.add_row(Text(sanitize(key or "(unknown)")), Text(str(n)), Text(bar, style="cyan"))
    return table
