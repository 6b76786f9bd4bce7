"""Saved searches (issue 24): a name for filter options, what is new since each last ran."""

from __future__ import annotations

import json

import pytest

from newscli.archive.store import Store
from tests.factories import make_article
from tests.test_curation import ARTICLES, IDS, ids_of, ok


@pytest.fixture
def archive(store_path):
    Store(store_path).append(ARTICLES)
    return store_path


def test_saved_searches_add_list_run_and_at_name(cli, archive, store_path):
    assert "Saved 'ua'" in cli("saved", "add", "ua", "--lang", "uk", "--tag", "Politik").stderr
    assert ok(cli("count", "@ua")) == "1\n"
    assert ok(cli("count", "@ua", "--tag", "Політика")) == "1\n"
    listed = json.loads(ok(cli("saved", "--json")))
    assert listed == [{"name": "ua", "total": 1, "new": 1, "last_run": None, "search": "--lang uk --tag Politik"}]
    assert ids_of(cli("saved", "run", "ua")) == [IDS[2]]
    assert json.loads(ok(cli("saved", "--json")))[0]["last_run"] is not None
    saved_file = json.loads(store_path.with_name(store_path.name + ".saved").read_text())
    assert saved_file["ua"]["args"] == ["--lang", "uk", "--tag", "Politik"]  # readable, editable by hand
    assert "Forgot" in cli("saved", "rm", "ua").stderr
    missing = cli("count", "@ua")
    assert missing.exit_code == 2 and "no saved search 'ua'" in missing.stderr


def test_saved_refuses_bad_filters_and_names_when_added(cli, archive):
    for args, message in ((["saved", "add", "x", "--tagg", "a"], "--tagg"), (["saved", "add", "-x"], ""),
                          (["saved", "add", "a b", "--tag", "x"], "cannot name")):
        result = cli(*args)
        assert result.exit_code == 2 and message in result.stderr
    cli("saved", "add", "dup", "--tag", "x")
    assert "exists" in cli("saved", "add", "dup", "--tag", "y").stderr
    assert ok(cli("saved", "add", "dup", "--tag", "y", "--replace")) == ""


def test_saved_says_what_is_new_since_it_last_ran(cli, archive, store_path):
    import time

    from newscli.archive.store import Store

    cli("saved", "add", "sport", "--tag", "Sport")
    assert ids_of(cli("saved", "run", "sport")) == [IDS[3]]
    assert json.loads(ok(cli("saved", "--json")))[0]["new"] == 0
    time.sleep(1.1)  # ingest stamps have whole seconds
    later = [make_article(10, tags=("Sport",)), make_article(11, tags=("Politik",))]
    Store(store_path).append(later)
    row = json.loads(ok(cli("saved", "--json")))[0]
    assert (row["total"], row["new"]) == (2, 1)
    assert ids_of(cli("saved", "run", "sport", "--new")) == [later[0].id]
    assert json.loads(ok(cli("saved", "--json")))[0]["new"] == 0
