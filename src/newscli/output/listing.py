"""Articles as one line each on a terminal (`list`, `search`, `rm`'s preview), like `gh pr list`.

Columns get what their values need up to a share of the width; the title gets the rest and is
cut at a word boundary with `…` (the full title is in `show`), so 20 articles take 20 lines at
any width and no word is ever broken over two lines. `wrap=True` wraps titles under their
column instead, still between words only.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Sequence

from rich.cells import cell_len
from rich.text import Text

from newscli.output.formats import tag_words
from newscli.output.inert import sanitize
from newscli.output.numbers import short_time

GAP = "  "
ELLIPSIS = "…"
MIN_TITLE = 12


def fit(text: str, width: int) -> str:
    """`text` in at most `width` cells: whole if it fits, else cut after a word and ended by `…`.

    Only a first word longer than the whole width is cut inside (there is no boundary to use).
    """
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    kept, used = [], 0
    for ch in text:
        used += cell_len(ch)
        if used > width - 1:
            break
        kept.append(ch)
    cut = "".join(kept)
    if not text[len(cut)].isspace():  # the cut fell inside a word: end at the word before it
        space = cut.rfind(" ")
        if space > 0:
            cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


def pad(text: str, width: int) -> str:
    return text + " " * max(width - cell_len(text), 0)


class Columns:
    """The widths of id, date, source, tags and title for these records at this width."""

    def __init__(self, records: Sequence[dict], width: int) -> None:
        self.width = width
        self.with_time = width >= 80
        self.date = 16 if self.with_time else 10
        longest_source = max((cell_len(_source(r)) for r in records), default=0)
        wide = width >= 100  # room for tags too
        longest_source = max(longest_source, 6)
        longest_tags = max((cell_len(_tags(r)) for r in records), default=0) if wide else 0
        longest_title = max((cell_len(sanitize(r.get("title") or "")) for r in records), default=0)
        fixed = 8 + len(GAP) + self.date + len(GAP)
        # Whole source and tags when the title keeps room for itself or 2/5 of the line; else shares.
        self.source, self.tags = longest_source, longest_tags
        if width - self._used(fixed) < min(longest_title, width * 2 // 5):
            self.source = min(longest_source, max(8, width // (6 if wide else 5)))
            self.tags = min(longest_tags, width // 8)
        self.indent = self._used(fixed)
        self.title = max(width - self.indent, MIN_TITLE)

    def _used(self, fixed: int) -> int:
        return fixed + self.source + len(GAP) + (self.tags + len(GAP) if self.tags else 0)

    def head(self) -> Text:
        line = Text(style="bold")
        for name, size in (("ID", 8), ("Published", self.date), ("Source", self.source),
                           ("Tags", self.tags)):
            if size:
                line.append(pad(name, size) + GAP)
        line.append("Title")
        return line

    def row(self, record: dict, wrap: bool = False) -> Iterator[Text]:
        line = Text()
        line.append(record["id"][:8], style="yellow")
        line.append(GAP + pad(short_time(record.get("published") or "", self.with_time) or "-", self.date),
                    style="dim")
        line.append(GAP + pad(fit(_source(record), self.source), self.source), style="cyan")
        if self.tags:
            line.append(GAP + pad(fit(_tags(record), self.tags), self.tags), style="green")
        title = sanitize(record.get("title") or "")
        if not wrap:
            line.append(GAP + fit(title, self.title))
            yield line
            return
        pieces = textwrap.wrap(title, self.title, break_long_words=False, break_on_hyphens=False) or [""]
        line.append(GAP + pieces[0])
        yield line
        for piece in pieces[1:]:
            yield Text(" " * self.indent + piece)

    def snippet(self, snippet: Text) -> Text:
        """A search hit's excerpt on one line under its row, cut like a title."""
        room = self.width - 4
        kept = fit(snippet.plain, room)
        if kept == snippet.plain:
            return Text("    ").append_text(snippet)
        body = kept[:-1]
        return Text("    ").append_text(snippet[:len(body)]).append(ELLIPSIS)


def _source(record: dict) -> str:
    return sanitize(record.get("source") or "")


def _tags(record: dict) -> str:
    return sanitize(" ".join(tag_words(record)))
