"""`tracker demo`: the whole way over the bundled offline sample."""

from __future__ import annotations

import sys

import click

from ..cli import AppContext, pass_app
from .. import output
from ..deliver.digest import build_digest, parse_day
from ..deliver.render import render_text
from ..demo import fetch_sample, summary
from ..store import query as store
from .collect import format_result, load_tagger_or_none


@click.command()
@click.option("--tag/--no-tag", default=True, show_default=True,
              help="Tag entities and events (needs the NLP model).")
@pass_app
def demo(app: AppContext, tag: bool) -> None:
    """Serve the bundled sample on 127.0.0.1, fetch it twice, and show what tracker found."""
    tagger = load_tagger_or_none(app.config, tag)
    workdir = app.db_path.parent
    first, second = fetch_sample(app.db, app.config, workdir, tagger)
    width = max(len(r.name) for r in first)
    click.secho("== 1. First fetch of the sample sources (served on 127.0.0.1)", bold=True)
    for r in first:
        click.echo(format_result(r, width))
    click.secho("\n== 2. Second fetch: conditional requests, nothing stored twice", bold=True)
    for r in second:
        click.echo(format_result(r, width))
    click.secho(f"\n== 3. The database {app.db_path} now holds", bold=True)
    for name, value in summary(app.db).items():
        click.echo(f"  {name:<10} {value}")
    click.secho("\n== 4. Timeline: `tracker timeline`", bold=True)
    click.echo(output.render(store.events(app.db, ""), "event", "table"), nl=False)
    click.secho("\n== 5. Search: `tracker search 'mining type:crackdown'`", bold=True)
    click.echo(output.render(store.search(app.db, "mining type:crackdown"), "hit", "table"),
               nl=False)
    click.secho("\n== 6. Today's digest: `tracker digest --date today`", bold=True)
    day = parse_day("today", app.config)
    click.echo(render_text(build_digest(app.db, app.config, day)))
    if any(r.failed for r in first + second):
        sys.exit(1)


COMMANDS = [demo]
