"""The canonical dump text of an article: what the parser reads back to the same fields."""

from __future__ import annotations

from newscli.dump.timestamps import format_timestamp
from newscli.model import Article

BYLINE_SEPARATOR = " - "


def format_dump(article: Article) -> str:
    """Title, byline, paragraphs, source label, hashtags; blocks separated by a blank line.

    No trailing newline: dumps of several articles are joined with a blank line.
    """
    blocks = [article.title, f"{article.source}{BYLINE_SEPARATOR}{format_timestamp(article.published)}"]
    if article.body:
        blocks.extend(article.body.split("\n\n"))
    if article.source_label:
        blocks.append(article.source_label)
    if article.tags:
        blocks.append(" ".join(f"#{tag}" for tag in article.tags))
    return "\n\n".join(blocks)


def format_dumps(articles) -> str:
    """Several articles as one dump file (back to back, blank line between)."""
    return "\n\n".join(format_dump(a) for a in articles) + "\n"
