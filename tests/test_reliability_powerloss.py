"""Power-loss images: a valid store cut at every byte of its last three records, or with NUL
bytes, random garbage or a flipped bit at its end. Readers return every earlier record with
one warning; the next ingest moves the damaged end aside (never deletes it) and carries on."""

from __future__ import annotations

import random

import pytest
from typer.testing import CliRunner

from newscli.archive.store import Store
from newscli.cli import whole_app
from newscli.index import questions
from newscli.index.filters import Filters, Order
from newscli.index.sync import session
from tests.reliability_support import TRACEBACK, audit, plain_article

app = whole_app()

RECORDS = 8


def _article(n: int):
    # Short records keep "every byte" affordable; the umlaut puts multi-byte UTF-8 in each.
    return plain_article(n, title=f"Stromausfall Nr. {n} für", body=f"Kurz {n}.", tags=("T",))


@pytest.fixture(scope="session")
def valid_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("power") / "articles.jsonl"
    Store(path).append([_article(n) for n in range(RECORDS)])
    data = path.read_bytes()
    ends = [i + 1 for i, byte in enumerate(data) if byte == ord("\n")]
    return data, ends, audit(path).ids


def _readers(path):
    """What the store reader and the index (the path every query takes) each see."""
    problems = []
    ids = [r["id"] for r in Store(path, on_problem=problems.append).records()]
    index_problems = []
    with session(path, index_problems.append) as index:
        indexed = sorted(p.id for p in questions.select(index, Filters(), Order()))
    return ids, problems, indexed, index_problems


def _expect_one_warning(problems, line):
    assert len(problems) == 1, problems
    assert (problems[0].line, problems[0].is_error) == (line, False)
    assert "next ingest moves it aside" in problems[0].reason


def test_cut_at_every_byte_of_the_last_three_records(valid_store, tmp_path):
    data, ends, ids = valid_store
    path = tmp_path / "articles.jsonl"
    first_cut = ends[RECORDS - 4]  # the end of the fifth record: cuts run through the last three
    for cut in range(first_cut, len(data)):
        path.write_bytes(data[:cut])
        whole = sum(1 for end in ends if end <= cut)  # records that survive complete
        problems = []
        got = [r["id"] for r in Store(path, on_problem=problems.append).records()]
        assert got == ids[:whole], cut
        if cut in ends:
            assert problems == [], cut
        else:
            _expect_one_warning(problems, whole + 1)
        if _also_through_the_index(cut, ends):
            _, _, indexed, index_problems = _readers(path)
            assert indexed == sorted(ids[:whole]), cut
            assert len(index_problems) == (cut not in ends), cut
            if cut not in ends:
                _expect_one_warning(index_problems, whole + 1)


def _also_through_the_index(cut: int, ends: list[int]) -> bool:
    """The store reader sees every cut; the index (25 ms a build) every 5th byte and each
    byte next to a line end, where an off-by-one would show."""
    return cut % 5 == 0 or any(abs(cut - end) <= 1 for end in ends)


def test_the_next_ingest_repairs_every_cut(valid_store, tmp_path):
    data, ends, ids = valid_store
    missing = [_article(n) for n in range(RECORDS)]
    for cut in range(ends[RECORDS - 4], len(data), 7):  # every 7th byte: each ingest costs more
        folder = tmp_path / str(cut)
        folder.mkdir()
        path = folder / "articles.jsonl"
        path.write_bytes(data[:cut])
        problems = []
        Store(path, on_problem=problems.append).append(missing)
        found = audit(path)
        assert sorted(found.ids) == sorted(ids) and found.bad_lines == [] and found.torn_bytes == 0
        torn = data[max(e for e in ends if e <= cut):cut]
        aside = list(folder.glob("articles.jsonl.torn-*"))
        if torn:  # moved aside, byte for byte, and said so once
            assert [p.read_bytes() for p in aside] == [torn] and len(problems) == 1
        else:
            assert aside == [] and problems == []


def _garbage_images(data: bytes, ends: list[int]):
    rng = random.Random(7)
    cut = ends[-2] + 25  # in the middle of the last record
    yield "NULs after the end", data + b"\0" * 4096
    yield "NULs after a cut", data[:cut] + b"\0" * 4096
    for n in range(4):
        yield f"random garbage {n}", data + rng.randbytes(rng.randint(1, 3000))
        yield f"random garbage after a cut {n}", data[:cut] + rng.randbytes(rng.randint(1, 3000))
    yield "garbage lines", data + b"\xff\xfe junk\n\x00\x00\nmore junk\n"
    last = ends[-2]
    for position in range(last, len(data)):  # the top bit of every byte of the last record
        flipped = bytearray(data)
        flipped[position] ^= 0x80
        yield f"bit flip at {position}", bytes(flipped)


def test_garbage_and_flipped_bits_at_the_end(valid_store, tmp_path):
    data, ends, ids = valid_store
    runner = CliRunner()
    for n, (name, image) in enumerate(_garbage_images(data, ends)):
        folder = tmp_path / f"img{n}"
        folder.mkdir()
        path = folder / "articles.jsonl"
        path.write_bytes(image)
        intact = [i for i, end in enumerate(ends) if image[:end] == data[:end]]
        survivors = ids[: len(intact)]
        problems = []
        assert [r["id"] for r in Store(path, on_problem=problems.append).records()] == survivors, name
        assert len(problems) == 1 and problems[0].line == len(survivors) + 1, (name, problems)
        if "flip" not in name or n % 5 == 0:  # the CLI and its index: every 5th flip, all the rest
            env = {"NEWSCLI_STORE": str(path), "NO_COLOR": "1"}
            listed = runner.invoke(app, ["list", "-n", "0"], env=env)
            assert listed.exit_code == 0 and TRACEBACK not in listed.output, name
            assert len(listed.stdout.splitlines()) == len(survivors), name
            (warning,) = listed.stderr.splitlines()
            assert f":{len(survivors) + 1}: warning:" in warning, name

        Store(path).append([plain_article(99)])  # the next write moves the end aside
        (aside,) = folder.glob("articles.jsonl.torn-*")
        assert path.read_bytes()[: ends[len(survivors) - 1]] + aside.read_bytes() == image, name
        after = audit(path)
        assert after.bad_lines == [] and after.torn_bytes == 0 and len(after.ids) == len(survivors) + 1


def test_damage_in_the_middle_is_reported_not_moved(valid_store, tmp_path):
    """Control: only the end of the file is a crash's doing; a bad line with good ones after
    it is reported with its line number and stays where it is."""
    data, ends, ids = valid_store
    flipped = bytearray(data)
    flipped[ends[2] + 10] ^= 0x80  # inside the fourth record
    path = tmp_path / "articles.jsonl"
    path.write_bytes(bytes(flipped))
    listed = CliRunner().invoke(app, ["list", "-n", "0"], env={"NEWSCLI_STORE": str(path), "NO_COLOR": "1"})
    assert listed.exit_code == 0 and len(listed.stdout.splitlines()) == RECORDS - 1
    (warning,) = listed.stderr.splitlines()
    assert f"{path}:4: warning: damaged line skipped" in warning
    got, problems, _, _ = _readers(path)
    assert got == ids[:3] + ids[4:]
    assert [(p.line, "damaged line skipped" in p.reason) for p in problems] == [(4, True)]
    Store(path).append([plain_article(99)])
    assert path.read_bytes().startswith(bytes(flipped))
    assert list(tmp_path.glob("articles.jsonl.torn-*")) == []
