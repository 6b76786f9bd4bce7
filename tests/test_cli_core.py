"""The core commands as a user meets them: exit codes, stdout, stderr (issue 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from newscli.model import RECORD_KEYS
from tests.conftest import SAMPLE, SEEDS

REPAIRED_OPENING = (
    "In einem kürzlichen Telefonat führte der 45. Präsident der Vereinigten Staaten, "
    "Donald Trump, ein Gespräch mit dem selbsternannten Präsidenten von Belarus, "
    "Alexander Lukashenko."
)


def only_id(cli):
    (record,) = json.loads(cli("list", "--json").stdout)
    return record["id"]


def test_ingest_the_sample_then_list_and_show(cli):
    result = cli("ingest", str(SEEDS))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "1 new, 0 duplicates, 0 failed\n", "")

    listed = cli("list", "--tag", "Politik")
    assert listed.exit_code == 0
    (row,) = listed.stdout.splitlines()
    article_id, published, source, tags, title = row.split("\t")
    assert (published, source, tags) == ("2025-08-15T18:52:00", "Chas Pravdy", "Politik")
    assert title.startswith("Präsident Trump führt Telefongespräch mit Alexander Lukashenko")

    shown = cli("show", article_id[:6])
    assert shown.exit_code == 0, shown.stderr
    assert REPAIRED_OPENING in shown.stdout
    assert "verleiht. Zuvor" in shown.stdout and "am 12. Februar persönlich" in shown.stdout
    assert "Informationsquelle" in shown.stdout.split("\n\n")[0]  # a fact, not body


def test_reingest_counts_duplicates_and_exits_zero(cli, store_path):
    cli("ingest", str(SAMPLE))
    before = store_path.read_bytes()
    again = cli("ingest", str(SAMPLE))
    assert (again.exit_code, again.stdout) == (0, "0 new, 1 duplicate, 0 failed\n")
    assert store_path.read_bytes() == before


def test_ingest_reads_stdin(cli):
    result = cli("ingest", "-", input=SAMPLE.read_bytes())
    assert (result.exit_code, result.stdout) == (0, "1 new, 0 duplicates, 0 failed\n")
    (record,) = json.loads(cli("list", "--json").stdout)
    assert record["file"] == "<stdin>"


def test_good_input_lands_when_another_input_fails(cli, tmp_path):
    missing = tmp_path / "missing.txt"
    result = cli("ingest", str(missing), str(SAMPLE))
    assert result.exit_code == 1
    assert result.stdout == "1 new, 0 duplicates, 1 failed\n"
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"{missing}: ")
    assert "Traceback" not in result.stderr


def test_unparseable_article_is_reported_with_file_and_line(cli, tmp_path):
    dump = tmp_path / "bad.txt"
    dump.write_text("A title alone\n\nno byline here, just prose\n", encoding="utf-8")
    result = cli("ingest", str(dump))
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"{dump}:3: no byline with a source and timestamp after the title")


def test_list_json_uses_the_store_keys(cli):
    cli("ingest", str(SAMPLE))
    (record,) = json.loads(cli("list", "--json").stdout)
    assert list(record) == list(RECORD_KEYS)
    assert record["tags"] == ["Politik"] and record["source_label"] == "Informationsquelle"
    assert record["published"] == "2025-08-15T18:52:00"
    assert record["raw"] == SAMPLE.read_text(encoding="utf-8")


def test_show_json_is_the_full_record(cli):
    cli("ingest", str(SAMPLE))
    article_id = only_id(cli)
    shown = cli("show", "--json", article_id)
    assert shown.exit_code == 0
    record = json.loads(shown.stdout)
    # ... and, output only, the article's copies (docs/record.md): none here.
    assert record["id"] == article_id and list(record) == list(RECORD_KEYS) + ["copies"]
    assert record["copies"] == []


def test_show_raw_prints_the_dump_as_written(cli):
    cli("ingest", str(SAMPLE))
    shown = cli("show", "--raw", only_id(cli))
    assert shown.exit_code == 0
    assert shown.stdout == SAMPLE.read_text(encoding="utf-8") + "\n"


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["show", "ffffffff"], 1, "newscli: no article with id 'ffffffff'\n"),
        (["show", "ab"], 2, "newscli: 'ab' is too short for an id: give at least 4 of its hex digits\n"),
        (["show", "--json", "--raw", "abcd"], 2, "newscli: --json and --raw cannot be used together\n"),
    ],
)
def test_show_errors_are_one_line(cli, args, code, message):
    cli("ingest", str(SAMPLE))
    result = cli(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (code, "", message)


def test_ambiguous_prefix_lists_the_candidates(cli, store_path):
    from newscli.archive.store import Store
    from tests.factories import make_article

    articles = [make_article(n) for n in range(400)]  # 400 ids: some share 4-hex prefixes
    Store(store_path).append(articles)
    by_prefix: dict[str, list[str]] = {}
    for a in articles:
        by_prefix.setdefault(a.id[:4], []).append(a.id)
    prefix, ids = next((p, ids) for p, ids in by_prefix.items() if len(ids) > 1)
    result = cli("show", prefix)
    assert result.exit_code == 1
    assert result.stderr == f"newscli: id prefix '{prefix}' is ambiguous: matches {', '.join(sorted(ids))}\n"


def test_missing_store_is_an_empty_archive(cli, store_path):
    result = cli("list")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == (f"newscli: the archive at {store_path} does not exist;"
                             " add articles with: newscli ingest DUMP...\n")  # issue 19
    assert not store_path.exists()


def test_list_filters_and_limit(cli, store_path):
    from newscli.archive.store import Store
    from tests.factories import make_article

    Store(store_path).append([
        make_article(1, tags=("Politik",), source="A", published="2025-08-01T10:00:00"),
        make_article(2, tags=("Sport",), source="B", published="2025-08-15T23:59:00"),
        make_article(3, tags=("politik", "EU"), source="A", published="2025-08-16T00:00:00"),
    ])
    titles = lambda *a: [r.split("\t")[4] for r in cli("list", *a).stdout.splitlines()]  # noqa: E731
    assert titles() == ["Title number 3", "Title number 2", "Title number 1"]
    assert titles("--tag", "#POLITIK") == ["Title number 3", "Title number 1"]
    assert titles("--tag", "politik", "--tag", "eu") == ["Title number 3"]
    assert titles("--source", "a", "--since", "2025-08-02") == ["Title number 3"]
    assert titles("--until", "2025-08-15") == ["Title number 2", "Title number 1"]
    assert titles("-n", "1") == ["Title number 3"]


def test_bad_date_is_a_usage_error(cli):
    result = cli("list", "--since", "not a date")
    assert result.exit_code == 2
    assert result.stderr.startswith("newscli: ") and len(result.stderr.splitlines()) == 1


def test_global_store_option_wins_over_the_environment(cli, tmp_path):
    other = tmp_path / "other.jsonl"
    assert cli("--store", str(other), "ingest", str(SAMPLE)).exit_code == 0
    assert other.exists()
    assert cli("list").stdout == ""


@pytest.mark.parametrize("argv, command", [
    (["list", "--tag", "x"], "list"),
    (["--store", "list", "show", "ab12"], "show"),  # 'list' is the value of --store here
    (["--store=a.jsonl", "count"], "count"),
    (["--version", "search", "x"], "search"),
    (["list", "--help"], "list"),
    (["--help"], None), ([], None), (["lsit"], None), (["--", "list"], None), (["--store"], None),
])
def test_the_app_holds_only_the_command_argv_names(argv, command):
    from newscli.cli.app import app_for, whole_app

    lean = app_for(argv)
    app = whole_app()
    assert [c.name for c in lean.registered_commands] == ([command] if command else
                                                          [c.name for c in app.registered_commands])


def test_each_command_is_registered_by_the_module_app_for_imports_for_it():
    from newscli.cli.app import COMMAND_MODULES, app_for, whole_app

    app_for(["check"])  # loaded first, still listed last
    registered = {info.name: info.callback.__module__ for info in whole_app().registered_commands}
    assert registered == {name: f"newscli.cli.{module}" for name, module in COMMAND_MODULES.items()}
    assert list(registered) == list(COMMAND_MODULES)  # the order `newscli --help` lists them in


def _after(tmp_path, args: list[str], expression: str) -> str:
    """What `expression` prints after `newscli ARGS` ran in a fresh interpreter (stdout piped)."""
    code = (f"import gc, sys; from newscli.cli import main; sys.argv = ['newscli', *{args!r}]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            f"print({expression})")
    env = {**os.environ, "NEWSCLI_STORE": str(tmp_path / "a.jsonl")}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip(), done.stderr
    return done.stdout.splitlines()[-1]


def test_a_command_imports_no_other_commands_module(tmp_path):
    loaded = _after(tmp_path, ["count"], "sorted(m for m in sys.modules if m.endswith('_cmd'))")
    assert loaded == "['newscli.cli.overview_cmd']"


def test_command_parameters_are_annotated_with_objects_not_strings():
    import inspect

    from newscli.cli.app import whole_app

    app = whole_app()
    for callback in [app.registered_callback.callback] + [c.callback for c in app.registered_commands]:
        strings = {k: v for k, v in inspect.get_annotations(inspect.unwrap(callback)).items()
                   if isinstance(v, str)}
        assert not strings, f"{callback.__module__}.{callback.__name__}: {strings}"


def test_a_piped_ingest_loads_neither_pydantic_nor_a_rich_console(tmp_path):
    # ~0.13 s and ~0.04 s of every ingest, on one core while the other waits (issue 6). Over
    # 4 MB, as here, a terminal would get a progress bar; a pipe must not pay for asking rich.
    dump = tmp_path / "big.txt"
    dump.write_text("\n\n".join([SAMPLE.read_text(encoding="utf-8")] * 1600), encoding="utf-8")
    assert dump.stat().st_size > 4 << 20
    loaded = _after(tmp_path, ["ingest", str(dump)],
                    "[m for m in ('pydantic', 'rich.console') if m in sys.modules]")
    assert loaded == "[]"
    assert (tmp_path / "a.jsonl").stat().st_size > 0


def test_what_start_up_loaded_is_frozen_out_of_the_collector(tmp_path):
    # The collections at interpreter exit otherwise walk every object typer created: ~20 ms.
    assert int(_after(tmp_path, ["count"], "gc.get_freeze_count()")) > 10_000


def test_each_command_answers_help_and_bad_options_as_in_the_whole_app():
    from typer.testing import CliRunner

    from newscli.cli.app import app_for, whole_app

    app, runner = whole_app(), CliRunner()
    for info in app.registered_commands:
        for argv in ([info.name, "--help"], [info.name, "--bogus"], ["--store", "x", info.name, "-h"]):
            whole, lean = (runner.invoke(a, argv, env={"COLUMNS": "100"}) for a in (app, app_for(argv)))
            assert (lean.exit_code, lean.stdout, lean.stderr) == (whole.exit_code, whole.stdout, whole.stderr)


def test_the_global_options_that_take_a_value_are_the_ones_app_for_skips():
    import typer.main

    from newscli.cli.app import GLOBAL_VALUE_OPTIONS, whole_app

    group = typer.main.get_command(whole_app())
    taking = {opt for p in group.params if not getattr(p, "is_flag", True) for opt in p.opts}
    assert taking == set(GLOBAL_VALUE_OPTIONS)


def test_a_mistyped_command_still_gets_a_suggestion_from_every_name(cli):
    result = cli("lsit")
    assert result.exit_code == 2
    assert "no such command 'lsit'. Did you mean 'list'?" in result.stderr


def test_a_store_path_named_like_a_command_is_still_a_path(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli("--store", "list", "ingest", str(SAMPLE)).exit_code == 0
    assert (tmp_path / "list").is_file()
    assert cli("--store", "list", "count").stdout == "1\n"


def test_default_store_follows_xdg(tmp_path):
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "xdg"), HOME=str(tmp_path / "home"))
    env.pop("NEWSCLI_STORE", None)
    done = subprocess.run([sys.executable, "-m", "newscli", "ingest", str(SAMPLE)], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "xdg" / "newscli" / "articles.jsonl").is_file()


def test_version_and_help(cli):
    assert cli("--version").stdout.startswith("newscli ")
    helped = cli("--help")
    assert helped.exit_code == 0
    for command in ("ingest", "list", "show"):
        assert command in helped.stdout


def test_escape_sequences_in_an_article_never_reach_the_terminal(cli, store_path):
    from newscli.archive.store import Store
    from tests.factories import make_article

    evil = "\x1b]0;pwned\x07\x1b[31mred[/] [link=file:///etc]x[/link]\u202e\x9b"
    Store(store_path).append([make_article(1, title=evil, source=evil, body=evil, tags=(evil,))])
    for env in ({}, {"FORCE_COLOR": "1"}, {"FORCE_COLOR": "1", "NO_COLOR": "1"}):
        listed = cli("list", "--wrap", env=env)  # wrapped: the whole title, not cut with "…"
        shown = cli("show", only_id(cli), env=env)
        for out in (listed.stdout, shown.stdout):
            assert "\x1b]" not in out and "\x1b[31m" not in out and "\x9b" not in out
            assert "\u202e" not in out
            assert "[link=file:///etc]x[/link]" in out  # brackets stay literal
            if not env.get("FORCE_COLOR") or env.get("NO_COLOR"):
                assert "\x1b" not in out
    record = json.loads(cli("show", "--json", only_id(cli)).stdout)
    assert record["title"] == evil  # JSON keeps the exact text


def test_show_on_a_terminal_wraps_paragraphs(cli):
    cli("ingest", str(SAMPLE))
    shown = cli("show", only_id(cli), env={"FORCE_COLOR": "1", "NO_COLOR": "1", "COLUMNS": "60"})
    assert shown.exit_code == 0
    assert max(len(line) for line in shown.stdout.splitlines()) <= 60
    assert "\x1b" not in shown.stdout
