"""Property tests: any article we can build survives format_dump/parse in every format;
arbitrary text and bytes give Articles or Problems, never an exception."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscli.dump.timestamps import format_timestamp
from newscli.dump.parse import iter_blocks, parse_bytes, parse_lines, parse_text, whole_blocks
from newscli.dump.write import format_dump
from newscli.model import Article, Problem

FIELDS = ("title", "source", "published", "body", "tags", "source_label")
LETTERS = "abcdefghijklmnopqrstuvwxyzäöüßéèçñąęłśżабвгдежзийклмнопрстуфхцчшщыьэюяіїєґ"
word = st.text(alphabet=LETTERS + LETTERS[:26].upper(), min_size=1, max_size=9)
number = st.integers(0, 9999).map(str)
sentence = st.lists(st.one_of(word, word, word, number), min_size=2, max_size=8).map(
    lambda ws: " ".join(ws) + "."
)
# A paragraph never ends in a bare number before its period ('auf 45.'), which the
# ordinal repair may legitimately join: end it with a word.
paragraph = st.tuples(st.lists(sentence, min_size=0, max_size=3), st.lists(word, min_size=2, max_size=5)).map(
    lambda t: " ".join(t[0] + [" ".join(t[1]) + "."])
)
title = st.lists(st.one_of(word, number), min_size=1, max_size=10).map(" ".join)
source = st.lists(word, min_size=1, max_size=3).map(" ".join) | st.just("Dzerkalo Tyzhnia - ZN.UA")
tag = st.text(alphabet=LETTERS + "0123456789_", min_size=1, max_size=12)
label = st.sampled_from([None, "Informationsquelle", "Quelle", "Source of information", "Source",
                         "Джерело інформації", "Источник", "Fuente de información", "Źródło informacji"])
offsets = st.none() | st.integers(-14 * 4, 14 * 4).map(lambda q: timezone(timedelta(minutes=15 * q)))


@st.composite
def published(draw) -> str:
    if draw(st.booleans()):
        return draw(st.dates(min_value=datetime(1000, 1, 1).date())).isoformat()
    moment = draw(st.datetimes(min_value=datetime(1000, 1, 2), max_value=datetime(9999, 12, 30)))
    if draw(st.booleans()):
        moment = moment.replace(second=0, microsecond=0)
    return moment.replace(tzinfo=draw(offsets)).isoformat()


@st.composite
def articles(draw) -> Article:
    return Article(
        title=draw(title), source=draw(source), published=draw(published()),
        body="\n\n".join(draw(st.lists(paragraph, min_size=1, max_size=4))),
        tags=tuple(draw(st.lists(tag, max_size=4))), source_label=draw(label),
    )


def _other_timestamps(iso: str) -> list[str]:
    """Non-canonical spellings of a naive minute timestamp, as other tools write them."""
    if "T" not in iso or len(iso) != 19 or not iso.endswith(":00"):
        return []
    dt = datetime.fromisoformat(iso)
    de = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
          "Oktober", "November", "Dezember"][dt.month - 1]
    return [
        f"{dt.day}. {de} {dt.year} {dt:%H:%M} Uhr",
        f"{dt:%Y-%m-%d %H:%M}",
        f"{dt:%d.%m.%Y %H:%M}",
        f"{dt:%B} {dt.day}, {dt.year} {dt.hour % 12 or 12}:{dt:%M} {'PM' if dt.hour >= 12 else 'AM'}",
        f"{dt.day}\xa0{dt:%B}\xa0{dt.year},\xa0{dt:%H:%M}",
    ]


def _variants(text: str, art: Article) -> list[bytes]:
    out = [text.encode(), text.replace("\n", "\r\n").encode(), text.replace("\n", "\r").encode(),
           text.encode("utf-16"), b"\xef\xbb\xbf" + text.encode(),
           ("\n\n \t\n" + text.replace("\n\n", "\n \xa0\n\n\t\n") + "  \n\n").encode()]
    canonical = format_timestamp(art.published)
    for stamp in _other_timestamps(art.published):
        out.append(text.replace(f" - {canonical}\n", f" - {stamp}\n", 1).encode())
    return out


def _same(a: Article, b: Article) -> bool:
    return all(getattr(a, f) == getattr(b, f) for f in FIELDS)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles())
def test_every_buildable_article_round_trips_in_every_format(art):
    text = format_dump(art)
    (canonical,) = parse_text(text)
    assert isinstance(canonical, Article), canonical
    assert _same(canonical, art)
    assert canonical.raw is None  # canonical text needs no raw copy
    for data in _variants(text, art):
        items = [i for i in parse_bytes(data) if not (isinstance(i, Problem) and not i.is_error)]
        assert len(items) == 1 and isinstance(items[0], Article), (data[:200], items)
        assert _same(items[0], art) and items[0].lang == canonical.lang


@settings(max_examples=40, deadline=None)
@given(st.lists(articles(), min_size=2, max_size=4), st.sampled_from(["\n\n", "\n\n---\n\n", "\n***\n", "\n\f", "\n\n=====\n"]))
def test_several_articles_in_one_file_with_any_separator(arts, glue):
    items = parse_text(glue.join(format_dump(a) for a in arts))
    assert [type(i) for i in items] == [Article] * len(arts)
    assert all(_same(got, want) for got, want in zip(items, arts))
    assert [i.first_line for i in items] == sorted(i.first_line for i in items)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text_gives_only_articles_or_problems(text):
    items = parse_text(text, file="t")
    assert items and all(isinstance(i, (Article, Problem)) for i in items)
    for item in items:
        if isinstance(item, Problem):
            assert "\n" not in item.reason
        else:
            assert dataclasses.replace(item).id == item.id


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_give_only_articles_or_problems(data):
    items = parse_bytes(data, file="b")
    assert items and all(isinstance(i, (Article, Problem)) for i in items)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["Title", "", "Src - 15 August 2025 18:52", "Src - 31 Smarch 2025",
                                 "Body text here.", "#tag, #x", "Quelle", "---", "\f", "  ", "der 45.",
                                 "Februar kam.", "a - b - 2025-01-01T10:00:00+02:00", "\x1b[31m"]), max_size=30))
def test_structured_noise_never_raises(lines):
    items = parse_text("\n".join(lines))
    assert all(isinstance(i, (Article, Problem)) for i in items)


_LINES = st.sampled_from(["Title", "", " ", "\t \xa0", "\u3000", "Src - 15 August 2025 18:52", "Body.",
                          "  indented  ", "---", "- - -", "* * *", "=====", "___", "- item", "*stars*",
                          "-", "a\fb", "\f", "#tag", "\u2028", "\x1c", "Quelle"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINES, max_size=40))
def test_cutting_a_whole_text_gives_the_blocks_of_the_line_by_line_reader(lines):
    blocks = whole_blocks(lines)
    if any("\f" in line for line in lines):
        assert blocks is None  # left to iter_blocks, which splits lines at form feeds
    else:
        assert blocks == list(iter_blocks(lines))


@settings(max_examples=150, deadline=None)
@given(st.lists(_LINES, max_size=40), st.sampled_from(["\n", "\r\n", "\r"]))
def test_a_whole_text_parses_as_its_lines_do(lines, end):
    text = end.join(lines) + end
    by_lines = list(parse_lines(iter(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")[:-1]), file="t"))
    assert parse_text(text, file="t") == by_lines
