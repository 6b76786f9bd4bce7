"""`newscli check`: verify the store and its index; `--repair` moves bad lines aside."""

import typer

from newscli.cli.app import app, runtime
from newscli.errors import NewscliError
from newscli.output.inert import sanitize


@app.command("check")
def check_command(
    ctx: typer.Context,
    fix: bool = typer.Option(False, "--repair", help="Move bad lines into a side file beside the store and rebuild the index."),
) -> None:
    """Verify the store: every line a valid record, ids unique and matching their content,
    the index in step. Problems are listed as store:line; the exit code is 1 if there are any.

    Example: newscli check || newscli check --repair
    """
    from newscli.jobs.check import check, repair  # the index and store modules: only this command pays

    rt = runtime(ctx)
    report = (repair if fix else check)(rt.store_path, rt.screen.problem)
    where = sanitize(str(rt.store_path))
    if report.aside is not None:
        rt.screen.status(f"Moved {report.moved} line{'s' if report.moved != 1 else ''} "
                         f"aside to {sanitize(str(report.aside))}; index rebuilt.")
    elif fix:
        rt.screen.status("No bad lines to move; index rebuilt.")
    for finding in report.findings:
        place = f"{where}:{finding.line}" if finding.line is not None else where
        rt.screen.write(f"{place}: {sanitize(finding.reason)}\n")
    lines = f"{report.lines} line{'s' if report.lines != 1 else ''}"
    records = f"{report.records} good record{'s' if report.records != 1 else ''}"
    if report.ok:
        rt.screen.status(f"{where}: ok ({lines}, {records})")
        return
    problems = len(report.findings)
    hint = "" if fix else "; `newscli check --repair` moves bad lines aside"
    raise NewscliError(f"{where}: {problems} problem{'s' if problems != 1 else ''} "
                       f"({lines}, {records}){hint}")
