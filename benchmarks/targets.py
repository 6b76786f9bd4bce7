"""Issue 6's targets, and the PASS/FAIL of each against what a run measured."""

from __future__ import annotations

from measure import Measurement
from newscli_cmd import COMMANDS
from report import QUESTIONS, Target, mb, secs, span, status

QUERY_TARGET = 0.25  # s, each question at any size (the issue states it for 1M)
SMALL_TARGET = 0.15  # s, --help and any query on a small store
RSS_TARGET = 200.0  # MB, every newscli command
INDEX_TARGET = 0.60  # index bytes but the copies' tables / JSON-lines bytes (issue 6)
COPIES_TARGET = 0.15  # the copies' tables / JSON-lines bytes (issue 23)
INGEST_TARGET = 1.0  # newscli ingest / reference build
# The issue sets the ingest bar for 1M and judges it from 100k; below that, fixed costs weigh
# more than either side's work, so a smaller size shows its ratio for scale (see docs/performance.md).
INGEST_MIN_SIZE = 100_000
CATCHUP_TARGET = 1.0  # s, first query after APPEND records appended by hand
APPEND = 1_000
RATIO_TARGETS = {"duckdb": 5.0, "jq": 80.0}  # newscli this many times faster, checked at 1M
RATIO_MIN_SIZE = 1_000_000


def size_targets(res, label, ingest, ref, catchup, rss, missing) -> list[Target]:
    """Every target of one size; `missing` names the newscli commands that do not exist."""
    t = []
    if ingest and ingest.times and ref.times:
        ratio = ingest.median / ref.median
        runs = len(ingest.times)
        how = "1 run each" if runs == 1 else f"medians of {runs} alternating runs"
        judged = res.size >= INGEST_MIN_SIZE
        t.append(Target(f"ingest incl. index ÷ reference build ({how})"
                        + ("" if judged else ", for scale, not a target at this size"), label,
                        f"{secs(ingest.median)} s ÷ {secs(ref.median)} s = {ratio:.2f}"
                        + ("" if runs == 1 else f" (ingest {span(ingest)} s, reference {span(ref)} s)"),
                        f"≤ {INGEST_TARGET}" + ("" if judged else f" from {INGEST_MIN_SIZE:,}"),
                        status(ratio <= INGEST_TARGET) if judged else "–"))
    else:
        why = missing.get("ingest") or (ingest.error if ingest else "not run")
        t.append(Target("ingest incl. index ÷ reference build", label, why, f"≤ {INGEST_TARGET}", "n/a"))
    # Issue 23 gave the copies' tables their own allowance beside issue 6's 60% for the rest
    # (docs/copies.md, "The index and issue 6's 60%"): each bar is judged on its own bytes.
    rest = res.index_bytes - res.copies_bytes
    share = rest / res.store_bytes if res.store_bytes else 0
    copies = res.copies_bytes / res.store_bytes if res.store_bytes else 0
    t.append(Target("index size ÷ JSON-lines size, without the copies' tables", label,
                    f"{mb(rest)} ÷ {mb(res.store_bytes)} = {share:.1%}"
                    f" (whole index {mb(res.index_bytes)} = {share + copies:.1%})"
                    if res.index_bytes else "no index beside the store",
                    f"≤ {INDEX_TARGET:.0%}", status(share <= INDEX_TARGET) if res.index_bytes else "n/a"))
    t.append(Target("copies' tables ÷ JSON-lines size (issue 23)", label,
                    f"{mb(res.copies_bytes)} ÷ {mb(res.store_bytes)} = {copies:.1%}"
                    if res.index_bytes else "no index beside the store",
                    f"≤ {COPIES_TARGET:.0%}", status(copies <= COPIES_TARGET) if res.index_bytes else "n/a"))
    for question in QUESTIONS:
        row = next(r for r in res.rows if r.question == question and r.tool == "newscli")
        if row.m is None or not row.m.times:
            t.append(Target(f"`{COMMANDS[question]}` median", label,
                            row.note or row.m.error, f"< {QUERY_TARGET} s", "n/a"))
            continue
        t.append(Target(f"`{COMMANDS[question]}` median", label, f"{secs(row.m.median)} s",
                        f"< {QUERY_TARGET} s", status(row.m.median < QUERY_TARGET)))
        for tool, factor in RATIO_TARGETS.items():
            other = next((r for r in res.rows if r.question == question and r.tool == tool), None)
            if res.size >= RATIO_MIN_SIZE and other and other.m and other.m.times:
                x = other.m.median / row.m.median
                t.append(Target(f"`{COMMANDS[question]}` vs {tool}", label, f"{x:.0f}× faster",
                                f"≥ {factor:.0f}×", status(x >= factor)))
    if catchup is None or not catchup.times:
        t.append(Target(f"catch-up after {APPEND:,} appended", label,
                        missing.get("count") or (catchup.error if catchup else "not run"),
                        f"< {CATCHUP_TARGET} s", "FAIL" if catchup and catchup.error and "MISMATCH" in catchup.error else "n/a"))
    else:
        t.append(Target(f"catch-up after {APPEND:,} appended (median of {len(catchup.times)})", label,
                        f"{secs(catchup.median)} s", f"< {CATCHUP_TARGET} s",
                        status(catchup.median < CATCHUP_TARGET)))
    t.append(Target("peak RSS, every newscli command", label,
                    f"{max(rss):.0f} MB" if rss else "nothing ran", f"< {RSS_TARGET:.0f} MB",
                    status(max(rss) < RSS_TARGET) if rss else "n/a"))
    mismatches = [r for r in res.rows if r.ok is False]
    compared = [r for r in res.rows if r.ok is not None]
    t.append(Target("answers equal the baselines'", label,
                    f"{len(compared) - len(mismatches)}/{len(compared)} equal",
                    "all", "FAIL" if mismatches or any("MISMATCH" in p for p in res.problems) else "PASS"))
    return t


def startup_targets(names: dict[str, str], measured: dict[str, Measurement],
                    missing: dict[str, str]) -> list[Target]:
    """`--help` (key "help") and the small-store questions; "floor", the bare framework import
    timed in the same turns, is a row for scale, never a target."""
    t = []
    for key, name in names.items():
        size = "–" if key == "help" else "small"
        m = measured.get(key)
        if m is None:
            t.append(Target(name, size, missing[COMMANDS[key]], f"< {SMALL_TARGET} s", "n/a"))
        elif not m.times:
            t.append(Target(name, size, m.error or "?", f"< {SMALL_TARGET} s", "FAIL"))
        else:
            rss = "" if key == "help" else f", {m.rss_mb:.0f} MB"
            t.append(Target(name, size, f"{secs(m.median)} s{rss}", f"< {SMALL_TARGET} s",
                            status(m.median < SMALL_TARGET)))
    floor = measured.get("floor")
    if floor and floor.times:
        t.append(Target("for scale, not a target: `python -c 'import typer'`, in the same turns",
                        "–", f"{secs(floor.median)} s", "–", "–"))
    return t

