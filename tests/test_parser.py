"""The parser on real dumps: the sample field by field, goldens per variant, refusals, limits."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from newscli.dump.inputs import read_inputs
from newscli.dump.parse import MAX_ARTICLE, NO_BYLINE, parse_bytes, parse_text
from newscli.dump.timestamps import Reading
from newscli.dump.write import format_dump, format_dumps
from newscli.model import Article, Problem

from .conftest import ROOT, SAMPLE, TESTS

DUMPS = TESTS / "dumps"
GOLDEN = TESTS / "golden" / "parser"
UPDATE = os.environ.get("NEWSCLI_UPDATE_GOLDEN") == "1"


def _record(item: Article | Problem) -> dict:
    """The golden form: every field, `file` relative to the repo, `ingested_at` left out."""
    if isinstance(item, Problem):
        data = {"problem": {"file": item.file, "line": item.line, "reason": item.reason, "is_error": item.is_error}}
        target = data["problem"]
    else:
        data = item.to_record()
        data.pop("ingested_at")
        target = data
    target["file"] = Path(target["file"]).relative_to(ROOT).as_posix()
    return data


VARIANTS = [SAMPLE] + sorted(DUMPS.glob("*.txt"))


@pytest.mark.parametrize("path", VARIANTS, ids=lambda p: p.stem)
def test_golden(path: Path):
    actual = [_record(item) for item in read_inputs([str(path)])]
    golden = GOLDEN / f"{path.stem}.json"
    if UPDATE:
        golden.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert golden.exists(), f"no golden for {path.name}: run with NEWSCLI_UPDATE_GOLDEN=1 and review it"
    assert actual == json.loads(golden.read_text(encoding="utf-8"))


def _only_article(text: str, **kw) -> Article:
    items = parse_text(text, **kw)
    assert len(items) == 1 and isinstance(items[0], Article), items
    return items[0]


def test_sample_every_field():
    (article,) = parse_bytes(SAMPLE.read_bytes(), file="seeds/000_c37c1a0bbaeb8b11.txt")
    paragraphs = article.body.split("\n\n")
    assert article.title.startswith("Präsident Trump führt Telefongespräch mit Alexander Lukashenko")
    assert article.source == "Chas Pravdy"
    assert article.published == "2025-08-15T18:52:00"
    assert article.tags == ("Politik",)
    assert article.source_label == "Informationsquelle"
    assert article.lang == "de"
    assert (article.first_line, article.last_line) == (1, 29)  # the file has 29 lines
    assert paragraphs[0] == (
        "In einem kürzlichen Telefonat führte der 45. Präsident der Vereinigten Staaten, Donald Trump, "
        "ein Gespräch mit dem selbsternannten Präsidenten von Belarus, Alexander Lukashenko."
    )
    assert "verleiht. Zuvor" in article.body and "suchen. Bemerkenswert" in article.body
    assert "eröffnet. Zudem hat Lukashenko am 12. Februar persönlich einen US-Bürger" in article.body
    assert len(paragraphs) == 9  # 11 written, two ordinal splits joined
    assert "Informationsquelle" not in article.body and "#" not in article.body
    assert article.raw == SAMPLE.read_text(encoding="utf-8")  # nothing is lost


def test_canonical_article_has_no_raw_and_round_trips():
    (sample,) = parse_bytes(SAMPLE.read_bytes())
    (again,) = parse_text(format_dump(sample))
    assert again.raw is None
    assert again.id == sample.id
    for field in ("title", "source", "published", "body", "tags", "lang", "source_label"):
        assert getattr(again, field) == getattr(sample, field)


def test_several_articles_back_to_back_have_their_own_line_ranges():
    a = _only_article("T1\n\nS - 1 March 2025 10:00\n\nEins zwei.\n")
    b = _only_article("T2\n\nS - 2 March 2025 10:00\n\nDrei vier.\n\n#x\n")
    items = parse_text(format_dumps([a, b]))
    assert [(i.title, i.first_line, i.last_line) for i in items] == [("T1", 1, 5), ("T2", 7, 13)]


def test_source_may_contain_the_separator():
    art = _only_article("T\n\nDzerkalo Tyzhnia - ZN.UA - 2 January 2024 07:30\n\nText.")
    assert (art.source, art.published) == ("Dzerkalo Tyzhnia - ZN.UA", "2024-01-02T07:30:00")


def test_en_dash_separator_and_title_with_byline_in_one_block():
    art = _only_article("Title\nSource – 2 January 2024 07:30\n\nText.")
    assert (art.title, art.source, art.body) == ("Title", "Source", "Text.")


def test_tags_only_from_the_last_block_with_commas_accents_cyrillic():
    art = _only_article("T\n\nS - 2024-01-02 07:30\n\n#NotATag here\n\n#Außenpolitik, #EU_Integration #Політика #2024,")
    assert art.tags == ("Außenpolitik", "EU_Integration", "Політика", "2024")
    assert art.body == "#NotATag here"


def test_label_is_only_recognised_at_the_end():
    art = _only_article("T\n\nS - 2024-01-02 07:30\n\nQuelle\n\nText.\n\nSource")
    assert art.body == "Quelle\n\nText." and art.source_label == "Source" and art.lang is None


def test_tz_is_applied_and_reported_in_raw():
    art = _only_article("T\n\nS - 15 August 2025 18:52\n\nText.", reading=Reading(tz="Europe/Berlin"))
    assert art.published == "2025-08-15T18:52:00+02:00"
    assert art.raw is not None


@pytest.mark.parametrize(
    "text, line, reason",
    [
        ("", None, "no article in this input"),
        ("  \n\n\t\n", None, "no article in this input"),
        ("---\n\n***\n", None, "no article in this input"),
        ("Just a title\n", 1, f"{NO_BYLINE}: the title stands alone"),
        ("Prose.\n\nMore prose without any date.\n", 3, f"{NO_BYLINE} (expected"),
        ("T\n\nS - 15 Smarch 2025 18:52\n\nText.", 3, "unknown month 'Smarch'"),
        ("T\n\nS - 31 February 2025\n\nText.", 3, "day 31 does not exist in February 2025"),
        ("T\n\nS - 15 August 2025 24:61\n\nText.", 3, "time 24:61 does not exist"),
        ("T\n\nS - 15 August " + "9" * 30 + "\n\nText.", 3, "is not a four-digit year"),
        ("T\n\nS - 15 August 2025\n\n#tag", 3, "no body text after the byline"),
        ("T\n\nS - 15 August 2025\n\nQuelle", 3, "no body text after the byline"),
        ("T\n\nS - x\x00\n", None, "binary"),
    ],
)
def test_refusals_name_line_and_what_was_expected(text, line, reason):
    (problem,) = parse_text(text, file="d.txt")
    assert isinstance(problem, Problem) and problem.is_error
    assert reason in problem.reason and problem.line == line
    assert "\n" not in problem.reason


def test_bad_article_does_not_stop_the_others():
    good = "Good {n}\n\nS - {n} March 2025 10:00\n\nThe body is fine.\n\n"
    text = good.format(n=1) + "Bad\n\nS - 1 Smarch 2025 10:00\n\nBody.\n\n" + good.format(n=2)
    kinds = [type(i).__name__ for i in parse_text(text)]
    assert kinds == ["Article", "Problem", "Article"]


def test_overlong_line_refuses_only_its_article():
    text = "A\n\nS - 1 March 2025\n\n" + "x" * ((1 << 20) + 1) + "\n\n---\nB\n\nS - 2 March 2025\n\nOk."
    first, second = parse_text(text)
    assert isinstance(first, Problem) and first.line == 5 and "longer than 1 MiB" in first.reason
    assert isinstance(second, Article) and second.title == "B"


def test_oversized_article_is_refused_with_a_clear_message():
    para = "y" * 900_000 + "\n\n"
    text = "A\n\nS - 1 March 2025\n\n" + para * (MAX_ARTICLE // 900_000 + 1) + "---\nB\n\nS - 2 March 2025\n\nOk."
    first, second = parse_text(text)
    assert isinstance(first, Problem) and first.line == 1 and "longer than 10 MB" in first.reason
    assert isinstance(second, Article) and second.first_line > 20


@pytest.mark.parametrize(
    "byline, outcome",
    [
        ("a - " * 260_000, "unknown month"),
        ("Src - " + "1" * 1_000_000, "longer than 120 characters"),
        ("Src - " + "15 " * 340_000, "longer than 120 characters"),
        ("#a " * 340_000, "no byline"),
        ("S" * 1_000_000 + " - 15 August 2025", None),
        ("– — - " * 170_000, "unknown month"),
    ],
)
def test_adversarial_megabyte_byline_gives_one_short_answer(byline, outcome):
    # How long these take is measured by benchmarks/hostile.py, not asserted here.
    (item,) = parse_text(f"Title\n\n{byline}\n\nBody.\n")
    if outcome is None:
        assert isinstance(item, Article) and item.source == "S" * 1_000_000
    else:
        assert isinstance(item, Problem) and outcome in item.reason and len(item.reason) < 200


ARTICLE = "{title}\n\nCity Desk - 5 December 2026 12:00\n\nThe first paragraph of the report is here and it is long enough.\n\n{middle}\n\nThe last paragraph of the report closes it.\n"


@pytest.mark.parametrize(
    "middle",
    [
        "*****************", "---", "* * *", "=====",
        "(Source : Le Nouvel Obs)", "Джерело: Українська правда", "Źródło: Gazeta Wyborcza",
        "Madrid. (EFE).- El Gobierno aprobó el decreto este sábado.",
        "КИЇВ. 25 квітня. УНН. Уряд ухвалив постанову про тарифи.",
        "ALBUQUERQUE, N.M. (AP) — Officials said the fire was under control.",
        "MOSKAU (dpa) - Die Regierung hat am Samstag neue Regeln beschlossen.",
        "Die Kampagne #StandWithUkraine wurde von vielen Vereinen unterstützt.",
        "Um 18:52 Uhr begann die Sitzung, die bis 23.10 Uhr dauerte.",
        "Le nombre de victimes s'élève à 45",
        "The vote is set for 14 December 2026 at 10:00",
        "Das Treffen findet am 5. Dezember 2026 statt",
        "KYIV, Dec 5 (Reuters) - Ukraine's parliament approved the budget on Saturday.",
        "BERLIN, 5. Dezember (Reuters) - Die Bundesregierung will 2027 mehr Geld ausgeben.",
    ],
)
def test_in_body_look_alikes_stay_in_the_body_as_written(middle):
    short = "Kurz."  # a short paragraph before it, as titles are short
    (art,) = parse_text(ARTICLE.format(title="Report", middle=f"{short}\n\n{middle}"))
    assert art.body.split("\n\n")[1:3] == [short, middle]
    assert art.raw is None or middle in art.raw


@pytest.mark.parametrize(
    "after, reason, line",
    [
        ("#Politik\n\nLeser fragen, wir antworten.\n\nNoch ein Absatz.", "text after the end of an article (its hashtags on line 11) does not start a new one", 15),
        ("Informationsquelle\n\nWeitere Meldungen folgen.", "text after the end of an article (its source label on line 11) does not start a new one", 13),
    ],
)
def test_after_hashtags_or_a_source_label_comes_a_new_article_or_a_refused_one(after, reason, line):
    first, refused = parse_text(ARTICLE.format(title="Bericht", middle="Ein Absatz.").rstrip("\n") + "\n\n" + after)
    assert isinstance(first, Article) and "folgen" not in first.body and "Leser" not in first.body
    assert isinstance(refused, Problem) and refused.line == line and refused.reason.startswith(reason)


@pytest.mark.parametrize(
    "byline",
    ["UP - Friday 5 Decmber 2026", "UP 5 December 2026", "UP - 5 Smarch 2026 12:00", "Friday, 5 December 2026",
     "UP - 12:00 5 Dec 2026 IST", "УП - 5 грудня 2026 о 25:00", "Interfax - сб, 5 декабря 2026, 18:52 XYZ",
     "Укрінформ 14 грудня 2016 EET", "Le Monde - Publié le 5 décembre 2026 à 18h52"],
)
def test_a_rule_then_a_title_and_an_unreadable_byline_is_a_refused_article(byline):
    text = ARTICLE.format(title="One", middle="Middle.") + "\n---\n\nTwo\n\n" + byline + "\n\nIts body.\n"
    first, refused = parse_text(text)
    assert isinstance(first, Article) and "Two" not in first.body and first.body.endswith("closes it.")
    assert isinstance(refused, Problem) and refused.line == 15
    assert refused.reason.startswith("looks like the start of an article, but its byline cannot be read: ")


def test_a_title_and_byline_glued_to_the_end_of_a_body_block_start_a_new_article():
    text = ("Eins\n\nZeitung - 5. Dezember 2026 10:00\n\nErster Absatz.\nZweite Zeile.\nZwei\n"
            "Zeitung - 5. Dezember 2026 11:00\n\nText zwei.\n")
    first, second = parse_text(text)
    assert (first.body, first.last_line) == ("Erster Absatz. Zweite Zeile.", 6)
    assert (second.title, second.first_line, second.body) == ("Zwei", 7, "Text zwei.")
