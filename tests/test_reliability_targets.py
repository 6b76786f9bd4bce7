"""What newscli writes to, and what it refuses to: `export -o` into FIFOs, devices and links
without replacing them, never over the store's own files; a store path that is not a regular
file; a store it may not write; the modes of what it creates (issue 20, items 1, 10, 11, 12, 15)."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from newscli.archive.store import Store
from tests.reliability_support import TRACEBACK, plain_article

ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="making device nodes needs root")


@pytest.fixture
def seeded(store_path) -> bytes:
    Store(store_path).append([plain_article(n) for n in range(4)])
    return store_path.read_bytes()


def _jsonl(cli) -> bytes:
    result = cli("export")
    assert result.exit_code == 0
    return result.stdout_bytes


def test_export_into_a_fifo_streams_and_leaves_the_fifo(cli, seeded, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    result = cli("export", "-o", str(fifo))
    reader.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert got == [_jsonl(cli)]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".pipe")]


@ROOT_ONLY
def test_export_into_a_character_device_never_replaces_it(cli, seeded, tmp_path):
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    result = cli("export", "-o", str(null))
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.lstat(null).st_mode) and os.lstat(null).st_rdev == os.makedev(1, 3)


@ROOT_ONLY
def test_export_into_a_full_device_fails_and_leaves_the_device(cli, seeded, tmp_path):
    full = tmp_path / "full"
    os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    result = cli("export", "-o", str(full))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"newscli: {full}: cannot write (no space left on device)"
    assert stat.S_ISCHR(os.lstat(full).st_mode)


def test_export_through_a_symlink_writes_its_target_and_keeps_the_link(cli, seeded, tmp_path):
    target = tmp_path / "real.jsonl"
    target.write_bytes(b"old contents that are longer than nothing\n" * 500)
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    result = cli("export", "-o", str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_bytes() == _jsonl(cli)


def test_export_to_a_regular_file_replaces_it_whole(cli, seeded, tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_bytes(b"x" * 100_000)
    assert cli("export", "-o", str(out)).exit_code == 0
    assert out.read_bytes() == _jsonl(cli)


OWN = {"the store": "", "the store's lock": ".lock", "the store's index": ".index.sqlite",
       "a side file of the store": ".bad-20250101T000000Z-1"}


@pytest.mark.parametrize("what", sorted(OWN))
@pytest.mark.parametrize("via_link", [False, True], ids=["named", "through a link"])
def test_export_refuses_the_store_and_its_own_files(cli, seeded, store_path, tmp_path, what, via_link):
    cli("count")  # the index exists
    own = store_path.with_name(store_path.name + OWN[what])
    if not own.exists():
        own.write_bytes(b"{}\n")
    target = own
    if via_link:
        target = tmp_path / "innocent.jsonl"
        target.symlink_to(own)
    before = {p.name: p.read_bytes() for p in store_path.parent.iterdir()}
    result = cli("export", "--tag", "T1", "-o", str(target))
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == f"newscli: {target}: is {what}; refusing to write an export over it"
    assert {p.name: p.read_bytes() for p in store_path.parent.iterdir()} == before


def test_export_refuses_a_directory(cli, seeded, tmp_path):
    result = cli("export", "-o", str(tmp_path))
    assert result.exit_code == 2 and "is a directory; refusing" in result.stderr
    assert TRACEBACK not in result.output
