"""Option bundles shared by the query commands, defined once (like sqlite-utils' decorators).

A bundle decorator adds its options to a command's signature and hands the command one
value instead: `filters: Filters`, `order: Order` or `output: Output`. So `list`, `search`,
`count`, `export`, `rm`, `tags`, `sources` and `stats` cannot drift apart in spelling,
help text or meaning.
"""

# No `from __future__ import annotations`: typer reads these parameters' types at runtime.
import functools
import inspect
from datetime import datetime
from typing import Callable, List, NamedTuple, Optional, Sequence, Tuple

import typer

from newscli.errors import UsageError
from newscli.index.filters import SORTS, Filters, Order
from newscli.model import RECORD_KEYS
from newscli.output.formats import ROW_FORMATS, parse_fields

FIELD_NAMES = RECORD_KEYS  # what --fields may name on list and export (search adds snippet)


def clock() -> datetime:
    """'Now' for relative dates (7d, yesterday); tests replace it to pin the calendar."""
    return datetime.now()


def _completer(kind: str) -> Callable:
    def complete(ctx: typer.Context, incomplete: str) -> List[str]:
        from newscli.cli.completion import names  # imported late: completion is rare
        return names(ctx, kind, incomplete)
    return complete


def _choices(words: Sequence[str]) -> Callable:
    def complete(ctx: typer.Context, incomplete: str) -> List[str]:
        from newscli.cli.completion import words as matching  # imported late: completion is rare
        return matching(words, incomplete)
    return complete


def _field_names(allowed: Sequence[str]) -> Callable:
    def complete(ctx: typer.Context, incomplete: str) -> List[str]:
        from newscli.cli.completion import fields  # imported late: completion is rare
        return fields(ctx, allowed, incomplete)
    return complete


def _option(name: str, annotation, default) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)


def _bundle(placeholder: str, params: Sequence[inspect.Parameter], build: Callable[[dict], object]):
    """A decorator replacing the parameter `placeholder` by `params`, combined by `build`."""
    names = [p.name for p in params]

    def decorate(func):
        signature = inspect.signature(func)
        kept = [p for p in signature.parameters.values() if p.name != placeholder]

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            kwargs[placeholder] = build({n: kwargs.pop(n) for n in names})
            return func(*args, **kwargs)

        wrapper.__signature__ = signature.replace(parameters=kept + list(params))
        return wrapper

    return decorate


# -- filters -------------------------------------------------------------------------

_FILTER_PARAMS = [
    _option("tag", List[str], typer.Option(
        [], "--tag", "-t", metavar="TAG", autocompletion=_completer("tag"),
        help="Only articles with this tag; repeat: all must match ('#' optional, any case or accents).")),
    _option("any_tag", List[str], typer.Option(
        [], "--any-tag", metavar="TAG", autocompletion=_completer("tag"),
        help="Only articles with at least one of these tags (repeat the option).")),
    _option("no_tag", List[str], typer.Option(
        [], "--no-tag", metavar="TAG", autocompletion=_completer("tag"),
        help="Leave out articles with this tag (repeatable).")),
    _option("source", Optional[str], typer.Option(
        None, "--source", "-s", metavar="NAME", autocompletion=_completer("source"),
        help="Only articles from this source (any case or accents).")),
    _option("lang", Optional[str], typer.Option(
        None, "--lang", metavar="CODE", autocompletion=_completer("lang"), help="Only articles in this language (ISO 639-1: de, en, uk, ...).")),
    _option("query_filter", Optional[str], typer.Option(
        None, "--query", "-q", metavar="TEXT",
        help='Only articles matching this search: words, "a phrase", prefix*, -excluded, a OR b.')),
    _option("since", Optional[str], typer.Option(
        None, "--since", metavar="DATE", help="Published on or after DATE (2025-08-01, '1 Aug 2025', 2025-08, 'August 2025', 2025-W33, 2025, 7d, 2w, 3m, yesterday).")),
    _option("until", Optional[str], typer.Option(
        None, "--until", metavar="DATE", help="Published on or before DATE; a day, week, month or year given alone is included whole.")),
    _option("label", List[str], typer.Option(
        [], "--label", metavar="LABEL", autocompletion=_completer("label"),
        help="Only articles you labelled LABEL (newscli tag); repeat: all must match.")),
    _option("no_label", List[str], typer.Option(
        [], "--no-label", metavar="LABEL", autocompletion=_completer("label"),
        help="Leave out articles you labelled LABEL (repeatable).")),
    _option("file", Optional[str], typer.Option(
        None, "--file", metavar="GLOB", help="Only articles from dumps whose name matches GLOB ('*.txt', 'tass-2025-*';"
        " with a '/', the whole name as stored).")),
    _option("ingested_since", Optional[str], typer.Option(
        None, "--ingested-since", metavar="DATE", help="Stored on or after DATE (forms as --since; your local time).")),
    _option("ingested_until", Optional[str], typer.Option(
        None, "--ingested-until", metavar="DATE", help="Stored on or before DATE (forms as --until).")),
]


def build_filters(values: dict, now: datetime) -> Filters:
    lang = values.get("lang")
    if lang is not None:
        from newscli.dump.langnames import language_code  # imported late: few queries name one
        lang = language_code(lang)

    def date(name: str, end_of_day: bool = False) -> Optional[datetime]:
        if not values.get(name):
            return None
        from newscli.dump.dates import parse_user_date  # imported late: most queries have no dates
        return parse_user_date(values[name], now=now, end_of_day=end_of_day)

    return Filters(
        tags=tuple(values.get("tag") or ()), any_tags=tuple(values.get("any_tag") or ()),
        no_tags=tuple(values.get("no_tag") or ()), source=values.get("source"), lang=lang,
        since=date("since"), until=date("until", end_of_day=True), file=values.get("file"),
        ingested_since=date("ingested_since"), ingested_until=date("ingested_until", end_of_day=True),
        query=values.get("query_filter"),
        labels=tuple(values.get("label") or ()), no_labels=tuple(values.get("no_label") or ()),
    )


filter_options = _bundle("filters", _FILTER_PARAMS, lambda values: build_filters(values, clock()))


def filters_from_args(args: Sequence[str]) -> Filters:
    """Filters from options as typed (a saved search), refused as any query command refuses them."""
    from typer.exceptions import TyperException  # click's errors (typer carries its own click)

    command, found = _filters_parser()
    found.clear()
    try:
        command.main(list(args), prog_name="newscli", standalone_mode=False)
    except TyperException as exc:
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        raise UsageError(message) from None
    return found[0]


@functools.lru_cache(maxsize=1)
def _filters_parser():
    """A command taking only the filter options, built once per process: building it costs
    ~5 ms, and `newscli saved` reads every saved search with it."""
    probe, found = typer.Typer(), []

    @probe.command()
    @filter_options
    def _probe(filters: Filters = None) -> None:
        found.append(filters)

    return typer.main.get_command(probe), found


def collapse_option(func):
    """--collapse, folded into the command's `filters` (put it below @filter_options)."""
    param = _option("collapse", bool, typer.Option(
        False, "--collapse", help="Count each story once: copies (docs/copies.md) stand behind their earliest article."))
    signature = inspect.signature(func)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if kwargs.pop("collapse"):
            kwargs["filters"] = kwargs["filters"]._replace(collapse=True)
        return func(*args, **kwargs)

    wrapper.__signature__ = signature.replace(parameters=list(signature.parameters.values()) + [param])
    return wrapper


# -- ordering and paging ---------------------------------------------------------------


def paging_options(limit: int = 20, sort: str = "published"):
    params = [
        _option("sort", str, typer.Option(
            sort, "--sort", metavar="KEY", autocompletion=_choices(SORTS[:3] + (("relevance",) if sort == "relevance" else ())),
            help="published | ingested | title (dates newest first, titles A-Z)"
            + (" | relevance" if sort == "relevance" else "") + ".")),
        _option("reverse", bool, typer.Option(False, "--reverse", "-r", help="Reverse the order.")),
        _option("limit", int, typer.Option(limit, "--limit", "-n", metavar="N", help="At most N articles (0 = all).")),
        _option("offset", int, typer.Option(0, "--offset", metavar="N", help="Skip the first N articles.")),
    ]
    return _bundle("order", params, lambda v: Order(v["sort"], v["reverse"], v["limit"], v["offset"]))


# -- output format ---------------------------------------------------------------------


class Output(NamedTuple):
    format: str
    fields_text: Optional[str] = None
    wrap: bool = False  # titles wrapped, not cut, on a terminal (list, search)

    def fields(self, allowed: Sequence[str]) -> Optional[Tuple[str, ...]]:
        return parse_fields(self.fields_text, allowed)


def output_options(formats: Sequence[str] = ROW_FORMATS, default: str = "table", wrap: bool = False,
                   fields: Optional[str] = None):
    """`fields`: the command's own fields when they are not the records' ("tag,count")."""
    fields_help = (f"Only these fields, in this order, from: {fields}." if fields
                   else "Only these fields, in this order (e.g. id,title,published).")
    params = [
        _option("format", str, typer.Option(
            default, "--format", "-f", metavar="FORMAT", autocompletion=_choices(formats), help=" | ".join(formats) + ".")),
        _option("as_json", bool, typer.Option(False, "--json", help="Same as --format json.")),
        _option("fields", Optional[str], typer.Option(
            None, "--fields", metavar="A,B", help=fields_help,
            autocompletion=_field_names(tuple(f.strip() for f in fields.split(",")) if fields else FIELD_NAMES))),
    ]
    if wrap:
        params.append(_option("wrap", bool, typer.Option(
            False, "--wrap", help="On a terminal, wrap long titles instead of cutting them with '…'.")))

    def build(v: dict) -> Output:
        fmt = v["format"].lower()
        if v["as_json"]:
            if fmt not in (default, "json"):
                raise UsageError(f"--json and --format {fmt} contradict each other")
            fmt = "json"
        if fmt not in formats:
            raise UsageError(f"unknown format '{fmt}': choose one of {', '.join(formats)}")
        return Output(fmt, v["fields"], v.get("wrap", False))

    return _bundle("output", params, build)
