"""`newscli search`: ranked full-text search over titles and bodies."""

from typing import List

import typer

from newscli.cli import emit
from newscli.cli.app import app, runtime
from newscli.cli.options import Output, collapse_option, filter_options, output_options, paging_options
from newscli.index.filters import Filters, Order


@app.command("search")
@filter_options
@collapse_option
@paging_options(limit=20, sort="relevance")
@output_options(wrap=True)
def search_command(
    ctx: typer.Context, filters: Filters, order: Order, output: Output,
    words: List[str] = typer.Argument(..., metavar="QUERY...", help='Words, "a phrase", prefix*, -excluded, a OR b (quotes optional).'),
    latest: bool = typer.Option(False, "--latest", help="Newest matches first instead of best first."),
) -> None:
    """Search titles and bodies, best match first (a title hit weighs more).

    Example: newscli search lukashenko OR лукашенко --since 2025-08-01
    """
    from newscli.index import questions, stories
    from newscli.cli.ask import ask

    rt = runtime(ctx)
    query = " ".join(words)
    if latest:
        order = Order("published", order.reverse, order.limit, order.offset)
    with ask(rt, filters) as index:
        copies = stories.collapse(index, filters, search=query)
        found = list(index.records(questions.search(index, query, filters, order)))
        snippets = questions.snippets(index, query, found)
        total = (questions.search_count(index, query, filters)
                 if emit.may_be_cut(rt.screen, output, order, len(found)) else None)
    emit.records(rt.screen, output, found, snippets, copies)
    emit.cut_note(rt.screen, order, len(found), total)
