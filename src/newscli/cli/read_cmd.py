"""`newscli list` and `newscli show`: find and read articles."""

import typer

from newscli.cli import emit
from newscli.cli.app import app, runtime
from newscli.cli.options import Output, collapse_option, filter_options, output_options, paging_options
from newscli.errors import UsageError
from newscli.index.filters import Filters, Order, check_prefix


@app.command("list")
@filter_options
@collapse_option
@paging_options(limit=20)
@output_options(wrap=True)
def list_command(ctx: typer.Context, filters: Filters, order: Order, output: Output) -> None:
    """List articles, newest first.

    Example: newscli list --tag Politik --since 2025-08-01 -n 50
    """
    from newscli.index import questions, stories
    from newscli.cli.ask import ask

    rt = runtime(ctx)
    with ask(rt, filters) as index:
        copies = stories.collapse(index, filters)
        found = list(index.records(questions.select(index, filters, order)))
        total = questions.count(index, filters) if emit.may_be_cut(rt.screen, output, order, len(found)) else None
    emit.records(rt.screen, output, found, copies=copies)
    emit.cut_note(rt.screen, order, len(found), total)


@app.command("show")
def show_command(
    ctx: typer.Context,
    article_id: str = typer.Argument(..., metavar="ID", help="Article id or a unique prefix of 4+ characters."),
    as_json: bool = typer.Option(False, "--json", help="Print the full record as one JSON object."),
    raw: bool = typer.Option(False, "--raw", help="Print the article as written in its dump."),
    pager: bool = typer.Option(True, "--pager/--no-pager", help="Page long articles on a terminal ($PAGER, default less)."),
) -> None:
    """Show one article for reading, and where else it was published (its copies).

    Example: newscli show 3687
    """
    from newscli.index import questions, stories
    from newscli.cli.ask import ask

    if as_json and raw:
        raise UsageError("--json and --raw cannot be used together")
    check_prefix(article_id)  # a usage error before any note about the archive
    rt = runtime(ctx)
    with ask(rt) as index:
        record = questions.resolve(index, article_id)
        if not raw:
            copies = stories.copies_of(index, record["id"])
            record["copies"] = [{"id": r["id"], "published": r.get("published"), "source": r.get("source"),
                                 "title": r.get("title"), "similarity": round(m.similarity, 2)}
                                for m, r in zip(copies, index.records(m.place for m in copies))]
    if as_json:
        rt.screen.json(record)
    elif raw:
        from newscli.dump.write import format_dump
        from newscli.model import Article

        rt.screen.raw(record.get("raw") or format_dump(Article.from_record(record)))
    else:
        rt.screen.article(record, pager=pager)
