"""Issue 25's hand-off benchmark: `export -f parquet` time and peak RSS, the dataset's size
next to the JSON-lines store, and DuckDB counting a tag over each, in the same run.

    python benchmarks/handoff.py                     # 100k articles (dumps cached as run.py's)
    python benchmarks/handoff.py --million           # adds 1M
    python benchmarks/handoff.py --sizes 2000 --runs 1   # self check: ~1 min
    python benchmarks/handoff.py --million --generated-store  # stores written, not ingested

Needs `pip install '.[parquet]'` for newscli and duckdb in the baseline interpreter. Each
size's store is ingested once into the work directory (kept with --keep, and reused then), or
with --generated-store written by the generator as ingest would write it and indexed.
Exit status 1 when an answer differs (DuckDB over either source against `newscli count`
and the generator's count) or a newscli command fails; a missed target is FAIL in the table.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import RSS_NOTE, Measurement, measure_together, run_once  # noqa: E402
from generate import write_expected_store  # noqa: E402
from newscli_cmd import Newscli, default_newscli  # noqa: E402
from report import machine_info, mb, secs, span, status  # noqa: E402
from run import dumps_for, warm  # noqa: E402

EXPORT_SECONDS = 60.0  # at 1M (the bar); smaller sizes print it for scale
EXPORT_RSS_MB = 500.0  # at every size: the export's memory must not grow with the archive
SIZE_SHARE = 0.40  # dataset bytes / JSON-lines bytes
JUDGED_FROM = 1_000_000


def tree_bytes(root: Path) -> tuple[int, int]:
    files = [p for p in root.rglob("*.parquet") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def bench(size: int, args, nc: Newscli) -> tuple[list[str], list[str], list[str]]:
    """(table rows, target rows, problems) of one size."""
    label = f"{size:,}"
    dumps, manifest = dumps_for(size, args)
    tag = manifest["query"]["tag"]
    home = args.workdir / f"handoff-{size}-seed{args.seed}"
    store = home / "articles.jsonl"
    if not store.exists() and args.generated_store:  # as catchup.py and curation.py make theirs
        print(f"[{label}] writing the store with the generator, then newscli reindex ...", file=sys.stderr)
        write_expected_store(dumps, size, args.seed, store)
        run = run_once(nc.cmd(store, "reindex"), nc.env)
        if run.returncode != 0:
            return [], [], [f"{label}: newscli reindex failed: {run.stderr.strip()[-200:]}"]
    elif not store.exists():
        print(f"[{label}] ingesting {dumps} ...", file=sys.stderr)
        warm(sorted(dumps.rglob("*.txt")))
        run = run_once(nc.cmd(store, "ingest", str(dumps)), nc.env)
        if run.returncode not in (0, 1):
            return [], [], [f"{label}: newscli ingest failed: {run.stderr.strip()[-200:]}"]
    rows, targets, problems = [], [], []
    store_bytes = store.stat().st_size
    dataset = home / "parquet"
    export = Measurement()
    for n in range(args.runs):
        shutil.rmtree(dataset, ignore_errors=True)
        warm([store] + sorted(home.glob("articles.jsonl.*")))
        print(f"[{label}] export -f parquet, run {n + 1}/{args.runs} ...", file=sys.stderr)
        run = run_once(nc.cmd(store, "export", "-f", "parquet", "-o", str(dataset)), nc.env)
        if run.returncode != 0:
            problems.append(f"{label}: newscli export -f parquet failed: {run.stderr.strip()[-200:]}")
            return rows, targets, problems
        export.times.append(run.seconds)
        export.cpus.append(run.cpu)
        export.rss_mb = max(export.rss_mb, run.rss_mb)
        export.last = run
    data_bytes, files = tree_bytes(dataset)
    share = data_bytes / store_bytes

    # DuckDB over each source, in turns; the answers against newscli's and the generator's
    warm([store] + sorted(dataset.rglob("*.parquet")))
    helper = [args.baseline_python, str(Path(__file__).resolve().parent / "baselines.py")]
    duck = measure_together({
        "parquet": helper + ["duckdb-parquet", "count", str(dataset), tag],
        "jsonl": helper + ["duckdb", "count", str(store), tag],
    }, args.runs, warmup=True, min_seconds=3.0)
    expected = manifest["tag_counts"].get(tag, 0)
    counted = run_once(nc.cmd(store, "count", "--tag", tag), nc.env).stdout.strip()
    for name, m in duck.items():
        got = m.last.stdout.strip() if m.last else ""
        if m.error or f'"count": {expected}' not in got or counted != str(expected):
            problems.append(f"{label}: MISMATCH count tagged {tag}: duckdb over {name} {got or m.error}, "
                            f"newscli {counted}, generator {expected}")

    rows += [
        f"| {label} | `export -f parquet` | {secs(export.median)} s ({span(export)}; {len(export.times)} runs; "
        f"CPU {secs(statistics.median(export.cpus))} s, both threads) "
        f"| {export.rss_mb:,.0f} MB | {files} files, {mb(data_bytes)} = {share:.0%} of the store ({mb(store_bytes)}) |",
        f"| {label} | DuckDB count tagged {tag}, Parquet | {secs(duck['parquet'].median)} s "
        f"({span(duck['parquet'])}) | {duck['parquet'].rss_mb:,.0f} MB | {expected:,} |",
        f"| {label} | DuckDB count tagged {tag}, JSON lines | {secs(duck['jsonl'].median)} s "
        f"({span(duck['jsonl'])}) | {duck['jsonl'].rss_mb:,.0f} MB | "
        f"{duck['jsonl'].median / duck['parquet'].median:.0f}× the Parquet time |",
    ]
    judged = size >= JUDGED_FROM
    targets += [
        f"| export -f parquet median | {label} | {secs(export.median)} s | < {EXPORT_SECONDS:g} s at 1M | "
        f"{status(export.median < EXPORT_SECONDS) if judged else '– (for scale)'} |",
        f"| export -f parquet peak RSS | {label} | {export.rss_mb:,.0f} MB | < {EXPORT_RSS_MB:g} MB | "
        f"{status(export.rss_mb < EXPORT_RSS_MB)} |",
        f"| dataset ÷ JSON-lines store | {label} | {share:.1%} | ≤ {SIZE_SHARE:.0%} | {status(share <= SIZE_SHARE)} |",
    ]
    if not args.keep:
        shutil.rmtree(home, ignore_errors=True)
    return rows, targets, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=[100_000])
    parser.add_argument("--million", action="store_true", help="add 1,000,000 articles")
    parser.add_argument("--runs", type=int, default=3, help="timed exports per size (DuckDB: as run.py)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/newscli-bench"))
    parser.add_argument("--newscli", default=None)
    parser.add_argument("--baseline-python", default=sys.executable, help="an interpreter with duckdb")
    parser.add_argument("--keep", action="store_true", help="keep each size's store and dataset")
    parser.add_argument("--generated-store", action="store_true",
                        help="write each store with the generator and index it (newscli reindex) instead of "
                             "ingesting the dumps: minutes instead of an ingest's quarter hour at 1M")
    args = parser.parse_args(argv)
    sizes = args.sizes + ([1_000_000] if args.million and 1_000_000 not in args.sizes else [])
    args.workdir.mkdir(parents=True, exist_ok=True)
    nc = Newscli(args.newscli.split() if args.newscli else default_newscli())
    extra = {"duckdb": subprocess.run([args.baseline_python, "-c", "import duckdb; print(duckdb.__version__)"],
                                      capture_output=True, text=True).stdout.strip() or "not found",
             "rss": RSS_NOTE}
    load_before = os.getloadavg()[0]
    rows, targets, problems = [], [], []
    for size in sizes:
        r, t, p = bench(size, args, nc)
        rows, targets, problems = rows + r, targets + t, problems + p
    extra["load"] = f"1-minute load average {load_before:.2f} at start, {os.getloadavg()[0]:.2f} at end"
    lines = ["## Hand-off benchmark (issue 25)", "", *machine_info(nc.version, extra), "",
             "| size | what | wall time, median (fastest–slowest) | peak RSS | result |",
             "| --- | --- | --- | --- | --- |", *rows, "", "### Targets", "",
             "| target | size | measured | goal | status |", "| --- | --- | --- | --- | --- |", *targets, ""]
    if problems:
        lines += ["### Problems", "", *[f"- {p}" for p in problems], ""]
    print("\n".join(lines))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
