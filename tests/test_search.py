"""Search: the user's syntax, ranking, language folding, snippets; never an FTS5 error."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscli.archive.store import Store
from newscli.errors import UsageError
from newscli.index import questions
from newscli.index.filters import Filters, Order
from newscli.index.sync import session
from newscli.index.syntax import to_fts
from tests.factories import make_article

CORPUS = {
    "title": make_article(1, title="Lukashenko meets Trump", body="A short note about a call."),
    "body3": make_article(2, title="Diplomacy report",
                          body="Lukashenko said. Lukashenko spoke. Lukashenko left the room early."),
    "body1": make_article(3, title="Weather in Minsk",
                          body="Rain all week. In other news Lukashenko appeared on television briefly "
                               "while the city waited for sunshine and warmer days to arrive at last."),
    "none": make_article(4, title="Football results", body="The match ended in a draw."),
    "phrase": make_article(5, title="Talks", body="The European Union agreed on new sanctions."),
    "scattered": make_article(6, title="Union news", body="The trade union met. A European delegation came."),
    "cyrillic": make_article(7, title="Лукашенко встретился с Путиным", body="Переговоры в Минске.", lang="ru"),
    "accents": make_article(8, title="Élections présidentielles", body="Le président Macron a voté.", lang="fr"),
    "prefix": make_article(9, title="Presidency", body="The presidential palace was quiet."),
}


@pytest.fixture
def store(store_path):
    Store(store_path).append(list(CORPUS.values()))
    return store_path


def names(store_path, query, filters=Filters(), order=Order("relevance")):
    by_id = {a.id: name for name, a in CORPUS.items()}
    with session(store_path) as index:
        return [by_id[p.id] for p in questions.search(index, query, filters, order)]


def test_title_hit_outranks_body_hits(store):
    assert names(store, "lukashenko") == ["title", "body3", "body1"]


def test_latest_order_sorts_matches_by_date(store):
    assert names(store, "lukashenko", order=Order("published")) == ["body1", "body3", "title"]


def test_phrase_needs_the_words_together(store):
    assert names(store, '"european union"') == ["phrase"]
    assert set(names(store, "european union")) == {"phrase", "scattered"}


def test_prefix(store):
    assert set(names(store, "presiden*")) == {"prefix", "accents"}
    assert names(store, "presiden") == []


def test_exclusion_and_or(store):
    assert names(store, "lukashenko -trump") == ["body3", "body1"]
    assert set(names(store, "football OR weather")) == {"none", "body1"}
    assert set(names(store, "lukashenko NOT trump OR weather")) == {"body3", "body1"}


def test_case_accents_and_cyrillic_fold(store):
    assert names(store, "ELECTIONS") == ["accents"]
    assert names(store, "président") == names(store, "PRESIDENT") == ["accents"]
    assert names(store, "лукашенко") == ["cyrillic"]
    assert names(store, "ЛУКАШЕНКО") == ["cyrillic"]
    assert names(store, "минск*") == ["cyrillic"]


def test_filters_apply_to_search(store):
    assert names(store, "lukashenko OR лукашенко", Filters(lang="ru")) == ["cyrillic"]


def test_snippet_marks_the_hits(store):
    with session(store) as index:
        found = list(index.records(questions.search(index, "sunshine", Filters(), Order("relevance"))))
        snippets = questions.snippets(index, "sunshine", found)
    (text,) = snippets.values()
    assert f"{questions.HIT_START}sunshine{questions.HIT_END}" in text
    assert questions.plain_snippet(text).startswith("…") or "Rain" in text


@pytest.mark.parametrize("query, expected", [
    ("word", '("word")'),
    ('"two words"', '("two words")'),
    ("pre*", '("pre"*)'),
    ('"two wo"*', '("two wo"*)'),
    ("a OR b c", '("a" OR "b") AND ("c")'),
    ("a -b", '(("a")) NOT "b"'),
    ('say "hi', '("say") AND ("hi")'),
    ('quo"te', '("quo") AND ("te")'),
    ("NEAR(a b) title:x", '("NEAR") AND ("a") AND ("b") AND ("title:x")'),
])
def test_translation(query, expected):
    assert to_fts(query) == expected


@pytest.mark.parametrize("query", ["", "   ", "-only", "OR", '""', "*", "- -"])
def test_nothing_to_search_is_a_usage_error(query):
    with pytest.raises(UsageError):
        to_fts(query)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(alphabet=st.sampled_from(list('ab "*-()OR:^+NEAR{}.,лд\'\\\x00')), max_size=25))
def test_no_input_reaches_fts5_as_syntax(store, query):
    try:
        names(store, query)
    except UsageError as exc:
        assert "nothing to search for" in str(exc)
