"""read_inputs: files, directory walks, stdin, and every way a path can be wrong."""

from __future__ import annotations

import io
import os
import socket
import threading
from pathlib import Path

import pytest

from newscli.dump.inputs import read_inputs
from newscli.errors import UsageError
from newscli.model import Article, Problem

from .conftest import SAMPLE

GOOD = "Title {n}\n\nSource - {n} March 2025 10:00\n\nThe body of article {n} is here.\n"


def _write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def _run(paths, **kw):
    return list(read_inputs([str(p) for p in paths], **kw))


def test_file_paths_are_absolute_without_resolving_symlinks(tmp_path, monkeypatch):
    real = _write(tmp_path / "real.txt", GOOD.format(n=1))
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    monkeypatch.chdir(tmp_path)
    (a,), (b,) = _run(["real.txt"]), _run(["link.txt"])
    assert a.file == str(real) and b.file == str(link)


def test_directory_walk_is_recursive_sorted_and_only_txt(tmp_path):
    _write(tmp_path / "b.txt", GOOD.format(n=2))
    _write(tmp_path / "a.txt", GOOD.format(n=1))
    _write(tmp_path / "sub" / "c.TXT", GOOD.format(n=3))
    _write(tmp_path / "notes.md", "ignored")
    *items, skipped = _run([tmp_path])
    assert [Path(i.file).name for i in items] == ["a.txt", "b.txt", "c.TXT"]
    assert all(isinstance(i, Article) for i in items)
    assert not skipped.is_error and skipped.reason.startswith("skipped 1 file not matching *.txt")


def test_stdin_is_read_under_its_name():
    items = _run(["-"], stdin=io.BytesIO(SAMPLE.read_bytes()))
    assert len(items) == 1 and items[0].file == "<stdin>" and items[0].published == "2025-08-15T18:52:00"


def test_stdin_legacy_encoding_is_detected_with_a_warning():
    data = "Заголовок\n\nДжерело - 2 січня 2024 07:30\n\nЦе текст і він був.".encode("cp1251")
    warning, article = _run(["-"], stdin=io.BytesIO(data))
    assert not warning.is_error and "windows-1251" in warning.reason
    assert article.lang == "uk" and article.title == "Заголовок"


def test_stdin_binary_after_the_first_mib_keeps_earlier_articles():
    # stdin cannot be rewound, so a NUL beyond the first chunk is found only when reached.
    # A form feed ends the good article (a rule line would not: the text after it is no article).
    data = (GOOD.format(n=1) + "\f\n" + "x\n\n" * 400_000 + "\x00").encode()
    article, problem = _run(["-"], stdin=io.BytesIO(data))
    assert isinstance(article, Article)
    assert problem.line == 800_007 and "binary" in problem.reason and "rest of this input" in problem.reason


def test_missing_dangling_loop_and_empty_directory_each_give_one_problem(tmp_path):
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere")
    (tmp_path / "loop1").symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(tmp_path / "loop1")
    (tmp_path / "empty").mkdir()
    items = _run([tmp_path / "missing.txt", tmp_path / "dangling.txt", tmp_path / "loop1", tmp_path / "empty"])
    reasons = [(Path(p.file).name, p.reason) for p in items]
    assert reasons == [
        ("missing.txt", "no such file or directory"),
        ("dangling.txt", f"dangling symbolic link (points to {str(tmp_path / 'nowhere')!r})"),
        ("loop1", "symbolic link loop"),
        ("empty", "no files matching *.txt in this directory"),
    ]
    assert all(isinstance(p, Problem) and p.is_error for p in items)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file_is_a_problem(tmp_path):
    path = _write(tmp_path / "secret.txt", GOOD.format(n=1))
    path.chmod(0)
    (problem,) = _run([path])
    assert "permission denied" in problem.reason


def test_fifo_named_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = []
    worker = threading.Thread(target=lambda: result.extend(_run([fifo])), daemon=True)
    worker.start()
    worker.join(5)
    assert not worker.is_alive(), "reading a FIFO blocked"
    (problem,) = result
    assert problem.is_error and "FIFO" in problem.reason


def test_walk_skips_fifo_and_socket_with_a_warning(tmp_path):
    _write(tmp_path / "a.txt", GOOD.format(n=1))
    os.mkfifo(tmp_path / "b.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "c.txt"))
    try:
        article, fifo, sock_note = _run([tmp_path])
    finally:
        sock.close()
    assert isinstance(article, Article)
    assert not fifo.is_error and "FIFO" in fifo.reason
    assert not sock_note.is_error and "socket" in sock_note.reason


def test_device_named_is_refused():
    (problem,) = _run(["/dev/null"])
    assert problem.is_error and "character device" in problem.reason


def test_walk_survives_a_directory_symlink_loop(tmp_path):
    _write(tmp_path / "d" / "a.txt", GOOD.format(n=1))
    (tmp_path / "d" / "up").symlink_to(tmp_path / "d")
    items = _run([tmp_path / "d"])
    assert [type(i).__name__ for i in items] == ["Article"]


def test_binary_file_is_refused_before_any_article(tmp_path):
    path = _write(tmp_path / "x.txt", (GOOD.format(n=1) * 3).encode() + b"\x00\x01")
    (problem,) = _run([path])
    assert problem.is_error and "binary" in problem.reason


def test_late_non_utf8_byte_switches_the_whole_file_to_legacy(tmp_path):
    body = GOOD.format(n=1) + "\n" + ("Plain ascii filler line.\n" * 60_000)
    path = _write(tmp_path / "late.txt", body.encode() + "\nGrüße für Sie.\n".encode("cp1252"))
    items = _run([path])
    assert "windows-1252" in items[0].reason and not items[0].is_error
    assert isinstance(items[1], Article) and items[1].body.endswith("Grüße für Sie.")


def test_bytes_no_code_page_defines_are_one_refusal_on_their_line(tmp_path):
    # 0x81 is undefined in windows-1250 and -1252, 0x98 in -1250 and -1251
    head = GOOD.format(n=1) + "\n" + ("Plain ascii filler line.\n" * 60_000)
    path = _write(tmp_path / "late.txt", head.encode() + b"caf\xe9 \x81\n\x98\n")
    (problem,) = _run([path])
    assert problem.is_error and problem.reason.startswith("not text")
    assert problem.line == head.count("\n") + 2  # where the last code page (-1251) fails


def test_stdin_of_undefined_bytes_is_one_refusal():
    data = b"Title\nSrc - 15 August 2025 18:52\n\nBody \x81\nand \x98.\n"
    (problem,) = _run(["-"], stdin=io.BytesIO(data))
    assert problem.is_error and problem.reason.startswith("not text") and problem.line == 5


def test_explicit_encoding_is_used_and_bad_names_raise_before_reading(tmp_path):
    path = _write(tmp_path / "x.txt", GOOD.format(n=1).replace("body", "Körper").encode("cp1252"))
    (article,) = _run([path], encoding="cp1252")
    assert "Körper" in article.body
    with pytest.raises(UsageError, match="unknown encoding"):
        read_inputs([str(tmp_path / "missing")], encoding="nope")
    with pytest.raises(UsageError, match="unknown time zone"):
        read_inputs([str(tmp_path / "missing")], tz="Nowhere/Land")


def test_tz_reaches_the_parser(tmp_path):
    path = _write(tmp_path / "x.txt", GOOD.format(n=1))
    (article,) = _run([path], tz="UTC")
    assert article.published == "2025-03-01T10:00:00+00:00"


def test_file_names_with_control_characters_are_kept(tmp_path):
    path = _write(tmp_path / "bad\x1b[31mname.txt", "")
    (problem,) = _run([path])
    assert problem.file == str(path) and "\n" not in problem.reason


def test_mixed_directory_counts(tmp_path):
    _write(tmp_path / "1.txt", GOOD.format(n=1) + "\n" + GOOD.format(n=2))
    _write(tmp_path / "2.txt", "Only a title\n")
    _write(tmp_path / "3.txt", b"")
    _write(tmp_path / "4.txt", GOOD.format(n=3) + "\nBad\n\nS - 1 Smarch 2025\n\nBody.\n")
    items = _run([tmp_path])
    articles = [i for i in items if isinstance(i, Article)]
    errors = [i for i in items if isinstance(i, Problem) and i.is_error]
    assert len(articles) == 3 and len(errors) == 3
