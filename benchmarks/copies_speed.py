"""Issue 23's speed rows: what copies cost at ingest and what their questions take.

    git archive BASE src | tar -x -C /tmp/newscli-nosig     # newscli before signatures
    python benchmarks/copies_speed.py --sizes 100000 --baseline-src /tmp/newscli-nosig/src

Per size: ingest with signatures against ingest without them (the baseline source tree, run
by the same Python), in turns, fresh stores each time, with the CPU time of each (`--with-only`:
only the ingest with them, for a size whose ingests take too long); index growth (the
signatures, bands and pairs tables' pages, as a share of the JSON-lines store) and the whole index's share
(issue 6's row); then `dups` over the whole archive, `dups --tag X` for a
tag on ~1% of articles, `count`/`list --collapse` with that tag, and `show ID` (which lists
the article's copies). The dumps are benchmarks/generate.py's (2% exact duplicates, which
the ingest drops; copies come from the generator's own repeats and near-repeats). The
selective rows use the tag nearest 10,000 articles, the 1% tag of a million (selective_tag).
Prints a markdown table with each target's PASS/FAIL.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402
from measure import measure, measure_together, run_once  # noqa: E402
from newscli_cmd import CHILD_ENV, default_newscli  # noqa: E402
from report import copies_bytes  # noqa: E402
from run import index_bytes  # noqa: E402
from targets import COPIES_TARGET  # noqa: E402

TARGETS = {  # row -> (bar, how it is judged)
    "ingest ratio": (1.3, "with / without signatures, medians"),
    "index growth (copies' tables)": (COPIES_TARGET, "copies' index bytes (signatures, bands, pairs) / JSON-lines bytes"),
    "dups (whole archive)": (10.0, "seconds at 1M"),
    "dups --tag (10k articles)": (1.0, "seconds"),
    "count --collapse --tag (10k articles)": (0.25, "seconds"),
    "list --collapse --tag (10k articles)": (0.25, "seconds"),
}


def dumps_for(workdir: Path, size: int, seed: int) -> tuple[Path, dict]:
    out = workdir / f"dumps-{size}-{seed}"
    manifest = out / generate.MANIFEST
    if manifest.exists():
        data = json.loads(manifest.read_text())
        if data.get("format_version") == generate.FORMAT_VERSION:
            return out, data
    return out, generate.generate(out, size, seed)


def selective_tag(manifest: dict) -> tuple[str, int]:
    """The tag whose article count is nearest 1% of a million (10,000): what the selective
    questions do follows the articles they select, so at 100k this tag (~10%) puts the 1M
    case's work in front of them; at 1M it is the 1% tag itself."""
    return min(manifest["tag_counts"].items(), key=lambda kv: abs(kv[1] - 10_000))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--ingest-runs", type=int, default=2)
    parser.add_argument("--workdir", default="/tmp/newscli-bench")
    parser.add_argument("--baseline-src", required=True, help="src/ of newscli without signatures")
    parser.add_argument("--keep", action="store_true", help="keep the stores (and their indexes)")
    parser.add_argument("--with-only", action="store_true",
                        help="ingest with signatures only (no ratio; for a size whose ingests take too long)")
    args = parser.parse_args()
    newscli = default_newscli()
    python = [str(Path(sys.executable))]
    base_env = dict(CHILD_ENV, PYTHONPATH=args.baseline_src, NO_COLOR="1")
    env = dict(CHILD_ENV, NO_COLOR="1")
    check = run_once(python + ["-c", "import newscli.copies"], base_env)
    if check.returncode == 0:
        sys.exit("--baseline-src has newscli.copies: it is not a tree without signatures")
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    print("| size | row | newscli | target |\n| --- | --- | --- | --- |")
    for size in map(int, args.sizes.split(",")):
        dumps, manifest = dumps_for(workdir, size, args.seed)
        stores = {name: workdir / f"copies-{name}-{size}" / "articles.jsonl" for name in ("with", "without")}

        def ingest(name: str) -> list[str]:
            store = stores[name]
            prog = newscli if name == "with" else python + ["-m", "newscli"]
            # A fresh store each run: `sh -c` removes the last one, outside the timed command? No:
            # the removal is timed too, but costs milliseconds next to an ingest.
            return ["sh", "-c", f'rm -rf "{store.parent}" && mkdir -p "{store.parent}" && exec "$@"',
                    "sh", *prog, "--store", str(store), "ingest", str(dumps)]

        names = ("with",) if args.with_only else ("without", "with")
        times = {name: [] for name in names}
        cpu = {name: [] for name in names}
        for _ in range(args.ingest_runs):
            for name in names:
                run = run_once(ingest(name), base_env if name == "without" else env)
                if run.returncode != 0:
                    sys.exit(f"ingest {name} failed: {run.stderr.strip()[-300:]}")
                times[name].append(run.seconds)
                cpu[name].append(run.cpu)
        for name in names:  # the index as a query leaves it (secondary indexes made)
            prog = newscli if name == "with" else python + ["-m", "newscli"]
            run_once(prog + ["--store", str(stores[name]), "count"], base_env if name == "without" else env)
        med = {k: sorted(v)[len(v) // 2] for k, v in times.items()}
        med_cpu = {k: sorted(v)[len(v) // 2] for k, v in cpu.items()}
        jsonl = stores["with"].stat().st_size
        # The copies' share as the index holds it: their tables' pages (SQLite's dbstat).
        copies_size = copies_bytes(f"{stores['with']}.index.sqlite")
        growth = copies_size / jsonl
        # Issue 6's row, measured as benchmarks/run.py does.
        whole = index_bytes(stores["with"]) / jsonl
        rows = [("ingest with signatures", f"{med['with']:.1f} s, {med_cpu['with']:.1f} s CPU"
                 f" (runs {', '.join(f'{t:.1f}' for t in times['with'])})", "")]
        if not args.with_only:
            ratio = med["with"] / med["without"]
            rows += [("ingest without", f"{med['without']:.1f} s, {med_cpu['without']:.1f} s CPU"
                      f" (runs {', '.join(f'{t:.1f}' for t in times['without'])})", ""),
                     ("ingest ratio", f"{ratio:.2f}", _verdict("ingest ratio", ratio)),
                     # CPU of the whole process tree, for scale: on a machine busy with other work
                     # the wall-clock ratio tends to this one (both cores are then always taken).
                     ("ingest CPU with / without, for scale", f"{med_cpu['with'] / med_cpu['without']:.2f}", "")]
        rows += [("index growth (copies' tables)",
                  f"{growth:.1%} ({copies_size / 1e6:.1f} MB on {jsonl / 1e6:.0f} MB)",
                  _verdict("index growth (copies' tables)", growth)),
                 ("whole index / JSON-lines (issue 6: <= 60%), for scale",
                  f"{whole:.1%} ({(whole - growth):.1%} without the copies' tables)", "")]
        tag, tagged = selective_tag(manifest)
        store = stores["with"]
        some_id = run_once(newscli + ["--store", str(store), "list", "-n", "1", "-f", "jsonl", "--fields", "id"],
                           env).stdout
        some_id = json.loads(some_id)["id"] if some_id.strip() else "0000"
        cmds = {
            "dups (whole archive)": ["dups", "-n", "0", "-f", "jsonl"],
            "dups -n 20 (whole archive)": ["dups"],
            "dups --tag (10k articles)": ["dups", "--tag", tag, "-n", "0", "-f", "jsonl"],
            "count --collapse --tag (10k articles)": ["count", "--collapse", "--tag", tag],
            "list --collapse --tag (10k articles)": ["list", "--collapse", "--tag", tag, "--json"],
            "count --tag (10k articles), for scale": ["count", "--tag", tag],
            "show ID (lists its copies)": ["show", some_id, "--json"],
        }
        results = measure_together({k: newscli + ["--store", str(store), *v] for k, v in cmds.items()},
                                   args.runs, env)
        for name, result in results.items():
            if result.error:
                rows.append((name, f"failed: {result.error}", "FAIL" if name in TARGETS else ""))
                continue
            low, high = result.spread
            rows.append((name, f"{result.median:.3f} s ({low:.3f}-{high:.3f})",
                         _verdict(name, result.median, scale=1_000_000 / size)))
        last = results["dups (whole archive)"].last
        stories = len({json.loads(line)["story"] for line in last.stdout.splitlines()}) if last else 0
        rows.append(("stories with copies found", f"{stories} (tag {tag!r}: {tagged} articles)", ""))
        for row in rows:
            print(f"| {size:,} | {row[0]} | {row[1]} | {row[2]} |", flush=True)
        for s in stores.values():
            if not args.keep:
                shutil.rmtree(s.parent, ignore_errors=True)
    return 0


def _verdict(name: str, value: float, scale: float = 1.0) -> str:
    if name not in TARGETS:
        return ""
    bar, how = TARGETS[name]
    if how == "seconds at 1M":  # a pass over every signature: linear in the archive's size
        estimate = value * scale
        extra = f"; x{scale:g} = {estimate:.1f} s" if scale != 1.0 else ""
        return f"{'PASS' if estimate < bar else 'FAIL'} (< {bar:g} s at 1M{extra})"
    if how == "seconds":
        return f"{'PASS' if value < bar else 'FAIL'} (< {bar:g} s)"
    return f"{'PASS' if value <= bar else 'FAIL'} (<= {bar:g})"


if __name__ == "__main__":
    sys.exit(main())
