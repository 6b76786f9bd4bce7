"""`words`: the terms of a coverage by document frequency, and the terms that set it apart
from a baseline by the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi
and Quinn 2008, "Fightin' Words"), each with its z-score.

Counts are document frequencies: how many articles use the term, not how often. Large sets
are sampled (seeded, so the same archive gives the same answer), as Media Cloud does.
"""

from __future__ import annotations

import heapq
import math
import random
from collections import Counter
from dataclasses import dataclass

from newscli.analysis.cores import map_parts
from newscli.analysis.terms import Frequencies
from newscli.archive.lines import decode_line
from newscli.errors import UsageError
from newscli.index import questions, stories
from newscli.index.filters import Filters
from newscli.index.sync import Index, Located

DEFAULT_SAMPLE = 5_000
# Articles a core must have to be worth a process of its own: forking costs ~5 ms, counting
# 500 articles' words ~0.1 s.
MIN_PART = 500
DEFAULT_SEED = 1
FIELDS = ("term", "count", "share", "z", "vs_count", "vs_share")
DEFAULT_FIELDS = ("term", "count", "share", "z")


@dataclass
class Side:
    """One set of articles (or of stories, with --collapse: each by its earliest member): how
    many match, how many were read, and each term's articles."""

    matching: int
    sampled: int
    counts: Counter
    stories: bool = False

    def describe(self) -> str:
        one, many = ("story", "stories") if self.stories else ("article", "articles")
        if self.sampled < self.matching:
            return f"a sample of {self.sampled:,} of {self.matching:,} {many}"
        return f"all {self.matching:,} {one if self.matching == 1 else many}"


@dataclass
class Words:
    subset: Side
    baseline: Side | None
    rows: list[dict]  # FIELDS, best first
    ngrams: int = 1

    def caption(self, baseline_name: str = "") -> str:
        unit = {1: "terms", 2: "bigrams"}.get(self.ngrams, f"{self.ngrams}-grams")
        text = f"{unit} from {self.subset.describe()}"
        if self.baseline is not None:
            text += f", against {self.baseline.describe()}" + (f" ({baseline_name})" if baseline_name else "")
        return text


def read_side(index: Index, filters: Filters, sample: int, seed: int, ngrams: int) -> Side:
    stories.collapse(index, filters)  # --collapse: each story once, by its earliest member
    rowids = questions.rowids(index, filters)
    picked = rowids if not sample or len(rowids) <= sample else random.Random(seed).sample(rowids, sample)
    places = questions.located_rowids(index, picked)
    parts = map_parts(lambda part: _count(index, part, ngrams), places, MIN_PART)  # on every core
    counts = parts[0]
    for more in parts[1:]:
        counts.update(more)
    return Side(len(rowids), len(picked), counts, filters.collapse)


def _count(index: Index, places: list[Located], ngrams: int) -> Counter:
    """How many of these articles use each term (read from the store file only: this may run
    in a forked child, which must not touch the index's connection)."""
    found = Frequencies(ngrams)
    for line in index.lines(places):
        record = decode_line(line)
        found.add(record.get("title") or "", record.get("body") or "", (record.get("lang") or "").lower())
    return found.counts()


def words(index: Index, filters: Filters, baseline: Filters | None = None, *, ngrams: int = 1,
          sample: int = DEFAULT_SAMPLE, seed: int = DEFAULT_SEED, limit: int = 40) -> Words:
    if not 1 <= ngrams <= 3:
        raise UsageError("--ngrams takes 1, 2 or 3")
    if sample < 0 or limit < 0:
        raise UsageError("--sample and --limit cannot be negative")
    subset = read_side(index, filters, sample, seed, ngrams)
    other = read_side(index, baseline, sample, seed, ngrams) if baseline is not None else None
    z = log_odds(subset.counts, other.counts) if other is not None else {}
    score = z if other is not None else subset.counts
    best = lambda term: (-score[term], term)  # noqa: E731  (ties by term, so the order is stable)
    ranked = heapq.nsmallest(limit, score, key=best) if limit else sorted(score, key=best)
    rows = [_row(term, subset, other, z.get(term)) for term in ranked]
    return Words(subset, other, rows, ngrams)


def _row(term: str, subset: Side, other: Side | None, z: float | None) -> dict:
    share = lambda side: round(side.counts[term] / side.sampled, 6) if side.sampled else None  # noqa: E731
    return {"term": term, "count": subset.counts[term], "share": share(subset),
            "z": None if z is None else round(z, 3),
            "vs_count": other.counts[term] if other else None, "vs_share": share(other) if other else None}


def readable(row: dict) -> dict:
    """A row for a person: shares as percentages, z with two decimals."""
    percent = lambda v: "" if v is None else f"{100 * v:.1f}%"  # noqa: E731
    return {**row, "share": percent(row["share"]), "vs_share": percent(row["vs_share"]),
            "z": "" if row["z"] is None else f"{row['z']:.2f}"}


def log_odds(mine: Counter, theirs: Counter) -> dict[str, float]:
    """z-scores of the log-odds ratio of each of `mine`'s terms, `mine` against `theirs`.

    Monroe, Colaresi and Quinn (2008), eq. 16-22: the informative Dirichlet prior is the
    pooled counts of both sides (alpha_w = y_w^i + y_w^j, alpha_0 = n^i + n^j), as the
    widely used implementations do when no separate background corpus is given.
    delta_w = log((y_i + a_w) / (n_i + a_0 - y_i - a_w)) - log((y_j + a_w) / (n_j + a_0 - y_j - a_w)),
    var(delta_w) ~ 1 / (y_i + a_w) + 1 / (y_j + a_w), z = delta_w / sqrt(var).
    """
    n_i, n_j = sum(mine.values()), sum(theirs.values())
    a_0 = n_i + n_j
    found = {}
    for term, y_i in mine.items():
        y_j = theirs.get(term, 0)
        a_w = y_i + y_j
        delta = (math.log((y_i + a_w) / (n_i + a_0 - y_i - a_w))
                 - math.log((y_j + a_w) / (n_j + a_0 - y_j - a_w)))
        found[term] = delta / math.sqrt(1 / (y_i + a_w) + 1 / (y_j + a_w))
    return found
