"""The search box language (words, "phrases", word*, -exclude, OR) translated to FTS5.

Users type web-search syntax, not FTS5's: every word is passed to FTS5 as a quoted string, so
no input can produce an FTS5 syntax error or reach its column filters and functions.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from newscli.errors import UsageError

# A token: optional '-', then a quoted phrase (closing quote optional) or a bare word; optional '*'.
_TOKEN = re.compile(r'(-?)(?:"([^"]*)"?|([^\s"()]+))')
_HAS_WORD = re.compile(r"[^\W_]")
HIT_START, HIT_END = "\ue000", "\ue001"  # private-use marks around snippet hits


def plain_snippet(snippet: str) -> str:
    """A snippet without its hit marks (for pipes and files)."""
    return snippet.replace(HIT_START, "").replace(HIT_END, "")


class Term(NamedTuple):
    text: str
    prefix: bool = False
    exclude: bool = False

    def fts(self) -> str:
        return '"' + self.text.replace('"', '""') + '"' + ("*" if self.prefix else "")


def parse(query: str) -> list[Term | str]:
    """Terms in order, with the OR markers kept as the string 'OR'."""
    items: list[Term | str] = []
    negate_next = False
    # NUL ends a string for FTS5's C parser ("unterminated string"): it separates words here.
    query = query.replace("(", " ").replace(")", " ").replace("\x00", " ")
    for match in _TOKEN.finditer(query):
        minus, phrase, word = match.groups()
        if phrase is None and word in ("OR", "|"):
            items.append("OR")
            continue
        if phrase is None and word in ("AND", "NOT"):
            negate_next = word == "NOT"
            continue
        text = phrase if phrase is not None else word
        prefix = phrase is None and text.endswith("*")
        if phrase is not None:
            prefix = query[match.end():match.end() + 1] == "*"
        text = text.rstrip("*").strip()
        if not _HAS_WORD.search(text):
            continue  # nothing FTS5 would index, so nothing that could match
        items.append(Term(text, prefix, exclude=bool(minus) or negate_next))
        negate_next = False
    return items


def to_fts(query: str) -> str:
    """An FTS5 MATCH expression: all groups must match, a group is words joined by OR."""
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    join_next = False
    for item in parse(query):
        if item == "OR":
            join_next = bool(groups)
            continue
        if item.exclude:
            excluded.append(item)
        elif join_next:
            groups[-1].append(item)
        else:
            groups.append([item])
        join_next = False
    if not groups:
        raise UsageError("nothing to search for: give at least one word that is not excluded")
    expression = " AND ".join("(" + " OR ".join(t.fts() for t in group) + ")" for group in groups)
    for term in excluded:
        expression = f"({expression}) NOT {term.fts()}"
    return expression
