"""Documents as plain dicts, the shape of `tracker export` and of JSON document objects."""

from __future__ import annotations

from collections.abc import Iterator

import sqlite_utils


def iter_documents(db: sqlite_utils.Database, batch: int = 1000) -> Iterator[dict]:
    """All documents in id order, read in batches so memory stays flat on a large database."""
    last = 0
    while True:
        rows = db.execute(
            "SELECT id, url, guid, title, body, published_at, source, story_id, fetched_at, "
            "language, extract_status, rules_version FROM documents WHERE id > ? "
            "ORDER BY id LIMIT ?", [last, batch]).fetchall()
        if not rows:
            return
        for r in rows:
            yield {"id": r[0], "url": r[1], "guid": r[2], "title": r[3], "text": r[4],
                   "published": r[5], "source": r[6], "story": r[7], "fetched": r[8],
                   "language": r[9], "extract_status": r[10], "rules_version": r[11]}
        last = rows[-1][0]
