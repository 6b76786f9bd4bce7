"""`trend` agrees with `count`: a series sums to `count` with the same arguments, and each
bucket is `count` over that bucket's dates (issue 22's property)."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newscli.archive.store import Store
from newscli.index import periods
from tests.factories import make_article

WORDS = ["gas", "gaz", "Gasprom", "öl", "oel", "минск", "Минск", "sanktion", "sanktionen", "wahl", "krieg", "preis"]
TAGS = ["Politik", "EU", "Wirtschaft"]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """120 articles over 2024-2025 in four languages and three sources, some undated."""
    rng = random.Random(22)
    path = tmp_path_factory.mktemp("trend") / "articles.jsonl"
    articles = []
    for n in range(120):
        day = date(2024, 1, 1) + timedelta(days=rng.randrange(730))
        published = "undated" if n % 17 == 0 else f"{day}T{rng.randrange(24):02d}:30:00"
        body = " ".join(rng.choice(WORDS + ["und", "der", "die"] * 3) for _ in range(rng.randint(3, 12)))
        articles.append(make_article(
            n, title=" ".join(rng.sample(WORDS, 2)), body=body, published=published,
            source=rng.choice(["Belta", "Kyiv Post", "Spiegel"]), lang=rng.choice(["de", "en", "ru", "uk"]),
            tags=tuple(rng.sample(TAGS, rng.randint(0, 2)))))
    Store(path).append(articles)
    return path


queries = st.lists(st.sampled_from(WORDS + ["gas*", "sank*"]), min_size=1, max_size=3).flatmap(
    lambda words: st.sampled_from([" ".join(words), " OR ".join(words),
                                   f'"{" ".join(words)}"', words[0] + " -" + words[-1]]))
filters = st.fixed_dictionaries({}, optional={
    "--tag": st.sampled_from(TAGS), "--source": st.sampled_from(["belta", "KYIV POST"]),
    "--lang": st.sampled_from(["de", "ru"]), "-q": queries,
    "--since": st.sampled_from(["2024-03-13", "2025-01-01", "2025-06-30"]),
    "--until": st.sampled_from(["2024-12-31", "2025-02-15", "2025-11-02"]),
})


def run(cli, store, *args):
    result = cli(*args, env={"NEWSCLI_STORE": str(store)})
    assert result.exit_code == 0, (args, result.stderr)
    return result.stdout


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.none() | queries, chosen=filters, by=st.sampled_from(["week", "month", "year"]))
@example(query=None, chosen={"-q": "gas", "--tag": "Politik"}, by="week")  # a filter's search, no series query
def test_a_series_sums_to_count_and_each_bucket_is_count_over_its_dates(cli, archive, query, chosen, by):
    args = [a for pair in chosen.items() for a in pair]
    if chosen.get("--since", "") > chosen.get("--until", "9999"):
        return  # an empty range: nothing to compare
    series = [line.split("\t") for line in run(cli, archive, "trend", *([query] if query else []),
                                               *args, "--by", by).splitlines()]
    searches = [f"({q})" for q in (chosen.get("-q"), query) if q]  # the filter's and the series' together
    also = ["-q", " ".join(searches)] if searches else []
    same = [a for a in args if a not in ("-q", chosen.get("-q"))] + also
    assert sum(int(row[2]) for row in series) == int(run(cli, archive, "count", *same))
    since, until = chosen.get("--since"), chosen.get("--until")
    for bucket, _, n, total, _ in series:
        if not bucket:
            continue  # the undated: counted by the sum above
        start = _start(by, bucket)
        first = max(start.isoformat(), since or "")
        last = min(periods.last_day(by, start).isoformat(), until or "9999")
        dated = [a for a in same if a not in ("--since", "--until", since, until)]
        assert int(run(cli, archive, "count", *dated, "--since", first, "--until", last)) == int(n), bucket


def _start(by: str, label: str) -> date:
    if by == "week":
        year, week = label.split("-W")
        return date.fromisocalendar(int(year), int(week), 1)
    return periods.parse_key(by, label)
