"""`newscli export`: a filtered subset as jsonl, csv, Markdown, the original dump format, or
for other engines (docs/scale-out.md): a Parquet dataset, Elasticsearch/OpenSearch bulk NDJSON."""

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Optional

import typer

from newscli.cli.app import app, runtime
from newscli.cli.options import Output, collapse_option, filter_options, output_options, paging_options
from newscli.errors import NewscliError, UsageError
from newscli.index.filters import Filters, Order
from newscli.model import RECORD_KEYS
from newscli.output.formats import EXPORT_FORMATS
from newscli.output.numbers import plural


@app.command("export")
@filter_options
@collapse_option
@paging_options(limit=0)
@output_options(EXPORT_FORMATS, default="jsonl")
def export_command(
    ctx: typer.Context, filters: Filters, order: Order, output: Output,
    out_path: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write to FILE instead of stdout (a file is replaced whole; a FIFO, device or link is written into); parquet: a new directory."),
    partition_by: Optional[str] = typer.Option(None, "--partition-by", metavar="KEYS", help="parquet: year,month (default) | lang | source | none; a comma list of year, month, lang, source."),
    index_name: Optional[str] = typer.Option(None, "--index", metavar="NAME", help="es-bulk: name the index in every action line (else POST to /NAME/_bulk)."),
    es_mapping: bool = typer.Option(False, "--es-mapping", help="Print the Elasticsearch/OpenSearch mapping for es-bulk documents, and nothing else."),
    excel: bool = typer.Option(False, "--excel", help="csv: UTF-8 with a byte order mark and CRLF line ends, as Excel reads them."),
    force: bool = typer.Option(False, "--force", help="Write to stdout even when it is a terminal."),
) -> None:
    """Write the matching articles out; `dump` re-ingests to the same ids.

    Example: newscli export --tag Politik --since 2025-08-01 --format csv -o politik.csv
    """
    from newscli.cli.ask import ask
    from newscli.cli.emit import with_copies
    from newscli.index import questions, stories
    from newscli.output import esbulk, formats
    from newscli.output.inert import to_json

    rt = runtime(ctx)
    if es_mapping:
        return rt.screen.write_all([to_json(esbulk.mapping()) + "\n"])
    with_copies_field = filters.collapse and output.format != "parquet"  # parquet: a fixed schema
    fields = output.fields(RECORD_KEYS + ("labels",) + (("copies",) if with_copies_field else ()))
    index_name, partitions = _check_options(output.format, out_path, partition_by, index_name, excel)
    if out_path is not None and output.format != "parquet":  # a dataset directory: parquet.py checks it
        from newscli.jobs.export import check_target

        check_target(out_path, rt.store_path)  # before the store is read: never over its own files
    with ask(rt, filters) as index:
        copies = stories.collapse(index, filters)
        if output.format == "parquet":
            return _write_parquet(rt, index.lines(questions.each_selected(index, filters, order)),
                                  out_path, partitions, fields, index.labels_of if index.has_labels else None)
        places = questions.select(index, filters, order)
        if out_path is None and not force and rt.screen.stdout_is_tty():
            raise NewscliError(f"refusing to write {plural(len(places), 'article')} to a terminal;"
                               " use -o FILE or a pipe (or --force)")
        # stdout may be a pipe into a terminal (| cat, | less -R): only -o FILE gets raw text.
        rows = copies is not None and output.format in formats.ROW_FORMATS  # md, dump, es-bulk: records as stored
        found = with_copies(index.records(places), copies) if rows else index.records(places)
        pieces = formats.export_pieces(output.format, found, fields, safe=out_path is None,
                                       index=index_name, excel=excel, extra=("copies",) if rows else ())
        if out_path is None:
            rt.screen.write_all(pieces)
        else:
            from newscli.jobs.export import write_output

            write_output(out_path, rt.store_path, _blocks(pieces), rt.screen.problem)


def _check_options(fmt: str, out_path: Optional[Path], partition_by: Optional[str],
                   index_name: Optional[str], excel: bool = False) -> tuple:
    """The options only one format takes, checked before the archive is opened."""
    if excel and fmt != "csv":
        raise UsageError("--excel is for --format csv")
    if index_name is not None and fmt != "es-bulk":
        raise UsageError("--index is for --format es-bulk")
    if partition_by is not None and fmt != "parquet":
        raise UsageError("--partition-by is for --format parquet")
    if index_name is not None:
        from newscli.output.esbulk import check_index_name

        return check_index_name(index_name), None
    if fmt == "parquet":
        if out_path is None:
            raise UsageError("--format parquet writes a dataset directory: give it with -o DIR")
        from newscli.output import parquet

        parquet.require()  # the missing extra is named before any work is done
        return None, parquet.parse_partitions(partition_by)
    return None, None


def _write_parquet(rt, lines, out_path: Path, partitions: tuple, fields, labels_of) -> None:
    from newscli.output import parquet  # imported late: pyarrow only for this format

    done = parquet.write_dataset(lines, out_path, partitions, fields, labels_of)
    rt.screen.status(f"{done.rows} article{'s' if done.rows != 1 else ''} in "
                     f"{len(done.files)} file{'s' if len(done.files) != 1 else ''} "
                     f"({done.bytes / 1e6:.1f} MB) -> {out_path}")


def _blocks(pieces: Iterable[str], size: int = 1 << 20) -> Iterator[bytes]:
    """UTF-8 in blocks of about `size`: one write per block rather than per record."""
    held: list[str] = []
    count = 0
    for piece in pieces:
        held.append(piece)
        count += len(piece)
        if count >= size:
            yield "".join(held).encode("utf-8")
            held, count = [], 0
    if held:
        yield "".join(held).encode("utf-8")
