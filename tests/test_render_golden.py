"""What a person sees, pinned: `show` and `list` on a terminal and in a pipe.

Regenerate with NEWSCLI_UPDATE_GOLDEN=1 after a deliberate change, then review the diff.
"""

from __future__ import annotations

import os

import pytest

from newscli.archive.store import Store
from newscli.dump.parse import parse_bytes
from newscli.model import Article
from tests.conftest import ROOT, SAMPLE, TESTS

GOLDEN = TESTS / "golden" / "render"
UPDATE = os.environ.get("NEWSCLI_UPDATE_GOLDEN") == "1"
TERMINAL = {"FORCE_COLOR": "1", "NO_COLOR": "1", "COLUMNS": "100"}
PIPE: dict[str, str] = {}

CASES = {
    "show_terminal": (["show", "3687", "--no-pager"], TERMINAL),
    "show_pipe": (["show", "3687"], PIPE),
    "show_raw": (["show", "3687", "--raw"], PIPE),
    "list_terminal": (["list"], TERMINAL),
    "list_pipe": (["list"], PIPE),
    "search_pipe": (["search", "Lukashenko"], PIPE),
}


@pytest.fixture
def archive(store_path):
    articles = []
    for path in (SAMPLE, TESTS / "dumps" / "uk.txt"):
        relative = path.relative_to(ROOT).as_posix()
        articles += [a for a in parse_bytes(path.read_bytes(), file=relative) if isinstance(a, Article)]
    Store(store_path).append(articles)


@pytest.mark.parametrize("name", sorted(CASES))
def test_rendering_matches_golden(cli, archive, name):
    args, env = CASES[name]
    result = cli(*args, env=env)
    assert (result.exit_code, result.stderr) == (0, "")
    golden = GOLDEN / f"{name}.txt"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(result.stdout, encoding="utf-8")
    assert golden.exists(), f"no golden for {name}: run with NEWSCLI_UPDATE_GOLDEN=1 and review it"
    assert result.stdout == golden.read_text(encoding="utf-8")
