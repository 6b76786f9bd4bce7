"""A generated archive with a known truth about copies: originals, planted copies, look-alikes.

    python benchmarks/copies_quality.py            (uses this module)

Originals come in topic families: stories that share their names (people, a place) and a
background sentence but tell different events, as a week of coverage of one summit does.
Copies of an original are made the ways syndication makes them: another source, published
hours or days later, and any of: a prefix or suffix on the title (`dpa: `, ` | Outlet`,
`UPDATE: `), a dateline added or changed, the outlet's boilerplate paragraph added or the
original's removed, up to 10% of the words edited, paragraphs reordered. Some copies are
exact (only the source and the time differ). Standard library only, deterministic by seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

import textgen

FIRST = "Olena Marek Jonas Irina Taras Greta Pavlo Lukas Sofia Dmytro Hanna Viktor Anja Bohdan".split()
LAST = ("Kowalenko Brandt Schewtschuk Lindqvist Horbatsch Meier Tkatschenko Novak Petrenko "
        "Wagner Bondarenko Kravets Schulte Marchenko Savchenko Hoffmann").split()
PLACES = "Kiew Lwiw Charkiw Odesa Berlin Warschau Brüssel Wien Genf Minsk Riga Prag".split()
CITIES_DATELINE = ("BERLIN", "KIEW", "BRÜSSEL", "WARSCHAU", "WIEN", "GENF")
AGENCIES = ("dpa", "AFP", "Reuters", "AP", "Ukrinform")
PREFIXES = ("dpa: ", "UPDATE: ", "EILMELDUNG: ", "AFP: ", "Exklusiv: ")
SUFFIXES = (" | {source}", " - {source}", " (aktualisiert)", " | Nachrichten")


@dataclass(frozen=True)
class Story:
    key: int  # the truth: copies share their original's key
    title: str
    source: str
    published: str  # ISO, naive
    paragraphs: tuple[str, ...]
    tags: tuple[str, ...]
    kind: str  # "original", "exact" or "edited"

    def dump(self) -> str:
        day, clock = self.published.split("T")
        y, m, d = day.split("-")
        byline = f"{self.source} - {int(d)} {textgen.MONTHS[int(m) - 1]} {y} {clock[:5]}"
        return "\n\n".join([self.title, byline, *self.paragraphs, " ".join("#" + t for t in self.tags)])


def boilerplate(source: str) -> str:
    rng = random.Random(f"boilerplate:{source}")
    return (f"Folgen Sie {source} auf Telegram und Facebook. "
            + textgen._sentence(rng, 120) + " Alle Rechte vorbehalten.")


def _names(rng: random.Random) -> list[str]:
    return [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(2, 3))] + [rng.choice(PLACES)]


def _with_names(rng: random.Random, paragraph: str, names: list[str]) -> str:
    words = paragraph.split(" ")
    for _ in range(max(1, len(words) // 25)):
        at = rng.randrange(1, len(words))
        words.insert(at, rng.choice(names))
    return " ".join(words)


def _time(rng: random.Random) -> str:
    day = rng.randrange(3 * 365)
    y, rest = 2022 + day // 365, day % 365
    month, dom = min(12, rest // 31 + 1), min(28, rest % 31 + 1)
    return f"{y:04d}-{month:02d}-{dom:02d}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00"


def _later(rng: random.Random, published: str) -> str:
    from datetime import datetime, timedelta
    when = datetime.fromisoformat(published) + timedelta(minutes=rng.randint(30, 5 * 24 * 60))
    return when.strftime("%Y-%m-%dT%H:%M:00")


def originals(seed: int, count: int) -> list[Story]:
    """`count` originals in topic families of 1-6 stories that share names and a sentence."""
    rng = random.Random(f"{seed}:originals")
    stories: list[Story] = []
    while len(stories) < count:
        names = _names(rng)
        background = (f"{names[0]} hatte sich bereits im Frühjahr in {names[-1]} mit "
                      f"{names[1]} getroffen. " + textgen._sentence(rng, 160))
        topic_tag = rng.choice(textgen.TAGS_HEAD)
        for _ in range(min(rng.randint(1, 6), count - len(stories))):
            title = (f"{names[0]} und {names[1]} in {names[-1]}: "
                     + textgen._sentence(rng, 80).rstrip("."))
            paragraphs = [_with_names(rng, textgen._paragraph(rng), names)
                          for _ in range(rng.randint(2, 9))]
            if rng.random() < 0.6:
                paragraphs.insert(rng.randrange(1, len(paragraphs) + 1), background)
            source = rng.choice(textgen.SOURCES)
            if rng.random() < 0.5:
                paragraphs.append(boilerplate(source))
            tags = tuple(dict.fromkeys([topic_tag, rng.choice(textgen.TAGS_HEAD)]))
            stories.append(Story(len(stories), title, source, _time(rng), tuple(paragraphs),
                                 tags, "original"))
    return stories


def _edit_words(rng: random.Random, paragraphs: list[str], share: float) -> list[str]:
    words = [p.split(" ") for p in paragraphs]
    total = sum(map(len, words))
    for _ in range(int(total * share)):
        p = rng.randrange(len(words))
        if len(words[p]) < 3:
            continue
        at = rng.randrange(len(words[p]))
        what = rng.random()
        if what < 0.5:
            words[p][at] = textgen._words(rng, 1)[0]  # replaced
        elif what < 0.75:
            del words[p][at]  # dropped
        else:
            words[p].insert(at, textgen._words(rng, 1)[0])  # added
    return [" ".join(w) for w in words]


def copy_of(rng: random.Random, original: Story, exact: bool, taken: set[str] = frozenset()) -> Story:
    """A copy under a source that has not published this story yet (a source publishing the
    same text twice, at two times, is one article to newscli: a reported duplicate)."""
    source = rng.choice([s for s in textgen.SOURCES if s != original.source and s not in taken])
    published = _later(rng, original.published)
    if exact:
        return replace(original, source=source, published=published, kind="exact")
    title, paragraphs = original.title, list(original.paragraphs)
    if rng.random() < 0.6:
        title = (rng.choice(PREFIXES) + title if rng.random() < 0.5
                 else title + rng.choice(SUFFIXES).format(source=source))
    if rng.random() < 0.5:
        dateline = f"{rng.choice(CITIES_DATELINE)} ({rng.choice(AGENCIES)}) - "
        first = paragraphs[0]
        if " - " in first[:40]:
            first = first.split(" - ", 1)[1]
        paragraphs[0] = dateline + first
    if rng.random() < 0.5:
        own = boilerplate(original.source)
        if own in paragraphs:
            paragraphs.remove(own)
        else:
            paragraphs.append(boilerplate(source))
    if rng.random() < 0.8:
        paragraphs = _edit_words(rng, paragraphs, rng.uniform(0, 0.10))
    if rng.random() < 0.3 and len(paragraphs) > 1:
        i, j = rng.sample(range(len(paragraphs)), 2)
        paragraphs[i], paragraphs[j] = paragraphs[j], paragraphs[i]
    return Story(original.key, title, source, published, tuple(paragraphs), original.tags, "edited")


def archive(seed: int = 1, articles: int = 10_000, copies: int = 1_000,
            exact_share: float = 0.2) -> list[Story]:
    """Originals and their planted copies, shuffled (copies are not next to their originals)."""
    stories = originals(seed, articles - copies)
    rng = random.Random(f"{seed}:copies")
    planted: list[Story] = []
    sources: dict[int, set[str]] = {}
    while len(planted) < copies:
        original = rng.choice(stories)
        taken = sources.setdefault(original.key, set())
        for _ in range(min(rng.choice((1, 1, 1, 2, 2, 3, 5)), copies - len(planted))):
            planted.append(copy_of(rng, original, exact=rng.random() < exact_share, taken=taken))
            taken.add(planted[-1].source)
    everything = stories + planted
    rng.shuffle(everything)
    return everything
