"""Option values that need no conversion skip typer's pydantic-based coercion.

typer (0.29) coerces every non-flag parameter through a pydantic TypeAdapter; importing
pydantic and building the adapters costs about 0.1 s on every command, most of a query's
run time on a small archive. Strings, flags, lists of strings and plain decimal integers come out
of that coercion unchanged (or as `int(text)`, `Path(text)`), so they are returned directly; any other
type or value, including every value that would be an error, still goes through typer's own
path, so results and error messages are typer's. If typer's internals move, nothing is
patched and typer works as shipped, only slower; tests/test_typer_hook.py then fails, saying so.
Measured when packages were introduced (issue 18, median of 15): `count` 95 ms with the hook,
195 ms without; `--help` 91 and 93 ms (it coerces nothing).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import List, Optional

_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")  # canonical, well inside 64 bits
_STR = {str, Optional[str]}
_INT = {int, Optional[int]}
_STR_LIST = {List[str], Optional[List[str]], list[str]}
_BOOL = {bool, Optional[bool]}
_PATH = {Path, Optional[Path]}


class _Direct:
    """A runtime parameter for the simple types, falling back to typer's for anything else."""

    def __init__(self, descriptor, build) -> None:
        self._descriptor, self._build, self._full = descriptor, build, None
        annotation = descriptor.annotation
        self._kind = ("str" if annotation in _STR else "int" if annotation in _INT
                      else "list" if annotation in _STR_LIST else "bool" if annotation in _BOOL
                      else "path" if annotation in _PATH else None)

    def coerce(self, value, param, ctx):
        multi = param.multiple or param.nargs == -1
        if value is None:
            return () if multi else None  # what typer's RuntimeParam.coerce returns
        if self._kind == "str" and not multi and isinstance(value, str):
            return value
        if self._kind == "int" and not multi and isinstance(value, str) and _DECIMAL.fullmatch(value):
            return int(value)
        if self._kind == "int" and not multi and type(value) is int:
            return value
        if self._kind == "bool" and not multi and type(value) is bool:
            return value
        if self._kind == "path" and not multi and isinstance(value, str):
            return Path(value)
        if (self._kind == "list" and multi and isinstance(value, (list, tuple))
                and all(isinstance(v, str) for v in value)):
            return list(value)
        if self._full is None:
            self._full = self._build(self._descriptor)
        return self._full.coerce(value, param=param, ctx=ctx)


def install() -> None:
    try:
        from typer import core
        original = core.build_runtime_param
        core._TyperParameter.get_runtime_param  # noqa: B018  (the hook this relies on)
    except (ImportError, AttributeError):
        return
    if getattr(original, "_newscli", False):
        return

    def build_runtime_param(descriptor):
        if (getattr(descriptor, "file_annotation", None) is None
                and not getattr(descriptor, "is_ranged", False)
                and descriptor.annotation in (_STR | _INT | _STR_LIST | _BOOL | _PATH)):
            return _Direct(descriptor, original)
        return original(descriptor)

    build_runtime_param._newscli = True
    build_runtime_param.typer_original = original  # the tests run typer as shipped beside it
    core.build_runtime_param = build_runtime_param
