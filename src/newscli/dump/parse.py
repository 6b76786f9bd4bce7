"""Dump text to Articles: blocks, article boundaries, bylines, labels, tags, repairs.

Lines stream in; blank lines cut them into blocks; blocks are grouped into
articles; each group becomes an Article or a Problem naming its line. Only one
article is held at a time, so memory stays flat however long the file.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import chain

from newscli.dump import lang as langs
from newscli.dump.bylines import looks_like_byline, split_byline, stamp_shaped, unsplit_reason
from newscli.dump.timestamps import Reading, TimestampError, read_timestamp
from newscli.dump.blocks import BOUNDARY, MAX_ARTICLE, Block, iter_blocks, too_big, whole_blocks
from newscli.dump.decode import MAX_LINE, LongLine, decode_bytes
from newscli.dump.records import looks_like_records, read_records
from newscli.dump.repair import repair_paragraphs
from newscli.dump.write import format_dump
from newscli.errors import InputError
from newscli.model import Article, Problem

NO_BYLINE = "no byline with a source and timestamp after the title"
UNREADABLE = "looks like the start of an article, but its byline cannot be read"
_EXAMPLE = "expected 'Source - 15 August 2025 18:52'"

_HASHTAG_LINE = re.compile(r"#\w+(?:[\s,]+#\w+)*[\s,]*")  # every repeat needs a '#': linear
_HASHTAG = re.compile(r"#(\w+)")


class Group(list):
    """An article's blocks; `after` says what ended the article before it, when something did
    (its hashtags, its source label, a form feed), for the message if this one is refused."""

    after: str | None = None


def iter_groups(blocks: Iterable[Block | object]) -> Iterator[Group]:
    """Group blocks into articles. A title followed by a byline starts one; so does any text
    after evidence that an article has ended (its hashtag line, its source label, a form
    feed): that text is a new article, or a refused one, never more of the one before. A rule
    line is a divider in the body unless an article starts right after it."""
    group, size, dropped, ended = Group(), 0, False, _OPEN
    stream = iter(blocks)
    ahead = [next(stream, None), next(stream, None)]  # the two blocks after the current one
    current = ahead.pop(0)
    while current is not None:
        ahead.append(next(stream, None))
        following = ahead[0]
        if current is BOUNDARY:
            ended = ("a form feed" if group else ended) or _OPEN
            if group:
                yield group
            group, size, dropped = Group(), 0, False
        elif current.rule and (not group or ended or following is None or following is BOUNDARY
                               or isinstance(following, Block) and _starts_article(following, ahead[1])):
            if group and not ended:  # a separator between two articles: the one before ends
                yield group
                group, size, dropped = Group(), 0, False
        else:
            if group and not ended and len(current.lines) > 2:
                cut = _title_inside(current)
                if cut:  # body, then a title and its byline, with no blank line between them
                    body, current = _split_block(current, cut)
                    group.append(body)
                    size += body.size
            tags = current.lines[:1] != [] and current.lines[0][:1] == "#" and _is_tags(current)
            if group and (_starts_article(current, following) or ended and not (tags and ended != _OPEN)):
                yield group
                group, size, dropped = Group(), 0, False
                group.after = ended or None
                ended = _OPEN
            elif not group:
                group.after, ended = ended or None, _OPEN
            group.append(current)
            if len(group) > 1 and (tags or not ended and len(current.lines) == 1
                                   and _is_label(current.lines[0])) and _has_body(group):
                ended = f"its {'hashtags' if tags else 'source label'} on line {current.first}"
            size += current.size
            if size > MAX_ARTICLE and not dropped:
                head = group[0]
                head.fault = head.fault or (head.first, too_big(head.first))
                for held in group:  # skip to the article's end holding nothing
                    held.lines, held.raw = [], []
                dropped = True
            elif dropped:
                current.lines, current.raw = [], []
        current = ahead.pop(0)
    if group:
        yield group


_OPEN = ""  # no evidence yet that the article has ended
MAX_TITLE = 400  # characters of a title over at most three lines


def _starts_article(block: Block, following) -> bool:
    """A title-like block (up to three short lines) with a byline-shaped line after it: in
    the block, or as the first line of the next block."""
    lines = block.lines
    if block.rule or not lines or lines[0][:1] == "#" and _is_tags(block):
        return False
    for n in range(1, min(4, len(lines))):
        if looks_like_byline(lines[n]):
            return _title_like(lines[:n])
    # the cheap questions first: most paragraphs are followed by more prose
    return (len(lines) <= 3 and following.__class__ is Block and not following.rule and bool(following.lines)
            and looks_like_byline(following.lines[0]) and _title_like(lines))


def _title_inside(block: Block) -> int:
    """Where a title starts in a block of body text whose line after it is a byline; 0 if none."""
    for n in range(2, len(block.lines)):
        if looks_like_byline(block.lines[n]) and _title_like(block.lines[n - 1:n]):
            return n - 1
    return 0


def _split_block(block: Block, cut: int) -> tuple[Block, Block]:
    """The block's first `cut` lines, and the rest as a block with no blank lines before it."""
    at = block.gap + cut
    before = Block(block.first, block.first + cut - 1, block.lines[:cut], block.raw[:at], block.gap,
                   sum(len(line) + 1 for line in block.raw[block.gap:at]))
    after = Block(block.first + cut, block.last, block.lines[cut:], block.raw[at:], 0, block.size - before.size)
    return before, after


def _title_like(lines: list[str]) -> bool:
    return sum(map(len, lines)) <= MAX_TITLE and not (len(lines) == 1 and _is_label(lines[0]))


def _is_label(line: str) -> bool:
    return len(line) <= _MAX_LABEL and langs.is_source_label(line)


_MAX_LABEL = 2 * max(map(len, langs.SOURCE_LABELS))  # characters: a longer line is never a label


def _is_tags(block: Block) -> bool:
    lines = block.lines
    return bool(lines) and lines[0][:1] == "#" and not block.rule and all(is_hashtag_line(line) for line in lines)


@lru_cache(maxsize=64)  # a block's lines are asked about while grouping and again while building
def is_hashtag_line(line: str) -> bool:
    return line[:1] == "#" and bool(_HASHTAG_LINE.fullmatch(line))


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
    found = _head(group)
    if found is None:
        if len(group) < 2:
            return _refused(group, file, f"{NO_BYLINE}: the title stands alone ({_EXAMPLE})", head.first), None
        byline = group[1].lines[0] if group[1].lines else ""
        return _refused(group, file, f"{NO_BYLINE} ({_EXAMPLE}, found {_quote(byline)})", group[1].first), None
    title, byline, byline_no, leftover, rest = found
    parts = split_byline(byline)
    unsplit = unsplit_reason(byline) if parts is None or not stamp_shaped(parts[1]) else None
    if parts is None or unsplit:
        if unsplit:
            return Problem(file, f"{UNREADABLE}: {unsplit} ({_EXAMPLE}, found {_quote(byline)})", byline_no), None
        return Problem(file, f"{NO_BYLINE} ({_EXAMPLE}, found {_quote(byline)})", byline_no), None
    source, stamp = parts
    try:
        published, note = read_timestamp(stamp, reading)
    except TimestampError as exc:
        return Problem(file, f"{UNREADABLE}: {exc} (in {_quote(byline, 50)})", byline_no), None
    end = len(rest)  # the article's last blocks can hold tags, the one before them a label
    while end and _is_tags(rest[end - 1]):
        end -= 1
    tags = tuple(tag for block in rest[end:] for line in block.lines for tag in _HASHTAG.findall(line))
    label = None
    if end and not rest[end - 1].rule and len(rest[end - 1].lines) == 1 and langs.is_source_label(rest[end - 1].lines[0]):
        label = rest[end - 1].lines[0]
        end -= 1
    paragraphs = ([" ".join(leftover)] if leftover else []) + [" ".join(b.lines) for b in rest[:end]]
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


def _head(group: Group) -> tuple[str, str, int, list[str], list[Block]] | None:
    """(title, byline, its line number, the rest of the byline's block, the blocks after it),
    or None when no byline-shaped line follows the title."""
    head = group[0]
    for n in range(1, min(4, len(head.lines))):
        if looks_like_byline(head.lines[n]):
            return " ".join(head.lines[:n]), head.lines[n], head.first + n, head.lines[n + 1:], group[1:]
    if len(group) >= 2 and group[1].lines and not group[1].rule and (
            looks_like_byline(group[1].lines[0]) or group.after is None and split_byline(group[1].lines[0])):
        # a title wrapped over several lines; at the top of the file, any 'x - y' is a byline
        # that says what is wrong with it
        return " ".join(head.lines), group[1].lines[0], group[1].first, group[1].lines[1:], group[2:]
    return None


def _has_body(group: Group) -> bool:
    """An article with a byline and body text before its last block: hashtags or a label
    there end it (right after the byline they are part of the body, or its tags)."""
    found = _head(group)
    return found is not None and bool(found[3] or len(found[4]) >= 2)


def _refused(group: Group, file: str, reason: str, line: int) -> Problem:
    """A Problem for a group with no byline, saying what ended the article before it."""
    if group.after:
        reason = f"text after the end of an article ({group.after}) does not start a new one: {reason}"
    return Problem(file, reason, line)


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
