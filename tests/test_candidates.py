"""The index's bands and candidate pairs (index/candidates.py) hold what a rebuild would, after
bulk loads, appends and in-place removals, and the whole archive's stories read from them are
the ones banding every signature finds."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newscli.archive.store import Store
from newscli.index import candidates, questions
from newscli.index.filters import Filters
from newscli.index.stories import stories
from newscli.index.sync import index_path, open_index, session
from newscli.jobs.remove import remove
from tests.factories import make_article
from tests.test_collapse import _story_text

# (story, variant, day): six stories, three kinds of copy each (tests/test_collapse.py)
articles = st.lists(st.tuples(st.integers(0, 5), st.integers(0, 2), st.integers(1, 28)), min_size=1, max_size=12)


def _made(data, offset: int):
    return [make_article(offset + n, title=f"Story {k}", body=_story_text(k, v),
                         published=f"2025-03-{day:02d}T10:{(offset + n) % 60:02d}:00")
            for n, (k, v, day) in enumerate(data)]


def _tables(store: Path) -> dict:
    with session(store) as index:
        ids = dict(index.conn.execute("SELECT rowid, id FROM articles"))
        return {
            "bands": sorted((b, v, ids[a]) for b, v, a in index.conn.execute(f"SELECT band, value, article FROM {candidates.ALL_BANDS}")),
            "pairs": sorted((ids[a], ids[b], g) for a, b, g in index.conn.execute("SELECT a, b, agree FROM pairs")),
        }


def _stories(store: Path, min_similarity: float) -> list[list[str]]:
    with session(store) as index:
        return sorted(sorted(m.place.id for m in story) for story in stories(index, Filters(), min_similarity))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=articles, later=articles, doomed=st.sets(st.integers(0, 23), max_size=5),
       min_similarity=st.sampled_from([0.2, 0.4, 0.7]), merged=st.booleans())
@example(first=[(0, 0, 1), (0, 1, 2), (0, 2, 3)], later=[(0, 0, 4)], doomed={0}, min_similarity=0.4,
         merged=False)  # a bucket's first goes
@example(first=[(0, 0, 1), (1, 0, 2)], later=[(0, 1, 4), (0, 2, 5)], doomed={0}, min_similarity=0.4,
         merged=True)  # appends merged into bands, then the first of their bucket goes
def test_bands_and_pairs_are_a_rebuilds_and_give_the_stories_banding_finds(monkeypatch, first, later, doomed,
                                                                              min_similarity, merged):
    """`merged`: every append's bands are merged into `bands` at once (else they stay in
    bands_new, as a small archive's do)."""
    monkeypatch.setattr(candidates, "MERGE_MIN_ARTICLES", 0 if merged else 10**9)
    folder = Path(tempfile.mkdtemp())
    try:
        store = folder / "articles.jsonl"
        made = _made(first, 0) + _made(later, 100)
        Store(store).append(made[:len(first)])
        index = open_index(store)  # a bulk load: the tables are built at its end
        loaded = index.conn.execute("SELECT max(rowid) FROM articles").fetchone()[0]
        index.close()
        Store(store).append(made[len(first):])  # added row by row by the next query
        with session(store) as index:
            places = questions.located_ids(index, sorted({made[n].id for n in doomed if n < len(made)}))
            places = [p._replace(offset=index.real(p.offset)) for p in places]
        remove(Store(store), places, lambda problem: None)
        kept = _tables(store)
        rebuilt = folder / "rebuilt.jsonl"
        shutil.copyfile(store, rebuilt)
        index_path(rebuilt).unlink(missing_ok=True)
        assert kept == _tables(rebuilt)
        titles = [json.loads(line)["title"] for line in store.read_bytes().splitlines()]
        assert bool(kept["pairs"]) == (len(set(titles)) < len(titles))  # copies of a story make pairs
        from_pairs = _stories(store, min_similarity)
        monkeypatch.setattr(candidates, "STORED_AGREE", 99)  # band every signature instead
        assert _stories(store, min_similarity) == from_pairs
        monkeypatch.undo()
        with session(store) as index:  # the appends' bands are where they were said to be
            new = {a for (a,) in index.conn.execute("SELECT DISTINCT article FROM bands_new")}
            appended = {a for (a,) in index.conn.execute("SELECT article FROM signatures WHERE article > ?", (loaded,))}
        assert new == (set() if merged else appended)
    finally:
        shutil.rmtree(folder)
