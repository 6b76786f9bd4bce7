"""Synthetic German news articles in the sample dump's format, one pure function of (seed, index).

Every article is rebuilt from its global index alone, so worker processes need no shared
state, an exact duplicate can be produced anywhere by regenerating its original, and the
runner can re-create records (fallback store, catch-up appends) without reading the dumps.
Standard library only: the benchmark must run from a fresh checkout.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import random
from dataclasses import dataclass

# Head of the vocabulary: real words, so the text reads like the sample and the most
# frequent tokens (which dominate FTS posting lists) are the ones a real corpus has.
_HEAD = """
der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an
werden aus er hat dass sie nach wird bei einer um am sind noch wie einem über einen so zum
war haben nur oder aber vor zur bis mehr durch man sein wurde sei Prozent seit gegen vom
kann schon wenn habe seine Jahr ihre dann unter wir soll ich eines Jahren zwei diese dieser
wieder keine seiner worden will zwischen immer Millionen was sagte gibt alle diesem seinen
Regierung Präsident Minister Krieg Ukraine Russland Belarus Verhandlungen Sanktionen Kiew
Moskau Minsk Washington Berlin Brüssel Europa Sicherheit Beziehungen Gespräch Treffen
Angaben Fachleute Entscheidung Parlament Wahlen Opposition Gefangene Dialog Zusammenarbeit
Abkommen Vereinbarung Stabilität Region Grenze Armee Angriff Front Truppen Hilfe Waffen
Energie Gas Preise Wirtschaft Haushalt Steuern Bank Inflation Markt Unternehmen Ausfuhr
politischen diplomatischen wichtigen neuen möglichen europäischen russischen ukrainischen
belarussischen amerikanischen internationalen militärischen wirtschaftlichen aktuellen
erklärte betonte berichtete bestätigte teilte mit forderte kündigte an wies darauf hin
Kontakt Führer Kanal Medien Bürger Häftlinge Gefängnis Besuch Leiter Sekretär Kollegen
Interesse Signal Schritt Zukunft Rahmen Krise Chancen Themen Wege Abschluss Möglichkeit
""".split()

_ONSETS = "b br d dr f fl g gr h k kl kr l m n p pl pr r s sch sp st t tr v w z".split()
_NUCLEI = "a e i o u ä ö ü au ei ie eu".split()
_CODAS = ["", "", "", "n", "r", "l", "s", "t", "nd", "ng", "ch"]

# Planted words: they contain q, x or y, which neither the head nor the syllable generator
# ever produces, so a word-boundary search has exactly the answer the generator counts.
# (word, period): the word goes into every original article whose index % period == offset.
RARE_WORDS = (("Quaxelbrunn", 1_000), ("Yxmoorwald", 100), ("Xaverquell", 10_000))
QUERY_RARE_WORD = "Quaxelbrunn"  # ~0.1 % of articles: 10 at 10k, ~100 at 100k, ~1,000 at 1M

TAGS_HEAD = """Politik Ukraine Krieg Wirtschaft Russland Belarus Europa USA Gesellschaft Energie
Sicherheit Diplomatie Außenpolitik Sanktionen Wahlen Militär Finanzen Gesundheit Bildung
Kultur Sport Technologie Justiz Menschenrechte Umwelt Landwirtschaft Migration Medien Religion
Geschichte Wissenschaft Verkehr Tourismus Infrastruktur Korruption Opposition Parlament
Regierung Regionen Kiew Minsk Moskau Washington Brüssel Polen Deutschland Frankreich China
Türkei NATO EU UNO Waffen Gas Handel Export Inflation Banken Arbeit Renten""".split()
QUERY_TAG = "Politik"  # the most frequent tag: the largest answer, the hardest case for an index

SOURCES = """Chas Pravdy|Dzerkalo Tyzhnia|Ukrainska Pravda|Kyiv Independent|Hromadske|Suspilne
|Liga.net|NV|Ekonomichna Pravda|Ukrinform|RBC-Ukraine|UNIAN|Zaxid.net|Babel|The Village
|Novoe Vremya|Censor.net|Fakty|Glavcom|Radio Svoboda""".replace("\n", "").split("|")

MONTHS = ("January February March April May June July August September October November "
          "December").split()
_MONTHS_DE = ("Januar Februar März April Mai Juni Juli August September Oktober November "
              "Dezember").split()

EPOCH_DAYS = 7 * 365  # timestamps spread over 2019-01-01 .. end of 2025
DUPLICATE_RATE = 0.02
ARTIFACT_RATE = 0.04  # half ordinal splits, half glued sentences
LABEL_RATE = 0.7
STREAM_WORDS = 2_000_000


def _zipf_cum(n: int, s: float = 1.07) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank ** s) for rank in range(1, n + 1)))


def _build_vocabulary(size: int = 40_000) -> list[str]:
    """Head words first (most frequent), then pseudo-words from syllables (the Zipf tail)."""
    rng = random.Random(1234)  # fixed: the vocabulary is part of the benchmark's definition
    words, seen = list(dict.fromkeys(_HEAD)), set(_HEAD)
    while len(words) < size:
        word = "".join(rng.choice(_ONSETS) + rng.choice(_NUCLEI) + rng.choice(_CODAS)
                       for _ in range(rng.choice((1, 2, 2, 2, 3))))
        if rng.random() < 0.35:  # German capitalises nouns
            word = word.capitalize()
        if word not in seen:
            seen.add(word)
            words.append(word)
    assert not any(set(w.lower()) & set("qxy") for w in words), "planted words must stay unique"
    return words


VOCAB = _build_vocabulary()
_VOCAB_CUM = _zipf_cum(len(VOCAB))
_TAG_CUM = _zipf_cum(len(TAGS_HEAD), 1.0)
_SOURCE_CUM = _zipf_cum(len(SOURCES), 0.8)


@dataclass(frozen=True)
class Synth:
    """One article as the generator means it: the clean record fields plus its dump text."""

    index: int
    title: str
    source: str
    published: str  # ISO, naive: what newscli should store
    paragraphs: tuple[str, ...]  # clean (repaired) paragraphs
    tags: tuple[str, ...]
    label: str | None
    dump: str  # as written in the dump, artifacts included, no trailing newline
    artifact: str | None  # None, "ordinal" or "glued"

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


def _rng(seed: int, index: int, salt: str = "a") -> random.Random:
    return random.Random(f"{seed}:{salt}:{index}")


def is_duplicate(seed: int, index: int) -> bool:
    return index > 0 and _rng(seed, index, "d").random() < DUPLICATE_RATE


def original_of(seed: int, index: int) -> int:
    """The index whose article slot `index` repeats verbatim (itself if it is an original)."""
    while is_duplicate(seed, index):
        index = _rng(seed, index, "s").randrange(max(0, index - 5_000), index)
    return index


@functools.lru_cache(maxsize=8)
def rare_offsets(seed: int) -> dict[str, int]:
    return {word: _rng(seed, period, word).randrange(period) for word, period in RARE_WORDS}


@functools.lru_cache(maxsize=1)
def _stream() -> list[str]:
    """A long fixed Zipf draw; sentences are random slices of it.

    Drawing every word with random.choices costs ~0.4 µs a word, too slow for 600M words;
    a slice costs one random number. Word frequencies stay Zipf, which is what posting lists
    and index sizes depend on; that slices repeat across articles does not matter to them.
    """
    return random.Random(99).choices(VOCAB, cum_weights=_VOCAB_CUM, k=STREAM_WORDS)


def _words(rng: random.Random, k: int) -> list[str]:
    start = rng.randrange(STREAM_WORDS - k)
    return _stream()[start:start + k]


def _sentence(rng: random.Random, max_chars: int) -> str:
    words = _words(rng, rng.randint(6, 20))
    text = " ".join(words)
    if len(text) > max_chars:
        text = text[:max_chars].rsplit(" ", 1)[0] or words[0]
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random) -> str:
    target = rng.randint(150, 700)
    parts, length = [], 0
    while length < target - 20:
        parts.append(_sentence(rng, max(12, target - length - 1)))
        length += len(parts[-1]) + 1
    text = " ".join(parts)
    while len(text) < 150:  # never under the floor, whatever the draw
        text += " " + _sentence(rng, 80)
    return text


def _insert_word(rng: random.Random, paragraph: str, word: str) -> str:
    """Put `word` after a mid-sentence space, so it never touches a sentence boundary."""
    spaces = [i for i, ch in enumerate(paragraph) if ch == " " and paragraph[i - 1] != "."]
    at = rng.choice(spaces) if spaces else len(paragraph) - 1
    return paragraph[:at] + " " + word + paragraph[at:]


def _timestamp(rng: random.Random) -> tuple[str, str]:
    """(byline timestamp as the sample writes it, ISO form newscli should store)."""
    day = rng.randrange(EPOCH_DAYS)
    y, rest = 2019 + day // 365, day % 365
    month, dom = min(12, rest // 31 + 1), min(28, rest % 31 + 1)  # 28: always a real date
    hh, mm = rng.randrange(24), rng.randrange(60)
    return (f"{dom} {MONTHS[month - 1]} {y} {hh:02d}:{mm:02d}",
            f"{y:04d}-{month:02d}-{dom:02d}T{hh:02d}:{mm:02d}:00")


def synthesize(seed: int, index: int) -> Synth:
    """The original article for `index` (callers resolve duplicates with original_of first)."""
    rng = _rng(seed, index)
    title_words = _words(rng, rng.randint(6, 16))
    title = " ".join(w[0].upper() + w[1:] for w in title_words)
    source = rng.choices(SOURCES, cum_weights=_SOURCE_CUM)[0]
    byline_time, published = _timestamp(rng)
    paragraphs = [_paragraph(rng) for _ in range(rng.randint(3, 14))]
    for word, period in RARE_WORDS:
        if index % period == rare_offsets(seed)[word]:
            k = rng.randrange(len(paragraphs))
            paragraphs[k] = _insert_word(rng, paragraphs[k], word)
    tags = tuple(dict.fromkeys(rng.choices(TAGS_HEAD, cum_weights=_TAG_CUM, k=rng.randint(1, 3))))
    label = "Informationsquelle" if rng.random() < LABEL_RATE else None
    written = list(paragraphs)
    artifact = None
    if rng.random() < ARTIFACT_RATE:
        artifact = "ordinal" if rng.random() < 0.5 else "glued"
        k = rng.randrange(len(paragraphs))
        if artifact == "ordinal":
            # The sample's `der 45.` / `Präsident`: the clean text has the ordinal mid-sentence,
            # the dump breaks the paragraph right after its period.
            phrase = rng.choice((("der {n}.", "Präsident"), ("am {n}.", "{month}")))
            n = rng.randint(2, 28)
            head = phrase[0].format(n=n)
            tail = phrase[1].format(month=rng.choice(_MONTHS_DE))
            sentence_end = paragraphs[k].rfind(". ", 0, len(paragraphs[k]) // 2)
            first = paragraphs[k][: sentence_end + 1] if sentence_end > 0 else ""
            rest = paragraphs[k][sentence_end + 2:] if sentence_end > 0 else paragraphs[k]
            lead = (first + " " if first else "") + "Dabei sprach " + head
            paragraphs[k] = f"{lead} {tail} {rest[0].lower()}{rest[1:]}"
            written[k:k + 1] = [lead, f"{tail} {rest[0].lower()}{rest[1:]}"]
        else:
            # The sample's `verleiht.Zuvor`: two sentences glued without their space.
            at = paragraphs[k].find(". ")
            if at < 0:
                paragraphs[k] += " " + _sentence(rng, 80)
                at = paragraphs[k].find(". ")
            written[k] = paragraphs[k][: at + 1] + paragraphs[k][at + 2:]
    blocks = [title, f"{source} - {byline_time}", *written]
    if label:
        blocks.append(label)
    blocks.append(" ".join("#" + t for t in tags))
    return Synth(index, title, source, published, tuple(paragraphs), tags, label,
                 "\n\n".join(blocks), artifact)


def content_id(title: str, source: str, published: str, body: str) -> str:
    """Mirrors newscli.model.content_id; kept here so the benchmark never imports newscli."""
    digest = hashlib.sha256("\x1f".join((title, source, published, body)).encode("utf-8"))
    return digest.hexdigest()[:16]


def to_record(art: Synth, file: str, first_line: int, stamp: str) -> dict:
    """The record newscli is expected to store for `art` (keys in the store's order)."""
    body = art.body
    return {
        "id": content_id(art.title, art.source, art.published, body),
        "title": art.title, "source": art.source, "published": art.published, "lang": "de",
        "tags": list(art.tags), "body": body, "source_label": art.label,
        "raw": art.dump if art.artifact else None, "file": file,
        "first_line": first_line, "last_line": first_line + art.dump.count("\n"),
        "ingested_at": stamp,
    }


def lines_in(text: str) -> int:
    return text.count("\n") + 1


__all__ = ["Synth", "synthesize", "is_duplicate", "original_of", "rare_offsets", "to_record",
           "RARE_WORDS", "QUERY_RARE_WORD", "QUERY_TAG", "TAGS_HEAD", "SOURCES"]
