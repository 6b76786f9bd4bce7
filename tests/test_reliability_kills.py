"""Kills: SIGKILL at random moments of a 1,000-article ingest never leaves a bad line and never
loses more than the write in flight; Ctrl-C and SIGTERM end with 130 / 143, one line, no
torn line.

The SIGKILL runs fork from this process (no interpreter start-up per run), so 100+ runs fit
in seconds; the Ctrl-C / SIGTERM runs use the real `python -m newscli`, since what matters
there is the real signal handling and exit status.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newscli.archive.store import Store
from newscli.errors import ExitCode
from tests.reliability_support import (
    TRACEBACK,
    audit,
    cli_env,
    fork_cli,
    plain_article,
    write_dump,
)

ARTICLES = 1000
BIG = {100, 600, 999}  # ~2 MB bodies: each batch is a multi-MB write
KILLED_RUNS = 100  # runs that really die by SIGKILL (some finish before their kill comes)


@pytest.fixture(scope="session")
def big_dump(tmp_path_factory):
    articles = [plain_article(n, body_bytes=2_100_000 if n in BIG else 0) for n in range(ARTICLES)]
    path = write_dump(tmp_path_factory.mktemp("kills") / "dump.txt", articles)
    return path, [a.id for a in articles]


@pytest.fixture(autouse=True)
def _ctrl_c_reaches_us():
    """These tests send Ctrl-C; a runner started in the background (`cmd &` in a script) may
    hand pytest SIGINT already ignored, which every child would inherit and keep across exec.
    Python's own handler for the test's duration, so the children start with the default."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def _forked_ingest(dump: Path, store: Path, die_in_write: tuple[int, float] | None = None) -> int:
    """Run `newscli ingest dump` in a forked child, output discarded; returns its pid.

    `die_in_write=(n, fraction)`: the child SIGKILLs itself inside its n-th os.write, after
    writing that fraction of the bytes, as a kill landing mid-write does. (Kills at random
    times rarely hit the few milliseconds a write takes; this makes sure torn tails occur.)
    """
    return fork_cli(store, ["ingest", str(dump)],
                    before=(lambda: _die_inside_write(*die_in_write)) if die_in_write else None)


def _die_inside_write(n: int, fraction: float) -> None:
    real_write, calls = os.write, []

    def write(fd, data):
        calls.append(fd)
        if len(calls) == n and len(data) > 1:
            real_write(fd, bytes(data)[: max(1, int(len(data) * fraction))])
            os.kill(os.getpid(), signal.SIGKILL)
        return real_write(fd, data)

    os.write = write


def _full_run_seconds(dump: Path, store: Path) -> float:
    start = time.monotonic()
    _, status = os.waitpid(_forked_ingest(dump, store), 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return time.monotonic() - start


def _listed_count(store: Path) -> int:
    """`list` must work on whatever a kill left (exit 0, no traceback); `count` says how many
    records the queries see."""
    from newscli.cli import whole_app

    app = whole_app()

    env = {"NEWSCLI_STORE": str(store), "NO_COLOR": "1"}
    listed = CliRunner().invoke(app, ["list"], env=env)
    assert listed.exit_code == 0 and TRACEBACK not in listed.output, listed.output
    counted = CliRunner().invoke(app, ["count"], env=env)
    assert counted.exit_code == 0, counted.output
    return int(counted.stdout)


def test_sigkill_at_random_moments_loses_at_most_the_write_in_flight(big_dump, tmp_path):
    dump, order = big_dump
    rng = random.Random(20251125)
    # Two stores killed side by side: two cores, half the wall time.
    stores = [tmp_path / f"kills{n}" / "articles.jsonl" for n in range(2)]
    full = _full_run_seconds(dump, stores[0])
    assert audit(stores[0]).ids == order  # the uninterrupted run, as the reference
    stats = {"killed": 0, "torn tail": 0, "empty": 0, "partial": 0, "complete": 0, "exited before the kill": 0}
    run = 0
    while stats["killed"] < KILLED_RUNS and run < 4 * KILLED_RUNS:
        run += 2
        children = []
        for store in stores:
            if len(audit(store).ids) == ARTICLES:  # nothing left to write: start from nothing
                for leftover in store.parent.iterdir():
                    leftover.unlink()
            if run % 10 < 2:  # a fifth of the runs die inside a write, at a random byte
                die = (rng.choice([1, 2]), rng.random())
                children.append((None, _forked_ingest(dump, store, die)))  # kills itself
            else:
                children.append((rng.uniform(0, full), _forked_ingest(dump, store)))
        started = time.monotonic()
        for kill_at, pid in sorted((c for c in children if c[0] is not None)):
            time.sleep(max(0.0, started + kill_at - time.monotonic()))
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        for _, pid in children:
            _, status = os.waitpid(pid, 0)
            stats["exited before the kill"] += os.WIFEXITED(status)
            stats["killed"] += os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL

        for store in stores:
            found = audit(store)
            stats["torn tail"] += found.torn_bytes > 0
            assert found.bad_lines == [], f"run {run}: a complete line is not a valid record"
            # What is stored is the dump's first k articles, in order, each once: nothing in
            # the middle is lost, nothing doubled; only articles not yet written are missing.
            assert found.ids == order[:len(found.ids)], f"run {run}: stored ids are not a prefix"
            kind = "empty" if not found.ids else "complete" if len(found.ids) == ARTICLES else "partial"
            stats[kind] += 1
            assert _listed_count(store) == len(found.ids), f"run {run}: queries see other records"

    assert stats["killed"] >= KILLED_RUNS
    assert stats["torn tail"] > 0  # the recovery path below really was exercised

    # The next ingest moves any torn tail aside and adds exactly what is missing.
    for store in stores:
        _, status = os.waitpid(_forked_ingest(dump, store), 0)
        assert os.waitstatus_to_exitcode(status) == 0
        final = audit(store)
        assert final.ids == order and final.torn_bytes == 0 and final.bad_lines == []
    print(f"\n{run} runs (uninterrupted run {full:.2f}s): {stats}")


def test_a_torn_tail_left_in_place_would_be_caught(big_dump, tmp_path):
    """Negative control: if the next write did not move a torn tail aside, the audit above
    would see a bad line, so its passing is not an accident of timing."""
    dump, order = big_dump
    store = tmp_path / "neg" / "articles.jsonl"
    Store(store).append([plain_article(n) for n in range(3)])
    data = store.read_bytes()
    store.write_bytes(data[:-40])  # what a SIGKILL in the middle of the last line leaves
    original = Store._set_tail_aside
    Store._set_tail_aside = lambda self, fd: None
    try:
        Store(store).append([plain_article(n) for n in range(3, 5)])
    finally:
        Store._set_tail_aside = original
    assert audit(store).bad_lines == [3]


@pytest.mark.parametrize("signum, code, word", [
    (signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")])
def test_ctrl_c_and_sigterm_end_cleanly_and_never_tear_a_line(big_dump, tmp_path, signum, code, word):
    dump, order = big_dump
    rng = random.Random(signum)
    outcomes = []
    for run in range(6):
        store = tmp_path / f"run{run}" / "articles.jsonl"
        proc = subprocess.Popen([sys.executable, "-m", "newscli", "ingest", str(dump)],
                                env=cli_env(store), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _wait_until_reading(proc.pid, dump)
        time.sleep(rng.uniform(0, 0.3))
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=60)
        lines = err.decode().splitlines()
        found = audit(store)
        assert TRACEBACK not in err.decode()
        assert found.torn_bytes == 0 and found.bad_lines == []
        assert found.ids == order[:len(found.ids)]
        if b" new, " in out:
            # The ingest was done before the signal came (it may land during interpreter
            # shutdown, where Python has put the default handlers back): nothing to interrupt.
            outcomes.append("finished first")
            assert proc.returncode in (0, -signum) and lines == [], err
            continue
        assert proc.returncode == code, err
        assert lines == [f"newscli: {word}"]
        outcomes.append(f"{len(found.ids)} stored")
    assert any(o != "finished first" for o in outcomes), outcomes
    print(f"\n{signal.Signals(signum).name}: {outcomes}")


def _wait_until_reading(pid: int, dump: Path) -> None:
    """Until the CLI has the dump open: past start-up, inside the ingest command."""
    target = str(dump)
    for _ in range(2000):
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
            if any(_readlink(f"/proc/{pid}/fd/{fd}") == target for fd in fds):
                return
        except FileNotFoundError:
            return  # already gone
        time.sleep(0.005)


def _readlink(path: str) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return ""


def _stdout_env(store, buffering: str) -> dict:
    """A user's shell buffers Python's stdout; some CI machines set PYTHONUNBUFFERED. A write
    to a gone reader then fails in different places: inside the command, or at the last flush."""
    env = cli_env(store)
    env.pop("PYTHONUNBUFFERED", None)
    return env if buffering == "buffered" else dict(env, PYTHONUNBUFFERED="1")


@pytest.mark.parametrize("buffering", ["buffered", "unbuffered"])
def test_list_into_head_ends_quietly(tmp_path, buffering):
    """`newscli list | head -1`: the reader leaves early; no BrokenPipeError text, ever."""
    store = tmp_path / "articles.jsonl"
    Store(store).append([plain_article(n, body_bytes=0) for n in range(3000)])
    for command in ("list -n 0", "list -n 0 --format jsonl", "export", "search Paragraph -n 0"):
        shell = f"{sys.executable} -m newscli {command} | head -1"
        result = subprocess.run(["sh", "-c", shell], env=_stdout_env(store, buffering),
                                capture_output=True, timeout=60)
        assert result.stderr == b"", (command, result.stderr)
        assert len(result.stdout.splitlines()) == 1, command


@pytest.mark.parametrize("buffering", ["buffered", "unbuffered"])
def test_a_closed_stdout_is_not_a_traceback_either(tmp_path, buffering):
    """Control for the test above: the reader is gone before newscli even starts writing, so
    short output fits in the buffer and meets the closed pipe only when it is flushed."""
    store = tmp_path / "articles.jsonl"
    Store(store).append([plain_article(n) for n in range(50)])
    for command in (["list", "-n", "0"], ["list", "-n", "3"], ["count"], ["tags"]):
        proc = subprocess.Popen([sys.executable, "-m", "newscli", *command],
                                env=_stdout_env(store, buffering),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        proc.stdout.close()  # like `head` exiting at once
        _, err = proc.communicate(timeout=60)
        assert err == b"", (command, err)
        assert proc.returncode == ExitCode.BROKEN_PIPE, command


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("buffering", ["buffered", "unbuffered"])
def test_output_to_a_full_disk_is_one_line(tmp_path, buffering):
    """`newscli count > file` on a full disk: short output fails only at the last flush."""
    store = tmp_path / "articles.jsonl"
    Store(store).append([plain_article(n) for n in range(50)])
    for command in (["count"], ["list", "-n", "3"], ["--help"]):
        with open("/dev/full", "wb") as full:
            proc = subprocess.run([sys.executable, "-m", "newscli", *command], stdout=full,
                                  stderr=subprocess.PIPE, env=_stdout_env(store, buffering), timeout=60)
        lines = proc.stderr.decode().splitlines()
        assert len(lines) == 1 and "no space left on device" in lines[0], (command, lines)
        assert proc.returncode == ExitCode.FAILURE, command


def test_an_unexpected_exception_is_one_line_unless_debugging(tmp_path):
    """A bug shows as one line and exit 1; NEWSCLI_DEBUG=1 shows the traceback instead."""
    store = tmp_path / "articles.jsonl"
    Store(store).append([plain_article(1)])
    code = ("import sys, newscli.index.questions as c; from newscli.cli import main\n"
            "def boom(*a, **k): raise ZeroDivisionError('simulated bug')\n"
            "c.select = boom; sys.argv = ['newscli', 'list']; main()")
    plain = subprocess.run([sys.executable, "-c", code], env=cli_env(store), capture_output=True, timeout=60)
    lines = plain.stderr.decode().splitlines()
    assert plain.returncode == 1 and len(lines) == 1, plain.stderr
    assert "internal error: ZeroDivisionError: simulated bug" in lines[0] and "NEWSCLI_DEBUG=1" in lines[0]
    debug = subprocess.run([sys.executable, "-c", code], env=cli_env(store, NEWSCLI_DEBUG="1"),
                           capture_output=True, timeout=60)
    assert debug.returncode == 1 and TRACEBACK in debug.stderr.decode()


@pytest.mark.parametrize("deferred", [True, False], ids=["deferred", "negative-control"])
def test_ctrl_c_in_the_middle_of_a_write_waits_until_the_line_is_whole(tmp_path, monkeypatch, deferred):
    """SIGINT arriving between two os.write calls of one record, with another thread alive (as
    when a parsing pool runs): the record still lands whole, then Ctrl-C takes effect. With the
    deferral switched off, the same interrupt cuts the write, which is then rolled back."""
    import contextlib
    import threading

    from newscli.archive import files

    if not deferred:
        monkeypatch.setattr(files, "signals_deferred", contextlib.nullcontext)
    store = tmp_path / "articles.jsonl"
    Store(store).append([plain_article(1)])
    real_write, calls = os.write, []

    def write_half_then_get_interrupted(fd, data):
        calls.append(len(data))
        if len(calls) == 1:
            written = real_write(fd, bytes(data)[: len(data) // 2])
            os.kill(os.getpid(), signal.SIGINT)
            return written
        return real_write(fd, data)

    helper = threading.Thread(target=time.sleep, args=(2,), daemon=True)
    helper.start()
    monkeypatch.setattr(os, "write", write_half_then_get_interrupted)
    with pytest.raises(KeyboardInterrupt):
        Store(store).append([plain_article(2)])
    monkeypatch.undo()
    found = audit(store)
    assert found.torn_bytes == 0 and found.bad_lines == []
    assert len(found.ids) == (2 if deferred else 1)
