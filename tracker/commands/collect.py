"""fetch, sources list, sources check: collection's commands."""

from __future__ import annotations

import sys

import click

from ..cli import AppContext, pass_app
from ..collect.run import CheckResult, SourceResult, check_sources, fetch_sources
from ..output import print_columns
from ..pipeline import tagging
from ..sources import load_sources, sync_sources


def format_result(r: SourceResult, width: int) -> str:
    if r.failed:
        what = f"FAILED {r.reason}: {r.error}"
    elif r.unchanged:
        what = "unchanged (not modified)"
    else:
        what = f"{r.new} new, {r.duplicate} already stored"
        what += f", {r.pending} pending" if r.pending else ""
        what += f", {r.recovered} recovered" if r.recovered else ""
    line = f"{r.name:<{width}}  {what}"
    line += f"  [{r.status}]" if r.failed else ""
    line += f"  ({r.warning})" if r.warning and not r.failed else ""
    return f"{line}  {r.elapsed:.1f}s"


@click.command()
@click.option("--source", "names", multiple=True, metavar="NAME",
              help="Fetch only this source (repeatable); default: every enabled source.")
@click.option("--tag/--no-tag", default=True, show_default=True,
              help="Tag entities and events (needs the NLP model).")
@pass_app
def fetch(app: AppContext, names: tuple[str, ...], tag: bool) -> None:
    """Fetch the configured sources once: fetch, parse, dedupe, extract, tag, store."""
    with tagging(app.config, tag) as tagger:
        results = fetch_sources(app.db, app.config, list(names) or None, tagger)
    width = max((len(r.name) for r in results), default=0)
    for r in results:
        click.echo(format_result(r, width))
    failed = [r.name for r in results if r.failed]
    new = sum(r.new for r in results)
    unchanged = sum(r.unchanged for r in results)
    click.echo(f"{len(results)} sources: {new} new documents, {unchanged} unchanged, "
               f"{len(failed)} failed")
    if failed:
        click.echo(f"Error: {len(failed)} source(s) failed: {', '.join(failed)}", err=True)
        sys.exit(1)


@click.group()
def sources() -> None:
    """Configured sources and their health."""


@sources.command("list")
@pass_app
def list_sources(app: AppContext) -> None:
    """Name, kind, schedule, status, last success, consecutive failures, documents."""
    configured = load_sources(app.config)
    sync_sources(app.db, configured)
    rows = {r[0]: r for r in app.db.execute(
        "SELECT name, status, last_success_at, consecutive_failures, last_error FROM sources")}
    docs = dict(app.db.execute("SELECT source, count(*) FROM documents GROUP BY source").fetchall())
    table = [("NAME", "KIND", "SCHEDULE", "STATUS", "LAST SUCCESS", "FAILS", "DOCS")]
    for s in configured:
        _, status, success, fails, _ = rows.get(s.name, (s.name, "new", None, 0, None))
        status = status if s.enabled else "disabled"
        table.append((s.name, s.kind, s.schedule, status, (success or "never")[:16],
                      str(fails), str(docs.get(s.name, 0))))
    print_columns(table)
    errors = [(s.name, rows[s.name][4]) for s in configured
              if s.name in rows and rows[s.name][4]]
    for name, error in errors:
        click.echo(f"{name}: last error: {error}")


@sources.command("check")
@click.option("--source", "names", multiple=True, metavar="NAME", help="Check only this source.")
@pass_app
def check(app: AppContext, names: tuple[str, ...]) -> None:
    """Fetch each source once without storing: ok, quiet, unreachable or broken."""
    results = check_sources(app.db, app.config, list(names) or None)
    width = max((len(r.name) for r in results), default=0)
    for r in results:
        click.echo(_check_line(r, width))
    counts = {v: sum(r.verdict == v for r in results)
              for v in ("ok", "quiet", "unreachable", "broken")}
    click.echo(f"{len(results)} sources: " + ", ".join(f"{n} {v}" for v, n in counts.items()))
    bad = [r.name for r in results if r.verdict in ("unreachable", "broken")]
    if bad:
        click.echo(f"Error: {len(bad)} source(s) unreachable or broken: {', '.join(bad)}",
                   err=True)
        sys.exit(1)


def _check_line(r: CheckResult, width: int) -> str:
    detail = r.detail if len(r.detail) <= 120 else r.detail[:117] + "..."
    return f"{r.name:<{width}}  {r.verdict:<11}  {detail}"


COMMANDS = [fetch, sources]
