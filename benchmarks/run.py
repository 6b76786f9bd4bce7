"""The performance benchmark of issue 6: newscli beside jq, DuckDB, plain Python and SQLite.

    python benchmarks/run.py                 # 10k and 100k articles
    python benchmarks/run.py --million       # adds 1M (~9 GB of disk, many minutes)
    python benchmarks/run.py --sizes 2000 --runs 2     # quick self check, 1-2 minutes

Prints markdown tables (pasteable into docs/performance.md) and a PASS/FAIL per target. Exits 1 when
any tool's answer differs from the plain Python scan's, or a newscli command that exists
fails; a command that does not exist yet is reported as "not available", not as an error.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402
import remove  # noqa: E402
import textgen  # noqa: E402
from measure import MAX_RUNS, MIN_SECONDS, RSS_NOTE, Measurement, measure, measure_together, run_once  # noqa: E402
from newscli_cmd import CHILD_ENV, COMMANDS, Newscli, default_newscli, framework_import, last_line, newscli_answer  # noqa: E402
from report import QUESTIONS, Row, SizeResult, Target, copies_bytes, machine_info, size_table, targets_table  # noqa: E402
from targets import APPEND, size_targets, startup_targets  # noqa: E402

HERE = Path(__file__).resolve().parent
SMALL_SIZE = 1_000


def check(question: str, answer: dict, expected: dict, tool: str) -> bool:
    """newscli's search returns the 20 best matches; every other answer must equal exactly."""
    if question == "rare" and tool == "newscli":
        wanted = set(expected["ids"])
        return set(answer["ids"]) <= wanted and len(answer["ids"]) == min(20, len(wanted))
    if question == "rare":
        return sorted(answer["ids"]) == sorted(expected["ids"])
    return answer == expected


def show(answer: dict) -> str:
    if "count" in answer:
        return f"{answer['count']:,}"
    ids = answer["ids"]
    return f"{len(ids)} id{'s' if len(ids) != 1 else ''}" + (f" ({ids[0][:8]}…)" if ids else "")


def baseline_tools(python: str, jq: str | None) -> dict[str, list[str] | str]:
    """tool -> argv prefix, or a reason it is skipped."""
    tools: dict[str, list[str] | str] = {"sqlite ref": [python, str(HERE / "baselines.py"), "sqlite"]}
    for name in ("duckdb", "orjson"):
        probe = subprocess.run([python, "-c", f"import {name}"], capture_output=True)
        tools[name] = ([python, str(HERE / "baselines.py"), name] if probe.returncode == 0
                       else f"skipped: `{name}` not importable by {python}")
    tools["jq"] = [jq] if jq else "skipped: jq not found"
    tools["python json"] = [python, str(HERE / "baselines.py"), "python"]
    return tools


def ask(tool: str, prefix: list[str], question: str, store: Path, arg: str, db: Path,
        runs: int) -> tuple[Measurement, dict | None]:
    from baselines import JQ_PROGRAMS, jq_answer

    if tool == "jq":
        argv = prefix + [a.format(a=arg) for a in JQ_PROGRAMS[question]] + [str(store)]
    else:
        argv = prefix + [question, str(store), arg, "--db", str(db)]
    m = measure(argv, runs, CHILD_ENV, min_seconds=MIN_SECONDS)
    if m.error or m.last is None:
        return m, None
    return m, (jq_answer(question, m.last.stdout) if tool == "jq" else json.loads(m.last.stdout))


def dumps_for(size: int, args) -> tuple[Path, dict]:
    out = args.workdir / f"dumps-{size}-seed{args.seed}"
    manifest = generate.cached_manifest(out, size, args.seed)
    if manifest is None:
        print(f"[{size:,}] generating dumps in {out} ...", file=sys.stderr)
        manifest = generate.generate(out, size, args.seed)
    warm(sorted(out.glob("*.txt")))
    return out, manifest


def warm(paths) -> None:
    """Read files through, for the issue's condition: page cache warm. Done again before each
    question, because some kernels page out what was not touched for a while (this VM's DAMON
    does): minutes of jq and DuckDB runs would otherwise leave the next tool reading from disk."""
    for path in paths:
        try:
            with open(path, "rb") as handle:
                while handle.read(1 << 22):
                    pass
        except FileNotFoundError:
            pass  # an index a tool has not built, or a -wal file gone since the listing


def newscli_files(store: Path) -> list[Path]:
    """Everything newscli keeps beside the store but its lock file (its name for the index
    is its own affair)."""
    return [p for p in sorted(store.parent.rglob("*"))
            if p.is_file() and p != store and not p.name.endswith(".lock")]


def beside(store: Path, db: Path) -> list[Path]:
    """The store, everything newscli keeps beside it, and the reference index."""
    return [store, *newscli_files(store), db]


def index_bytes(store: Path) -> int:
    return sum(path.stat().st_size for path in newscli_files(store))


def bench_size(size: int, args, nc: Newscli, tools: dict) -> SizeResult:
    res, label = SizeResult(size), f"{size:,}"
    dumps, manifest = dumps_for(size, args)
    res.unique, tag, word = manifest["unique"], manifest["query"]["tag"], manifest["query"]["rare_word"].lower()
    home = args.workdir / f"run-{size}-seed{args.seed}"
    shutil.rmtree(home, ignore_errors=True)
    store, db = home / "store" / "articles.jsonl", home / "reference.sqlite"
    store.parent.mkdir(parents=True)
    rounds = args.ingest_runs or (2 if size >= 1_000_000 else 3)
    ingest, ref = build_rounds(res, label, nc, dumps, size, store, db, tag, rounds, args)
    res.store_bytes = store.stat().st_size
    with open(store, "rb") as handle:
        stored = sum(1 for _ in handle)
        handle.seek(0)
        for _ in range(stored // 2):
            handle.readline()
        some_id = json.loads(handle.readline())["id"]  # mid-file: a fair case for early exit
    if stored != res.unique:
        res.problems.append(f"{label}: the store holds {stored:,} articles, the dumps "
                            f"{res.unique:,} unique ones (parser lost or split articles?)")
    res.ref_bytes = db.stat().st_size if db.exists() else 0
    res.index_bytes = index_bytes(store)
    index = Path(f"{store}.index.sqlite")
    res.copies_bytes = copies_bytes(str(index)) if index.exists() else 0

    expected_counts = {"count": {"count": manifest["tag_counts"].get(tag, 0)},
                       "rare": manifest["rare_counts"][manifest["query"]["rare_word"]]}
    args_for = {"count": tag, "newest": tag, "rare": word, "byid": some_id}
    rss = [ingest.rss_mb] if ingest and ingest.times else []
    print(f"[{label}] newscli's questions, in turns ...", file=sys.stderr)
    warm(beside(store, db))
    # In turns, as the start-up rows: each of newscli's four medians then spans the same
    # minutes of a machine whose speed drifts by a third within a quarter-minute.
    ours = measure_together({q: nc.question(store, q, args_for[q]) for q in QUESTIONS
                             if COMMANDS[q] not in nc.missing}, args.runs, nc.env,
                            min_seconds=MIN_SECONDS)
    for question in QUESTIONS:
        print(f"[{label}] {question} ...", file=sys.stderr)
        warm(beside(store, db))
        rows, answers = [], {}
        command = COMMANDS[question]
        if command in nc.missing:
            rows.append(Row(question, "newscli", None, note=nc.missing[command]))
        else:
            m = ours[question]
            row = Row(question, "newscli", m)
            if m.error is None:
                try:
                    answers["newscli"] = newscli_answer(question, m.last.stdout)
                except (ValueError, KeyError, TypeError) as exc:
                    m.error = f"unreadable output: {exc}"
            if m.error:
                res.problems.append(f"{label}: newscli {command} failed ({m.error})")
            rows.append(row)
            rss += [m.rss_mb] if m.times else []
        for tool, prefix in tools.items():
            if isinstance(prefix, str):
                rows.append(Row(question, tool, None, note=prefix))
                continue
            m, answer = ask(tool, prefix, question, store, args_for[question], db, args.runs)
            if answer is not None:
                answers[tool] = answer
            elif m.error:
                res.problems.append(f"{label}: {tool} {question} failed ({m.error})")
            rows.append(Row(question, tool, m))
        expected = answers.get("python json")
        for row in rows:
            if row.tool in answers:
                row.answer = show(answers[row.tool])
                row.ok = check(question, answers[row.tool], expected, row.tool) if expected else None
                if row.ok is False:
                    res.problems.append(f"{label}: MISMATCH: {row.tool} answers "
                                        f"{row.answer} to '{question}', python json {show(expected)}")
        if expected and question == "count" and expected != expected_counts["count"]:
            res.problems.append(f"{label}: MISMATCH: the store has {expected['count']:,} articles "
                                f"tagged {tag}, the generator wrote {expected_counts['count']['count']:,}")
        if expected and question == "rare" and len(expected["ids"]) != expected_counts["rare"]:
            res.problems.append(f"{label}: MISMATCH: {len(expected['ids'])} articles hold "
                                f"'{word}', the generator planted {expected_counts['rare']}")
        res.rows += rows

    warm(beside(store, db))
    catchup = catch_up(store, tag, args, nc) if "count" not in nc.missing else None
    if catchup and catchup.times:
        rss.append(catchup.rss_mb)
    res.targets = size_targets(res, label, ingest, ref, catchup, rss, nc.missing)
    if "count" not in nc.missing:  # last: it removes articles from the store
        print(f"[{label}] rm of {remove.REMOVED} beside cp of the store ...", file=sys.stderr)
        rm, cp = remove.rm_vs_cp(store, nc, min(args.runs, 5), warm)
        res.targets.append(remove.target(label, rm, cp))
        if rm.error:
            res.problems.append(f"{label}: newscli rm failed ({rm.error})")
    if not args.keep:
        shutil.rmtree(home, ignore_errors=True)
    return res


def build_rounds(res: SizeResult, label: str, nc: Newscli, dumps: Path, size: int, store: Path,
                 db: Path, tag: str, rounds: int, args) -> tuple[Measurement | None, Measurement]:
    """Ingest into an empty store, then build the reference index from what it wrote; `rounds`
    times, alternating, so that a machine slowing down or speeding up weighs on both alike.

    An ingest is timed with the first query after it, so an index built lazily on first use
    counts as ingest. The last round's store and reference index stay for the questions.
    """
    ingest = None if "ingest" in nc.missing else Measurement()
    ref = Measurement()
    if ingest is None:
        res.store_note = f"newscli ingest {nc.missing['ingest']}; the store was written by the benchmark"
    for attempt in range(rounds):
        print(f"[{label}] ingest and reference build, round {attempt + 1} of {rounds} ...", file=sys.stderr)
        shutil.rmtree(store.parent, ignore_errors=True)
        store.parent.mkdir(parents=True)
        if ingest is not None:
            run = run_once(nc.cmd(store, "ingest", str(dumps)), nc.env)
            if run.returncode != 0:  # 1 = some articles refused: still timed, but reported
                ingest.error = f"exit {run.returncode}: {last_line(run.stderr)}"
                res.problems.append(f"{label}: newscli ingest failed ({ingest.error})")
            seconds, rss = run.seconds, run.rss_mb
            if "count" not in nc.missing and store.exists():
                first = run_once(nc.question(store, "count", tag), nc.env)
                seconds, rss = seconds + first.seconds, max(rss, first.rss_mb)
            ingest.times.append(seconds)
            ingest.rss_mb, ingest.last = max(ingest.rss_mb, rss), run
            if not store.exists() or store.stat().st_size == 0:
                res.store_note = "newscli ingest wrote no store; the store was written by the benchmark"
                ingest = None
        if res.store_note:
            generate.write_expected_store(dumps, size, args.seed, store)
        built = measure([args.baseline_python, str(HERE / "baselines.py"), "build", str(store), str(db)],
                        1, CHILD_ENV, warmup=False)
        if built.error:
            res.problems.append(f"{label}: reference build failed ({built.error})")
            break
        ref.times += built.times
        ref.rss_mb = max(ref.rss_mb, built.rss_mb)
    return ingest, ref


def catch_up(store: Path, tag: str, args, nc: Newscli) -> Measurement:
    """Append 1,000 records by hand, as another tool would; time the first query after it."""
    result = Measurement()
    for attempt in range(min(args.runs, 3)):
        before = run_once(nc.question(store, "count", tag), nc.env)
        records = generate.extra_records(args.seed, APPEND, first_index=10**9 + attempt * APPEND)
        with open(store, "ab") as handle:
            handle.write("".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n"
                                 for r in records).encode("utf-8"))
        run = run_once(nc.question(store, "count", tag), nc.env)
        try:
            got = newscli_answer("count", run.stdout)["count"] - newscli_answer("count", before.stdout)["count"]
        except ValueError:
            result.error = f"exit {run.returncode}: {last_line(run.stderr)}"
            return result
        want = sum(tag in r["tags"] for r in records)
        if got != want:
            result.error = f"MISMATCH: count rose by {got} after appending {want} tagged {tag}"
            return result
        result.times.append(run.seconds)
        result.cpus.append(run.cpu)
        result.rss_mb = max(result.rss_mb, run.rss_mb)
    return result


def small_targets(args, nc: Newscli) -> list[Target]:
    """Start-up cost: --help, and each question on a store too small for the data to matter,
    timed in turns with the bare import of the framework newscli starts with, for scale."""
    dumps, manifest = dumps_for(SMALL_SIZE, args)
    store = args.workdir / f"run-small-seed{args.seed}" / "articles.jsonl"
    shutil.rmtree(store.parent, ignore_errors=True)
    store.parent.mkdir(parents=True)
    if "ingest" in nc.missing or run_once(nc.cmd(store, "ingest", str(dumps)), nc.env).returncode > 1:
        generate.write_expected_store(dumps, SMALL_SIZE, args.seed, store)
    with open(store, "rb") as handle:
        some_id = json.loads(handle.readline())["id"]
    tag, word = manifest["query"]["tag"], manifest["query"]["rare_word"].lower()
    names = {"help": "`newscli --help`"}
    cmds = {"help": nc.argv + ["--help"]}
    for question, arg in (("count", tag), ("newest", tag), ("rare", word), ("byid", some_id)):
        names[question] = f"`{COMMANDS[question]}` on {SMALL_SIZE:,} articles"
        if COMMANDS[question] not in nc.missing:
            cmds[question] = nc.question(store, question, arg)
    floor = framework_import(nc.argv)
    if floor:
        cmds["floor"] = floor
    measured = measure_together(cmds, args.runs, nc.env, min_seconds=MIN_SECONDS)
    return startup_targets(names, measured, nc.missing)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")],
                        default=[10_000, 100_000], help="comma-separated article counts")
    parser.add_argument("--million", action="store_true", help="add 1,000,000 articles")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (after a warm-up)")
    parser.add_argument("--ingest-runs", type=int, default=0,
                        help="ingest + reference build rounds per size (default: 3, and 2 at 1M)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/newscli-bench"))
    parser.add_argument("--newscli", default=None, help="command to run (default: the venv's newscli)")
    parser.add_argument("--baseline-python", default=sys.executable,
                        help="interpreter for the Python, orjson and DuckDB baselines")
    parser.add_argument("--keep", action="store_true", help="keep stores and indexes after the run")
    parser.add_argument("--output", type=Path, help="also write the tables to this file")
    args = parser.parse_args(argv)
    sizes = args.sizes + ([1_000_000] if args.million and 1_000_000 not in args.sizes else [])
    args.workdir.mkdir(parents=True, exist_ok=True)

    nc = Newscli(args.newscli.split() if args.newscli else default_newscli())
    jq = shutil.which("jq") or ("/usr/bin/jq" if os.path.exists("/usr/bin/jq") else None)
    tools = baseline_tools(args.baseline_python, jq)
    extra = {"jq": run_once([jq, "--version"]).stdout.strip() if jq else "not found"}
    if not isinstance(tools["duckdb"], str):
        extra["duckdb"] = subprocess.run([args.baseline_python, "-c", "import duckdb;print(duckdb.__version__)"],
                                         capture_output=True, text=True).stdout.strip()
    extra["method"] = (f"median of {args.runs} runs after one uncounted warm-up, or of as many as add up "
                       f"to {MIN_SECONDS:g} s (up to {MAX_RUNS}) for a quick command; whole process wall "
                       "time, page cache warm; peak RSS of that process")

    load_before = os.getloadavg()[0]
    # Start-up first, so no aftermath of a big size (gigabytes freed, pages written back) can
    # be inside these 0.1 s runs.
    small = small_targets(args, nc)
    results = [bench_size(size, args, nc, tools) for size in sizes]
    extra["load"] = (f"1-minute load average {load_before:.2f} at start, {os.getloadavg()[0]:.2f} "
                     f"at end (anything above ~0.3 on 2 cores means the figures are inflated)")
    extra["rss"] = RSS_NOTE
    labels = {k: v.format(tag=textgen.QUERY_TAG, word=textgen.QUERY_RARE_WORD.lower())
              for k, v in QUESTIONS.items()}
    lines = ["## Benchmark", "", *machine_info(nc.version, extra), ""]
    for res in results:
        lines += size_table(res, labels)
    lines += ["### Targets", "", *targets_table(small + [t for r in results for t in r.targets])]
    problems = [p for r in results for p in r.problems]
    if problems:
        lines += ["### Problems", "", *[f"- {p}" for p in problems], ""]
    text = "\n".join(lines)
    print(text)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")
    bad = [p for p in problems if "MISMATCH" in p or "newscli" in p]
    if bad:
        print(f"\n{len(bad)} problem(s): answers differ or newscli failed; see above.", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
