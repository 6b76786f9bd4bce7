"""`newscli dups`: the stories the archive holds in more than one copy, who had each first."""

import typer

from newscli.cli import emit
from newscli.cli.app import app, runtime
from newscli.cli.options import Output, filter_options, output_options
from newscli.errors import UsageError
from newscli.index.filters import Filters

DUPS_FIELDS = ("story", "copies", "id", "published", "source", "title", "similarity")


def similarity_option(help_text: str):
    return typer.Option(None, "--min-similarity", metavar="S",
                        help=help_text + " (0-1, estimated share of the runs of words they share; default 0.4).")


def check_similarity(value):
    if value is not None and not 0 < value <= 1:
        raise UsageError(f"--min-similarity must be above 0 and at most 1, not {value}")
    from newscli.index.stories import DEFAULT_MIN_SIMILARITY
    return DEFAULT_MIN_SIMILARITY if value is None else value


@app.command("dups")
@filter_options
@output_options()
def dups_command(
    ctx: typer.Context, filters: Filters, output: Output,
    min_similarity: float = similarity_option("Copies are at least this similar"),
    limit: int = typer.Option(20, "--limit", "-n", metavar="N", help="At most N stories (0 = all)."),
) -> None:
    """Stories published more than once (wire copies, re-posts), largest first.

    In each story its copies, earliest first, with their similarity to the earliest.

    Example: newscli dups --tag Politik --since 2025-08-01
    """
    threshold = check_similarity(min_similarity)
    if limit < 0:
        raise UsageError("--limit cannot be negative")
    from newscli.index.stories import largest_first, stories
    from newscli.index.sync import session

    rt = runtime(ctx)
    with session(rt.store_path, rt.screen.problem) as index:
        found = largest_first(stories(index, filters, threshold))
        found = found[:limit] if limit else found
        records = index.records(m.place for story in found for m in story)
        rows = [{"story": n, "copies": len(story), "id": m.place.id, "published": r.get("published"),
                 "source": r.get("source"), "title": r.get("title"), "similarity": round(m.similarity, 2)}
                for n, story in enumerate(found, 1) for m, r in zip(story, records)]
    if not rows and output.format == "table":
        rt.screen.status("No copies found.")  # stderr: a pipe still reads nothing
    emit.rows(rt.screen, output, rows, DUPS_FIELDS)
