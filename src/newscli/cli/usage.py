"""How newscli speaks about its own command line: help pages and usage errors.

typer (0.29) prints argument placeholders as Python types (`ID <str>`, `PATH... <list[str]>`),
cuts command summaries at 45 characters, and answers a usage error with four lines ending in
pydantic's wording. Here a usage error becomes one line like every other newscli error, in
words a person would use (`-n expects a whole number, got 'abc'`); placeholders are the
metavars given (`ID`, `PATH...`); global options after the command name are moved before it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Optional

from typer.core import TyperArgument

# What people type for the command they mean, as git's help.autocorrect would guess.
ALIASES = {
    "import": "ingest", "add": "ingest", "load": "ingest", "ls": "list", "find": "search",
    "grep": "search", "query": "search", "cat": "show", "read": "show", "view": "show",
    "delete": "rm", "remove": "rm", "del": "rm", "verify": "check", "fsck": "check",
    "status": "info", "stat": "stats", "histogram": "stats", "rebuild": "reindex",
}
_WHOLE = (int, Optional[int])


class PlainArgument(TyperArgument):
    """An argument shown by its metavar alone: `ID`, `[ID]...`, `PATH...`, never `<str>`."""

    def display_type_rich(self, ctx) -> None:
        return None

    def _usage_display_name(self) -> str:
        name = self.metavar or self.name.upper()
        return name if self.required else f"[{name}]"


def tidy(command) -> None:
    """Arguments shown by their metavars; `Example:` lines kept whole, as written (click's
    `\\b` marker), so a narrow terminal does not wrap them into something that fails when copied."""
    for param in getattr(command, "params", ()):
        if type(param) is TyperArgument:
            param.__class__ = PlainArgument
    if command is not None and command.help and "\b\nExample:" not in command.help:
        command.help = re.sub(r"\n\n([ \t]*)Example:", "\n\n\\1\b\n\\1Example:", command.help)


def hoist(args: list[str], global_value_options: Sequence[str]) -> list[str]:
    """`list --store X -n 5` -> `--store X list -n 5`: global options work after the command
    too (before a `--`, after which everything is an argument)."""
    moved, kept, seen_command, skip = [], [], False, False
    items = iter(args)
    for arg in items:
        if skip:
            kept.append(arg)
            continue
        if arg == "--":
            skip = True
            kept.append(arg)
        elif not seen_command and arg in global_value_options:
            kept.extend([arg, next(items, "")])
        elif not seen_command and not arg.startswith("-"):
            seen_command = True
            kept.append(arg)
        elif seen_command and arg in global_value_options:
            value = next(items, None)
            if value is None:  # no value to move with it: left for click to refuse
                kept.append(arg)
            else:
                moved.extend([arg, value])
        elif seen_command and arg.split("=", 1)[0] in global_value_options:
            moved.append(arg)
        else:
            kept.append(arg)
    return moved + kept


def one_line(exc, args: Sequence[str], global_value_options: Sequence[str] = ()) -> str:
    """A click usage error as one line: what was wrong, and where help is."""
    from typer._click.exceptions import BadParameter, NoSuchOption

    ctx = getattr(exc, "ctx", None)
    where = f" (see '{ctx.command_path} -h')" if ctx is not None else ""
    param = getattr(exc, "param", None)
    if isinstance(exc, BadParameter) and param is not None and _annotation(param) in _WHOLE:
        spelled, value = given(args, param.opts)
        return f"{spelled or param.opts[0]} expects a whole number, got '{value}'"
    if isinstance(exc, NoSuchOption) and exc.option_name in global_value_options and ctx is not None:
        return f"{exc.option_name} is a global option: newscli {exc.option_name} PATH {ctx.info_name}"
    message = exc.format_message().rstrip(".")
    return message[:1].lower() + message[1:] + where


def summary(help_text: str | None) -> str:
    """A command's summary for `newscli --help`: the first sentence of its help, whole."""
    paragraph = " ".join((help_text or "").strip().split("\n\n")[0].split())
    return re.split(r"(?<=\.)\s", paragraph, maxsplit=1)[0]


def unknown_command(name: str) -> str | None:
    if name in ALIASES:
        return f"no command '{name}': did you mean 'newscli {ALIASES[name]}'?"
    return None


def given(args: Sequence[str], opts: Sequence[str]) -> tuple[str | None, str]:
    """The spelling and value of the last of `opts` in `args` (`-n abc`, `--limit=abc`, `-nabc`)."""
    found: tuple[str | None, str] = (None, "")
    for n, arg in enumerate(args):
        if arg == "--":
            break
        for opt in opts:
            if arg == opt and n + 1 < len(args):
                found = (opt, args[n + 1])
            elif opt.startswith("--") and arg.startswith(opt + "="):
                found = (opt, arg[len(opt) + 1:])
            elif len(opt) == 2 and not opt.startswith("--") and arg.startswith(opt) and len(arg) > 2:
                found = (opt, arg[2:])
    return found


def _annotation(param):
    descriptor = getattr(param, "type_descriptor", None)
    return getattr(descriptor, "annotation", None)
