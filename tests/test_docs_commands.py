"""Every command line the README and docs/ show names a real command, and every option it
names is one that command accepts (issue 21): the reference cannot drift from the program."""

from __future__ import annotations

import re
import shlex

import pytest
import typer

from newscli.cli.app import whole_app
from tests.conftest import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def shown_commands() -> list[tuple[str, str]]:
    """(document, command line) for each `newscli ...` in code: code blocks line by line and
    inline code, split at pipes, `&&`, `||` and `;`, comments dropped."""
    found = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        pieces = [line for block in re.findall(r"```[a-z]*\n(.*?)```", text, re.S) for line in block.splitlines()]
        pieces += re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", "", text, flags=re.S))
        for piece in pieces:
            piece = re.split(r"\s#\s", piece)[0].lstrip("$ ")
            for part in re.split(r"\s*(?:&&|\|\||;|\\?\|)\s*", piece):
                part = part.strip().strip("()")
                if part.startswith("newscli ") and len(part.split()) > 1:
                    found.append((path.name, part))
    return found


def _options(command) -> set[str]:
    names = {"-h", "--help"}
    for param in command.params:
        names.update(getattr(param, "opts", ()))
        names.update(getattr(param, "secondary_opts", ()))
    return names


GROUP = typer.main.get_command(whole_app())
GLOBAL = _options(GROUP) | {"--install-completion", "--show-completion"}


def test_the_documents_show_commands():
    assert len(shown_commands()) >= 40


@pytest.mark.parametrize("document, line", shown_commands())
def test_every_shown_command_and_option_exists(document, line):
    try:
        words = shlex.split(line, comments=False)
    except ValueError:  # an unbalanced quote cut by a line end: the words before it
        words = line.split()
    words = words[1:]
    while words and words[0] in GLOBAL:
        words = words[2:] if words[0] == "--store" else words[1:]
    if not words or words[0].startswith("-"):
        return
    name = words[0]
    if name in ("...", "COMMAND", "<command>") or not re.fullmatch(r"[a-z][a-z-]*", name):
        return
    assert name in GROUP.commands, f"{document}: `{line}` names no command '{name}'"
    accepted = _options(GROUP.commands[name]) | GLOBAL
    if name == "saved" and words[1:2] == ["add"]:  # after its name, a saved search's filter options
        accepted |= _options(GROUP.commands["count"])
    for word in words[1:]:
        if word == "--":
            break
        option = word.split("=", 1)[0]
        if re.fullmatch(r"--[A-Za-z][\w-]*|-[A-Za-z]", option):  # not `-todo`: tag's -LABEL argument
            assert option in accepted, f"{document}: `{line}`: {name} has no option {option}"
