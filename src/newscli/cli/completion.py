"""Shell completion of tag and source names, read from the index."""

from __future__ import annotations

import os

import typer

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
