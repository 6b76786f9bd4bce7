"""`newscli rm` and `newscli reindex`: change what the archive holds, or rebuild its index."""

from typing import List, Optional

import typer

from newscli.cli.app import app, runtime
from newscli.cli.options import filter_options
from newscli.errors import NewscliError, UsageError
from newscli.index.filters import Filters, Order, with_aliases


@app.command("rm")
@filter_options
def rm_command(
    ctx: typer.Context,
    ids: Optional[List[str]] = typer.Argument(None, metavar="ID...", help="Article ids or unique prefixes."),
    filters: Filters = None,
    copies_of: Optional[str] = typer.Option(None, "--copies-of", metavar="ID", help="Remove the copies of this article (docs/copies.md), keeping it."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask; needed when not on a terminal."),
    last_ingest: bool = typer.Option(
        False, "--last-ingest", help="What the last `newscli ingest` added (with filters: the part they match)."),
) -> None:
    """Remove articles by id, or every article matching the filters (both: ids that match).

    Example: newscli rm --source 'Spam Daily' --until 2024-12-31
    """
    from newscli.archive.store import Store
    from newscli.cli.ask import ask
    from newscli.jobs import remove as job

    rt = runtime(ctx)
    run = None
    if last_ingest:
        filters, run = job.last_ingest(rt.store_path, filters)
        rt.screen.status(f"Last ingest {run.describe()}.")
    if not ids and filters.is_empty and copies_of is None:
        raise UsageError("say what to remove: article ids, --copies-of ID, --last-ingest, or filters such as --tag")
    if ids and copies_of is not None:
        raise UsageError("give article ids or --copies-of ID, not both")
    store = Store(rt.store_path, rt.screen.problem)
    # The lock from before anything is shown to the end: a store that cannot be written is
    # refused before the question, and what the question lists is what goes.
    ctx.with_resource(store.held())
    with ask(rt, filters) as index:
        doomed, places = job.chosen(index, ids or [], filters, copies_of)
    if not doomed:
        rt.screen.status(job.nothing_to_remove(run, copies_of))
        return
    rt.screen.article_list(doomed)
    what = f"{len(doomed)} article{'s' if len(doomed) != 1 else ''}"
    if not yes:
        if not rt.screen.stdin_is_terminal():
            raise NewscliError(f"not removing {what} without confirmation: run on a terminal or pass --yes")
        if not rt.screen.confirm(f"Remove {what} from {rt.store_path}?"):
            rt.screen.status("Nothing removed.")
            return
    removed = job.remove(store, places, rt.screen.problem)
    rt.screen.status(f"Removed {len(removed)} article{'s' if len(removed) != 1 else ''}.")


@app.command("reindex")
def reindex_command(ctx: typer.Context) -> None:
    """Rebuild the search index from the store (never needed for correctness; safe any time).

    Example: newscli reindex
    """
    from newscli.index import questions
    from newscli.index.sync import session

    rt = runtime(ctx)
    with session(rt.store_path, rt.screen.problem, rebuild=True) as index:
        total = questions.count(index, Filters())
    rt.screen.status(f"Indexed {total} article{'s' if total != 1 else ''} from {rt.store_path}.")
