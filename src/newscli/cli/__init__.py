"""The command line: the only module that imports typer. Commands register on import."""

from newscli.cli import ingest_cmd, read_cmd  # noqa: F401  (registers the commands)
from newscli.cli.app import app, main

__all__ = ["app", "main"]
