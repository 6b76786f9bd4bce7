"""`newscli saved`: searches kept under a name, with what is new since each last ran.

A saved search is the filter options as typed. Any command that takes filters takes `@NAME`
for them (cli/app.py expands it), so `newscli trend @beat` and `newscli list @beat --since 7d`
work like the options written out.
"""

from typing import List, Optional

import typer

from newscli.cli.app import app, runtime
from newscli.cli.options import Output, filters_from_args, output_options, paging_options
from newscli.errors import UsageError
from newscli.index.filters import Order


@app.command("saved", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@paging_options(limit=20)
@output_options()
def saved_command(
    ctx: typer.Context,
    words: Optional[List[str]] = typer.Argument(
        None, metavar="[add NAME FILTERS... | rm NAME | run NAME]",
        help="add: save the filter options under NAME; rm: forget it; run: list its articles. None: list them all."),
    order: Order = None,
    output: Output = None,
    new: bool = typer.Option(False, "--new", help="With run: only articles ingested since it last ran."),
    replace: bool = typer.Option(False, "--replace", help="With add: replace a saved search of the same name."),
) -> None:
    """Save a search under a name, see what is new in each, run one.

    Example: newscli saved add politik-week --tag Politik --since 7d
    """
    from newscli.archive import saved

    rt = runtime(ctx)
    verb, rest = (words[0], words[1:]) if words else ("list", [])
    if verb == "add" and rest:
        filters_from_args(rest[1:])  # refuse what the query commands would refuse, now
        saved.add(rt.store_path, saved.check_name(rest[0]), rest[1:], replace=replace)
        rt.screen.status(f"Saved '{rest[0]}': {' '.join(rest[1:]) or '(every article)'}")
    elif verb == "rm" and len(rest) == 1:
        saved.remove(rt.store_path, rest[0])
        rt.screen.status(f"Forgot the saved search '{rest[0]}'.")
    elif verb == "run" and len(rest) == 1:
        _run(rt, rest[0], new, order, output)
    elif verb == "list" and not rest:
        _list(rt, output)
    else:
        raise UsageError("newscli saved [add NAME FILTERS... | rm NAME | run NAME [--new]]")


def _run(rt, name: str, new: bool, order: Order, output: Output) -> None:
    from newscli.archive import saved
    from newscli.cli import emit
    from newscli.index import questions
    from newscli.index.sync import session

    entry = saved.get(rt.store_path, name)
    filters = filters_from_args(entry["args"])
    if new:
        filters = _only_new(filters, saved.new_since(entry))
    started = saved.now()
    with session(rt.store_path, rt.screen.problem) as index:
        found = list(index.records(questions.select(index, filters, order)))
        seen = questions.summary(index).last_ingested
    emit.records(rt.screen, output, found)
    saved.mark_run(rt.store_path, name, started, seen)


def _only_new(filters, new_from):
    """The search narrowed to articles ingested from `new_from` on (None: no narrowing)."""
    have = filters.ingested_since
    if new_from is None or have is not None and have.astimezone() >= new_from:  # naive: local time
        return filters
    return filters._replace(ingested_since=new_from)


def _list(rt, output: Output) -> None:
    from newscli.archive import saved
    from newscli.cli import emit
    from newscli.index import tally
    from newscli.index.sync import session

    entries = sorted(saved.load(rt.store_path).items())
    searches = [(filters_from_args(entry["args"]), saved.new_since(entry)) for _, entry in entries]
    with session(rt.store_path, rt.screen.problem) as index:
        counts = list(tally.totals_and_new(index, searches))
    rows = [{"name": name, "total": total, "new": fresh, "last_run": entry.get("last_run"),
             "search": " ".join(entry["args"])} for (name, entry), (total, fresh) in zip(entries, counts)]
    emit.rows(rt.screen, output, rows, ("name", "total", "new", "last_run", "search"))
