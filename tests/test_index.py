"""The derived index: built on demand, caught up by reading only new bytes, rebuilt when the
store changed behind its back, and answering filters exactly like the reference filter."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscli.archive.store import Store, encode_record
from newscli.archive.values import tag_key
from newscli.index import questions
from newscli.index.filters import Filters, Order
from newscli.index.sync import index_path, open_index, session
from tests.factories import make_article


def ids(store_path, filters=Filters(), order=Order()):
    with session(store_path) as index:
        return [place.id for place in questions.select(index, filters, order)]


def sync_kind(store_path, problems=None):
    index = open_index(store_path, problems.append if problems is not None else None)
    try:
        return index.last_sync, index.lines_read
    finally:
        index.close()


def test_missing_store_is_an_empty_index_and_creates_no_file(store_path):
    with session(store_path) as index:
        assert questions.count(index, Filters()) == 0
    assert not store_path.parent.exists()


def test_index_is_built_beside_the_store_and_deleting_it_loses_nothing(store_path):
    Store(store_path).append([make_article(n) for n in range(5)])
    before = ids(store_path)
    assert index_path(store_path).exists()
    os.unlink(index_path(store_path))
    assert ids(store_path) == before and len(before) == 5


def test_fresh_index_reads_nothing(store_path):
    Store(store_path).append([make_article(n) for n in range(3)])
    assert sync_kind(store_path) == ("rebuild", 3)
    assert sync_kind(store_path) == ("fresh", 0)


def test_lines_appended_by_hand_are_caught_up_alone(store_path):
    Store(store_path).append([make_article(n) for n in range(3)])
    sync_kind(store_path)
    extra = make_article(7, title="Appended by another tool").to_record()
    with open(store_path, "ab") as handle:
        handle.write(encode_record(extra))
    assert sync_kind(store_path) == ("append", 1)
    assert extra["id"] in ids(store_path)


def test_unfinished_last_line_waits_until_it_is_complete(store_path):
    Store(store_path).append([make_article(1)])
    line = encode_record(make_article(2).to_record())
    with open(store_path, "ab") as handle:
        handle.write(line[:20])
    assert len(ids(store_path)) == 1
    with open(store_path, "ab") as handle:
        handle.write(line[20:])
    assert sync_kind(store_path) == ("append", 1)
    assert len(ids(store_path)) == 2


def test_store_replaced_by_a_backup_is_rebuilt(store_path, tmp_path):
    Store(store_path).append([make_article(n) for n in range(4)])
    backup = tmp_path / "backup.jsonl"
    shutil.copy(store_path, backup)
    Store(store_path).append([make_article(9)])
    assert len(ids(store_path)) == 5
    os.replace(backup, store_path)  # restored: a different file, shorter than what was indexed
    assert sync_kind(store_path)[0] == "rebuild"
    assert len(ids(store_path)) == 4


def test_store_truncated_and_rewritten_in_place_is_rebuilt(store_path):
    Store(store_path).append([make_article(n) for n in range(4)])
    sync_kind(store_path)
    other = b"".join(encode_record(make_article(n, title=f"Other {n}").to_record()) for n in range(6))
    with open(store_path, "r+b") as handle:  # same inode, new content, larger than before
        handle.truncate(0)
        handle.write(other)
    assert sync_kind(store_path)[0] == "rebuild"
    with session(store_path) as index:
        titles = {r["title"] for r in index.records(questions.select(index, Filters(), Order()))}
    assert titles == {f"Other {n}" for n in range(6)}


def test_same_size_edit_in_place_is_noticed(store_path):
    Store(store_path).append([make_article(n) for n in range(3)])
    sync_kind(store_path)
    data = store_path.read_bytes()
    os.utime(store_path, ns=(0, 0))  # make sure the edit changes the mtime we recorded
    with open(store_path, "r+b") as handle:
        handle.write(data.replace(b"Title number 1", b"Title NUMBER 1"))
    assert sync_kind(store_path)[0] == "rebuild"
    with session(store_path) as index:
        titles = [r["title"] for r in index.records(questions.select(index, Filters(), Order(sort="title")))]
    assert titles == ["Title number 0", "Title NUMBER 1", "Title number 2"]  # sorted ignoring case


def test_damaged_line_is_reported_with_its_line_number_then_counted_every_time(store_path):
    Store(store_path).append([make_article(1)])
    with open(store_path, "ab") as handle:
        # a good line after it makes it damage inside the file (a damaged end is moved aside)
        handle.write(b"{not json\n" + encode_record(make_article(2).to_record()))
    problems = []
    sync_kind(store_path, problems)
    assert [(p.line, p.is_error) for p in problems] == [(2, False)]
    assert "damaged line" in problems[0].reason
    problems.clear()
    sync_kind(store_path, problems)  # not read again, but still there: one line says so (issue 20.13)
    assert [(p.line, p.is_error) for p in problems] == [(None, False)]
    assert problems[0].reason.startswith("1 damaged line skipped (line 2: not valid JSON")
    assert "`newscli check` lists them" in problems[0].reason
    assert len(ids(store_path)) == 2


def test_a_corrupt_index_file_is_thrown_away_and_rebuilt(store_path):
    Store(store_path).append([make_article(n) for n in range(3)])
    sync_kind(store_path)
    index_path(store_path).write_bytes(b"this is not a database" * 100)
    problems = []
    assert sync_kind(store_path, problems) == ("rebuild", 3)
    assert "rebuilt" in problems[0].reason


def test_a_duplicate_id_appended_by_hand_counts_once(store_path):
    Store(store_path).append([make_article(1)])
    with open(store_path, "ab") as handle:
        handle.write(encode_record(make_article(1).to_record()))
    assert len(ids(store_path)) == 1


def test_records_are_read_back_from_their_offsets(store_path):
    articles = [make_article(n, body=f"Body {n} ünïcödé 🙂") for n in range(4)]
    Store(store_path).append(articles)
    with session(store_path) as index:
        got = list(index.records(questions.select(index, Filters(), Order(sort="title"))))
    assert [r["body"] for r in got] == [f"Body {n} ünïcödé 🙂" for n in range(4)]


# -- SQL filters agree with the reference filter -------------------------------------

TAGS = ["Politik", "politik", "EU", "Außenpolitik", "Économie", "Спорт"]
SOURCES = ["Chas Pravdy", "chas pravdy", "Kyiv Post", "Reuters"]


FILES = ["/dumps/tass-2025-08.txt", "dumps/rbc/2025-08-01.txt", "<stdin>", "Dumps/TASS-1.TXT", None]
# newscli writes UTC with +00:00; other tools' lines may hold other offsets, none, or junk
STAMPS = ["2026-12-01T10:00:00+00:00", "2026-12-01T12:00:00+02:00", "2026-12-01T10:00:00",
          "2026-12-01T09:59:59Z", "2026-12-02T00:30:00+00:00", "yesterday", None]


@st.composite
def corpora(draw):
    size = draw(st.integers(0, 12))
    return [make_article(
        n, tags=tuple(draw(st.lists(st.sampled_from(TAGS), max_size=3))),
        source=draw(st.sampled_from(SOURCES)), lang=draw(st.sampled_from(["de", "en", None])),
        published=draw(st.sampled_from(["2025-08-01T00:00:00", "2025-08-15T18:52:00+02:00",
                                         "2025-08-15T23:59:59", "2025-09-03T10:00:00", "not a date"])),
    ).to_record() | {"file": draw(st.sampled_from(FILES)), "ingested_at": draw(st.sampled_from(STAMPS))}
        for n in range(size)]


filters_strategy = st.builds(
    Filters,
    tags=st.lists(st.sampled_from(["politik", "#EU", "aussenpolitik", "economie", "спорт"]), max_size=2).map(tuple),
    any_tags=st.lists(st.sampled_from(["Politik", "eu", "Спорт"]), max_size=2).map(tuple),
    no_tags=st.lists(st.sampled_from(["politik", "economie"]), max_size=1).map(tuple),
    source=st.none() | st.sampled_from(["CHAS PRAVDY", "reuters", "Nobody"]),
    lang=st.none() | st.sampled_from(["de", "EN"]),
    since=st.none() | st.sampled_from([datetime(2025, 8, 15), datetime(2025, 8, 15, 18, 52)]),
    until=st.none() | st.sampled_from([datetime(2025, 8, 15, 23, 59, 59, 999999), datetime(2025, 8, 1)]),
    query=st.none(),  # the reference cannot tokenize as FTS5 does: test_query_option.py checks -q
    file=st.none() | st.sampled_from(["*.txt", "tass-*", "dumps/*", "*/rbc/*", "<stdin>", "[!t]*", "*.TXT"]),
    ingested_since=st.none() | st.sampled_from([datetime(2026, 12, 1, 10, tzinfo=timezone.utc),
                                                datetime(2026, 12, 1, 12, 0, 1, tzinfo=timezone(timedelta(hours=2))),
                                                datetime(2026, 12, 1, 10)]),
    ingested_until=st.none() | st.sampled_from([datetime(2026, 12, 1, 10, tzinfo=timezone.utc),
                                                datetime(2026, 12, 1, 23, 59, 59, 999999)]),
    collapse=st.just(False),  # not a test of one record: test_collapse.py checks --collapse
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(articles=corpora(), filters=filters_strategy)
def test_sql_filters_match_the_reference_filter(tmp_path_factory, articles, filters):
    store_path = tmp_path_factory.mktemp("idx") / "articles.jsonl"
    store_path.write_bytes(b"".join(encode_record(r) for r in articles))
    expected = sorted(r["id"] for r in articles if filters.matches(r))
    assert sorted(ids(store_path, filters)) == expected
    with session(store_path) as index:
        assert questions.count(index, filters) == len(expected)


def test_each_provenance_filter_alone_matches_the_reference_on_every_file_and_stamp(tmp_path):
    # Every file name with every stamp, each bound and glob alone: the edges a random draw can miss.
    records = [make_article(n).to_record() | {"file": f, "ingested_at": stamp}
               for n, (f, stamp) in enumerate((f, s) for f in FILES for s in STAMPS)]
    store_path = tmp_path / "articles.jsonl"
    store_path.write_bytes(b"".join(encode_record(r) for r in records))
    singles = [Filters(file=g) for g in ("*.txt", "tass-*", "dumps/*", "*/rbc/*", "<stdin>", "[!t]*", "*.TXT")]
    bounds = [datetime(2026, 12, 1, 10, tzinfo=timezone.utc), datetime(2026, 12, 1, 9, 59, 59, tzinfo=timezone.utc),
              datetime(2026, 12, 1, 12, 0, 1, tzinfo=timezone(timedelta(hours=2))), datetime(2026, 12, 1, 10)]
    singles += [Filters(ingested_since=b) for b in bounds] + [Filters(ingested_until=b) for b in bounds]
    with session(store_path) as index:
        for filters in singles:
            expected = sorted(r["id"] for r in records if filters.matches(r))
            assert sorted(p.id for p in questions.select(index, filters, Order())) == expected, filters
            assert 0 < len(expected) < len(records), filters  # each one tells some apart


# -- per-tag counts kept up as lines go in ---------------------------------------------

pieces_strategy = st.lists(st.lists(st.tuples(st.integers(0, 5), st.lists(st.sampled_from(TAGS + ["#EU"]), max_size=4)),
                                    max_size=6), min_size=1, max_size=4)


def _by_hand(store_path, piece):
    """Lines another tool appended: repeated ids (with other tags) and tags repeated in a record."""
    with open(store_path, "ab") as handle:
        for n, tags in piece:
            handle.write(encode_record({**make_article(n).to_record(), "tags": tags}))


def _tag_table(index):
    return [(b.key, b.count) for b in questions.group(index, "tag", Filters())]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=pieces_strategy)
def test_kept_tag_counts_equal_counting_the_first_line_of_each_id(tmp_path_factory, pieces):
    store_path = tmp_path_factory.mktemp("tc") / "articles.jsonl"
    first = {}  # id -> {tag key: first spelling in that line}, for the line the index keeps
    for piece in pieces:
        _by_hand(store_path, piece)
        for n, tags in piece:
            spellings = {}
            for tag in tags:
                spellings.setdefault(tag_key(tag), tag.lstrip("#"))
            first.setdefault(make_article(n).id, spellings)
        with session(store_path):
            pass  # caught up piece by piece: each piece adds to the counts
    counts, names = {}, {}
    for spellings in first.values():
        for key, name in spellings.items():
            counts[key] = counts.get(key, 0) + 1
            names[key] = min(names.get(key, name), name)
    expected = sorted(((names[k], n) for k, n in counts.items()), key=lambda b: (-b[1], b[0]))
    with session(store_path) as index:
        assert _tag_table(index) == expected
        for key, n in counts.items():
            assert questions.count(index, Filters(tags=(names[key],))) == n
        assert questions.summary(index).tags == len(counts)
        by_key = sorted(counts, key=lambda k: (-counts[k], k))  # completion: most used, then folded
        assert list(questions.names(index, "tag", "")) == [names[k] for k in by_key]
    with session(store_path, rebuild=True) as index:
        assert _tag_table(index) == expected


def test_an_index_an_older_newscli_rebuilt_is_rebuilt_with_true_tag_counts(store_path):
    Store(store_path).append([make_article(n, tags=("Politik",) * (n % 2) + ("EU",)) for n in range(4)])
    with session(store_path):
        pass
    # What a newscli before tag_counts leaves when it rebuilds this file: its own schema
    # version, and the table it does not know about, stale.
    conn = sqlite3.connect(index_path(store_path))
    conn.execute("UPDATE tag_counts SET n = n + 100")
    conn.execute("PRAGMA user_version = 5")
    conn.commit()
    conn.close()
    assert sync_kind(store_path) == ("rebuild", 4)
    with session(store_path) as index:
        assert _tag_table(index) == [("EU", 4), ("Politik", 2)]
        assert questions.count(index, Filters(tags=("politik",))) == 2
