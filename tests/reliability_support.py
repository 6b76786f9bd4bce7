"""Shared by the reliability tests: dumps written in the real dump format, the environment for
running the real CLI, and a strict reader that judges a store file byte by byte (not through newscli,
so a bug in the store's own reader cannot hide a bad line)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from newscli.dump.write import format_dumps
from newscli.model import Article, content_id
from tests.factories import make_article

TRACEBACK = "Traceback (most recent call last)"


def plain_article(n: int, body_bytes: int = 0, **overrides) -> Article:
    """An article the parser reads back unchanged (no repairs triggered); `body_bytes` makes
    the body that big, in paragraphs under the parser's 1 MiB line limit."""
    body = f"Paragraph one of article {n} with some words in it.\n\nParagraph two ends here"
    if body_bytes:
        paragraph = ("Lorem ipsum dolor sit amet consectetur adipiscing elit " * 12000)[:700_000].strip()
        count = max(1, body_bytes // len(paragraph))
        body = "\n\n".join(f"{n} part {i} {paragraph}" for i in range(count))
    fields = dict(title=f"Reliability article number {n}", source="Test Wire",
                  published=f"2025-0{1 + n % 9}-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:00",
                  body=body, tags=("Test", f"T{n % 7}"), lang=None, file="x", first_line=1,
                  last_line=1)
    fields.update(overrides)
    return make_article(n, **fields)


def write_dump(path: Path, articles: list[Article]) -> Path:
    path.write_text(format_dumps(articles), encoding="utf-8")
    return path


def cli_env(store: Path, **extra: str) -> dict:
    """This environment minus newscli's and pytest's own variables, pointed at `store`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSCLI_", "PYTEST_"))}
    env.update({"NEWSCLI_STORE": str(store), "NO_COLOR": "1", "COLUMNS": "120"}, **extra)
    return env


@dataclass
class Audit:
    """What a store file holds, judged strictly: each line a complete JSON record whose id is
    its content id."""

    ids: list[str] = field(default_factory=list)
    bad_lines: list[int] = field(default_factory=list)  # complete lines that are not valid records
    torn_bytes: int = 0  # bytes after the last newline

    @property
    def duplicates(self) -> int:
        return len(self.ids) - len(set(self.ids))


def audit(path: Path) -> Audit:
    result = Audit()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return result
    lines = data.split(b"\n")
    result.torn_bytes = len(lines.pop())
    for number, line in enumerate(lines, 1):
        try:
            record = json.loads(line.decode("utf-8"))
            assert record["id"] == content_id(record["title"], record["source"],
                                              record["published"], record["body"])
        except Exception:
            result.bad_lines.append(number)
            continue
        result.ids.append(record["id"])
    return result


def fork_cli(store: Path, args: list[str], *, out: int | None = None, err: int | None = None,
             uid: int | None = None, before: Callable[[], None] | None = None) -> int:
    """Run `newscli ARGS` in a forked child (no interpreter start-up, and it may die by any
    signal the test sends or `before` arranges); its pid. Output goes to the descriptors `out`
    and `err` (else /dev/null); `uid`: the child drops root to that user first (what it
    imports late must be imported here before: it may not be able to read the sources)."""
    pid = os.fork()
    if pid != 0:
        return pid
    code = 1  # the child: never returns into pytest
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull if out is None else out, 1)
        os.dup2(devnull if err is None else err, 2)
        sys.stdout, sys.stderr = open(1, "w", closefd=False), open(2, "w", closefd=False)
        os.environ.update({"NEWSCLI_STORE": str(store), "NO_COLOR": "1"})
        if uid is not None:
            os.setgid(uid)
            os.setuid(uid)
        if before is not None:
            before()
        from newscli.cli import main

        sys.argv = ["newscli", *args]
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def exit_status(pid: int, block: bool = True) -> int | None:
    """The child's exit code, or -signal; None if it is still running (block=False)."""
    done, status = os.waitpid(pid, 0 if block else os.WNOHANG)
    if not done:
        return None
    return os.waitstatus_to_exitcode(status)
