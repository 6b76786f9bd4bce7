"""Words of an article as `words` counts them: lowercase, no numbers, no one-letter tokens,
no stop words of the article's language (from the stop-words package, which covers all
eight: de en uk ru fr es it pl).

Apostrophes: Ukrainian writes them inside words (м'ясо, зв'язок), so there they join; in the
other languages they mark an elision or a possessive (l'Europe, dell'Unione, Putin's), so
there they split, and the one-letter piece goes.
"""

from __future__ import annotations

import functools
import re

LANGUAGES = ("de", "en", "uk", "ru", "fr", "es", "it", "pl")
_TOKEN = re.compile(r"\w+")
_TOKEN_UK = re.compile(r"\w+(?:'\w+)*")


@functools.lru_cache(maxsize=None)
def stop_words(lang: str) -> frozenset[str]:
    """The language's stop words; for an unknown language, those of all eight."""
    from stop_words import get_stop_words  # imported late: only `words` needs it

    if lang not in LANGUAGES:
        return frozenset().union(*(stop_words(code) for code in LANGUAGES))
    return frozenset(_apostrophes(w.lower()) for w in get_stop_words(lang))


def _apostrophes(text: str) -> str:
    return text.replace("’", "'").replace("ʼ", "'") if "’" in text or "ʼ" in text else text


def _is_word(token: str) -> bool:
    """Letters only: a token with a digit or '_' in it is a number or a code, and goes whole."""
    return token.isalpha() or ("'" in token and token.replace("'", "").isalpha())


def terms(text: str, lang: str, ngrams: int = 1) -> set[str]:
    """The distinct terms (words, or runs of `ngrams` adjacent words) of one article."""
    text = text.lower()
    if lang == "uk":
        text = _apostrophes(text)
    stop = stop_words(lang)
    tokens = (_TOKEN_UK if lang == "uk" else _TOKEN).findall(text)
    if ngrams == 1:  # the common case: each distinct token is looked at once
        if lang == "uk":
            return {w for w in set(tokens).difference(stop) if len(w) > 1 and _is_word(w)}
        return {w for w in set(tokens).difference(stop) if len(w) > 1 and w.isalpha()}  # (no call: 1M tokens)
    words = [w if len(w) > 1 and w not in stop and _is_word(w) else None for w in tokens]
    return {" ".join(words[i:i + ngrams]) for i in range(len(words) - ngrams + 1)
            if None not in words[i:i + ngrams]}
