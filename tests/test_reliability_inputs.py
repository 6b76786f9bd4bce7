"""Inputs a scraper leaves behind that must not stop a run (issue 20, item 3): a file name that
is not UTF-8 is read like any other, and shown the same way everywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.reliability_support import TRACEBACK, cli_env, plain_article, write_dump


def test_a_file_name_that_is_not_utf8_is_read_like_any_other(tmp_path):
    scraped = tmp_path / "scraped"
    scraped.mkdir()
    raw_dir = os.fsencode(scraped)
    write_dump(tmp_path / "good.txt", [plain_article(1)])
    os.rename(tmp_path / "good.txt", raw_dir + b"/caf\xe9-1.txt")  # Latin-1 bytes: not UTF-8
    write_dump(tmp_path / "fine.txt", [plain_article(2)])
    os.rename(tmp_path / "fine.txt", raw_dir + b"/plain.txt")
    with open(raw_dir + b"/bro\xffken.txt", "wb") as handle:  # and one that fails, to see the message
        handle.write(b"\x00\x01 binary, not a dump\n")
    store = tmp_path / "store" / "articles.jsonl"
    run = subprocess.run([sys.executable, "-m", "newscli", "ingest", str(scraped)], env=cli_env(store),
                         capture_output=True, timeout=60)
    err = run.stderr.decode()
    assert TRACEBACK not in err and "internal error" not in err, err
    assert run.returncode == 1  # the binary file is refused; the two dumps still land
    assert run.stdout.decode().strip() == "2 new, 0 duplicates, 1 failed"
    shown = f"{scraped}/bro\\xffken.txt"
    assert err == f"{shown}:1: binary file (contains NUL bytes); not a text dump\n", err
    listed = subprocess.run([sys.executable, "-m", "newscli", "list", "--json"], env=cli_env(store),
                            capture_output=True, timeout=60)
    files = sorted(record["file"] for record in json.loads(listed.stdout))
    assert files == [f"{scraped}/caf\\xe9-1.txt", f"{scraped}/plain.txt"]
    assert store.read_bytes().decode("utf-8")  # the store itself is still valid UTF-8
