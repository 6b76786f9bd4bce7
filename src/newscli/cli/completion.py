"""Shell completion: tag, source and language names read from the index, the words --by,
--format, --sort and --fields take, and bash quoting for values with spaces."""

from __future__ import annotations

import os
import shlex
from collections.abc import Sequence

import typer
from typer._completion_classes import BashComplete
from typer._click.shell_completion import add_completion_class

from newscli.archive.location import resolve_store_path
from newscli.archive.values import fold
from newscli.index import questions
from newscli.index.sync import session


def names(ctx: typer.Context, kind: str, incomplete: str) -> list[str]:
    """Known names starting with what was typed (any case); nothing, never an error, on failure."""
    path = resolve_store_path(ctx.find_root().params.get("store"), os.environ)
    if not path.exists():
        return []
    try:
        with session(path) as index:
            found = list(questions.names(index, kind, incomplete))
    except Exception:  # noqa: BLE001  (a traceback would land in the user's shell prompt)
        return []
    hash_ = "#" if kind == "tag" and incomplete.startswith("#") else ""
    typed = [_as_typed(hash_ + name, incomplete) for name in found]
    return [name for name in typed if name is not None]


def _as_typed(name: str, incomplete: str) -> str | None:
    """`name` spelled from what was typed on ('po' -> 'politik' for 'Politik').

    Typer drops completions that do not start with the typed text exactly; the filters
    ignore case and accents, so the typed spelling is just as good a value.
    """
    if name.startswith(incomplete):
        return name
    candidate = incomplete + name[len(incomplete):].lower()
    return candidate if fold(candidate) == fold(name) else None


def words(choices: Sequence[str], incomplete: str) -> list[str]:
    """The fixed words an option takes (--by month, --format csv) starting with what was typed."""
    return [word for word in choices if word.startswith(incomplete.lower())]


def fields(ctx: typer.Context, allowed: Sequence[str], incomplete: str) -> list[str]:
    """`--fields id,ti` -> `id,title`: the last name of a comma list, each offered once."""
    done, _, last = incomplete.rpartition(",")
    given = set(done.split(",")) if done else set()
    if ctx.info_name == "stats":
        allowed = (ctx.params.get("by") or "month", "count")
    elif ctx.info_name == "search":
        allowed = (*allowed, "snippet")
    head = done + "," if done else ""
    return [head + name for name in allowed if name.startswith(last) and name not in given]


class QuotingBash(BashComplete):
    """bash inserts a completion as it is: 'Kyiv Independent' quoted, or it becomes two words.
    (zsh and fish quote what they insert themselves.)"""

    def format_completion(self, item) -> str:
        return shlex.quote(item.value)


def install_quoting() -> None:
    add_completion_class(QuotingBash, "bash")
