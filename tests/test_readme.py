"""The README's and docs' promises that a test can hold them to."""

from __future__ import annotations

import re

from newscli.model import RECORD_KEYS
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def first_screen_commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", README.split("\n## ")[0])


def test_first_screen_has_the_two_commands():
    install_and_run, install_and_test = first_screen_commands()
    assert "pip install . && newscli ingest seeds/ && newscli list --tag Politik" in install_and_run
    assert install_and_test.endswith("pip install '.[test]' && pytest")


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert first_screen_commands()[1] in ci.splitlines()


def test_every_record_key_is_documented():
    record_doc = (ROOT / "docs" / "record.md").read_text(encoding="utf-8")
    for key in RECORD_KEYS:
        assert f"`{key}`" in record_doc.partition("| --- | --- | --- |")[2], key  # in the table, not just the prose


def test_every_document_the_readme_names_exists():
    named = re.findall(r"\]\((docs/[^)#]+)", README)
    assert len(named) >= 6
    for path in named:
        assert (ROOT / path).is_file(), path
