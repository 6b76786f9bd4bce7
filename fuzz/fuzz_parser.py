"""Long-running fuzzing of what newscli reads from outside: dump files (decoding + parser)
and store lines (the store reader, the index, `check`). For maintainers, not CI:

    python fuzz/fuzz_parser.py --minutes 30            # both targets, half the time each
    python fuzz/fuzz_parser.py --target store --examples 200000

It uses hypothesis (already a test dependency), so it needs nothing new. Any input that
makes a target raise is shrunk by hypothesis and saved to fuzz/corpus/<target>-<hash>.bin;
tests/test_fuzz_corpus.py replays every file there on each test run, so a crash found once
stays a test forever. Fix the bug, keep the file.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run from a checkout: `tests` is importable

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.fuzz_targets import CORPUS, parse_dump, read_store  # noqa: E402

TARGETS = {"parser": parse_dump, "store": read_store}
ROUND = 300  # examples per hypothesis run; between runs the time budget is checked

BYLINE = st.sampled_from([b"Chas Pravdy - 15 August 2025 18:52", b"Src - 1 Jan 2024 00:00",
                          b"X - 30 February 2025 25:61", b"\xd0\x94\xd0\xb6 - 15 \xd1\x81\xd0\xb5\xd1\x80\xd0\xbf\xd0\xbd\xd1\x8f 2025 18:52"])
PIECE = st.one_of(st.binary(max_size=80), BYLINE, st.sampled_from(
    [b"\n", b"\n\n", b"#Tag #Politik", b"Informationsquelle", b"\r\n", b"\xef\xbb\xbf", b"\x00",
     b"\xff\xfe", b"der 45.", b"verleiht.Zuvor", b"\x1b]0;t\x07", b"[link=x]y[/]", b"{\"id\":\""]))
DUMP = st.lists(PIECE, max_size=40).map(b"".join)


def run(target: str, examples: int, seconds: float) -> int:
    """Rounds of hypothesis runs, fresh randomness each, until the time or examples run out."""
    check = TARGETS[target]
    deadline = time.monotonic() + seconds
    found: list[bytes] = []
    done = 0

    @settings(max_examples=ROUND, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(DUMP)
    def fuzz(data: bytes) -> None:
        try:
            check(data)
        except Exception:
            found.append(data)  # the last one appended is the shrunk one hypothesis re-raises
            raise

    while time.monotonic() < deadline and done < examples:
        try:
            fuzz()
        except Exception as exc:
            data = found[-1] if found else b""
            path = CORPUS / f"{target}-{hashlib.sha256(data).hexdigest()[:16]}.bin"
            path.write_bytes(data)
            print(f"{target}: {type(exc).__name__}: {exc}\n  saved the input to {path}", file=sys.stderr)
            return 1
        done += ROUND
    print(f"{target}: no failure in about {done} inputs")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", choices=[*TARGETS, "all"], default="all")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--examples", type=int, default=1_000_000)
    args = parser.parse_args()
    targets = list(TARGETS) if args.target == "all" else [args.target]
    os.environ.setdefault("NO_COLOR", "1")
    budget = args.minutes * 60 / len(targets)
    return max(run(t, args.examples, budget) for t in targets)


if __name__ == "__main__":
    sys.exit(main())
