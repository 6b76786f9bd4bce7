"""An article read again under another timestamp only (same title, source and body) is reported
and counted, never stored twice; `ingest --replace` puts the new reading in its place (issue 19 §3)."""

from __future__ import annotations

import json

import pytest

from newscli.archive import sametext

ARTICLES = [
    ("Stadtrat beschließt neuen Haushalt", "Lokalblatt", "5 Dezember 2026 12:00",
     "Der Stadtrat hat am Freitag den Haushalt für das kommende Jahr beschlossen.\n\n"
     "Die Opposition stimmte dagegen und kündigte eine Klage an.", "#Politik"),
    ("Rada ухвалила бюджет на наступний рік", "Дзеркало тижня", "5 грудня 2026 12:30",
     "Верховна Рада ухвалила державний бюджет у другому читанні.\n\nЗа проголосували 257 депутатів.",
     "#Політика #Бюджет"),
    ("Storm closes mountain pass", "Alpine Courier", "6 December 2026 07:15",
     "Heavy snow closed the pass overnight; the police expect it to reopen on Monday.", "#Weather"),
]


def dump(articles=ARTICLES, when: dict | None = None) -> str:
    """Articles in the dump format; `when` moves some to another timestamp (by index)."""
    blocks = []
    for n, (title, source, published, body, tags) in enumerate(articles):
        published = (when or {}).get(n, published)
        blocks.append(f"{title}\n\n{source} - {published}\n\n{body}\n\n{tags}\n")
    return "\n".join(blocks)


@pytest.fixture
def stored(store_path):
    """The archive's records in file order."""
    return lambda: [json.loads(line) for line in store_path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def first(cli, tmp_path):
    path = tmp_path / "news.txt"
    path.write_text(dump(), encoding="utf-8")
    result = cli("ingest", str(path))
    assert result.stdout == "3 new, 0 duplicates, 0 failed\n", result.stderr
    return path


def test_reading_again_with_another_zone_is_a_reported_duplicate(cli, stored, first):
    before = stored()
    result = cli("ingest", "--tz", "Europe/Berlin", str(first))
    assert (result.exit_code, result.stdout) == (0, "0 new, 3 duplicates, 0 failed\n")
    lines = result.stderr.splitlines()
    assert len(lines) == 3
    old = before[0]
    assert lines[0] == (f"{first}:1: warning: already stored as {old['id']} with published 2026-12-05T12:00:00;"
                        " this reading says 2026-12-05T12:00:00+01:00 (same title, source and text;"
                        " --replace stores it instead)")
    assert stored() == before


def test_an_update_that_only_moves_the_time_is_a_duplicate_too(cli, stored, first, tmp_path):
    moved = tmp_path / "update.txt"
    moved.write_text(dump(when={1: "5 грудня 2026 14:05"}), encoding="utf-8")
    result = cli("ingest", str(moved))
    assert (result.exit_code, result.stdout) == (0, "0 new, 3 duplicates, 0 failed\n")
    assert "with published 2026-12-05T12:30:00; this reading says 2026-12-05T14:05:00" in result.stderr
    assert len(stored()) == 3


def test_replace_stores_the_new_reading_in_place_of_the_old(cli, stored, first, tmp_path):
    before = stored()
    moved = tmp_path / "update.txt"
    moved.write_text(dump(when={1: "5 грудня 2026 14:05"}), encoding="utf-8")
    result = cli("ingest", "--replace", str(moved))
    assert (result.exit_code, result.stdout) == (0, "0 new, 1 replaced, 2 duplicates, 0 failed\n")
    after = stored()
    old, new = before[1], after[1]  # the same place in the archive
    assert result.stderr == (f"{moved}:11: replaced {old['id']} (published 2026-12-05T12:30:00) with this"
                             f" reading ({new['id']}, published 2026-12-05T14:05:00)\n")
    assert new["published"] == "2026-12-05T14:05:00" and new["title"] == old["title"]
    assert [r["id"] for r in after] == [before[0]["id"], new["id"], before[2]["id"]]
    # the index followed: the old id is gone, the new one is found, by every path
    assert cli("show", old["id"]).exit_code == 1
    assert cli("list", "--since", "2026-12-05 14:00", "--until", "2026-12-05 15:00").stdout.startswith(new["id"])
    assert cli("check").exit_code == 0
    again = cli("ingest", "--replace", str(moved))
    assert again.stdout == "0 new, 0 replaced, 3 duplicates, 0 failed\n"


def test_every_article_in_is_counted_once(cli, stored, first, tmp_path):
    """in = new + replaced + duplicates + failed, with each kind in one run."""
    fresh = ("Neue Brücke eröffnet", "Lokalblatt", "7 Dezember 2026 09:00", "Die Brücke ist offen.", "#Verkehr")
    broken = ("Unreadable byline", "Lokalblatt", "7 Smarch 2026 09:00", "Body text of it.", "#X")
    mixed = tmp_path / "mixed.txt"
    mixed.write_text(dump(ARTICLES + [fresh, broken], when={0: "5 Dezember 2026 13:00", 1: "5 грудня 2026 14:05"}),
                     encoding="utf-8")
    plain = cli("ingest", str(mixed))  # 2 same text, 1 same id, 1 new, 1 refused
    assert (plain.exit_code, plain.stdout) == (1, "1 new, 3 duplicates, 1 failed\n")
    (mixed.parent / "more.txt").write_text(dump([fresh], when={0: "7 Dezember 2026 10:00"}) + "\n"
                                           + mixed.read_text(encoding="utf-8"), encoding="utf-8")
    replaced = cli("ingest", "--replace", str(mixed.parent / "more.txt"))
    # 6 in: `fresh` moved and two of the first three replace, then `fresh` as first read and the
    # unmoved third are stored already, and the broken one is refused again
    assert replaced.stdout == "0 new, 3 replaced, 2 duplicates, 1 failed\n", replaced.stderr
    assert len(stored()) == 4


@pytest.mark.parametrize("flags", [[], ["--replace"]])
def test_the_same_text_twice_in_one_run_is_stored_once_as_first_read(cli, stored, tmp_path, flags):
    twice = tmp_path / "twice.txt"
    twice.write_text(dump(ARTICLES[:1]) + "\n" + dump(ARTICLES[:1], when={0: "5 Dezember 2026 18:00"}),
                     encoding="utf-8")
    result = cli("ingest", *flags, str(twice))
    assert (result.exit_code, result.stdout) == (0, "1 new, " + ("0 replaced, " if flags else "") + "1 duplicate, 0 failed\n")
    assert f"{twice}:11: warning: already stored as " in result.stderr
    assert [r["published"] for r in stored()] == ["2026-12-05T12:00:00"]


def test_a_hash_collision_never_passes_for_the_same_article(cli, stored, tmp_path, monkeypatch):
    monkeypatch.setattr(sametext, "text_key", lambda title, source, body: 42)  # every text collides
    path = tmp_path / "news.txt"
    path.write_text(dump(), encoding="utf-8")
    assert cli("ingest", str(path)).stdout == "3 new, 0 duplicates, 0 failed\n"
    path.write_text(dump(when={0: "5 Dezember 2026 13:00", 2: "6 December 2026 08:00"}), encoding="utf-8")
    # The key finds the first article's line for every text: compared in full, only the first
    # is the same; the third, whose own line the key cannot reach, is stored (never merged).
    assert cli("ingest", "--replace", str(path)).stdout == "1 new, 1 replaced, 1 duplicate, 0 failed\n"
    assert sorted(r["title"] for r in stored()) == sorted(a[0] for a in ARTICLES + [ARTICLES[2]])


def test_replacing_after_another_process_rewrote_the_archive_replaces_nothing(store_path):
    from newscli.archive.store import Store
    from newscli.errors import StoreError
    from tests.factories import make_article

    kept, dropped = make_article(1, published="2026-12-05T12:00:00"), make_article(2)
    Store(store_path).append([kept, dropped])
    store = Store(store_path, replace=True)
    assert len(store.append([make_article(1, published="2026-12-05T13:00:00")]).replacing) == 1
    Store(store_path).rewrite(lambda record: record["id"] != dropped.id)  # `rm` in another process
    with pytest.raises(StoreError, match="changed by another process during this ingest; nothing replaced"):
        store.apply_replacements()
    assert [r["id"] for r in Store(store_path).records()] == [kept.id]


def test_replace_keeps_the_labels_of_the_reading_it_replaces(cli, stored, first, tmp_path):
    old = stored()[1]
    assert cli("tag", "+checked", "+quote", old["id"]).exit_code == 0
    moved = tmp_path / "update.txt"
    moved.write_text(dump(when={1: "5 грудня 2026 14:05"}), encoding="utf-8")
    assert cli("ingest", "--replace", str(moved)).exit_code == 0
    new = stored()[1]
    assert new["id"] != old["id"]
    labelled = cli("list", "--label", "checked", "--label", "quote")
    assert [line.split("\t")[0] for line in labelled.stdout.splitlines()] == [new["id"]]


def test_a_failed_replacement_takes_the_run_back(cli, stored, first, tmp_path, monkeypatch):
    import errno

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(sametext, "replace_with", full)
    before = stored()
    fresh = ("Neue Brücke eröffnet", "Lokalblatt", "7 Dezember 2026 09:00", "Die Brücke ist offen.", "#Verkehr")
    moved = tmp_path / "update.txt"
    moved.write_text(dump(ARTICLES + [fresh], when={1: "5 грудня 2026 14:05"}), encoding="utf-8")
    result = cli("ingest", "--replace", str(moved))
    assert (result.exit_code, result.stdout) == (1, "0 new, 0 replaced, 0 duplicates, 4 failed\n")
    assert "cannot write (no space left on device)" in result.stderr and "nothing was replaced" in result.stderr
    assert stored() == before
