"""Bytes to lines: BOMs, UTF-8, legacy code pages, line ends, NUL bytes, huge lines."""

from __future__ import annotations

import codecs

import pytest

from newscli.dump.decode import MAX_LINE, LongLine, check_encoding, decode_bytes, detect, iter_lines
from newscli.errors import InputError, UsageError

UK = "Кабінет міністрів ухвалив програму, яка передбачає пільгові кредити для підприємців."
RU = "Правительство приняло программу, которая предусматривает льготные кредиты."
DE = "Die Opposition kritisierte die Pläne der Regierung scharf, für Familien wäre das schädlich. Größe."
FR = "Le gouvernement a présenté un plan très ambitieux pour le logement, août à décembre."
PL = "Sejm przyjął ustawę, która przewiduje wsparcie dla rolników; źródło: żółć gęślą jaźń."


@pytest.mark.parametrize(
    "data, codec",
    [
        (codecs.BOM_UTF8 + "x".encode(), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + "x".encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + "x".encode("utf-16-be"), "utf-16"),
        (codecs.BOM_UTF32_LE + "x".encode("utf-32-le"), "utf-32"),
        ("Grüße".encode(), "utf-8"),
        (b"plain ascii", "utf-8"),
    ],
)
def test_bom_and_utf8_are_chosen_without_a_warning(data, codec):
    assert detect(data, complete=True) == (codec, None)


@pytest.mark.parametrize(
    "text, codec, name",
    [(UK, "cp1251", "windows-1251"), (RU, "cp1251", "windows-1251"), (DE, "cp1252", "windows-1252"),
     (FR, "cp1252", "windows-1252"), (PL, "cp1250", "windows-1250")],
)
def test_legacy_code_page_is_guessed_by_plausible_words_and_named(text, codec, name):
    lines, warning = decode_bytes(text.encode(codec))
    assert lines == [text]
    assert name in warning and "--encoding" in warning and "\n" not in warning


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_line_ends_are_normalised(ending):
    data = ending.join(["a", "", "b  ", "c"]).encode() + ending.encode()
    assert decode_bytes(data)[0] == ["a", "", "b  ", "c"]


def test_crlf_split_across_chunks_is_one_line_end():
    assert list(iter_lines([b"a\r", b"\nb\r", b"", b"c"], "utf-8", name="f")) == ["a", "b", "c"]


def test_multibyte_character_split_across_chunks():
    data = "Grüße\n".encode()
    assert list(iter_lines([data[:3], data[3:]], "utf-8", name="f")) == ["Grüße"]


def test_no_trailing_newline_keeps_the_last_line():
    assert decode_bytes(b"a\nb")[0] == ["a", "b"]
    assert decode_bytes(b"")[0] == []


def test_utf16_with_bom_decodes_every_line():
    text = "Заголовок\r\n\r\nТекст"
    assert decode_bytes(text.encode("utf-16"))[0] == ["Заголовок", "", "Текст"]


def test_nul_bytes_mean_a_binary_file_with_its_line():
    with pytest.raises(InputError) as info:
        decode_bytes(b"line one\nline two\nbad\x00here", name="x.bin")
    assert info.value.line == 3 and "binary" in info.value.reason


def test_explicit_encoding_overrides_detection():
    data = UK.encode("cp1251")
    assert decode_bytes(data, encoding="koi8-u")[0] != [UK]
    assert decode_bytes(data, encoding="windows-1251") == ([UK], None)


def test_explicit_encoding_that_does_not_fit_is_an_input_error():
    with pytest.raises(InputError, match="cannot decode as utf-8"):
        decode_bytes(b"ok\n\xff\xfe\xfa", encoding="utf-8")


def test_explicit_encoding_strips_a_bom():
    assert decode_bytes(codecs.BOM_UTF8 + b"abc", encoding="utf-8")[0] == ["abc"]


def test_unknown_encoding_name_is_a_usage_error():
    with pytest.raises(UsageError, match="unknown encoding 'klingon-8'"):
        check_encoding("klingon-8")
    assert check_encoding("latin1") == "iso8859-1"


def test_overlong_line_is_dropped_but_counted():
    lines = list(iter_lines([b"a\n", b"x" * (MAX_LINE // 2), b"x" * (MAX_LINE // 2 + 10), b"\nb\n"], "utf-8", name="f"))
    assert lines == ["a", LongLine(MAX_LINE + 10), "b"]


def test_exactly_max_line_is_still_a_line():
    lines = list(iter_lines([b"y" * MAX_LINE], "utf-8", name="f"))
    assert lines == ["y" * MAX_LINE]
