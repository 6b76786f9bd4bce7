"""--collapse, `show`'s copies and `rm --copies-of` (issue 23), through the CLI.

The dump is tests/dumps/copies.txt (see tests/test_copies.py): one story in three copies
(Ukrinform first, then a dpa copy, then an exact one), a look-alike, an unrelated story.
"""

from __future__ import annotations

import itertools
import json
import random
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from newscli.archive.store import Store
from newscli.copies.signature import signature, similarity
from newscli.index.filters import Filters
from newscli.index.stories import DEFAULT_MIN_SIMILARITY
from tests.factories import make_article
from tests.test_copies import DPA, DUMP, EXACT, ORIGINAL, rows

ORIGINAL_ID, DPA_ID, EXACT_ID = "c14573c2a44142ad", "38fb9c085ba857b9", "216c11bd8af42c35"


@pytest.fixture
def wires(cli, store_path):
    assert cli("ingest", str(DUMP)).exit_code == 0
    return store_path


def ok(result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout


def test_count_collapse_counts_each_story_once(cli, wires):
    assert ok(cli("count")) == "5\n"
    assert ok(cli("count", "--collapse")) == "3\n"
    assert ok(cli("count", "--collapse", "--tag", "Diplomatie")) == "1\n"  # the original and the exact copy
    assert ok(cli("count", "--collapse", "--source", DPA)) == "1\n"


def test_list_collapse_keeps_the_earliest_and_says_how_many_it_stands_for(cli, wires):
    found = rows(cli("list", "--collapse", "-f", "jsonl", "--fields", "id,source,copies"))
    assert {r["id"]: r["copies"] for r in found}[ORIGINAL_ID] == 3
    assert sorted(r["copies"] for r in found) == [1, 1, 3]
    assert DPA_ID not in {r["id"] for r in found} and EXACT_ID not in {r["id"] for r in found}
    # Among the articles after the original's day, the dpa copy is gone too: the exact copy stands alone.
    later = rows(cli("list", "--collapse", "--since", "2025-03-04", "-f", "jsonl", "--fields", "id,copies"))
    assert {r["id"]: r["copies"] for r in later}[EXACT_ID] == 1


def test_list_collapse_json_records_carry_copies_and_csv_has_the_column(cli, wires):
    records = json.loads(ok(cli("list", "--collapse", "--json")))
    assert all(list(r)[-1] == "copies" for r in records)
    header = ok(cli("list", "--collapse", "-f", "csv")).splitlines()[0].split(",")
    assert header[-1] == "copies"
    assert "copies" not in ok(cli("list", "-f", "csv")).splitlines()[0]  # only with --collapse


def test_search_collapse_groups_the_hits(cli, wires):
    hits = rows(cli("search", "Genf", "--collapse", "-f", "jsonl", "--fields", "id,copies"))
    assert hits == [{"id": ORIGINAL_ID, "copies": 3}]
    assert len(rows(cli("search", "Genf", "-f", "jsonl", "--fields", "id"))) == 3


@pytest.mark.parametrize("command, expected", [
    (["tags", "-f", "csv"], "tag,count\nPolitik,2\nDiplomatie,1\nEnergie,1\nRegionen,1\n"),
    (["sources", "-f", "csv"], "source,count\nUkrinform,2\nZaxid.net,1\n"),
    (["stats", "-f", "csv"], "month,count\n2025-03,3\n"),
])
def test_grouped_counts_collapse(cli, wires, command, expected):
    assert ok(cli(*command, "--collapse")) == expected


def test_trend_collapse_counts_each_story_once_where_it_was_first_published(cli, wires):
    rows_ = rows(cli("trend", "--collapse", "--by", "day", "-f", "jsonl", "--fields", "bucket,count"))
    assert {r["bucket"]: r["count"] for r in rows_ if r["count"]} == {"2025-03-03": 1, "2025-03-05": 1, "2025-03-06": 1}


def test_words_collapse_reads_each_story_once_from_its_earliest_copy(cli, wires):
    def df(*args):
        result = cli("words", *args, "-n", "0", "-f", "csv", "--fields", "term,count")
        return result.stderr, dict(line.split(",") for line in ok(result).splitlines()[1:])

    caption, counts = df("--collapse")
    assert caption == "terms from all 3 stories\n"  # count --collapse: 3
    assert counts["genf"] == "1" and counts["kowalenko"] == "2"  # the Geneva story once, and Warsaw
    assert "dpa" not in counts and "telegram" not in counts  # only the dpa copy has them: not the earliest
    assert df()[1]["genf"] == "3"  # without --collapse: each copy
    assert cli("words", "--collapse", "--sample", "2").stderr == "terms from a sample of 2 of 3 stories\n"
    # --vs: the baseline counts stories too
    versus = cli("words", "--collapse", "-q", "genf", "--vs", "all")
    assert ok(versus) and versus.stderr == "terms from all 1 story, against all 3 stories (the whole archive)\n"


def test_words_trend_and_collapse_follow_tag_aliases_as_count_does(cli, wires):
    assert cli("alias", "tag", "Regionen", "Diplomatie").exit_code == 0
    assert ok(cli("count", "--tag", "Regionen")) == "3\n"  # Regionen's one, Diplomatie's two (copies)
    assert ok(cli("count", "--collapse", "--tag", "Regionen")) == "2\n"  # the two copies are one story
    assert cli("words", "--tag", "Regionen").stderr == "terms from all 3 articles\n"
    assert cli("words", "--collapse", "--tag", "Regionen").stderr == "terms from all 2 stories\n"
    assert ok(cli("trend", "--tag", "Regionen", "--by", "month")) == "2025-03\tall articles\t3\t3\t1.0\n"


def test_stats_footer_says_stories(cli, wires):
    assert "3 stories, published" in ok(cli("stats", "--collapse", env={"FORCE_COLOR": "1", "TTY_COMPATIBLE": "1"}))


def test_export_collapse_writes_each_story_once_with_copies(cli, wires):
    out = [json.loads(line) for line in ok(cli("export", "--collapse")).splitlines()]
    assert sorted(r["copies"] for r in out) == [1, 1, 3]
    assert "copies" not in json.loads(ok(cli("export")).splitlines()[0])


def test_show_lists_the_copies_with_their_similarity_to_it(cli, wires):
    text = ok(cli("show", DPA_ID[:8]))
    assert f"also published as: {ORIGINAL}, 2025-03-03 09:15, {ORIGINAL_ID}" in text
    assert f"{EXACT}, 2025-03-04 08:05, {EXACT_ID}" in text
    record = json.loads(ok(cli("show", ORIGINAL_ID[:8], "--json")))
    assert [c["id"] for c in record["copies"]] == [DPA_ID, EXACT_ID]
    assert set(record["copies"][0]) == {"id", "published", "source", "title", "similarity"}
    assert record["copies"][1]["similarity"] == 1.0
    # Output only: the stored records never hold it.
    assert all("copies" not in json.loads(line) for line in wires.read_text(encoding="utf-8").splitlines())


def test_show_json_of_an_article_without_copies_has_an_empty_array(cli, wires):
    lone = rows(cli("list", "--source", "Zaxid.net", "-f", "jsonl", "--fields", "id"))[0]["id"]
    assert json.loads(ok(cli("show", lone, "--json")))["copies"] == []
    assert "also published as" not in ok(cli("show", lone))


def test_rm_copies_of_previews_asks_and_keeps_the_article(cli, wires):
    refused = cli("rm", "--copies-of", ORIGINAL_ID[:6])
    assert refused.exit_code == 1 and "not removing 2 articles without confirmation" in refused.stderr
    assert DPA_ID in refused.stdout and EXACT_ID in refused.stdout and ORIGINAL_ID not in refused.stdout
    assert ok(cli("count")) == "5\n"
    done = cli("rm", "--copies-of", ORIGINAL_ID[:6], "--yes")
    assert done.exit_code == 0 and "Removed 2 articles." in done.stderr
    assert ok(cli("count")) == "3\n" and rows(cli("dups", "-f", "jsonl")) == []
    assert json.loads(ok(cli("show", ORIGINAL_ID, "--json")))["copies"] == []


def test_rm_copies_of_with_a_filter_removes_only_the_matching_copies(cli, wires):
    assert cli("rm", "--copies-of", DPA_ID, "--source", EXACT, "--yes").exit_code == 0
    assert [c["id"] for c in json.loads(ok(cli("show", DPA_ID, "--json")))["copies"]] == [ORIGINAL_ID]


def test_rm_copies_of_an_article_without_copies_removes_nothing(cli, wires):
    lone = rows(cli("list", "--source", "Zaxid.net", "-f", "jsonl", "--fields", "id"))[0]["id"]
    result = cli("rm", "--copies-of", lone, "--yes")
    assert result.exit_code == 0 and "has no copies; nothing removed" in result.stderr
    assert ok(cli("count")) == "5\n"


def test_rm_copies_of_and_ids_together_is_a_usage_error(cli, wires):
    both = cli("rm", ORIGINAL_ID, "--copies-of", DPA_ID)
    assert both.exit_code == 2 and "give article ids or --copies-of ID, not both" in both.stderr
    bad = cli("rm", "--copies-of", "zz")
    assert bad.exit_code == 2 and "'zz' is not an id" in bad.stderr


# -- the property: count --collapse is the number of stories among the matching articles ----

_WORDS = [f"w{n}x{random.Random(n).randrange(10**6)}" for n in range(400)]
TEXTS = [" ".join(random.Random(k).choices(_WORDS, k=60)) for k in range(6)]  # unrelated stories


def _story_text(k: int, variant: int) -> str:
    """Story k; variant 1 adds a dateline, 2 drops the last sentence's words: copies all."""
    text = TEXTS[k]
    return {0: text, 1: "KIEW (dpa) - " + text, 2: text.rsplit(" ", 6)[0]}[variant]


articles = st.lists(st.tuples(st.integers(0, 5), st.integers(0, 2), st.sampled_from(["A", "B", "C"]),
                              st.sampled_from(["Politik", "Sport"]), st.integers(1, 28)),
                    min_size=1, max_size=14)


def _reference_stories(records: list[dict]) -> int:
    """Stories by definition: groups joined by pairs at least DEFAULT_MIN_SIMILARITY alike,
    every pair compared (no bands)."""
    parent = list(range(len(records)))
    sigs = [signature(r["title"], r["body"]) for r in records]

    def root(i):
        while parent[i] != i:
            i = parent[i]
        return i
    for i, j in itertools.combinations(range(len(records)), 2):
        if similarity(sigs[i], sigs[j]) >= DEFAULT_MIN_SIMILARITY:
            parent[root(i)] = root(j)
    return len({root(i) for i in range(len(records))})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(articles, st.sampled_from([Filters(), Filters(tags=("Politik",)), Filters(source="B")]))
def test_count_collapse_is_the_number_of_stories_among_the_matching(data, filters):
    folder = Path(tempfile.mkdtemp())
    try:
        store = folder / "articles.jsonl"
        made = [make_article(n, title=f"Story {k}", body=_story_text(k, v), source=src, tags=(tag,),
                             published=f"2025-03-{day:02d}T10:00:00")
                for n, (k, v, src, tag, day) in enumerate(data)]
        Store(store).append(made)
        args = [a for a in (["--tag", filters.tags[0]] if filters.tags else
                            ["--source", filters.source] if filters.source else [])]
        stored = [json.loads(line) for line in store.read_text(encoding="utf-8").splitlines()]
        matching = [r for r in stored if filters.matches(r)]  # as stored: repeats are stored once
        runner, env = CliRunner(), {"NEWSCLI_STORE": str(store)}
        from newscli.cli.app import app_for
        collapsed = runner.invoke(app_for(["count"]), ["count", "--collapse", *args], env=env)
        assert collapsed.exit_code == 0, collapsed.output
        assert int(collapsed.stdout) == _reference_stories(matching)
        listed = runner.invoke(app_for(["list"]), ["list", "--collapse", "-n", "0", "-f", "jsonl", *args], env=env)
        assert sum(json.loads(line)["copies"] for line in listed.stdout.splitlines()) == len(matching)
    finally:
        shutil.rmtree(folder)


def test_copies_stored_by_later_runs_are_found_by_show_and_dups_as_after_a_rebuild(cli, store_path):
    """The bands table is built with the indexes after a bulk load, then kept up by every later
    append (and rm): show and dups over the whole archive read it."""
    first = make_article(0, title="Story 0", body=_story_text(0, 0), published="2025-03-01T10:00:00")
    Store(store_path).append([first, make_article(1, title="Story 1", body=_story_text(1, 0))])
    assert ok(cli("count")) == "2\n"  # indexed: a bulk load
    later = [make_article(n, title="Story 0", body=_story_text(0, v), source=src, published=f"2025-03-0{n}T10:00:00")
             for n, v, src in ((2, 1, "B"), (3, 2, "C"))]
    Store(store_path).append(later)  # indexed by the next query, row by row
    shown = json.loads(ok(cli("show", first.id, "--json")))
    assert [c["id"] for c in shown["copies"]] == [a.id for a in later]
    found = rows(cli("dups", "-f", "jsonl"))
    assert [r["id"] for r in found] == [first.id, *(a.id for a in later)]
    assert ok(cli("rm", later[0].id, "--yes"))
    assert [c["id"] for c in json.loads(ok(cli("show", first.id, "--json")))["copies"]] == [later[1].id]
    assert [r["id"] for r in rows(cli("dups", "-f", "jsonl"))] == [first.id, later[1].id]
    assert cli("reindex").exit_code == 0
    assert [r["id"] for r in rows(cli("dups", "-f", "jsonl"))] == [first.id, later[1].id]
