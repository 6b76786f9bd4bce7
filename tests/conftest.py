"""Shared fixtures: an isolated archive per test and a CliRunner that reports like a shell."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SAMPLE = SEEDS / "000_c37c1a0bbaeb8b11.txt"
TESTS = Path(__file__).resolve().parent


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    # No test may touch the developer's real archive or depend on their terminal settings.
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)  # the settings file: under HOME, so empty
    for name in ("NEWSCLI_STORE", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "COLUMNS", "PAGER",
                 "NEWSCLI_TZ", "NEWSCLI_LIMIT", "NEWSCLI_PAGER", "NEWSCLI_COLOR", "LESS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def store_path(tmp_path) -> Path:
    return tmp_path / "archive" / "articles.jsonl"


@pytest.fixture
def cli(store_path):
    """Run newscli against the test's own store: cli('list', '--tag', 'x', env={...}).

    It runs the app `newscli` runs: the one holding only the command the arguments name."""
    from newscli.cli.app import app_for

    runner = CliRunner()

    def run(*args: str, env: dict | None = None, input: str | bytes | None = None):
        full_env = {"NEWSCLI_STORE": str(store_path), "COLUMNS": "120"}
        full_env.update(env or {})
        return runner.invoke(app_for(list(args)), list(args), env=full_env, input=input)

    return run
