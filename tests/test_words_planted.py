"""A term planted in 2% of a subset ranks in the top 3 of `words --vs all`, in each of the
eight languages (issue 22's correctness bar for the log-odds ranking)."""

from __future__ import annotations

import json
import random

import pytest

from newscli.archive.store import Store
from tests.factories import make_article

# Everyday news words of each language (written for this test), and the planted term.
VOCABULARY = {
    "de": ("Regierung Minister Bericht Woche Stadt Land Polizei Gericht Wahl Partei Preis Markt Schule "
           "Kinder Menschen Arbeit Geld Bahn Straße Wetter Sommer Zeitung Streit Plan Zukunft", "Wasserstoffgipfel"),
    "en": ("government minister report week city country police court election party price market school "
           "children people work money train street weather summer newspaper dispute plan future", "floodgate"),
    "uk": ("уряд міністр звіт тиждень місто країна поліція суд вибори партія ціна ринок школа діти люди "
           "робота гроші поїзд вулиця погода літо газета суперечка план майбутнє", "зерновоз"),
    "ru": ("правительство министр доклад неделя город страна полиция суд выборы партия цена рынок школа "
           "дети люди работа деньги поезд улица погода лето газета спор план будущее", "ледокол"),
    "fr": ("gouvernement ministre rapport semaine ville pays police tribunal élection parti prix marché "
           "école enfants gens travail argent train rue météo été journal dispute projet avenir", "canicule"),
    "es": ("gobierno ministro informe semana ciudad país policía tribunal elecciones partido precio mercado "
           "escuela niños gente trabajo dinero tren calle tiempo verano periódico disputa plan futuro", "sequía"),
    "it": ("governo ministro rapporto settimana città paese polizia tribunale elezioni partito prezzo "
           "mercato scuola bambini persone lavoro soldi treno strada tempo estate giornale lite piano futuro",
           "alluvione"),
    "pl": ("rząd minister raport tydzień miasto kraj policja sąd wybory partia cena rynek szkoła dzieci "
           "ludzie praca pieniądze pociąg ulica pogoda lato gazeta spór plan przyszłość", "powódź"),
}
STOPS = {"de": "der die das und in zu mit auf für ist nicht", "en": "the and of to in is it for on with",
         "uk": "і в на з що не до це як та", "ru": "и в на с что не к это как по",
         "fr": "le la les et de un une est pour dans", "es": "el la los y de un una es para en",
         "it": "il la le e di un una è per in", "pl": "i w na z że nie do to jak się"}
SUBSET, REST = 500, 1000


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    rng = random.Random(2008)
    articles, n = [], 0
    for lang, (words, planted) in VOCABULARY.items():
        vocabulary = words.split()
        weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
        carriers = set(rng.sample(range(SUBSET), SUBSET * 2 // 100))
        for i in range(SUBSET + REST):
            body = rng.choices(vocabulary, weights, k=40) + rng.choices(STOPS[lang].split(), k=25)
            rng.shuffle(body)
            if i < SUBSET and i in carriers:
                body.insert(rng.randrange(len(body)), planted)
            source = f"Subset {lang}" if i < SUBSET else f"Rest {lang}"
            articles.append(make_article(n, title=" ".join(rng.sample(vocabulary, 4)), body=" ".join(body),
                                         lang=lang, source=source))
            n += 1
    path = tmp_path_factory.mktemp("planted") / "articles.jsonl"
    Store(path).append(articles)
    return path


@pytest.mark.parametrize("lang", sorted(VOCABULARY))
def test_a_term_in_2_percent_of_a_subset_ranks_in_the_top_3(cli, archive, lang):
    result = cli("words", "--lang", lang, "--source", f"Subset {lang}", "--vs", "all", "--json",
                 env={"NEWSCLI_STORE": str(archive)})
    assert result.exit_code == 0, result.stderr
    ranked = [row["term"] for row in json.loads(result.stdout)]
    planted = VOCABULARY[lang][1].lower()
    assert planted in ranked[:3], ranked[:5]
    assert result.stderr == (f"terms from all {SUBSET} articles, against all {SUBSET + REST:,} articles"
                             f" (the whole archive, {lang})\n")
