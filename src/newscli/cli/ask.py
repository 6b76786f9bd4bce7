"""Opening the archive for a question, and saying what the answer alone would hide.

Every query command opens the index through `ask`, which first tells the user, on stderr, when
the archive is missing or holds no article (a mistyped --store), or when a --tag, --any-tag,
--no-tag, --source or --lang value names nothing in it, with the closest names that do. The
answer itself is unchanged (empty, 0, exit 0), so scripts read it as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported late where used: start-up stays ~0.1 s
    from newscli.index.filters import Filters
    from newscli.index.sync import Index


@contextmanager
def ask(rt, filters: Filters | None = None) -> Iterator[Index]:
    """The index of `rt`'s store, open, after the notes on stderr; closed at the end."""
    from newscli.index import hints
    from newscli.index.sync import session

    with session(rt.store_path, rt.screen.problem) as index:
        if not hints.holds_articles(index):
            state = "is empty" if rt.store_path.exists() else "does not exist"
            rt.screen.error(f"the archive at {rt.store_path} {state}; add articles with: newscli ingest DUMP...")
        elif filters is not None:
            for unknown in hints.unknown_values(index, filters):
                rt.screen.error(unknown_note(unknown))
        yield index


def unknown_note(unknown) -> str:
    """`no tag 'Politk' in this archive; did you mean 'Politik' (3,214)?`"""
    what = f"no {unknown.kind} '{unknown.value}' in this archive"
    if not unknown.near:
        return what
    names = [f"'{name}' ({count:,})" for name, count in unknown.near]
    if unknown.kind == "language":
        return f"{what}; it has {', '.join(names)}"
    choice = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return f"{what}; did you mean {choice}?"
