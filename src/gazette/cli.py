"""The command line: ``gazette serve | init | import | clip | feeds | search | show | list |
export | reindex | stats``."""

from __future__ import annotations

import html
import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from gazette import __version__
from gazette.archive import Archive, ArchiveError
from gazette.ingest import IMPORTERS, ImportFailure
from gazette.model import ImportSummary, PostSummary, SearchResult

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def say(kind: str, message: str) -> None:
    """One line on stderr: ``error: …``, ``warning: …`` or ``note: …`` (never markup)."""
    style = {"error": "bold red", "warning": "yellow"}.get(kind, "dim")
    err.print(Text.assemble((f"{kind}: ", style), message), soft_wrap=True)


def fail(message: str) -> NoReturn:
    """Print one clear line and exit non-zero."""
    say("error", message)
    sys.exit(1)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the errors a user can fix into one line on stderr and exit status 1."""
    try:
        yield
    except (ArchiveError, ImportFailure) as error:
        fail(str(error))


def open_archive(ctx: click.Context, *, create: bool = False) -> Archive:
    archive = Archive.open(ctx.obj["data"], create=create)
    ctx.call_on_close(archive.close)
    for note in archive.notes:
        say("note", note)
    return archive


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr (only drawn on a terminal); yields an update function."""
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn()]
    with Progress(*columns, TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def emit_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def snippet_text(snippet: str) -> Text:
    """A search snippet's HTML (escaped text, ``<mark>`` around matches) as terminal text."""
    text = Text()
    for index, part in enumerate(_MARK.split(snippet)):
        text.append(html.unescape(part), style="bold yellow" if index % 2 else None)
    return text


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="GAZETTE_DATA",
    help="Data folder (default ./gazette-data, or $GAZETTE_DATA).",
)
@click.version_option(__version__, prog_name="gazette")
@click.pass_context
def main(ctx: click.Context, data: Path | None) -> None:
    """Gazette: a searchable archive of news clippings, published as a blog."""
    ctx.obj = {"data": data}


@main.command()
@click.pass_context
def init(ctx: click.Context) -> None:
    """Create an empty archive in the data folder."""
    with user_errors():
        archive = open_archive(ctx, create=True)
        archive.index  # noqa: B018 - creating the index is the point
        out.print(f"Archive ready in {archive.data_dir}")


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format", "format_name", type=click.Choice(sorted(IMPORTERS)), help="Skip detection."
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def import_(ctx: click.Context, paths: tuple[Path, ...], format_name: str | None, as_json: bool):
    """Import posts from files (the format is detected)."""
    summaries: list[ImportSummary] = []
    with user_errors():
        archive = open_archive(ctx, create=True)
        for path in paths:
            try:
                with progress_bar(f"Importing {path.name}") as update:
                    summaries.append(archive.import_file(path, format_name, update))
            except ImportFailure as error:
                failed = ImportSummary(source=str(path), format=format_name or "?", failed=1)
                failed.errors.append(str(error))
                summaries.append(failed)
    if as_json:
        emit_json([vars(summary) for summary in summaries])
    else:
        print_import_summaries(summaries)
    if any(not summary.ok for summary in summaries):
        sys.exit(1)


@main.command()
@click.argument("source")
@click.option("--post", "into", type=int, help="Add the article to this post instead.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def clip(ctx: click.Context, source: str, into: int | None, as_json: bool) -> None:
    """Clip a news article from a web page (URL or saved HTML file) into the archive."""
    with user_errors():
        summary = open_archive(ctx, create=True).clip(source, into)
    if as_json:
        emit_json([vars(summary)])
    else:
        print_import_summaries([summary])
    if not summary.ok:
        sys.exit(1)


def print_import_summaries(summaries: list[ImportSummary]) -> None:
    table = Table("source", "format", "added", "updated", "unchanged", "skipped", "failed")
    for s in summaries:
        counts = (s.added, s.updated, s.unchanged, s.skipped, s.failed)
        table.add_row(s.source, s.format, *map(str, counts))
    out.print(table)
    for summary in summaries:
        for warning in summary.warnings:
            say("warning", warning)
        for error in summary.errors:
            say("error", error)


@main.command()
@click.argument("query")
@click.option("--by-date", is_flag=True, help="Newest first instead of best first.")
@click.option("--oldest-first", is_flag=True, help="Oldest first (implies --by-date).")
@click.option("--related", is_flag=True, help="Also search words from the best matches (RM3).")
@click.option("--page", default=1, show_default=True, type=click.IntRange(min=1))
@click.option("--per-page", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.pass_context
def search(
    ctx: click.Context,
    query: str,
    by_date: bool,
    oldest_first: bool,
    related: bool,
    page: int,
    per_page: int,
    as_json: bool,
) -> None:
    """Search the archive (see 'docs/query-language.md' for the syntax)."""
    sort = "date-asc" if oldest_first else "date" if by_date else "relevance"
    with user_errors():
        result = open_archive(ctx).search(
            query, sort=sort, page=page, per_page=per_page, related=related
        )
    if as_json:
        emit_json(result.to_json())
    else:
        print_search_result(result)


def print_search_result(result: SearchResult) -> None:
    order = "relevance" if result.sort == "relevance" else "date"
    plural = "post" if result.total == 1 else "posts"
    out.print(
        Text.assemble(
            "Showing posts sorted by ",
            (order, "bold"),
            " for query ",
            (result.query, "bold"),
            f" — {result.total} {plural}",
            " with every word, and more with some" if result.more else "",
            f", page {result.page} of {result.pages}",
        )
    )
    for note in result.notes:
        out.print(Text(f"note: {note}", style="italic"))
    first = (result.page - 1) * result.per_page
    separated = False
    for number, hit in enumerate(result.hits, first + 1):
        out.print()
        if not hit.matches_all and not separated:  # the some-word matches follow the others
            out.print(Text("— posts that match some of the words —", style="italic"))
            out.print()
            separated = True
        labels = f"  [{', '.join(hit.labels)}]" if hit.labels else ""
        out.print(
            Text.assemble(
                f"{number:>3}. ",
                (hit.title, "bold"),
                f"  {hit.published:%Y-%m-%d}{labels}",
            )
        )
        out.print(Text(f"     {hit.url}  (id {hit.id})", style="dim"))
        out.print(Text("     ").append_text(snippet_text(hit.snippet)))
        if hit.versions:
            count = len(hit.versions)
            out.print(Text(f"     + {count} other version{'s' if count > 1 else ''}:"))
            for version in hit.versions:
                out.print(Text(f"       {listed(version)}", style="dim"))


@main.command()
@click.argument("post")
@click.option("--json", "as_json", is_flag=True, help="Print the post as JSON.")
@click.pass_context
def show(ctx: click.Context, post: str, as_json: bool) -> None:
    """Show one post, by id or by its path (/YYYY/MM/slug)."""
    with user_errors():
        archive = open_archive(ctx)
        found = archive.get(int(post)) if post.isdigit() else archive.get_by_path(post)
        if found is None:
            fail(f"no post {post!r} in {archive.data_dir}")
    neighbours = archive.neighbours(found.id)
    if as_json:
        shown = neighbours.post_json(found)
        shown["origin"]["path"] = found.source_path
        emit_json({**shown, "status": found.status})
        return
    out.print(Text(found.title, style="bold"))
    details = [f"{found.published:%A, %B %d, %Y}", found.path, f"id {found.id}", found.status]
    if found.labels:
        details.append("labels: " + ", ".join(found.labels))
    out.print(Text(" · ".join(details), style="dim"))
    out.print()
    out.print(found.body_text, markup=False)
    for clip in found.clips:
        if clip.position in neighbours.versions:
            out.print()
            out.print(Text(f"Other versions of “{clip.headline}”:", style="bold"))
            for version in neighbours.versions[clip.position]:
                outlet = f" ({version.outlet})" if version.outlet else ""
                out.print(Text(f"  {version.headline}{outlet} — {listed(version.post)}"))
    if neighbours.related:
        out.print()
        out.print(Text("Related posts:", style="bold"))
        for other in neighbours.related:
            out.print(Text(f"  {listed(other)}"))


def listed(post: PostSummary) -> str:
    """One line for a post in a list: title, date, path, id."""
    return f"{post.title}  {post.published:%Y-%m-%d}  {post.path}  (id {post.id})"


@main.command("list")
@click.option("--page", default=1, show_default=True, type=click.IntRange(min=1))
@click.option("--per-page", default=20, show_default=True, type=click.IntRange(1, 100))
@click.option("--json", "as_json", is_flag=True, help="Print the posts as JSON.")
@click.pass_context
def list_(ctx: click.Context, page: int, per_page: int, as_json: bool) -> None:
    """List published posts, newest first."""
    with user_errors():
        posts = open_archive(ctx).list_posts(page, per_page)
    if as_json:
        emit_json([p.to_json() for p in posts])
        return
    table = Table("id", "date", "title", "labels")
    for p in posts:
        table.add_row(str(p.id), f"{p.published:%Y-%m-%d}", p.title, ", ".join(p.labels))
    out.print(table)


@main.command("export")
@click.option(
    "--format",
    "format_name",
    type=click.Choice(["jsonl", "markdown"]),
    default="jsonl",
    show_default=True,
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="JSON Lines: a file (default: stdout). Markdown: a folder (required).",
)
@click.pass_context
def export_(ctx: click.Context, format_name: str, output: Path | None) -> None:
    """Export every post: JSON Lines (a backup 'gazette import' restores) or Markdown files."""
    from gazette.export import export_jsonl, export_markdown

    with user_errors():
        archive = open_archive(ctx)
        try:
            if format_name == "markdown":
                if output is None:
                    fail("--format markdown needs -o FOLDER")
                count = export_markdown(archive, output)
            else:
                target = str(output or "-")
                with click.open_file(target, "w", encoding="utf-8", atomic=True) as out:
                    count = export_jsonl(archive, out)
        except (OSError, ValueError) as error:
            fail(str(error))
    say("note", f"exported {count} posts")  # on stderr: stdout stays pure JSON Lines


@main.group()
def feeds() -> None:
    """Follow RSS and Atom feeds: new entries become posts."""


@feeds.command("add")
@click.argument("url")
@click.option("--label", help="Give every post from this feed this label.")
@click.pass_context
def feeds_add(ctx: click.Context, url: str, label: str | None) -> None:
    """Subscribe to a feed (adding it again changes its label)."""
    from gazette.subscriptions import add_feed

    with user_errors():
        try:
            feed = add_feed(open_archive(ctx, create=True), url, label)
        except ValueError as error:
            fail(str(error))
    out.print(f"Following {feed.url}" + (f" (label {feed.label})" if feed.label else ""))


@feeds.command("remove")
@click.argument("feed")
@click.pass_context
def feeds_remove(ctx: click.Context, feed: str) -> None:
    """Stop following a feed (by URL or id); its posts stay."""
    from gazette.subscriptions import remove_feed

    with user_errors():
        removed = remove_feed(open_archive(ctx), feed)
    if removed is None:
        fail(f"no feed {feed!r}")
    out.print(f"No longer following {removed.url}")


@feeds.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the feeds as JSON.")
@click.pass_context
def feeds_list(ctx: click.Context, as_json: bool) -> None:
    """The feeds followed, and what their last poll found."""
    from gazette.subscriptions import list_feeds

    with user_errors():
        found = list_feeds(open_archive(ctx))
    if as_json:
        emit_json(
            [{**vars(f), "last_polled": f.last_polled and f.last_polled.isoformat()} for f in found]
        )
        return
    table = Table("id", "url", "label", "last polled", "status", "error")
    for f in found:
        polled = f"{f.last_polled:%Y-%m-%d %H:%M}" if f.last_polled else "never"
        table.add_row(
            str(f.id), f.url, f.label or "", polled, str(f.last_status or ""), f.error or ""
        )
    out.print(table)


@feeds.command("poll")
@click.option("--timeout", default=20.0, show_default=True, help="Seconds per feed.")
@click.pass_context
def feeds_poll(ctx: click.Context, timeout: float) -> None:
    """Fetch every feed (conditional GET) and import new and changed entries."""
    from gazette.subscriptions import poll

    with user_errors():
        results = poll(open_archive(ctx), timeout=timeout)
    for result in results:
        say("error" if result.status == "error" else "note", f"{result.feed.url}: {result.message}")
    if any(result.status == "error" for result in results):
        sys.exit(1)


@main.command()
@click.pass_context
def reindex(ctx: click.Context) -> None:
    """Rebuild the search index from the store."""
    with user_errors():
        archive = open_archive(ctx)
        with progress_bar("Reindexing") as update:
            count = archive.reindex(update)
    out.print(f"Indexed {count} posts.")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Counts, sizes, and whether the index agrees with the store."""
    with user_errors():
        figures = open_archive(ctx).stats()
    if as_json:
        emit_json({**vars(figures), "data_dir": str(figures.data_dir), "drift": figures.drift})
        return
    table = Table("", "", show_header=False, box=None)
    for name, value in vars(figures).items():
        table.add_row(name.replace("_", " "), str(value))
    table.add_row("drift", "yes: run 'gazette reindex'" if figures.drift else "none")
    out.print(table)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=8080, show_default=True, type=click.IntRange(0, 65535), help="Port."
)
@click.option("--samples", is_flag=True, help="First import the sample posts (idempotent).")
@click.option("--access-log", is_flag=True, help="Log every request.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, samples: bool, access_log: bool) -> None:
    """Serve the archive as a blog, with feeds and a JSON API (Ctrl-C stops it)."""
    from gazette.web.samples import load_samples  # imported here: other commands stay fast
    from gazette.web.server import serve as serve_archive

    with user_errors():
        archive = open_archive(ctx, create=samples)
        if samples:
            summary = load_samples(archive)
            out.print(
                f"Sample posts: {summary.added} added, {summary.updated} updated, "
                f"{summary.unchanged} unchanged"
            )
            for error in summary.errors:
                say("error", error)
        serve_archive(archive, host, port, access_log)
