"""Hostile input stays linear: each case timed at n, 2n and 4n in this one run.

    python benchmarks/hostile.py            # a table of seconds and growth, PASS/FAIL per case

Megabyte bylines, dash and hashtag soup, glued-sentence and ordinal-split bait: the inputs
a scraper (or an attacker) can hand the parser. Work that grows linearly takes ~4x as long
at 4n as at n, quadratic work ~16x; a case passes when its growth stays under 8x. This is
the speed side of tests/test_parser.py's hostile cases, which check only what comes out.
Exit status 1 when any case fails.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from newscli.dump.timestamps import TimestampError, parse_timestamp  # noqa: E402
from newscli.dump.parse import parse_text  # noqa: E402
from newscli.dump.repair import join_ordinal_splits, separate_glued_sentences  # noqa: E402

GROWTH_LIMIT = 8.0  # at 4n: linear ~4, quadratic ~16


def _byline(make):
    return lambda n: parse_text(f"Title\n\n{make(n)}\n\nBody.\n")


def _timestamp(n: int) -> None:
    try:
        parse_timestamp("1 " * n)
    except TimestampError:
        pass


CASES = {  # name -> (work for size n, n)
    "byline 'a - ' repeated": (_byline(lambda n: "a - " * n), 65_000),
    "byline of one long number": (_byline(lambda n: "Src - " + "1" * n), 250_000),
    "byline '15 ' repeated": (_byline(lambda n: "Src - " + "15 " * n), 85_000),
    "hashtag soup": (_byline(lambda n: "#a " * n), 85_000),
    "megabyte source name": (_byline(lambda n: "S" * n + " - 15 August 2025"), 250_000),
    "dash soup": (_byline(lambda n: "– — - " * n), 42_000),
    "timestamp '1 ' repeated": (_timestamp, 125_000),
    "glued sentences, no spaces": (lambda n: separate_glued_sentences("ab.Cd" * n), 50_000),
    "glued sentences, spaced": (lambda n: separate_glued_sentences("ab.Cd " * n), 37_000),
    "ordinal splits": (lambda n: join_ordinal_splits(["der 4."] * n, "de"), 12_000),
}


def seconds(work, n: int, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work(n)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    print("| case | n | s at n | s at 2n | s at 4n | growth at 4n | result |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    failed = 0
    for name, (work, n) in CASES.items():
        work(n // 10)  # warm up: compiled regexes, caches
        t1, t2, t4 = (seconds(work, n * k) for k in (1, 2, 4))
        growth = t4 / t1 if t1 > 0 else float("inf")
        ok = growth < GROWTH_LIMIT
        failed += not ok
        print(f"| {name} | {n:,} | {t1:.4f} | {t2:.4f} | {t4:.4f} | {growth:.1f}× | {'PASS' if ok else 'FAIL'} |")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
