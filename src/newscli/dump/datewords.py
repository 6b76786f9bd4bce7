"""The words of dates in the eight languages: month names, and the words between date parts.

Data and the one fold that keys it; reading a timestamp is `timestamps.py`'s job.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Month names as written in dates, nominative and genitive, full and abbreviated.
# Stored accent-free and lowercase (see _fold), so 'fevrier' and 'février' both match.
MONTHS_BY_LANG: dict[str, list[tuple[str, ...]]] = {
    "en": [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
           ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
           ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
           ("december", "dec")],
    "de": [("januar", "jänner", "jan"), ("februar", "feber", "feb"), ("märz", "maerz", "mär", "mrz"),
           ("april", "apr"), ("mai",), ("juni", "jun"), ("juli", "jul"), ("august", "aug"),
           ("september", "sep", "sept"), ("oktober", "okt"), ("november", "nov"),
           ("dezember", "dez")],
    "fr": [("janvier", "janv"), ("février", "févr", "fév"), ("mars",), ("avril", "avr"), ("mai",),
           ("juin",), ("juillet", "juil"), ("août",), ("septembre", "sept"),
           ("octobre", "oct"), ("novembre", "nov"), ("décembre", "déc")],
    "es": [("enero", "ene"), ("febrero", "feb"), ("marzo", "mar"), ("abril", "abr"), ("mayo", "may"),
           ("junio", "jun"), ("julio", "jul"), ("agosto", "ago"), ("septiembre", "setiembre", "sep", "sept"),
           ("octubre", "oct"), ("noviembre", "nov"), ("diciembre", "dic")],
    "it": [("gennaio", "gen"), ("febbraio", "feb"), ("marzo", "mar"), ("aprile", "apr"),
           ("maggio", "mag"), ("giugno", "giu"), ("luglio", "lug"), ("agosto", "ago"),
           ("settembre", "set"), ("ottobre", "ott"), ("novembre", "nov"), ("dicembre", "dic")],
    "pl": [("styczeń", "stycznia", "sty"), ("luty", "lutego", "lut"), ("marzec", "marca", "mar"),
           ("kwiecień", "kwietnia", "kwi"), ("maj", "maja"), ("czerwiec", "czerwca", "cze"),
           ("lipiec", "lipca", "lip"), ("sierpień", "sierpnia", "sie"),
           ("wrzesień", "września", "wrz"), ("październik", "października", "paź"),
           ("listopad", "listopada", "lis"), ("grudzień", "grudnia", "gru")],
    "uk": [("січень", "січня", "січ"), ("лютий", "лютого", "лют"), ("березень", "березня", "бер"),
           ("квітень", "квітня", "квіт"), ("травень", "травня", "трав"),
           ("червень", "червня", "черв"), ("липень", "липня", "лип"),
           ("серпень", "серпня", "серп"), ("вересень", "вересня", "вер"),
           ("жовтень", "жовтня", "жовт"), ("листопад", "листопада", "лист"),
           ("грудень", "грудня", "груд")],
    "ru": [("январь", "января", "янв"), ("февраль", "февраля", "фев", "февр"),
           ("март", "марта", "мар"), ("апрель", "апреля", "апр"), ("май", "мая"),
           ("июнь", "июня", "июн"), ("июль", "июля", "июл"), ("август", "августа", "авг"),
           ("сентябрь", "сентября", "сен", "сент"), ("октябрь", "октября", "окт"),
           ("ноябрь", "ноября", "ноя", "нояб"), ("декабрь", "декабря", "дек")],
}

# English full names: the one spelling format_timestamp writes.
CANONICAL_MONTHS = [forms[0].capitalize() for forms in MONTHS_BY_LANG["en"]]

# Words that sit between date parts and carry no value ('9 de diciembre de 2024',
# '15 août 2025 à 18h52', '2 января 2024 г.', '15 sierpnia 2025 o godz. 18:52').
CONNECTORS = {
    "de", "del", "a", "à", "las", "la", "um", "uhr", "at", "on", "alle", "ore", "o", "godz",
    "г", "года", "р", "року", "в", "о", "об",
}


@lru_cache(maxsize=4096)  # every byline's words go through here; news repeats them
def fold(word: str) -> str:
    """Lowercase, accent-free, without a trailing period: the key months are stored under."""
    word = unicodedata.normalize("NFKD", word.lower().rstrip("."))
    # Cyrillic й/ї decompose too; folding table and input identically keeps them distinct enough.
    return "".join(ch for ch in word if not unicodedata.combining(ch))


def _build_month_table() -> dict[str, int]:
    table: dict[str, int] = {}
    for months in MONTHS_BY_LANG.values():
        for number, forms in enumerate(months, start=1):
            for form in forms:
                key = fold(form)
                if table.setdefault(key, number) != number:  # a guard for future edits
                    raise AssertionError(f"month form {form!r} is ambiguous")
    return table


_MONTHS = _build_month_table()


def month_number(word: str) -> int | None:
    """The month a word names in any supported language (any case, accents optional)."""
    return _MONTHS.get(fold(word))
