"""The demo: the whole way over the bundled sample, served from 127.0.0.1."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from ..collect.run import SourceResult, fetch_sources
from ..config import Config
from .server import SAMPLE, serve

__all__ = ["DemoRun", "run_sample", "summary", "serve"]

SOURCES_TOML = """\
[[source]]
name = "policy-wire"
kind = "feed"
url = "{base}/feed.xml"
schedule = "every 30m"
rhythm = "daily"
jurisdiction = "CN"

[[source]]
name = "asia-finance-daily"
kind = "page"
url = "{base}/listing.html"
schedule = "every 1h"
rhythm = "weekly"
selectors = {{ item = "li.story", link = "a.headline", title = "a.headline", date = "span.date" }}
"""


def demo_config(config: Config, base: str, workdir: Path) -> Config:
    """The user's settings, with the sample's sources and a short politeness delay (the
    server is ours and local)."""
    sources = workdir / "demo-sources.toml"
    sources.write_text(SOURCES_TOML.format(base=base), encoding="utf-8")
    values = {**config.values, "rules.sources": str(sources.resolve()), "http.host_delay": 0.05,
              "http.retries": 1, "daemon.jitter": 0}
    return dataclasses.replace(config, values=values, sources=[], path=None)


@dataclass
class DemoRun:
    first: list[SourceResult]
    second: list[SourceResult]
    daemon_exit: int | None = None


def run_sample(db: sqlite_utils.Database, db_path: Path, config: Config, tagger=None,
               daemon_seconds: float = 0) -> DemoRun:
    """Fetch the sample twice from one server (the second time nothing is new), then, with
    `daemon_seconds`, publish one more article and let the daemon run that long."""
    with serve() as site:
        config = demo_config(config, site.base, db_path.parent)
        run = DemoRun(fetch_sources(db, config, tagger=tagger),
                      fetch_sources(db, config, tagger=tagger))
        if daemon_seconds:
            from ..daemon import Daemon

            site.overlay = SAMPLE / "later"
            run.daemon_exit = Daemon(db_path, config, tagger=tagger,
                                     duration=daemon_seconds).run()
    return run


def summary(db: sqlite_utils.Database) -> dict[str, int]:
    queries = {
        "documents": "SELECT count(*) FROM documents",
        "stories": "SELECT count(DISTINCT story_id) FROM documents",
        "entities": "SELECT count(*) FROM entities",
        "mentions": "SELECT count(*) FROM mentions",
        "events": "SELECT count(*) FROM events",
        "sources": "SELECT count(*) FROM sources",
    }
    return {name: db.execute(sql).fetchone()[0] for name, sql in queries.items()}
