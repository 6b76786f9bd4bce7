"""Label changes keep the store's promises (issue 24): a SIGKILL at any moment leaves each
change applied or not, never half; changes made at the same time all land.

Like the store's kill tests, the runs fork from this process, and some kill themselves inside
their own write of the change, so torn lines really occur.
"""

from __future__ import annotations

import json
import os
import random
import signal
import time

from newscli.archive.labels import labels_path
from newscli.archive.store import Store
from tests.reliability_support import fork_cli, plain_article

ARTICLES = 2000


def _store(tmp_path):
    store = tmp_path / "a.jsonl"
    articles = [plain_article(n) for n in range(ARTICLES)]
    Store(store).append(articles)
    assert os.waitstatus_to_exitcode(os.waitpid(fork_cli(store, ["count"]), 0)[1]) == 0  # index built
    return store, [a.id for a in articles]


def _die_inside_write(fraction: float):
    def arrange() -> None:
        real_write = os.write

        def write(fd, data):
            if b'"add"' in bytes(data[:40]):  # the label change's own line
                real_write(fd, bytes(data)[: max(1, int(len(data) * fraction))])
                os.kill(os.getpid(), signal.SIGKILL)
            return real_write(fd, data)

        os.write = write
    return arrange


def _labelled(store, label: str) -> set[str]:
    read, write = os.pipe()
    pid = fork_cli(store, ["list", "--label", label, "-n", "0", "--fields", "id"], out=write)
    os.close(write)
    with os.fdopen(read) as f:
        ids = set(f.read().split())
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    return ids


def test_sigkill_at_any_moment_leaves_a_label_change_whole_or_absent(tmp_path):
    store, ids = _store(tmp_path)
    rng = random.Random(24)
    applied, killed = {}, 0
    for run in range(30):
        label, chosen = f"run{run}", rng.sample(ids, rng.randint(1, 600))
        if run % 3 == 0:  # dies inside its own write
            pid = fork_cli(store, ["tag", f"+{label}", *chosen], before=_die_inside_write(rng.random()))
        else:  # dies whenever the kill comes
            pid = fork_cli(store, ["tag", f"+{label}", *chosen])
            time.sleep(rng.uniform(0, 0.4))
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        killed += os.WIFSIGNALED(status)
        applied[label] = set(chosen)
    assert killed >= 10
    for label, chosen in applied.items():
        assert _labelled(store, label) in (set(), chosen), label  # all of its articles, or none
    # the log holds whole changes, and at most a torn end that the next change cuts off
    pid = fork_cli(store, ["tag", "+after", ids[0]])
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    for line in labels_path(store).read_bytes().splitlines():
        assert json.loads(line)["ids"]
    assert _labelled(store, "after") == {ids[0]}


def test_label_changes_made_at_the_same_time_all_land(tmp_path):
    store, ids = _store(tmp_path)
    pids = [fork_cli(store, ["tag", f"+together{n}", *ids[n * 100:(n + 1) * 100]]) for n in range(8)]
    for pid in pids:
        assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    for n in range(8):
        assert _labelled(store, f"together{n}") == set(ids[n * 100:(n + 1) * 100])
    assert len(labels_path(store).read_bytes().splitlines()) == 8
