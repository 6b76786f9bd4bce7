"""What the fuzz script (fuzz/fuzz_parser.py) and its corpus replay test both run: a target
passes when any input bytes end in Articles, Problems, records or warnings, never in an
exception."""

from __future__ import annotations

import tempfile
from pathlib import Path

from newscli.archive.store import Store
from newscli.dump.inputs import read_inputs
from newscli.index.sync import session
from newscli.jobs.check import check
from newscli.model import Article, Problem

CORPUS = Path(__file__).resolve().parent.parent / "fuzz" / "corpus"


def parse_dump(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "dump.txt"
        path.write_bytes(data)
        for item in read_inputs([str(path)]):
            assert isinstance(item, (Article, Problem)), item
            if isinstance(item, Article):
                assert all(isinstance(getattr(item, f), str) for f in ("title", "source", "published", "body"))


def read_store(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "articles.jsonl"
        path.write_bytes(data)
        records = list(Store(path).records())
        with session(path):
            pass
        check(path)
        assert all(isinstance(r.get("id"), str) for r in records)
