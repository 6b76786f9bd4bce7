"""`newscli search`: ranked full-text search over titles and bodies."""

import typer

from newscli.cli import emit
from newscli.cli.app import app, runtime
from newscli.cli.options import Output, filter_options, output_options, paging_options
from newscli.index.filters import Filters, Order


@app.command("search")
@filter_options
@paging_options(limit=20, sort="relevance")
@output_options()
def search_command(
    ctx: typer.Context, filters: Filters, order: Order, output: Output,
    query: str = typer.Argument(..., metavar="QUERY", help='Words, "a phrase", prefix*, -excluded, a OR b.'),
    latest: bool = typer.Option(False, "--latest", help="Newest matches first instead of best first."),
) -> None:
    """Search titles and bodies, best match first (a title hit weighs more).

    Example: newscli search 'lukashenko OR лукашенко -sport' --since 1m
    """
    from newscli.index import questions
    from newscli.index.sync import session

    rt = runtime(ctx)
    if latest:
        order = Order("published", order.reverse, order.limit, order.offset)
    with session(rt.store_path, rt.screen.problem) as index:
        found = list(index.records(questions.search(index, query, filters, order)))
        snippets = questions.snippets(index, query, found)
    emit.records(rt.screen, output, found, snippets)
