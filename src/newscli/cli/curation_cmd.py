"""`newscli tag` and `newscli alias`: your own labels on articles, and one name for one thing."""

from typing import List, Optional

import typer
from typer.core import TyperCommand

from newscli.cli.app import app, runtime
from newscli.cli.options import filter_options
from newscli.errors import NewscliError, UsageError
from newscli.index.filters import Filters
from newscli.output.inert import sanitize

CONFIRM_ABOVE = 10  # more articles than this, chosen by filters: preview and ask, like rm
PREVIEW = 10


class _SignedWords(TyperCommand):
    """`-todo` means: remove the label todo. Click would read it as `-t odo` (--tag odo), so
    before it parses, a word made of '-' and a label becomes `--remove=label`."""

    def parse_args(self, ctx, args):
        known = {"-h", "--help"} | {opt for param in self.params
                                    for opt in getattr(param, "opts", ()) + getattr(param, "secondary_opts", ())}
        rewritten, literal = [], False
        for arg in args:
            if not literal and arg == "--":
                literal = True
            elif (not literal and len(arg) > 1 and arg[0] == "-" and arg[1] != "-"
                  and arg not in known and arg.split("=", 1)[0] not in known):
                arg = "--remove=" + arg[1:]
            rewritten.append(arg)
        return super().parse_args(ctx, rewritten)


@app.command("tag", cls=_SignedWords)
@filter_options
def tag_command(
    ctx: typer.Context,
    words: Optional[List[str]] = typer.Argument(None, metavar="+LABEL|-LABEL|ID...",
                                                help="+LABEL adds, -LABEL removes; the rest are article ids or prefixes."),
    filters: Filters = None,
    add: Optional[List[str]] = typer.Option(None, "--add", metavar="LABEL", help="Add LABEL (same as +LABEL)."),
    remove: Optional[List[str]] = typer.Option(None, "--remove", metavar="LABEL", help="Remove LABEL (same as -LABEL)."),
    show: bool = typer.Option(False, "--list", help="Show the labels of the given articles instead."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask; needed when not on a terminal."),
) -> None:
    """Add or remove your own labels on articles given by id or chosen by filters.

    Example: newscli tag +checked -todo 3687
    """
    from newscli.archive.labels import record_change
    from newscli.cli.ask import ask
    from newscli.index import questions
    from newscli.index.sync import session

    adds, removes, ids = _signed(words or [], add or [], remove or [])
    if not show and not (adds or removes):
        raise UsageError("say which labels: +LABEL to add, -LABEL to remove (newscli tag +checked ID)")
    if not ids and filters.is_empty:
        raise UsageError("say which articles: ids, or filters such as --tag, --source or --since")
    rt = runtime(ctx)
    with ask(rt, filters) as index:
        chosen = questions.select_ids(index, filters, [questions.resolve(index, i)["id"] for i in ids] if ids else None)
        shown = list(index.records(questions.located_ids(index, chosen if show else chosen[:PREVIEW])))
    if show:
        return _show_labels(rt, shown)
    change = " ".join(["+" + n for n in adds] + ["-" + n for n in removes])
    if not chosen or not _confirmed(rt, len(chosen), shown, change, ask=len(chosen) > CONFIRM_ABOVE and not ids and not yes):
        return rt.screen.status("No articles match; no label changed." if not chosen else "No label changed.")
    record_change(rt.store_path, adds, removes, chosen)
    with session(rt.store_path, rt.screen.problem):
        pass  # the index mirrors the change now, not at the next query
    rt.screen.status(f"Labelled {_articles(len(chosen))} {change}.")


def _signed(words: List[str], add: List[str], remove: List[str]) -> tuple:
    """(labels to add, labels to remove, ids) from `+a -b ID` and --add/--remove."""
    from newscli.archive.labels import check_name

    adds = [check_name(w[1:]) for w in words if w.startswith("+")] + [check_name(n) for n in add]
    return adds, [check_name(n) for n in remove], [w for w in words if not w.startswith("+")]


def _confirmed(rt, count: int, preview: list[dict], change: str, ask: bool) -> bool:
    """Many articles chosen by filters: show the first few and ask, as rm does."""
    if not ask:
        return True
    what = _articles(count)
    rt.screen.article_list(preview)
    if not rt.screen.stdin_is_terminal():
        raise NewscliError(f"not changing the labels of {what} without confirmation: run on a terminal or pass --yes")
    shown = f" (the first {len(preview)} above)" if len(preview) < count else ""
    return rt.screen.confirm(f"Label {what}{shown} {change}?")


def _show_labels(rt, records: list[dict]) -> None:
    for record in records:
        rt.screen.write(f"{record['id']}\t{sanitize(' '.join('+' + n for n in record.get('labels') or ()))}\n")


def _articles(n: int) -> str:
    return f"{n:,} article{'s' if n != 1 else ''}"


@app.command("alias")
def alias_command(
    ctx: typer.Context,
    words: Optional[List[str]] = typer.Argument(None, metavar="[tag|source NAME... | rm NAME]",
                                                help="tag or source and the names that mean one thing (the first is shown); rm NAME ends one."),
    as_json: bool = typer.Option(False, "--json", help="List the groups as one JSON object."),
) -> None:
    """Make several tag or source names count as one, or list and end such groups.

    Example: newscli alias tag Politik Politics Політика Политика
    """
    from newscli.archive import aliases

    rt = runtime(ctx)
    kind, names = (words[0], words[1:]) if words else (None, [])
    if kind is None:
        groups = aliases.load(rt.store_path).groups
        if as_json:
            rt.screen.json(groups)
        for each in () if as_json else aliases.KINDS:
            for group in groups[each]:
                rt.screen.write("\t".join(sanitize(n) for n in [each, *group]) + "\n")
        return
    if kind == "rm":
        _end_alias(rt, names)
    elif kind in aliases.KINDS:
        group = aliases.define(rt.store_path, kind, names)
        rt.screen.status(f"{kind} alias: {' = '.join(group)} (shown as {group[0]})")
    else:
        raise UsageError(f"'{kind}' is not tag, source or rm: newscli alias tag|source NAME NAME..., newscli alias rm NAME")


def _end_alias(rt, names: list[str]) -> None:
    from newscli.archive import aliases

    kinds = [names[0]] if len(names) == 2 and names[0] in aliases.KINDS else list(aliases.KINDS)
    name = names[-1] if len(names) in (1, 2) else None
    if name is None:
        raise UsageError("say which alias to end: newscli alias rm NAME (or rm tag|source NAME)")
    found = aliases.load(rt.store_path)
    holding = [k for k in kinds if found.group(k, name)]
    if len(holding) != 1:
        raise UsageError(f"no alias holds '{name}'" if not holding else
                         f"'{name}' is both a tag and a source alias: newscli alias rm tag|source {name}")
    group = aliases.undefine(rt.store_path, holding[0], name)
    rt.screen.status(f"Ended the {holding[0]} alias {' = '.join(group)}.")
