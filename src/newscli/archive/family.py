"""The files that belong to a store, by name: its lock, its index (and SQLite's -wal/-shm),
the side files a repair or a torn tail leave (`.bad-*`, `.torn-*`), and the temp files a
rewrite makes. Knowing them by name is what lets `export -o` refuse to write over them,
`check` list leftover temp files, and the next write clean up after a killed one.

Temp files say whose they are: `.<store>.newscli-<pid>.<random>` beside the store (made and
renamed only under the store lock), `.<output>.newscli-<pid>.<random>` beside an export's
output (its pid tells a dead one from one being written).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

LOCK_SUFFIX = ".lock"
INDEX_SUFFIX = ".index.sqlite"
TORN_SUFFIX = ".torn-"
BAD_SUFFIX = ".bad-"
_SQLITE_SIDES = ("", "-wal", "-shm", "-journal")
TEMP_MARK = ".newscli-"
LABELS_SUFFIX = ".labels"  # your labels (archive/labels.py): data, like the store
ALIASES_SUFFIX = ".aliases"  # name groups (archive/aliases.py)
SAVED_SUFFIX = ".saved"  # saved searches (archive/saved.py)
_DATA_SIDES = {LABELS_SUFFIX: "the store's labels", ALIASES_SUFFIX: "the store's aliases",
               SAVED_SUFFIX: "the store's saved searches"}


def temp_prefix(path: Path) -> str:
    """The start of a temp file's name for `path`, written by this process."""
    return f".{path.name}{TEMP_MARK}{os.getpid()}."


def _temp_pattern(name: str) -> re.Pattern:
    # newscli's temp names, and the ones versions before 0.x made (mkstemp's 8 random characters)
    return re.compile(rf"\.{re.escape(name)}(?:{re.escape(TEMP_MARK)}(\d+)\.[\w]+|\.[a-z0-9_]{{8}})")


def kind_of(store: Path, name: str) -> str | None:
    """What the directory entry `name` beside `store` is to it, or None if it is none of its files."""
    base = store.name
    if name == base:
        return "the store"
    if name == base + LOCK_SUFFIX:
        return "the store's lock"
    if name in {base + INDEX_SUFFIX + side for side in _SQLITE_SIDES}:
        return "the store's index"
    for suffix, what in _DATA_SIDES.items():
        if name == base + suffix:
            return what
    if name.startswith(base + TORN_SUFFIX) or name.startswith(base + BAD_SUFFIX):
        return "a side file of the store"
    if _temp_pattern(base).fullmatch(name):
        return "a temp file of the store"
    return None


def own_file(store: Path, candidate: Path) -> str | None:
    """What `candidate` (followed through symlinks) is to the store, or None if it is not one
    of the store's files: compared by name in the store's directory and by inode."""
    target = Path(os.path.realpath(candidate))
    home = Path(os.path.realpath(store.parent))
    if _same_dir(target.parent, home):
        found = kind_of(store, target.name)
        if found:
            return found
    try:
        info = os.stat(target)
    except OSError:
        return None
    for name in (store.name, store.name + LOCK_SUFFIX, store.name + INDEX_SUFFIX):
        try:
            other = os.stat(home / name)
        except OSError:
            continue
        if (other.st_dev, other.st_ino) == (info.st_dev, info.st_ino):
            return kind_of(store, name)
    return None


def _same_dir(a: Path, b: Path) -> bool:
    if a == b:
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def temp_files(store: Path) -> list[Path]:
    """The store's temp files in its directory: only a killed rewrite leaves one."""
    pattern = _temp_pattern(store.name)
    try:
        with os.scandir(store.parent) as entries:
            return sorted(Path(e.path) for e in entries if pattern.fullmatch(e.name))
    except OSError:
        return []


def dead_output_temps(output: Path) -> list[Path]:
    """Temp files an export into `output` left when it was killed (their process is gone)."""
    pattern = _temp_pattern(output.name)
    found = []
    try:
        with os.scandir(output.parent) as entries:
            for entry in entries:
                match = pattern.fullmatch(entry.name)
                if match and match.group(1) and not _alive(int(match.group(1))):
                    found.append(Path(entry.path))
    except OSError:
        return []
    return sorted(found)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process: alive
    return True


def remove_files(paths: list[Path]) -> list[tuple[Path, int]]:
    """Unlink regular files; (path, size) of each one removed."""
    removed = []
    for path in paths:
        try:
            info = os.lstat(path)
            if stat.S_ISREG(info.st_mode):
                os.unlink(path)
                removed.append((path, info.st_size))
        except OSError:
            continue
    return removed
