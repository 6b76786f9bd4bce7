"""Undo two scraping artifacts in body paragraphs, and touch nothing else.

1. Ordinal split: scrapers break a paragraph after 'der 45.' / 'am 12.' because a
   number followed by a period looks like a sentence end. Only German and Polish
   write ordinals that way, so only they are joined, and only when the next
   paragraph cannot be a new sentence of its own:
   - it starts with a month name of that language ('am 12.' / 'Februar ...'), or
   - it starts in lowercase (a new paragraph never does; Polish nouns are lowercase), or
   - (German) the word before the number is an article or determiner, which needs a
     noun after the ordinal ('der 45.' / 'Präsident'), and the next paragraph does not
     start with a function word that typically opens a sentence ('Die', 'Dabei', ...).
   So 'stieg im Januar auf 45.' / 'Die Zahl ...' stays two paragraphs.
2. Glued sentences: 'verleiht.Zuvor' becomes 'verleiht. Zuvor' when at least two
   lowercase letters precede the period and a capital plus a lowercase letter follow,
   all in Latin or Cyrillic script. That shape excludes 'z.B.', 'U.S.', '3.5' and
   'bank.gov.ua'; tokens that are URLs, e-mail addresses or dotted names are skipped.
"""

from __future__ import annotations

import re

from newscli.dump.datewords import month_number

ORDINAL_LANGS = frozenset({"de", "pl"})

_DETERMINERS = {
    "de": set(
        "der die das den dem des ein eine einem einen einer eines dieser diese dieses diesem "
        "diesen jeder jede jedes jedem jeden sein seine seinem seinen seiner seines ihr ihre "
        "ihrem ihren ihrer ihres unser unsere unserem unseren unserer".split()
    ),
    "pl": set(),  # no articles; Polish continuations start lowercase and are caught by that rule
}
# Words that open a German sentence but cannot follow 'der 45.' as its noun.
_SENTENCE_OPENERS = set(
    "der die das den dem des ein eine einer er sie es wir ihr ich man dabei zudem auch aber und "
    "doch dies diese dieser dieses damit danach zuvor außerdem nach am im in auf bei mit seit "
    "laut wie was wer wo als wenn dass so nun jetzt heute später bereits zunächst daher denn".split()
)
_ORDINAL_END = re.compile(r"(?:^|\s)(?:([^\W\d_]+)\s+)?(\d{1,4})\.$")
# A paragraph ending in 'digit.', the one place a split can be; the literal '.\n' comes first so
# the search skips to candidates at C speed (a paragraph holds no newline).
_NUMBER_AT_END = re.compile(r"\.\n(?<=\d\.\n)")
_FIRST_WORD = re.compile(r"[^\W\d_]+")
# Abbreviations are not month names at the start of a paragraph ('Sie', 'Mar', 'Lut'...).
_NOT_MONTHS = {"sie", "mar", "jan", "feb", "apr", "jun", "jul", "aug", "sep", "okt", "nov", "dez",
               "lut", "kwi", "cze", "lip", "wrz", "lis", "gru", "sty"}


def repair_paragraphs(paragraphs: list[str], lang: str | None) -> list[str]:
    """Join ordinal splits (German, Polish) and separate glued sentences (any language)."""
    joined = join_ordinal_splits(paragraphs, lang)
    if not _may_be_glued("\n".join(joined)):  # nearly every article: one quick look at all of it
        return joined
    return [separate_glued_sentences(p) for p in joined]


def join_ordinal_splits(paragraphs: list[str], lang: str | None) -> list[str]:
    if lang not in ORDINAL_LANGS or not _NUMBER_AT_END.search("\n".join(paragraphs)):
        return list(paragraphs)
    out: list[list[str]] = []  # pieces per paragraph: joining many splits stays linear
    tail = ""  # the last 80 characters of the paragraph being built
    for paragraph in paragraphs:
        if out and _is_ordinal_split(tail, paragraph, lang):
            out[-1].append(paragraph)
            tail = f"{tail} {paragraph}"[-80:]
        else:
            out.append([paragraph])
            tail = paragraph[-80:]
    return [" ".join(pieces) for pieces in out]


def _is_ordinal_split(before: str, after: str, lang: str) -> bool:
    if before[-1:] != "." or not before[-2:-1].isdecimal():  # what _ORDINAL_END needs, cheaply
        return False
    m = _ORDINAL_END.search(before[-80:])  # only the tail matters; bounded work
    first = _FIRST_WORD.match(after)
    if not m or not first:
        return False
    word_before, next_word = (m.group(1) or "").casefold(), first.group(0)
    if next_word[0].islower():
        return True
    if next_word.casefold() not in _NOT_MONTHS and month_number(next_word) is not None:
        return True
    return word_before in _DETERMINERS[lang] and next_word.casefold() not in _SENTENCE_OPENERS


def _letter(ch: str) -> bool:
    """A Latin or Cyrillic letter: the scripts whose sentences we dare to separate."""
    return ch.isalpha() and (ch.isascii() or "\u00c0" <= ch <= "\u024f" or "\u0400" <= ch <= "\u04ff")


# Letters after the mark; the two before it are checked in Python (islower + _letter imply
# them), because a lookbehind would be tried at every position of every paragraph.
_GLUE = re.compile(r"[.!?](?=[^\W\d_]{2})")


# The same test split by mark: a pattern that starts with a literal character is searched for
# at C speed, ~7x faster than one starting with a class like [.!?]. A cheap "could be" only.
_GLUE_AFTER = tuple((mark, re.compile(re.escape(mark) + r"(?=[^\W\d_]{2})")) for mark in ".!?")


def _may_be_glued(text: str) -> bool:
    return any(mark in text and pattern.search(text) for mark, pattern in _GLUE_AFTER)


def separate_glued_sentences(paragraph: str) -> str:
    if not _may_be_glued(paragraph):
        return paragraph
    cuts = []
    for m in _GLUE.finditer(paragraph):
        i = m.start()
        if i < 2:
            continue
        a, b, c, d = paragraph[i - 2], paragraph[i - 1], paragraph[i + 1], paragraph[i + 2]
        if not (a.islower() and b.islower() and c.isupper() and d.islower()):
            continue
        if not all(_letter(ch) for ch in (a, b, c, d)) or _in_address(paragraph, i):
            continue
        cuts.append(i + 1)
    if not cuts:
        return paragraph
    pieces, start = [], 0
    for cut in cuts:
        pieces.append(paragraph[start:cut])
        start = cut
    pieces.append(paragraph[start:])
    return " ".join(pieces)


_WINDOW = 200


def _in_address(text: str, i: int) -> bool:
    """Is position i inside a URL, e-mail address or dotted name ('News.Example.Com')?

    A capitalised domain with a single dot ('Example.Com') looks exactly like a glued
    sentence ('gesagt.Es'); the sentence is far more common, so it is separated.
    """
    # Look at most _WINDOW characters each way: linear work on a paragraph without spaces,
    # and a "word" that long is no sentence anyway.
    left = text.rfind(" ", max(0, i - _WINDOW), i)
    right = text.find(" ", i, i + _WINDOW)
    if (left == -1 and i > _WINDOW) or (right == -1 and len(text) - i > _WINDOW):
        return True
    left, right = left + 1, (right if right != -1 else len(text))
    token = text[left:right].rstrip(".,;:!?)]}\"'»“”’")
    if "://" in token or "@" in token or "/" in token or token.lower().startswith("www."):
        return True
    return sum(token.count(ch) for ch in ".!?") > 1
