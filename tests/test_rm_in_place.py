"""`rm` updates the index in place (issue 21): the removed articles' rows go, the rows after
them move with their lines, and the result is exactly what a rebuild from the new store gives:
with repeated ids, damaged lines, a torn end and lines another tool appended."""

from __future__ import annotations

import json
import sqlite3

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscli.archive.store import Store, decode_line, encode_record
from newscli.index import candidates, cuts
from newscli.index.sync import Located, index_path, open_index, session
from tests.factories import make_article

TAGS = ["Politik", "politik", "EU", "Außenpolitik", "Спорт"]


def index_content(store_path) -> dict:
    """Everything the index holds, by id instead of rowid (a rebuild numbers rows afresh)."""
    with session(store_path) as index:
        conn = index.conn
        ids = dict(conn.execute("SELECT rowid, id FROM articles"))
        # state.crc too: queries verify it after any write that newscli's appends do not explain
        state = conn.execute("SELECT offset, lines, fingerprint, crc, ignored FROM state").fetchone()
        return {
            "articles": sorted((row[0], index.real(row[1]), *row[2:]) for row in conn.execute(
                "SELECT a.id, a.offset, a.length, a.published, a.ingested, f.name, a.title_key,"
                " a.source, a.source_key, a.lang FROM articles a JOIN files f ON f.rowid = a.file")),
            "tags": sorted((key, ids[article], name) for key, article, name in conn.execute("SELECT * FROM tags")),
            "tag_counts": sorted(conn.execute("SELECT * FROM tag_counts")),
            "day_counts": sorted(conn.execute("SELECT * FROM day_counts")),
            "words": {word: sorted(ids[r] for (r,) in conn.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (word,)))
                      for word in ("article", "paragraph", "zwei", "7", "title")},
            "state": state,
            "damage": conn.execute("SELECT line, reason FROM damage ORDER BY line").fetchall(),
            "signatures": sorted((ids[a], s) for a, s in conn.execute("SELECT article, signature FROM signatures")),
            "bands": sorted((b, v, ids[a]) for b, v, a in conn.execute(f"SELECT band, value, article FROM {candidates.ALL_BANDS}")),
            "pairs": sorted((ids[a], ids[b], g) for a, b, g in conn.execute("SELECT a, b, agree FROM pairs")),
            "records": [r["id"] for r in index.records(_places(conn))],
        }


def _places(conn) -> list[Located]:
    return [Located(*row) for row in conn.execute("SELECT offset, length, id FROM articles ORDER BY rowid")]


def _record(n: int, tags) -> dict:
    return make_article(n, body=f"Paragraph {n} of article {n}." + (" Zwei." if n % 2 else ""),
                        tags=tuple(tags)).to_record() | {"ingested_at": "2026-12-01T10:00:00+00:00"}


pieces = st.lists(st.one_of(
    st.tuples(st.just("record"), st.integers(0, 9), st.lists(st.sampled_from(TAGS), max_size=3)),
    st.tuples(st.just("damaged"), st.just(0), st.just([])),
), min_size=1, max_size=14)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=pieces, after=pieces, torn=st.booleans(), doomed=st.sets(st.integers(0, 9), min_size=1, max_size=4),
       again=st.sets(st.integers(0, 9), max_size=3), compact_at=st.sampled_from([0, 2, 1000]))
def test_rm_leaves_the_index_a_rebuild_would_build(tmp_path_factory, before, after, torn, doomed, again,
                                                   compact_at):
    """Two rms in a row (the second on an index with cuts), the offsets rewritten or not."""
    store_path = tmp_path_factory.mktemp("rm") / "articles.jsonl"

    def lines(piece):  # repeated ids are lines another tool wrote: the index keeps the first
        return [b"{damaged line\n" if kind == "damaged" else encode_record(_record(n, tags))
                for kind, n, tags in piece]

    store_path.write_bytes(b"".join(lines(before)))
    open_index(store_path).close()  # indexed up to here; the rest is appended behind its back
    with open(store_path, "ab") as handle:
        handle.write(b"".join(lines(after)) + (b'{"id": "torn' if torn else b""))
    real_compact_at = cuts.COMPACT_AT
    cuts.COMPACT_AT = compact_at
    try:
        for numbers in (doomed, again):
            rm_and_check(store_path, {_record(n, ())["id"] for n in numbers})  # tags are not in an id
    finally:
        cuts.COMPACT_AT = real_compact_at


def rm_and_check(store_path, ids: set[str]) -> None:
    from newscli.index import questions
    from newscli.jobs.remove import remove

    content = store_path.read_bytes()
    with session(store_path) as index:
        places = [p._replace(offset=index.real(p.offset)) for p in questions.located_ids(index, sorted(ids))]
    removed = remove(Store(store_path), places, lambda problem: None)
    with session(store_path) as index:
        assert index.last_sync in ("fresh", "append")  # updated in place, not rebuilt

    dropped = [line for line in content.splitlines(keepends=True) if line.endswith(b"\n") and _id(line) in ids]
    assert sorted(r["id"] for r in removed) == sorted(map(_id, dropped))
    kept = [line for line in content.splitlines(keepends=True)
            if not (line.endswith(b"\n") and _id(line) in ids)]
    assert store_path.read_bytes() == b"".join(kept)
    rebuilt = store_path.with_name("rebuilt.jsonl")  # beside it: this index stays for the next rm
    rebuilt.write_bytes(store_path.read_bytes())
    index_path(rebuilt).unlink(missing_ok=True)
    assert index_content(store_path) == index_content(rebuilt)


def _id(line: bytes) -> str | None:
    try:
        return decode_line(line)["id"]
    except ValueError:
        return None


def test_rm_through_the_cli_keeps_the_other_rows_and_answers_as_before(cli, store_path):
    Store(store_path).append([make_article(n, tags=("Politik", f"T{n}")) for n in range(6)])
    assert cli("count").stdout == "6\n"
    rows_before = _rowids(store_path)
    gone = [make_article(0).id, make_article(3).id]
    result = cli("rm", "--yes", *gone)
    assert result.exit_code == 0, result.stderr
    assert "Removed 2 articles." in result.stderr
    after = _rowids(store_path)
    # the other rows were kept (a rebuild numbers them 1..4 afresh) and still find their lines
    assert after == {i: r for i, r in rows_before.items() if i not in gone}
    assert cli("count").stdout == "4\n" and cli("count", "--tag", "politik").stdout == "4\n"
    tags = {t["tag"]: t["count"] for t in json.loads(cli("tags", "--json").stdout)}
    assert tags == {"Politik": 4, "T1": 1, "T2": 1, "T4": 1, "T5": 1}
    shown = json.loads(cli("show", make_article(5).id, "--json").stdout)
    assert shown["title"] == "Title number 5"
    assert cli("search", "article", "-n", "0").stdout.count("\n") == 4
    with session(store_path) as index:
        assert index.last_sync == "fresh"
    checked = cli("check")  # the index agrees with the store, line for line
    assert checked.exit_code == 0 and "ok (4 lines, 4 good records)" in checked.stderr, checked.output
    # Its CRC is the new file's: a line appended by hand is checked against it and read alone.
    with open(store_path, "ab") as handle:
        handle.write(encode_record(_record(7, ["EU"])))
    assert cli("count").stdout == "5\n"
    now = _rowids(store_path)  # not rebuilt: the rows kept their numbers
    assert len(now) == 5 and set(now.items()) >= set(after.items())


def _rowids(store_path) -> dict[str, int]:
    with sqlite3.connect(index_path(store_path)) as conn:
        return {i: r for r, i in conn.execute("SELECT rowid, id FROM articles")}
