"""Issue 23's quality benchmark: does `newscli dups` find the planted copies, and only them?

    python benchmarks/copies_quality.py [--articles 10000] [--copies 1000] [--seed 1]

Generates an archive with a known truth (copies_gen.py: topic families of look-alike stories,
copies made the ways syndication makes them), ingests it with newscli, asks `dups` for every
story at several thresholds and scores the answer pair by pair: two articles in one found
story are a true positive when they are copies of one original, a false positive otherwise;
two copies of one original left in different stories are a false negative. Exact copies
(another source, same text) are scored on their own: their recall must be 1.0.
Not a timed test; standard library only (newscli is run as a command).
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import copies_gen  # noqa: E402
from newscli_cmd import CHILD_ENV, default_newscli  # noqa: E402

THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6)
DEFAULT = 0.4
TARGETS = {"recall": 0.95, "precision": 0.98, "exact_recall": 1.0}


def run(newscli: list[str], store: Path, *args: str) -> str:
    done = subprocess.run(newscli + ["--store", str(store), *args], capture_output=True,
                          text=True, env=CHILD_ENV, check=False)
    if done.returncode != 0:
        sys.exit(f"newscli {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def pairs_of(groups) -> set[tuple[str, str]]:
    return {tuple(sorted(p)) for g in groups for p in itertools.combinations(g, 2)}


def score(found: set, truth: set, total_pairs: int) -> dict:
    tp, fp, fn = len(found & truth), len(found - truth), len(truth - found)
    return {"tp": tp, "fp": fp, "fn": fn, "tn": total_pairs - tp - fp - fn,
            "precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--copies", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--newscli", default=None, help="how to run newscli (default: beside this Python)")
    args = parser.parse_args()
    newscli = args.newscli.split() if args.newscli else default_newscli()
    stories = copies_gen.archive(args.seed, args.articles, args.copies)
    with tempfile.TemporaryDirectory(prefix="newscli-copies-") as work:
        dump, store = Path(work) / "dump.txt", Path(work) / "articles.jsonl"
        dump.write_text("\n\n".join(s.dump() for s in stories) + "\n", encoding="utf-8")
        started = time.perf_counter()
        run(newscli, store, "ingest", str(dump))
        ingest_s = time.perf_counter() - started
        listed = [json.loads(line) for line in run(
            newscli, store, "list", "-n", "0", "-f", "jsonl", "--fields", "id,title,source,published").splitlines()]
        ids = {(r["title"], r["source"], r["published"]): r["id"] for r in listed}
        key_of, kind_of = {}, {}
        for s in stories:
            article_id = ids[(s.title, s.source, s.published)]
            key_of[article_id], kind_of[article_id] = s.key, s.kind
        assert len(key_of) == len(stories), "every generated article is stored once"
        by_key = defaultdict(list)
        for article_id, key in key_of.items():
            by_key[key].append(article_id)
        truth = pairs_of(by_key.values())
        exact = {p for p in truth if "exact" in (kind_of[p[0]], kind_of[p[1]])
                 and {kind_of[p[0]], kind_of[p[1]]} <= {"exact", "original"}}
        total = len(key_of) * (len(key_of) - 1) // 2
        print(f"{len(stories)} articles: {sum(k == 'original' for k in kind_of.values())} originals,"
              f" {sum(k == 'edited' for k in kind_of.values())} edited and"
              f" {sum(k == 'exact' for k in kind_of.values())} exact copies; {len(truth)} copy pairs"
              f" ({len(exact)} exact), {total} pairs in all; ingest {ingest_s:.1f} s\n")
        print("| min similarity | precision | recall | exact-copy recall | TP | FP | FN | TN | dups time |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        verdicts = {}
        for threshold in THRESHOLDS:
            started = time.perf_counter()
            rows = [json.loads(line) for line in run(
                newscli, store, "dups", "-n", "0", "-f", "jsonl", "--fields", "story,id",
                "--min-similarity", str(threshold)).splitlines()]
            took = time.perf_counter() - started
            groups = defaultdict(list)
            for row in rows:
                groups[row["story"]].append(row["id"])
            found = pairs_of(groups.values())
            s = score(found, truth, total)
            exact_recall = len(found & exact) / len(exact) if exact else 1.0
            mark = " (default)" if threshold == DEFAULT else ""
            print(f"| {threshold}{mark} | {s['precision']:.4f} | {s['recall']:.4f} | {exact_recall:.4f} |"
                  f" {s['tp']} | {s['fp']} | {s['fn']} | {s['tn']} | {took:.2f} s |")
            if threshold == DEFAULT:
                verdicts = {"precision": s["precision"], "recall": s["recall"], "exact_recall": exact_recall}
        print()
        failed = [name for name, bar in TARGETS.items() if verdicts[name] < bar]
        for name, bar in TARGETS.items():
            print(f"{name} at the default {DEFAULT}: {verdicts[name]:.4f} (target >= {bar}):"
                  f" {'FAIL' if name in failed else 'PASS'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
