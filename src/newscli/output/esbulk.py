"""Elasticsearch/OpenSearch hand-off: `_bulk` NDJSON and the mapping to create the index with.

Each article is two lines: an `index` action whose `_id` is the article id (loading the same
file twice replaces, never doubles), then the record itself, every key as `export -f jsonl`
writes it. The mapping (docs/scale-out.md) types what the engines would otherwise guess:
keywords for what is matched exactly, `date` for the times, and for title and body a
standard-analysed text with one sub-field per language that has a built-in analyzer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from newscli.errors import UsageError
from newscli.output.inert import to_json

# Built into Elasticsearch and OpenSearch alike. Polish and Ukrainian need a plugin
# (analysis-stempel, analysis-ukrainian); their articles are searched through the standard
# analyzer of `title`/`body`, which every engine has.
LANGUAGE_ANALYZERS = {"de": "german", "en": "english", "fr": "french", "es": "spanish",
                      "it": "italian", "ru": "russian"}
PLUGIN_ANALYZERS = {"pl": ("polish", "analysis-stempel"), "uk": ("ukrainian", "analysis-ukrainian")}

# https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-create-index.html
_BAD_INDEX = re.compile(r'[\\/*?"<>| ,#:A-Z]')


def check_index_name(name: str) -> str:
    """The engines' rules for an index name, so a bad one fails here and not at load time."""
    if (not name or name in (".", "..") or name[0] in "-_+" or _BAD_INDEX.search(name)
            or len(name.encode("utf-8")) > 255):
        raise UsageError(f"--index {name!r} is not a valid index name: lowercase, at most 255 bytes, "
                         "not starting with - _ +, none of \\ / * ? \" < > | , # : or spaces")
    return name


def bulk(records: Iterable[dict], index: str | None = None,
         fields: Sequence[str] | None = None) -> Iterator[str]:
    """Two NDJSON lines per record; without `index`, the URL names it (POST /news/_bulk).
    JSON escapes control characters, so the lines are safe on a terminal too."""
    target = {"_index": index} if index else {}
    for record in records:
        yield to_json({"index": {**target, "_id": record["id"]}}, indent=None) + "\n"
        yield to_json(record if fields is None else {f: record.get(f) for f in fields}, indent=None) + "\n"


def mapping(languages: dict[str, str] | None = None) -> dict:
    """The body of `PUT /news` (settings are the engine's defaults)."""
    analyzers = LANGUAGE_ANALYZERS if languages is None else languages

    def text() -> dict:
        return {"type": "text", "analyzer": "standard",
                "fields": {lang: {"type": "text", "analyzer": name} for lang, name in analyzers.items()}}

    # A keyword over Lucene's term limit (32,766 bytes) would fail its whole document; past
    # 8,191 characters (4 bytes each at most) it is kept in _source but not indexed instead.
    keyword = {"type": "keyword", "ignore_above": 8191}
    return {"mappings": {"dynamic": "strict", "properties": {
        "id": keyword,
        "title": text(),
        "source": keyword,
        # strict_date_optional_time reads every form a record has: a date, a naive time, an offset.
        "published": {"type": "date", "format": "strict_date_optional_time"},
        "lang": keyword,
        "tags": keyword,
        "body": text(),
        "source_label": keyword,
        "raw": {"type": "text", "index": False},
        "file": keyword,
        "first_line": {"type": "long"},  # as Parquet's int64: a dump may outgrow 32 bits
        "last_line": {"type": "long"},
        "ingested_at": {"type": "date", "format": "strict_date_optional_time"},
        "labels": keyword,  # in an archive with labels (newscli tag), as export gives them
    }}}
