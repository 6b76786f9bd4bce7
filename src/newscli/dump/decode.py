"""Bytes to lines of text: encoding detection, line-end normalisation, hard limits.

Works chunk by chunk so a 500 MB dump costs flat memory. A byte-order mark
decides; otherwise UTF-8 if the bytes are valid UTF-8, else the legacy code page
whose decoding looks like real words (with a warning naming it).
"""

from __future__ import annotations

import codecs
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from newscli.errors import InputError, UsageError

CHUNK = 1 << 20  # bytes read at a time
MAX_LINE = 1 << 20  # characters in one line (1 MiB); longer lines are refused
SNIFF_BYTES = 1 << 20  # how much of a BOM-less, non-UTF-8 input the legacy guess looks at

_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_LEGACY = {  # candidate -> how the warning names it
    "cp1252": "windows-1252 (Western European)",
    "cp1250": "windows-1250 (Central European)",
    "cp1251": "windows-1251 (Cyrillic)",
}


@dataclass(frozen=True)
class LongLine:
    """Stands in for a line over MAX_LINE characters, whose text was dropped unread."""

    length: int


def has_bom(data: bytes) -> bool:
    return data.startswith(tuple(bom for bom, _ in _BOMS))


def check_encoding(name: str | None) -> str | None:
    """Validate a user's --encoding before any input is read."""
    if name is None:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise UsageError(f"unknown encoding '{name}'") from None


def detect(head: bytes, *, complete: bool) -> tuple[str, str | None]:
    """Choose the encoding from the first bytes: returns (codec, warning or None).

    `complete` says `head` is the whole input, so a multi-byte sequence cut at
    its end is a real error rather than the edge of the sample.
    """
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec, None
    if b"\x00" in head:  # without a BOM, only a binary file has NUL bytes
        raise binary_error(head)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=complete)
        return "utf-8", None
    except UnicodeDecodeError:
        pass
    codec = guess_legacy(head)
    return codec, legacy_warning(codec)


def legacy_warning(codec: str) -> str:
    """The one-line note that we fell back to a legacy code page, and how to override it."""
    return f"not valid UTF-8 and no byte-order mark: decoded as {_LEGACY[codec]}; use --encoding to choose another"


def guess_legacy(data: bytes) -> str:
    """The legacy code page whose decoding of `data` has the fewest implausible words.

    Only code pages that decode every byte compete: bytes none of them defines
    are not text, and one clear refusal beats a guess followed by a decode error.
    """
    scores = {}
    for codec in _LEGACY:  # dict order breaks ties: cp1252 first, the most common
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        scores[codec] = sum(_implausible(word) for word in text.split() if not word.isascii())
    if not scores:
        raise not_text(data)
    return min(scores, key=scores.get)


def binary_error(data: bytes, offset: int = 0) -> InputError:
    """The refusal for input with NUL bytes, on the line of the first one."""
    line = data[: data.index(b"\x00")].count(b"\n") + 1 + offset
    return InputError("", "binary file (contains NUL bytes); not a text dump", line)


def not_text(data: bytes) -> InputError:
    """The refusal for bytes that are neither UTF-8 nor any legacy code page we know,
    on the line where the last candidate code page failed."""
    last = max(_first_undefined(data, codec) for codec in _LEGACY)
    return InputError(
        "",
        f"not text: neither UTF-8 nor windows-1250, -1251 or -1252 decodes it (byte 0x{data[last]:02x} "
        "here rules out the last of them; use --encoding if it is text)",
        data[:last].count(b"\n") + 1,
    )


def _first_undefined(data: bytes, codec: str) -> int:
    try:
        data.decode(codec)
    except UnicodeDecodeError as exc:
        return exc.start
    return len(data)


def _script(ch: str) -> str:
    if "\u0400" <= ch <= "\u04ff":
        return "cyrillic"
    return "latin" if ch.isascii() or "\u00c0" <= ch <= "\u024f" else "other"


def _implausible(word: str) -> int:
    """1 when a word could not have been written so: mixed scripts, symbols inside, accent soup."""
    core = word.strip(".,;:!?()[]{}\"'«»„“”‘’-–—…")
    if not core:
        return 0
    if any(ch == "\ufffd" for ch in core):
        return 1
    letters = [ch for ch in core if ch.isalpha()]
    inner = [ch for ch in core if not (ch.isalpha() or ch in "0123456789-'’.")]
    if inner:
        return 1  # '¿', '³', '¹' inside a word: Polish read as windows-1252
    scripts = {_script(ch) for ch in letters}
    if len(scripts) > 1 or "other" in scripts:
        return 1  # 'fьr': German read as windows-1251
    accented = sum(1 for ch in letters if not ch.isascii())
    if "latin" in scripts and len(letters) >= 4 and accented * 2 > len(letters):
        return 1  # 'Ïðåçèäåíò': Cyrillic read as windows-1252
    if "latin" in scripts and any(unicodedata.category(ch) == "Lu" for ch in letters[1:]) and accented:
        return 1  # capitals inside a word with accents: 'ÐÎÑÑÈß'-style mojibake
    return 0


def iter_lines(chunks: Iterable[bytes], codec: str, *, name: str) -> Iterator[str | LongLine]:
    """Decode `chunks` and yield lines without their ends (LF, CRLF and CR all end a line).

    Raises InputError on bytes the codec cannot decode or on a NUL character
    (a binary file), with the line where it happened.
    """
    decoder = codecs.getincrementaldecoder(codec)("strict")
    lineno = 0  # lines already yielded
    partial: list[str] = []
    partial_len = 0
    held_cr = ""
    first = True
    for chunk in _with_final(chunks):
        data, final = chunk
        try:
            text = decoder.decode(data, final=final)
        except UnicodeDecodeError as exc:
            raise InputError(name, f"cannot decode as {codec}: byte 0x{exc.object[exc.start]:02x} is invalid (use --encoding)", lineno + 1) from None
        if first and text:
            text = text.removeprefix("\ufeff")  # a BOM left by an explicit --encoding
            first = False
        text = held_cr + text
        held_cr = ""
        if text.endswith("\r") and not final:
            text, held_cr = text[:-1], "\r"  # it may be the first half of a CRLF
        if "\x00" in text:
            before = text[: text.index("\x00")]
            raise InputError(name, "binary file (contains NUL bytes); not a text dump", lineno + 1 + _count_ends(before))
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        pieces = text.split("\n")
        for piece in pieces[:-1]:
            if partial or partial_len:  # the line began in an earlier chunk
                if partial_len + len(piece) > MAX_LINE:
                    yield LongLine(partial_len + len(piece))
                else:
                    partial.append(piece)
                    yield "".join(partial)
                partial, partial_len = [], 0
            elif len(piece) > MAX_LINE:
                yield LongLine(len(piece))
            else:
                yield piece  # a whole line in this chunk: nearly all of them
            lineno += 1
        last = pieces[-1]
        partial_len += len(last)
        if partial_len > MAX_LINE:
            partial = []  # drop the text, keep counting: flat memory on a huge line
        else:
            partial.append(last)
    if partial_len:
        yield LongLine(partial_len) if partial_len > MAX_LINE else "".join(partial)


def _count_ends(text: str) -> int:
    return text.count("\n") + text.replace("\r\n", "\n").count("\r")


def _with_final(chunks: Iterable[bytes]) -> Iterator[tuple[bytes, bool]]:
    """Pair every chunk with 'is this the last one', so the decoder can flush."""
    previous = None
    for chunk in chunks:
        if previous is not None:
            yield previous, False
        previous = chunk
    yield (previous or b""), True


def decode_bytes(data: bytes, *, name: str = "<bytes>", encoding: str | None = None) -> tuple[list[str | LongLine], str | None]:
    """Whole-buffer convenience for tests and small inputs: (lines, warning)."""
    codec, warning = (check_encoding(encoding), None) if encoding else detect(data, complete=True)
    return list(iter_lines([data], codec, name=name)), warning


def read_chunks(stream, size: int = CHUNK) -> Iterator[bytes]:
    while True:
        chunk = stream.read(size)
        if not chunk:
            return
        yield chunk
