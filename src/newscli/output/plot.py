"""The `trend` chart as an image (PNG or SVG) for a report, drawn by matplotlib.

matplotlib is the optional extra newscli[plot]: imported here, only when an image is asked
for, and missing it is one line naming the extra.
"""

from __future__ import annotations

from pathlib import Path

from newscli.analysis.trend import Trend
from newscli.errors import MissingExtraError, NewscliError, os_reason
from newscli.output.trendchart import caption


def trend_image(trend: Trend, share: bool, path: Path, kind: str) -> None:
    try:
        import matplotlib
        matplotlib.use("Agg")  # no display: files only
        from matplotlib import pyplot
        from matplotlib.ticker import PercentFormatter
    except ImportError:
        raise MissingExtraError("plot", f"--{kind}") from None
    figure, axes = pyplot.subplots(figsize=(10, 4.5), dpi=120)
    x = list(range(len(trend.starts)))
    for series in trend.series:
        values = [v[2] if share else v[0] for v in trend.values(series)]
        axes.plot(x, [v if v is not None else float("nan") for v in values], label=series.query.label,
                  linewidth=1.6)
    labels = trend.labels
    step = max(1, len(labels) // 12)
    axes.set_xticks(x[::step], labels[::step], rotation=45, ha="right", fontsize=8)
    if share:
        axes.yaxis.set_major_formatter(PercentFormatter(1.0))
    axes.set_ylim(bottom=0)
    axes.set_title(caption(trend, share), fontsize=10)
    axes.grid(axis="y", alpha=0.3)
    axes.legend(fontsize=8, frameon=False)
    figure.tight_layout()
    try:
        figure.savefig(path, format=kind)
    except OSError as exc:
        raise NewscliError(f"{path}: cannot write ({os_reason(exc)})") from None
    finally:
        pyplot.close(figure)
