"""`newscli list` and `newscli show`: find and read articles."""

from __future__ import annotations

from datetime import datetime
from typing import List, Optional

import typer

from newscli.cli.app import app, runtime
from newscli.dates import parse_user_date
from newscli.dumpfmt import format_dump
from newscli.errors import UsageError
from newscli.model import Article
from newscli.query import Filters, newest_first, resolve_id
from newscli.store import Store


@app.command("list")
def list_command(
    ctx: typer.Context,
    tag: List[str] = typer.Option([], "--tag", "-t", metavar="TAG", help="Only articles with this tag (repeat: all must match; '#' optional, any case)."),
    source: Optional[str] = typer.Option(None, "--source", "-s", help="Only articles from this source (any case)."),
    lang: Optional[str] = typer.Option(None, "--lang", metavar="CODE", help="Only articles in this language (ISO 639-1: de, en, uk, ...)."),
    since: Optional[str] = typer.Option(None, "--since", metavar="DATE", help="Published on or after DATE (2025-08-01, '1 Aug 2025', 7d, yesterday)."),
    until: Optional[str] = typer.Option(None, "--until", metavar="DATE", help="Published on or before DATE; a bare date includes that whole day."),
    limit: int = typer.Option(20, "--limit", "-n", min=0, help="Show at most N articles (0 = all)."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array of the full records."),
) -> None:
    """List articles, newest first.

    Example: newscli list --tag Politik --since 2025-08-01 -n 50
    """
    rt = runtime(ctx)
    now = datetime.now()
    filters = Filters(
        tags=tuple(tag), source=source, lang=lang,
        since=parse_user_date(since, now=now) if since else None,
        until=parse_user_date(until, now=now, end_of_day=True) if until else None,
    )
    records = newest_first(Store(rt.store_path, rt.screen.problem).records(), filters, limit)
    rt.screen.json(records) if as_json else rt.screen.article_list(records)


@app.command("show")
def show_command(
    ctx: typer.Context,
    article_id: str = typer.Argument(..., metavar="ID", help="Article id or a unique prefix of 4+ characters."),
    as_json: bool = typer.Option(False, "--json", help="Print the full record as one JSON object."),
    raw: bool = typer.Option(False, "--raw", help="Print the article as written in its dump."),
) -> None:
    """Show one article for reading.

    Example: newscli show c37c1a0b
    """
    if as_json and raw:
        raise UsageError("--json and --raw cannot be used together")
    rt = runtime(ctx)
    record = resolve_id(Store(rt.store_path, rt.screen.problem).records(), article_id)
    if as_json:
        rt.screen.json(record)
    elif raw:
        rt.screen.raw(record.get("raw") or format_dump(Article.from_record(record)))
    else:
        rt.screen.article(record)
