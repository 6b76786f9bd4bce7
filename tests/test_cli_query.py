"""The query commands as a user meets them: exit codes, stdout, stderr (issue 4)."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pytest

from newscli.archive.store import Store
from newscli.cli import options
from newscli.model import RECORD_KEYS
from tests.conftest import SAMPLE
from tests.factories import make_article

A = {
    "pol": make_article(1, title="Budget vote", source="Chas Pravdy", lang="de", tags=("Politik", "Haushalt"),
                        published="2025-08-14T09:00:00"),
    "eu": make_article(2, title="Brussels summit", source="Kyiv Post", lang="en", tags=("EU", "Politik"),
                       published="2025-08-15T18:52:00"),
    "sport": make_article(3, title="Cup final", source="Kyiv Post", lang="en", tags=("Sport",),
                          published="2025-08-15T23:59:00"),
    "eco": make_article(4, title="Économie: inflation", source="Le Monde", lang="fr", tags=("Économie",),
                        published="2025-07-01T12:00:00"),
    "old": make_article(5, title="Archive piece", source="Chas Pravdy", lang="de", tags=(),
                        published="2024-12-31T08:00:00"),
}
NAME = {a.id: name for name, a in A.items()}


@pytest.fixture
def corpus(store_path, monkeypatch):
    Store(store_path).append(list(A.values()))
    monkeypatch.setattr(options, "clock", lambda: datetime(2025, 8, 16, 12, 0))
    return store_path


def names(result):
    assert result.exit_code == 0, result.stderr
    return [NAME[line.split("\t")[0]] for line in result.stdout.splitlines()]


@pytest.mark.parametrize("args, expected", [
    ([], ["sport", "eu", "pol", "eco", "old"]),
    (["--tag", "#politik"], ["eu", "pol"]),
    (["--tag", "politik", "--tag", "eu"], ["eu"]),
    (["--any-tag", "sport", "--any-tag", "economie"], ["sport", "eco"]),
    (["--no-tag", "Politik"], ["sport", "eco", "old"]),
    (["--source", "KYIV POST"], ["sport", "eu"]),
    (["--lang", "DE"], ["pol", "old"]),
    (["--since", "2025-08-15"], ["sport", "eu"]),
    (["--until", "2025-08-14"], ["pol", "eco", "old"]),  # includes the whole day
    (["--since", "2025-08-15 18:52", "--until", "2025-08-15 18:52"], ["eu"]),
    (["--since", "7d"], ["sport", "eu", "pol"]),  # now is 2025-08-16 12:00
    (["--since", "2m"], ["sport", "eu", "pol", "eco"]),
    (["--since", "yesterday", "--until", "yesterday"], ["sport", "eu"]),
    (["--since", "today"], []),
    (["--source", "kyiv post", "--tag", "politik", "--lang", "en", "--since", "1w"], ["eu"]),
    (["--any-tag", "politik", "--any-tag", "sport", "--no-tag", "eu", "--until", "2025-08-15"], ["sport", "pol"]),
])
def test_every_filter_alone_and_combined(cli, corpus, args, expected):
    assert names(cli("list", *args)) == expected


@pytest.mark.parametrize("args, expected", [
    (["--reverse"], ["old", "eco", "pol", "eu", "sport"]),
    (["--sort", "title"], ["old", "eu", "pol", "sport", "eco"]),
    (["--sort", "title", "-r", "-n", "2"], ["eco", "sport"]),
    (["-n", "2", "--offset", "1"], ["eu", "pol"]),
    (["-n", "0"], ["sport", "eu", "pol", "eco", "old"]),
])
def test_sort_reverse_limit_offset(cli, corpus, args, expected):
    assert names(cli("list", *args)) == expected


@pytest.mark.parametrize("args, message", [
    (["--sort", "size"], "cannot sort by 'size'"),
    (["--sort", "relevance"], "needs a search query"),
    (["-n", "-1"], "cannot be negative"),
    (["--since", "someday"], "cannot read date"),
    (["--format", "xml"], "unknown format 'xml'"),
    (["--json", "--format", "csv"], "contradict"),
    (["--fields", "id,nope"], "unknown field 'nope'"),
])
def test_usage_errors_are_one_line_exit_2(cli, corpus, args, message):
    result = cli("list", *args)
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("newscli: ") and message in line


def test_list_formats(cli, corpus):
    as_json = json.loads(cli("list", "--json", "-n", "1").stdout)
    assert as_json == json.loads(cli("list", "--format", "json", "-n", "1").stdout)
    assert list(as_json[0]) == list(RECORD_KEYS)
    jsonl = cli("list", "-f", "jsonl", "--fields", "id,title", "-n", "2").stdout.splitlines()
    assert [json.loads(line) for line in jsonl] == [{"id": A[n].id, "title": A[n].title} for n in ("sport", "eu")]
    rows = list(csv.reader(io.StringIO(cli("list", "-f", "csv", "--fields", "title,tags", "--tag", "politik").stdout)))
    assert rows == [["title", "tags"], ["Brussels summit", "EU,Politik"], ["Budget vote", "Politik,Haushalt"]]
    tsv = cli("list", "-f", "tsv", "--fields", "source,lang", "-n", "1").stdout
    assert tsv == "source\tlang\nKyiv Post\ten\n"
    plain = cli("list", "--fields", "lang,title", "-n", "1").stdout
    assert plain == "en\tCup final\n"


def test_terminal_table_and_no_color(cli, corpus):
    styled = cli("list", env={"FORCE_COLOR": "1"})
    assert "\x1b[" in styled.stdout and "Brussels summit" in styled.stdout and "#Politik" in styled.stdout
    for command in (["list"], ["search", "summit"], ["tags"], ["stats"], ["list", "--fields", "id,title"]):
        plain = cli(*command, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
        assert plain.exit_code == 0 and plain.stdout and "\x1b" not in plain.stdout


def test_search_piped_rows_with_snippet(cli, store_path):
    Store(store_path).append([
        make_article(1, title="Weather", body="Lukashenko was seen. Rain again."),
        make_article(2, title="Lukashenko in Moscow", body="A visit.", published="2025-08-01T00:00:00"),
    ])
    best = cli("search", "lukashenko")
    assert best.exit_code == 0, best.stderr
    first, second = [line.split("\t") for line in best.stdout.splitlines()]
    assert first[4] == "Lukashenko in Moscow" and second[4] == "Weather"
    assert second[5] == "Lukashenko was seen. Rain again." and "\ue000" not in best.stdout
    latest = cli("search", "lukashenko", "--latest")
    assert [line.split("\t")[4] for line in latest.stdout.splitlines()] == ["Weather", "Lukashenko in Moscow"]
    highlighted = cli("search", "rain", env={"FORCE_COLOR": "1"})
    assert "\x1b[1;7mRain\x1b[0m" in highlighted.stdout
    fields = json.loads(cli("search", "rain", "--json", "--fields", "title,snippet").stdout)
    assert fields == [{"title": "Weather", "snippet": "Lukashenko was seen. Rain again."}]
    assert (cli("search", "nothing-like-this").stdout, cli("search", "nothing-like-this").exit_code) == ("", 0)
    refused = cli("search", "--", "-lukashenko")
    assert refused.exit_code == 2 and "nothing to search for" in refused.stderr


def test_count_tags_sources(cli, corpus):
    assert cli("count").stdout == "5\n"
    assert cli("count", "--tag", "politik", "--lang", "en").stdout == "1\n"
    assert cli("tags").stdout == "Politik\t2\nEU\t1\nHaushalt\t1\nSport\t1\nÉconomie\t1\n"
    assert cli("tags", "--source", "kyiv post", "-f", "csv").stdout == "tag,count\nEU,1\nPolitik,1\nSport,1\n"
    assert cli("sources").stdout == "Chas Pravdy\t2\nKyiv Post\t2\nLe Monde\t1\n"
    assert json.loads(cli("sources", "--json", "--lang", "fr").stdout) == [{"source": "Le Monde", "count": 1}]


def test_stats(cli, corpus):
    by_month = cli("stats").stdout.splitlines()
    assert by_month[0] == "2024-12\t1" and by_month[-2:] == ["2025-07\t1", "2025-08\t3"]
    assert len(by_month) == 9  # empty months are shown, so the chart has no holes
    assert cli("stats", "--by", "week", "--since", "2025-08-01").stdout == "2025-W33\t3\n"
    assert cli("stats", "--by", "year", "-f", "csv").stdout == "year,count\n2024,1\n2025,4\n"
    assert cli("stats", "--by", "lang").stdout == "de\t2\nen\t2\nfr\t1\n"
    chart = cli("stats", "--by", "source", env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout
    assert "█" in chart and "5 articles, published 2024-12-31 08:00 to 2025-08-15 23:59" in chart
    wrong = cli("stats", "--by", "hour")
    assert wrong.exit_code == 2 and "cannot group by 'hour'" in wrong.stderr


def test_info(cli, corpus, store_path):
    facts = json.loads(cli("info", "--json").stdout)
    assert facts["store"] == str(store_path) and facts["articles"] == 5
    assert facts["index"] == str(store_path) + ".index.sqlite" and facts["index_bytes"] > 0
    assert (facts["first_published"], facts["last_published"]) == ("2024-12-31T08:00:00", "2025-08-15T23:59:00")
    assert "articles:" in cli("info").stdout


def test_export_formats_and_output_file(cli, corpus, tmp_path):
    jsonl = cli("export", "--tag", "politik").stdout.splitlines()
    assert [json.loads(line)["id"] for line in jsonl] == [A["eu"].id, A["pol"].id]
    md = cli("export", "--source", "le monde", "--format", "md").stdout
    assert md.startswith("## Économie: inflation\n")
    target = tmp_path / "out.csv"
    result = cli("export", "--format", "csv", "-o", str(target), "--lang", "de")
    assert (result.exit_code, result.stdout) == (0, "")
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [r["title"] for r in rows] == ["Budget vote", "Archive piece"]
    assert cli("export", "--format", "table").exit_code == 2


def test_export_to_a_file_replaces_it_whole_with_a_new_file_s_mode(cli, corpus, tmp_path):
    import os
    import stat

    target = tmp_path / "out.jsonl"
    target.write_text("old contents\n", encoding="utf-8")
    os.chmod(target, 0o600)
    old = os.umask(0o027)
    try:
        assert cli("export", "--tag", "politik", "-o", str(target)).exit_code == 0
    finally:
        os.umask(old)
    assert [json.loads(line)["id"] for line in target.read_text(encoding="utf-8").splitlines()] == \
        [A["eu"].id, A["pol"].id]
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # 0o666 through the umask, as `>` does
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out.jsonl")) == []


def test_export_to_an_unwritable_place_is_one_line_and_leaves_nothing(cli, corpus, tmp_path):
    target = tmp_path / "missing" / "out.csv"
    result = cli("export", "--format", "csv", "-o", str(target))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"newscli: {target}: cannot write (no such file or directory)\n"
    assert not target.parent.exists()


def test_export_dump_reingests_to_the_same_ids(cli, tmp_path, store_path):
    assert cli("ingest", str(SAMPLE)).exit_code == 0
    Store(store_path).append([make_article(n, tags=("Politik", "EU")) for n in range(3)])
    dump = tmp_path / "subset.txt"
    assert cli("export", "--format", "dump", "-o", str(dump)).exit_code == 0
    copy = tmp_path / "copy.jsonl"
    again = cli("ingest", str(dump), env={"NEWSCLI_STORE": str(copy)})
    assert (again.exit_code, again.stdout) == (0, "4 new, 0 duplicates, 0 failed\n"), again.stderr
    ids = lambda env=None: sorted(json.loads(cli("list", "--json", "-n", "0", env=env).stdout),  # noqa: E731
                                  key=lambda r: r["id"])
    original, copied = ids(), ids({"NEWSCLI_STORE": str(copy)})
    assert [r["id"] for r in copied] == [r["id"] for r in original]
    assert [r["tags"] for r in copied] == [r["tags"] for r in original]


def test_rm_refuses_without_a_terminal(cli, corpus, store_path):
    before = store_path.read_bytes()
    result = cli("rm", "--tag", "sport")
    assert result.exit_code == 1
    assert "without confirmation" in result.stderr and "--yes" in result.stderr
    assert "Cup final" in result.stdout  # what would have gone
    assert store_path.read_bytes() == before


def test_rm_with_yes_removes_and_the_index_follows(cli, corpus, store_path):
    result = cli("rm", "--yes", "--tag", "politik")
    assert result.exit_code == 0 and result.stderr == "Removed 2 articles.\n"
    assert names(cli("list")) == ["sport", "eco", "old"]
    assert cli("search", "budget").stdout == ""
    by_id = cli("rm", "-y", A["old"].id[:6])
    assert by_id.exit_code == 0 and names(cli("list")) == ["sport", "eco"]
    assert cli("rm", "-y", "--tag", "nothing").stderr == (
        "newscli: no tag 'nothing' in this archive\nNo articles match; nothing removed.\n")


def test_rm_needs_ids_or_filters(cli, corpus):
    result = cli("rm", "--yes")
    assert result.exit_code == 2 and "say what to remove" in result.stderr
    assert cli("rm", "-y", "ffffffff").exit_code == 1


def test_reindex(cli, corpus, store_path):
    result = cli("reindex")
    assert (result.exit_code, result.stderr) == (0, f"Indexed 5 articles from {store_path}.\n")


def test_show_pages_long_articles_on_a_real_terminal(tmp_path):
    from newscli.output.screen import Screen

    class Tty(io.StringIO):
        def isatty(self):
            return True

    paged = tmp_path / "paged.txt"
    record = make_article(1, body="\n\n".join(f"Paragraph {n}." for n in range(40))).to_record()
    env = {"PAGER": f"cat > {paged}", "LINES": "20", "COLUMNS": "60", "TERM": "xterm"}
    out = Tty()
    Screen(env, stdout=out).article(record, pager=True)
    assert out.getvalue() == "" and "Paragraph 39." in paged.read_text()
    out = Tty()
    Screen(env, stdout=out).article(record, pager=False)
    assert "Paragraph 39." in out.getvalue()
    short = make_article(2).to_record()
    out = Tty()
    Screen(env, stdout=out).article(short, pager=True)
    assert "Second paragraph." in out.getvalue()


def test_completion_offers_tag_and_source_names(corpus, store_path, monkeypatch):
    from newscli.cli.completion import names as complete

    class Ctx:
        params = {"store": str(store_path)}

        def find_root(self):
            return self

    assert complete(Ctx(), "tag", "Po") == ["Politik"]
    assert complete(Ctx(), "tag", "po") == ["politik"]  # as typed: filters ignore case anyway
    assert complete(Ctx(), "tag", "#e") == ["#economie", "#eu"]  # equal counts: by folded name
    assert complete(Ctx(), "source", "") == ["Chas Pravdy", "Kyiv Post", "Le Monde"]
    Ctx.params = {"store": str(store_path.parent / "missing.jsonl")}
    assert complete(Ctx(), "tag", "") == []
