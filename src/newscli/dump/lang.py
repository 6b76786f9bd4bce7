"""Which of the eight languages an article is written in (ISO 639-1), or None.

Stop-word counting is enough to tell these eight apart on a paragraph of news;
Ukrainian and Russian share most short words, so their own letters (і ї є ґ
against ы э ъ ё) count as evidence too. When the evidence is thin or split, the
answer is None rather than a guess.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from itertools import filterfalse

LANGS = ("de", "en", "uk", "ru", "fr", "es", "it", "pl")

# Frequent function words that are rare in the other seven languages. Words shared
# by two languages (e.g. 'de' fr/es, 'in' de/en/it/pl, 'на' uk/ru) are left out.
_STOP_WORDS = {
    "de": "der die das und ist nicht mit den dem sich auch auf für eine einer einem einen "
          "wurde wurden werden hat sind nach bei zum zur vom über oder wie noch aus dass dieser "
          "zwischen sowie",
    "en": "the and of to is was that with for on are as by this have has from which were "
          "will been their its at be it or after also about would said",
    "fr": "les des et est une du dans pour qui sur au aux pas avec ce cette sont ont "
          "été son ses leur par plus mais selon",
    "es": "el los las y por para fue como más pero sus este esta según han sido sobre "
          "también",
    "it": "di e gli della delle dei degli che è per nel nella alla alle anche come più ma "
          "tra questo questa sono stato stata hanno",
    "pl": "i w z na się nie jest że od po przez jak oraz dla który która które został "
          "została także jego ich był była są będzie",
    "uk": "і та що це як від який яка які також його було була були буде після вже між "
          "щодо під або ще з у",
    "ru": "и что это как от который которая которые также его было была были будет "
          "после уже между под или еще ещё с",
}
_STOP = {lang: set(words.split()) for lang, words in _STOP_WORDS.items()}
# word -> the languages whose stop words include it, in LANGS order
_LANGS_OF: dict[str, tuple[str, ...]] = {}
for _lang, _words in _STOP.items():
    for _word in _words:
        _LANGS_OF[_word] = _LANGS_OF.get(_word, ()) + (_lang,)
_UK_LETTERS = set("іїєґ")
_RU_LETTERS = set("ыэъё")
_LETTERS = re.compile("[іїєґыэъё]")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_ASCII_LANGS_OF = {word.encode(): langs for word, langs in _LANGS_OF.items() if word.isascii()}
# Bytes to a space where a word cannot go on: ASCII other than letters and the apostrophe
# (which can join two words). UTF-8 bytes of other characters stay, for _WORD to judge.
_ASCII_CUTS = bytes(b if chr(b).isalpha() or b == ord("'") or b >= 0x80 else 0x20 for b in range(256))

# Title and first paragraphs: ~300 words, some 100 of them stop words, decide as surely as the
# whole article, and the work no longer grows with its length (it was a fifth of parsing).
SAMPLE_CHARS = 2000
# A first look at about a title and a paragraph settles ~all news: 12 stop words of one
# language and four times the runner-up's; anything less clear reads the whole sample.
FIRST_LOOK = 600
CLEAR_HITS = 12
CLEAR_MARGIN = 4
MIN_HITS = 3  # fewer stop words than this is too little to tell
MARGIN = 1.5  # the winner must beat the runner-up by this factor

# Source labels ("where the original linked its source") and the language each names.
# Short forms shared by several languages ('Source': en/fr) name none.
SOURCE_LABELS: dict[str, str | None] = {
    "informationsquelle": "de", "quelle": "de",
    "source of information": "en",
    "source d'information": "fr", "source de l'information": "fr",
    "source": None,
    "джерело інформації": "uk", "джерело": "uk",
    "источник информации": "ru", "источник": "ru",
    "fuente de información": "es", "fuente": "es",
    "fonte di informazione": "it", "fonte": "it",
    "źródło informacji": "pl", "źródło": "pl",
}


def _label_key(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("’", "'").casefold()
    return " ".join(text.split()).rstrip(":").rstrip()


# Every article's last paragraph is asked; one with more words than any label (plus a ':')
# is turned away before it is normalised.
_MAX_LABEL_WORDS = max(len(label.split()) for label in SOURCE_LABELS) + 1


def is_source_label(line: str) -> bool:
    return len(line.split(None, _MAX_LABEL_WORDS)) <= _MAX_LABEL_WORDS and _label_key(line) in SOURCE_LABELS


def label_lang(label: str | None) -> str | None:
    """The language a source label is written in, when the label alone tells it."""
    return SOURCE_LABELS.get(_label_key(label)) if label else None


def detect_lang(text: str) -> str | None:
    """ISO 639-1 code of `text` among the eight languages, or None when unsure."""
    hits = dict.fromkeys(LANGS, 0)
    # Cut at a space: a word cut in half could be a stop word. The first look ends early when
    # it is already clear (most news), the second reads on to SAMPLE_CHARS; the sums add up.
    end = _cut(text, SAMPLE_CHARS)
    first = _cut(text, FIRST_LOOK) if end > FIRST_LOOK else end
    _count_stop_words(text[:first].lower(), hits)
    if first < end and not _clear(hits):
        _count_stop_words(text[first:end].lower(), hits)
    ranked = sorted(hits.values(), reverse=True)
    if ranked[0] < MIN_HITS or ranked[0] < ranked[1] * MARGIN:
        return None
    return max(hits, key=hits.get)


def _cut(text: str, limit: int) -> int:
    """Where a sample of about `limit` characters ends: at a space, or at `limit` if none."""
    if len(text) <= limit:
        return len(text)
    cut = text.rfind(" ", limit // 2, limit)
    return cut if cut > 0 else limit


def _clear(hits: dict[str, int]) -> bool:
    top, second = sorted(hits.values(), reverse=True)[:2]
    return top >= CLEAR_HITS and top >= second * CLEAR_MARGIN


def _count_stop_words(text: str, hits: dict[str, int]) -> None:
    """Add the stop words (and for uk/ru, the words with their own letters) of a lowercase
    text to `hits`."""
    data = text.encode("utf-8", "surrogatepass")
    # Most texts have no uk/ru letter at all; in UTF-8 each starts with byte D1 or D2, which
    # a plain byte search rules out faster than the regex can look.
    letters = (b"\xd1" in data or b"\xd2" in data) and _LETTERS.search(text) is not None
    # Each distinct word is looked at once, weighted by how often it occurs: the same sums
    # as a word-by-word loop at a fraction of the cost (news text repeats its words).
    tokens = _tokens(data)
    for token in tokens.keys() & _ASCII_LANGS_OF.keys():
        for lang in _ASCII_LANGS_OF[token]:
            hits[lang] += tokens[token]
    for token in filterfalse(bytes.isalpha, tokens):  # not just ASCII letters: find its words
        n, chars = tokens[token], token.decode("utf-8", "surrogatepass")
        for word in (chars,) if chars.isalpha() else _WORD.findall(chars):  # letters: one word
            for lang in _LANGS_OF.get(word, ()):
                hits[lang] += n
            if letters and not word.isascii():
                if _UK_LETTERS.intersection(word):
                    hits["uk"] += n
                elif _RU_LETTERS.intersection(word):
                    hits["ru"] += n


def _tokens(data: bytes) -> Counter[bytes]:
    """UTF-8 text cut at every ASCII character that cannot be in a word, counted; in C, so
    ~3x faster than _WORD.findall over it all. No _WORD match can cross such a cut, so each
    token holds exactly the words _WORD finds in it: itself when it is plain ASCII letters."""
    return Counter(data.translate(_ASCII_CUTS).split())
