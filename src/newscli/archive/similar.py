"""Which names probably mean the same thing: case, accents, Latin or Cyrillic spelling, and the
same common news word in the eight languages. Only suggestions: `newscli tags --similar`
prints them and the user decides (`newscli alias tag ...`); nothing is merged on its own.
"""

from __future__ import annotations

import re

from newscli.archive.values import fold

# Ukrainian and Russian letters in a plain Latin spelling (close to the national standards,
# simplified so that the usual web spellings meet: 'Київ', 'Киев' -> 'kyiv', 'kiev').
_CYRILLIC = dict(zip(
    "абвгґдеєжзиіїйклмнопрстуфхцчшщъыьэюяё",
    ["a", "b", "v", "h", "g", "d", "e", "ie", "zh", "z", "y", "i", "i", "i", "k", "l", "m", "n", "o",
     "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "iu", "ia", "e"]))

# A small built-in list of common news tags, one concept a line, in de en uk ru fr es it pl.
_CONCEPTS = """
politics politik politika polityka politique politica політика политика
economy wirtschaft economie economia gospodarka ekonomika економіка экономика
war krieg guerre guerra wojna viina війна война
sport sports sport deporte deportes sport sport спорт
culture kultur culture cultura kultura культура
society gesellschaft societe sociedad societa spoleczenstwo suspilstvo суспільство общество
world welt monde mundo mondo swiat svit світ мир
science wissenschaft science ciencia scienza nauka наука
health gesundheit sante salud salute zdrowie zdorovia здоров'я здоровье
technology technologie technologia tecnologia tecnologia технології технологии tech
energy energie energia energetyka енергетика энергетика
ukraine ukraine ukraina ucrania ucraina ukraina україна украина
russia russland russie rusia russia rosja росія россия
usa usa etats-unis eeuu stati-uniti usa сша сша
europe europa europe europa europa europa європа европа
military militar militaire militar militare wojsko армія армия army
education bildung education educacion istruzione edukacja освіта образование
climate klima climat clima clima klimat клімат климат
""".strip().splitlines()


def _latin(text: str) -> str:
    return "".join(_CYRILLIC.get(ch, ch) for ch in text)


def similarity_key(name: str) -> str:
    """Names with the same key are suggested as one: folded, transliterated, then a concept."""
    plain = re.sub(r"[^0-9a-z]+", "", _latin(fold(name.strip().lstrip("#"))))
    return _CONCEPT_OF.get(plain, plain)


_CONCEPT_OF: dict[str, str] = {}
for _line in _CONCEPTS:
    _words = _line.split()
    for _word in _words:
        _CONCEPT_OF.setdefault(re.sub(r"[^0-9a-z]+", "", _latin(fold(_word))), "concept:" + _words[0])


def suggest(names: list[tuple[str, int]], already: set[str] = frozenset()) -> list[list[tuple[str, int]]]:
    """Groups of two or more names (with their counts) that probably mean one thing, largest
    first; names in `already` (folded: an alias holds them) are left out."""
    groups: dict[str, list[tuple[str, int]]] = {}
    for name, n in names:
        if fold(name) not in already and similarity_key(name):
            groups.setdefault(similarity_key(name), []).append((name, n))
    found = [sorted(g, key=lambda item: (-item[1], item[0])) for g in groups.values() if len(g) > 1]
    return sorted(found, key=lambda g: (-sum(n for _, n in g), g[0][0]))
