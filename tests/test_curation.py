"""Curation (issue 24): your own labels, aliases that make names one, saved searches.

Everything through the command line, as a user types it.
"""

from __future__ import annotations

import json
import os
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscli.archive.labels import labels_path
from newscli.archive.store import Store
from newscli.index.sync import index_path
from tests.factories import make_article

ARTICLES = [
    make_article(0, tags=("Politik",), source="Ukrainska Pravda"),
    make_article(1, tags=("Politics",), source="Українська правда", lang="uk"),
    make_article(2, tags=("Політика", "Politik"), source="Ukrainska Pravda", lang="uk"),
    make_article(3, tags=("Sport",), source="Le Monde", lang="fr"),
    make_article(4, tags=("Спорт",), source="Le Monde", lang="fr"),
]
IDS = [a.id for a in ARTICLES]


@pytest.fixture
def archive(store_path):
    Store(store_path).append(ARTICLES)
    return store_path


def ok(result) -> str:
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    return result.stdout


def ids_of(result) -> list[str]:
    return sorted(line.split("\t")[0] for line in ok(result).splitlines())


# -- labels ---------------------------------------------------------------------------


def test_tag_adds_and_removes_labels_that_filters_and_lists_see(cli, archive):
    assert "Labelled 2 articles +checked +todo" in cli("tag", "+checked", "+todo", IDS[0][:6], IDS[3]).stderr
    assert ids_of(cli("list", "--label", "checked")) == sorted([IDS[0], IDS[3]])
    assert ok(cli("count", "--label", "CHECKED")) == "2\n"  # any case, like tags
    # `-todo` removes the label; click alone would have read it as `-t odo` (--tag odo)
    assert "Labelled 1 article -todo" in cli("tag", "-todo", IDS[0]).stderr
    assert ids_of(cli("list", "--label", "todo")) == [IDS[3]]
    assert ids_of(cli("list", "--label", "checked", "--no-label", "todo")) == [IDS[0]]
    assert ok(cli("tag", "--list", IDS[3])) == f"{IDS[3]}\t+checked +todo\n"
    row = [line for line in ok(cli("list")).splitlines() if line.startswith(IDS[0])][0]
    assert row.split("\t")[3] == "Politik,+checked"  # the tags column: hashtags, then your labels
    assert "+checked\t2\n" in ok(cli("tags"))


def test_show_and_json_carry_labels_only_where_the_archive_has_any(cli, archive):
    before = json.loads(ok(cli("list", "--json")))
    assert all("labels" not in r for r in before)  # the --json contract of an archive without labels
    cli("tag", "+checked", IDS[1])
    after = {r["id"]: r for r in json.loads(ok(cli("list", "--json")))}
    assert after[IDS[1]]["labels"] == ["checked"] and after[IDS[0]]["labels"] == []
    assert "Tags:      #Politics +checked" in ok(cli("show", IDS[1], "--no-pager"))
    assert json.loads(ok(cli("export", "-f", "jsonl")).splitlines()[0])["labels"] is not None
    assert ok(cli("list", "--fields", "id,labels", "-f", "csv")).count("checked") == 1


def test_tagging_by_filters_previews_and_asks_above_a_few_articles(cli, store_path, monkeypatch):
    from newscli.output.screen import Screen

    Store(store_path).append([make_article(n, tags=("Big",)) for n in range(12)])
    refused = cli("tag", "+study", "--tag", "Big")
    assert refused.exit_code == 1 and "without confirmation" in refused.stderr
    assert ok(cli("count", "--label", "study")) == "0\n"
    assert "Labelled 12 articles +study" in cli("tag", "+study", "--tag", "Big", "--yes").stderr
    assert ok(cli("count", "--label", "study")) == "12\n"

    monkeypatch.setattr(Screen, "stdin_is_terminal", staticmethod(lambda: True))  # a person at the keyboard
    declined = cli("tag", "-study", "--tag", "Big", input="n\n")
    assert declined.exit_code == 0 and "Label 12 articles (the first 10 above) -study? [y/N]" in declined.stderr
    assert "No label changed." in declined.stderr and ok(cli("count", "--label", "study")) == "12\n"
    assert len(ok(declined).splitlines()) == 10  # the preview
    assert "Labelled 12 articles -study" in cli("tag", "-study", "--tag", "Big", input="y\n").stderr
    assert ok(cli("count", "--label", "study")) == "0\n"


def test_tag_usage_errors_are_one_line(cli, archive):
    for args, message in ((["tag", IDS[0]], "say which labels"), (["tag", "+x"], "say which articles"),
                          (["tag", "+a,b", IDS[0]], "cannot be a label"), (["tag", "+x", "zzzz"], "zzzz")):
        result = cli(*args)
        assert result.exit_code in (1, 2) and message in result.stderr and len(result.stderr.splitlines()) == 1


def test_labels_are_data_they_survive_reindex_a_lost_index_repair_and_rm(cli, archive, store_path):
    cli("tag", "+keep", IDS[0], IDS[1])
    ok(cli("reindex"))
    assert ok(cli("count", "--label", "keep")) == "2\n"
    os.unlink(index_path(store_path))
    assert ok(cli("count", "--label", "keep")) == "2\n"
    with open(store_path, "ab") as f:  # a damaged line, then check --repair rewrites the store
        f.write(b"not json\n")
    ok(cli("check", "--repair"))
    assert ok(cli("count", "--label", "keep")) == "2\n"
    ok(cli("rm", "--yes", IDS[4]))  # rm of another article
    assert ids_of(cli("list", "--label", "keep")) == sorted(IDS[:2])


def test_a_torn_label_change_is_not_applied_and_the_next_change_cuts_it(cli, archive, store_path):
    cli("tag", "+a", IDS[0])
    with open(labels_path(store_path), "ab") as f:  # what a kill in the middle of a write leaves
        f.write(('{"at":"x","add":["b"],"remove":[],"ids":["%s"' % IDS[1]).encode())
    assert ok(cli("count", "--label", "b")) == "0\n" and ok(cli("count", "--label", "a")) == "1\n"
    cli("tag", "+c", IDS[2])
    lines = labels_path(store_path).read_bytes().splitlines(keepends=True)
    assert len(lines) == 2 and all(line.endswith(b"\n") for line in lines)
    assert [ok(cli("count", "--label", x)) for x in "abc"] == ["1\n", "0\n", "1\n"]


def test_a_failed_label_write_changes_nothing_and_says_so(cli, archive, store_path, monkeypatch):
    cli("tag", "+a", IDS[0])
    before = labels_path(store_path).read_bytes()
    real_write = os.write

    def half_then_full(fd, data):
        if b'"add":["b"]' in bytes(data):
            real_write(fd, bytes(data)[:10])
            raise OSError(28, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", half_then_full)
    result = cli("tag", "+b", IDS[1])
    monkeypatch.setattr(os, "write", real_write)
    assert result.exit_code == 1 and "no label was changed" in result.stderr
    assert labels_path(store_path).read_bytes() == before
    assert ok(cli("count", "--label", "b")) == "0\n"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from("+-"), st.sampled_from(["x", "yy", "Ünï"]),
                          st.sets(st.integers(0, 4), min_size=1)), min_size=1, max_size=6))
def test_the_index_answers_what_replaying_the_changes_gives(cli, tmp_path_factory, changes):
    store = tmp_path_factory.mktemp("labels") / "a.jsonl"
    Store(store).append(ARTICLES)
    env = {"NEWSCLI_STORE": str(store)}
    model = {n: set() for n in range(5)}
    for sign, name, which in changes:
        assert cli("tag", f"{sign}{name}", *[IDS[i] for i in sorted(which)], env=env).exit_code == 0
        for i in which:
            (model[i].add if sign == "+" else model[i].discard)(name.lower())
    for name in ("x", "yy", "ünï"):
        wanted = sorted(IDS[i] for i in range(5) if name in model[i])
        assert ids_of(cli("list", "--label", name, env=env)) == wanted


# -- aliases --------------------------------------------------------------------------


def test_an_alias_makes_names_one_in_filters_and_counts(cli, archive):
    assert ok(cli("count", "--tag", "Politics")) == "1\n"
    assert "tag alias: Politik = Politics = Політика" in cli("alias", "tag", "Politik", "Politics", "Політика").stderr
    assert ok(cli("count", "--tag", "politics")) == "3\n"  # any member, any case, counts the group
    assert ok(cli("tags")).splitlines()[0] == "Politik\t3"  # article 2 has two names of it: counted once
    assert ids_of(cli("list", "--no-tag", "Політика")) == sorted(IDS[3:])
    cli("alias", "source", "Ukrainska Pravda", "Українська правда")
    assert ok(cli("sources")) == "Ukrainska Pravda\t3\nLe Monde\t2\n"
    assert ok(cli("count", "--source", "українська правда")) == "3\n"
    assert ok(cli("stats", "--by", "source")).splitlines()[0] == "Ukrainska Pravda\t3"
    assert ok(cli("alias")) == "tag\tPolitik\tPolitics\tПолітика\nsource\tUkrainska Pravda\tУкраїнська правда\n"
    assert json.loads(ok(cli("alias", "--json")))["source"] == [["Ukrainska Pravda", "Українська правда"]]
    assert "Ended the tag alias" in cli("alias", "rm", "politics").stderr
    assert ok(cli("count", "--tag", "Politics")) == "1\n"


def test_aliases_travel_with_the_archive(cli, archive, store_path, tmp_path):
    cli("alias", "tag", "Sport", "Спорт")
    copy = tmp_path / "colleague" / "articles.jsonl"
    copy.parent.mkdir()
    for path in store_path.parent.iterdir():
        if not path.name.endswith(".sqlite") and not path.name.endswith(".lock"):
            shutil.copy(path, copy.parent / path.name)
    assert ok(cli("count", "--tag", "sport", env={"NEWSCLI_STORE": str(copy)})) == "2\n"


def test_alias_usage_errors(cli, archive):
    for args, message in ((["alias", "tag", "Solo"], "at least two"), (["alias", "colour", "a", "b"], "not tag"),
                          (["alias", "rm", "Nothing"], "no alias holds")):
        result = cli(*args)
        assert result.exit_code == 2 and message in result.stderr


def test_tags_similar_suggests_and_never_merges(cli, archive):
    suggested = ok(cli("tags", "--similar")).splitlines()
    assert "Politik\tPolitics\tПолітика" in suggested and "Sport\tСпорт" in suggested
    assert ok(cli("count", "--tag", "Politics")) == "1\n"  # only suggested
    cli("alias", "tag", "Sport", "Спорт")
    assert not any("Спорт" in line for line in ok(cli("tags", "--similar")).splitlines())


def test_rm_by_an_alias_or_a_label_removes_what_count_counted(cli, archive):
    cli("alias", "tag", "Sport", "Спорт")
    cli("tag", "+junk", IDS[0])
    assert ok(cli("count", "--tag", "спорт")) == "2\n"
    assert "Removed 2 articles" in cli("rm", "--tag", "спорт", "--yes").stderr
    assert "Removed 1 article" in cli("rm", "--label", "junk", "--yes").stderr
    assert ids_of(cli("list")) == sorted(IDS[1:3])


def test_export_never_writes_over_the_labels_or_the_aliases(cli, archive, store_path):
    cli("tag", "+a", IDS[0])
    cli("alias", "tag", "Sport", "Спорт")
    for side in (labels_path(store_path), store_path.with_name(store_path.name + ".aliases")):
        before = side.read_bytes()
        result = cli("export", "-o", str(side))
        assert result.exit_code != 0 and side.read_bytes() == before


def test_labels_travel_in_a_jsonl_export_into_another_archive(cli, archive, tmp_path):
    cli("tag", "+checked", "+study", IDS[0], IDS[1])
    cli("tag", "+todo", IDS[3])
    exported = tmp_path / "out.jsonl"
    ok(cli("export", "-f", "jsonl", "-o", str(exported)))
    other = {"NEWSCLI_STORE": str(tmp_path / "other" / "a.jsonl")}
    result = cli("ingest", str(exported), env=other)
    assert result.exit_code == 0 and "Kept the labels of 3 articles" in result.stderr
    assert ids_of(cli("list", "--label", "study", env=other)) == sorted(IDS[:2])
    assert ids_of(cli("list", "--label", "todo", env=other)) == [IDS[3]]
    again = cli("ingest", str(exported), env=other)  # duplicates: the same labels, nothing doubled
    assert ids_of(cli("list", "--label", "checked", env=other)) == sorted(IDS[:2]) and again.exit_code == 0
