"""`trend` and `words`: attention over time, and the words of a coverage."""

from pathlib import Path
from typing import List, Optional

import typer

from newscli.cli.app import app, runtime
from newscli.cli.options import Output, filter_options, output_options
from newscli.index.filters import Filters

TREND_FIELDS = ("bucket", "query", "count", "total", "share")


@app.command("trend")
@filter_options
@output_options()
def trend_command(
    ctx: typer.Context, filters: Filters, output: Output,
    queries: Optional[List[str]] = typer.Argument(
        None, metavar="[QUERY]...", help="Searches to compare, each 'Label=query' or a bare query; none: every article."),
    by: Optional[str] = typer.Option(None, "--by", metavar="UNIT", help="day | week | month | year (default: 20-60 buckets)."),
    share: bool = typer.Option(False, "--share", help="Chart each bucket's share of the articles that pass the filters."),
    smooth: int = typer.Option(1, "--smooth", metavar="N", help="Rolling mean over the last N buckets."),
    png: Optional[Path] = typer.Option(None, "--png", metavar="FILE", help="Also draw the chart into a PNG image (newscli[plot])."),
    svg: Optional[Path] = typer.Option(None, "--svg", metavar="FILE", help="Also draw the chart into an SVG image (newscli[plot])."),
) -> None:
    """Articles per day, week, month or year for each query, side by side.

    Example: newscli trend 'Lukashenko=lukashenko OR лукашенко' sanction* --share --by week
    """
    from newscli.analysis import trend
    from newscli.index.sync import session

    rt = runtime(ctx)
    fields = output.fields(TREND_FIELDS)
    series = trend.parse_queries(queries or [])
    with session(rt.store_path, rt.screen.problem) as index:
        found = trend.trend(index, series, filters, by, smooth)
    for path, kind in ((png, "png"), (svg, "svg")):
        if path is not None:
            from newscli.output import plot

            plot.trend_image(found, share, path, kind)
            rt.screen.status(f"Chart written to {path}.")
    if output.format == "table" and fields is None:
        rt.screen.trend(found, share)
    else:
        from newscli.cli import emit

        emit.rows(rt.screen, output, list(found.rows()), TREND_FIELDS)
