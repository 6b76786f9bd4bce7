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


# -- the listing's numbers are count's numbers ------------------------------------------

SHAPES = {  # a saved search of each shape the listing answers
    "everything": [],
    "query": ["-q", "energy"],
    "query-and-tag": ["-q", "energy", "--tag", "Politik"],
    "tag": ["--tag", "Politik"],
    "tag-but-not": ["--tag", "Politik", "--no-tag", "Sport"],
    "any-tag": ["--any-tag", "Sport", "--any-tag", "Wetter"],
    "alias-name": ["--tag", "Politics"],  # one name of the Politik group
    "alias-source": ["--source", "Українська правда"],
    "label": ["--label", "study"],
    "not-label": ["--no-label", "study", "--lang", "uk"],
    "dates": ["--since", "2025-08-03", "--until", "2025-08-20"],
    "ingested": ["--ingested-since", "2025-01-01", "--tag", "Sport"],
}


def _batch(first: int, count: int) -> list:
    tags = (("Politik",), ("Politics", "Sport"), ("Політика",), ("Sport",), ("Спорт", "Wetter"), ("Wetter",))
    sources = ("Ukrainska Pravda", "Українська правда", "Le Monde")
    return [make_article(n, title=f"{'Energy prices' if n % 3 == 0 else 'Local news'} number {n}",
                         tags=tags[n % len(tags)], source=sources[n % len(sources)], lang=("de", "uk", "fr")[n % 4 % 3])
            for n in range(first, first + count)]


def _check_listing(cli, store_path, new_ids: set[str], ran: set[str]) -> None:
    """Each listed total is `count` with the search's options; `new` is how many of the articles
    it matches now came in after it last ran (all of them if it never ran)."""
    listed = {row["name"]: row for row in json.loads(ok(cli("saved", "--json")))}
    assert set(listed) == set(SHAPES)
    for name, args in SHAPES.items():
        matching = {r["id"] for r in json.loads(ok(cli("list", *args, "-n", "0", "--json")))}
        expected_new = len(matching & new_ids) if name in ran else len(matching)
        assert (name, listed[name]["total"], listed[name]["new"]) == (
            name, int(ok(cli("count", *args))), expected_new)
        assert listed[name]["total"] == len(matching)


@pytest.fixture(params=["America/New_York", "Asia/Tokyo"])
def local_zone(request, monkeypatch):
    """A local time zone behind or ahead of UTC (new since a run must not move with it)."""
    import time

    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


def test_the_listing_says_what_count_says_before_and_after_the_archive_changes(cli, store_path, local_zone):
    import time

    first = _batch(0, 18)
    Store(store_path).append(first)
    cli("alias", "tag", "Politik", "Politics", "Політика")
    cli("alias", "source", "Ukrainska Pravda", "Українська правда")
    ok(cli("tag", "+study", first[0].id, first[4].id, first[7].id))
    for name, args in SHAPES.items():
        ok(cli("saved", "add", name, *args))
    _check_listing(cli, store_path, set(), ran=set())

    ran = set(list(SHAPES)[::2])  # every other search has run; the rest never did
    for name in ran:
        ok(cli("saved", "run", name, "-n", "0"))
    time.sleep(1.1)  # ingest stamps have whole seconds
    second = _batch(18, 12)
    Store(store_path).append(second)
    new_ids = {a.id for a in second}
    _check_listing(cli, store_path, new_ids, ran)

    # Every kind of change between two listings: an ingest, rm (old and new articles), a label
    # (on an old article: it matches now, yet is not new), an alias added and one ended.
    third = _batch(30, 6)
    Store(store_path).append(third)
    new_ids |= {a.id for a in third}
    ok(cli("rm", first[3].id, second[0].id, "--yes"))
    ok(cli("tag", "+study", first[1].id, second[2].id, third[0].id))
    ok(cli("alias", "tag", "Sport", "Спорт"))
    ok(cli("alias", "rm", "Ukrainska Pravda"))
    _check_listing(cli, store_path, new_ids, ran)


def test_new_starts_the_second_after_the_newest_stamp_the_search_saw(cli, store_path, local_zone):
    from datetime import datetime, timedelta

    batch = _batch(0, 6)
    Store(store_path).append(batch)
    ok(cli("saved", "add", "pol", "--tag", "Politik"))
    ok(cli("saved", "run", "pol"))
    stamp = datetime.fromisoformat(json.loads(ok(cli("show", batch[0].id, "--json")))["ingested_at"])
    saved_file = store_path.with_name(store_path.name + ".saved")
    for seen, new in ((stamp - timedelta(seconds=1), 1), (stamp, 0)):  # edited by hand, as the docs allow
        entries = json.loads(saved_file.read_text())
        entries["pol"]["seen"] = seen.replace(tzinfo=None).isoformat()
        saved_file.write_text(json.dumps(entries))
        assert json.loads(ok(cli("saved", "--json")))[0]["new"] == new
        assert len(ok(cli("saved", "run", "pol", "--new")).splitlines()) == new


def test_new_never_counts_what_the_search_itself_leaves_out(cli, store_path):
    from datetime import datetime, timedelta

    batch = _batch(0, 6)
    Store(store_path).append(batch)
    ok(cli("saved", "add", "later", "--tag", "Politik", "--ingested-since", "2099-01-01"))
    ok(cli("saved", "run", "later"))
    stamp = datetime.fromisoformat(json.loads(ok(cli("show", batch[0].id, "--json")))["ingested_at"])
    saved_file = store_path.with_name(store_path.name + ".saved")
    entries = json.loads(saved_file.read_text())
    entries["later"]["seen"] = (stamp - timedelta(seconds=1)).replace(tzinfo=None).isoformat()
    saved_file.write_text(json.dumps(entries))  # batch is new to it, yet none of it is ingested since 2099
    row = json.loads(ok(cli("saved", "--json")))[0]
    assert (row["total"], row["new"]) == (0, 0)
    assert ok(cli("saved", "run", "later", "--new")) == ""
