"""Where `export -o FILE` puts its bytes, decided by what FILE is (as cp and a shell's `>` do).

- missing or a regular file: a temp file beside it, fsynced and renamed over it, so FILE is
  either the old file or the whole export, never half of one;
- a FIFO, a character device (/dev/stdout, a terminal, /dev/null) or a symbolic link: written
  into as a stream, the way `cp x /dev/stdout` does; the node or link itself is never replaced;
- a directory, a block device or a socket: refused;
- the store or one of its own files (lock, index, `.bad-*`/`.torn-*` side files, temp files),
  by name or through a link: refused before anything is written.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from newscli.archive.family import dead_output_temps, own_file, remove_files, temp_prefix
from newscli.errors import NewscliError, UsageError, os_reason
from newscli.model import Problem

_REFUSED = {stat.S_IFDIR: "a directory", stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket"}


def check_target(path: Path, store_path: Path) -> None:
    """Refuse what an export must never write to; called before the store is even read."""
    whose = own_file(store_path, path)
    if whose:
        raise UsageError(f"{path}: is {whose}; refusing to write an export over it")
    try:
        info = os.stat(path)  # through a symlink: what would be written into
    except OSError:
        return
    what = _REFUSED.get(stat.S_IFMT(info.st_mode))
    if what:
        raise UsageError(f"{path}: is {what}; refusing to write an export to it")


def write_output(path: Path, store_path: Path, chunks: Iterable[bytes],
                 on_problem: Callable[[Problem], None]) -> None:
    check_target(path, store_path)
    try:
        link = os.lstat(path)
    except FileNotFoundError:
        link = None
    except OSError as exc:
        raise NewscliError(f"{path}: cannot write ({os_reason(exc)})") from None
    try:
        if link is None or stat.S_ISREG(link.st_mode):
            _replace(path, chunks, on_problem)
        else:
            _stream(path, chunks)
    except OSError as exc:
        raise NewscliError(f"{path}: cannot write ({os_reason(exc)})") from None


def _replace(path: Path, chunks: Iterable[bytes], on_problem: Callable[[Problem], None]) -> None:
    from newscli.archive.files import current_umask, replace_with  # late: only `-o FILE` writes a file

    for gone, size in remove_files(dead_output_temps(path)):
        on_problem(Problem(str(gone), f"removed a temp file ({size} bytes) an interrupted export "
                           "left behind", is_error=False))
    replace_with(path, chunks, 0o666 & ~current_umask(), prefix=temp_prefix(path))


def _stream(path: Path, chunks: Iterable[bytes]) -> None:
    """Write into what is there (a FIFO, a device, a link's target); created only for a
    dangling link, truncated only if it is a regular file, as `cp` does."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o666)
    try:
        regular = stat.S_ISREG(os.fstat(fd).st_mode)
        if regular:
            os.ftruncate(fd, 0)
        for chunk in chunks:
            view = memoryview(chunk)
            while view:
                view = view[os.write(fd, view):]
        if regular:
            os.fsync(fd)
    finally:
        os.close(fd)

