"""The command under test: how to call it, which subcommands exist, how to read its answers."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path

from measure import run_once

# Children get the user's environment minus what would distort it: a stray NEWSCLI_STORE, and
# PYTHONDONTWRITEBYTECODE (set in some sandboxes), which would make every Python start-up
# recompile its imports, unlike any normal install; the warm-up run writes the .pyc files.
CHILD_ENV = {k: v for k, v in os.environ.items()
             if k not in ("NEWSCLI_STORE", "PYTHONDONTWRITEBYTECODE")}
COMMANDS = {"count": "count", "newest": "list", "rare": "search", "byid": "show"}


class Newscli:
    """The command under test, and which of its subcommands exist right now."""

    def __init__(self, argv: list[str]):
        self.argv = argv
        self.env = dict(CHILD_ENV, NO_COLOR="1", COLUMNS="120")
        self.missing: dict[str, str] = {}
        self.version = "not available"
        top = run_once(argv + ["--help"], self.env, timeout=60)
        if top.returncode != 0:
            why = "newscli does not start: " + last_line(top.stderr)
            self.missing = {c: why for c in ("ingest", "list", "count", "show", "search")}
            return
        self.version = run_once(argv + ["--version"], self.env, 60).stdout.strip() or "?"
        for command in ("ingest", "list", "count", "show", "search"):
            if run_once(argv + [command, "--help"], self.env, 60).returncode != 0:
                self.missing[command] = f"not available (no `{command}` command yet)"

    def cmd(self, store: Path, *args: str) -> list[str]:
        return self.argv + ["--store", str(store), *args]

    def question(self, store: Path, question: str, arg: str) -> list[str]:
        return self.cmd(store, *{
            "count": ["count", "--tag", arg],
            "newest": ["list", "--tag", arg, "-n", "20", "--json"],
            "rare": ["search", arg, "-n", "20", "--json"],
            "byid": ["show", arg, "--json"],
        }[question])


def framework_import(argv: list[str]) -> list[str] | None:
    """`import typer` in the interpreter that runs newscli: the start-up newscli cannot go
    below. None when newscli is not a Python script with a shebang (say, a custom --newscli)."""
    if len(argv) != 1:
        return None
    try:
        with open(argv[0], "rb") as handle:
            first = handle.readline(4096)
    except OSError:
        return None
    python = first[2:].decode("utf-8", "replace").strip() if first.startswith(b"#!") else ""
    if not python or " " in python or not os.access(python, os.X_OK):
        return None  # no shebang, or one with arguments (`#!/usr/bin/env python3`)
    return [python, "-c", "import typer"]


def default_newscli() -> list[str]:
    beside = Path(sys.executable).with_name("newscli")  # the venv's own script, if any
    return [str(beside)] if beside.exists() else [shutil.which("newscli") or "newscli"]


def last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1][:160] if lines else "no message"


def newscli_answer(question: str, stdout: str) -> dict:
    """newscli's output in the baselines' shape; raises ValueError when it is not parseable."""
    if question == "count":
        found = re.fullmatch(r"\s*(\d[\d,_]*)\s*", stdout)
        if not found:
            raise ValueError(f"count printed {stdout[:60]!r}, not one number")
        return {"count": int(re.sub(r"[,_]", "", found.group(1)))}
    try:
        data = json.loads(stdout)
    except ValueError:  # JSON lines instead of one array
        data = [json.loads(line) for line in stdout.splitlines() if line.strip()]
    records = data if isinstance(data, list) else [data]
    return {"ids": [r["id"] for r in records]}
