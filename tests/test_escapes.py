"""Escape sequences in article text never reach the terminal raw: CSI, OSC (title, clipboard,
hyperlink), C1 controls, bidi overrides and rich markup, in title, body, source and tags,
through every query command. With colour forced on, the only escape sequences in the output
are newscli's own SGR styling; piped or with NO_COLOR there is no ESC byte at all."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from newscli.archive.store import Store
from newscli.cli import whole_app
from tests.factories import make_article

app = whole_app()

HOSTILE = {
    "CSI clear screen": "\x1b[2J\x1b[H",
    "CSI colour": "\x1b[31mred",
    "OSC title": "\x1b]0;owned\x07",
    "OSC clipboard": "\x1b]52;c;ZWNobyBwd25lZA==\x07",
    "OSC hyperlink": "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
    "C1 CSI": "\x9b31m",
    "C1 OSC": "\x9d0;title\x9c",
    "bell and backspace": "\x07\x08\x08",
    "bidi override": "\u202egnp.exe\u202c",
    "bidi isolate": "\u2066x\u2069",
    "rich link markup": "[link=https://evil.example]click[/link]",
    "rich close markup": "[/] [bold]b[/bold]",
}
PAYLOAD = " ".join(HOSTILE.values())
RAW_FORBIDDEN = ["\x07", "\x08", "\x9b", "\x9d", "\x9c", "\u202e", "\u202c", "\u2066", "\u2069"]  # (ESC itself is checked on its own)
SGR = re.compile(r"\x1b\[[0-9;]*m")  # styling newscli itself emits on a colour terminal


@pytest.fixture
def hostile_store(store_path):
    article = make_article(
        1, title=f"Title {PAYLOAD}", body=f"Body {PAYLOAD}\n\nSecond {PAYLOAD}",
        source=f"Source {PAYLOAD}", tags=(f"tag{PAYLOAD}", "Plain"),
        raw=f"Title {PAYLOAD}\n\nSource - 15 August 2025 18:52\n\n{PAYLOAD}",
    )
    copy = make_article(  # the same story under another source: `dups` prints both
        2, title=f"Title {PAYLOAD}", body=f"Body {PAYLOAD}\n\nSecond {PAYLOAD}",
        source=f"Copy {PAYLOAD}", tags=("Plain",))
    Store(store_path).append([article, copy])
    from newscli.archive.aliases import define
    define(store_path, "tag", [f"tag{PAYLOAD}", "Plain"])  # names from articles, shown by `alias`
    from newscli.archive.saved import add
    add(store_path, "hostile", ["--tag", f"tag{PAYLOAD}"])  # options as typed, shown by `saved`
    return store_path, article.id


def _commands(article_id: str) -> list[list[str]]:
    commands = [
        ["list"], ["list", "--json"], ["list", "-f", "csv"], ["list", "-f", "tsv"], ["list", "-f", "jsonl"],
        ["list", "--fields", "id,title,source,tags,body"],
        ["show", article_id], ["show", "--raw", article_id], ["show", "--json", article_id],
        ["search", "Body"], ["search", "Body", "--json"],
        ["count"], ["tags"], ["sources"], ["stats"], ["stats", "--by", "source"], ["stats", "--by", "tag"],
        ["info"], ["info", "--json"],
        ["trend"], ["trend", "-q", "Body"], ["trend", f"Label {PAYLOAD}=Body", "-f", "csv"],
        ["trend", f"Label {PAYLOAD}=Body", "--json"], ["trend", f"Label {PAYLOAD}=Body"],
        ["words"], ["words", "--json"], ["words", "-f", "csv"], ["words", "--ngrams", "2"],
        ["words", "-q", "Body", "--vs", f"Second {PAYLOAD}"],
        # --force: on a (forced) terminal export refuses without it; with it, still inert
        ["export", "--force"], ["export", "-f", "csv", "--force"], ["export", "-f", "md", "--force"],
        ["export", "-f", "dump", "--force"],
        ["check"], ["tag", "--list", article_id], ["tags", "--similar"], ["alias"], ["config", "show"],
        ["saved"], ["saved", "--json"],
        ["dups"], ["dups", "--json"], ["dups", "-f", "csv"], ["dups", "-f", "tsv"],
        ["list", "--collapse"], ["list", "--collapse", "-f", "csv"], ["sources", "--collapse"],
    ]
    known = set(app.registered_commands and [c.name for c in app.registered_commands])
    return [c for c in commands if c[0] in known]


def _run(store_path, args, env):
    full = {"NEWSCLI_STORE": str(store_path), "COLUMNS": "100", **env}
    return CliRunner().invoke(app, args, env=full)


def test_every_query_command_is_covered():
    names = {c.name for c in app.registered_commands}
    covered = {c[0] for c in _commands("x")}
    # ingest, rm and reindex print no article text but counts and ids; everything else is here.
    assert names - covered <= {"ingest", "rm", "reindex", "completion"}, names - covered


@pytest.mark.parametrize("env", [{"FORCE_COLOR": "1"}, {"FORCE_COLOR": "1", "TTY_COMPATIBLE": "1"}],
                         ids=["force-colour", "tty-compatible"])
def test_colour_forced_on_shows_no_raw_sequence(hostile_store, env):
    store_path, article_id = hostile_store
    for args in _commands(article_id):
        result = _run(store_path, args, env)
        assert result.exit_code == 0, (args, result.output)
        for stream in (result.stdout, result.stderr):
            plain = SGR.sub("", stream)
            assert "\x1b" not in plain, (args, stream)
            for forbidden in RAW_FORBIDDEN:
                assert forbidden not in plain, (args, repr(forbidden))
    wide = _run(store_path, ["show", article_id], {**env, "COLUMNS": "2000"})
    assert "[link=https://evil.example]click[/link]" in wide.stdout  # markup shown as text, not obeyed


@pytest.mark.parametrize("env", [{}, {"NO_COLOR": "1"}, {"NO_COLOR": "1", "FORCE_COLOR": "1"}],
                         ids=["piped", "no-color", "no-color-wins"])
def test_piped_or_no_color_has_no_escape_byte_at_all(hostile_store, env):
    store_path, article_id = hostile_store
    for args in _commands(article_id):
        result = _run(store_path, args, env)
        assert result.exit_code == 0, (args, result.output)
        assert "\x1b" not in result.stdout and "\x1b" not in result.stderr, (args, result.stdout)
        for forbidden in RAW_FORBIDDEN:
            assert forbidden not in result.stdout, (args, repr(forbidden))


def test_json_keeps_the_exact_text(hostile_store):
    """Inert is not lossy: --json gives back every character, escaped as JSON."""
    import json

    store_path, article_id = hostile_store
    record = json.loads(_run(store_path, ["show", "--json", article_id], {}).stdout)
    assert record["title"] == f"Title {PAYLOAD}"


def test_the_check_catches_a_raw_sequence():
    """Negative control: the filters above do see a raw sequence when one is there."""
    leaked = SGR.sub("", "\x1b[1mbold\x1b[0m " + HOSTILE["OSC title"])
    assert "\x1b" in leaked
