"""The typer app, global options, and the one place where errors become messages and exit codes."""

from __future__ import annotations

import os
import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import typer
from typer.core import TyperGroup

from newscli import __version__
from newscli.errors import ExitCode, NewscliError
from newscli.paths import resolve_store_path
from newscli.render import Screen


class Terminated(BaseException):
    """SIGTERM, raised where Python is so cleanup (and write rollback) runs as for Ctrl-C."""


@dataclass
class Runtime:
    """What a command needs from the outside world; tests build it through the environment."""

    store_path: Path
    screen: Screen
    environ: dict


class _Group(TyperGroup):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except NewscliError as exc:
            _screen(ctx).error(str(exc))
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            _screen(ctx).error("interrupted")
            ctx.exit(ExitCode.INTERRUPTED)
        except Terminated:
            _screen(ctx).error("terminated")
            ctx.exit(ExitCode.TERMINATED)


def _screen(ctx) -> Screen:
    runtime = ctx.find_object(Runtime)
    return runtime.screen if runtime else Screen()


app = typer.Typer(
    cls=_Group,
    name="newscli",
    help="Turn raw plain-text news dumps into a searchable local archive, and read it.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"newscli {__version__}")
        raise typer.Exit()


@app.callback()
def _global(
    ctx: typer.Context,
    store: Optional[str] = typer.Option(
        None, "--store", metavar="PATH",
        help="Archive file to use. Default: $NEWSCLI_STORE, else ~/.local/share/newscli/articles.jsonl.",
    ),
    version: bool = typer.Option(
        False, "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    environ = dict(os.environ)
    ctx.obj = Runtime(resolve_store_path(store, environ), Screen(environ), environ)


def runtime(ctx: typer.Context) -> Runtime:
    return ctx.ensure_object(Runtime)


def _raise_terminated(signum, frame):
    raise Terminated()


def main() -> None:
    signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        app()
    except BrokenPipeError:
        # The reader went away (`newscli list | head -1`): stop quietly, as cat does.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(128 + signal.SIGPIPE)
