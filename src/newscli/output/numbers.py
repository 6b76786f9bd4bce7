"""Numbers, sizes and dates as a person reads them on a terminal; no rich, no parsing.

One spelling everywhere a terminal shows them: `7,204`, `4.2 GB`, `2025-08-15 18:52`.
Pipes and JSON never come here: they keep plain digits, bytes and ISO 8601.
"""

from __future__ import annotations

_UNITS = ("bytes", "kB", "MB", "GB", "TB", "PB")


def grouped(n: int) -> str:
    """7204 -> '7,204' (thousands separators, as `gh` and `du -h --si` users read them)."""
    return f"{n:,}"


def plural(n: int, word: str) -> str:
    """'1 article', '7,204 articles'."""
    return f"{grouped(n)} {word}{'' if n == 1 else 's'}"


def size(n: int) -> str:
    """Bytes in decimal units, one decimal from kB on: 912 bytes, 4.2 GB (as `ls -h --si`)."""
    if n < 1000:
        return plural(n, "byte")
    value, unit = float(n), 0
    while value >= 999.95 and unit < len(_UNITS) - 1:
        value /= 1000
        unit += 1
    return f"{value:.1f} {_UNITS[unit]}"


def short_time(iso: str, with_time: bool = True) -> str:
    """'2025-08-15T18:52:00+02:00' -> '2025-08-15 18:52' (the time as written; zone in `show`)."""
    if not iso:
        return ""
    if not with_time or len(iso) < 16:
        return iso[:10]
    return iso[:10] + " " + iso[11:16]


def display_time(iso: str) -> str:
    """'2025-08-15T18:52:00+02:00' -> '2025-08-15 18:52 +02:00' (our own ISO format, not parsing)."""
    if not iso or len(iso) < 16:
        return iso or ""
    return (short_time(iso) + (" " + iso[19:] if len(iso) > 19 else "")).rstrip()


def readable(key: str, value: object) -> str:
    """A fact (`info`) for a person: sizes in units, counts grouped, times to the minute."""
    if value is None:
        return "-"
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return str(value)
    if isinstance(value, int):
        return size(value) if key.endswith("_bytes") else grouped(value)
    if key.endswith(("_published", "_ingested")):
        return short_time(value)
    return value
