"""init, ingest, export: the store's own commands."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import click

from ..cli import AppContext, pass_app, warn
from ..ingest import ingest_paths
from ..pipeline import tagging
from ..sources import load_sources, source_zones, sync_sources
from ..store.db import schema_version
from ..store.export import iter_documents


@click.command()
@pass_app
def init(app: AppContext) -> None:
    """Create or migrate the database and load the configured sources."""
    db = app.db  # opening migrates
    sources = load_sources(app.config)
    sync_sources(db, sources)
    click.echo(f"Database {app.db_path} at schema version {schema_version(db)}; "
               f"{len(sources)} sources configured.")


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--source", "source_name", help="Source name to record (default: the file's name).")
@click.option("--tag/--no-tag", default=True, show_default=True,
              help="Tag entities and events (needs the spaCy model).")
@pass_app
def ingest(app: AppContext, paths: tuple[Path, ...], source_name: str | None, tag: bool) -> None:
    """Ingest local files: feeds (.xml .rss .atom .rdf), pages (.html), JSON Lines (.jsonl).

    Folders are walked; .gz files are read compressed. Already stored documents are skipped."""
    with tagging(app.config, tag) as tagger:
        results = ingest_paths(app.db, app.config, list(paths), tagger, source_name)
    failed = 0
    for r in results:
        if r.error:
            failed += 1
            click.echo(f"FAILED  {r.error}", err=True)
            continue
        c = r.counts
        line = f"{r.path}: {c.new} new, {c.duplicate} already stored"
        click.echo(line + (f" ({r.warning})" if r.warning else ""))
    total_new = sum(r.counts.new for r in results)
    total_dup = sum(r.counts.duplicate for r in results)
    click.echo(f"{len(results)} files: {total_new} new documents, {total_dup} already stored"
               + (", nothing new" if results and not total_new else "")
               + (f", {failed} files failed" if failed else ""))
    if failed:
        sys.exit(1)


@click.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl",
              show_default=True)
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-",
              help="File to write (default: standard output).")
@pass_app
def export(app: AppContext, fmt: str, output) -> None:
    """Every stored document, for backup and analysis."""
    rows = iter_documents(app.db, source_zones(app.config, warn))
    if fmt == "jsonl":
        for row in rows:
            output.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    writer = None
    for row in rows:
        if writer is None:
            writer = csv.DictWriter(output, fieldnames=list(row))
            writer.writeheader()
        writer.writerow(row)


COMMANDS = [init, ingest, export]
