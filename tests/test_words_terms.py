"""`words` counts terms in bulk (analysis/terms.Frequencies: raw tokens per language, 8-bit code
pages split as bytes); for any text, in any language, the counts must be those of the plain
rule applied to each article: lower(), `\\w+` tokens, letters only, two or more, no stop words."""

from __future__ import annotations

import re
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from newscli.analysis.terms import LANGUAGES, Frequencies, stop_words

# Characters where a shortcut could go wrong: case pairs inside and outside the code pages,
# letters that lowercase to two characters or by context (İ, Σ), numbers that are not digits
# (², ½, Ⅻ, ٣), apostrophes, a combining accent, invisible and unmapped bytes (\xad, \x81),
# and characters of no 8-bit page. Each text draws from one script's set or from all, so
# that every code page and the regular expression both get texts they take.
COMMON = "aZ_09 \n\t'’ʼ.-,"
SCRIPTS = ["ßẞµªº²½ÄäÉéÿ\xa0\xad", "ŸœŒŠš„“—€", "łŁżŻąĄ„", "ЯяЁёіІїЇґҐ«»", "İΣς\u0301漢😀٣Ⅻ\x81"]
WORDS = ["der", "Die", "UND", "the", "The", "and", "и", "И", "і", "та", "w", "ale", "le", "l'", "dell'",
         "м'ясо", "ЗВ'ЯЗОК", "Gaspreise", "MÜLLER", "straße", "Łódź", "ŻÓŁW", "Україна", "КИЇВ", "cœur", "Œuvre",
         "año", "città", "Putin's", "a9", "x_y", "2025"]


def _text(alphabet: str):
    return st.lists(st.one_of(st.sampled_from(WORDS), st.text(alphabet=COMMON + alphabet, max_size=6)),
                    max_size=30).map(" ".join)


TEXT = st.sampled_from(SCRIPTS + ["".join(SCRIPTS)]).flatmap(_text)
ARTICLE = st.tuples(TEXT, TEXT, st.sampled_from(LANGUAGES + ("", "nl")))


def plain_terms(text: str, lang: str) -> set[str]:
    """The rule as analysis/terms.py states it, written out here independently."""
    text = text.lower()
    if lang == "uk":
        text = text.replace("’", "'").replace("ʼ", "'")
        tokens = re.findall(r"\w+(?:'\w+)*", text)
        letters = lambda w: w.isalpha() or ("'" in w and w.replace("'", "").isalpha())  # noqa: E731
    else:
        tokens = re.findall(r"\w+", text)
        letters = str.isalpha
    return {w for w in tokens if len(w) > 1 and letters(w) and w not in stop_words(lang)}


@settings(max_examples=300, deadline=None)
@given(st.lists(ARTICLE, max_size=12))
def test_bulk_counts_are_the_plain_rules_counts(articles):
    found = Frequencies()
    expected: Counter = Counter()
    for title, body, lang in articles:
        found.add(title, body, lang)
        expected.update(plain_terms(title, lang) | plain_terms(body, lang))
    assert found.counts() == expected
