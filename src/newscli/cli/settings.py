"""The defaults people repeat, from $XDG_CONFIG_HOME/newscli/config.toml and NEWSCLI_* variables.

Command-line options win over the variables, which win over the file. The file is read only
when it exists (a stat otherwise), and tomllib is imported only then: start-up stays as it was.
Values reach the commands as click's `default_map`, so an option given on the command line
always wins and --help shows the default in force.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from newscli.archive.location import config_path
from newscli.errors import NewscliError

COLORS = ("auto", "always", "never")
_TRUE, _FALSE = ("on", "true", "yes", "1"), ("off", "false", "no", "0")


class Key(NamedTuple):
    kind: type
    variable: str
    meaning: str
    option: tuple[tuple[str, str], ...] = ()  # (command, parameter) whose default it sets


KEYS = {
    "store": Key(str, "NEWSCLI_STORE", "archive file, as --store"),
    "tz": Key(str, "NEWSCLI_TZ", "zone for ingest's timestamps written without one, as --tz",
              (("ingest", "tz"),)),
    "limit": Key(int, "NEWSCLI_LIMIT", "how many articles list and search show, as -n",
                 (("list", "limit"), ("search", "limit"))),
    "pager": Key(bool, "NEWSCLI_PAGER", "on | off: show long articles through $PAGER",
                 (("show", "pager"),)),
    "color": Key(str, "NEWSCLI_COLOR", "auto | always | never: styling on a terminal"),
}


class Setting(NamedTuple):
    value: object
    origin: str  # the variable's name, the file's path, or "default"


def read_file(path: Path) -> dict:
    """The file's values, checked; {} when there is no file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise NewscliError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise NewscliError(f"{path}: not valid TOML ({exc})") from None
    return {key: check(key, value, str(path)) for key, value in raw.items()}


def check(key: str, value: object, where: str) -> object:
    """`value` as `key` takes it (from TOML or from text); NewscliError naming `where` if not."""
    if key not in KEYS:
        raise NewscliError(f"{where}: unknown setting '{key}' (settings: {', '.join(KEYS)})")
    kind = KEYS[key].kind
    if kind is bool and isinstance(value, str) and value.lower() in _TRUE + _FALSE:
        return value.lower() in _TRUE
    if kind is int and isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if kind is bool and not isinstance(value, bool):
        raise NewscliError(f"{where}: {key} is on or off, got {value!r}")
    if kind is int and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise NewscliError(f"{where}: {key} expects a whole number (0 = all), got {value!r}")
    if kind is str and not isinstance(value, str):
        raise NewscliError(f"{where}: {key} expects text, got {value!r}")
    if key == "color" and value not in COLORS:
        raise NewscliError(f"{where}: color is one of {', '.join(COLORS)}, got {value!r}")
    return value


def load(environ: Mapping[str, str]) -> dict[str, Setting]:
    """Each setting that is set, with where it came from: variables over the file."""
    path = config_path(environ)
    found = {key: Setting(value, str(path)) for key, value in
             (read_file(path) if os.path.exists(path) else {}).items()}
    for key, spec in KEYS.items():
        text = environ.get(spec.variable)
        if text:
            found[key] = Setting(check(key, text, spec.variable), spec.variable)
    return found


def default_map(settings: Mapping[str, Setting]) -> dict[str, dict[str, object]]:
    """The settings as click's per-command defaults ({"list": {"limit": 50}, ...})."""
    defaults: dict[str, dict[str, object]] = {}
    for key, setting in settings.items():
        for command, parameter in KEYS[key].option:
            defaults.setdefault(command, {})[parameter] = setting.value
    return defaults


def styled_environ(environ: dict, settings: Mapping[str, Setting]) -> dict:
    """color = never/always as the variables rich obeys (NO_COLOR, FORCE_COLOR)."""
    color = settings.get("color")
    if color is None or color.value == "auto":
        return environ
    if color.value == "never":
        return {**environ, "NO_COLOR": "1"}
    return {key: value for key, value in environ.items() if key != "NO_COLOR"} | {"FORCE_COLOR": "1"}


def shown(value: object) -> str:
    return ("on" if value else "off") if isinstance(value, bool) else str(value)


def to_toml(values: Mapping[str, object]) -> str:
    """The file newscli writes: one `key = value` line per setting, in KEYS' order."""
    import json

    lines = ["# newscli settings (newscli config show; command line > NEWSCLI_* > this file)"]
    for key in KEYS:
        if key in values:
            value = values[key]
            text = ("true" if value else "false") if isinstance(value, bool) else (
                str(value) if isinstance(value, int) else json.dumps(value, ensure_ascii=False))
            lines.append(f"{key} = {text}")
    return "\n".join(lines) + "\n"
