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
import statistics
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


def reference(store: Path, every: int = 1) -> dict:
    """Everything the checks need but the chosen words' exact counts, from one pass over the
    JSON-lines file: articles, articles per week, and the document frequencies (FTS tokens, and
    `words`' terms) of every `every`-th article (all of them by default) to choose the words by
    and to check `words`' shares against. Weekly counts are kept only for some of the
    generator's words (the candidates for the trend queries)."""
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
            week = week_label(record.get("published"))
            weeks[week] += 1
            if (records - 1) % every:
                continue
            text = (record.get("title") or "") + " " + (record.get("body") or "")
            tokens = fts_tokens(text)
            df.update(tokens)
            per_week[week].update(tokens & candidates)
            stop = stops.get(record.get("lang") or "", set())
            words_df.update(w for w in set(_WORD.findall(text.lower())) if len(w) > 1 and w.isalpha() and w not in stop)
    return {"records": records, "read": (records + every - 1) // every, "df": df, "words_df": words_df,
            "weeks": weeks, "per_week": per_week, "candidates": candidates}


def exact_counts(store: Path, words: list[str]) -> tuple[Counter, dict]:
    """Articles with each word (plain ASCII letters) as an FTS token, in all and per week, from
    a pass over every article. fts_tokens decides; it runs only on an article whose text,
    lowercased, decomposed (NFD) and stripped of every non-ASCII character, contains one of the
    words: a token that folds to such a word leaves exactly it there."""
    assert all(w.isascii() and w.isalpha() for w in words), words
    encoded = [(w, w.encode("ascii")) for w in words]
    df, per_week = Counter(), defaultdict(Counter)
    with open(store, "rb") as handle:
        for line in handle:
            record = json.loads(line)
            text = (record.get("title") or "") + " " + (record.get("body") or "")
            folded = unicodedata.normalize("NFD", text.lower()).encode("ascii", "ignore")
            maybe = [w for w, b in encoded if b in folded]
            if maybe:
                found = fts_tokens(text).intersection(maybe)
                df.update(found)
                per_week[week_label(record.get("published"))].update(found)
    return df, per_week


def cached_reference(store: Path, cache: Path | None, compute) -> dict:
    """compute(), kept in `cache` for the same store (size and modification time)."""
    stamp = (store.stat().st_size, store.stat().st_mtime_ns)
    if cache is not None and cache.exists():
        with open(cache, "rb") as handle:
            kept = pickle.load(handle)
        if kept["stamp"] == stamp:
            print(f"reference from {cache}", file=sys.stderr)
            return kept["ref"]
    print(f"reference pass over {store} ({cache.name if cache else 'not kept'}) ...", file=sys.stderr)
    ref = compute()
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
        p = ref["words_df"][term] / ref["read"]  # the reference's share: of all articles, or of every k-th
        error = math.sqrt(max(p * (1 - p), 1e-9) * (1 / n + (1 / ref["read"] if ref["read"] < ref["records"] else 0)))
        if abs(float(share) - p) > 4 * error + 1 / n:
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
    every = args.reference_every or (10 if size >= 1_000_000 else 1)
    keep = (lambda name: home / name) if args.keep else (lambda name: None)
    ref = cached_reference(store, keep(f"reference-{every}.pickle"), lambda: reference(store, every))
    words = [w for w in ref["df"] if w.isalpha() and len(w) > 3]
    frequent = pick(ref["df"], ref["read"], 0.30, words)
    trio: list[str] = []
    for share in (0.10, 0.05, 0.02):
        trio.append(pick(ref["df"], ref["read"], share, ref["candidates"] - set(trio)))
    rare = QUERY_RARE_WORD.lower()
    if every > 1:  # the chosen words' counts, exact, from every article
        chosen = [rare, frequent, *trio]
        df, per_week = cached_reference(store, keep(f"exact-{'-'.join(chosen)}.pickle"),
                                        lambda: exact_counts(store, chosen))
        ref = {**ref, "df": df, "per_week": per_week}
    if args.prepare:
        return [f"{size:,} articles: store, index and reference ready in {home}"]
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
             "| command | median | fastest-slowest | runs | CPU (median) | peak RSS | answer | target at 1M |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for name, m in results.items():
        ok = m.last is not None and m.error is None and checks[name](m.last.stdout, m.last.stderr)
        limit, mb = TARGETS[name]
        met = "PASS" if m.times and m.median < limit and m.rss_mb < mb else "FAIL"
        cpu = f"{statistics.median(m.cpus):.3f}" if m.cpus else ""
        lines.append(f"| `newscli {' '.join(cmds[name])}` | {secs(m.median)} | {span(m)} | {len(m.times)} "
                     f"| {cpu} | {m.rss_mb:.0f} MB | {'✓' if ok else '✗ ' + (m.error or 'differs')} "
                     f"| < {limit} s, < {mb} MB: {met if size >= 1_000_000 else 'at 1M only'} |")
    if not args.keep:
        shutil.rmtree(home, ignore_errors=True)
    return lines + ["", RSS_NOTE + "; CPU: user + system seconds of the command and its children (`words` "
                    "counts on every core: its wall time on an idle machine is below its CPU time)", ""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/newscli-bench"))
    parser.add_argument("--newscli", default=None, help="the command to run (default: beside this Python)")
    parser.add_argument("--keep", action="store_true", help="keep the stores, indexes and reference figures")
    parser.add_argument("--reference-every", type=int, default=0, metavar="K",
                        help="the reference tokenizes every K-th article to choose the words and check words' "
                             "shares (default 1, and 10 from 1M); the chosen words' counts are always exact")
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
