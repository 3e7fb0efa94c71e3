"""Documents as plain dicts, the shape of `tracker export` and of JSON document objects."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import tzinfo

import sqlite_utils

from .db import stored_time

# the day the source dated it, else the day it was fetched
SINCE = "coalesce(published_day, substr(fetched_at, 1, 10)) >= ? AND "


def stored_documents(db: sqlite_utils.Database, zones: Mapping[str, tzinfo] | None = None,
                     since: str | None = None, batch: int = 1000) -> Iterator[dict]:
    """Documents dated or fetched on/after the day `since`, in id order, read in batches so
    memory stays flat on a large database; `published` is a datetime on the source's own day
    (see `stored_time`; `zones` by source name)."""
    last, zones = 0, zones or {}
    while True:
        rows = db.execute(
            "SELECT id, url, guid, title, body, published_at, published_day, source, story_id, "
            "fetched_at, language, extract_status, rules_version FROM documents WHERE "
            f"{SINCE if since else ''}id > ? ORDER BY id LIMIT ?",
            [*([since] if since else []), last, batch]).fetchall()
        if not rows:
            return
        for r in rows:
            yield {"id": r[0], "url": r[1], "guid": r[2], "title": r[3], "text": r[4],
                   "published": stored_time(r[5], r[6], zones.get(r[7])), "day": r[6],
                   "source": r[7], "story": r[8], "fetched": r[9], "language": r[10],
                   "extract_status": r[11], "rules_version": r[12]}
        last = rows[-1][0]


def iter_documents(db: sqlite_utils.Database, zones: Mapping[str, tzinfo] | None = None,
                   batch: int = 1000) -> Iterator[dict]:
    """Every document for export: `published` in ISO 8601 with its source's offset, so an
    ingest of the file keeps the day the source dated it."""
    for doc in stored_documents(db, zones, batch=batch):
        yield dict(doc, published=doc["published"] and doc["published"].isoformat())


def count_documents(db: sqlite_utils.Database, since: str | None = None) -> int:
    sql = "SELECT count(*) FROM documents WHERE " + (SINCE if since else "") + "1"
    return db.execute(sql, [since] if since else []).fetchone()[0]
