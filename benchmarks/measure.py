"""Time whole processes: wall clock from spawn to exit, and that one process's peak RSS.

Peak RSS comes from GNU time (`/usr/bin/time -f %M`) when it exists. Asking the kernel
directly (os.wait4) is not enough: a child keeps the high-water mark of the process it was
forked from across exec, so every command would seem at least as big as this runner.
GNU time is small, and it forks the command itself. Without it, wait4 is used and the
figure is an upper bound (RSS_NOTE says so in the report). The wrapper adds about 1 ms.
Output goes to temporary files, not pipes, so a chatty child never blocks on a full pipe
and no reader thread competes with it for the CPU while it is being timed.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field

GNU_TIME = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None
RSS_NOTE = ("peak RSS by GNU time" if GNU_TIME else
            "peak RSS by wait4: an upper bound that includes the runner's own size")
SLOW_SECONDS = 20.0  # a warm-up slower than this caps the timed runs at 3 (jq at 1M)
# Quick commands run until they add up to this much time, as hyperfine does (at least 3 s):
# five runs of a 0.15 s process on a shared machine leave its median to luck.
MIN_SECONDS = 3.0
MAX_RUNS = 50


@dataclass
class Run:
    seconds: float
    rss_mb: float
    returncode: int
    stdout: str
    stderr: str
    cpu: float = 0.0  # user + system seconds of the command and its children: what load cannot inflate


@dataclass
class Measurement:
    """Several timed runs of one command; `last` keeps the output for the answer check."""

    times: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)  # CPU seconds of the same runs
    rss_mb: float = 0.0
    last: Run | None = None
    error: str | None = None  # the command ran but failed: last stderr line

    @property
    def median(self) -> float:
        return statistics.median(self.times) if self.times else float("nan")

    @property
    def spread(self) -> tuple[float, float]:
        return (min(self.times), max(self.times)) if self.times else (float("nan"),) * 2


def size_options(parser, size: int = 1_000_000, runs: int = 3) -> None:
    """The options every one-size benchmark takes: --size, --runs, --seed, --workdir."""
    from pathlib import Path

    parser.add_argument("--size", type=int, default=size, help="article slots to generate")
    parser.add_argument("--runs", type=int, default=runs, help="timed runs")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/newscli-bench"))


def run_once(cmd: list[str], env: dict | None = None, timeout: float = 3600) -> Run:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r") as rss:
        argv = [GNU_TIME, "-f", "%M", "-o", rss.name, *cmd] if GNU_TIME else cmd
        started = time.perf_counter()
        try:
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env)
        except OSError as exc:  # no such program: a failed run, not a crash of the runner
            return Run(0.0, 0.0, 127, "", f"{cmd[0]}: {exc.strerror}")
        killer = threading.Timer(timeout, proc.kill)  # a hung command must not hang the run
        killer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)  # blocking: exit is seen at once
        finally:
            killer.cancel()
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        peak_kb = usage.ru_maxrss
        if GNU_TIME:
            numbers = [line for line in rss.read().splitlines() if line.strip().isdigit()]
            peak_kb = int(numbers[-1]) if numbers else 0
        out.seek(0), err.seek(0)
        return Run(seconds, peak_kb / 1024, proc.returncode,
                   out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                   usage.ru_utime + usage.ru_stime)


def measure(cmd: list[str], runs: int, env: dict | None = None, warmup: bool = True,
            min_seconds: float = 0.0) -> Measurement:
    """One uncounted warm-up (page cache, pyc files), then `runs` timed runs, and more while
    they add up to less than `min_seconds` (at most MAX_RUNS in all)."""
    return measure_together({"": cmd}, runs, env, warmup, min_seconds)[""]


def measure_together(cmds: dict[str, list[str]], runs: int, env: dict | None = None,
                     warmup: bool = True, min_seconds: float = 0.0) -> dict[str, Measurement]:
    """`measure` for several commands at once, in rounds of one run each: the machine's
    speed drifts within seconds here, and taking turns puts the same drift in every median."""
    results = {name: Measurement() for name in cmds}
    wanted = dict.fromkeys(cmds, runs)
    if warmup:
        for name, cmd in cmds.items():
            first = run_once(cmd, env)
            if first.returncode != 0:
                _failed(results[name], first)
                del wanted[name]
            elif first.seconds > SLOW_SECONDS:
                wanted[name] = min(runs, 3)

    def more(name: str) -> bool:
        times = results[name].times
        return len(times) < wanted[name] or (sum(times) < min_seconds and len(times) < MAX_RUNS)

    while active := [name for name in wanted if more(name)]:
        for name in active:
            run = run_once(cmds[name], env)
            if run.returncode != 0:
                _failed(results[name], run)
                del wanted[name]
                continue
            result = results[name]
            result.times.append(run.seconds)
            result.cpus.append(run.cpu)
            result.rss_mb = max(result.rss_mb, run.rss_mb)
            result.last = run
    return results


def _failed(result: Measurement, run: Run) -> Measurement:
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    result.error = f"exit {run.returncode}: " + (lines[-1][:160] if lines else "no message")
    result.last = run
    return result
