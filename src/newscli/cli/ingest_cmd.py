"""`newscli ingest`: dumps in, archive out."""

from typing import List, Optional

import typer

from newscli.cli.app import app, runtime
from newscli.errors import ExitCode


@app.command("ingest")
def ingest_command(
    ctx: typer.Context,
    paths: List[str] = typer.Argument(..., metavar="PATH...", help="Dump files, directories (their *.txt or --glob files, recursively), or - for stdin."),
    encoding: Optional[str] = typer.Option(None, "--encoding", metavar="NAME", help="Decode inputs with this encoding instead of detecting it."),
    tz: Optional[str] = typer.Option(None, "--tz", metavar="ZONE", help="IANA zone (Europe/Kyiv) for timestamps written without one."),
    date_order: Optional[str] = typer.Option(None, "--date-order", metavar="dmy|mdy|ymd", help="How slash dates such as 08/07/2025 are written: day first, month first or year first."),
    replace: bool = typer.Option(False, "--replace", help="An article stored under another timestamp only: store this reading in its place."),
    glob: str = typer.Option("*.txt", "--glob", metavar="PATTERN", help="In directories, read the files whose names match PATTERN (any case)."),
) -> None:
    """Parse raw dumps and add their articles to the archive.

    Example: newscli ingest seeds/
    """
    # Imported here, not at the top: every other command starts faster without the parser.
    from newscli.archive.store import Store
    from newscli.dump.inputs import InputFile, plan_inputs
    from newscli.dump.parallel import read_inputs_parallel
    from newscli.jobs.ingest import IndexFollower, ingest

    rt = runtime(ctx)
    store = Store(rt.store_path, on_problem=rt.screen.problem, replace=replace)
    plan = list(plan_inputs(paths, glob))
    files = [u for u in plan if isinstance(u, InputFile)]
    follower = IndexFollower(rt.store_path, rt.screen.problem)
    with rt.screen.ingest_progress(len(files), sum(f.size for f in files)) as progress:
        items = read_inputs_parallel(paths, encoding=encoding, tz=tz, date_order=date_order, plan=plan,
                                     on_done=progress.file_done)

        def after_batch(report, result) -> None:
            progress.articles(report.new + report.replaced + report.duplicates)
            follower.step(result.written)

        try:
            report = ingest(store, items, on_problem=rt.screen.problem, on_batch=after_batch,
                            on_note=lambda note: rt.screen.status(str(note)), inputs=paths)
        except BaseException:
            follower.close(finish=False)
            raise
        finally:
            items.close()  # a stopped run: no parser process outlives it
        follower.close(finish=not report.stopped)  # a failed write: the next query catches up
    rt.screen.ingest_summary(report.new, report.duplicates, report.failed, report.replaced if replace else None)
    if not report.stopped:
        _bring_labels(rt, files)
    raise typer.Exit(ExitCode.OK if report.failed == 0 else ExitCode.FAILURE)


def _bring_labels(rt, files) -> None:
    """Records exported with labels (export -f jsonl) bring them into this archive."""
    from newscli.jobs.relabel import restore

    labelled = restore(rt.store_path, [f.path for f in files])
    if labelled:
        rt.screen.status(f"Kept the labels of {labelled:,} article{'s' if labelled != 1 else ''} from the records.")
