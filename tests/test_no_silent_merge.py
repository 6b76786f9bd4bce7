"""The invariant of issue 19, through the real ingest: articles in the file = stored +
duplicates + refused, with any subset of bylines damaged the ways users meet, in all eight
languages, and no stored body holding another article's title or byline.

Each example writes a dump of several articles (a title, a byline, body paragraphs with
in-body look-alikes, maybe a source label and hashtags) glued in the ways dumps are, damages
some bylines, ingests it with `newscli ingest` into a fresh store and reads the store back
with `newscli list --json`. What each damage should give is known in advance (read, or
refused), except a typo, which may happen to spell another month form: then only the
invariant is checked.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("NEWSCLI_MERGE_EXAMPLES", "60"))

# Per language: month names as dates write them, weekday names (full, short), a word joining
# date and time, sources, a source label, words for titles and bodies. Written for this test.
LANGS = {
    "en": dict(months="January February March April May June July August September October November December",
               days="Monday Tuesday Wednesday Thursday Friday Saturday Sunday", short="Mon Tue Wed Thu Fri Sat Sun",
               at="", sources=["Metro Daily", "Harbour News", "UP"], label="Source of information",
               words="council budget vote city mayor road bridge school water power plan report week"),
    "de": dict(months="Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
               days="Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag", short="Mo Di Mi Do Fr Sa So",
               at="um", sources=["Tagesspiegel", "Rheinische Post", "Chas Pravdy"], label="Informationsquelle",
               words="Stadt Rat Haushalt Brücke Schule Wasser Strom Plan Bericht Woche Straße Verkehr"),
    "fr": dict(months="janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
               days="lundi mardi mercredi jeudi vendredi samedi dimanche", short="lun mar mer jeu ven sam dim",
               at="à", sources=["Le Monde", "Ouest-France", "Le Progrès"], label="Source d'information",
               words="conseil budget vote ville maire route pont école eau plan rapport semaine"),
    "es": dict(months="enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
               days="lunes martes miércoles jueves viernes sábado domingo", short="lun mar mié jue vie sáb dom",
               at="a las", sources=["El País", "EFE", "La Vanguardia"], label="Fuente de información",
               words="consejo presupuesto voto ciudad alcalde carretera puente escuela agua plan informe semana"),
    "it": dict(months="gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
               days="lunedì martedì mercoledì giovedì venerdì sabato domenica", short="lun mar mer gio ven sab dom",
               at="alle", sources=["Corriere della Sera", "ANSA", "La Stampa"], label="Fonte di informazione",
               words="consiglio bilancio voto città sindaco strada ponte scuola acqua piano rapporto settimana"),
    "pl": dict(months="stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia",
               days="poniedziałek wtorek środa czwartek piątek sobota niedziela", short="pon wt śr czw pt sob nd",
               at="godz.", sources=["Rzeczpospolita", "Gazeta Wyborcza", "PAP"], label="Źródło informacji",
               words="rada budżet głosowanie miasto burmistrz droga most szkoła woda plan raport tydzień"),
    "uk": dict(months="січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня",
               days="понеділок вівторок середа четвер п'ятниця субота неділя", short="пн вт ср чт пт сб нд",
               at="о", sources=["Українська правда", "Укрінформ", "УНН"], label="Джерело інформації",
               words="рада бюджет голосування місто мер дорога міст школа вода план звіт тиждень"),
    "ru": dict(months="января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
               days="понедельник вторник среда четверг пятница суббота воскресенье", short="пн вт ср чт пт сб вс",
               at="в", sources=["Интерфакс", "Новая газета", "ТАСС"], label="Источник информации",
               words="совет бюджет голосование город мэр дорога мост школа вода план отчет неделя"),
}
# One name per article in its title and nowhere else, so a title found in another body is a merge.
NAMES = ["Almaty", "Bratislava", "Cluj", "Dnipro", "Esbjerg", "Faro", "Gdynia", "Hilo", "Izmir", "Jurmala"]
# Paragraphs real articles hold that look like boundaries and are not.
LOOK_ALIKES = ["*****************", "---", "* * *", "(Source : Le Nouvel Obs)", "Джерело: Українська правда",
               "Madrid. (EFE).- {s}", "КИЇВ. 25 квітня. УНН. {s}", "ALBUQUERQUE, N.M. (AP) — {s}",
               "{s} #Ukraine {s}", "{s} 18:52 {s}", "{s} 45"]
ZONES = {"UTC": 0, "GMT": 0, "CET": 60, "CEST": 120, "EET": 120, "EEST": 180, "MSK": 180, "+0300": 180,
         "IST": None, "CST": None}
DAMAGES = ("dash missing", "weekday added", "wrong weekday", "ordinal suffix", "time first", "time missing",
           "zone word", "unknown month", "typo")
GLUES = ["\n\n", "\n\n", "\n\n---\n\n", "\n\n* * *\n\n", "\n\f\n", "\n\n\n"]


@dataclass
class Planned:
    text: str
    title: str
    byline: str
    outcome: str  # "stored", "refused" or "either"
    expected: dict = field(default_factory=dict)


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


@st.composite
def planned_article(draw, name: str) -> Planned:
    code = draw(st.sampled_from(sorted(LANGS)))
    lang = LANGS[code]
    words = lang["words"].split()
    when = draw(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2030, 12, 31))).replace(second=0, microsecond=0)
    sentence = st.lists(st.sampled_from(words), min_size=4, max_size=10).map(lambda ws: " ".join(ws).capitalize() + ".")
    paragraph = st.lists(sentence, min_size=1, max_size=3).map(" ".join)
    paragraphs = draw(st.lists(paragraph, min_size=1, max_size=3))
    if draw(st.booleans()):  # a look-alike inside the body, never the last paragraph
        shape = draw(st.sampled_from(LOOK_ALIKES)).replace("{s}", draw(sentence).rstrip("."), 1).replace("{s}", draw(sentence))
        paragraphs.insert(draw(st.integers(0, len(paragraphs) - 1)), shape)
    title = " ".join([name] + draw(st.lists(st.sampled_from(words), min_size=2, max_size=7)))
    source = draw(st.sampled_from(lang["sources"]))
    damages = draw(st.sets(st.sampled_from(DAMAGES), max_size=3))

    month = lang["months"].split()[when.month - 1]
    day = _ordinal(when.day) if "ordinal suffix" in damages else f"{when.day}{'.' if code == 'de' else ''}"
    outcome, offset = "stored", None
    if "unknown month" in damages:
        month, outcome = "Smarch", "refused"
    elif "typo" in damages:
        cut = draw(st.integers(0, len(month) - 1))
        month, outcome = month[:cut] + month[cut + 1:], "either"
    date = f"{day} de {month} de {when.year}" if code == "es" else f"{day} {month} {when.year}"
    clock = f"{when:%H:%M}"
    if "weekday added" in damages or "wrong weekday" in damages:  # a wrong one warns, the date is kept
        names = draw(st.sampled_from([lang["days"], lang["short"]])).split()
        date = f"{names[(when.weekday() + ('wrong weekday' in damages)) % 7]}, {date}"
    zone = ""
    if "zone word" in damages:
        zone = draw(st.sampled_from(sorted(ZONES)))
        clock += f" {zone}"
        offset = ZONES[zone]
        if offset is None and outcome == "stored":
            outcome = "refused"
    if "time missing" in damages:
        stamp = f"{date} {zone}".rstrip()
        if "zone word" in damages or "dash missing" in damages:  # a zone needs a time; so does a
            outcome = "refused" if outcome == "stored" else outcome  # byline with no dash
    elif "time first" in damages:
        stamp = f"{clock}, {date}"
    else:
        stamp = f"{date}, {lang['at']} {clock}".replace(",  ", ", ") if lang["at"] else f"{date} {clock}"
    byline = f"{source} {stamp}" if "dash missing" in damages else f"{source} - {stamp}"
    label = lang["label"] if draw(st.booleans()) else None
    tags = draw(st.lists(st.sampled_from(words), max_size=2, unique=True))
    compact = draw(st.booleans())  # title and byline on consecutive lines
    parts = [f"{title}\n{byline}" if compact else f"{title}\n\n{byline}"] + paragraphs
    parts += [label] if label else []
    parts += [" ".join(f"#{t}" for t in tags)] if tags else []
    moment = when.replace(tzinfo=timezone(timedelta(minutes=offset))) if offset is not None else when
    published = when.date().isoformat() if "time missing" in damages else moment.isoformat()
    expected = dict(title=title, source=source, published=published, body="\n\n".join(paragraphs),
                    tags=tags, source_label=label)
    return Planned("\n\n".join(parts) + "\n", title, byline, outcome, expected)


@st.composite
def dumps(draw) -> tuple[str, list[Planned]]:
    count = draw(st.integers(2, 6))
    planned = [draw(planned_article(NAMES[n])) for n in range(count)]
    if draw(st.booleans()):  # the same article twice: a duplicate, or refused twice
        planned.append(draw(st.sampled_from(planned)))
    text = planned[0].text
    for article in planned[1:]:
        text = text.rstrip("\n") + draw(st.sampled_from(GLUES)) + article.text
    return text, planned


_SUMMARY = re.compile(r"(\d+) new, (\d+) duplicates?, (\d+) failed")


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])
@given(dumps())
def test_every_article_is_stored_or_refused_never_merged(cli, dump):
    text, planned = dump
    with tempfile.TemporaryDirectory() as tmp:
        path, store = Path(tmp) / "dump.txt", Path(tmp) / "store.jsonl"
        path.write_text(text, encoding="utf-8")
        result = cli("--store", str(store), "ingest", str(path))
        new, duplicates, failed = map(int, _SUMMARY.fullmatch(result.stdout.strip()).groups())
        errors = [line for line in result.stderr.splitlines() if ": warning: " not in line]
        stored = json.loads(cli("--store", str(store), "list", "-n", "0", "--json").stdout) if new else []

    assert new + duplicates + failed == len(planned), (result.stdout, result.stderr, text)
    assert len(errors) == failed and all(line.startswith(f"{path}:") for line in errors), result.stderr
    assert "Traceback" not in result.stderr
    by_title = {r["title"]: r for r in stored}
    assert len(by_title) == new
    for record in stored:
        others = [p for p in planned if p.title != record["title"]]
        assert all(p.title not in record["body"] and p.byline not in record["body"] for p in others), (record, text)
    for article in planned:
        if article.outcome == "stored":
            record = by_title.get(article.title)
            assert record is not None, (article.byline, result.stderr, text)
            assert {k: record[k] for k in article.expected} == article.expected, (article.byline, text)
        elif article.outcome == "refused":
            assert article.title not in by_title, article.byline
