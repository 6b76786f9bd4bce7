"""`words`' answers pinned on a fixed archive: terms, counts, shares, z-scores, the sample drawn
and the caption, in each of the eight languages, so that a change for speed cannot change them.

Regenerate with NEWSCLI_UPDATE_GOLDEN=1 after a deliberate change, then review the diff.
"""

from __future__ import annotations

import os
import random

import pytest

from newscli.analysis import cores as analysis_cores
from newscli.analysis import words
from newscli.archive.store import Store
from tests.conftest import TESTS
from tests.factories import make_article

GOLDEN = TESTS / "golden" / "words"
UPDATE = os.environ.get("NEWSCLI_UPDATE_GOLDEN") == "1"

# Written for this test: everyday words, a few stop words, numbers, codes, elisions,
# capitals and accents, so that every rule of analysis/terms.py is met.
TEXT = {
    "de": "Die Regierung der Stadt plant für 2025 einen neuen Haushalt, sagt Bürgermeisterin Müller. "
          "Das Gericht prüft den Streit um Straßenbahn und Wohnungen im Süden; A9 bleibt gesperrt. "
          "Über die Preise für Gas und Strom wird im Landtag gestritten.",
    "en": "The minister's report on energy prices was published on Monday, and Putin's envoy said "
          "the talks in Geneva would continue. Police closed the M25 after a crash; 3 people were hurt. "
          "Markets rose as the central bank held rates.",
    "uk": "Уряд ухвалив бюджет на 2026 рік, м'ясо й зерно дорожчають, а зв'язок у селах ще слабкий. "
          "Міністр заявив, що ціни на газ не зростуть. Суд розглядає справу про об'єднання громад.",
    "ru": "Правительство обсуждает цены на газ и электричество, а министр обещает новый бюджет. "
          "Суд в Минске рассмотрит дело о выборах 2020 года. Погода в Москве: снег и ветер.",
    "fr": "Le gouvernement présente l'avant-projet de budget, et l'Europe s'inquiète des prix de "
          "l'énergie. À Paris, la grève des trains continue ; 12 lignes sont fermées. Élections en vue.",
    "es": "El gobierno aprobó el presupuesto y la oposición critica los precios de la energía. "
          "En Madrid, la huelga de trenes sigue; 40 líneas están cerradas. Sequía en el sur del país.",
    "it": "Il governo presenta la legge di bilancio e dell'Unione si discute a Bruxelles. "
          "A Roma lo sciopero dei treni continua; 7 linee sono chiuse. L'alluvione colpisce il nord.",
    "pl": "Rząd przyjął budżet na 2026 rok, a opozycja krytykuje ceny energii. W Warszawie strajk "
          "kolejarzy trwa; 5 linii jest zamkniętych. Powódź zagraża południu kraju, mówi minister.",
}
TOPIC = {"de": "Gaspreisbremse", "en": "floodgate", "uk": "зерновоз", "ru": "ледокол", "fr": "canicule",
         "es": "sequía", "it": "alluvione", "pl": "powódź"}


@pytest.fixture
def archive(store_path):
    rng = random.Random(22)
    articles = []
    for n in range(480):
        lang = list(TEXT)[n % 8]
        words = TEXT[lang].split()
        body = [rng.choice(words) for _ in range(rng.randrange(20, 60))]
        if rng.random() < 0.15:
            body.insert(rng.randrange(len(body)), TOPIC[lang])
        title = " ".join(rng.sample(words, 6))
        articles.append(make_article(n, title=title, body=" ".join(body), lang=None if n % 41 == 0 else lang,
                                     published=f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}T08:00:00",
                                     source=f"Outlet {n % 5}"))
    Store(store_path).append(articles)


CASES = {
    "all": ["words", "-n", "0"],
    "sample": ["words", "--sample", "150", "-n", "60"],
    "sample_seed": ["words", "--sample", "150", "--seed", "7", "-n", "30"],
    "bigrams": ["words", "--ngrams", "2", "--sample", "200", "-n", "50"],
    "trigrams_uk": ["words", "--lang", "uk", "--ngrams", "3", "-n", "30"],
    "vs_all": ["words", "-q", "floodgate OR зерновоз OR canicule", "--vs", "all", "--sample", "200",
               "--fields", "term,count,share,z,vs_count,vs_share", "-n", "40"],
    "vs_period": ["words", "--since", "2025-07-01", "--vs", "2025-01-01..2025-06-30", "--sample", "100",
                  "-f", "jsonl", "--fields", "term,count,share,z,vs_count,vs_share", "-n", "40"],
    "vs_query_de": ["words", "--lang", "de", "-q", "Gaspreisbremse", "--vs", "Regierung", "-f", "csv",
                    "--fields", "term,count,share,z,vs_count,vs_share", "-n", "0"],
}


@pytest.mark.parametrize("cores", [1, 3])
@pytest.mark.parametrize("name", sorted(CASES))
def test_words_answers_match_golden(cli, archive, name, cores, monkeypatch):
    # on three cores (forked children read and count two parts of three): the same answers
    monkeypatch.setattr(words, "MIN_PART", 20)
    monkeypatch.setattr(analysis_cores, "cores", lambda: cores)
    result = cli(*CASES[name])
    assert result.exit_code == 0, result.stderr
    seen = f"$ newscli {' '.join(CASES[name])}\n{result.stderr}{result.stdout}"
    golden = GOLDEN / f"{name}.txt"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(seen, encoding="utf-8")
    assert golden.exists(), f"no golden for {name}: run with NEWSCLI_UPDATE_GOLDEN=1 and review it"
    assert seen == golden.read_text(encoding="utf-8")
