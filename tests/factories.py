"""Build articles for tests without going through the parser."""

from __future__ import annotations

from newscli.model import Article


def make_article(n: int = 0, **overrides) -> Article:
    fields = dict(
        title=f"Title number {n}",
        source="Chas Pravdy",
        published=f"2025-08-{1 + n % 28:02d}T{n % 24:02d}:00:00",
        body=f"First paragraph of article {n}.\n\nSecond paragraph.",
        tags=("Politik",),
        lang="de",
        source_label=None,
        raw=None,
        file="/dumps/test.txt",
        first_line=1,
        last_line=7,
    )
    fields.update(overrides)
    return Article(**fields)
