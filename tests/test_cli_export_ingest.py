"""`export` refuses to pour articles onto a terminal, writes csv for Excel on request, and
`ingest DIR` says what it skipped and reads what --glob names (issue 21)."""

from __future__ import annotations

import csv
import io

import pytest

from newscli.archive.store import Store
from tests.conftest import SAMPLE
from tests.factories import make_article
from tests.pty_support import run_on_pty

TERMINAL = {"FORCE_COLOR": "1", "NO_COLOR": "1", "COLUMNS": "80"}


@pytest.fixture
def three(store_path):
    Store(store_path).append([
        make_article(1, title="Économie: «prix» en hausse", source="Le Monde", tags=("Économie",)),
        make_article(2, title="Уряд ухвалив бюджет", source="Dzerkalo Tyzhnia", body="Рядок один.\n\nРядок два."),
        make_article(3, title="Plain, with a comma", source="Kyiv Post")])


def test_export_refuses_a_terminal_without_force(cli, three, store_path, tmp_path):
    env = {"NEWSCLI_STORE": str(store_path)}
    code, shown = run_on_pty(["export"], env)
    assert (code, shown) == (1, "newscli: refusing to write 3 articles to a terminal;"
                                " use -o FILE or a pipe (or --force)\n")
    code, shown = run_on_pty(["export", "--source", "le monde"], env)
    assert "refusing to write 1 article to a terminal" in shown
    code, shown = run_on_pty(["export", "--force"], env)
    assert code == 0 and len(shown.splitlines()) == 3
    code, _ = run_on_pty(["export", "-o", str(tmp_path / "x.jsonl")], env)
    assert code == 0 and len((tmp_path / "x.jsonl").read_text().splitlines()) == 3
    assert len(cli("export").stdout.splitlines()) == 3  # a pipe: as always
    assert len(cli("export", env=TERMINAL).stdout.splitlines()) == 3  # FORCE_COLOR styles, a pipe stays a pipe


def test_export_csv_for_excel(cli, three, tmp_path):
    out = tmp_path / "x.csv"
    done = cli("export", "-f", "csv", "--excel", "--fields", "title,body", "-o", str(out))
    assert done.exit_code == 0, done.stderr
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbftitle,body\r\n")
    assert data.count(b"\r\n") == 4  # header and three rows; newlines inside a cell stay as written
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["title", "body"] and rows[2] == ["Уряд ухвалив бюджет", "Рядок один.\n\nРядок два."]
    piped = cli("export", "-f", "csv", "--excel", "--fields", "title")
    assert piped.stdout_bytes.startswith(b"\xef\xbb\xbftitle\r\n")  # .stdout would fold CRLF
    plain = cli("export", "-f", "csv", "--fields", "title").stdout_bytes
    assert plain.startswith(b"title\n") and b"\r" not in plain
    wrong = cli("export", "-f", "jsonl", "--excel")
    assert (wrong.exit_code, wrong.stderr) == (2, "newscli: --excel is for --format csv\n")


def test_ingest_dir_says_what_it_skipped_and_takes_glob(cli, tmp_path):
    top = tmp_path / "dumps"
    (top / "sub").mkdir(parents=True)
    (top / "a.txt").write_bytes(SAMPLE.read_bytes())
    (top / "notes.md").write_text("not a dump\n")
    (top / "sub" / "b.dump").write_text(SAMPLE.read_text(encoding="utf-8").replace("Chas Pravdy", "Kyiv Post"),
                                        encoding="utf-8")
    done = cli("ingest", str(top))
    assert (done.exit_code, done.stdout) == (0, "1 new, 0 duplicates, 0 failed\n")
    assert done.stderr == f"{top}: warning: skipped 2 files not matching *.txt (--glob PATTERN reads others)\n"
    dumps = cli("ingest", str(top), "--glob", "*.DUMP")
    assert (dumps.exit_code, dumps.stdout) == (0, "1 new, 0 duplicates, 0 failed\n")
    assert "skipped 2 files not matching *.DUMP" in dumps.stderr
    both = cli("ingest", str(top), "--glob", "*")
    assert both.stdout == "0 new, 2 duplicates, 1 failed\n"  # notes.md is read, and refused
    assert "notes.md" in both.stderr and "skipped" not in both.stderr
    none = cli("ingest", str(top), "--glob", "*.xml")
    assert none.exit_code == 1 and f"{top}: no files matching *.xml in this directory" in none.stderr
