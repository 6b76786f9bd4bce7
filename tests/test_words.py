"""`newscli words`: the terms of a coverage, and what sets it apart (issue 22, point 3)."""

from __future__ import annotations

import json

import pytest

from newscli.archive.store import Store
from tests.factories import make_article

CHART = {"FORCE_COLOR": "1", "NO_COLOR": "1", "COLUMNS": "80"}


def art(n, title, body, lang="de", day="2025-08-04", **more):
    return make_article(n, title=title, body=body, lang=lang, published=f"{day}T10:00:00", **more)


@pytest.fixture
def mixed(store_path):
    Store(store_path).append([
        art(1, "Die Gaspreise steigen", "Der Preis für Gas steigt im Winter 2025 um 12 Prozent."),
        art(2, "Gaspreise und Minsk", "Lukaschenko spricht über die Gaspreise in Minsk."),
        art(3, "Energy prices", "The price of gas rises, and it is the winter's story.", lang="en"),
        art(4, "Ціни на газ", "Ціни на газ зростають, м'ясо дорожчає, і це не все.", lang="uk",
            day="2025-09-10"),
        art(5, "Wahl in Minsk", "Lukaschenko gewinnt die Wahl in Minsk, sagt Minsk.", day="2025-09-12"),
    ])


def rows(result):
    assert result.exit_code == 0, result.stderr
    return [line.split("\t") for line in result.stdout.splitlines()]


def test_terms_by_how_many_articles_use_them(cli, mixed):
    got = rows(cli("words", "--lang", "de"))
    terms = [r[0] for r in got]
    assert {"gaspreise", "minsk", "lukaschenko"} <= set(terms[:3])
    assert "die" not in terms and "der" not in terms and "in" not in terms  # German stop words
    assert "2025" not in terms and "12" not in terms  # numbers
    assert all(len(t) > 1 for t in terms)  # no one-letter tokens
    # "Minsk" twice in one article counts once: document frequency
    assert dict((r[0], r[1]) for r in got)["minsk"] == "2"


def test_each_language_loses_its_own_stop_words(cli, mixed):
    english = [r[0] for r in rows(cli("words", "--lang", "en"))]
    assert "gas" in english and "the" not in english and "and" not in english and "it" not in english
    ukrainian = [r[0] for r in rows(cli("words", "--lang", "uk"))]
    assert "газ" in ukrainian and "м'ясо" in ukrainian  # the apostrophe belongs to the word
    assert "на" not in ukrainian and "це" not in ukrainian and "не" not in ukrainian


def test_bigrams_never_bridge_a_dropped_word(cli, mixed):
    got = [r[0] for r in rows(cli("words", "--lang", "de", "--ngrams", "2"))]
    assert "spricht gaspreise" not in got  # "über die" stood between them
    assert "gewinnt wahl" not in got
    assert "lukaschenko spricht" in got and "lukaschenko gewinnt" in got


def test_a_sample_is_said_and_reproducible(cli, mixed):
    first = cli("words", "--sample", "2")
    assert first.exit_code == 0 and first.stderr == "terms from a sample of 2 of 5 articles\n"
    assert cli("words", "--sample", "2").stdout == first.stdout
    every = cli("words")
    assert every.stderr == "terms from all 5 articles\n"
    on_terminal = cli("words", "--sample", "2", env=CHART).stdout
    assert on_terminal.startswith("terms from a sample of 2 of 5 articles\n")


def test_vs_ranks_by_z_and_names_its_baseline(cli, mixed):
    result = cli("words", "-q", "gaspreise", "--vs", "all", "--lang", "de", "--json")
    assert result.exit_code == 0, result.stderr
    got = json.loads(result.stdout)
    assert list(got[0]) == ["term", "count", "share", "z"]
    assert got[0]["term"] == "gaspreise" and got[0]["z"] > 0
    assert [r["z"] for r in got] == sorted((r["z"] for r in got), reverse=True)
    assert result.stderr == "terms from all 2 articles, against all 3 articles (the whole archive, de)\n"
    by_query = cli("words", "-q", "wahl", "--vs", "gaspreise", "--lang", "de")
    assert by_query.stderr.endswith("against all 2 articles (-q gaspreise)\n")
    assert "wahl" in [r[0] for r in rows(by_query)[:3]]  # with gewinnt, sagt: one article each, tied
    by_period = cli("words", "--since", "2025-09-01", "--vs", "2025-08-01..2025-08-31", "--fields", "term,vs_count")
    assert by_period.stderr.endswith("against all 3 articles (2025-08-01 to 2025-08-31)\n")
    assert cli("words", "--since", "2025-09-01", "--vs-until", "2025-08-31").stderr.endswith(
        "against all 3 articles (… to 2025-08-31)\n")


def test_formats_and_fields(cli, mixed):
    lines = cli("words", "--lang", "en", "-f", "jsonl", "-n", "2").stdout.splitlines()
    assert [list(json.loads(line)) for line in lines] == [["term", "count", "share"]] * 2
    csv_text = cli("words", "--lang", "en", "-f", "csv", "--fields", "term,count", "-n", "1").stdout
    assert csv_text.splitlines()[0] == "term,count"


@pytest.mark.parametrize("args, message", [
    (["--ngrams", "4"], "--ngrams takes 1, 2 or 3"),
    (["--sample", "-1"], "cannot be negative"),
    (["--fields", "term,nope"], "unknown field 'nope'"),
    (["--vs", "-gas"], "nothing to search for"),
])
def test_usage_errors(cli, mixed, args, message):
    result = cli("words", *args)
    assert result.exit_code == 2 and message in result.stderr


def test_no_match_says_so(cli, mixed):
    result = cli("words", "-q", "nothing-like-this")
    assert result.exit_code == 0 and result.stdout == "" and result.stderr == "No articles match.\n"
