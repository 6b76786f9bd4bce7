"""The settings file and NEWSCLI_* variables (issue 21): command line > variables > file."""

from __future__ import annotations

import pytest

from newscli.archive.store import Store
from tests.conftest import SAMPLE
from tests.factories import make_article


@pytest.fixture
def home(tmp_path, monkeypatch):
    config = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    return config / "newscli" / "config.toml"


@pytest.fixture
def ten(store_path):
    Store(store_path).append([make_article(n, title=f"Story {n}") for n in range(10)])


def test_path_set_and_show(cli, home):
    assert cli("config", "path").stdout == f"{home}\n"
    assert not home.exists()
    shown = cli("config", "show").stdout
    assert "(NEWSCLI_STORE)\ntz:    -  (zone for ingest's timestamps written without one, as --tz)\n" in shown
    for key, value in (("limit", "5"), ("pager", "off"), ("color", "never"), ("tz", "Europe/Kyiv")):
        done = cli("config", "set", key, value)
        assert (done.exit_code, done.stderr) == (0, f"{key} = {value} in {home}\n")
    assert home.read_text().splitlines()[1:] == [
        'tz = "Europe/Kyiv"', "limit = 5", "pager = false", 'color = "never"']
    shown = cli("config", "show", env={"NEWSCLI_LIMIT": "7"}).stdout
    assert f"tz:    Europe/Kyiv  ({home})\n" in shown and "limit: 7  (NEWSCLI_LIMIT)\n" in shown
    assert "pager: off" in shown


def test_limit_command_line_over_variable_over_file(cli, home, ten):
    assert len(cli("list").stdout.splitlines()) == 10
    cli("config", "set", "limit", "3")
    assert len(cli("list").stdout.splitlines()) == 3
    assert len(cli("search", "story").stdout.splitlines()) == 3
    assert len(cli("list", env={"NEWSCLI_LIMIT": "4"}).stdout.splitlines()) == 4
    assert len(cli("list", "-n", "2", env={"NEWSCLI_LIMIT": "4"}).stdout.splitlines()) == 2
    assert len(cli("export").stdout.splitlines()) == 10  # export is all, whatever list shows
    assert "[default: 3]" in cli("list", "--help").stdout


def test_store_from_the_file_unless_variable_or_option(cli, home, tmp_path, store_path):
    other = tmp_path / "other.jsonl"
    cli("config", "set", "store", str(other))
    assert cli("--store", str(other), "ingest", str(SAMPLE)).exit_code == 0
    assert cli("count").stdout == "0\n"  # NEWSCLI_STORE (the fixture's) wins over the file
    assert cli("count", env={"NEWSCLI_STORE": ""}).stdout == "1\n"
    assert cli("count", "--store", str(store_path), env={"NEWSCLI_STORE": ""}).stdout == "0\n"


def test_tz_and_color_reach_the_commands(cli, home, tmp_path):
    dump = tmp_path / "d.txt"
    dump.write_text("Rada votes\n\nKyiv Post - 15 August 2025 18:52\n\nBody text here.\n", encoding="utf-8")
    cli("config", "set", "tz", "Europe/Kyiv")
    assert cli("ingest", str(dump)).exit_code == 0
    assert cli("list", "--json").stdout.count("2025-08-15T18:52:00+03:00") == 1
    cli("config", "set", "color", "never")
    assert "\x1b" not in cli("list", env={"FORCE_COLOR": "1"}).stdout
    cli("config", "set", "color", "always")
    assert "\x1b[" in cli("list").stdout
    assert "\x1b" not in cli("list", env={"NEWSCLI_COLOR": "auto"}).stdout


@pytest.mark.parametrize("args, env, code, message", [
    (["config", "set", "limit", "abc"], {}, 1, "newscli: config set: limit expects a whole number (0 = all), got 'abc'"),
    (["config", "set", "colour", "never"], {}, 1,
     "newscli: config set: unknown setting 'colour' (settings: store, tz, limit, pager, color)"),
    (["config", "set", "color", "blue"], {}, 1, "newscli: config set: color is one of auto, always, never, got 'blue'"),
    (["config", "frob"], {}, 2, "newscli: say what to do: newscli config path | show | set KEY VALUE"),
    (["count"], {"NEWSCLI_PAGER": "maybe"}, 1, "newscli: NEWSCLI_PAGER: pager is on or off, got 'maybe'"),
])
def test_bad_settings_are_one_line(cli, home, args, env, code, message):
    done = cli(*args, env=env)
    assert (done.exit_code, done.stderr) == (code, message + "\n")


def test_a_broken_file_names_itself(cli, home):
    home.parent.mkdir(parents=True)
    home.write_text("limit = [\n")
    done = cli("count")
    assert done.exit_code == 1 and done.stderr.startswith(f"newscli: {home}: not valid TOML")
    home.write_text('limit = "ten"\n')
    assert cli("count").stderr == f"newscli: {home}: limit expects a whole number (0 = all), got 'ten'\n"
