"""`newscli ingest`: dumps in, archive out."""

from __future__ import annotations

from typing import List, Optional

import typer

from newscli.cli.app import app, runtime
from newscli.errors import ExitCode
from newscli.index import refresh as refresh_index
from newscli.ingest import ingest
from newscli.inputs import read_inputs
from newscli.store import Store


@app.command("ingest")
def ingest_command(
    ctx: typer.Context,
    paths: List[str] = typer.Argument(..., metavar="PATH...", help="Dump files, directories (their *.txt, recursively), or - for stdin."),
    encoding: Optional[str] = typer.Option(None, "--encoding", metavar="NAME", help="Decode inputs with this encoding instead of detecting it."),
    tz: Optional[str] = typer.Option(None, "--tz", metavar="ZONE", help="IANA zone (Europe/Kyiv) for timestamps written without one."),
) -> None:
    """Parse raw dumps and add their articles to the archive.

    Example: newscli ingest seeds/ more-dumps/2025-08.txt
    """
    rt = runtime(ctx)
    store = Store(rt.store_path, on_problem=rt.screen.problem)
    items = read_inputs(paths, encoding=encoding, tz=tz)
    report = ingest(store, items, on_problem=rt.screen.problem)
    refresh_index(rt.store_path, rt.screen.problem)
    rt.screen.ingest_summary(report.new, report.duplicates, report.failed)
    raise typer.Exit(ExitCode.OK if report.failed == 0 else ExitCode.FAILURE)
