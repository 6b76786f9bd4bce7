"""Issue 22's analysis benchmark: count -q, trend and words on a generated archive, each
answer checked against a reference computed here, in plain Python over the JSON-lines file.

    python benchmarks/analysis.py --sizes 100000          # ~10-20 min on 2 shared cores
    python benchmarks/analysis.py --sizes 1000000 --runs 3
    python benchmarks/analysis.py --sizes 1000000 --keep --prepare   # then again without --prepare

With --keep, the store, its index and the reference's figures stay in the work directory;
--prepare builds them and stops before timing anything, so on a shared machine the long
untimed part (writing 4 GB, indexing, the reference pass: ~30 min at 1M) can run at low
priority, and only the timed part under the benchmark lock.

The store is written straight from the generator (generate.write_expected_store: the records
`ingest` would write, without timing an ingest: run.py does that); newscli builds its index
on the first query, untimed. The words are chosen from the reference's document
frequencies: the one nearest 30 % of the articles, and three at 10 %, 5 % and 2 %.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import pickle
import re
import shutil
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402
from measure import RSS_NOTE, measure_together, run_once  # noqa: E402
from newscli_cmd import CHILD_ENV, default_newscli  # noqa: E402
from report import secs, span  # noqa: E402
from textgen import QUERY_RARE_WORD  # noqa: E402

# issue 22's targets at 1M articles: (seconds, MB)
TARGETS = {"count -q rare": (0.25, 200), "count -q 30%": (1.0, 200), "trend 3 queries by week": (1.0, 200),
           "trend no query by week": (0.25, 200), "words, default sample": (1.5, 200)}
_FTS_TOKEN = re.compile(r"[^\W_]+")  # what unicode61 calls a token: letters and digits
_WORD = re.compile(r"\w+")


_FOLDED: dict[str, str] = {}


def fts_tokens(text: str) -> set[str]:
    """FTS5 unicode61 remove_diacritics 2, as written in its documentation: tokens of letters
    and digits, lower case, diacritics removed (each distinct token folded once)."""
    found = set()
    for token in set(_FTS_TOKEN.findall(text.lower())):
        folded = _FOLDED.get(token)
        if folded is None:
            folded = _FOLDED[token] = "".join(c for c in unicodedata.normalize("NFD", token)
                                              if not unicodedata.combining(c))
        found.add(folded)
    return found


def week_label(published: str | None) -> str:
    if not published:
        return ""
    year, week, _ = date.fromisoformat(published[:10]).isocalendar()
    return f"{year}-W{week:02d}"


def reference(store: Path) -> dict:
    """Everything the checks need, from one pass over the JSON-lines file. Weekly counts are
    kept only for some of the generator's words (the candidates for the trend queries)."""
    from stop_words import get_stop_words

    from textgen import VOCAB

    # words of the vocabulary's middle ranks: from ~20% of the articles down to ~1%
    candidates = {token for w in VOCAB[100:3000:7] for token in fts_tokens(w)}
    stops = {lang: {w.lower() for w in get_stop_words(lang)} for lang in ("de", "en", "uk", "ru", "fr", "es", "it", "pl")}
    df, words_df, weeks, per_week = Counter(), Counter(), Counter(), defaultdict(Counter)
    records = 0
    with open(store, "rb") as handle:
        for line in handle:
            record = json.loads(line)
            records += 1
            text = (record.get("title") or "") + " " + (record.get("body") or "")
            tokens = fts_tokens(text)
            df.update(tokens)
            week = week_label(record.get("published"))
            weeks[week] += 1
            per_week[week].update(tokens & candidates)
            stop = stops.get(record.get("lang") or "", set())
            words_df.update(w for w in set(_WORD.findall(text.lower())) if len(w) > 1 and w.isalpha() and w not in stop)
    return {"records": records, "df": df, "words_df": words_df, "weeks": weeks, "per_week": per_week,
            "candidates": candidates}


def cached_reference(store: Path, cache: Path | None) -> dict:
    """reference(store), kept in `cache` for the same store (size and modification time)."""
    stamp = (store.stat().st_size, store.stat().st_mtime_ns)
    if cache is not None and cache.exists():
        with open(cache, "rb") as handle:
            kept = pickle.load(handle)
        if kept["stamp"] == stamp:
            print(f"reference from {cache}", file=sys.stderr)
            return kept["ref"]
    print(f"reference pass over {store} ...", file=sys.stderr)
    ref = reference(store)
    if cache is not None:
        with open(cache, "wb") as handle:
            pickle.dump({"stamp": stamp, "ref": ref}, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return ref


def pick(df: Counter, records: int, share: float, among) -> str:
    return min(sorted(among), key=lambda w: abs(df[w] / records - share))


def expected_trend(ref: dict, queries: list[str] | None) -> dict[tuple[str, str], tuple[int, int]]:
    weeks = sorted(w for w in ref["weeks"] if w)
    first, last = (date.fromisocalendar(int(w[:4]), int(w[6:]), 1) for w in (weeks[0], weeks[-1]))
    found = {}
    day = first
    while day <= last:
        year, week, _ = day.isocalendar()
        label = f"{year}-W{week:02d}"
        for q in queries or ["all articles"]:
            count = ref["per_week"][label][q] if queries else ref["weeks"][label]
            found[(label, q)] = (count, ref["weeks"][label])
        day = date.fromordinal(day.toordinal() + 7)
    if ref["weeks"][""]:
        for q in queries or ["all articles"]:
            found[("", q)] = (ref["per_week"][""][q] if queries else ref["weeks"][""], ref["weeks"][""])
    return found


def check_trend(stdout: str, expected: dict) -> bool:
    got = {}
    for line in stdout.splitlines():
        bucket, query, count, total, _ = line.split("\t")
        got[(bucket, query)] = (int(count), int(total))
    return got == expected


def check_words(stdout: str, stderr: str, ref: dict) -> bool:
    """Sampled shares against the whole archive's: each within 4 standard errors, and the
    caption's article count the file's."""
    match = re.search(r"a sample of ([\d,]+) of ([\d,]+) articles", stderr)
    if not match or int(match.group(2).replace(",", "")) != ref["records"]:
        return False
    n = int(match.group(1).replace(",", ""))
    rows = [line.split("\t") for line in stdout.splitlines()]
    for term, count, share in rows[:20]:
        p = ref["words_df"][term] / ref["records"]
        if abs(float(share) - p) > 4 * math.sqrt(max(p * (1 - p), 1e-9) / n) + 1 / n:
            return False
    return len(rows) >= 20


def bench(size: int, args) -> list[str]:
    home = args.workdir / f"analysis-{size}-seed{args.seed}"
    store = home / "articles.jsonl"
    if not store.exists():
        print(f"[{size:,}] writing the store ...", file=sys.stderr)
        shutil.rmtree(home, ignore_errors=True)
        generate.write_expected_store(home / "dumps", size, args.seed, store)
    nc = args.newscli
    env = dict(CHILD_ENV, NO_COLOR="1", COLUMNS="120")
    print(f"[{size:,}] indexing (first query, untimed) ...", file=sys.stderr)
    first = run_once(nc + ["--store", str(store), "count"], env)
    assert first.returncode == 0, first.stderr
    ref = cached_reference(store, home / "reference.pickle" if args.keep else None)
    if args.prepare:
        return [f"{size:,} articles: store, index and reference ready in {home}"]
    words = [w for w in ref["df"] if w.isalpha() and len(w) > 3]
    frequent = pick(ref["df"], ref["records"], 0.30, words)
    trio: list[str] = []
    for share in (0.10, 0.05, 0.02):
        trio.append(pick(ref["df"], ref["records"], share, ref["candidates"] - set(trio)))
    rare = QUERY_RARE_WORD.lower()
    cmds = {
        "count -q rare": ["count", "-q", rare],
        "count -q 30%": ["count", "-q", frequent],
        "trend 3 queries by week": ["trend", *trio, "--by", "week"],
        "trend no query by week": ["trend", "--by", "week"],
        "words, default sample": ["words"],
    }
    checks = {
        "count -q rare": lambda out, err: int(out) == ref["df"][rare],
        "count -q 30%": lambda out, err: int(out) == ref["df"][frequent],
        "trend 3 queries by week": lambda out, err: check_trend(out, expected_trend(ref, trio)),
        "trend no query by week": lambda out, err: check_trend(out, expected_trend(ref, None)),
        "words, default sample": lambda out, err: check_words(out, err, ref),
    }
    load = os.getloadavg()
    results = measure_together({name: nc + ["--store", str(store), *c] for name, c in cmds.items()},
                               args.runs, env, min_seconds=3.0)
    load_after = os.getloadavg()
    lines = [f"### {size:,} articles ({ref['records']:,} stored)", "",
             f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average (1, 5, 15 min) before "
             f"{', '.join(f'{x:.2f}' for x in load)}, after {', '.join(f'{x:.2f}' for x in load_after)}.", "",
             f"Words: 30 % `{frequent}` ({ref['df'][frequent] / ref['records']:.1%}), rare `{rare}` "
             f"({ref['df'][rare]:,} articles), trend "
             + ", ".join(f"`{w}` ({ref['df'][w] / ref['records']:.1%})" for w in trio) + ".", "",
             "| command | median | fastest-slowest | runs | peak RSS | answer | target at 1M |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for name, m in results.items():
        ok = m.last is not None and m.error is None and checks[name](m.last.stdout, m.last.stderr)
        limit, mb = TARGETS[name]
        met = "PASS" if m.times and m.median < limit and m.rss_mb < mb else "FAIL"
        lines.append(f"| `newscli {' '.join(cmds[name])}` | {secs(m.median)} | {span(m)} | {len(m.times)} "
                     f"| {m.rss_mb:.0f} MB | {'✓' if ok else '✗ ' + (m.error or 'differs')} "
                     f"| < {limit} s, < {mb} MB: {met if size >= 1_000_000 else 'at 1M only'} |")
    if not args.keep:
        shutil.rmtree(home, ignore_errors=True)
    return lines + ["", RSS_NOTE, ""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/newscli-bench"))
    parser.add_argument("--newscli", default=None, help="the command to run (default: beside this Python)")
    parser.add_argument("--keep", action="store_true", help="keep the stores, indexes and reference figures")
    parser.add_argument("--prepare", action="store_true",
                        help="build the store, index and reference, time nothing (with --keep)")
    args = parser.parse_args(argv)
    args.newscli = args.newscli.split() if args.newscli else default_newscli()
    if args.prepare and not args.keep:
        parser.error("--prepare needs --keep (else what it builds is deleted)")
    out = []
    for size in (int(s) for s in args.sizes.split(",")):
        out += bench(size, args)
    print("\n".join(out))
    return 0 if all("✗" not in line for line in out) else 1


if __name__ == "__main__":
    sys.exit(main())
