"""The command line: the only package that imports typer.

Each command's module registers it on import; `app.app_for` imports only the module of the
command being run, and `app.whole_app()` all of them.
"""

from newscli.cli.app import main, whole_app

__all__ = ["main", "whole_app"]
