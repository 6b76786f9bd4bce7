"""The command line: the only module that imports typer. Commands register on import."""

# Import order is the order `newscli --help` lists the commands in.
from newscli.cli import ingest_cmd, read_cmd, search_cmd  # noqa: F401  (registers the commands)
from newscli.cli import overview_cmd, export_cmd, manage_cmd  # noqa: F401
from newscli.cli import check_cmd  # noqa: F401
from newscli.cli.app import app, main

__all__ = ["app", "main"]
