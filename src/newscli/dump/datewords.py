"""The words of dates in the eight languages: months, weekdays, zone abbreviations, and the
words between date parts.

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

# Weekday names, full and short, Monday first (date.weekday()'s numbers). Bylines write them
# before the date ('Friday, 5 December 2026', 'П'ятниця, 5 грудня 2026', 'Fri 5 Dec 2026').
WEEKDAYS_BY_LANG: dict[str, list[tuple[str, ...]]] = {
    "en": [("monday", "mon"), ("tuesday", "tue", "tues"), ("wednesday", "wed"),
           ("thursday", "thu", "thur", "thurs"), ("friday", "fri"), ("saturday", "sat"),
           ("sunday", "sun")],
    "de": [("montag", "mo"), ("dienstag", "di"), ("mittwoch", "mi"), ("donnerstag", "do"),
           ("freitag", "fr"), ("samstag", "sonnabend", "sa"), ("sonntag", "so")],
    "fr": [("lundi", "lun"), ("mardi", "mar"), ("mercredi", "mer"), ("jeudi", "jeu"),
           ("vendredi", "ven"), ("samedi", "sam"), ("dimanche", "dim")],
    "es": [("lunes", "lun"), ("martes", "mar"), ("miércoles", "mié"), ("jueves", "jue"),
           ("viernes", "vie"), ("sábado", "sáb"), ("domingo", "dom")],
    "it": [("lunedì", "lun"), ("martedì", "mar"), ("mercoledì", "mer"), ("giovedì", "gio"),
           ("venerdì", "ven"), ("sabato", "sab"), ("domenica", "dom")],
    "pl": [("poniedziałek", "pon", "pn"), ("wtorek", "wt"), ("środa", "śr"), ("czwartek", "czw"),
           ("piątek", "pt"), ("sobota", "sob"), ("niedziela", "niedz", "nd")],
    "uk": [("понеділок", "пн"), ("вівторок", "вт"), ("середа", "ср"), ("четвер", "чт"),
           ("п'ятниця", "пт"), ("субота", "сб"), ("неділя", "нд")],
    "ru": [("понедельник", "пн"), ("вторник", "вт"), ("среда", "ср"), ("четверг", "чт"),
           ("пятница", "пт"), ("суббота", "сб"), ("воскресенье", "вс")],
}

# Zone abbreviations that name one offset wherever news is written, in minutes east of UTC.
ZONE_OFFSETS: dict[str, int] = {
    "z": 0, "ut": 0, "utc": 0, "gmt": 0, "wet": 0, "west": 60, "cet": 60, "cest": 120,
    "met": 60, "mest": 120, "mez": 60, "mesz": 120, "eet": 120, "eest": 180, "msk": 180,
    "мск": 180, "est": -300, "edt": -240, "pst": -480, "pdt": -420, "mdt": -360,
    "jst": 540, "kst": 540, "hkt": 480, "aest": 600, "aedt": 660,
}

# Abbreviations that name several zones: which ones, and an IANA name for the message's --tz.
AMBIGUOUS_ZONES: dict[str, tuple[str, str]] = {
    "ist": ("India, Ireland or Israel", "Asia/Kolkata"),
    "cst": ("US Central, China or Cuba", "America/Chicago"),
    "cdt": ("US Central or Cuba", "America/Chicago"),
    "bst": ("British Summer Time or Bangladesh", "Europe/London"),
    "ast": ("Atlantic or Arabia", "America/Halifax"),
    "mst": ("US Mountain or Malaysia", "America/Denver"),
    "sst": ("Samoa or Singapore", "Asia/Singapore"),
    "gst": ("Gulf or South Georgia", "Asia/Dubai"),
}

# English full names: the one spelling format_timestamp writes.
CANONICAL_MONTHS = [forms[0].capitalize() for forms in MONTHS_BY_LANG["en"]]

# Words that sit between date parts and carry no value ('9 de diciembre de 2024',
# '15 août 2025 à 18h52', '2 января 2024 г.', '15 sierpnia 2025 o godz. 18:52').
CONNECTORS = {
    "de", "del", "a", "à", "las", "la", "um", "uhr", "at", "on", "alle", "ore", "o", "godz",
    "г", "года", "р", "року", "в", "о", "об",
}


_APOSTROPHES = str.maketrans("", "", "'’ʼ`")


@lru_cache(maxsize=4096)  # every byline's words go through here; news repeats them
def fold(word: str) -> str:
    """Lowercase, accent-free, without a trailing period or apostrophes: the key date words
    are stored under (so 'П’ятниця' and 'п'ятниця' are one word)."""
    word = unicodedata.normalize("NFKD", word.lower().rstrip(".").translate(_APOSTROPHES))
    # Cyrillic й/ї decompose too; folding table and input identically keeps them distinct enough.
    return "".join(ch for ch in word if not unicodedata.combining(ch))


def _build_table(by_lang: dict[str, list[tuple[str, ...]]], start: int) -> dict[str, int]:
    table: dict[str, int] = {}
    for names in by_lang.values():
        for number, forms in enumerate(names, start=start):
            for form in forms:
                key = fold(form)
                if table.setdefault(key, number) != number:  # a guard for future edits
                    raise AssertionError(f"date word {form!r} is ambiguous")
    return table


_MONTHS = _build_table(MONTHS_BY_LANG, 1)
_MONTH_SPELLING = {fold(form): form for names in MONTHS_BY_LANG.values() for forms in names for form in forms}
_WEEKDAYS = _build_table(WEEKDAYS_BY_LANG, 0)


def month_number(word: str) -> int | None:
    """The month a word names in any supported language (any case, accents optional)."""
    return _MONTHS.get(fold(word))


def weekday_number(word: str) -> int | None:
    """The weekday a word names in any supported language (0 is Monday), or None."""
    return _WEEKDAYS.get(fold(word.rstrip(",")))


def closest_month(word: str) -> str | None:
    """The month name a mistyped word is closest to ('Decmber': 'december'), if any is close."""
    import difflib  # imported late: only a byline that cannot be read asks

    found = difflib.get_close_matches(fold(word), [m for m in _MONTHS if len(m) > 3], n=1, cutoff=0.75)
    return _MONTH_SPELLING[found[0]] if found else None
