"""`newscli saved`'s counts (index/tally.py) against `count`'s (questions.count), for any search.

The listing picks its own way to count each search (from the smallest tag, from the date
range, over the newly ingested rows); whatever it picks, the numbers must be count's.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscli.archive import aliases as alias_file
from newscli.archive import labels as label_log
from newscli.archive import store as store_module
from newscli.archive.store import Store
from newscli.index import questions, tally
from newscli.index.filters import Filters, with_aliases
from newscli.index.sync import session
from tests.factories import make_article

STAMPS = [datetime(2026, 3, day, 12, tzinfo=timezone.utc) for day in (1, 2, 3)]  # three ingests
TAGS = ["Politik", "Politics", "Політика", "Sport", "Спорт", "Wetter", "Kultur", "Nirgends"]
SOURCES = ["Ukrainska Pravda", "Українська правда", "Le Monde"]


def _article(n: int):
    tags = tuple(TAGS[(n * k) % 7] for k in range(1, 1 + n % 4))  # 0-3 tags, some articles two of a group
    published = "unknown" if n % 11 == 5 else f"2025-08-{1 + n % 28:02d}T{n % 24:02d}:00:00"
    return make_article(n, tags=tags, source=SOURCES[n % 3], lang=("de", "uk", "fr")[n % 3], published=published,
                        title=f"{'Energy prices' if n % 4 == 0 else 'Local news'} number {n}")


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("tally") / "articles.jsonl"
    patch = pytest.MonkeyPatch()
    for batch, stamp in enumerate(STAMPS):
        class Then(datetime):
            @classmethod
            def now(cls, tz=None):
                return stamp
        patch.setattr(store_module, "datetime", Then)
        Store(path).append([_article(n) for n in range(batch * 40, batch * 40 + 40)])
    patch.undo()
    alias_file.define(path, "tag", ["Politik", "Politics", "Політика"])
    alias_file.define(path, "tag", ["Sport", "Спорт"])
    alias_file.define(path, "source", ["Ukrainska Pravda", "Українська правда"])
    with session(path) as index:
        ids = [row[0] for row in index.conn.execute("SELECT id FROM articles ORDER BY rowid")]
    label_log.record_change(path, ["study"], [], ids[::5])
    return path


names = st.lists(st.sampled_from(TAGS), max_size=2).map(tuple)
# Bounds on an article's own time too: --since and --until take it in.
days = st.one_of(st.none(), st.integers(1, 28).map(lambda d: datetime(2025, 8, d, 6)), st.sampled_from(
    [datetime.fromisoformat(_article(n).published) for n in range(120) if _article(n).published != "unknown"]))
searches = st.builds(
    Filters, tags=names, any_tags=names, no_tags=names, since=days, until=days,
    source=st.one_of(st.none(), st.none(), st.sampled_from(SOURCES)),
    lang=st.one_of(st.none(), st.none(), st.just("uk")),
    query=st.one_of(st.none(), st.none(), st.just("energy")),
    labels=st.one_of(st.just(()), st.just(()), st.just(("study",))),
    collapse=st.just(False), no_labels=st.just(()), file=st.none(), ingested_since=st.none(), ingested_until=st.none(),
)
moments = st.one_of(st.none(), st.sampled_from(STAMPS + [s + timedelta(seconds=1) for s in STAMPS]))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(searches, moments), min_size=1, max_size=4), st.sampled_from([5, 10 ** 6]), st.booleans())
def test_each_total_and_new_is_what_count_says(archive, monkeypatch, wanted, cap, beside):
    monkeypatch.setattr(tally, "FRESH_CAP", cap)  # new counted over the fresh rows, or over all
    if not beside:  # new counted on the first connection, after the totals (as when a write came between)
        monkeypatch.setattr(tally, "_Beside", lambda *args: None)
    with session(archive) as index:
        got = list(tally.totals_and_new(index, wanted))
        for (filters, moment), (total, new) in zip(wanted, got):
            assert total == questions.count(index, filters), filters
            expected = total if moment is None else questions.count(index, _and_ingested_since(filters, moment))
            assert new == expected, (filters, moment)


def _and_ingested_since(filters: Filters, moment: datetime) -> Filters:
    return filters._replace(ingested_since=moment)  # the searches here have none of their own


def test_an_article_with_two_names_of_one_group_counts_once(archive):
    with session(archive) as index:
        both = index.conn.execute(
            "SELECT count(*) FROM (SELECT article FROM tags WHERE key IN ('politik', 'politics', 'політика')"
            " GROUP BY article HAVING count(*) > 1)").fetchone()[0]
        assert both > 0  # the archive has such articles, so the DISTINCT is exercised
        politik = with_aliases(Filters(tags=("Politik",)), index.aliases)
        for filters in (politik, politik._replace(since=datetime(2025, 8, 10)), politik._replace(no_tags=("Wetter",))):
            [(total, _)] = tally.totals_and_new(index, [(filters, None)])
            assert total == questions.count(index, filters)
