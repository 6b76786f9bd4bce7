"""Command-line inputs to Articles and Problems: files, directory walks, stdin.

Every failure becomes a Problem naming the file, so one bad input never stops the
run. Only a bad --encoding, --tz or --date-order raises (UsageError), and before any input is read.
"""

from __future__ import annotations

import codecs
import errno
import fnmatch
import os
import stat
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from newscli.dump.timestamps import Reading
from newscli.dump.decode import (
    CHUNK,
    SNIFF_BYTES,
    binary_error,
    check_encoding,
    detect,
    guess_legacy,
    has_bom,
    iter_lines,
    legacy_warning,
    read_chunks,
)
from newscli.dump.parse import parse_lines, parse_text
from newscli.errors import InputError, os_reason
from newscli.model import Article, Problem

STDIN_NAME = "<stdin>"
_KINDS = {  # what a non-regular file is, for the message
    stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
}


def read_inputs(
    paths: Sequence[str], *, encoding: str | None = None, tz: str | None = None,
    date_order: str | None = None, stdin: BinaryIO | None = None,
) -> Iterator[Article | Problem]:
    """Articles and Problems from every path, in order; '-' is stdin, directories are walked."""
    codec = check_encoding(encoding)  # UsageError now, not halfway through the inputs
    reading = Reading(tz, date_order).check()
    return _read_all(plan_inputs(paths), codec, reading, stdin)


def shown_name(path: str) -> str:
    """A file name as newscli stores and prints it. Python hands a name that is not UTF-8 over
    with its bad bytes as lone surrogates, which no JSON or terminal can take: those bytes
    become the text `\\xNN` (b'caf\\xe9.txt' is 'caf\\\\xe9.txt'), the same in the record, in
    messages and in --json. The file itself is still opened by its real name."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")


@dataclass(frozen=True)
class InputFile:
    """A regular file to parse: its path as given, its absolute name, its size when planned."""

    path: str
    name: str
    size: int


STDIN = object()  # the plan's marker for '-'
DEFAULT_GLOB = "*.txt"


def plan_inputs(paths: Sequence[str], pattern: str = DEFAULT_GLOB) -> Iterator[InputFile | Problem | object]:
    """What reading `paths` means, in order: files to parse, STDIN, or Problems found on the way.
    In directories, the files whose names match `pattern` (any case); the others are counted
    in one warning per directory given.

    Separate from the reading so that files can be parsed elsewhere (other processes) and
    the results still come back in this order.
    """
    for path in paths:
        if path == "-":
            yield STDIN
            continue
        name = shown_name(os.path.abspath(path))
        info, problem = _stat(path, name)
        if problem:
            yield problem
        elif stat.S_ISDIR(info.st_mode):
            yield from _walk(path, pattern)
        elif stat.S_ISREG(info.st_mode):
            yield InputFile(path, name, info.st_size)
        else:
            yield Problem(name, f"not a regular file: {_kind(info)}; refusing to read it")


def read_one(unit: InputFile | Problem | object, codec: str | None, reading: Reading,
             stdin: BinaryIO | None = None) -> Iterator[Article | Problem]:
    """The Articles and Problems of one planned unit."""
    if isinstance(unit, Problem):
        yield unit
    elif isinstance(unit, InputFile):
        yield from _read_file(unit.path, unit.name, codec, reading)
    else:
        stream = stdin if stdin is not None else sys.stdin.buffer
        yield from _read_stream(stream, STDIN_NAME, codec, reading)


def read_whole(unit: InputFile, codec: str | None, reading: Reading) -> list[Article | Problem]:
    """read_one's items for a file, as a list (what a worker process hands back).

    Nothing is handed out before the whole file is parsed, so a file that proves to be plain
    UTF-8, as nearly all are, is read and decoded in one go and parsed as a whole text
    instead of line by line; anything else (a byte-order mark, bad bytes, a NUL byte, a read
    error) goes the usual careful way from the start, with the same results.
    """
    if codec is None:
        try:
            with open(unit.path, "rb", opener=_regular_only) as stream:
                data = stream.read()
            if not has_bom(data):  # what `detect` calls plain UTF-8: it decodes, and has no NUL
                text = data.decode("utf-8")
                del data  # the text is what counts toward the worker's peak memory from here
                if "\x00" not in text:
                    return parse_text(text, file=unit.name, reading=reading)
        except (InputError, OSError, UnicodeDecodeError):
            pass
    return list(read_one(unit, codec, reading))


def _regular_only(path: str, flags: int) -> int:
    fd = os.open(path, flags | getattr(os, "O_NONBLOCK", 0))
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(errno.EINVAL, "not a regular file")
    return fd


def _read_all(units, codec, reading, stdin) -> Iterator[Article | Problem]:
    for unit in units:
        yield from read_one(unit, codec, reading, stdin)


def _stat(path: str, name: str) -> tuple[os.stat_result | None, Problem | None]:
    """stat() a path, telling a missing file, a dangling symlink and a loop apart."""
    try:
        return os.stat(path), None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, Problem(name, "symbolic link loop")
        if exc.errno == errno.ENOENT and os.path.islink(path):
            return None, Problem(name, f"dangling symbolic link (points to {os.readlink(path)!r})")
        return None, Problem(name, _os_reason(exc))


def _kind(info: os.stat_result) -> str:
    return _KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file")


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return "no such file or directory"
    if exc.errno == errno.EACCES:
        return "permission denied"
    return os_reason(exc)


def _walk(top: str, pattern: str = DEFAULT_GLOB) -> Iterator[InputFile | Problem]:
    """Every file matching `pattern` below `top`, sorted for a deterministic order; special
    files are skipped, and the files that do not match are counted in one warning."""
    found = False
    seen_dirs: set[tuple[int, int]] = set()
    skipped = [0]
    for directory in _dirs_sorted(top, seen_dirs, pattern.lower(), skipped):
        if isinstance(directory, Problem):
            yield directory
            continue
        for entry_path in directory:
            name = shown_name(os.path.abspath(entry_path))
            info, problem = _stat(entry_path, name)
            if problem:
                found = True
                yield problem
            elif stat.S_ISREG(info.st_mode):
                found = True
                yield InputFile(entry_path, name, info.st_size)
            else:
                yield Problem(name, f"skipped: {_kind(info)}, not a regular file", is_error=False)
    if skipped[0]:
        files = f"{skipped[0]} file{'s' if skipped[0] != 1 else ''}"
        yield Problem(shown_name(os.path.abspath(top)), f"skipped {files} not matching {pattern} (--glob PATTERN reads others)",
                      is_error=False)
    if not found:
        yield Problem(shown_name(os.path.abspath(top)), f"no files matching {pattern} in this directory")


def _dirs_sorted(top: str, seen: set, pattern: str, skipped: list[int]) -> Iterator[list[str] | Problem]:
    """Depth-first, name-sorted: for each directory, the list of its paths matching `pattern`
    (lowercase, matched against the lowercased name); `skipped[0]` counts the other files."""
    try:
        info = os.stat(top)
        key = (info.st_dev, info.st_ino)
        if key in seen:
            return  # a symlink back up the tree: walking it again would never end
        seen.add(key)
        with os.scandir(top) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield Problem(shown_name(os.path.abspath(top)), f"cannot list directory: {_os_reason(exc)}")
        return
    files, subdirs = [], []
    for entry in entries:
        try:
            is_dir = entry.is_dir()  # follows symlinks; loops are caught by `seen`
        except OSError:
            is_dir = False
        if is_dir:
            subdirs.append(entry.path)
        elif fnmatch.fnmatchcase(entry.name.lower(), pattern):
            files.append(entry.path)
        else:
            skipped[0] += 1
    yield files
    for sub in subdirs:
        yield from _dirs_sorted(sub, seen, pattern, skipped)


def _read_file(path: str, name: str, codec, reading) -> Iterator[Article | Problem]:
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO since stat(), open() still returns.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        yield Problem(name, f"cannot open: {_os_reason(exc)}")
        return
    with os.fdopen(fd, "rb") as stream:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            yield Problem(name, f"not a regular file: {_kind(info)}; refusing to read it")
            return
        try:
            chosen, warning = _choose_encoding(stream, codec)
            stream.seek(0)
        except InputError as exc:
            yield Problem(name, exc.reason, exc.line)
            return
        except OSError as exc:
            yield Problem(name, f"cannot read: {_os_reason(exc)}")
            return
        if warning:
            yield Problem(name, warning, is_error=False)
        yield from _parse_guarded(read_chunks(stream), chosen, name, reading)


def _choose_encoding(stream: BinaryIO, codec: str | None) -> tuple[str, str | None]:
    """Pick the codec, then scan the whole file once so that a binary file, or non-UTF-8
    bytes deep inside, are known before any article is handed out."""
    head = stream.read(SNIFF_BYTES)
    warning = None
    auto = codec is None
    if auto:
        codec, warning = detect(head, complete=len(head) < SNIFF_BYTES)
    stream.seek(0)
    if auto and codec == "utf-8":
        found = _first_invalid_utf8(stream)
        if found is not None:
            bad, start, lines_before = found
            first = start == 0  # `bad` is the chunk `head` already holds
            try:
                codec = guess_legacy(head if first else head + bad)
            except InputError as exc:
                head_lines = head.count(b"\n")
                if first or exc.line <= head_lines + 1:
                    raise
                # the line counted within head + bad, and `bad` starts lines_before lines in
                raise InputError("", exc.reason, lines_before + exc.line - head_lines) from None
            warning = legacy_warning(codec)
    stream.seek(0)
    if not codecs.lookup(codec).name.startswith(("utf-16", "utf-32")):  # NUL is normal in those
        line = 1
        for chunk in read_chunks(stream):
            if b"\x00" in chunk:
                raise binary_error(chunk, offset=line - 1)
            if warning:  # a guessed code page must hold for the whole file, not just its head
                try:
                    chunk.decode(codec)
                except UnicodeDecodeError as exc:
                    where = line + chunk[: exc.start].count(b"\n")
                    raise InputError("", f"not valid UTF-8, and byte 0x{chunk[exc.start]:02x} is undefined "
                                     f"in {codec}, the best guess for the rest (use --encoding)", where) from None
            line += chunk.count(b"\n")
    return codec, warning


def _first_invalid_utf8(stream: BinaryIO) -> tuple[bytes, int, int] | None:
    """The chunk holding the first byte that is not UTF-8, with its offset and the count of
    lines before it, or None if all of it is UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    previous, start, lines = (b"", 0, 0), 0, 0
    for chunk in read_chunks(stream, CHUNK):
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError:
            return chunk, start, lines
        previous = (chunk, start, lines)
        start += len(chunk)
        lines += chunk.count(b"\n")
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return previous
    return None


def _read_stream(stream: BinaryIO, name: str, codec, reading) -> Iterator[Article | Problem]:
    """stdin cannot be rewound: decide the encoding on its first MiB, then stream."""
    try:
        head = stream.read(SNIFF_BYTES)
    except OSError as exc:
        yield Problem(name, f"cannot read: {_os_reason(exc)}")
        return
    warning = None
    if codec is None:
        try:
            codec, warning = detect(head, complete=len(head) < SNIFF_BYTES)
        except InputError as exc:
            yield Problem(name, exc.reason, exc.line)
            return
    if warning:
        yield Problem(name, warning, is_error=False)

    def chunks():
        yield head
        yield from read_chunks(stream)

    yield from _parse_guarded(chunks(), codec, name, reading)


def _parse_guarded(chunks, codec: str, name: str, reading) -> Iterator[Article | Problem]:
    """Parse, turning a mid-stream read or decode failure into one last Problem."""
    try:
        yield from parse_lines(iter_lines(chunks, codec, name=name), file=name, reading=reading)
    except InputError as exc:
        yield Problem(name, f"{exc.reason}; the rest of this input was skipped", exc.line)
    except OSError as exc:
        yield Problem(name, f"cannot read: {_os_reason(exc)}; the rest of this input was skipped")
