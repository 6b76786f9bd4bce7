"""Hostile input: whatever a scraper, a typo or an attacker hands `newscli ingest`, the answer
is exactly one stderr line naming the file, a non-zero exit, no traceback, and an unchanged
store. Every kind runs through the real CLI (`python -m newscli`), a few at a time."""

from __future__ import annotations

import gzip
import os
import random
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from newscli.archive.store import Store
from newscli.output.inert import sanitize
from tests.reliability_support import TRACEBACK, cli_env, plain_article

BYLINE = "Chas Pravdy - 15 August 2025 18:52"


def _article(byline: str = BYLINE, title: str = "A title", body: str = "Body text.", tags: str = "#Tag") -> str:
    return f"{title}\n\n{byline}\n\n{body}\n\n{tags}\n"


def _write(name: str, data: bytes | str):
    def make(d: Path) -> str:
        path = d / name
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        return str(path)
    return make


def _missing(d):
    return str(d / "no-such-file.txt")


def _empty_dir(d):
    (d / "empty-dir").mkdir()
    return str(d / "empty-dir")


def _dangling(d):
    os.symlink(d / "nowhere.txt", d / "dangling.txt")
    return str(d / "dangling.txt")


def _loop(d):
    os.symlink(d / "loop-b.txt", d / "loop-a.txt")
    os.symlink(d / "loop-a.txt", d / "loop-b.txt")
    return str(d / "loop-a.txt")


def _fifo(d):
    os.mkfifo(d / "fifo.txt")  # nobody ever writes to it: reading it would hang forever
    return str(d / "fifo.txt")


def _socket(d):
    path = d / "sock.txt"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    return str(path)


def _sparse(d):
    path = d / "sparse.txt"
    with open(path, "wb") as handle:
        handle.truncate(1 << 30)  # 1 GiB of holes: costs no disk, reads as NUL bytes
    return str(path)


def _through_a_file(d):
    (d / "plain.txt").write_text(_article())
    return str(d / "plain.txt" / "inside.txt")


def _trailing_slash(d):
    (d / "slash.txt").write_text(_article())
    return str(d / "slash.txt") + "/"


def _long_name(d):
    return str(d / ("n" * 300 + ".txt"))


def _escape_name(d):
    path = d / "evil\x1b]0;pwned\x07\x1b[2J\nname\u202e.txt"
    path.write_bytes(b"")
    return str(path)


def _dir_loop(d):
    folder = d / "self-loop"
    folder.mkdir()
    os.symlink(folder, folder / "again")
    return str(folder)


_rng = random.Random(5)
KINDS = {
    "missing path": _missing,
    "directory without dumps": _empty_dir,
    "dangling symlink": _dangling,
    "symlink loop": _loop,
    "directory symlink loop": _dir_loop,
    "FIFO": _fifo,
    "unix socket": _socket,
    "/dev/zero": lambda d: "/dev/zero",
    "/dev/null": lambda d: "/dev/null",
    "/dev/urandom": lambda d: "/dev/urandom",
    "path through a regular file": _through_a_file,
    "file with a trailing slash": _trailing_slash,
    "name too long": _long_name,
    "escape sequences and newline in the name": _escape_name,
    "0-byte file": _write("empty.txt", b""),
    "blank lines only": _write("blank.txt", "\n \n\t\n\n"),
    "huge sparse file": _sparse,
    "NUL bytes": _write("nul.txt", _article(body="Body\x00text.")),
    "random bytes": _write("random.txt", _rng.randbytes(65536)),
    "ELF binary": _write("elf.txt", Path(sys.executable).resolve().read_bytes()[:65536]),
    "gzip file": _write("gz.txt", gzip.compress(_article().encode() * 50)),
    "PNG image": _write("png.txt", b"\x89PNG\r\n\x1a\n" + _rng.randbytes(4000)),
    "10 MiB line": _write("long.txt", _article(body="x" * (10 << 20))),
    "10^6 hashtags": _write("tags.txt", _article(tags=" ".join(f"#t{i}" for i in range(10 ** 6)))),
    "2 MiB title": _write("title.txt", _article(title="T" * (2 << 20))),
    "30-digit year": _write("year.txt", _article(byline="Src - 15 August 123456789012345678901234567890 18:52")),
    "year 0": _write("year0.txt", _article(byline="Src - 15 August 0000 18:52")),
    "unknown month": _write("month.txt", _article(byline="Src - 15 Smarch 2025 18:52")),
    "February 30": _write("feb.txt", _article(byline="Src - 30 February 2025 18:52")),
    "hour 25": _write("hour.txt", _article(byline="Src - 15 August 2025 25:52")),
    "minute 99": _write("minute.txt", _article(byline="Src - 15 August 2025 18:99")),
    "no byline": _write("nobyline.txt", "Just a title\n\nAnd a paragraph.\n"),
    "title only": _write("titleonly.txt", "Only a title\n"),
    "hashtags only": _write("hashtags.txt", "#one #two #three\n"),
    "JSON document": _write("doc.txt", '{"title": "x", "body": [1, 2, 3]}\n'),
    "HTML page": _write("page.txt", "<!doctype html><html><body><p>hi</p></body></html>\n"),
    "stdin from /dev/zero": lambda d: ("-", "/dev/zero"),
    "stdin of random bytes": lambda d: ("-", _write("stdin-random.bin", _rng.randbytes(9000))(d)),
    # 0x81 is undefined in windows-1250 and -1252, 0x98 in -1250 and -1251: no guess can hold
    "bytes no code page defines": _write("undefined.txt", _article().encode() + b"Body \x81 and \x98.\n"),
    "undefined bytes after the first MiB": _write(
        "late.txt", _article(body="Body.\n\n" + "A fine sentence.\n" * 70000).encode() + b"\xe9t\xe9 \x81\x98\n"),
    "stdin of bytes no code page defines": lambda d: (
        "-", _write("stdin-undefined.bin", b"Title\nSrc - 15 August 2025 18:52\n\nBody \x81 and \x98.\n")(d)),
}
if os.geteuid() != 0:  # root reads every file, so this kind cannot be built as root
    def _unreadable(d):
        path = d / "secret.txt"
        path.write_text(_article())
        path.chmod(0)
        return str(path)
    KINDS["unreadable file"] = _unreadable


def test_there_are_at_least_36_kinds():
    assert len(KINDS) >= 36


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    """Every kind run once through the real CLI, four processes at a time."""
    root = tmp_path_factory.mktemp("hostile")
    results = {}
    pending = list(KINDS.items())
    while pending:
        batch, pending = pending[:4], pending[4:]
        running = []
        for name, make in batch:
            folder = root / f"k{len(results) + len(running)}"
            folder.mkdir()
            store = folder / "store" / "articles.jsonl"
            Store(store).append([plain_article(1)])
            before = store.read_bytes()
            target = make(folder)
            stdin = subprocess.DEVNULL
            if isinstance(target, tuple):
                target, source = target
                stdin = open(source, "rb")
            proc = subprocess.Popen([sys.executable, "-m", "newscli", "ingest", target], env=cli_env(store),
                                    stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            running.append((name, target, proc, store, before, stdin))
        for name, target, proc, store, before, stdin in running:
            try:
                out, err = proc.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                out, err = proc.communicate()
                err = b"HUNG " + err
            if stdin is not subprocess.DEVNULL:
                stdin.close()
            results[name] = (target, proc.returncode, err.decode("utf-8", "replace"), store.read_bytes() == before)
    return results


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_hostile_input_gives_one_line_naming_the_file(outcomes, kind):
    target, code, err, unchanged = outcomes[kind]
    shown = "<stdin>" if target == "-" else sanitize(os.path.abspath(target.rstrip("/")))
    assert TRACEBACK not in err and not err.startswith("HUNG"), err
    assert code not in (0, None) and code > 0, (code, err)
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert shown in lines[0], (shown, lines[0])
    assert "\x1b" not in err and "\x07" not in err
    assert unchanged, "the store changed"
