"""Bylines: which lines are shaped like one, and where a byline splits into source and timestamp.

Shapes, not values: a byline whose timestamp cannot be read ('UP - 5 Decmber 2026', a
weekday where the month should be) is still a byline, so that its article is refused with
the reason instead of being read as more body of the article before it. Reading the
timestamp is `timestamps.py`'s job.
"""

from __future__ import annotations

import re
from functools import lru_cache

from newscli.dump.datewords import WEEKDAYS_BY_LANG
from newscli.dump.timestamps import MAX_TIMESTAMP_CHARS

SEPARATORS = (" - ", " – ", " — ", " | ")  # hyphen, en dash, em dash, bar between source and time
MAX_SOURCE = 80  # characters before a timestamp with no separator: longer is a sentence, not a source
MAX_SOURCE_WORDS = 5

# Every date shape below has a year of four digits or a numeric date: a line without either is
# no byline, found by one quick search before the slow shapes are tried.
_YEARISH = re.compile(r"\d{4}|\d[./-]\d{1,2}[./-]\d\d")
# Words sites put before a timestamp: a byline with them is refused with that reason, since
# 'updated' names another moment than the one published.
_STAMP_WORDS = frozenset(
    "published updated posted on at publié publiée mis à jour le veröffentlicht aktualisiert am stand "
    "publicado actualizado el pubblicato aggiornato il opublikowano zaktualizowano aktualizacja "
    "опубліковано оновлено опубликовано обновлено".split())
_SENTENCE_END = frozenset(".!?:;…\"»”'")
_STAMP_ENDS_WITH_PERIOD = ("m.", "M.", "г.", "р.")  # '12:05 a.m.', '2 января 2024 г.'



def _stamp_patterns() -> tuple[str, str]:
    """(any stamp, a stamp with a time) as regex text: shapes, so any word may be the month."""
    weekdays = sorted({form for days in WEEKDAYS_BY_LANG.values() for forms in days for form in forms},
                      key=len, reverse=True)
    apostrophes = "['’ʼ]"
    weekday = "(?i:" + "|".join(re.escape(w).replace("'", apostrophes) for w in weekdays) + r")\.?,?\s+"
    word = r"[^\W\d_](?:[^\W\d_]|['’ʼ])*\.?"
    day = r"\d{1,2}(?:st|nd|rd|th|er|º|°|\.)?"
    year = r"\d{4}(?:\s+(?:г|р|року|года|roku)\.?)?"
    date = (rf"(?:{day}\s+(?:de\s+)?{word}\s+(?:de\s+)?{year}|{word}\s+{day},?\s+{year}"
            r"|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}[./-]\d{1,2}[./-]\d{1,2}(?:T[\d:.]+)?)")
    joint = r"(?:,?\s+(?:(?:um|at|à|a|las|alle|ore|o|godz\.?|о|в|об)\s+)*)"
    clock = r"\d{1,2}[:h.]\d{2}(?::\d{2})?(?:\s*(?:Uhr|h|[AaPp]\.?[Mm]\.?))?"
    offset = r"(?:UTC|GMT)?\s?[+-]\d{1,2}(?::?\d{2})?"
    zone = rf"(?:\s*\(?(?:[^\W\d_]{{1,5}}|{offset})\)?|Z)?"  # after a time: CET, msk, +0300
    date_zone = rf"(?:\s*\(?(?:[A-ZА-ЯЁІЇЄҐ]{{2,5}}|{offset})\)?)?"  # after a date: CET, not a word
    timed = rf"(?:(?:{weekday})?{date}{joint}{clock}{zone}|{clock}{zone},?\s+(?:{weekday})?{date})"
    any_stamp = rf"(?:{timed}|(?:{weekday})?{date}{date_zone})"  # a zone with no time is refused, but is a stamp
    return any_stamp, timed


_ANY, _TIMED = _stamp_patterns()
_STARTS_WITH_STAMP = re.compile(_ANY)
_ENDS_IN_TIMED_STAMP = re.compile(rf"(?:^|\s)({_TIMED})\.?$")
_ENDS_IN_STAMP = re.compile(rf"\s({_ANY})\.?$")


def split_byline(line: str) -> tuple[str, str] | None:
    """(source, timestamp) split at the LAST separator; without one, before the complete
    timestamp (a date and a time) the line ends in; None when neither."""
    line = line.replace("\xa0", " ")
    best, width = -1, 0
    for sep in SEPARATORS:
        pos = line.rfind(sep)
        if pos > best:
            best, width = pos, len(sep)
    if best < 0:
        return _split_without_separator(line)
    source, stamp = line[:best].strip(), line[best + width :].strip()
    return (source, stamp) if source and stamp else None


def _split_without_separator(line: str) -> tuple[str, str] | None:
    """'UP 5 December 2026 12:00' as ('UP', '5 December 2026 12:00'); a date alone is not
    enough to tell a source from a sentence that ends in a date."""
    if len(line) > MAX_SOURCE + MAX_TIMESTAMP_CHARS:
        return None
    found = _ENDS_IN_TIMED_STAMP.search(line)
    if not found:
        return None
    source, stamp = line[: found.start(1)].strip(), found.group(1)
    return (source, stamp) if _source_like(source) else None


def _source_like(text: str) -> bool:
    """A name, not the start of a sentence that ends in a date ('It opens on 5 May 2026 at
    10:00'), nor a label ('Published: 5 December 2026 12:00')."""
    words = text.split()
    if not words or len(words) > MAX_SOURCE_WORDS or len(text) > MAX_SOURCE or text.endswith(":"):
        return False
    last = words[-1]
    return len(words) == 1 or not (last.islower() and len(last) <= 3)


def looks_like_byline(line: str) -> bool:
    """A line shaped like a byline, readable or not: a source, a separator and a timestamp
    ('UP - Friday, 5 Decmber 2026'), a source and a timestamp with a time, or a timestamp
    alone ('5 December 2026 12:00', which lacks its source)."""
    # Every paragraph's first line is asked; prose without a separator is ruled out by its
    # length or its sentence end, or by having no digit at all, before anything is copied.
    separated = " - " in line or " – " in line or " — " in line or " | " in line or "\xa0" in line
    if not separated and (len(line) > MAX_SOURCE + MAX_TIMESTAMP_CHARS + 3 or line[-1] in _SENTENCE_END
                          and not line.endswith(_STAMP_ENDS_WITH_PERIOD)):
        return False
    return bool(_YEARISH.search(line)) and _byline_shaped(line)


@lru_cache(maxsize=256)  # each byline is asked about twice: grouping, then building
def _byline_shaped(line: str) -> bool:
    line = line.replace("\xa0", " ").strip()
    parts = split_byline(line)
    if parts is not None and len(parts[1]) > MAX_TIMESTAMP_CHARS:
        return False  # prose after a dash: no timestamp is this long
    if parts is not None and _STARTS_WITH_STAMP.match(parts[1]):
        return True
    return _unsplit_reason(line) is not None


def stamp_shaped(text: str) -> bool:
    """Text that starts like a timestamp, readable or not."""
    return bool(_STARTS_WITH_STAMP.match(text))


def unsplit_reason(line: str) -> str | None:
    """Why a byline-shaped line has no source and timestamp to read, or None when it has."""
    return _unsplit_reason(line.replace("\xa0", " ").strip())


def _unsplit_reason(line: str) -> str | None:
    if len(line) > MAX_SOURCE + MAX_TIMESTAMP_CHARS + 3:
        return None  # no timestamp-only or timestamp-first line is this long
    parts = split_byline(line)
    ending = _ENDS_IN_STAMP.search(" " + parts[1]) if parts else None
    if ending and not _STARTS_WITH_STAMP.match(parts[1]):
        words = parts[1][: ending.start(1) - 1].strip()
        if words and all(word in _STAMP_WORDS for word in words.lower().split()):
            return f"{words!r} before the timestamp is not part of one"  # 'Le Monde - Publié le 5 …'
    stamp = _STARTS_WITH_STAMP.match(line)
    if stamp and stamp.end() == len(line):
        return "no source before the timestamp"  # '5 December 2026 12:00'
    if stamp and line[stamp.end():].lstrip(" ,.")[:1] in ("-", "–", "—", "|") and _source_like(
            line[stamp.end():].lstrip(" ,.-–—|")):
        return "the timestamp comes before the source"  # '5 December 2026 - UP'

    ending = _ENDS_IN_STAMP.search(line)
    before = line[: ending.start(1)].strip() if ending else ""
    if ending and _source_like(before):
        return "no ' - ' between the source and a timestamp with no time, so the two cannot be told apart"
    if ending and before.endswith(":") and _source_like(before[:-1]):
        return f"{before!r} is a label, not a source"  # 'Published: 5 December 2026 12:00'
    return None
