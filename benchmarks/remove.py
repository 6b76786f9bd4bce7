"""`rm` of a few articles beside `cp` of the store (issue 21): removing 10 articles must cost at
most twice what copying the JSON-lines file does, in the same run.

    python benchmarks/remove.py --size 100000         # its own store (dumps cached as run.py's)
    python benchmarks/remove.py --store S --rounds 5  # an existing store (articles are removed!)

run.py runs `rm_vs_cp` on each size's store after the questions. Each round times `cp STORE
COPY` (then deletes the copy) and `newscli rm --yes` of 10 ids spread evenly over the file (a
different 10 each round, the first near its start: nearly all of the file lies past a cut),
in turns, so that a shared machine's drift weighs on both alike; then checks that `count`
fell by 10 and the ids are gone. Page cache warm, as for the questions.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import Measurement, run_once  # noqa: E402
from newscli_cmd import Newscli, default_newscli, last_line  # noqa: E402
from report import Target, secs, span, status  # noqa: E402

REMOVED = 10
RM_TARGET = 2.0  # rm ÷ cp


def spread_ids(store: Path, n: int, round_no: int) -> list[str]:
    """n ids evenly spread over the file, shifted by the round so each round takes others."""
    with open(store, "rb") as handle:
        lines = sum(1 for _ in handle)
    step = max(lines // n, 1)
    wanted = {min(i * step + round_no, lines - 1) for i in range(n)}
    found = []
    with open(store, "rb") as handle:
        for number, line in enumerate(handle):
            if number in wanted:
                found.append(json.loads(line)["id"])
    return found


def count(nc: Newscli, store: Path) -> int:
    run = run_once(nc.cmd(store, "count"), nc.env)
    return int(run.stdout.strip().replace(",", ""))


def rm_vs_cp(store: Path, nc: Newscli, rounds: int, warm) -> tuple[Measurement, Measurement]:
    """(rm, cp) measurements; rm.error says what went wrong, if anything. `warm` reads files
    through (run.warm): page cache warm for both."""
    rm, cp = Measurement(), Measurement()
    copy = store.with_name(store.name + ".bench-copy")
    for round_no in range(rounds):
        ids = spread_ids(store, REMOVED, round_no)
        before = count(nc, store)
        warm([store, *store.parent.glob(store.name + ".index*")])
        copied = run_once(["cp", str(store), str(copy)])
        copy.unlink(missing_ok=True)
        removed = run_once(nc.cmd(store, "rm", "--yes", *ids), nc.env)
        if removed.returncode != 0 or copied.returncode != 0:
            rm.error = f"exit {removed.returncode}: {last_line(removed.stderr)}"
            break
        after = count(nc, store)
        if run_once(nc.cmd(store, "show", ids[0]), nc.env).returncode == 0:
            rm.error = f"MISMATCH: {ids[0]} is still shown after rm"
            break
        if before - after != len(set(ids)):
            rm.error = f"MISMATCH: count went from {before:,} to {after:,} after removing {len(set(ids))}"
            break
        cp.times.append(copied.seconds)
        rm.times.append(removed.seconds)
        rm.rss_mb = max(rm.rss_mb, removed.rss_mb)
    return rm, cp


def target(label: str, rm: Measurement, cp: Measurement) -> Target:
    ok = not rm.error and bool(rm.times) and rm.median / cp.median <= RM_TARGET
    verdict = "FAIL" if rm.error and "MISMATCH" in rm.error else status(ok) if rm.times else "n/a"
    return Target(f"`rm` of {REMOVED} articles ÷ `cp` of the store", label, describe(rm, cp),
                  f"≤ {RM_TARGET}", verdict)


def describe(rm: Measurement, cp: Measurement) -> str:
    if rm.error or not rm.times:
        return rm.error or "not run"
    ratio = rm.median / cp.median
    return (f"{secs(rm.median)} s ÷ {secs(cp.median)} s = {ratio:.2f} "
            f"(medians of {len(rm.times)}; rm {span(rm)} s, cp {span(cp)} s)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--store", type=Path, help="use this store (its articles get removed)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/newscli-bench"))
    parser.add_argument("--newscli", help="the command to run (default: the one beside this Python)")
    args = parser.parse_args(argv)
    nc = Newscli(args.newscli.split() if args.newscli else default_newscli())
    store = args.store
    if store is None:
        from run import dumps_for

        args.million = False
        dumps, _ = dumps_for(args.size, args)
        store = args.workdir / f"rm-{args.size}-seed{args.seed}" / "articles.jsonl"
        shutil.rmtree(store.parent, ignore_errors=True)
        store.parent.mkdir(parents=True)
        print(f"[{args.size:,}] ingesting ...", file=sys.stderr)
        run_once(nc.cmd(store, "ingest", str(dumps)), nc.env)
        count(nc, store)
    from run import warm

    rm, cp = rm_vs_cp(store, nc, args.rounds, warm)
    print(f"| `rm` of {REMOVED} ÷ `cp` of the store | {store.stat().st_size / 1e6:,.0f} MB | "
          f"{describe(rm, cp)} | ≤ {RM_TARGET} |")
    if args.store is None:
        shutil.rmtree(store.parent, ignore_errors=True)
    return 1 if rm.error else 0


if __name__ == "__main__":
    sys.exit(main())
