"""cli/coerce.py reaches into typer 0.29 to skip its pydantic coercion (~0.1 s a command).

These tests are how the day typer changes is noticed: the hook must be in place, no query may
import pydantic, and newscli with the hook must answer exactly as newscli on typer's own
coercion does. Usage errors are newscli's wording in both (cli/usage.py rewords click's errors
after typer raised them: `-n expects a whole number, got 'abc'`), so what is compared is what
each coercion accepted, refused and produced, not typer's sentences.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _run(store: Path, args: list[str], *, hooked: bool, expression: str = "") -> tuple[str, str, int]:
    code = ("import sys\nfrom newscli.cli import main\n"
            + ("" if hooked else
               "from typer import core\ncore.build_runtime_param = core.build_runtime_param.typer_original\n")
            + f"sys.argv = ['newscli', *{args!r}]\n"
            + "try:\n    main()\nexcept SystemExit as exit:\n    code = exit.code\nelse:\n    code = 0\n"
            + (f"print({expression})\n" if expression else "")
            + "sys.exit(code)\n")
    env = {**os.environ, "NEWSCLI_STORE": str(store), "COLUMNS": "100"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    return done.stdout, done.stderr, done.returncode


def test_the_hook_is_in_place_on_the_installed_typer():
    from typer import core

    import newscli.cli.app  # noqa: F401  (installs the hook)

    assert getattr(core.build_runtime_param, "_newscli", False), (
        "typer's internals moved: cli/coerce.py patched nothing, so every command now pays "
        "~0.1 s for pydantic. Adapt coerce.py to this typer, or pin the typer it was made for.")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("hook") / "a.jsonl"
    assert _run(store, ["ingest", str(SEEDS)], hooked=True)[2] == 0
    return store


@pytest.mark.parametrize("args", [
    ["count"], ["list", "--tag", "Politik", "-n", "20"], ["search", "lukashenko"], ["show", "3687"],
    ["tags"], ["stats", "--by", "week"], ["export", "--format", "csv"],
])
def test_no_command_imports_pydantic(seeded, args):
    stdout, stderr, code = _run(seeded, args, hooked=True, expression="'pydantic' in sys.modules")
    assert (code, stdout.splitlines()[-1]) == (0, "False"), stderr


@pytest.mark.parametrize("args", [
    ["count", "--tag", "politik", "--since", "2025-08-01"],
    ["list", "-n", "007"], ["list", "-n", "abc"], ["list", "-n", "-1"], ["list", "--limit", "2.5"],
    ["list", "--tag", "Politik", "--tag", "Nope", "--no-tag", "x"], ["list", "--json", "--fields", "id,tags"],
    ["search", "lukashenko", "--limit", "99999999999999999999999"], ["list", "--offset", " 1"],
    ["stats", "--by", "week", "--json"], ["show", "3687", "--raw"], ["check"],
    ["export", "-o", "OUT/x.csv", "--format", "csv"], ["export", "-o", "OUT/missing/x.csv"], ["export", "-o", ""],
])
def test_answers_are_the_same_with_or_without_the_hook(seeded, args):
    out = seeded.parent / "out"
    args = [a.replace("OUT", str(out)) for a in args]

    def run(hooked: bool):
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        answer = _run(seeded, args, hooked=hooked)
        return answer, sorted((p.name, p.read_bytes()) for p in out.iterdir())

    assert run(hooked=True) == run(hooked=False)


@pytest.mark.parametrize("hooked", [True, False])
def test_a_bad_number_is_one_line_in_newscli_words_either_way(seeded, hooked):
    stdout, stderr, code = _run(seeded, ["list", "-n", "abc"], hooked=hooked)
    assert (stdout, stderr, code) == ("", "newscli: -n expects a whole number, got 'abc'\n", 2)
