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
from tests.reliability_support import TRACEBACK, exit_status, fork_cli, plain_article

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


# -- the store path, the lock, write permission (items 10, 12, 15) ----------------------------

NOBODY = 65534


def _run_forked(store: Path, args: list[str], *, uid: int | None = None, die_in_replace: bool = False,
                stdin: bytes | None = None) -> tuple[int, str, str]:
    """`newscli ARGS` in a forked child: as another user (the modules it needs are imported
    here first: the child may not be able to read them), or SIGKILLed inside os.replace.
    (exit status or -signal, stdout, stderr)"""
    import tempfile

    from newscli.cli import whole_app
    from newscli.index import questions, sync  # noqa: F401 - imported before the child drops root
    from newscli.jobs import check, export, ingest  # noqa: F401
    from newscli.output import formats  # noqa: F401

    whole_app()
    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()

    def before() -> None:
        if stdin is not None:
            read, write = os.pipe()
            os.write(write, stdin)
            os.close(write)
            os.dup2(read, 0)
        if die_in_replace:
            os.replace = lambda *a, **k: os.kill(os.getpid(), 9)

    code = exit_status(fork_cli(store, args, out=out.fileno(), err=err.fileno(), uid=uid, before=before))
    out.seek(0)
    err.seek(0)
    return code, out.read().decode(), err.read().decode()


@pytest.fixture
def shared_store():
    """A store in a directory another user can write (tmp_path is root's alone)."""
    import shutil
    import tempfile

    home = Path(tempfile.mkdtemp(prefix="newscli-ro-"))
    os.chmod(home, 0o777)
    store = home / "articles.jsonl"
    Store(store).append([plain_article(n) for n in range(4)])
    Store(store).append([plain_article(4)])
    if os.geteuid() == 0:  # the store is nobody's, as if they had made it
        for path in home.iterdir():
            os.chown(path, NOBODY, NOBODY)
    yield store
    shutil.rmtree(home)


@pytest.mark.parametrize("command", [["ingest", "DUMP"], ["rm", "--yes", "ID"], ["check", "--repair"]])
def test_a_read_only_store_refuses_every_write_alike(shared_store, tmp_path, command):
    """Issue 20.10: a 0444 store, written by someone who may not write it. As root (who may write
    anything) the command runs as `nobody` in a forked child; otherwise as this user."""
    dump = shared_store.with_name("one.txt")
    from tests.reliability_support import write_dump
    write_dump(dump, [plain_article(9)])
    os.chmod(dump, 0o644)
    cli_index = _run_forked(shared_store, ["count"], uid=NOBODY if os.geteuid() == 0 else None)
    assert cli_index[0] == 0, cli_index  # the index is there and theirs too
    with open(shared_store, "ab") as handle:
        handle.write(b"{damaged line for check --repair to move\n")
    os.chmod(shared_store, 0o444)
    before = shared_store.read_bytes()
    first_id = before.split(b'"id":"')[1][:16].decode()
    args = [str(dump) if a == "DUMP" else first_id if a == "ID" else a for a in command]
    code, out, err = _run_forked(shared_store, args, uid=NOBODY if os.geteuid() == 0 else None)
    assert code == 1, (out, err)
    assert f"newscli: {shared_store}: cannot open (permission denied)" in err.splitlines(), err
    assert shared_store.read_bytes() == before
    assert not [p for p in shared_store.parent.iterdir() if ".bad-" in p.name or ".newscli-" in p.name
                or ".torn-" in p.name]
    assert "Remove" not in out and first_id[:8] not in out  # rm refused before listing anything


@pytest.mark.parametrize("command", [["ingest", "DUMP"], ["rm", "--yes", "--tag", "Test"], ["check", "--repair"]])
def test_a_store_path_that_is_not_a_regular_file_is_refused_before_any_lock(tmp_path, command):
    """Issue 20.12: NEWSCLI_STORE=/dev/null made /dev/null.lock; a FIFO stands in for it here."""
    from tests.reliability_support import write_dump
    dump = write_dump(tmp_path / "one.txt", [plain_article(9)])
    store = tmp_path / "store.fifo"
    os.mkfifo(store)
    args = [str(dump) if a == "DUMP" else a for a in command]
    code, out, err = _run_forked(store, args)
    assert code == 1 and TRACEBACK not in err
    assert err.strip().splitlines()[-1] == f"newscli: {store}: not a regular file; refusing to use it as the store"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.txt", "store.fifo"]


def test_rm_takes_the_lock_before_it_lists_and_asks(store_path, seeded, tmp_path):
    """Issue 20.15: rm printed what it would delete, then failed on the lock."""
    elsewhere = tmp_path / "elsewhere.lock"
    elsewhere.write_bytes(b"")
    lock = store_path.with_name(store_path.name + ".lock")
    lock.unlink()
    lock.symlink_to(elsewhere)  # a lock that cannot be taken
    code, out, err = _run_forked(store_path, ["rm", "--yes", "--tag", "Test"])
    assert code == 1 and out == "", out
    assert err.strip() == f"newscli: {lock}: is a symbolic link; refusing to follow it"
    assert store_path.read_bytes() == seeded


# -- modes (item 11) -----------------------------------------------------------------------


def test_side_files_are_never_more_readable_than_the_store(store_path, seeded, cli):
    os.chmod(store_path, 0o600)
    store_path.with_name(store_path.name + ".lock").unlink()
    from newscli.archive.store import encode_record
    with open(store_path, "ab") as handle:  # damage in the middle, for --repair to move aside
        handle.write(b"{damaged\n" + encode_record(plain_article(20).to_record()))
    assert cli("count").exit_code == 0
    assert cli("check", "--repair").exit_code == 0
    with open(store_path, "ab") as handle:
        handle.write(b'{"torn')
    Store(store_path).append([plain_article(21)])  # moves the torn tail aside
    names = sorted(p.name for p in store_path.parent.iterdir())
    assert any(".bad-" in n for n in names) and any(".torn-" in n for n in names)
    assert any(n.endswith(".index.sqlite") for n in names) and any(n.endswith(".lock") for n in names)
    for path in store_path.parent.iterdir():
        assert os.stat(path).st_mode & 0o077 == 0, (path.name, oct(os.stat(path).st_mode))


def test_an_index_made_before_the_store_was_locked_down_follows_it(store_path, seeded, cli):
    assert cli("count").exit_code == 0
    index = store_path.with_name(store_path.name + ".index.sqlite")
    os.chmod(index, 0o644)
    os.chmod(store_path, 0o600)
    assert cli("count").exit_code == 0
    assert os.stat(index).st_mode & 0o777 == 0o600


def test_directories_newscli_creates_are_never_group_or_world_writable(tmp_path):
    import subprocess
    import sys

    from tests.reliability_support import cli_env, write_dump
    dump = write_dump(tmp_path / "one.txt", [plain_article(1)])
    store = tmp_path / "a" / "b" / "c" / "articles.jsonl"
    result = subprocess.run([sys.executable, "-m", "newscli", "ingest", str(dump)], env=cli_env(store),
                            capture_output=True, preexec_fn=lambda: os.umask(0), timeout=60)
    assert result.returncode == 0, result.stderr
    for directory in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "c"):
        assert os.stat(directory).st_mode & 0o022 == 0, (directory, oct(os.stat(directory).st_mode))


# -- temp files a kill leaves (item 8) ------------------------------------------------------


def _temps(directory: Path, name: str) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith(f".{name}."))


def test_a_kill_during_rm_leaves_a_temp_file_check_lists_and_the_next_write_removes(store_path, seeded, cli, tmp_path):
    code, _, _ = _run_forked(store_path, ["rm", "--yes", "--tag", "T1"], die_in_replace=True)
    assert code == -9 and store_path.read_bytes() == seeded
    legacy = store_path.with_name(".articles.jsonl.k3j4h5g6")  # what versions before this one named them
    legacy.write_bytes(b"x" * 1000)
    left = _temps(store_path.parent, store_path.name)
    assert len(left) == 2 and any(".newscli-" in n for n in left), left
    checked = cli("check")
    assert checked.exit_code == 1
    for name in left:
        assert f"{store_path}: {name}: a temp file (" in checked.stdout
    from tests.reliability_support import write_dump
    added = cli("ingest", str(write_dump(tmp_path / "new.txt", [plain_article(30)])))
    assert added.exit_code == 0, added.output
    assert _temps(store_path.parent, store_path.name) == []
    assert added.stderr.count("removed a temp file") == 2
    assert cli("check").exit_code == 0


def test_a_kill_during_check_repair_is_cleaned_by_the_next_repair(store_path, seeded, cli):
    from newscli.archive.store import encode_record
    with open(store_path, "ab") as handle:
        handle.write(b"{damaged\n" + encode_record(plain_article(20).to_record()))
    code, _, _ = _run_forked(store_path, ["check", "--repair"], die_in_replace=True)
    assert code == -9 and len(_temps(store_path.parent, store_path.name)) == 1
    repaired = cli("check", "--repair")
    assert repaired.exit_code == 0, repaired.output
    assert _temps(store_path.parent, store_path.name) == []


def test_a_kill_during_export_o_is_cleaned_by_the_next_export_to_that_file(store_path, seeded, cli, tmp_path):
    out = tmp_path / "out.jsonl"
    code, _, _ = _run_forked(store_path, ["export", "-o", str(out)], die_in_replace=True)
    assert code == -9 and not out.exists()
    assert len(_temps(tmp_path, "out.jsonl")) == 1
    again = cli("export", "-o", str(out))
    assert again.exit_code == 0 and "removed a temp file" in again.stderr
    assert _temps(tmp_path, "out.jsonl") == [] and out.read_bytes() == _jsonl(cli)
