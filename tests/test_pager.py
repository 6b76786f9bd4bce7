"""`show` in the pager on a real terminal (a pty): bold titles never arrive as `ESC[1m` text,
whatever $LESS holds (issue 21)."""

from __future__ import annotations

import pytest

from newscli.archive.store import Store
from tests.factories import make_article
from tests.pty_support import run_on_pty


def _show_in_pty(store_path, article_id: str, env: dict) -> None:
    code, _ = run_on_pty(["show", article_id], {"NEWSCLI_STORE": str(store_path), **env})
    assert code == 0


@pytest.fixture
def long_article(store_path):
    article = make_article(1, title="Budget vote", body="\n\n".join(f"Paragraph {n}." for n in range(40)))
    Store(store_path).append([article])
    return article.id


@pytest.mark.parametrize("less, expected", [
    (None, "FRX"), ("-i", "-i -R"), ("-iMR", "-iMR"), ("--RAW-CONTROL-CHARS", "--RAW-CONTROL-CHARS"),
])
def test_less_always_gets_r_so_styles_render(store_path, long_article, tmp_path, less, expected):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_less = bin_dir / "less"
    fake_less.write_text(f'#!/bin/sh\nprintf %s "$LESS" > {tmp_path}/less-env\ncat > {tmp_path}/paged\n')
    fake_less.chmod(0o755)
    _show_in_pty(store_path, long_article, {"PAGER": str(fake_less), "LESS": less})
    assert (tmp_path / "less-env").read_text() == expected
    paged = (tmp_path / "paged").read_text()
    assert "\x1b[1mBudget vote" in paged and "Paragraph 39." in paged  # styled, for less -R to show


def test_another_pager_gets_the_text_unstyled(store_path, long_article, tmp_path):
    paged = tmp_path / "paged"
    _show_in_pty(store_path, long_article, {"PAGER": f"cat > {paged}", "LESS": "-i"})
    text = paged.read_text()
    assert text.startswith("Budget vote\n") and "Paragraph 39." in text and "\x1b" not in text
