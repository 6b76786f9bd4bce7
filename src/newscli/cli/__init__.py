"""The command line: the only package that imports typer.

Each command's module registers it on import; `app.app_for` imports only the module of the
command being run, and `app.whole_app()` all of them. The modules that define commands do
without `from __future__ import annotations`: typer would compile and evaluate each string
annotation anew every time it builds a command (~3 ms of `newscli --help`).
"""

from newscli.cli.app import main, whole_app

__all__ = ["main", "whole_app"]
