"""`trend` and `words`: attention over time, and the words of a coverage."""

from pathlib import Path
from typing import List, Optional

import typer

from newscli.cli.app import app, runtime
from newscli.cli.options import Output, collapse_option, filter_options, output_options
from newscli.index.filters import Filters

TREND_FIELDS = ("bucket", "query", "count", "total", "share")


@app.command("trend")
@filter_options
@collapse_option
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
    from newscli.index import stories
    from newscli.index.sync import session

    rt = runtime(ctx)
    fields = output.fields(TREND_FIELDS)
    series = trend.parse_queries(queries or [])
    with session(rt.store_path, rt.screen.problem) as index:
        stories.collapse(index, filters)  # --collapse: each story once, when it was first published
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


@app.command("words")
@filter_options
@collapse_option
@output_options()
def words_command(
    ctx: typer.Context, filters: Filters, output: Output,
    vs: Optional[str] = typer.Option(
        None, "--vs", metavar="BASELINE",
        help="Distinctive terms against: all (the archive, same --lang), a query, or a period SINCE..UNTIL."),
    vs_since: Optional[str] = typer.Option(None, "--vs-since", metavar="DATE", help="Baseline: the same filters from DATE."),
    vs_until: Optional[str] = typer.Option(None, "--vs-until", metavar="DATE", help="Baseline: the same filters until DATE."),
    ngrams: int = typer.Option(1, "--ngrams", metavar="N", help="Terms of N adjacent words (1-3)."),
    sample: int = typer.Option(5000, "--sample", metavar="N", help="Read at most N articles of each side, drawn at random (0 = all)."),
    seed: int = typer.Option(1, "--seed", metavar="N", help="The sample's seed: the same seed, the same sample."),
    limit: int = typer.Option(40, "--limit", "-n", metavar="N", help="At most N terms (0 = all)."),
) -> None:
    """The terms of the matching articles by how many use them; with --vs, those that set them apart.

    With --collapse, each story counts once (both sides of --vs), read from its earliest copy.

    Example: newscli words -q lukashenko --vs all --since 2025
    """
    from newscli.analysis import words
    from newscli.cli import emit
    from newscli.index.sync import session

    rt = runtime(ctx)
    fields = output.fields(words.FIELDS) or (words.DEFAULT_FIELDS if vs or vs_since or vs_until
                                             else words.DEFAULT_FIELDS[:3])
    baseline, name = _baseline(filters, vs, vs_since, vs_until)
    with session(rt.store_path, rt.screen.problem) as index:
        found = words.words(index, filters, baseline, ngrams=ngrams, sample=sample, seed=seed, limit=limit)
    if not found.subset.matching:
        rt.screen.status("No articles match.")
        return
    rt.screen.caption(found.caption(name))
    shown = found.rows
    if output.format == "table" and rt.screen.is_terminal:  # for reading: percentages, 2 decimals
        shown = [words.readable(row) for row in shown]
    emit.rows(rt.screen, output._replace(fields_text=",".join(fields)), shown, words.FIELDS)


def _baseline(filters: Filters, vs: Optional[str], since: Optional[str], until: Optional[str]):
    """The filters of --vs (and --vs-since/--vs-until), and how to name them."""
    from newscli.cli.options import build_filters, clock

    if vs is None and since is None and until is None:
        return None, ""
    if vs is not None and vs.strip().lower() == "all":
        base, name = Filters(lang=filters.lang, collapse=filters.collapse), "the whole archive" + (f", {filters.lang}" if filters.lang else "")
    elif vs is not None and ".." in vs:
        since, until = [part.strip() or None for part in vs.split("..", 1)]
        base, name = filters, f"{since or '…'} to {until or '…'}"
    elif vs is not None:
        base, name = filters._replace(query=vs), f"-q {vs}"
    else:
        base, name = filters, ""
    if since is not None or until is not None:
        dates = build_filters({"since": since, "until": until}, clock())
        base = base._replace(since=dates.since, until=dates.until)
        name = name or f"{since or '…'} to {until or '…'}"
    return base, name
