"""Dump text to Articles: blocks, article boundaries, bylines, labels, tags, repairs.

Lines stream in; blank lines cut them into blocks; blocks are grouped into
articles; each group becomes an Article or a Problem naming its line. Only one
article is held at a time, so memory stays flat however long the file.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate, chain

from newscli.dump import lang as langs
from newscli.dump.bylines import looks_like_byline, split_byline
from newscli.dump.timestamps import Reading, TimestampError, read_timestamp
from newscli.dump.decode import MAX_LINE, LongLine, decode_bytes
from newscli.dump.records import looks_like_records, read_records
from newscli.dump.repair import repair_paragraphs
from newscli.dump.write import format_dump
from newscli.errors import InputError
from newscli.model import Article, Problem

MAX_ARTICLE = 10_000_000  # characters in one article (10 MB)
NO_BYLINE = "no byline with a source and timestamp after the title"
UNREADABLE = "looks like the start of an article, but its byline cannot be read"
_EXAMPLE = "expected 'Source - 15 August 2025 18:52'"

_RULE = re.compile(r"([-*=_])(?: ?\1){2,}")  # ---, ***, ===, ___ and '* * *', any length
_HASHTAG_LINE = re.compile(r"#\w+(?:[\s,]+#\w+)*[\s,]*")  # every repeat needs a '#': linear
_HASHTAG = re.compile(r"#(\w+)")


@dataclass(slots=True)  # a dump has one per paragraph: slots make them ~40% cheaper to create
class Block:
    """A run of non-blank lines, with the blank lines before it kept for `raw`."""

    first: int
    last: int
    lines: list[str] = field(default_factory=list)  # stripped
    raw: list[str] = field(default_factory=list)  # as written, gap first
    gap: int = 0  # how many of `raw` are the blank lines before the block
    size: int = 0
    fault: tuple[int, str] | None = None  # (line, reason) that makes its article unreadable


BOUNDARY = object()  # a rule line or form feed: articles never span it


def iter_blocks(lines: Iterable[str | LongLine]) -> Iterator[Block | object]:
    """Cut lines into blocks; yields Block or BOUNDARY. Tracks 1-based line numbers."""
    block: Block | None = None
    gap: list[str] = []
    for lineno, line in enumerate(lines, start=1):
        if line.__class__ is str and "\f" not in line:  # nearly every line: skip the pieces loop
            text = line.strip()
            if not text:
                if block:
                    yield block
                    block, gap = None, []
                gap.append(line)
                continue
            if block is not None and block.fault is None and text[0] not in "-*=_":
                block.last = lineno  # a line of prose in a block: the common case, kept short
                block.size += len(line) + 1
                if block.size <= MAX_ARTICLE:
                    block.lines.append(text)
                    block.raw.append(line)
                    continue
                block.fault = (block.first, _too_big(block.first))
                block.lines, block.raw = [], []  # keep counting, stop holding
                continue
        pieces = [line] if isinstance(line, LongLine) or "\f" not in line else line.split("\f")
        for n, piece in enumerate(pieces):
            if n:  # a form feed ends the article like a rule line does
                if block:
                    yield block
                block, gap = None, []
                yield BOUNDARY
            if isinstance(piece, LongLine):
                block = block or Block(lineno, lineno)
                block.last = lineno
                block.fault = block.fault or (lineno, f"line {lineno} is longer than 1 MiB ({piece.length} characters > {MAX_LINE}); article skipped")
                continue
            text = piece.strip()
            if not text:
                if block:
                    yield block
                    block, gap = None, []
                gap.append(piece)
            elif text[0] in "-*=_" and _RULE.fullmatch(text):  # a cheap test first: most lines are prose
                if block:
                    yield block
                block, gap = None, []
                yield BOUNDARY
            else:
                if block is None:
                    block = Block(lineno, lineno, raw=gap, gap=len(gap))
                    gap = []
                block.last = lineno
                block.size += len(piece) + 1
                if block.size > MAX_ARTICLE:
                    block.fault = block.fault or (block.first, _too_big(block.first))
                    block.lines, block.raw = [], []  # keep counting, stop holding
                elif block.fault is None:
                    block.lines.append(text)
                    block.raw.append(piece)
    if block:
        yield block


def whole_blocks(lines: list[str]) -> list[Block | object] | None:
    """What iter_blocks yields for a whole text's lines, cut with slices instead of line by
    line (~5x faster); None when a line needs iter_blocks' care (a form feed, a line over
    MAX_LINE, a block over MAX_ARTICLE)."""
    if not lines:
        return []
    if max(map(len, lines)) > MAX_LINE or "\f" in "\n".join(lines):
        return None
    stripped = list(map(str.strip, lines))
    # Blank lines and rule lines end blocks; every other line belongs to one.
    cuts = [k for k, text in enumerate(stripped)
            if not text or (text[0] in "-*=_" and _RULE.fullmatch(text))]
    cuts.append(len(lines))
    before = list(accumulate(map(len, lines), initial=0))  # characters before each line
    out: list[Block | object] = []
    start = gap_start = 0  # the block's first line, and the first blank line before it
    for cut in cuts:
        if cut > start:
            size = before[cut] - before[start] + cut - start
            if size > MAX_ARTICLE:
                return None
            out.append(Block(start + 1, cut, stripped[start:cut], lines[gap_start:cut],
                             start - gap_start, size))
            gap_start = cut
        if cut < len(lines) and stripped[cut]:  # a rule: a boundary, and no gap before the next
            out.append(BOUNDARY)
            gap_start = cut + 1
        start = cut + 1
    return out


def _too_big(line: int) -> str:
    return f"article starting at line {line} is longer than 10 MB ({MAX_ARTICLE} characters); skipped"


def iter_groups(blocks: Iterable[Block | object]) -> Iterator[list[Block]]:
    """Group blocks into articles: a boundary, or a title followed by a byline, starts one."""
    group: list[Block] = []
    size, dropped = 0, False
    stream = iter(blocks)
    current = next(stream, None)
    while current is not None:
        following = next(stream, None)
        if current is BOUNDARY:
            if group:
                yield group
            group, size, dropped = [], 0, False
        else:
            if group and _starts_article(current, following):
                yield group
                group, size, dropped = [], 0, False
            group.append(current)
            size += current.size
            if size > MAX_ARTICLE and not dropped:
                head = group[0]
                head.fault = head.fault or (head.first, _too_big(head.first))
                for held in group:  # skip to the article's end holding nothing
                    held.lines, held.raw = [], []
                dropped = True
            elif dropped:
                current.lines, current.raw = [], []
        current = following
    if group:
        yield group


def _starts_article(block: Block, following) -> bool:
    if len(block.lines) == 1 and isinstance(following, Block) and following.lines:
        return looks_like_byline(following.lines[0])
    return len(block.lines) >= 2 and looks_like_byline(block.lines[1])


def is_hashtag_line(line: str) -> bool:
    return bool(_HASHTAG_LINE.fullmatch(line))


def build_article(group: list[Block], *, file: str, reading: Reading = Reading()) -> Iterator[Article | Problem]:
    """One group of blocks to an Article (after a note about its timestamp, if any), or to a
    Problem that says what was expected."""
    item, note = _build(group, file, reading)
    if note is not None:
        yield note
    yield item


def _build(group: list[Block], file: str, reading: Reading) -> tuple[Article | Problem, Problem | None]:
    for block in group:
        if block.fault:
            return Problem(file, block.fault[1], block.fault[0]), None
    head = group[0]
    if len(head.lines) >= 2 and looks_like_byline(head.lines[1]):
        title, byline, byline_no = head.lines[0], head.lines[1], head.first + 1
        leftover, rest = head.lines[2:], group[1:]
    elif len(group) < 2:
        return Problem(file, f"{NO_BYLINE}: the title stands alone ({_EXAMPLE})", head.first), None
    else:
        title = " ".join(head.lines)  # a title wrapped over several lines
        byline, byline_no = group[1].lines[0], group[1].first
        leftover, rest = group[1].lines[1:], group[2:]
    parts = split_byline(byline)
    if parts is None:
        if looks_like_byline(byline):
            return Problem(file, f"{UNREADABLE}: no source before the timestamp ({_EXAMPLE}, found {_quote(byline)})", byline_no), None
        return Problem(file, f"{NO_BYLINE} ({_EXAMPLE}, found {_quote(byline)})", byline_no), None
    source, stamp = parts
    try:
        published, note = read_timestamp(stamp, reading)
    except TimestampError as exc:
        return Problem(file, f"{UNREADABLE}: {exc} (in {_quote(byline, 50)})", byline_no), None
    paragraphs = ([" ".join(leftover)] if leftover else []) + [" ".join(b.lines) for b in rest]
    tags: tuple[str, ...] = ()
    label = None
    if rest:  # only the article's last block can hold tags, the one before it a label
        if all(is_hashtag_line(line) for line in rest[-1].lines):
            last = rest[-1]
            tags = tuple(tag for line in last.lines for tag in _HASHTAG.findall(line))
            paragraphs.pop()
            rest = rest[:-1]
        if rest and len(rest[-1].lines) == 1 and langs.is_source_label(rest[-1].lines[0]):
            label = rest[-1].lines[0]
            paragraphs.pop()
    if not paragraphs:
        return Problem(file, "no body text after the byline", byline_no), None
    lang = langs.label_lang(label) or langs.detect_lang(title + "\n" + "\n".join(paragraphs))
    article = Article(
        title=title, source=source, published=published,
        body="\n\n".join(repair_paragraphs(paragraphs, lang)), tags=tags, lang=lang,
        source_label=label, file=file, first_line=head.first, last_line=group[-1].last,
    )
    written_lines = head.raw[head.gap:]
    for block in group[1:]:
        written_lines += block.raw
    written = "\n".join(written_lines)
    if written != format_dump(article):
        article = _with_raw(article, written)
    return article, (Problem(file, note, byline_no, is_error=False) if note else None)


def _with_raw(article: Article, raw: str) -> Article:
    return dataclasses.replace(article, raw=raw)


def _quote(text: str, limit: int = 80) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


def parse_lines(lines: Iterable[str | LongLine], *, file: str, reading: Reading = Reading()) -> Iterator[Article | Problem]:
    """Articles and Problems of one input, in file order; a file with no article is a Problem.
    Records (an `export -f jsonl` file, dump/records.py) are read back as they are."""
    lines = iter(lines)
    head: list[str | LongLine] = []
    for line in lines:
        head.append(line)
        if isinstance(line, LongLine) or line.strip():
            break
    if head and looks_like_records(head[-1]):
        return read_records(chain(head, lines), file=file)
    return _parse_blocks(iter_blocks(chain(head, lines)), file, reading)


def _parse_blocks(blocks: Iterable[Block | object], file: str, reading: Reading) -> Iterator[Article | Problem]:
    seen = False
    for group in iter_groups(blocks):
        seen = True
        yield from build_article(group, file=file, reading=reading)
    if not seen:
        yield Problem(file, "no article in this input (it is empty or holds only blank lines and separators)")


def parse_text(text: str, *, file: str = "<text>", reading: Reading = Reading()) -> list[Article | Problem]:
    """Parse a whole dump held in memory (small inputs, and every file a worker parses)."""
    if "\x00" in text:
        return [Problem(file, "binary data (contains NUL characters); not a text dump")]
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline ends the last line; it does not start another
    if lines and lines[0].startswith("\ufeff"):
        lines[0] = lines[0][1:]
    first = next((x for x in lines if x.strip()), "")
    if first.lstrip().startswith("{") and looks_like_records(first):
        return list(read_records((LongLine(len(x)) if len(x) > MAX_LINE else x for x in lines), file=file))
    blocks = whole_blocks(lines)
    if blocks is None:
        blocks = iter_blocks(LongLine(len(x)) if len(x) > MAX_LINE else x for x in lines)
    return list(_parse_blocks(blocks, file, reading))


def parse_bytes(data: bytes, *, file: str = "<bytes>", encoding: str | None = None,
                reading: Reading = Reading()) -> list[Article | Problem]:
    """Decode and parse a whole dump held in memory; decoding trouble becomes a Problem."""
    try:
        lines, warning = decode_bytes(data, name=file, encoding=encoding)
    except InputError as exc:
        return [Problem(exc.file, exc.reason, exc.line)]
    notes = [Problem(file, warning, is_error=False)] if warning else []
    return notes + list(parse_lines(lines, file=file, reading=reading))
