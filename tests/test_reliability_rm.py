"""`rm` killed at each step of its in-place update (issue 21): the store is the old file or the
new one, whole, and the index answers for the store that is there (rebuilt if it must be,
never wrong)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from newscli.archive.store import Store
from newscli.index.sync import index_path, open_index
from tests.reliability_support import audit, cli_env, plain_article
from tests.test_rm_in_place import index_content

ROOT = Path(__file__).resolve().parent.parent

# Each patch makes the process die (SIGKILL: no cleanup, no finally) at one step of `rm`.
KILL_AT = {
    "before the rename": "import newscli.archive.files as m; real = m.os.replace\n"
                         "m.os.replace = lambda *a: die()",
    "after the rename": "import newscli.jobs.remove as m; m.prune = lambda *a: die()",
    "in the index transaction": "import newscli.index.prune as m; real = m._record_cuts\n"
                                "m._record_cuts = lambda *a: (real(*a), die())",  # rows deleted
    "after the index commit": "import newscli.jobs.remove as m; real = m.prune\n"
                              "m.prune = lambda *a: (real(*a), die())",
}

RUN = """
import os, signal, sys
def die():
    os.kill(os.getpid(), signal.SIGKILL)
{patch}
from newscli.cli.app import main
sys.argv = ["newscli", "rm", "--yes", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize("moment", sorted(KILL_AT))
def test_rm_killed_at_each_step_leaves_store_and_index_consistent(tmp_path, moment):
    store = tmp_path / "store" / "articles.jsonl"
    Store(store).append([plain_article(n) for n in range(12)])
    open_index(store).close()
    before = store.read_bytes()
    doomed = [plain_article(n).id for n in (0, 5, 11)]  # first, middle and last line
    proc = subprocess.run([sys.executable, "-c", RUN.format(patch=KILL_AT[moment]), *doomed],
                          cwd=ROOT, env=cli_env(store), capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()

    found = audit(store)
    assert found.bad_lines == [] and found.torn_bytes == 0
    if moment == "before the rename":
        assert store.read_bytes() == before
    else:
        assert sorted(found.ids) == sorted(plain_article(n).id for n in range(12) if n not in (0, 5, 11))
    answered = index_content(store)  # through the index as it was left (synced, as any command does)
    assert sorted(r for r in answered["records"]) == sorted(found.ids)
    os.unlink(index_path(store))
    assert answered == index_content(store)  # what a rebuild from the store gives
