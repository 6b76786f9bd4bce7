"""Every input the fuzz script ever saved (fuzz/corpus/) is replayed against its target, so a
crash found once stays fixed. The first files are the store-reader crashes found while
writing issue 5: nesting too deep for json, an int past Python's digit limit, NUL bytes that
json.loads would read as UTF-16."""

from __future__ import annotations

import pytest

from tests.fuzz_targets import CORPUS, parse_dump, read_store

TARGETS = {"parser": parse_dump, "store": read_store}
FILES = sorted(CORPUS.glob("*.bin"))


def test_the_corpus_is_there():
    assert {f.name.split("-")[0] for f in FILES} >= {"store", "parser"}


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_saved_input_no_longer_crashes(path):
    TARGETS[path.name.split("-")[0]](path.read_bytes())
