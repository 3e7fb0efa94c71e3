"""The `tracker` command: global options, error handling, and the command modules."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import click
import sqlite_utils

from .config import Config, load_config
from .errors import TrackerError
from .store.db import DEFAULT_DB, connect


@dataclass
class AppContext:
    """What every command gets: the loaded config and a lazily opened database."""

    config: Config
    db_path: Path
    _db: sqlite_utils.Database | None = field(default=None, repr=False)

    @property
    def db(self) -> sqlite_utils.Database:
        if self._db is None:
            self._db = connect(self.db_path)
        return self._db


pass_app = click.make_pass_decorator(AppContext)


def warn(message: str) -> None:
    """A problem the command works around: said on standard error, the command goes on."""
    click.echo(f"Warning: {message}", err=True)


class TrackerGroup(click.Group):
    """Turns a TrackerError anywhere below into a message and its exit code, not a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except TrackerError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)


@click.group(cls=TrackerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db_path", envvar="TRACKER_DB", default=DEFAULT_DB, show_default=True,
              type=click.Path(dir_okay=False, path_type=Path), help="SQLite database file.")
@click.option("--config", "config_path", envvar="TRACKER_CONFIG", default=None,
              type=click.Path(dir_okay=False, path_type=Path),
              help="tracker.toml (default: ./tracker.toml if present).")
@click.version_option(package_name="tracker")
@click.pass_context
def main(ctx: click.Context, db_path: Path, config_path: Path | None) -> None:
    """tracker: follow how governments regulate an industry, from feeds and web pages."""
    try:
        config = load_config(config_path)
    except TrackerError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    ctx.obj = AppContext(config=config, db_path=db_path)


def _register() -> None:
    from .commands import collect, daemon, deliver, demo, search, store, tag

    for module in (store, collect, demo, deliver, search, daemon, tag):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
