"""`newscli ingest` on real-world mixtures: counts, exit codes, flags (issue 3 at the CLI)."""

from __future__ import annotations

import json
import shutil

from tests.conftest import SAMPLE, TESTS

DUMPS = TESTS / "dumps"


def records(cli):
    return json.loads(cli("list", "-n", "0", "--json").stdout)


def test_directory_mixing_good_and_bad_files(cli, tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "nested").mkdir(parents=True)
    shutil.copy(SAMPLE, inbox / "sample.txt")
    shutil.copy(DUMPS / "damaged.txt", inbox / "nested" / "damaged.txt")
    shutil.copy(DUMPS / "uk.txt", inbox / "nested" / "uk.txt")
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    (inbox / "notes.md").write_text("not a dump: ignored, it is not *.txt")

    result = cli("ingest", str(inbox))
    # sample 1 + uk 1 + damaged 2 good; damaged has 4 bad, empty and binary 1 each
    assert result.stdout == "4 new, 0 duplicates, 6 failed\n"
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert len(errors) == 6
    damaged = str(inbox / "nested" / "damaged.txt")
    assert f"{damaged}:9: bad timestamp '15 Smarch 2025 18:52' in the byline: unknown month 'Smarch'" in "\n".join(errors)
    assert any(line.startswith(f"{inbox / 'empty.txt'}: ") for line in errors)
    assert any(line.startswith(f"{inbox / 'binary.txt'}:1: binary file") for line in errors)
    assert "Traceback" not in result.stderr

    again = cli("ingest", str(inbox))
    assert again.stdout == "0 new, 4 duplicates, 6 failed\n"


def test_lang_filter_and_detected_languages(cli):
    cli("ingest", str(SAMPLE), str(DUMPS / "uk.txt"), str(DUMPS / "fr.txt"))
    assert sorted(r["lang"] for r in records(cli)) == ["de", "fr", "uk"]
    (uk,) = json.loads(cli("list", "--lang", "uk", "--json").stdout)
    assert uk["source"] == "Dzerkalo Tyzhnia - ZN.UA"
    assert uk["tags"] == ["Економіка", "Політика"]


def test_tz_attaches_a_zone_to_naive_timestamps(cli):
    assert cli("ingest", "--tz", "Europe/Kyiv", str(SAMPLE)).exit_code == 0
    (record,) = records(cli)
    assert record["published"] == "2025-08-15T18:52:00+03:00"


def test_bad_tz_and_encoding_are_usage_errors_before_anything_is_read(cli, store_path):
    for flag, value in (("--tz", "Mars/Olympus"), ("--encoding", "klingon-8")):
        result = cli("ingest", flag, value, str(SAMPLE))
        assert result.exit_code == 2
        assert len(result.stderr.splitlines()) == 1 and value in result.stderr
    assert not store_path.exists()


def test_legacy_encoding_is_assumed_with_one_warning(cli):
    result = cli("ingest", str(DUMPS / "enc_cp1251_uk.txt"))
    assert result.exit_code == 0
    (warning,) = result.stderr.splitlines()
    assert "warning:" in warning and "1251" in warning
    assert records(cli)[0]["lang"] == "uk"


def test_encoding_override_silences_the_guess(cli):
    result = cli("ingest", "--encoding", "cp1251", str(DUMPS / "enc_cp1251_uk.txt"))
    assert (result.exit_code, result.stderr) == (0, "")
