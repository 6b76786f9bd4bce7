"""Stories in the index: the articles matching a filter, grouped into copies of one story.

The signatures are in the index (computed when the articles were prepared for the store);
the grouping is copies/clusters.py's. Grouping is always among the articles a question
matches, so `count --collapse --tag X` is the number of stories among the articles tagged X,
and `dups --source Y` the copies within Y (docs/copies.md).
"""

from __future__ import annotations

from typing import NamedTuple

from newscli.copies.clusters import BANDS, band_keys, copy_pairs, groups
from newscli.copies.signature import similarity
from newscli.index.filters import Filters, with_aliases
from newscli.index.questions import EARLIEST, where
from newscli.index.sync import Index, Located
from newscli.index.syntax import to_fts

DEFAULT_MIN_SIMILARITY = 0.4  # chosen by benchmarks/copies_quality.py (docs/copies.md)


class Member(NamedTuple):
    rowid: int
    place: Located
    published: str | None  # sortable, as the index keeps it
    signature: bytes | None
    similarity: float  # to the story's earliest member (1.0 for the earliest itself)


def _earliest(published: str | None, article_id: str) -> tuple:
    """Sort key: earliest published first, undated last, then by id."""
    return (published is None, published or "", article_id)


def _earliest_first(member: Member) -> tuple:
    return _earliest(member.published, member.place.id)


def stories(index: Index, filters: Filters, min_similarity: float = DEFAULT_MIN_SIMILARITY,
            search: str | None = None, copied_only: bool = False) -> list[list[Member]]:
    """Every story among the matching articles (a lone article is a story of one, left out
    with `copied_only`), each earliest first (undated members last), with each member's
    similarity to the earliest; stories in no particular order. `search`: the words of a
    `search`, which must match too."""
    rows, joined = _grouped(index, filters, min_similarity, search)
    found = []
    for group in joined:
        if len(group) > 1:
            found.append(_measured(sorted((_member(rows[i]) for i in group), key=_earliest_first)))
        elif not copied_only:
            found.append([_member(rows[group[0]])])
    return found


def _grouped(index: Index, filters: Filters, min_similarity: float, search: str | None,
             ) -> tuple[list[tuple], list[list[int]]]:
    """The matching rows (rowid, offset, length, id, published, signature) and the positions
    of each story's rows; an article without a signature (no words) is a story of its own."""
    filters = with_aliases(filters, index.aliases)  # a tag or source alias matches its whole group
    sql, params = where(filters if search is None else filters._replace(query=search)
                        if filters.query is None else filters)
    if search is not None and filters.query is not None:
        sql += " AND a.rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?)"
        params.append(to_fts(search))
    rows = index.conn.execute(
        f"SELECT a.rowid, a.offset, a.length, a.id, a.published, s.signature FROM articles a"
        f" LEFT JOIN signatures s ON s.article = a.rowid WHERE {sql}", params).fetchall()
    signed = [n for n, row in enumerate(rows) if row[5] is not None]
    pairs = copy_pairs([rows[n][5] for n in signed], min_similarity)
    joined = [[signed[i] for i in group] for group in groups(len(signed), pairs)]
    joined.extend([n] for n, row in enumerate(rows) if row[5] is None)
    return rows, joined


def _member(row: tuple) -> Member:
    rowid, offset, length, id_, published, signature = row
    return Member(rowid, Located(offset, length, id_), published, signature, 1.0)


def _measured(story: list[Member]) -> list[Member]:
    first = story[0].signature
    if len(story) == 1 or first is None:
        return story
    return [m._replace(similarity=similarity(first, m.signature)) for m in story]


def largest_first(found: list[list[Member]]) -> list[list[Member]]:
    """Stories with copies only, most copies first, then the one published first."""
    copied = [story for story in found if len(story) > 1]
    return sorted(copied, key=lambda story: (-len(story), _earliest_first(story[0])))


def copies_of(index: Index, article_id: str, min_similarity: float = DEFAULT_MIN_SIMILARITY,
              ) -> list[Member]:
    """The other articles of one article's story (a full id) in the whole archive, earliest
    first, each with its similarity to that article; [] when it has no copies.

    The story is followed out from the article: each round finds, in one pass over the
    signatures, every article sharing a band with the last round's finds, and keeps those
    similar enough to one of them; no pass over the articles, no grouping of the rest.
    """
    row = index.conn.execute(
        "SELECT a.rowid, a.offset, a.length, a.id, a.published, s.signature FROM articles a"
        " LEFT JOIN signatures s ON s.article = a.rowid WHERE a.id = ?", (article_id,)).fetchone()
    if row is None:
        return []
    found = {row[0]: _member(row)}
    frontier = [found[row[0]]] if row[5] is not None else []
    width = len(band_keys(row[5])[0]) if row[5] is not None else 0
    while frontier:
        keys = [[band_keys(m.signature)[b] for m in frontier] for b in range(BANDS)]
        clauses = " OR ".join(f"substr(s.signature, {b * width + 1}, {width}) IN ({', '.join('?' * len(k))})"
                              for b, k in enumerate(keys))
        params = [key for k in keys for key in k]
        rows = index.conn.execute(
            f"SELECT a.rowid, a.offset, a.length, a.id, a.published, s.signature FROM signatures s"
            f" JOIN articles a ON a.rowid = s.article WHERE {clauses}", params).fetchall()
        frontier = []
        for other in rows:
            if other[0] not in found and any(
                    similarity(m.signature, other[5]) >= min_similarity for m in found.values()
                    if m.signature is not None):
                found[other[0]] = _member(other)
                frontier.append(found[other[0]])
    this = found.pop(row[0])
    return [m._replace(similarity=similarity(this.signature, m.signature))
            for m in sorted(found.values(), key=_earliest_first)]


def collapse(index: Index, filters: Filters, min_similarity: float = DEFAULT_MIN_SIMILARITY,
             search: str | None = None) -> dict[str, int] | None:
    """With `filters.collapse`: group the matching articles into stories and keep, for the
    questions asked next with these filters, only each story's earliest member. Returns
    {earliest member's id: how many articles its story has here}; None without --collapse.
    `search`: the words of a `search`, which match along with the filters."""
    if not filters.collapse:
        return None
    rows, joined = _grouped(index, filters._replace(collapse=False), min_similarity, search)
    earliest = [rows[group[0]] if len(group) == 1 else
                min((rows[i] for i in group), key=lambda r: _earliest(r[4], r[3]))
                for group in joined]
    index.conn.execute(f"CREATE TABLE IF NOT EXISTS {EARLIEST} (rowid INTEGER PRIMARY KEY)")
    index.conn.execute(f"DELETE FROM {EARLIEST}")
    index.conn.executemany(f"INSERT INTO {EARLIEST} (rowid) VALUES (?)", [(row[0],) for row in earliest])
    return {row[3]: len(group) for row, group in zip(earliest, joined)}
