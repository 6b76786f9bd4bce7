"""The CRC-32 of a store's indexed prefix, read on every core.

A query that finds the store written to behind its back (not by newscli's logged appends)
must check every indexed byte against the CRC saved with the index (issue 20). At a million
articles that is 4 GB: one core reading and hashing took 2-3 s, most of it zlib's CRC, so
the prefix is cut into one part per core (zlib and os.preadv release the GIL), and the parts'
CRCs are joined with zlib's crc32_combine, written here because Python's zlib does not
expose it. ISA-L's CRC-32 (the `isal` package, imported only here, only when a whole prefix is
checked) gives zlib's number for a quarter of the CPU or less; without it zlib's is used. The
result is always the number `zlib.crc32` gives over the whole prefix.
`rm` asks for the CRC of the bytes it keeps (ranges_crc), read while the kernel copies them.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from zlib import crc32  # sync.py's running CRC of the lines it indexes: the same function

_CHUNK = 1 << 20
_SPLIT_ABOVE = 64 << 20  # below this one thread is as fast: threads cost more than they save
_MAX_PARTS = 8
_POLY = 0xEDB88320  # CRC-32's polynomial, bit-reversed, as zlib uses it


def _times(matrix: list[int], vector: int) -> int:
    """The GF(2) product of a 32x32 bit matrix (one int per column) and a 32-bit vector."""
    total, column = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[column]
        vector >>= 1
        column += 1
    return total


def _square(matrix: list[int]) -> list[int]:
    return [_times(matrix, column) for column in matrix]


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """The CRC-32 of A+B from crc1 = crc32(A), crc2 = crc32(B) and len2 = len(B) (zlib's
    algorithm: apply len2 zero bytes to crc1 by repeated squaring of the one-zero-bit operator)."""
    if len2 <= 0:
        return crc1
    odd = [_POLY] + [1 << n for n in range(31)]  # the operator for one zero bit
    even = _square(odd)  # two zero bits
    odd = _square(even)  # four zero bits
    while True:
        even = _square(odd)  # first pass: one zero byte
        if len2 & 1:
            crc1 = _times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = _square(even)
        if len2 & 1:
            crc1 = _times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


def _fast_crc32():
    try:
        from isal.isal_zlib import crc32 as fast
    except ImportError:  # not installed, or a platform it has no wheel for
        return crc32
    return fast


def _blocks(fd: int, start: int, end: int, buffer: bytearray) -> Iterator[memoryview]:
    """Bytes [start, end) of `fd`, block by block, read into `buffer` (reused: use each block
    before asking for the next); fewer if the file is shorter than `end`."""
    view = memoryview(buffer)
    while start < end:
        read = os.preadv(fd, [view[:min(len(buffer), end - start)]], start)
        if read <= 0:
            return  # the file is shorter than `end`: the caller's CRC will not match
        yield view[:read]
        start += read


def ranges_crc(fd: int, ranges: list[tuple[int, int]], count_lines: bool = False) -> tuple[int, list[int]]:
    """The CRC-32 of these (start, end) ranges of `fd` one after the other (what the store
    will hold once `rm` has cut the lines between them), and, if asked, the number of the line
    after each range but the last (the newlines before it, plus one per range before it: rm's
    cut lines are one line each)."""
    crc32 = _fast_crc32()
    crc, numbers, newlines, buffer = 0, [], 0, bytearray(_CHUNK)
    for i, (start, end) in enumerate(ranges):
        for block in _blocks(fd, start, end, buffer):
            crc = crc32(block, crc)
            if count_lines:
                newlines += buffer.count(b"\n", 0, len(block))
        if count_lines and i < len(ranges) - 1:
            numbers.append(newlines + i + 1)
    return crc, numbers


def prefix_crc(fd: int, end: int, parts: int | None = None) -> int:
    """CRC-32 of the first `end` bytes of `fd`, equal to zlib.crc32 over them."""
    if parts is None:
        parts = min(os.cpu_count() or 1, _MAX_PARTS) if end > _SPLIT_ABOVE else 1
    if parts <= 1:
        return ranges_crc(fd, [(0, end)])[0]
    bounds = [end * i // parts for i in range(parts + 1)]
    crcs: list[int | BaseException] = [0] * parts

    def run(i: int) -> None:
        try:
            crcs[i] = ranges_crc(fd, [(bounds[i], bounds[i + 1])])[0]
        except BaseException as error:  # raised again below, in the caller's thread
            crcs[i] = error

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(1, parts)]
    for thread in threads:
        thread.start()
    run(0)  # this thread takes the first part
    for thread in threads:
        thread.join()
    for result in crcs:
        if isinstance(result, BaseException):
            raise result
    crc = crcs[0]
    for i in range(1, parts):
        crc = crc32_combine(crc, crcs[i], bounds[i + 1] - bounds[i])
    return crc
