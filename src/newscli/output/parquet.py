"""The Parquet hand-off: a Hive-partitioned dataset (`year=2025/month=08/part-0.parquet`) that
DuckDB, Spark, Trino and Athena read as one table, one row per article (its columns:
parquet_rows.py, docs/scale-out.md).

Written streaming: rows are held per partition up to a row group (~64 MB of Arrow data) and
a budget for all partitions together, so memory stays flat whatever the archive's size; one
row group is compressed in a second thread while the next block of lines is parsed. The
dataset is built in a temporary directory beside DIR and renamed into place only when whole.
pyarrow is an optional extra (`newscli[parquet]`), imported only when asked for.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from newscli.archive.files import current_umask, fsync_dir
from newscli.errors import NewscliError, UsageError, os_reason
from newscli.output.parquet_rows import blocks, require, rows, schema

__all__ = ["DEFAULT_PARTITIONS", "Written", "parse_partitions", "require", "schema", "write_dataset"]

PARTITION_KEYS = ("year", "month", "lang", "source")
DEFAULT_PARTITIONS = ("year", "month")
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"  # Hive's, Spark's and DuckDB's name for "no value"
ROW_GROUP_BYTES = 32 << 20  # Arrow data held for one partition before it becomes a row group
HELD_BYTES = 48 << 20  # held for all partitions together; past it, the one added to longest ago is written
MAX_OPEN_FILES = 32  # past it the least recently used file is closed; the partition's next rows go to part-1
ZSTD_LEVEL = 2  # level 3: 34% of the store, not 36%, for a third more time writing (docs/scale-out.md)
DICTIONARY_COLUMNS = ("source", "lang", "tags.list.element", "source_label", "file", "published_offset")
STATISTICS_COLUMNS = ("id", "source", "published", "published_utc", "published_offset", "lang",
                      "first_line", "last_line", "ingested_at")


def parse_partitions(text: str | None) -> tuple[str, ...]:
    """'year,month' -> ('year', 'month'); 'none' -> (); checked (month needs year)."""
    if text is None:
        return DEFAULT_PARTITIONS
    if text.strip().lower() == "none":
        return ()
    keys = tuple(k.strip().lower() for k in text.split(",") if k.strip())
    unknown = [k for k in keys if k not in PARTITION_KEYS]
    if unknown or not keys or len(set(keys)) != len(keys):
        raise UsageError(f"--partition-by {text!r}: a comma list of {', '.join(PARTITION_KEYS)} "
                         "(each once), or none")
    if "month" in keys and "year" not in keys[: keys.index("month")]:
        raise UsageError("--partition-by: month needs year before it (year,month)")
    return keys


@dataclass
class Written:
    rows: int = 0
    files: list[Path] = field(default_factory=list)
    bytes: int = 0


def write_dataset(lines: Iterable[bytes], directory: Path, partitions: Sequence[str] = DEFAULT_PARTITIONS,
                  fields: Sequence[str] | None = None, labels_of: Callable | None = None) -> Written:
    """Write stored record lines as a dataset at `directory`, which must not exist or be an
    empty directory; nothing is there until all of it is. `labels_of` (ids -> their labels),
    for an archive with labels, adds the `labels` column `export` gives such an archive."""
    pa = require()
    _check_target(directory)
    parent = directory.parent if str(directory.parent) else Path(".")
    try:
        temp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise NewscliError(f"{directory}: cannot create it ({os_reason(exc)})") from None
    try:
        os.chmod(temp, 0o777 & ~current_umask())  # mkdtemp's 0o700, made what mkdir would give
        writer = _Partitioned(pa, temp, schema(fields, labels=labels_of is not None), tuple(partitions))
        try:
            for block in blocks(lines):
                writer.add(rows(pa, block, writer.schema, labels_of))
        finally:
            writer.close()
        _sync_tree(temp)
        os.rename(temp, directory)  # replaces an empty directory; refuses anything else
        fsync_dir(parent)
    except OSError as exc:
        shutil.rmtree(temp, ignore_errors=True)
        raise NewscliError(f"{directory}: cannot write the dataset ({os_reason(exc)})") from None
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)  # ours alone: created above, never a user's
        raise
    done = writer.written
    done.files = [directory / path.relative_to(temp) for path in done.files]
    return done


def _check_target(directory: Path) -> None:
    if os.path.islink(directory):
        raise NewscliError(f"{directory}: is a symbolic link; refusing to write a dataset there")
    if os.path.lexists(directory):
        if not directory.is_dir():
            raise NewscliError(f"{directory}: exists and is not a directory; choose a new name")
        if any(directory.iterdir()):
            raise NewscliError(f"{directory}: exists and is not empty; newscli never deletes a "
                               "directory: remove it or choose a new name")


class _Partitioned:
    """Blocks of rows to files by partition: held per partition as Arrow tables, each written
    as a row group once it is big enough (or memory is), so memory stays bounded."""

    def __init__(self, pa, root: Path, arrow_schema, partitions: tuple[str, ...]) -> None:
        self.pa, self.root, self.schema, self.partitions = pa, root, arrow_schema, partitions
        self.held: dict[tuple, list] = {}
        self.held_bytes: dict[tuple, int] = {}
        self.total = 0
        self.open: dict[tuple, tuple] = {}  # partition -> (ParquetWriter, path), least recently used first
        self.parts: dict[tuple, int] = {}  # files made per partition
        self.written = Written()
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newscli-parquet")
        self.pending = None

    def add(self, block) -> None:
        table, walls, parsed = block
        keys = self._keys(walls, parsed, table.num_rows)
        runs = _runs(keys)
        if len(runs) == len({key for key, _, _ in runs}):  # each partition in one run: slices, no copy
            for key, start, stop in runs:
                self._hold(key, table.slice(start, stop - start))
            return
        rows: dict[tuple, list[int]] = {}
        for i, key in enumerate(keys):
            rows.setdefault(key, []).append(i)
        for key, indices in rows.items():
            self._hold(key, table.take(self.pa.array(indices, self.pa.int64())))

    def _keys(self, walls, parsed, count: int) -> list[tuple]:
        if not self.partitions:
            return [()] * count
        columns = []  # year and month as numbers here, written as text by _segment
        for p in self.partitions:
            if p in ("year", "month"):
                columns.append([None if w is None else getattr(w, p) for w in walls])
            else:
                columns.append([v or None for v in parsed.column(p).to_pylist()])
        return list(zip(*columns))

    def _hold(self, key: tuple, table) -> None:
        size = table.nbytes
        self.held[key] = self.held.pop(key, []) + [table]  # last in the dict: the latest added to
        self.held_bytes[key] = self.held_bytes.get(key, 0) + size
        self.total += size
        if self.held_bytes[key] >= ROW_GROUP_BYTES:
            self._flush(key)
        while self.total >= HELD_BYTES:
            # the partition added to longest ago first: in date order, a month that is done
            # (written before its file is closed, so it needs no part-1)
            self._flush(next(iter(self.held)))

    def close(self) -> None:
        try:
            for key in list(self.held):
                self._flush(key)
            self._wait()
        finally:
            self._wait(quiet=True)
            self.thread.shutdown()
            for key in list(self.open):
                self._close(key)

    def _flush(self, key: tuple) -> None:
        """Hand a partition's rows to the writing thread as one row group: encoding and
        compressing (most of an export's time) run there, beside the parsing of the next block."""
        tables = self.held.pop(key)
        self.total -= self.held_bytes.pop(key)
        table = self.pa.concat_tables(tables) if len(tables) > 1 else tables[0]
        del tables
        self._wait()  # one row group at a time in flight: memory stays bounded
        self.pending = self.thread.submit(self._write, key, table)

    def _wait(self, quiet: bool = False) -> None:
        pending, self.pending = self.pending, None
        if pending is not None:
            if quiet:
                pending.exception()
            else:
                pending.result()

    def _write(self, key: tuple, table) -> None:
        self._writer(key).write_table(table, row_group_size=table.num_rows)
        self.written.rows += table.num_rows

    def _writer(self, key: tuple):
        writer, path = self.open.pop(key, (None, None))
        if writer is None:
            if len(self.open) >= MAX_OPEN_FILES:
                self._close(next(iter(self.open)))
            number = self.parts.get(key, 0)
            self.parts[key] = number + 1
            folder = self.root.joinpath(*(f"{p}={_segment(p, v)}" for p, v in zip(self.partitions, key)))
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"part-{number}.parquet"
            names = set(self.schema.names)
            writer = self.pa.parquet.ParquetWriter(
                path, self.schema, compression="zstd", compression_level=ZSTD_LEVEL,
                # a dictionary only where values repeat; statistics only where a reader prunes by them
                use_dictionary=[c for c in DICTIONARY_COLUMNS if c.split(".")[0] in names],
                write_statistics=[c for c in STATISTICS_COLUMNS if c in names])
            self.written.files.append(path)
        self.open[key] = (writer, path)  # now the most recently used
        return writer

    def _close(self, key: tuple) -> None:
        writer, path = self.open.pop(key)
        writer.close()
        self.written.bytes += os.path.getsize(path)


def _runs(keys: list[tuple]) -> list[tuple[tuple, int, int]]:
    """(key, start, stop) of each run of equal keys."""
    runs, start = [], 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            runs.append((keys[start], start, i))
            start = i
    return runs


def _segment(key: str, value: str | int | None) -> str:
    """A directory name for a partition value: year 2025, month 08; '/', '=', '%' and the like
    percent-encoded, as Hive and pyarrow write them; no value is Hive's default partition."""
    if value is None:
        return NULL_PARTITION
    if key in ("year", "month"):
        return f"{value:04d}" if key == "year" else f"{value:02d}"
    text = quote(value, safe=" ")
    return "%" + f"{ord(text[0]):02X}" + text[1:] if text[0] in "._" else text  # Spark skips _x and .x


def _sync_tree(root: Path) -> None:
    """Every file and directory of the new dataset on disk before it gets its name."""
    for folder, _dirs, files in os.walk(root, topdown=False):
        for name in files:
            fd = os.open(os.path.join(folder, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fsync_dir(Path(folder))
