"""Markdown tables from the runner's results: pasteable into docs/performance.md as they are."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
from dataclasses import dataclass, field

from measure import Measurement

QUESTIONS = {
    "count": "count tagged {tag}",
    "newest": "20 newest tagged {tag}",
    "rare": "rare word '{word}'",
    "byid": "one article by id",
}


@dataclass
class Row:
    question: str
    tool: str
    m: Measurement | None  # None: not run (see note)
    answer: str = ""  # short rendering of the answer
    ok: bool | None = None  # equals the expected answer; None: nothing to compare
    note: str = ""


@dataclass
class Target:
    name: str
    size: str
    measured: str
    goal: str
    status: str  # PASS, FAIL or n/a


COPIES_TABLES = ("signatures", "bands", "pairs", "pairs_b")


def copies_bytes(index: str) -> int:
    """The bytes of the index's copies' tables (issue 23), by SQLite's dbstat: issue 23 gives
    them their own allowance (15% of the store) beside issue 6's 60% for the rest."""
    db = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
    try:
        marks = ", ".join("?" * len(COPIES_TABLES))
        return db.execute(f"SELECT sum(pgsize) FROM dbstat WHERE name IN ({marks})",
                          COPIES_TABLES).fetchone()[0] or 0
    finally:
        db.close()


@dataclass
class SizeResult:
    size: int
    unique: int = 0
    store_bytes: int = 0
    store_note: str = ""
    index_bytes: int = 0
    copies_bytes: int = 0  # of index_bytes: the tables issue 23 adds (its own allowance)
    ref_bytes: int = 0
    rows: list[Row] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def secs(value: float) -> str:
    if value != value:  # NaN
        return "–"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def span(m: Measurement) -> str:
    """Fastest–slowest of a measurement's runs."""
    lo, hi = m.spread
    return f"{secs(lo)}–{secs(hi)}"


def mb(n_bytes: int) -> str:
    return f"{n_bytes / 1e6:,.1f} MB"


def status(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def machine_info(newscli_version: str, extra: dict[str, str]) -> list[str]:
    """What the figures depend on, so a table is never read without its machine."""
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            cpu = next(line.split(":", 1)[1].strip() for line in handle
                       if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            mem = f"{int(handle.readline().split()[1]) / 1e6:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        mem = "RAM unknown"
    try:
        commit = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True,
                                text=True, cwd=os.path.dirname(__file__), timeout=10).stdout.strip()
    except OSError:
        commit = "?"
    info = {
        "machine": f"{cpu}, {os.cpu_count()} cores, {mem}, {platform.system()} {platform.release()}",
        "python": f"{platform.python_version()} (sqlite {sqlite3.sqlite_version})",
        "newscli": f"{newscli_version} at commit {commit or '?'}",
        **extra,
    }
    return [f"- {key}: {value}" for key, value in info.items()]


def size_table(res: SizeResult, labels: dict[str, str]) -> list[str]:
    index = (f"newscli index {mb(res.index_bytes)} ({res.index_bytes / res.store_bytes:.0%})"
             if res.index_bytes and res.store_bytes else "no newscli index found")
    out = [f"### {res.size:,} articles ({res.unique:,} unique): JSON-lines {mb(res.store_bytes)}, "
           f"{index}, reference index {mb(res.ref_bytes)}", ""]
    if res.store_note:
        out += [f"> {res.store_note}", ""]
    out += ["| question | tool | median s | min–max s | peak RSS MB | newscli faster | answer |",
            "| --- | --- | ---: | ---: | ---: | ---: | --- |"]
    for key in QUESTIONS:
        rows = [r for r in res.rows if r.question == key]
        ours = next((r for r in rows if r.tool == "newscli" and r.m and r.m.times), None)
        for i, row in enumerate(rows):
            label = labels[key] if i == 0 else ""
            tool = f"**{row.tool}**" if row.tool == "newscli" else row.tool
            if row.m is None or not row.m.times:
                why = row.note or (row.m.error if row.m else "") or "not run"
                out.append(f"| {label} | {tool} | – | – | – | – | {why} |")
                continue
            faster = (f"{row.m.median / ours.m.median:.1f}×"
                      if ours is not None and row is not ours else "–")
            mark = {True: " ✓", False: " ✗ MISMATCH", None: ""}[row.ok]
            out.append(f"| {label} | {tool} | {secs(row.m.median)} | {span(row.m)} | "
                       f"{row.m.rss_mb:.0f} | {faster} | {row.answer}{mark} |")
    return out + [""]


def targets_table(targets: list[Target]) -> list[str]:
    out = ["| target | size | measured | goal | result |", "| --- | --- | --- | --- | --- |"]
    out += [f"| {t.name} | {t.size} | {t.measured} | {t.goal} | **{t.status}** |"
            if t.status == "FAIL" else f"| {t.name} | {t.size} | {t.measured} | {t.goal} | {t.status} |"
            for t in targets]
    return out + [""]
