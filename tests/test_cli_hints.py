"""No silent zero (issue 19 §3): a filter value naming nothing, or an empty or missing archive,
is said on stderr, while the answer itself stays what scripts expect (empty, 0, exit 0)."""

from __future__ import annotations

import pytest

from newscli.archive.store import Store
from tests.factories import make_article

ARTICLES = [
    make_article(1, source="Kyiv Post", lang="en", tags=("Politik", "EU")),
    make_article(2, source="Kyiv Post", lang="en", tags=("Politik",)),
    make_article(3, source="Kyiv Independent", lang="en", tags=("Sport",)),
    make_article(4, source="Le Monde", lang="fr", tags=("Économie",)),
    make_article(5, source="Der Spiegel", lang="de", tags=("Politik",)),
]

# Every command that takes the filters, with what it needs besides them.
QUERIES = {
    "list": ["list"], "search": ["search", "paragraph"], "count": ["count"], "tags": ["tags"],
    "sources": ["sources"], "stats": ["stats"], "export": ["export"], "rm": ["rm", "--yes"],
    "tags --similar": ["tags", "--similar"], "tag": ["tag", "+checked", "--yes"],
}
EMPTY_STDOUT = {"count": "0\n"}


@pytest.fixture
def corpus(store_path):
    Store(store_path).append(ARTICLES)
    return store_path


@pytest.mark.parametrize("command", sorted(QUERIES))
def test_a_mistyped_tag_is_named_with_the_closest_tag_and_the_answer_stays_empty(cli, corpus, command):
    result = cli(*QUERIES[command], "--tag", "Politk")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == EMPTY_STDOUT.get(command, "")
    assert "newscli: no tag 'Politk' in this archive; did you mean 'Politik' (3)?" in result.stderr.splitlines()
    assert len(list(Store(corpus).records())) == len(ARTICLES)  # rm removed nothing


@pytest.mark.parametrize("option", ["--any-tag", "--no-tag"])
def test_any_tag_and_no_tag_values_are_checked_too(cli, corpus, option):
    result = cli("count", option, "sprot", option, "EU")
    assert result.exit_code == 0
    assert result.stdout == ("1\n" if option == "--any-tag" else "4\n")  # the known value still counts
    assert result.stderr == "newscli: no tag 'sprot' in this archive; did you mean 'Sport' (1)?\n"


def test_a_source_that_names_nothing_suggests_the_sources_it_is_part_of(cli, corpus):
    result = cli("list", "--source", "Kyiv")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == ("newscli: no source 'Kyiv' in this archive;"
                             " did you mean 'Kyiv Post' (2) or 'Kyiv Independent' (1)?\n")


def test_a_name_with_nothing_close_is_still_said(cli, corpus):
    result = cli("count", "--tag", "Zzyzx")
    assert (result.exit_code, result.stdout) == (0, "0\n")
    assert result.stderr == "newscli: no tag 'Zzyzx' in this archive\n"


def test_a_language_not_in_the_archive_lists_the_ones_it_has(cli, corpus):
    result = cli("count", "--lang", "IT")
    assert (result.exit_code, result.stdout) == (0, "0\n")
    assert result.stderr == "newscli: no language 'it' in this archive; it has 'en' (3), 'de' (1), 'fr' (1)\n"


@pytest.mark.parametrize("typed, meant", [
    ("german", "de"), ("Deutsch", "de"), ("ukrainian", "uk"), ("українська", "uk"), ("ua", "uk"),
    ("français", "fr"), ("rus", "ru"), ("włoski", "it"), ("eng", "en"),
])
def test_lang_takes_iso_codes_and_a_name_is_a_usage_error_naming_the_code(cli, corpus, typed, meant):
    result = cli("list", "--lang", typed)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f"newscli: --lang takes an ISO 639-1 code, and '{typed}' is not one;"
                             f" did you mean '{meant}'?\n")


def test_lang_that_is_no_language_at_all_lists_the_languages_newscli_reads(cli, corpus):
    result = cli("count", "--lang", "klingon")
    assert result.exit_code == 2
    assert "'klingon' is not one; newscli reads de, en, uk, ru, fr, es, it, pl" in result.stderr


@pytest.mark.parametrize("args", [
    ["--tag", "#politik", "--any-tag", "eu", "--no-tag", "SPORT"],
    ["--source", "kyiv post", "--lang", "EN"],
    ["--tag", "economie", "--source", "Kyiv Post"],  # each exists, only not together: no hint
])
def test_values_that_name_something_bring_no_note(cli, corpus, args):
    for command in ("count", "list", "tags"):
        result = cli(command, *args)
        assert (result.exit_code, result.stderr) == (0, ""), (command, args)


# -- an archive with no article ---------------------------------------------------------

ALL_QUERIES = {**QUERIES, "info": ["info"], "rm": ["rm", "--yes", "--tag", "x"], "tag": ["tag", "+x", "--tag", "x"]}


@pytest.mark.parametrize("command", sorted(ALL_QUERIES))
@pytest.mark.parametrize("state", ["missing", "empty"])
def test_an_archive_with_no_article_is_said_by_every_query(cli, store_path, command, state):
    if state == "empty":
        store_path.parent.mkdir(parents=True)
        store_path.write_bytes(b"")
    result = cli(*ALL_QUERIES[command])
    assert result.exit_code == 0, result.stderr
    what = "is empty" if state == "empty" else "does not exist"
    note = f"newscli: the archive at {store_path} {what}; add articles with: newscli ingest DUMP..."
    assert result.stderr.splitlines()[0] == note
    if command != "info":
        assert result.stdout == EMPTY_STDOUT.get(command, "")
    assert store_path.exists() == (state == "empty")  # a question never creates the archive


def test_show_on_an_empty_archive_says_why_the_id_is_not_found(cli, store_path):
    result = cli("show", "c37c1a0b")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"newscli: the archive at {store_path} does not exist; add articles with: newscli ingest DUMP...",
        "newscli: no article with id 'c37c1a0b'",
    ]


def test_a_mistyped_store_is_named(cli, corpus, tmp_path):
    wrong = tmp_path / "archvie.jsonl"
    result = cli("--store", str(wrong), "count")
    assert result.stdout == "0\n"
    assert f"the archive at {wrong} does not exist" in result.stderr


def test_a_name_that_an_alias_makes_one_with_a_stored_name_brings_no_note(cli, corpus):
    assert cli("alias", "tag", "Politik", "Politics").exit_code == 0
    assert cli("alias", "source", "Le Monde", "LeMonde.fr").exit_code == 0
    for args, count in ((["--tag", "politics"], "3"), (["--source", "lemonde.fr"], "1"), (["--no-tag", "Politics"], "2")):
        result = cli("count", *args)
        assert (result.exit_code, result.stdout, result.stderr) == (0, f"{count}\n", ""), args
    result = cli("count", "--tag", "Politcs")
    assert result.stderr == "newscli: no tag 'Politcs' in this archive; did you mean 'Politik' (3)?\n"


def test_a_label_that_names_nothing_is_said_with_the_closest_label(cli, corpus):
    ids = [a.id for a in ARTICLES]
    assert cli("tag", "+checked", ids[0], ids[1]).exit_code == 0
    for option in ("--label", "--no-label"):
        result = cli("count", option, "chekced")
        assert result.exit_code == 0 and result.stdout == ("0\n" if option == "--label" else "5\n")
        assert result.stderr == "newscli: no label 'chekced' in this archive; did you mean 'checked' (2)?\n"
    assert cli("count", "--label", "checked").stderr == ""
