"""`newscli export`: a filtered subset as jsonl, csv, Markdown or the original dump format."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Optional, TextIO

import typer

from newscli.cli.app import app, runtime
from newscli.cli.options import Output, filter_options, output_options, paging_options
from newscli.errors import NewscliError
from newscli.formats import EXPORT_FORMATS
from newscli.model import RECORD_KEYS
from newscli.query import Filters, Order


@app.command("export")
@filter_options
@paging_options(limit=0)
@output_options(EXPORT_FORMATS, default="jsonl")
def export_command(
    ctx: typer.Context, filters: Filters, order: Order, output: Output,
    out_path: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write to FILE (replaced whole) instead of stdout."),
) -> None:
    """Write the matching articles out; `dump` re-ingests to the same ids.

    Example: newscli export --tag Politik --since 1m --format csv -o politik.csv
    """
    from newscli import catalog, formats
    from newscli.index import session

    rt = runtime(ctx)
    fields = output.fields(RECORD_KEYS)
    with session(rt.store_path, rt.screen.problem) as index:
        found = index.records(catalog.select(index, filters, order))
        # stdout may be a pipe into a terminal (| cat, | less -R): only -o FILE gets raw text.
        to_terminal = out_path is None
        if output.format == "md":
            pieces = formats.markdown(found, safe=to_terminal)
        elif output.format == "dump":
            pieces = formats.dumps(found, safe=to_terminal)
        else:
            pieces = formats.rows_as(output.format, found, fields, formats.TABULAR_DEFAULT, safe=to_terminal)
        if out_path is None:
            rt.screen.write_all(pieces)
        else:
            with _replacing(out_path) as handle:
                handle.writelines(pieces)


@contextmanager
def _replacing(path: Path) -> Iterator[TextIO]:
    """Write to a temp file beside `path`, renamed over it only when complete."""
    import tempfile  # imported late: ~3 ms of every command's start-up, for export alone

    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent if str(path.parent) else ".")
    except OSError as exc:
        raise NewscliError(f"{path}: cannot write ({(exc.strerror or str(exc)).lower()})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise NewscliError(f"{path}: cannot write ({(exc.strerror or str(exc)).lower()})") from None
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
