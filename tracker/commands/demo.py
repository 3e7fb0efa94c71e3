"""`tracker demo`: the whole way over the bundled offline sample."""

from __future__ import annotations

import sys

import click

from .. import output
from ..cli import AppContext, pass_app
from ..deliver.digest import build_digest, parse_day
from ..deliver.render import render_text
from ..demo import run_sample, summary
from ..pipeline import optional_tagger
from ..store import query as store
from .collect import format_result


@click.command()
@click.option("--tag/--no-tag", default=True, show_default=True,
              help="Tag entities and events (needs the NLP model).")
@click.option("--daemon-seconds", type=click.FloatRange(min=0), default=6.0, show_default=True,
              help="Then run the daemon this long while one more article is published (0: skip).")
@pass_app
def demo(app: AppContext, tag: bool, daemon_seconds: float) -> None:
    """Serve the bundled sample on 127.0.0.1, fetch it, and show what tracker found."""
    tagger = optional_tagger(app.config, tag)
    app.db  # noqa: B018 - create the database before the daemon opens it
    run = run_sample(app.db, app.db_path, app.config, tagger, daemon_seconds)
    first, second = run.first, run.second
    width = max(len(r.name) for r in first)
    click.secho("== 1. First fetch of the sample sources (served on 127.0.0.1)", bold=True)
    for r in first:
        click.echo(format_result(r, width))
    click.secho("\n== 2. Second fetch: conditional requests, nothing stored twice", bold=True)
    for r in second:
        click.echo(format_result(r, width))
    if daemon_seconds:
        click.secho(f"\n== 3. `tracker run` for {daemon_seconds:g}s while a new article "
                    "appears in the feed (log above on stderr)", bold=True)
        click.echo(f"daemon exited with code {run.daemon_exit}")
    click.secho(f"\n== 4. The database {app.db_path} now holds", bold=True)
    for name, value in summary(app.db).items():
        click.echo(f"  {name:<10} {value}")
    click.secho("\n== 5. Timeline: `tracker timeline`", bold=True)
    click.echo(output.render(store.events(app.db, ""), "event", "table"), nl=False)
    click.secho("\n== 6. Search: `tracker search 'mining type:crackdown'`", bold=True)
    click.echo(output.render(store.search(app.db, "mining type:crackdown"), "hit", "table"),
               nl=False)
    click.secho("\n== 7. Today's digest: `tracker digest --date today`", bold=True)
    day = parse_day("today", app.config)
    click.echo(render_text(build_digest(app.db, app.config, day)))
    if any(r.failed for r in first + second) or run.daemon_exit:
        sys.exit(1)


COMMANDS = [demo]
