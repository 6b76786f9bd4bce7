"""Help pages and usage errors as a new user meets them (issue 21): examples that run, whole
command summaries, words for placeholders, and one-line usage errors in plain words."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys

import pytest

from newscli.cli.app import COMMAND_MODULES
from tests.conftest import SAMPLE, SEEDS


def helps(cli) -> dict[str, str]:
    return {name: cli(name, "--help").stdout for name in COMMAND_MODULES}


def test_every_help_example_runs_on_the_bundled_sample(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "seeds").symlink_to(SEEDS)
    assert cli("ingest", str(SAMPLE)).exit_code == 0
    examples = {name: re.findall(r"Example: (.+)", text) for name, text in helps(cli).items()}
    assert all(examples.values()), [name for name, found in examples.items() if not found]
    for name, lines in examples.items():
        for line in lines:
            for part in re.split(r"\s*(?:\|\||&&|\|)\s*", line):
                words = shlex.split(part)
                assert words[0] == "newscli", line
                done = cli(*words[1:])
                assert done.exit_code == 0, f"{part}: {done.stderr}"
                assert done.stdout or done.stderr or name in ("rm", "reindex", "export", "check"), part


def test_top_help_gives_every_summary_whole_on_one_line(cli):
    # The program itself: CliRunner forces click's help to 80 columns.
    env = {**os.environ, "COLUMNS": "200"}
    text = subprocess.run([sys.executable, "-m", "newscli", "--help"], env=env, capture_output=True,
                          text=True, check=True).stdout
    rows = dict(re.findall(r"^  ([a-z]+)\s{2,}(.+)$", text.partition("Commands:")[2], re.M))
    assert set(rows) == set(COMMAND_MODULES)
    for summary in rows.values():
        assert not summary.endswith("...") and summary.endswith((".", ")")), summary
    assert rows["check"].startswith("Verify the store") and rows["check"].endswith("the index in step.")
    narrow = cli("--help", env={"COLUMNS": "60"}).stdout
    assert "..." not in narrow.partition("Commands:")[2]


def test_placeholders_are_words_not_python_types(cli):
    for name, text in helps(cli).items():
        assert not re.search(r"<(str|int|list|bool|path)", text), (name, text)
        assert "{" not in text.partition("\n")[0], (name, text)  # usage line: ID, not {ID}
    pages = helps(cli)
    assert pages["show"].startswith("Usage: newscli show [OPTIONS] ID\n")
    assert pages["ingest"].startswith("Usage: newscli ingest [OPTIONS] PATH...\n")
    assert pages["rm"].startswith("Usage: newscli rm [OPTIONS] [ID...]\n")
    assert pages["search"].startswith("Usage: newscli search [OPTIONS] QUERY...\n")
    assert "-n, --limit N" in pages["list"] and "-s, --source NAME" in pages["list"]


@pytest.mark.parametrize("command, fields", [
    ("tags", "tag, count"), ("sources", "source, count"), ("stats", "month (or the --by unit), count"),
])
def test_fields_help_lists_the_commands_own_fields(cli, command, fields):
    text = " ".join(cli(command, "--help").stdout.split())
    assert f"--fields A,B Only these fields, in this order, from: {fields}." in text


def test_global_options_work_after_the_command(cli, tmp_path):
    other = tmp_path / "other.jsonl"
    assert cli("--store", str(other), "ingest", str(SAMPLE)).exit_code == 0
    for args in (["list", "--store", str(other)], ["list", f"--store={other}", "-n", "5"],
                 ["count", "--store", str(other)]):
        done = cli(*args)
        assert done.exit_code == 0 and done.stdout.startswith(("3687", "1")), (args, done.stderr)
    assert cli("count").stdout == "0\n"  # the fixture's own store is untouched
    assert cli("search", "--", "--store").exit_code == 2  # after '--' it is a word, not an option


@pytest.mark.parametrize("args, message", [
    (["list", "-n", "abc"], "newscli: -n expects a whole number, got 'abc'"),
    (["list", "--limit", "2.5"], "newscli: --limit expects a whole number, got '2.5'"),
    (["list", "--limit=x"], "newscli: --limit expects a whole number, got 'x'"),
    (["search", "a", "--offset", "ten"], "newscli: --offset expects a whole number, got 'ten'"),
    (["show", "zzzz"], "newscli: 'zzzz' is not an id (ids are hex digits)"),
    (["show", "36"], "newscli: '36' is too short for an id: give at least 4 of its hex digits"),
    (["import", "x.txt"], "newscli: no command 'import': did you mean 'newscli ingest'? (see 'newscli -h')"),
    (["lst"], "newscli: no such command 'lst'. Did you mean 'list'? (see 'newscli -h')"),
    (["list", "--bogus"], "newscli: no such option: --bogus (see 'newscli list -h')"),
    (["show"], "newscli: missing argument 'ID' (see 'newscli show -h')"),
    (["list", "--store"], "newscli: --store is a global option: newscli --store PATH list"),
])
def test_usage_errors_are_one_line_in_plain_words(cli, args, message):
    done = cli(*args)
    assert (done.exit_code, done.stdout, done.stderr) == (2, "", message + "\n")
