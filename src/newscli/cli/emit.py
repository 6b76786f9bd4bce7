"""Printing query results in the format the user chose: one place for every command."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

from newscli.cli.options import Output
from newscli.index.filters import Order
from newscli.index.syntax import plain_snippet
from newscli.model import RECORD_KEYS
from newscli.output import formats
from newscli.output.screen import Screen


def records(screen: Screen, output: Output, found: Iterable[dict],
            snippets: Mapping[str, str] | None = None, copies: Mapping[str, int] | None = None) -> None:
    """Articles one line each (search hits with their snippet), or as json/jsonl/csv/tsv rows;
    with `copies` (--collapse), each says how many articles it stands for."""
    extra = (("snippet",) if snippets is not None else ()) + (("copies",) if copies is not None else ())
    fields = output.fields(RECORD_KEYS + ("labels",) + extra)
    tabular = formats.TABULAR_DEFAULT
    if copies is not None:
        found, tabular = with_copies(found, copies), tabular + ("copies",)
    if snippets is not None and fields and "snippet" in fields:
        found = [{**r, "snippet": plain_snippet(snippets.get(r["id"], ""))} for r in found]
    if output.format != "table":
        screen.write_all(formats.rows_as(output.format, found, fields, tabular,
                                         safe=True))  # a pipe may end at a terminal (| cat): never raw
    elif fields:
        screen.field_table(list(found), fields)
    elif snippets is not None:
        screen.search_results(list(found), snippets, output.wrap)
    else:
        screen.article_list(list(found), output.wrap)


def with_copies(found: Iterable[dict], copies: Mapping[str, int]) -> Iterator[dict]:
    """Each record with `copies`: the articles its story has among the matching ones."""
    for record in found:
        yield {**record, "copies": copies.get(record["id"], 1)}


def may_be_cut(screen: Screen, output: Output, order: Order, shown: int) -> bool:
    """Whether a person reading a terminal should hear that -n left articles out (then the
    caller counts them all: one more query, only in that case)."""
    return output.format == "table" and bool(order.limit) and shown == order.limit and screen.is_terminal


def cut_note(screen: Screen, order: Order, shown: int, total: int | None) -> None:
    if total is not None and total > order.offset + shown:
        screen.cut_note(shown, total, order.offset)


def counts(screen: Screen, output: Output, label: str, rows: list[tuple[str, int]],
           footer: str | None = None) -> None:
    """Value/count pairs (tags, sources, stats): a bar chart, or rows in the chosen format."""
    columns = (label, "count")
    fields = output.fields(columns)
    if output.format == "table" and fields in (None, columns):
        screen.counts(label, rows, footer)
        return
    dicts = [dict(zip(columns, row)) for row in rows]
    if output.format == "table":
        screen.field_table(dicts, fields)
    else:
        screen.write_all(formats.rows_as(output.format, dicts, fields, columns, safe=True))


def rows(screen: Screen, output: Output, found: list[dict], columns: tuple[str, ...]) -> None:
    """Rows of computed values (trend, words, saved searches): a table on a terminal, tab-separated piped,
    or the chosen format."""
    fields = output.fields(columns)
    if output.format == "table":
        screen.field_table(found, fields or columns)
    else:
        screen.write_all(formats.rows_as(output.format, found, fields, columns, safe=True))
