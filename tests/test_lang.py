"""Language detection: the eight languages, labels that name one, and honest None."""

from __future__ import annotations

import pytest

from newscli.dump.lang import detect_lang, is_source_label, label_lang

SAMPLES = {
    "de": "Der Bundestag hat am Freitag das Gesetz beschlossen, und die Opposition ist nicht zufrieden mit den Plänen.",
    "en": "The central bank said that it would keep the rate unchanged, and analysts have expected this decision.",
    "fr": "Le gouvernement a présenté un plan pour le logement et les associations sont déçues par ces mesures.",
    "es": "El Gobierno aprobó la ley, pero la oposición ha criticado la norma por los precios de los alquileres.",
    "it": "Il governo ha approvato la manovra che sarà presentata al Parlamento, e gli esperti sono d'accordo.",
    "pl": "Sejm przyjął ustawę, która przewiduje wsparcie dla rolników i jest to decyzja, że nie będzie zmian.",
    "uk": "Уряд ухвалив програму, яка передбачає кредити для підприємців, і це також було важливо для бізнесу.",
    "ru": "Правительство приняло программу, которая предусматривает кредиты, и это также было важно для бизнеса.",
}


@pytest.mark.parametrize("lang, text", SAMPLES.items())
def test_each_language_is_detected_from_one_sentence(lang, text):
    assert detect_lang(text) == lang


@pytest.mark.parametrize("text", ["", "Donald Trump Alexander Lukashenko", "12345 67 89", "OK", "Ελληνικά κείμενα εδώ και εκεί"])
def test_too_little_evidence_gives_none(text):
    assert detect_lang(text) is None


def test_mixed_text_without_a_clear_winner_gives_none():
    assert detect_lang(SAMPLES["de"] + " " + SAMPLES["en"]) is None


@pytest.mark.parametrize(
    "label, lang",
    [
        ("Informationsquelle", "de"), ("Quelle", "de"), ("Source of information", "en"),
        ("Source d'information", "fr"), ("Source d’information", "fr"), ("Source", None),
        ("Джерело інформації", "uk"), ("Джерело", "uk"), ("Источник информации", "ru"),
        ("Источник", "ru"), ("Fuente de información", "es"), ("Fonte di informazione", "it"),
        ("Źródło informacji", "pl"), ("  informationsquelle: ", "de"),
        ("Source  de\tl'information :", "fr"),
    ],
)
def test_source_labels_are_recognised_and_name_their_language(label, lang):
    assert is_source_label(label)
    assert label_lang(label) == lang


@pytest.mark.parametrize("line", ["Quellen", "Source: Reuters", "Informationsquelle Reuters", "", "#Politik"])
def test_other_lines_are_not_source_labels(line):
    assert not is_source_label(line)
    assert label_lang(line) is None


def test_a_long_article_is_judged_by_its_start():
    german = " ".join([SAMPLES["de"]] * 25)  # ~2,600 characters, past the sample detect_lang reads
    assert detect_lang(german + " " + " ".join([SAMPLES["en"]] * 100)) == "de"
    assert detect_lang(" ".join([SAMPLES["en"]] * 25) + " " + german) == "en"


def test_a_clear_opening_decides_and_an_unclear_one_reads_on():
    german, english = " ".join([SAMPLES["de"]] * 6), " ".join([SAMPLES["en"]] * 10)
    assert detect_lang(german + " " + english) == "de"  # the first ~600 characters are clearly German
    few = SAMPLES["de"][:60]  # two German stop words: not clear yet, so the English after it counts
    assert detect_lang(few + " " + english) == "en"
