"""The whole-prefix CRC that queries check after a hand edit: same number as zlib, any split."""

from __future__ import annotations

import os
import zlib

from hypothesis import given, settings
from hypothesis import strategies as st

from newscli.index.checksum import crc32_combine, prefix_crc


@given(st.binary(max_size=300), st.binary(max_size=300))
def test_combining_two_crcs_gives_the_crc_of_the_joined_bytes(a, b):
    assert crc32_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)


def test_combine_over_a_length_of_millions():
    # zero bytes are where a wrong operator shows first: crc32(A + 0^n) by the slow road
    a = b"newscli"
    zeros = bytes(5_000_003)
    assert crc32_combine(zlib.crc32(a), zlib.crc32(zeros), len(zeros)) == zlib.crc32(a + zeros)


@settings(max_examples=40, deadline=None)
@given(data=st.binary(min_size=0, max_size=5000), parts=st.integers(1, 9), cut=st.integers(0, 5000))
def test_prefix_crc_equals_zlib_for_every_number_of_parts(tmp_path_factory, data, parts, cut):
    path = tmp_path_factory.mktemp("crc") / "store.jsonl"
    path.write_bytes(data)
    end = min(cut, len(data))
    fd = os.open(path, os.O_RDONLY)
    try:
        assert prefix_crc(fd, end, parts=parts) == zlib.crc32(data[:end])
    finally:
        os.close(fd)


def test_a_large_prefix_is_split_and_still_equal(tmp_path):
    data = os.urandom(3 << 20) + b"\n" * (70 << 20)  # past the split threshold
    path = tmp_path / "store.jsonl"
    path.write_bytes(data)
    fd = os.open(path, os.O_RDONLY)
    try:
        assert prefix_crc(fd, len(data) - 5) == zlib.crc32(data[:-5])
    finally:
        os.close(fd)


def test_a_read_error_in_a_part_reaches_the_caller(tmp_path):
    fd = os.open(tmp_path, os.O_RDONLY)  # a directory: every read fails
    try:
        try:
            prefix_crc(fd, 10 << 20, parts=3)
        except OSError:
            pass
        else:
            raise AssertionError("a failed read must not pass as a CRC")
    finally:
        os.close(fd)


def test_the_fast_crc_gives_zlibs_number():
    # isal's CRC is used when installed: an index written with zlib's must stay valid
    from newscli.index.checksum import _fast_crc32

    fast = _fast_crc32()
    data = os.urandom(100_000)
    assert fast(data[50:], fast(data[:50])) == zlib.crc32(data)
    assert fast is not zlib.crc32, "isal is a dependency: the fast CRC should be the one in use"
