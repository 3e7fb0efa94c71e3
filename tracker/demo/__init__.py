"""The demo: the whole way over the bundled sample, served from 127.0.0.1."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import sqlite_utils

from ..collect.run import SourceResult, fetch_sources
from ..config import Config
from .server import serve

__all__ = ["fetch_sample", "summary", "serve"]

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
              "http.retries": 1}
    return dataclasses.replace(config, values=values, sources=[], path=None)


def fetch_sample(db: sqlite_utils.Database, config: Config, workdir: Path, tagger=None,
                 rounds: int = 2) -> list[list[SourceResult]]:
    """Fetch the sample `rounds` times from one server: the second round shows the
    conditional requests and that nothing is stored twice."""
    with serve() as base:
        config = demo_config(config, base, workdir)
        return [fetch_sources(db, config, tagger=tagger) for _ in range(rounds)]


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
