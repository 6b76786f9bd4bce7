"""Stories in the index: the articles matching a filter, grouped into copies of one story.

The signatures are in the index (computed when the articles were prepared for the store);
the grouping is copies/clusters.py's. Grouping is always among the articles a question
matches, so `count --collapse --tag X` is the number of stories among the articles tagged X,
and `dups --source Y` the copies within Y (docs/copies.md).
"""

from __future__ import annotations

from array import array
from typing import NamedTuple

from newscli.copies.clusters import BAND_BYTES, BANDS, agreement_floor, band_keys, candidates, groups
from newscli.copies.signature import similarity
from newscli.index import candidates as candidates_table
from newscli.index.filters import Filters, with_aliases
from newscli.index.questions import COPIED, where
from newscli.index.sync import Index, Located
from newscli.index.syntax import to_fts

DEFAULT_MIN_SIMILARITY = 0.4  # chosen by benchmarks/copies_quality.py (docs/copies.md)
_CHUNK = 10_000  # rows fetched at a time
_CHUNK_IDS = 900  # rowids per IN (...) list


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
            search: str | None = None) -> list[list[Member]]:
    """Every story with copies among the matching articles, each earliest first (undated
    members last), with each member's similarity to the earliest; in no particular order.
    `search`: the words of a `search`, which must match too."""
    return [_measured(sorted(story, key=_earliest_first))
            for story in _members(index, _grouped(index, filters, min_similarity, search))]


def _grouped(index: Index, filters: Filters, min_similarity: float, search: str | None,
             ) -> list[list[int]]:
    """The rowids of each story with copies among the matching articles (a lone article, and
    one without a signature, is in none).

    Over the whole archive the index has the candidate pairs (index/candidates.py). Otherwise only
    what banding needs is read for every matching row: its rowid and its signature's head,
    into one buffer; whole signatures only for the candidate pairs, details only for the
    members of stories (the callers' _members)."""
    filters = with_aliases(filters, index.aliases)  # a tag or source alias matches its whole group
    sql, params = where(filters if search is None else filters._replace(query=search)
                        if filters.query is None else filters)
    if search is not None and filters.query is not None:
        sql += " AND a.rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?)"
        params.append(to_fts(search))
    floor = agreement_floor(min_similarity)
    if sql == "1" and floor >= candidates_table.STORED_AGREE:  # every article: the index has the pairs
        return _checked(index, candidates_table.pairs_worth_a_look(index.conn, floor), min_similarity)
    head = f"substr(s.signature, 1, {BAND_BYTES})"
    cursor = index.conn.execute(f"SELECT a.rowid, {head} FROM articles a"  # in rowid order, as the index's pairs
                                f" JOIN signatures s ON s.article = a.rowid WHERE {sql} ORDER BY a.rowid", params)
    rowids, heads = array("q"), bytearray()
    while chunk := cursor.fetchmany(_CHUNK):
        ids, parts = zip(*chunk)
        rowids.extend(ids)
        heads += b"".join(parts)
    pairs = candidates(heads, len(rowids), min_similarity)
    del heads
    return _checked(index, [(rowids[i], rowids[j]) for i, j in pairs], min_similarity)


def _checked(index: Index, pairs: list[tuple[int, int]], min_similarity: float) -> list[list[int]]:
    """The stories (rowids, ascending) the candidate pairs of rowids make once each pair's
    whole signatures are compared."""
    signatures = _signatures(index, sorted({rowid for pair in pairs for rowid in pair}))
    return groups([(i, j, 1.0) for i, j in pairs if similarity(signatures[i], signatures[j]) >= min_similarity])


def _signatures(index: Index, rowids: list[int]) -> dict[int, bytes]:
    found: dict[int, bytes] = {}
    for at in range(0, len(rowids), _CHUNK_IDS):
        part = rowids[at:at + _CHUNK_IDS]
        found.update(index.conn.execute(
            f"SELECT article, signature FROM signatures WHERE article IN ({', '.join('?' * len(part))})", part))
    return found


def _members(index: Index, grouped: list[list[int]]) -> list[list[Member]]:
    """Each story's members, with what a listing needs of them."""
    rows = {m.rowid: m for m in _details(index, sorted(rowid for group in grouped for rowid in group))}
    return [[rows[rowid] for rowid in group] for group in grouped]


def _details(index: Index, rowids: list[int]) -> list[Member]:
    """These articles (with signatures), with what a listing needs of them."""
    found: list[Member] = []
    for at in range(0, len(rowids), _CHUNK_IDS):
        part = rowids[at:at + _CHUNK_IDS]
        found += map(_member, index.conn.execute(
            "SELECT a.rowid, a.offset, a.length, a.id, a.published, s.signature FROM articles a"
            f" JOIN signatures s ON s.article = a.rowid WHERE a.rowid IN ({', '.join('?' * len(part))})", part))
    return found


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

    The story is followed out from the article: each round finds, with a lookup per band in
    the bands table, every article sharing a band with the last round's finds, and keeps those
    similar enough to one of them; no pass over the articles, no grouping of the rest.
    """
    row = index.conn.execute(
        "SELECT a.rowid, a.offset, a.length, a.id, a.published, s.signature FROM articles a"
        " LEFT JOIN signatures s ON s.article = a.rowid WHERE a.id = ?", (article_id,)).fetchone()
    if row is None:
        return []
    found = {row[0]: _member(row)}
    frontier = [found[row[0]]] if row[5] is not None else []
    while frontier:
        near: set[int] = set()
        for band in range(BANDS):
            values = sorted({band_keys(m.signature)[band] for m in frontier})
            near.update(r for (r,) in index.conn.execute(
                f"SELECT article FROM {candidates_table.ALL_BANDS} WHERE band = ? AND value IN ({', '.join('?' * len(values))})",
                [band, *values]))
        frontier = []
        for other in _details(index, sorted(near - found.keys())):
            if any(similarity(m.signature, other.signature) >= min_similarity for m in found.values()
                   if m.signature is not None):
                found[other.rowid] = other
                frontier.append(other)
    this = found.pop(row[0])
    return [m._replace(similarity=similarity(this.signature, m.signature))
            for m in sorted(found.values(), key=_earliest_first)]


def collapse(index: Index, filters: Filters, min_similarity: float = DEFAULT_MIN_SIMILARITY,
             search: str | None = None) -> dict[str, int] | None:
    """With `filters.collapse`: group the matching articles into stories and leave out, for
    the questions asked next with these filters, every story's members but its earliest.
    Returns {earliest member's id: how many articles its story has here} for the stories with
    copies (any other article stands for itself alone); None without --collapse.
    `search`: the words of a `search`, which match along with the filters."""
    if not filters.collapse:
        return None
    grouped = _grouped(index, filters._replace(collapse=False), min_similarity, search)
    found = [sorted(story, key=_earliest_first) for story in _members(index, grouped)]
    index.conn.execute(f"CREATE TABLE IF NOT EXISTS {COPIED} (rowid INTEGER PRIMARY KEY)")
    index.conn.execute(f"DELETE FROM {COPIED}")
    index.conn.executemany(f"INSERT INTO {COPIED} (rowid) VALUES (?)",
                           [(m.rowid,) for story in found for m in story[1:]])
    return {story[0].place.id: len(story) for story in found}
