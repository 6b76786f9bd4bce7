"""`list` and `search` on a terminal: one line per article at any width, no word broken,
and a note on stderr when -n left articles out (issue 21)."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from newscli.archive.store import Store
from tests.factories import make_article

TITLES = [
    "Bundesregierung beschließt Entlastungspaket für mittelständische Unternehmen nach langen Verhandlungen",
    "Верховна Рада ухвалила закон про реформу місцевого самоврядування у другому читанні",
    "Short one",
    "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherungsanstalt",
    "Le gouvernement présente un budget rectificatif avant l'été",
]


def terminal(columns: int) -> dict:
    return {"FORCE_COLOR": "1", "NO_COLOR": "1", "COLUMNS": str(columns)}


@pytest.fixture
def titled(store_path):
    Store(store_path).append([
        make_article(n, title=title, source="Kyiv Independent" if n % 2 else "Chas Pravdy",
                     tags=("Politik", "Wirtschaft"), body=f"Lukashenko met officials in Minsk. Item {n}.")
        for n, title in enumerate(TITLES)])


def title_part(line: str, title: str) -> str:
    return line[line.index(title[:8]):]


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_one_line_per_article_and_no_word_broken(cli, titled, columns):
    shown = cli("list", env=terminal(columns))
    assert shown.exit_code == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert len(lines) == 1 + len(TITLES)  # a header, then one line each
    assert lines[0].split()[:3] == ["ID", "Published", "Source"]
    for line in lines:
        assert cell_len(line) <= columns, line
    for line in lines[1:]:
        title = next(t for t in TITLES if t[:8] in line)
        part = title_part(line, title)
        if part != title:  # cut: whole words of the title, then the ellipsis
            assert part.endswith("…"), part
            kept = part[:-1].split()
            if len(title.split()) > 1:
                assert kept == title.split()[:len(kept)], part
    assert shown.stderr == ""  # 5 articles, the limit is 20: nothing was left out


def test_dates_on_a_terminal_read_as_minutes(cli, titled):
    lines = cli("list", env=terminal(100)).stdout.splitlines()
    assert "2025-08-05 04:00" in lines[1] and "T04:00:00" not in lines[1]
    assert "2025-08-05" in cli("list", env=terminal(60)).stdout  # narrow: the day only


@pytest.mark.parametrize("columns", [60, 120])
def test_wrap_keeps_every_word_and_breaks_none(cli, titled, columns):
    shown = cli("list", "--wrap", env=terminal(columns)).stdout
    for title in TITLES[:2]:
        words = title.split()
        found = [w for w in shown.split() if w in words]
        assert found[:len(words)] == words[:len(found)] and all(w in shown.split() for w in words)
    assert "…" not in shown.partition("Bundesregierung")[2]


def test_a_note_on_stderr_when_the_limit_cut_the_result(cli, store_path):
    Store(store_path).append([make_article(n, title=f"Budget item {n}") for n in range(1203)])
    cut = cli("list", "-n", "3", env=terminal(80))
    assert len(cut.stdout.splitlines()) == 4
    assert cut.stderr == "3 of 1,203 — -n 0 for all\n"
    page = cli("list", "-n", "3", "--offset", "3", env=terminal(80))
    assert page.stderr == "4-6 of 1,203 — -n 0 for all\n"
    assert cli("list", "-n", "3").stderr == ""  # piped: the rows alone, as scripts expect
    assert cli("list", "-n", "3", "--json", env=terminal(80)).stderr == ""
    assert cli("list", "-n", "0", env=terminal(80)).stderr == ""
    hits = cli("search", "budget", "-n", "2", env=terminal(80))
    assert hits.stderr == "2 of 1,203 — -n 0 for all\n"


def test_search_hits_one_line_and_a_snippet_line(cli, titled):
    shown = cli("search", "lukashenko", env=terminal(60))
    lines = shown.stdout.splitlines()
    assert len(lines) == 1 + 2 * len(TITLES)
    assert all(cell_len(line) <= 60 for line in lines)
    assert all(line.startswith("    ") and "Lukashenko" in line for line in lines[2::2])


@pytest.mark.parametrize("args", [
    ["search", "lukashenko", "minsk"],
    ["search", "lukashenko", "minsk", "-n", "5"],
    ["search", "-n", "5", "lukashenko", "minsk"],
    ["search", "nowhere", "OR", "lukashenko"],
    ["search", "nowhere OR lukashenko"],
])
def test_every_word_after_search_is_the_query(cli, titled, args):
    found = cli(*args)
    assert found.exit_code == 0, found.stderr
    assert len(found.stdout.splitlines()) == len(TITLES)


def test_search_words_still_all_must_match(cli, titled):
    assert cli("search", "lukashenko", "paris").stdout == ""
    assert len(cli("search", "short", "OR", "kapitän*").stdout.splitlines()) == 1
