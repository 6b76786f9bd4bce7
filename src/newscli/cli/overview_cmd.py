"""`count`, `tags`, `sources`, `stats`, `info`: what is in the archive, in numbers."""

from typing import List

import typer

from newscli.cli import emit
from newscli.cli.app import app, runtime
from newscli.cli.options import Output, collapse_option, filter_options, output_options
from newscli.index.filters import Filters
from newscli.output.inert import sanitize


@app.command("count")
@filter_options
@collapse_option
def count_command(
    ctx: typer.Context, filters: Filters,
    as_json: bool = typer.Option(False, "--json", help='Print {"count": N} instead of the bare number.'),
) -> None:
    """Print how many articles match, as one number (--collapse: how many stories).

    Example: newscli count --tag Politik --since 2025-08-01
    """
    from newscli.index import questions, stories
    from newscli.cli.ask import ask

    rt = runtime(ctx)
    with ask(rt, filters) as index:
        stories.collapse(index, filters)
        found = questions.count(index, filters)
    if as_json:
        rt.screen.json({"count": found})
    else:
        rt.screen.write(f"{found}\n")


def _limit_option():
    return typer.Option(0, "--limit", "-n", metavar="N", help="At most N, the most frequent (0 = all).")


@app.command("tags")
@filter_options
@collapse_option
@output_options(fields="tag, count")
def tags_command(
    ctx: typer.Context, filters: Filters, output: Output, limit: int = _limit_option(),
    similar: bool = typer.Option(False, "--similar", help="Suggest tags that probably mean one thing, to join with newscli alias."),
) -> None:
    """Each tag with its number of articles, most frequent first; your labels marked '+'.

    Example: newscli tags -n 10 -f csv
    """
    if similar:
        _similar_tags(ctx, filters, output)
    else:
        _grouped(ctx, "tag", filters, output, limit=limit)


def _similar_tags(ctx: typer.Context, filters: Filters, output: Output) -> None:
    from newscli.archive.similar import suggest
    from newscli.cli.ask import ask
    from newscli.index import questions

    rt = runtime(ctx)
    with ask(rt, filters) as index:
        tags = [(b.key, b.count) for b in questions.group(index, "tag", filters) if not b.key.startswith("+")]
    groups = suggest(tags)
    if output.format == "json":
        rt.screen.json([[{"tag": name, "count": n} for name, n in group] for group in groups])
        return
    for group in groups:
        rt.screen.write("\t".join(sanitize(name) for name, _ in group) + "\n")
    if not groups:
        rt.screen.status("No similar tags found.")
    elif rt.screen.is_terminal:
        rt.screen.status("Join a group with: newscli alias tag NAME NAME... (the first is shown)")


@app.command("sources")
@filter_options
@collapse_option
@output_options(fields="source, count")
def sources_command(ctx: typer.Context, filters: Filters, output: Output, limit: int = _limit_option()) -> None:
    """Each source with its number of articles, most frequent first.

    Example: newscli sources --tag Politik -n 5
    """
    _grouped(ctx, "source", filters, output, limit=limit)


def _complete_by(ctx: typer.Context, incomplete: str) -> List[str]:
    from newscli.cli.completion import words
    from newscli.index.questions import GROUPINGS

    return words(GROUPINGS, incomplete)


@app.command("stats")
@filter_options
@collapse_option
@output_options(fields="month (or the --by unit), count")
def stats_command(
    ctx: typer.Context, filters: Filters, output: Output,
    by: str = typer.Option("month", "--by", metavar="UNIT", autocompletion=_complete_by, help="month | day | week | year | source | tag | lang."),
) -> None:
    """Articles per month (or per --by UNIT) as a bar chart, with totals and the date range.

    Example: newscli stats --by week --since 2025-08-01
    """
    _grouped(ctx, by, filters, output, with_footer=True)


def _grouped(ctx: typer.Context, by: str, filters: Filters, output: Output,
             with_footer: bool = False, limit: int = 0) -> None:
    from newscli.index import questions, stories
    from newscli.cli.ask import ask
    from newscli.index.filters import Order
    from newscli.output.numbers import grouped, plural, short_time

    order = Order(limit=limit)  # checks that it is not negative
    rt = runtime(ctx)
    with ask(rt, filters) as index:
        stories.collapse(index, filters)
        buckets = questions.group(index, by, filters)
        total = questions.summary(index, filters) if with_footer else None
    footer = None
    if total is not None and total.articles:
        counted = (f"{grouped(total.articles)} stor{'y' if total.articles == 1 else 'ies'}" if filters.collapse
                   else plural(total.articles, 'article'))
        footer = (f"{counted}, published {short_time(total.first_published) or '?'}"
                  f" to {short_time(total.last_published) or '?'}")
    shown = buckets[:limit] if limit else buckets
    emit.counts(rt.screen, output, by, [(b.key, b.count) for b in shown], footer)
    if emit.may_be_cut(rt.screen, output, order, len(shown)):
        emit.cut_note(rt.screen, order, len(shown), len(buckets))


LAST_INGESTS = 5  # ingest runs `info` names, newest first


@app.command("info")
def info_command(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the facts as one JSON object."),
) -> None:
    """Where the store and its index are, their sizes, and what the archive holds.

    Example: newscli info
    """
    from newscli.archive import batches
    from newscli.cli.ask import ask
    from newscli.index import questions
    from newscli.index.runs import per_stamp

    rt = runtime(ctx)
    log = batches.read_log(rt.store_path)
    if (note := batches.damage_note(rt.store_path, log)) is not None:
        rt.screen.problem(note)
    runs = log.runs[-LAST_INGESTS:][::-1]
    with ask(rt) as index:
        facts = questions.summary(index)
        held = per_stamp(index, [run.stamp for run in runs])
        index_file = index.path if rt.store_path.exists() else None
    sizes = {p: p.stat().st_size if p and p.exists() else None for p in (rt.store_path, index_file)}
    data = {
        "store": str(rt.store_path), "store_bytes": sizes[rt.store_path],
        "index": str(index_file) if index_file else None, "index_bytes": sizes.get(index_file),
        "articles": facts.articles, "first_published": facts.first_published,
        "last_published": facts.last_published, "last_ingested": facts.last_ingested,
        "sources": facts.sources, "tags": facts.tags, "languages": facts.languages,
    }
    if as_json:
        rt.screen.json(data | {"ingests": [
            {"ingested_at": run.stamp, "inputs": run.inputs, "added": run.added, "duplicates": run.duplicates,
             "refused": run.refused, "finished": run.finished, "articles": held[run.stamp]} for run in runs]})
    else:
        rt.screen.summary(data, [("ingest", f"{run.describe()}; {held[run.stamp]:,} here now") for run in runs])
