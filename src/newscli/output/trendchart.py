"""The `trend` chart for a terminal: one line per bucket, one column of bars per series.

Every series has its own column under its name, so the chart reads without colour
(NO_COLOR) as well as with it; bars share one scale, so columns compare, and each bar is
followed by its number. Eighth blocks give the bars 8 steps per character.
"""

from __future__ import annotations

from rich.text import Text

from newscli.analysis.trend import Trend
from newscli.output.inert import sanitize

COLORS = ("cyan", "magenta", "yellow", "green", "blue", "red")
_EIGHTHS = " ▏▎▍▌▋▊▉"
MIN_COLUMN = 12


def number(value: float | None, share: bool, smoothed: bool) -> str:
    if value is None:
        return "-"
    if share:
        percent = 100 * value
        return f"{percent:.1f}%" if percent >= 10 or percent == 0 else f"{percent:.2f}%"
    return f"{value:,.1f}" if smoothed else f"{int(value):,}"


def bar(value: float, top: float, room: int) -> str:
    eighths = round(8 * room * value / top) if top > 0 else 0
    if value > 0 and eighths == 0:
        eighths = 1  # something is never drawn as nothing
    return "█" * (eighths // 8) + (_EIGHTHS[eighths % 8] if eighths % 8 else "")


def lines(trend: Trend, share: bool, width: int) -> list[Text]:
    smoothed = trend.smooth > 1
    pick = 2 if share else 0
    columns = [[v[pick] for v in trend.values(s)] for s in trend.series]
    labels = trend.labels
    if trend.undated_total:
        labels = labels + ["undated"]
        for column, s in zip(columns, trend.series):
            column.append(s.undated / trend.undated_total if share else s.undated)
    left = max([len(label) for label in labels] + [len(trend.by)])
    each = max(MIN_COLUMN, (width - left) // max(len(columns), 1) - 2)
    digits = max((len(number(v, share, smoothed)) for c in columns for v in c), default=1)
    room = max(each - digits - 1, 3)
    top = max((v or 0 for c in columns for v in c), default=0)
    head = Text(f"{trend.by:<{left}}", style="bold")
    for n, s in enumerate(trend.series):
        name = sanitize(s.query.label)
        name = name if len(name) <= each else name[:each - 1] + "…"
        head.append("  " + f"{name:<{each}}", style=f"bold {COLORS[n % len(COLORS)]}")
    found = [head]
    for row, label in enumerate(labels):
        line = Text(f"{label:<{left}}", style="dim" if label == "undated" else "")
        for n, column in enumerate(columns):
            value = column[row]
            drawn = bar(value or 0, top, room)
            line.append("  " + drawn, style=COLORS[n % len(COLORS)])
            line.append(" " * (room - len(drawn)) + f" {number(value, share, smoothed):>{digits}}")
        found.append(line)
    return found


def totals(trend: Trend) -> list[Text]:
    """Per series: its articles, and their share of all that pass the filters."""
    whole = trend.total
    left = max(len(sanitize(s.query.label)) for s in trend.series)
    found = []
    for n, s in enumerate(trend.series):
        line = Text(f"{sanitize(s.query.label):<{left}}", style=COLORS[n % len(COLORS)])
        share = f"{100 * s.total / whole:.1f}% of {whole:,}" if whole else "of none"
        line.append(f"  {s.total:>{len(f'{whole:,}')},} article{'s' if s.total != 1 else ''}  {share}")
        found.append(line)
    return found


def caption(trend: Trend, share: bool) -> str:
    what = "share of the articles that pass the filters" if share else "articles"
    span = f", {trend.labels[0]} to {trend.labels[-1]}" if trend.starts else ""
    smooth = f", mean of the last {trend.smooth} {trend.by}s" if trend.smooth > 1 else ""
    return f"{what} per {trend.by}{span}{smooth}"
