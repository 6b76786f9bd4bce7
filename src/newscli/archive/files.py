"""Low-level file operations the store builds its promises on: refuse what is not a plain file,
write all or nothing, replace atomically, hold and probe the lock.

Every write goes through `os.write`, `os.fsync` and `os.replace`, so the reliability tests can
make exactly those calls fail and check that nothing is left half done.
"""

from __future__ import annotations

import errno
import fcntl
import os
import signal
import stat
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from newscli.errors import StoreError, os_reason

FILE_MODE = 0o644  # passed through the umask, like git: never group- or world-writable
DIR_MODE = 0o755
READ_CHUNK = 1 << 20

# Test-only: the race test sets this to prove that, without the lock, duplicates do appear.
# Never set it in real use; nothing but the store reads it.
UNSAFE_NO_LOCK_ENV = "NEWSCLI_TEST_ONLY_DISABLE_STORE_LOCK"

# Ctrl-C and SIGTERM are held back while a write and its rollback run, so they can never land
# between the bytes of a line; they take effect as soon as the write is whole (or undone).
_DEFERRED_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def open_file(path: Path, flags: int, create_parent: bool = False, mode: int = FILE_MODE) -> int:
    """Open a regular file without following a symlink or hanging on a FIFO."""
    if create_parent and flags & os.O_CREAT:
        make_dirs(path.parent)
    try:
        fd = os.open(path, flags | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK, mode)
    except (FileNotFoundError, FileExistsError):
        raise
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise StoreError(f"{path}: is a symbolic link; refusing to follow it") from None
        raise StoreError(f"{path}: cannot open ({os_reason(exc)})") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise StoreError(f"{path}: not a regular file; refusing to use it as the store")
    return fd


def make_dirs(directory: Path) -> None:
    """Create `directory` and its missing parents, each DIR_MODE through the umask, so none is
    ever group- or world-writable (Path.mkdir(parents=True) gives the parents 0777 & ~umask)."""
    missing = []
    while not directory.exists() and directory != directory.parent:
        missing.append(directory)
        directory = directory.parent
    for each in reversed(missing):
        try:
            os.mkdir(each, DIR_MODE)
        except FileExistsError:
            continue
        except OSError as exc:
            raise StoreError(f"{each}: cannot create the directory ({os_reason(exc)})") from None


def refuse_unusable(path: Path) -> None:
    """Before any lock file is made beside it: the store must be a regular file, or missing."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"{path}: cannot open ({os_reason(exc)})") from None
    if stat.S_ISLNK(info.st_mode):
        raise StoreError(f"{path}: is a symbolic link; refusing to follow it")
    if not stat.S_ISREG(info.st_mode):
        raise StoreError(f"{path}: not a regular file; refusing to use it as the store")


def side_mode(store_path: Path) -> int:
    """The mode for a file beside the store: never readable by anyone the store is not."""
    try:
        return os.stat(store_path).st_mode & FILE_MODE
    except OSError:
        return FILE_MODE


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block is done, then act on them as usual.

    The Python-level handlers are swapped, not the thread's signal mask: Python runs
    handlers in the main thread whichever thread the kernel picked, so a mask would not
    stop a KeyboardInterrupt once another thread (a worker pool's) exists.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread can set handlers; and it is the one that gets them
        return
    pending: list[int] = []
    previous = {signum: signal.getsignal(signum) for signum in _DEFERRED_SIGNALS}
    for signum in previous:
        signal.signal(signum, lambda received, frame: pending.append(received))
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if pending:
            _deliver(pending[0], previous[pending[0]])


def _deliver(signum: int, handler) -> None:
    if callable(handler):
        handler(signum, None)  # raises KeyboardInterrupt, or newscli's Terminated
    elif handler == signal.SIG_DFL:
        signal.raise_signal(signum)


def write_all_or_nothing(fd: int, data: bytes, start: int) -> None:
    """Write and fsync `data` at the end of the file; on any failure cut it back to `start`."""
    with signals_deferred():
        view = memoryview(data)
        try:
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        except BaseException:
            cut_back(fd, start)
            raise


def cut_back(fd: int, size: int) -> None:
    try:
        os.ftruncate(fd, size)
    except OSError:
        pass  # the original error is the one worth reporting


def write_new_file(path: Path, data: bytes, mode: int = FILE_MODE) -> None:
    """Create `path` (never an existing one) holding exactly `data`, durably, or leave no file."""
    fd = open_file(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    try:
        if mode != FILE_MODE:
            os.fchmod(fd, mode)
        write_all_or_nothing(fd, data, 0)
    except BaseException:
        os.close(fd)
        unlink_quietly(path)
        raise
    os.close(fd)
    fsync_dir(path.parent)


def replace_with(path: Path, chunks: Iterable[bytes], mode: int, prefix: str) -> os.stat_result:
    """Write `chunks` to a temp file beside `path` (its name starting with `prefix`) and
    rename it over `path`, durably; the new file's fstat.

    Until the rename `path` is untouched; on any failure the temp file is removed (a kill
    leaves it: see family.py for who cleans it up).
    """
    def fill(fd: int) -> None:
        for chunk in chunks:
            view = memoryview(chunk)
            while view:
                view = view[os.write(fd, view):]

    return replace_via_temp(path, mode, prefix, fill)


def replace_via_temp(path: Path, mode: int, prefix: str, fill) -> os.stat_result:
    """`fill(fd)` writes a temp file beside `path`; fsynced, it is renamed over `path`."""
    import tempfile  # imported late: queries never rewrite, and it costs ~3 ms of their start-up

    fd, tmp = tempfile.mkstemp(prefix=prefix, dir=path.parent)
    try:
        try:
            os.fchmod(fd, mode)
            fill(fd)
            os.fsync(fd)
            info = os.fstat(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        unlink_quietly(tmp)
        raise
    fsync_dir(path.parent)
    return info


@contextmanager
def locked(lock_path: Path, mode: int = FILE_MODE) -> Iterator[int | None]:
    """Exclusive lock on a side file. flock dies with its holder, so a lock is never stale."""
    if os.environ.get(UNSAFE_NO_LOCK_ENV) == "1":
        yield None
        return
    fd = open_file(lock_path, os.O_RDWR | os.O_CREAT, create_parent=True, mode=mode)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd  # the holder may write the lock file: see appends.py
    finally:
        os.close(fd)


@contextmanager
def shared_lock(lock_path: Path) -> Iterator[None]:
    """The store lock shared: no write is in flight while it is held (writers take it
    exclusively). Without a lock file no writer has run; one we cannot open is not waited for."""
    try:
        fd = os.open(lock_path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
    except OSError:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)


def writer_active(lock_path: Path) -> bool:
    """True while some process holds the store lock: an unfinished last line is being written."""
    try:
        fd = os.open(lock_path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


def end_of_last_full_line(fd: int, size: int) -> int:
    pos = size
    while pos > 0:
        step = min(READ_CHUNK, pos)
        chunk = os.pread(fd, step, pos - step)
        newline = chunk.rfind(b"\n")
        if newline >= 0:
            return pos - step + newline + 1
        pos -= step
    return 0


def append_line(path: Path, line: bytes, mode: int) -> tuple[int, int]:
    """Append one whole line to a side file (the caller holds the store lock), fsynced, or
    nothing; a torn end a kill left is cut off first. Created with `mode` (the store's:
    side_mode) and its directory entry fsynced. Where the line went: (start, end)."""
    try:
        fd, created = open_file(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_EXCL, True), True
        os.fchmod(fd, mode)
    except FileExistsError:
        fd, created = open_file(path, os.O_RDWR | os.O_APPEND), False
    try:
        size = os.fstat(fd).st_size
        whole = end_of_last_full_line(fd, size)
        if whole != size:
            cut_back(fd, whole)  # the torn end of a line that was never finished
        write_all_or_nothing(fd, line, whole)
        if created:
            fsync_dir(path.parent)
        return whole, whole + len(line)
    except BaseException:
        if created:
            unlink_quietly(path)  # ours, and empty: no side file left behind
        raise
    finally:
        os.close(fd)


def chunks(fd: int, start: int, end: int) -> Iterator[bytes]:
    """The bytes from `start` to `end` (or to the end of the file), in blocks."""
    pos = start
    while pos < end:
        chunk = os.pread(fd, min(READ_CHUNK, end - pos), pos)
        if not chunk:
            return
        yield chunk
        pos += len(chunk)


def count_lines(fd: int, end: int) -> int:
    return sum(chunk.count(b"\n") for chunk in chunks(fd, 0, end))


def read_range(fd: int, start: int, end: int) -> bytes:
    return b"".join(chunks(fd, start, end))


def line_at(fd: int, offset: int) -> bytes:
    """The line that starts at `offset`, newline included (none if the file ends first)."""
    parts = []
    while True:
        chunk = os.pread(fd, 1 << 16, offset)
        end = chunk.find(b"\n")
        if end >= 0 or not chunk:
            parts.append(chunk[: end + 1] if end >= 0 else chunk)
            return b"".join(parts)
        parts.append(chunk)
        offset += len(chunk)


def fsync_dir(directory: Path) -> None:
    """Make a created or renamed entry durable; some filesystems cannot, which is no error."""
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def current_umask() -> int:
    """The process's umask (reading it means setting it: set straight back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def unlink_quietly(path: Path | str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def rewrite_json(path: Path, lock: Path, change, empty, mode: int = FILE_MODE):
    """Read the small JSON side file `path` (or `empty()`), let `change` edit it in place, and
    replace the file with the result, all under `lock`; returns what `change` returned."""
    import json

    from newscli.archive.family import temp_prefix

    with locked(lock):
        try:
            data = json.loads(path.read_bytes())
        except FileNotFoundError:
            data = empty()
        result = change(data)
        replace_with(path, [(json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()], mode,
                     temp_prefix(path))
    return result


def write_failure(path: Path | str, exc: OSError) -> str:
    return f"{path}: cannot write ({os_reason(exc)}); the store is unchanged"
