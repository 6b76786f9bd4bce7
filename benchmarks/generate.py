"""Write a deterministic set of news dumps, and a manifest with the answers they should give.

    python benchmarks/generate.py --out /tmp/dumps --articles 100000 --seed 1

Files hold 100-500 articles back to back (separated by one blank line), like a scraper's
daily output. Work is split by file over all cores: each file is a pure function of
(seed, its first article index, its size), so the result is byte-identical whatever the
number of workers. The manifest is written last; its presence marks a complete set.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import textgen  # noqa: E402  (sibling module; the benchmark is not a package)

MANIFEST = "manifest.json"
FORMAT_VERSION = 1  # bump when the output changes, so cached dumps are regenerated


def plan(articles: int, seed: int) -> list[tuple[int, int, int]]:
    """(file number, first global index, article count) for every file."""
    rng = random.Random(f"{seed}:files")
    files, start = [], 0
    while start < articles:
        count = min(rng.randint(100, 500), articles - start)
        files.append((len(files), start, count))
        start += count
    return files


def file_name(number: int) -> str:
    return f"dump-{number:05d}.txt"


def _articles(seed: int, start: int, count: int):
    """(slot index, article, is duplicate) for one file's slots, duplicates regenerated."""
    for index in range(start, start + count):
        original = textgen.original_of(seed, index)
        yield index, textgen.synthesize(seed, original), original != index


def _write_file(task: tuple) -> dict:
    out, seed, number, start, count = task
    stats = {"articles": count, "unique": 0, "duplicates": 0, "artifacts": Counter(),
             "tags": Counter(), "rare": Counter(), "bytes": 0}
    dumps = []
    for _, art, duplicate in _articles(seed, start, count):
        dumps.append(art.dump)
        if duplicate:
            stats["duplicates"] += 1
            continue  # counted where its original is, so totals are per unique article
        stats["unique"] += 1
        if art.artifact:
            stats["artifacts"][art.artifact] += 1
        stats["tags"].update(art.tags)
        stats["rare"].update(w for w, _ in textgen.RARE_WORDS if w in art.body)
    data = ("\n\n".join(dumps) + "\n").encode("utf-8")
    path = Path(out) / file_name(number)
    path.write_bytes(data)
    stats["bytes"] = len(data)
    return stats


def _records_for_file(task: tuple) -> bytes:
    out, seed, number, start, count, stamp = task
    path = str((Path(out) / file_name(number)).resolve())
    lines, line = [], 1
    for _, art, duplicate in _articles(seed, start, count):
        if not duplicate:
            lines.append(json.dumps(textgen.to_record(art, path, line, stamp),
                                    ensure_ascii=False, separators=(",", ":")))
        line += art.dump.count("\n") + 2  # its lines plus the blank separator
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def _pool(jobs: int | None):
    textgen._stream()  # build once before forking, so every worker shares it
    return multiprocessing.get_context("fork").Pool(jobs or os.cpu_count() or 1)


def generate(out: Path, articles: int, seed: int, jobs: int | None = None) -> dict:
    """Write the dumps and return the manifest (also written to out/manifest.json)."""
    out.mkdir(parents=True, exist_ok=True)
    (out / MANIFEST).unlink(missing_ok=True)
    files = plan(articles, seed)
    started = time.perf_counter()
    totals = {"unique": 0, "duplicates": 0, "bytes": 0}
    artifacts, tags, rare = Counter(), Counter(), Counter()
    with _pool(jobs) as pool:
        for stats in pool.imap_unordered(_write_file, [(str(out), seed, *f) for f in files],
                                         chunksize=4):
            for key in totals:
                totals[key] += stats[key]
            artifacts.update(stats["artifacts"])
            tags.update(stats["tags"])
            rare.update(stats["rare"])
    manifest = {
        "format_version": FORMAT_VERSION, "seed": seed, "articles": articles,
        "files": len(files), **totals,
        "artifacts": dict(artifacts), "tag_counts": dict(tags.most_common()),
        "rare_counts": {w: rare.get(w, 0) for w, _ in textgen.RARE_WORDS},
        "query": {"tag": textgen.QUERY_TAG, "rare_word": textgen.QUERY_RARE_WORD},
        "seconds": round(time.perf_counter() - started, 2),
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n",
                                encoding="utf-8")
    return manifest


def cached_manifest(out: Path, articles: int, seed: int) -> dict | None:
    """The manifest of a complete earlier run with the same parameters, else None."""
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    same = (manifest.get("format_version"), manifest.get("articles"), manifest.get("seed"))
    return manifest if same == (FORMAT_VERSION, articles, seed) else None


def write_expected_store(out: Path, articles: int, seed: int, store: Path,
                         stamp: str = "2025-01-01T00:00:00+00:00", jobs: int | None = None) -> None:
    """The JSON-lines store newscli should produce from these dumps.

    Used only when `newscli ingest` is unavailable, so the baselines and the reference
    index still have the same data to run on.
    """
    store.parent.mkdir(parents=True, exist_ok=True)
    tasks = [(str(out), seed, *f, stamp) for f in plan(articles, seed)]
    with _pool(jobs) as pool, open(store, "wb") as handle:
        for chunk in pool.imap(_records_for_file, tasks, chunksize=4):  # ordered: file order
            handle.write(chunk)


def extra_records(seed: int, count: int, first_index: int = 10**9) -> list[dict]:
    """`count` new articles, never in any generated dump, as store records (for catch-up)."""
    stamp = "2025-01-01T00:00:00+00:00"
    return [textgen.to_record(textgen.synthesize(seed, i), "<appended by benchmark>", 1, stamp)
            for i in range(first_index, first_index + count)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="directory for the dump files")
    parser.add_argument("--articles", type=int, required=True, help="article slots to write")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: cores)")
    args = parser.parse_args(argv)
    manifest = generate(args.out, args.articles, args.seed, args.jobs)
    print(f"{manifest['articles']:,} articles ({manifest['unique']:,} unique) in "
          f"{manifest['files']:,} files, {manifest['bytes'] / 1e6:,.1f} MB, "
          f"{manifest['seconds']} s -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
