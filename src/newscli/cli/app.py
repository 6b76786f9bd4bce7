"""The typer app, global options, and the one place where errors become messages and exit codes."""

import copy
import errno
import gc
import os
import signal
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import typer
from typer.core import TyperGroup
from typer.exceptions import Abort, Exit, TyperException

from newscli import __version__
from newscli.archive.location import resolve_store_path
from newscli.cli import coerce, settings, usage
from newscli.errors import ExitCode, IndexDamaged, NewscliError, os_reason
from newscli.output.inert import sanitize
from newscli.output.screen import Screen

# Here, where every command module looks first: `ingest` and `check` use no option bundle, and
# without this their arguments went through pydantic, ~0.13 s of every ingest (issue 6).
coerce.install()

DEBUG_ENV = "NEWSCLI_DEBUG"  # =1: let an unexpected exception show its traceback


class Terminated(BaseException):
    """SIGTERM, raised where Python is so cleanup (and write rollback) runs as for Ctrl-C."""


@dataclass
class Runtime:
    """What a command needs from the outside world; tests build it through the environment."""

    store_path: Path
    screen: Screen
    environ: dict


class _Group(TyperGroup):
    """Every way a command can end becomes one stderr line and an exit code."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """typer's main, but a usage error is one line (cli/usage.py) and global options may
        follow the command."""
        from typer._click.exceptions import ClickException, NoArgsIsHelpError

        args = usage.hoist(list(sys.argv[1:] if args is None else args), GLOBAL_VALUE_OPTIONS)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except NoArgsIsHelpError as exc:
            exc.show()
            code = exc.exit_code
        except ClickException as exc:
            if not standalone_mode:
                raise
            Screen().error(usage.one_line(exc, args, GLOBAL_VALUE_OPTIONS))
            code = exc.exit_code
        except Abort:
            if not standalone_mode:
                raise
            Screen().error("aborted")
            code = ExitCode.FAILURE
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)

    def _main_shell_completion(self, ctx_args, prog_name, complete_var=None):
        if complete_var or os.environ.get("_NEWSCLI_COMPLETE"):  # completing: rare, so imported here
            from newscli.cli.completion import install_quoting

            install_quoting()
        return super()._main_shell_completion(ctx_args, prog_name, complete_var)

    def resolve_command(self, ctx, args):
        suggestion = usage.unknown_command(args[0]) if args and args[0] not in self.commands else None
        if suggestion:
            from typer._click.exceptions import UsageError as ClickUsageError

            raise ClickUsageError(suggestion, ctx)
        name, command, args = super().resolve_command(ctx, args)
        if any(arg.startswith("@") for arg in args):  # `newscli list @beat`: a saved search's options
            from newscli.archive.saved import expand
            args = expand(resolve_store_path(ctx.params.get("store"), os.environ), args)
        return name, command, args

    def get_command(self, ctx, name):
        command = super().get_command(ctx, name)
        usage.tidy(command)
        return command

    def format_commands(self, ctx, formatter):
        """Each command's whole summary (its docstring's first line), wrapped, never cut."""
        rows = [(name, usage.summary(command.help))
                for name in self.list_commands(ctx)
                if (command := self.get_command(ctx, name)) is not None and not command.hidden]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx):
        args = (list(ctx._protected_args), list(ctx.args))
        try:
            try:
                return super().invoke(ctx)
            except IndexDamaged:  # thrown away, with a warning: once more, on a rebuilt index
                ctx._protected_args, ctx.args = list(args[0]), list(args[1])
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
        except (Exit, Abort, TyperException):
            raise  # typer's own ways to end: exit codes and usage errors
        except Exception as exc:
            if _is_broken_pipe(exc):  # before click's own handler, which would exit 1
                _silence_stdout()
                ctx.exit(ExitCode.BROKEN_PIPE)
            if os.environ.get(DEBUG_ENV) == "1":
                raise
            _screen(ctx).error(_unexpected(exc))
            ctx.exit(ExitCode.FAILURE)


def _is_broken_pipe(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno == errno.EPIPE


def _unexpected(exc: Exception) -> str:
    """One line for an error no command turned into a message: an OS error says what failed,
    anything else is a bug, said so, with where to get the traceback."""
    if isinstance(exc, OSError) and exc.strerror:
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror.lower()}"
    frame = traceback.extract_tb(exc.__traceback__)[-1:] or None
    place = f" at {os.path.basename(frame[0].filename)}:{frame[0].lineno}" if frame else ""
    detail = " ".join(str(exc).split())[:200]
    return (f"internal error: {type(exc).__name__}{': ' + detail if detail else ''}{place}"
            f" (a bug; {DEBUG_ENV}=1 shows the traceback)")


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
    # Help as wide as the terminal up to 160 columns (click's default stops at 80).
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 160},
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
    chosen = settings.load(environ)  # ~free when there is no config file: one stat
    ctx.default_map = settings.default_map(chosen) or None
    environ = settings.styled_environ(environ, chosen)
    configured = chosen["store"].value if "store" in chosen else None
    ctx.obj = Runtime(resolve_store_path(store, environ, configured), Screen(environ), environ)


def runtime(ctx: typer.Context) -> Runtime:
    return ctx.ensure_object(Runtime)


GLOBAL_VALUE_OPTIONS = ("--store",)  # the options above that take a value (a test keeps this true)

# Each command and the module that registers it on import, in the order `newscli --help`
# lists them (a test checks this against the modules).
COMMAND_MODULES = {
    "ingest": "ingest_cmd", "list": "read_cmd", "show": "read_cmd", "search": "search_cmd",
    "count": "overview_cmd", "tags": "overview_cmd", "sources": "overview_cmd",
    "stats": "overview_cmd", "trend": "analysis_cmd", "words": "analysis_cmd",
    "info": "overview_cmd", "export": "export_cmd",
    "dups": "copies_cmd", "rm": "manage_cmd", "reindex": "manage_cmd", "check": "check_cmd",
    "tag": "curation_cmd", "alias": "curation_cmd", "saved": "saved_cmd", "config": "config_cmd",
}


def app_for(argv: list[str]) -> typer.Typer:
    """The app with only the command `argv` names, else the whole app.

    typer builds the click parameters of every command before it parses anything: for a
    query, ~15 ms of a start-up that must stay under 0.15 s; importing the other commands'
    modules costs ~2 ms more. What click then does with argv is unchanged: the command it
    finds is the only one it could have found.
    """
    name = _command_name(argv)
    if name not in COMMAND_MODULES:
        return whole_app()  # help, a typo (click suggests from all names), completion, `--`
    _register(COMMAND_MODULES[name])
    lean = copy.copy(app)
    lean.registered_commands = [info for info in app.registered_commands if info.name == name]
    return lean


def whole_app() -> typer.Typer:
    """The app with every command, listed in COMMAND_MODULES' order whatever was loaded first."""
    for module in dict.fromkeys(COMMAND_MODULES.values()):
        _register(module)
    order = list(COMMAND_MODULES)
    app.registered_commands.sort(key=lambda info: order.index(info.name))
    return app


def _register(module: str) -> None:
    __import__(f"newscli.cli.{module}")  # its @app.command decorators run once, on first import


def _command_name(argv: list[str]) -> str | None:
    args = iter(argv)
    for arg in args:
        if arg in GLOBAL_VALUE_OPTIONS:
            next(args, None)
        elif arg == "--":
            return None
        elif not arg.startswith("-"):
            return arg
    return None


def _raise_terminated(signum, frame):
    raise Terminated()


def main() -> None:
    # With SIGXFSZ at its default, a write past RLIMIT_FSIZE kills us mid-record; ignored, it
    # fails with EFBIG and the store rolls it back like any full disk. CPython ignores it at
    # start-up already; saying so here keeps the guarantee from resting on that detail.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        command = app_for(sys.argv[1:])
        # What is loaded by now (typer, the command's modules) lives until exit. Frozen, it is
        # skipped by every collection, the ones at interpreter exit included: ~20 ms of the
        # 0.15 s a query on a small store may take. What the command allocates is still collected.
        gc.freeze()
        try:
            command()
        finally:
            # Output still in the buffer meets a reader that left here, and not at interpreter
            # exit, where Python would print "Exception ignored ... BrokenPipeError".
            sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`newscli list | head -1`): stop quietly, as cat does.
        _silence_stdout()
        sys.exit(ExitCode.BROKEN_PIPE)
    except OSError as exc:
        # Output failed outside any command (`newscli count > /dev/full`): at that last flush,
        # or in click itself, which prints --help while parsing, before a command is invoked.
        _silence_stdout()  # or the flush at interpreter exit would fail again, aloud
        _last_words(f"standard output: {os_reason(exc)}", ExitCode.FAILURE)
    except KeyboardInterrupt:  # arrived outside a command (while starting up or exiting)
        _last_words("interrupted", ExitCode.INTERRUPTED)
    except Terminated:
        _last_words("terminated", ExitCode.TERMINATED)


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _last_words(message: str, code: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not print a traceback
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        sys.stderr.write(f"newscli: {sanitize(message)}\n")
        sys.stderr.flush()
    except OSError:
        pass
    sys.exit(code)
