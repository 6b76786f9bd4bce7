"""Words of an article as `words` counts them: lowercase, no numbers, no one-letter tokens,
no stop words of the article's language (from the stop-words package, which covers all
eight: de en uk ru fr es it pl).

Apostrophes: Ukrainian writes them inside words (м'ясо, зв'язок), so there they join; in the
other languages they mark an elision or a possessive (l'Europe, dell'Unione, Putin's), so
there they split, and the one-letter piece goes.

Counting many articles (`Frequencies`) is where `words` spends its time, so single words
are counted in bulk, with the same result as `terms` on each article:
- each article's distinct raw tokens are counted per language, and the rules above are
  applied once per distinct token at the end, not once per article;
- an article whose text fits an 8-bit code page of its language (latin-1, else cp1252 for
  de en fr es it and the rest; cp1250 pl; cp1251 ru; none for uk, whose apostrophes join
  words) is split as bytes: one translate() maps each byte to its lowercase letter or to a
  space, exactly as lower() and `\\w` see that character, and split() cuts the tokens,
  decoded once per distinct token at the end. Any other text takes the regular expression.
1,000 articles of the benchmark's archive, in instructions (callgrind): 2.1 G with `terms`
on each, 0.9 G this way (tests/test_words_terms.py checks that the counts are the same).
"""

from __future__ import annotations

import functools
import re
from collections import Counter

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


def _tokens(text: str, lang: str) -> list[str]:
    """Every token of the text, lowercase, in order (stop words and numbers included)."""
    text = text.lower()
    if lang == "uk":
        return _TOKEN_UK.findall(_apostrophes(text))
    return _TOKEN.findall(text)


def _byte_table(codec: str) -> bytes:
    """For bytes of this code page: each byte of a character that `\\w` matches after lower()
    becomes that lowercase character's byte, any other a space. (Each of these code pages'
    letters lowercases to one letter of the same page: encode() would raise otherwise.)"""
    table = bytearray(b" " * 256)
    for byte in range(256):
        try:
            char = bytes([byte]).decode(codec)
        except UnicodeDecodeError:
            continue  # a byte no text encodes to
        if _TOKEN.fullmatch(char.lower()):
            (table[byte],) = char.lower().encode(codec)
    return bytes(table)


_WESTERN = ("latin-1", "cp1252")
_CODE_PAGES = {"pl": ("cp1250",), "ru": ("cp1251",), "uk": ()}  # other languages: _WESTERN
_TABLES = {codec: _byte_table(codec) for codec in ("latin-1", "cp1250", "cp1251", "cp1252")}


def kept(tokens, lang: str) -> set[str]:
    """Those of the distinct tokens that are terms: words of two letters or more, not stop words."""
    word = _is_word if lang == "uk" else str.isalpha
    return {w for w in set(tokens).difference(stop_words(lang)) if len(w) > 1 and word(w)}


def terms(text: str, lang: str, ngrams: int = 1) -> set[str]:
    """The distinct terms (words, or runs of `ngrams` adjacent words) of one article."""
    tokens = _tokens(text, lang)
    if ngrams == 1:
        return kept(tokens, lang)
    stop = stop_words(lang)
    words = [w if len(w) > 1 and w not in stop and _is_word(w) else None for w in tokens]
    return {" ".join(words[i:i + ngrams]) for i in range(len(words) - ngrams + 1)
            if None not in words[i:i + ngrams]}


class Frequencies:
    """Document frequencies of terms over many articles: how many use each term."""

    def __init__(self, ngrams: int = 1) -> None:
        self.ngrams = ngrams
        # single words: (language, code page or None) -> distinct raw token (bytes in that
        # code page, or text) -> how many articles have it
        self._raw: dict[tuple[str, str | None], Counter] = {}
        self._terms: Counter = Counter()  # n-grams: counted as they come

    def add(self, title: str, body: str, lang: str) -> None:
        text = f"{title}\n{body}"  # single words: title and body apart or together, the same
        if self.ngrams != 1:  # an n-gram never bridges the title and the body
            self._terms.update(terms(title, lang, self.ngrams) | terms(body, lang, self.ngrams))
            return
        for codec in _CODE_PAGES.get(lang, _WESTERN):  # latin-1 first: its encoder only copies
            try:
                tokens = set(text.encode(codec).translate(_TABLES[codec]).split())
                break
            except UnicodeEncodeError:  # a character beyond the code page: the next one
                continue
        else:  # the regular expression
            codec = None
            tokens = set(_tokens(text, lang))
        raw = self._raw.get((lang, codec))
        if raw is None:
            raw = self._raw[(lang, codec)] = Counter()
        raw.update(tokens)

    def counts(self) -> Counter:
        found = Counter(self._terms)
        by_lang: dict[str, Counter] = {}
        for (lang, codec), raw in self._raw.items():
            texts = by_lang.setdefault(lang, Counter())
            texts.update({token.decode(codec): n for token, n in raw.items()} if codec else raw)
        for lang, raw in by_lang.items():
            for word in kept(raw, lang):
                found[word] += raw[word]
        return found
