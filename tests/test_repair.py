"""Artifact repairs: what must be joined or separated, and the many things never touched."""

from __future__ import annotations

import pytest

from newscli.dump.repair import join_ordinal_splits, repair_paragraphs, separate_glued_sentences


@pytest.mark.parametrize(
    "before, after, lang",
    [
        (["führte der 45.", "Präsident der Vereinigten Staaten"], ["führte der 45. Präsident der Vereinigten Staaten"], "de"),
        (["hat Lukashenko am 12.", "Februar persönlich"], ["hat Lukashenko am 12. Februar persönlich"], "de"),
        (["Am 3.", "Oktober feiern"], ["Am 3. Oktober feiern"], "de"),
        (["zum 100.", "mal"], ["zum 100. mal"], "de"),
        (["uchwalona w dniu 12.", "lutego i jest"], ["uchwalona w dniu 12. lutego i jest"], "pl"),
        (["obchodzi 45.", "rocznicę"], ["obchodzi 45. rocznicę"], "pl"),
        (["Punkt 1.", "Zweitens 2.", "März x"], ["Punkt 1.", "Zweitens 2. März x"], "de"),
    ],
)
def test_ordinal_splits_are_joined_in_german_and_polish(before, after, lang):
    assert join_ordinal_splits(before, lang) == after


@pytest.mark.parametrize(
    "paragraphs, lang",
    [
        (["Die Zahl stieg im Januar auf 45.", "Die Opposition kritisierte das."], "de"),
        (["Die Zahl stieg im Januar auf 45.", "Danach fiel sie."], "de"),
        (["Er war der 3.", "Dabei blieb es."], "de"),  # determiner, but a sentence opener follows
        (["Das Treffen war am 12.", "Es folgte eine Pause."], "de"),
        (["Produkcja wzrosła do 45.", "Nowe przepisy wejdą w życie."], "pl"),
        (["Wynik wyniósł 12.", "Sie przyjechał."], "pl"),  # 'Sie' is an abbreviation, not a month
        (["führte der 45.", "Präsident"], "en"),  # English never writes ordinals with a period
        (["the 45.", "president"], "en"),
        (["führte der 45.", "Präsident"], None),  # unknown language: leave it
        (["Kapitel 12.", "Februar ist kalt."], "fr"),
        (["Der Absatz endet mit 45 Prozent.", "Februar brachte mehr."], "de"),
        (["Ende.", "Februar brachte mehr."], "de"),
    ],
)
def test_paragraphs_that_really_end_stay_apart(paragraphs, lang):
    assert join_ordinal_splits(paragraphs, lang) == paragraphs


@pytest.mark.parametrize(
    "text, fixed",
    [
        ("Bedeutung verleiht.Zuvor berichteten", "Bedeutung verleiht. Zuvor berichteten"),
        ("Vereinbarungen suchen.Bemerkenswert ist", "Vereinbarungen suchen. Bemerkenswert ist"),
        ("Zusammenarbeit eröffnet.Zudem hat", "Zusammenarbeit eröffnet. Zudem hat"),
        ("Прем'єр-міністр заявив.Раніше уряд", "Прем'єр-міністр заявив. Раніше уряд"),
        ("он заявил.Ранее правительство", "он заявил. Ранее правительство"),
        ("Is it true?Nobody knows!Really", "Is it true? Nobody knows! Really"),
        ("il a dit.Ensuite il est parti", "il a dit. Ensuite il est parti"),
        ("dijo.Además el", "dijo. Además el"),
        ("a.Bc dd.Ee", "a.Bc dd. Ee"),
    ],
)
def test_glued_sentences_are_separated(text, fixed):
    assert separate_glued_sentences(text) == fixed


@pytest.mark.parametrize(
    "text",
    [
        "z.B. bei Familien",
        "z.B.Das ist",
        "die U.S. Army und U.S.Army",
        "eine Inflation von 3.5 Prozent und 3.Platz",
        "auf bank.gov.ua nachlesen",
        "siehe https://example.com/News.Html und www.Spiegel.De",
        "Mail an max.Mustermann@web.de schreiben",
        "Die Seite News.Example.Com ist neu",
        "Ende...Aber nicht",
        "iPhone 16.Pro",
        "Ph.D. Dr.Med. St.Petersburg",
        "Это т.Е. ничего",
        "Αθήνα.Σήμερα",  # Greek: not a script we dare to touch
        "abc.DEF",
        "Eine Zeile ohne Punkt",
        "x" * 500 + ".Abc",
    ],
)
def test_things_that_look_glued_but_are_not_are_never_split(text):
    assert separate_glued_sentences(text) == text


def test_repair_paragraphs_does_both_and_only_for_ordinal_languages():
    paras = ["führte der 45.", "Präsident.Er kam"]
    assert repair_paragraphs(paras, "de") == ["führte der 45. Präsident. Er kam"]
    assert repair_paragraphs(paras, "en") == ["führte der 45.", "Präsident. Er kam"]


def test_repairs_are_idempotent():
    paras = ["führte der 45.", "Präsident der USA.Dann", "stieg auf 45.", "Die Zahl", "am 12.", "Februar"]
    once = repair_paragraphs(paras, "de")
    assert repair_paragraphs(once, "de") == once


def test_hostile_paragraphs_are_repaired_or_left_alone():
    # How long these take is measured by benchmarks/hostile.py, not asserted here.
    assert separate_glued_sentences("ab.Cd" * 200_000) == "ab.Cd" * 200_000  # one dotted "name"
    assert separate_glued_sentences("ab.Cd " * 150_000) == "ab. Cd " * 150_000
    assert join_ordinal_splits(["der 4."] * 50_000, "de") == [" ".join(["der 4."] * 50_000)]
