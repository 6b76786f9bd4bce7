"""The tools newscli is compared with, each answering the benchmark's four questions.

Run as a separate process per answer, exactly like newscli, so every figure is a whole
process wall time (interpreter start and imports included) and peak RSS is per process:

    python benchmarks/baselines.py TOOL QUESTION STORE ARG [--db PATH]
    python benchmarks/baselines.py build STORE DB        # the SQLite+FTS5 reference index

TOOL: python (json), orjson, duckdb, sqlite (the reference index). QUESTION: count, newest,
rare, byid. Prints one JSON value: {"count": n} or {"ids": [...]}. jq needs no helper: the
runner calls it directly (JQ_PROGRAMS). Answers compare tags exactly as written; the
generator's tags are distinct under case and accent folding, so that equals newscli's rule.
"""

from __future__ import annotations

import heapq
import json
import os
import re
import sqlite3
import sys

NEWEST = 20

JQ_PROGRAMS = {
    "count": ["-n", "--arg", "a", "{a}",
              "reduce (inputs | select(any(.tags[]; . == $a))) as $r (0; . + 1)"],
    "newest": ["-n", "-c", "--arg", "a", "{a}",
               "[inputs | select(any(.tags[]; . == $a)) | [.published, .id]]"
               " | sort | reverse | .[:20] | map(.[1])"],
    "rare": ["-c", "--arg", "a", "{a}",
             'select((.title + "\\n" + .body) | test("\\\\b" + $a + "\\\\b"; "i")) | .id'],
    "byid": ["-n", "-c", "--arg", "a", "{a}", "first(inputs | select(.id == $a)) | .id"],
}


def jq_answer(question: str, stdout: str):
    """jq's output in the shape the other tools print."""
    if question == "count":
        return {"count": int(stdout.strip())}
    if question == "newest":
        return {"ids": json.loads(stdout)}
    ids = [json.loads(line) for line in stdout.splitlines() if line.strip()]
    return {"ids": sorted(ids) if question == "rare" else ids}  # others list rare hits by id


# -- plain Python scans -------------------------------------------------------------------

def scan(loads, question: str, store: str, arg: str):
    """One pass over the file, parsing every line, the way a quick script would."""
    with open(store, "rb") as handle:
        records = (loads(line) for line in handle)
        if question == "count":
            return {"count": sum(1 for r in records if arg in r["tags"])}
        if question == "newest":
            top = heapq.nlargest(NEWEST, ((r["published"], r["id"]) for r in records
                                          if arg in r["tags"]))
            return {"ids": [i for _, i in top]}
        if question == "rare":
            word = re.compile(r"\b" + re.escape(arg) + r"\b", re.IGNORECASE)
            return {"ids": sorted(r["id"] for r in records
                                  if word.search(r["title"]) or word.search(r["body"]))}
        for r in records:  # byid: ids are unique, so the first hit ends the scan
            if r["id"] == arg:
                return {"ids": [r["id"]]}
        return {"ids": []}


# -- DuckDB reading the JSON-lines file ---------------------------------------------------

def duckdb_answer(question: str, store: str, arg: str, parquet: bool = False):
    """DuckDB over the JSON-lines file, or (`parquet`) over `export -f parquet`'s dataset."""
    import duckdb

    # Declared columns: no schema sampling pass, and unused keys are never materialised.
    source = ("read_json(?, format='newline_delimited', columns={'id': 'VARCHAR', "
              "'title': 'VARCHAR', 'published': 'VARCHAR', 'tags': 'VARCHAR[]', "
              "'body': 'VARCHAR'})")
    if parquet:
        source = "read_parquet(?, hive_partitioning = true)"
        store = os.path.join(store, "**", "*.parquet")
    con = duckdb.connect()
    if question == "count":
        row = con.execute(f"SELECT count(*) FROM {source} WHERE list_contains(tags, ?)",
                          [store, arg]).fetchone()
        return {"count": row[0]}
    if question == "newest":
        rows = con.execute(f"SELECT id FROM {source} WHERE list_contains(tags, ?) "
                           f"ORDER BY published DESC, id DESC LIMIT {NEWEST}", [store, arg])
        return {"ids": [r[0] for r in rows.fetchall()]}
    if question == "rare":
        pattern = r"(?i)\b" + re.escape(arg) + r"\b"
        rows = con.execute(f"SELECT id FROM {source} WHERE regexp_matches(title, ?) "
                           "OR regexp_matches(body, ?) ORDER BY id", [store, pattern, pattern])
        return {"ids": [r[0] for r in rows.fetchall()]}
    rows = con.execute(f"SELECT id FROM {source} WHERE id = ? LIMIT 1", [store, arg])
    return {"ids": [r[0] for r in rows.fetchall()]}


# -- the SQLite+FTS5 reference index ------------------------------------------------------

SCHEMA = """
CREATE TABLE articles(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL, published TEXT,
                      offset INTEGER NOT NULL, length INTEGER NOT NULL);
CREATE TABLE tags(tag TEXT NOT NULL, article INTEGER NOT NULL, published TEXT);
CREATE VIRTUAL TABLE fts USING fts5(title, body, content='',
                                    tokenize='unicode61 remove_diacritics 2');
"""
INDEXES = """
CREATE UNIQUE INDEX articles_id ON articles(id);
CREATE INDEX tags_tag ON tags(tag, published);
"""


def build_reference(store: str, db: str, batch: int = 5_000) -> dict:
    """What a straightforward derived index costs: ids, tags, dates and a contentless FTS5.

    Records are found again by byte offset in the JSON-lines file, so the index holds no
    second copy of the text. One transaction, indexes created after the load (the usual
    fast path); the figure is the bar newscli's ingest, parsing included, must meet.
    """
    for suffix in ("", "-journal", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.unlink(db + suffix)
    con = sqlite3.connect(db, isolation_level=None)
    con.executescript(SCHEMA)
    con.execute("BEGIN")
    rows, tags, texts, offset, rowid = [], [], [], 0, 0
    with open(store, "rb") as handle:
        for line in handle:
            rowid += 1
            r = json.loads(line)
            rows.append((rowid, r["id"], r["published"], offset, len(line)))
            tags.extend((t, rowid, r["published"]) for t in r.get("tags") or ())
            texts.append((rowid, r["title"], r["body"]))
            offset += len(line)
            if len(rows) >= batch:
                _flush(con, rows, tags, texts)
    _flush(con, rows, tags, texts)
    for statement in INDEXES.split(";"):
        if statement.strip():  # executescript would COMMIT first; stay in the transaction
            con.execute(statement)
    con.execute("COMMIT")
    con.close()
    return {"count": rowid}


def _flush(con, rows, tags, texts) -> None:
    con.executemany("INSERT INTO articles VALUES (?, ?, ?, ?, ?)", rows)
    con.executemany("INSERT INTO tags VALUES (?, ?, ?)", tags)
    con.executemany("INSERT INTO fts(rowid, title, body) VALUES (?, ?, ?)", texts)
    rows.clear(), tags.clear(), texts.clear()


def sqlite_answer(question: str, store: str, arg: str, db: str):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    if question == "count":
        return {"count": con.execute("SELECT count(*) FROM tags WHERE tag = ?", (arg,)).fetchone()[0]}
    if question == "newest":
        # Walk the (tag, published) index for the 20th date, then break ties by id like
        # newscli does; a plain ORDER BY published, id would sort every tagged row.
        cutoff = con.execute("SELECT published FROM tags WHERE tag = ? ORDER BY published DESC "
                             f"LIMIT 1 OFFSET {NEWEST - 1}", (arg,)).fetchone()
        rows = con.execute(
            "SELECT a.id FROM tags t JOIN articles a ON a.rowid = t.article WHERE t.tag = ? "
            f"AND t.published >= ? ORDER BY t.published DESC, a.id DESC LIMIT {NEWEST}",
            (arg, cutoff[0] if cutoff else ""))
        return {"ids": [r[0] for r in rows]}
    if question == "rare":
        rows = con.execute("SELECT a.id FROM fts JOIN articles a ON a.rowid = fts.rowid "
                           "WHERE fts MATCH ? ORDER BY a.id", ('"' + arg.replace('"', '""') + '"',))
        return {"ids": [r[0] for r in rows]}
    row = con.execute("SELECT offset, length FROM articles WHERE id = ?", (arg,)).fetchone()
    if row is None:
        return {"ids": []}
    with open(store, "rb") as handle:  # the record itself comes from the source of truth
        return {"ids": [json.loads(os.pread(handle.fileno(), row[1], row[0]))["id"]]}


def main(argv: list[str]) -> int:
    if argv[:1] == ["build"]:
        print(json.dumps(build_reference(argv[1], argv[2])))
        return 0
    tool, question, store, arg, *rest = argv
    if tool == "python":
        answer = scan(json.loads, question, store, arg)
    elif tool == "orjson":
        import orjson
        answer = scan(orjson.loads, question, store, arg)
    elif tool == "duckdb":
        answer = duckdb_answer(question, store, arg)
    elif tool == "duckdb-parquet":  # benchmarks/handoff.py: the Parquet dataset's directory
        answer = duckdb_answer(question, store, arg, parquet=True)
    elif tool == "sqlite":
        answer = sqlite_answer(question, store, arg, rest[rest.index("--db") + 1])
    else:
        raise SystemExit(f"unknown tool {tool!r}")
    print(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
