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
    *errors, skipped = result.stderr.splitlines()
    assert len(errors) == 6
    assert skipped == f"{inbox}: warning: skipped 1 file not matching *.txt (--glob PATTERN reads others)"
    damaged = str(inbox / "nested" / "damaged.txt")
    assert f"{damaged}:9: looks like the start of an article, but its byline cannot be read: unknown month 'Smarch' (did you mean 'march'?) (in 'Daily Planet - 15 Smarch 2025 18:52')" in "\n".join(errors)
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


def _dump(tmp_path, *bylines: str):
    """A file of one short article per byline, in the style of a local news site."""
    parts = [f"Council meeting number {n}\n\nCity Hall - {byline}\n\nThe council met again and voted on item {n}.\n"
             for n, byline in enumerate(bylines, start=1)]
    path = tmp_path / "dump.txt"
    path.write_text("\n".join(parts), encoding="utf-8")
    return str(path)


def test_date_order_reads_slash_dates_and_the_refusal_names_it(cli, tmp_path):
    path = _dump(tmp_path, "08/07/2025 10:00", "15 August 2025 18:52")
    refused = cli("ingest", path)
    assert refused.stdout == "1 new, 0 duplicates, 1 failed\n" and refused.exit_code == 1
    assert "ingest --date-order dmy or --date-order mdy" in refused.stderr
    assert cli("ingest", "--date-order", "mdy", path).stdout == "1 new, 1 duplicate, 0 failed\n"
    assert sorted(r["published"] for r in records(cli)) == ["2025-08-07T10:00:00", "2025-08-15T18:52:00"]
    bad = cli("ingest", "--date-order", "ydm", path)
    assert bad.exit_code == 2 and "unknown date order 'ydm' (use dmy, mdy or ymd)" in bad.stderr


def test_tz_refuses_a_time_the_clocks_skipped_and_warns_of_one_they_passed_twice(cli, tmp_path):
    path = _dump(tmp_path, "30 March 2025 02:30", "26 October 2025 02:30", "26 October 2025 03:30")
    result = cli("ingest", "--tz", "Europe/Berlin", path)
    assert result.stdout == "2 new, 0 duplicates, 1 failed\n" and result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}:3: looks like the start of an article, but its byline cannot be read: 02:30 on 30 March 2025 "
        "did not exist in Europe/Berlin: the clocks went forward an hour there (a typo, or a time in another "
        "zone?) (in 'City Hall - 30 March 2025 02:30')",
        f"{path}:9: warning: 02:30 on 26 October 2025 happened twice in Europe/Berlin (the clocks went back); "
        "the first, +02:00, is kept",
    ]
    assert sorted(r["published"] for r in records(cli)) == ["2025-10-26T02:30:00+02:00", "2025-10-26T03:30:00+01:00"]


def test_offsets_beyond_fourteen_hours_are_refused(cli, tmp_path):
    path = _dump(tmp_path, "2025-08-15T10:00:00+14:00", "2025-08-15T10:00:00+14:30", "15 August 2025 10:00 -15:00")
    result = cli("ingest", path)
    assert result.stdout == "1 new, 0 duplicates, 2 failed\n"
    assert result.stderr.count("is beyond ±14:00, the widest in use") == 2


ISSUE_19_FILE = """Rates stay on hold

UP - 4 December 2026 09:00

The central bank kept its rate unchanged, as most analysts had expected.

#Economy

Parliament passes the budget

{byline}

The budget passed its final reading with a narrow majority late on Friday.

Storm closes two airports

UP - 5 December 2026 18:00

Both airports expect to reopen on Sunday morning if the wind calms down.
"""


def test_the_middle_article_of_issue_19_lands_or_is_refused_never_merged(cli, tmp_path):
    path = tmp_path / "three.txt"
    for byline in ("UP 5 December 2026 12:00", "UP - Friday, 5 December 2026 12:00",
                   "UP - December 5th, 2026", "UP - 12:00, 5 December 2026"):
        path.write_text(ISSUE_19_FILE.format(byline=byline), encoding="utf-8")
        result = cli("--store", str(tmp_path / f"{len(byline)}.jsonl"), "ingest", str(path))
        assert result.stdout == "3 new, 0 duplicates, 0 failed\n", byline
    for n, byline in enumerate(("UP - Fri 5 Decmber 2026", "UP 5 December 2026", "5 December 2026 12:00")):
        path.write_text(ISSUE_19_FILE.format(byline=byline).replace("\n#Economy\n", ""), encoding="utf-8")
        store = str(tmp_path / f"refused{n}.jsonl")
        result = cli("--store", store, "ingest", str(path))
        assert result.stdout == "2 new, 0 duplicates, 1 failed\n" and result.exit_code == 1, byline
        assert f"{path}:9: looks like the start of an article, but its byline cannot be read: " in result.stderr
        stored = json.loads(cli("--store", store, "list", "--json").stdout)
        assert sorted(r["title"] for r in stored) == ["Rates stay on hold", "Storm closes two airports"]
        assert all("Parliament" not in r["body"] and "UP" not in r["body"] for r in stored)
