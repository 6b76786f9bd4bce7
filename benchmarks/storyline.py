"""A small archive with a story in it, for docs/analysis.md's worked example.

2,600 German articles over 2025 from eight invented outlets: everyday news all year, and
a gas price story that grows from August to November, told in two framings (the
shortage: supply, winter, heating bills; the transition: wind, solar, heat pumps). The
sentences are templates filled at random (seeded), written for this example.

    python benchmarks/storyline.py /tmp/story && newscli --store /tmp/story.jsonl ingest /tmp/story
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

SOURCES = ["Rheinblatt", "Nordkurier Online", "Tagesspiegel Ost", "Alpenpost", "Hafenzeitung",
           "Main-Echo Digital", "Elbe Rundschau", "Saarland Heute"]
EVERYDAY = {
    "Politik": ["Der Landtag debattiert über den Haushalt der Stadt.", "Die Opposition fordert eine Anhörung im Ausschuss.",
                "Der Bürgermeister stellt die Pläne für den neuen Bahnhof vor.", "Die Koalition streitet über die Schulreform."],
    "Sport": ["Der Verein gewinnt das Derby vor ausverkauftem Stadion.", "Die Trainerin lobt die Abwehr nach dem Spiel.",
              "Der Stürmer fällt mit einer Verletzung wochenlang aus.", "Das Pokalfinale findet im Mai statt."],
    "Kultur": ["Das Theater zeigt eine neue Inszenierung von Brecht.", "Die Ausstellung im Museum zieht viele Besucher an.",
               "Das Festival meldet einen Rekord bei den Karten.", "Die Bibliothek verlängert ihre Öffnungszeiten."],
}
GAS = ["Die Gaspreise steigen erneut deutlich.", "Der Gaspreis an der Börse erreicht ein neues Hoch.",
       "Versorger kündigen höhere Gaspreise für Haushalte an.", "Verbraucherschützer raten, die Gaspreise zu vergleichen."]
SHORTAGE = ["Die Versorgung im Winter gilt als unsicher.", "Viele Familien fürchten hohe Heizkosten.",
            "Die Regierung prüft eine Entlastung bei den Heizkosten.", "Experten warnen vor einer Knappheit in den Speichern.",
            "Die Stadtwerke sichern die Versorgung mit zusätzlichen Lieferungen."]
TRANSITION = ["Der Ausbau der Windkraft soll die Abhängigkeit senken.", "Immer mehr Hausbesitzer installieren Solaranlagen.",
              "Wärmepumpen gelten als Ausweg aus der Abhängigkeit vom Gas.", "Der Netzausbau kommt schneller voran als geplant.",
              "Die Förderung für Wärmepumpen wird aufgestockt."]


def attention(day: date) -> float:
    """The gas story's share of the day's articles: 4 % until July, rising to 40 % in November."""
    peak = date(2025, 11, 10)
    return 0.04 + 0.36 * max(0.0, 1 - abs((day - peak).days) / 100)


def article(rng: random.Random, day: date) -> str:
    source = rng.choice(SOURCES)
    when = f"{day.day} {['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'][day.month - 1]} {day.year} {rng.randrange(6, 22):02d}:{rng.randrange(60):02d}"
    if rng.random() < attention(day):
        framing = SHORTAGE if (day.month < 10 or rng.random() < 0.45) and rng.random() < 0.6 else TRANSITION
        sentences = rng.sample(GAS, 2) + rng.sample(framing, 3)
        title, tag = rng.choice(sentences[:1] + framing[:2]).rstrip("."), "Energie"
    else:
        tag = rng.choice(list(EVERYDAY))
        sentences = rng.sample(EVERYDAY[tag], 3)
        title = sentences[0].rstrip(".")
    paragraphs = [" ".join(sentences[i:i + 2]) for i in range(0, len(sentences), 2)]
    return "\n\n".join([title, f"{source} - {when}", *paragraphs, f"#{tag}"])


def main(out: str) -> int:
    rng = random.Random(2025)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    day = date(2025, 1, 1)
    while day.year == 2025:
        texts = [article(rng, day) for _ in range(rng.randint(4, 10))]
        (folder / f"{day}.txt").write_text("\n\n".join(texts) + "\n", encoding="utf-8")
        day += timedelta(days=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "storyline"))
