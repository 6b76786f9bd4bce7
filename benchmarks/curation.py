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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402
from measure import measure_together, run_once  # noqa: E402
from newscli_cmd import CHILD_ENV, default_newscli  # noqa: E402

TAG_TARGET_S, SAVED_TARGET_S = 3.0, 1.0


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/newscli-bench"))
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
    if len(saved_names) == 20:
        timed = measure_together({"saved": on + ["saved", "--json"]}, args.runs, env)
        listed = {r["name"]: r["total"] for r in json.loads(timed["saved"].last.stdout)} if timed["saved"].last else {}
        right = all(str(listed.get(name)) == run_once(on + ["count", *opts], env).stdout.strip()
                    for name, opts in saved_names)
        ok &= right
        rows.append(("saved (20 searches, with counts)", timed["saved"], SAVED_TARGET_S, right))
    else:
        rows.append(("saved (20 searches, with counts)", None, SAVED_TARGET_S, None))

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
    shutil.rmtree(store.parent)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
