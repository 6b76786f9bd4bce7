"""Issue 6's catch-up row on its own: the first query after 1,000 records are appended to a
large store by hand, beside one plain read of the store (`cat > /dev/null`) in the same turns.

    python benchmarks/catchup.py --size 1000000     # ~5-10 min, most of it the untimed index build
    python benchmarks/catchup.py --size 20000       # self check
    python benchmarks/catchup.py --check-only STORE # the whole-store check alone, before and now

Since issue 20 a query trusts an append it did not log only after checking every indexed byte
against the CRC saved with the index, so this row costs one read of the store; the `cat` row
shows what that read alone costs on this machine. The store is written straight from the
generator and indexed by `reindex` before anything is timed (run.py times ingest).
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402
from measure import run_once, size_options  # noqa: E402
from newscli_cmd import Newscli, default_newscli  # noqa: E402
from run import catch_up  # noqa: E402
from targets import CATCHUP_TARGET  # noqa: E402


def cat_seconds(store: Path) -> float:
    started = time.perf_counter()
    with open(store, "rb") as handle:
        while handle.read(1 << 20):
            pass
    return time.perf_counter() - started


def check_only(path: Path, turns: int = 3) -> None:
    """The whole-store check alone, in this process: the function a query calls
    (index/checksum.prefix_crc) in turns with main's loop before it (zlib, one thread)."""
    import resource
    import zlib

    from newscli.index.checksum import prefix_crc

    def before(fd: int, end: int) -> int:
        crc = pos = 0
        while pos < end:
            chunk = os.pread(fd, min(1 << 20, end - pos), pos)
            crc, pos = zlib.crc32(chunk, crc), pos + len(chunk)
        return crc

    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    fd = os.open(path, os.O_RDONLY)
    end = os.fstat(fd).st_size
    ways = {"before: zlib's CRC-32, one thread": before,
            "now: index/checksum.prefix_crc": prefix_crc}
    seen: dict[str, list[tuple[float, float, int]]] = {name: [] for name in ways}
    for _ in range(turns):
        for name, way in ways.items():
            cpu0, wall0 = cpu(), time.perf_counter()
            crc = way(fd, end)
            seen[name].append((time.perf_counter() - wall0, cpu() - cpu0, crc))
    os.close(fd)
    if len({crc for runs in seen.values() for _, _, crc in runs}) != 1:
        sys.exit("MISMATCH: the two ways gave different CRCs")
    print(f"| whole-store check, {end / 1e9:.2f} GB, load {os.getloadavg()[0]:.1f} | wall (median, range) | CPU (median) |")
    print("| --- | --- | --- |")
    for name, runs in seen.items():
        walls, cpus = sorted(r[0] for r in runs), sorted(r[1] for r in runs)
        mid = len(runs) // 2
        print(f"| {name} | {walls[mid]:.2f} s ({walls[0]:.2f}-{walls[-1]:.2f}) | {cpus[mid]:.2f} s |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size_options(parser)
    parser.add_argument("--newscli", default=None)
    parser.add_argument("--check-only", type=Path, default=None, metavar="STORE",
                        help="time only the whole-store check over STORE, in this process (needs newscli importable)")
    parser.add_argument("--keep", action="store_true", help="keep the store and index (and reuse a kept one)")
    parser.add_argument("--lock", type=Path, default=None,
                        help="hold this flock(1) file only while timing (the build runs before it)")
    args = parser.parse_args(argv)
    if args.check_only:
        check_only(args.check_only)
        return 0
    nc = Newscli(args.newscli.split() if args.newscli else default_newscli())
    dumps = args.workdir / f"dumps-{args.size}-seed{args.seed}"
    manifest = generate.cached_manifest(dumps, args.size, args.seed) or generate.generate(
        dumps, args.size, args.seed)
    store = args.workdir / f"catchup-{args.size}" / "articles.jsonl"
    runs_file = store.parent / "catch-up-runs"  # a kept store already holds earlier runs' appends
    if args.keep and runs_file.exists():
        earlier = int(runs_file.read_text())
    else:
        earlier = 0
        shutil.rmtree(store.parent, ignore_errors=True)
        generate.write_expected_store(dumps, args.size, args.seed, store)
        built = run_once(nc.cmd(store, "reindex"), nc.env)
        if built.returncode:
            sys.exit(f"reindex failed: {built.stderr.strip()}")
    runs_file.write_text(str(earlier + 1))
    appended = argparse.Namespace(**{**vars(args), "seed": args.seed + 7919 * (earlier + 1)})  # new ids
    tag = manifest["query"]["tag"]
    with open(args.lock, "a") if args.lock else open(os.devnull) as lock:
        if args.lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if os.getpriority(os.PRIO_PROCESS, 0) > 0 and os.geteuid() == 0:
                os.setpriority(os.PRIO_PROCESS, 0, 0)  # built under `nice`, timed at normal priority
        result = catch_up(store, tag, appended, nc)
        reads = sorted(cat_seconds(store) for _ in range(3))
    size_mb = os.path.getsize(store) / 1e6
    print(f"| {args.size:,} articles, store {size_mb:,.0f} MB, load {os.getloadavg()[0]:.1f} | figure | target |")
    print("| --- | --- | --- |")
    if result.error:
        print(f"| catch-up after 1,000 appended | {result.error} | < {CATCHUP_TARGET} s |")
    else:
        med = sorted(result.times)[len(result.times) // 2]
        verdict = "PASS" if med < CATCHUP_TARGET else "FAIL"
        cpu = sorted(result.cpus)[len(result.cpus) // 2]
        print(f"| catch-up after 1,000 appended (median of {len(result.times)}; "
              f"{', '.join(f'{t:.3f}' for t in result.times)}) | {med:.3f} s {verdict} | < {CATCHUP_TARGET} s |")
        print(f"| the same, CPU seconds (user + system, all threads) | {cpu:.3f} s | |")
    print(f"| one read of the store, for scale (median of 3) | {reads[1]:.3f} s | |")
    if not args.keep:
        shutil.rmtree(store.parent, ignore_errors=True)
    return 1 if result.error else 0


if __name__ == "__main__":
    sys.exit(main())
