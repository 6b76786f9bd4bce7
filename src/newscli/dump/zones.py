"""Time zones of dump timestamps: --tz, zone words and offsets, clock changes.

A written offset or an unambiguous zone word ('CEST', 'MSK', '+0300') is kept as it is. A
naive time read with --tz gets that zone's offset, except a time the clocks skipped (refused)
or passed twice (the first is kept, with a note). An ambiguous word ('IST', 'CST') needs
--tz, which must call that moment by that word.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newscli.dump.datewords import AMBIGUOUS_ZONES, ZONE_OFFSETS, fold
from newscli.errors import UsageError

MAX_OFFSET = timedelta(hours=14)  # the widest offset in use (Kiribati, +14:00)
_OFFSET = re.compile(r"(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?(?::(\d{2}))?", re.IGNORECASE)


class TimestampError(ValueError):
    """A timestamp that cannot be read; str() is the one-line reason for the user."""


def zone(name: str) -> ZoneInfo:
    """The IANA zone called `name`; a bad name is the user's mistake, so UsageError."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UsageError(f"unknown time zone '{name}' (use an IANA name such as Europe/Kyiv)") from None


def zone_word(text: str) -> timezone | str:
    """The offset a zone word or offset after a time names; an ambiguous word comes back as
    itself, for `resolve` to settle with --tz."""
    key = fold(text.strip("()"))
    if key in ZONE_OFFSETS:
        return timezone(timedelta(minutes=ZONE_OFFSETS[key]))
    if key in AMBIGUOUS_ZONES:
        return text.strip("()")
    m = _OFFSET.fullmatch(text.strip("()"))
    if not m:
        raise TimestampError(f"unknown time zone '{text}' after the time (expected an offset such "
                             "as +03:00 or UTC+3, or a zone such as UTC, CET, EEST, MSK)")
    return offset(text, *m.groups())


def offset(text: str, sign: str, hh: str, mm: str | None, ss: str | None) -> timezone:
    delta = timedelta(hours=int(hh), minutes=int(mm or 0), seconds=int(ss or 0))
    if delta > MAX_OFFSET:
        raise TimestampError(f"offset '{text}' is beyond ±14:00, the widest in use")
    return timezone(-delta if sign == "-" else delta)


def localize(value: datetime, tz: str) -> tuple[datetime, str | None]:
    """A naive time read in the IANA zone `tz`, and a note when that time happened twice.

    A time the clocks skipped (spring forward) did not exist: TimestampError. A time they
    passed twice (autumn) is read as the first of the two, with a note saying so.
    """
    where = zone(tz)
    local = value.replace(tzinfo=where)
    when = f"{value:%H:%M} on {value.day} {value:%B} {value.year}"
    if local.astimezone(timezone.utc).astimezone(where).replace(tzinfo=None) != value:
        jump = local.replace(fold=1).utcoffset() - local.utcoffset()
        raise TimestampError(f"{when} did not exist in {tz}: the clocks went forward {_span(jump)} "
                             "there (a typo, or a time in another zone?)")
    later = local.replace(fold=1)
    if later.utcoffset() != local.utcoffset():
        return local, (f"{when} happened twice in {tz} (the clocks went back); "
                       f"the first, {local.isoformat()[19:]}, is kept")
    return local, None


def resolve(value: datetime, word: str, tz: str | None) -> tuple[datetime, str | None]:
    """A naive time followed by an ambiguous zone word, read with --tz when it agrees."""
    names, example = AMBIGUOUS_ZONES[fold(word)]
    if not tz:
        raise TimestampError(f"time zone '{word}' is ambiguous ({names}); name the zone with "
                             f"ingest --tz, e.g. --tz {example}")
    local, note = localize(value, tz)
    called = local.tzname() or ""
    if fold(called) != fold(word):
        raise TimestampError(f"time zone '{word}' is not what --tz {tz} calls "
                             f"{value:%H:%M} on {value.day} {value:%B} {value.year} ('{called}')")
    return local, note


def _span(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return "an hour" if minutes == 60 else f"{minutes // 60}:{minutes % 60:02d}"
