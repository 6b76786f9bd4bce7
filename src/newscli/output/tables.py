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
    """One row per value: name, count, and a bar scaled to the largest count. Names longer than
    a third of the line are cut after a word with '…', never folded over lines."""
    from newscli.output.listing import fit
    from newscli.output.numbers import grouped

    names = [sanitize(key) or "(unknown)" for key, _ in rows]
    room_name = max(min(max(len(name) for name in names), width // 3), len("(unknown)"))
    counts = [grouped(n) for _, n in rows]
    room_count = max(max(len(c) for c in counts), len("articles"))
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column(label, no_wrap=True, min_width=room_name, max_width=room_name)
    table.add_column("articles", justify="right", no_wrap=True)
    table.add_column("", no_wrap=True, overflow="crop")
    room = max(width - room_name - room_count - 6, 10)  # 6: the padding between columns, and a margin
    top = max(n for _, n in rows) or 1
    for name, count, (_, n) in zip(names, counts, rows):
        bar = "█" * round(room * n / top) if n else ""
        table.add_row(Text(fit(name, room_name)), Text(count), Text(bar, style="cyan"))
    return table
