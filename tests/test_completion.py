"""Shell completion through the program, as bash and zsh ask for it (issue 21): values with
spaces arrive quoted, and --by, --format, --sort, --lang and --fields complete their words."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from newscli.archive.store import Store
from newscli.cli.app import app_for
from newscli.output.formats import EXPORT_FORMATS
from tests.factories import make_article


@pytest.fixture
def names(store_path):
    Store(store_path).append([
        make_article(1, source="Kyiv Independent", lang="en", tags=("Politik", "EU")),
        make_article(2, source="Kyiv Post", lang="uk", tags=("Politik",)),
        make_article(3, source="Chas Pravdy", lang="de", tags=("Wirtschaft",)),
        make_article(4, source="Chas Pravdy", lang="de", tags=("Politik",))])
    return store_path


def bash(store_path, line: str) -> list[str]:
    env = {"_NEWSCLI_COMPLETE": "complete_bash", "COMP_WORDS": line,
           "COMP_CWORD": str(len(line.split(" ")) - 1), "NEWSCLI_STORE": str(store_path)}
    done = CliRunner().invoke(app_for([]), [], env=env, prog_name="newscli")
    assert done.exit_code == 0, done.stderr
    return done.stdout.splitlines()


@pytest.mark.parametrize("line, expected", [
    ("newscli list --source K", ["'Kyiv Independent'", "'Kyiv Post'"]),
    ("newscli list --source Kyiv", ["'Kyiv Independent'", "'Kyiv Post'"]),
    ("newscli list --source ch", ["'chas pravdy'"]),  # as typed on, like tags: filters ignore case
    ("newscli rm --source C", ["'Chas Pravdy'"]),
    ("newscli list --tag P", ["Politik"]),
    ("newscli list --tag #", ["'#Politik'", "'#EU'", "'#Wirtschaft'"]),  # '#' would start a comment
])
def test_bash_gets_values_quoted_as_one_word(names, line, expected):
    assert bash(names, line) == expected


@pytest.mark.parametrize("line, expected", [
    ("newscli stats --by w", ["week"]),
    ("newscli stats --by ", ["month", "day", "week", "year", "source", "tag", "lang"]),
    ("newscli list --format j", ["json", "jsonl"]),
    ("newscli export -f ", list(EXPORT_FORMATS)),
    ("newscli list --sort ", ["published", "ingested", "title"]),
    ("newscli search x --sort r", ["relevance"]),
    ("newscli list --lang ", ["de", "en", "uk"]),
    ("newscli count --lang u", ["uk"]),
    ("newscli list --fields id,ti", ["id,title"]),
    ("newscli list --fields id,title,t", ["id,title,tags"]),
    ("newscli search x --fields sn", ["snippet"]),
    ("newscli tags --fields ", ["tag", "count"]),
    ("newscli stats --by week --fields ", ["week", "count"]),
])
def test_option_values_complete(names, line, expected):
    assert bash(names, line) == expected


def test_zsh_and_fish_quote_for_themselves(names):
    runner = CliRunner()
    for shell in ("zsh", "fish"):
        env = {"_NEWSCLI_COMPLETE": f"complete_{shell}", "_TYPER_COMPLETE_ARGS": "newscli list --source K",
               "_TYPER_COMPLETE_FISH_ACTION": "get-args", "NEWSCLI_STORE": str(names)}
        out = runner.invoke(app_for([]), [], env=env, prog_name="newscli").stdout
        assert "Kyiv Independent" in out and "'Kyiv Independent'" not in out, (shell, out)
