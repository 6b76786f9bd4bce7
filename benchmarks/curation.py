"""Issue 24's targets: labelling 100,000 matching articles of a 1M archive in under 3 s, and
listing 20 saved searches with their counts in under 1 s; with `count` of the same filter and
`cp` of the store timed in the same turns, for scale.

    python benchmarks/curation.py --size 1000000      # ~5-15 min, most of it building the index
    python benchmarks/curation.py --size 20000 --runs 2   # self check

Every answer is checked: after a labelling run, `count --label` must equal what the generator
wrote for the tag, and each saved search's total must equal `count` with its options.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402
from measure import measure_together, run_once, size_options  # noqa: E402
from newscli_cmd import CHILD_ENV, default_newscli  # noqa: E402

TAG_TARGET_S, SAVED_TARGET_S = 3.0, 1.0
NEW_ARTICLES = 2_000  # ingested after the saved searches last ran


def build(size: int, seed: int, workdir: Path, newscli: list[str]) -> tuple[Path, dict]:
    """A store of `size` article slots written as ingest would write it, indexed; tag counts."""
    store = workdir / f"curation-{size}" / "articles.jsonl"
    if store.parent.exists():
        shutil.rmtree(store.parent)
    generate.write_expected_store(workdir / f"dumps-{size}-{seed}", size, seed, store)
    tags: dict[str, int] = {}
    with open(store, "rb") as f:
        for line in f:
            for tag in json.loads(line)["tags"]:
                tags[tag] = tags.get(tag, 0) + 1
    done = run_once(newscli + ["--store", str(store), "reindex"], CHILD_ENV)
    if done.returncode:
        sys.exit(f"reindex failed: {done.stderr.strip()}")
    return store, tags


def ingest_new(on: list[str], env: dict, dump: Path, seed: int, articles: int) -> bool:
    """`articles` articles no generated dump holds, ingested the way a user ingests them."""
    dump.write_text("\n\n".join(generate.textgen.synthesize(seed, 10**9 + i).dump for i in range(articles)) + "\n",
                    encoding="utf-8")
    done = run_once(on + ["ingest", str(dump)], env)
    dump.unlink()
    return done.returncode == 0


def since_options(entry: dict) -> list[str]:
    """What `saved` counts as new for a search (docs/curation.md): ingested after the newest
    ingest stamp the archive held when it last ran, which stamps give to the second."""
    later = datetime.fromisoformat(entry["seen"]).replace(tzinfo=timezone.utc) + timedelta(seconds=1)
    return ["--ingested-since", later.isoformat()]  # with its offset: a time without one is local


def count(on: list[str], env: dict, opts: list[str]) -> int | None:
    done = run_once(on + ["count", *opts], env)
    return int(done.stdout) if done.returncode == 0 and done.stdout.strip().isdigit() else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size_options(parser)
    parser.add_argument("--keep", action="store_true",
                        help="keep the indexed store, with its labels and saved searches (for profiling)")
    args = parser.parse_args(argv)
    nc = default_newscli()
    store, tags = build(args.size, args.seed, args.workdir, nc)
    lines = sum(1 for _ in open(store, "rb"))
    tag = min(tags, key=lambda t: abs(tags[t] - lines / 10))  # the tag nearest 10% of the archive
    env = dict(CHILD_ENV, NO_COLOR="1")
    on = nc + ["--store", str(store)]
    rows, ok = [], True

    labels = iter(range(10**6))
    tag_cmd = lambda: on + ["tag", f"+study{next(labels)}", "--tag", tag, "--yes"]  # noqa: E731
    timed = measure_together({"tag": tag_cmd(), "count": on + ["count", "--tag", tag],
                              "cp": ["cp", str(store), str(store) + ".copy"]}, args.runs, env)
    got = run_once(on + ["count", "--label", "study0"], env).stdout.strip()
    ok &= got == str(tags[tag])
    rows.append(("tag +label --tag T --yes", timed["tag"], TAG_TARGET_S, got == str(tags[tag])))
    rows.append(("count --tag T (same run)", timed["count"], None, None))
    rows.append(("cp of the store (same run)", timed["cp"], None, None))
    Path(str(store) + ".copy").unlink(missing_ok=True)

    saved_names = []
    for n, name in enumerate(sorted(tags, key=tags.get, reverse=True)[:20]):
        extra = ["--since", "2025-01-01"] if n % 2 else ["--no-tag", tag]
        if run_once(on + ["saved", "add", f"s{n}", "--tag", name, *extra], env).returncode == 0:
            saved_names.append((f"s{n}", ["--tag", name, *extra]))
    # Each search has run once, then new articles came in: the listing says each one's total and
    # what is new since it ran (two numbers, two questions per search).
    ran = all(run_once(on + ["saved", "run", name, "-n", "1", "--json"], env).returncode == 0
              for name, _ in saved_names)
    fresh = ingest_new(on, env, store.parent / "new-articles.txt", args.seed, NEW_ARTICLES)
    if len(saved_names) == 20 and ran and fresh:
        timed = measure_together({"saved": on + ["saved", "--json"]}, args.runs, env)
        listed = {r["name"]: (r["total"], r["new"]) for r in json.loads(timed["saved"].last.stdout)} \
            if timed["saved"].last else {}
        entries = json.loads(Path(str(store) + ".saved").read_text(encoding="utf-8"))
        right = all(listed.get(name) == (count(on, env, opts), count(on, env, opts + since_options(entries[name])))
                    for name, opts in saved_names)
        ok &= right
        rows.append(("saved (20 searches: total and new)", timed["saved"], SAVED_TARGET_S, right))
    else:
        rows.append(("saved (20 searches: total and new)", None, SAVED_TARGET_S, None))

    print(f"### Curation at {lines:,} articles (tag {tag}: {tags[tag]:,} articles)\n")
    print("| command | median s | runs | peak RSS MB | target | answer |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, m, target, right in rows:
        if m is None:
            print(f"| {name} | not available | | | < {target} s | |")
            continue
        verdict = "" if target is None else ("PASS" if m.times and m.median < target else "FAIL") + f" (< {target} s)"
        answer = "" if right is None else ("✓" if right else "✗")
        print(f"| {name} | {m.median:.3f} | {len(m.times)} | {m.rss_mb:.0f} | {verdict} | {answer} |")
    if args.keep:
        print(f"\nKept: {store}")
    else:
        shutil.rmtree(store.parent)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
