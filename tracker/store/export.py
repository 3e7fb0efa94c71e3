"""Documents as plain dicts, the shape of `tracker export` and of JSON document objects."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime, tzinfo

import sqlite_utils

SINCE = "coalesce(published_at, fetched_at) >= ? AND "


def iter_documents(db: sqlite_utils.Database, zones: Mapping[str, tzinfo] | None = None,
                   since: str | None = None, batch: int = 1000) -> Iterator[dict]:
    """Documents (published or fetched on/after `since`) in id order, read in batches so
    memory stays flat on a large database. `published` is shown in the source's zone
    (`zones`, by source name; else UTC as stored), so it keeps the day the source wrote."""
    last, zones = 0, zones or {}
    while True:
        rows = db.execute(
            "SELECT id, url, guid, title, body, published_at, source, story_id, fetched_at, "
            f"language, extract_status, rules_version FROM documents WHERE {SINCE if since else ''}"
            "id > ? ORDER BY id LIMIT ?", [*([since] if since else []), last, batch]).fetchall()
        if not rows:
            return
        for r in rows:
            yield {"id": r[0], "url": r[1], "guid": r[2], "title": r[3], "text": r[4],
                   "published": _in_zone(r[5], zones.get(r[6])), "source": r[6],
                   "story": r[7], "fetched": r[8], "language": r[9], "extract_status": r[10],
                   "rules_version": r[11]}
        last = rows[-1][0]


def count_documents(db: sqlite_utils.Database, since: str | None = None) -> int:
    sql = "SELECT count(*) FROM documents WHERE " + (SINCE if since else "") + "1"
    return db.execute(sql, [since] if since else []).fetchone()[0]


def _in_zone(stamp: str | None, zone: tzinfo | None) -> str | None:
    if not stamp or zone is None:
        return stamp
    try:
        return datetime.fromisoformat(stamp).astimezone(zone).isoformat()
    except ValueError:
        return stamp
