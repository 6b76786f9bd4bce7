"""`newscli config`: where the settings file is, what is in force, and setting one value."""

from typing import Optional

import typer

from newscli.cli.app import app, runtime
from newscli.errors import NewscliError, UsageError


@app.command("config")
def config_command(
    ctx: typer.Context,
    action: str = typer.Argument(..., metavar="ACTION", help="path | show | set KEY VALUE."),
    key: Optional[str] = typer.Argument(None, metavar="KEY", help="store | tz | limit | pager | color."),
    value: Optional[str] = typer.Argument(None, metavar="VALUE", help="The new value (set)."),
) -> None:
    """Show or change the defaults in the settings file (command line > NEWSCLI_* > file).

    Example: newscli config show
    """
    from newscli.archive.location import config_path
    from newscli.cli import settings

    rt = runtime(ctx)
    path = config_path(rt.environ)
    if action == "path" and key is None:
        rt.screen.write(f"{path}\n")
    elif action == "show" and key is None:
        in_force = settings.load(rt.environ)
        rt.screen.facts([(name, f"{settings.shown(in_force[name].value)}  ({in_force[name].origin})" if name in in_force
                          else f"-  ({spec.meaning})") for name, spec in settings.KEYS.items()])
    elif action == "set" and key is not None and value is not None:
        values = {**settings.read_file(path), key: settings.check(key, value, "config set")}
        _write(path, settings.to_toml(values))
        rt.screen.status(f"{key} = {settings.shown(values[key])} in {path}")
    else:
        raise UsageError("say what to do: newscli config path | show | set KEY VALUE")


def _write(path, text: str) -> None:
    from newscli.archive.family import temp_prefix
    from newscli.archive.files import replace_with

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_with(path, [text.encode("utf-8")], 0o644, temp_prefix(path))
    except OSError as exc:
        raise NewscliError(f"{path}: cannot write ({exc.strerror or exc})") from None
