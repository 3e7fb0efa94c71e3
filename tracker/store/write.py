"""Write documents and their tags. Each document is one transaction, so a crash leaves
either the whole document (with its mentions and events) or nothing."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import sqlite_utils

from ..dedupe import distance, overlap
from ..errors import Duplicate
from ..models import Document, Entity, Event, Tagged
from .db import day, iso, now_iso, transaction

DEFAULT_NEAR_DISTANCE = 12
DEFAULT_OVERLAP = 0.5
DEFAULT_STORY_DAYS = 7
STORY_CANDIDATES = 5


@dataclass
class TagDiff:
    added: Counter = field(default_factory=Counter)  # event type -> count
    removed: Counter = field(default_factory=Counter)
    failed: int = 0  # documents tagging could not run on (their stored tags were kept)

    def __iadd__(self, other: TagDiff) -> TagDiff:
        self.added.update(other.added)
        self.removed.update(other.removed)
        self.failed += other.failed
        return self


def find_duplicate(db: sqlite_utils.Database, doc: Document) -> Duplicate | None:
    """The reason `doc` is already stored, or None. Identical text from another source is
    not a duplicate: it joins the same story, so readers see who else reported it."""
    checks = [
        ("url", "SELECT id FROM documents WHERE url = ?", [doc.url]),
        ("guid", "SELECT id FROM documents WHERE source = ? AND guid = ?", [doc.source, doc.guid]),
        ("content", "SELECT id FROM documents WHERE content_hash = ? AND source = ?",
         [doc.content_hash, doc.source]),
    ]
    for reason, sql, params in checks:
        if reason == "guid" and not doc.guid:
            continue
        row = db.execute(sql, params).fetchone()
        if row:
            return Duplicate(reason, row[0])
    return None


def find_story(db: sqlite_utils.Database, doc: Document, near: int = DEFAULT_NEAR_DISTANCE,
               days: int = DEFAULT_STORY_DAYS, min_overlap: float = DEFAULT_OVERLAP) -> int | None:
    """The story of an earlier document with the same or nearly the same text: SimHash finds
    candidates cheaply, shingle overlap confirms them so similar boilerplate is not enough."""
    row = db.execute("SELECT story_id FROM documents WHERE content_hash = ? LIMIT 1",
                     [doc.content_hash]).fetchone()
    if row:
        return row[0]
    if not doc.simhash:
        return None
    anchor = doc.published or doc.fetched_at or datetime.now(UTC)
    lo, hi = iso(anchor - timedelta(days=days)), iso(anchor + timedelta(days=days))
    candidates = sorted(
        (distance(doc.simhash, other), doc_id) for doc_id, other in db.execute(
            "SELECT id, simhash FROM documents WHERE simhash != 0 "
            "AND coalesce(published_at, fetched_at) BETWEEN ? AND ?", [lo, hi])
    )
    for d, doc_id in candidates[:STORY_CANDIDATES]:
        if d > near:
            break
        story_id, body = db.execute("SELECT story_id, body FROM documents WHERE id = ?",
                                    [doc_id]).fetchone()
        if overlap(doc.text, body) >= min_overlap:
            return story_id
    return None


def save_document(db: sqlite_utils.Database, doc: Document, tagged: Tagged | None = None,
                  near: int = DEFAULT_NEAR_DISTANCE, story_days: int = DEFAULT_STORY_DAYS,
                  min_overlap: float = DEFAULT_OVERLAP) -> int:
    """Store one new document with its tags; raise Duplicate if it is already stored."""
    with transaction(db):
        dup = find_duplicate(db, doc)
        if dup:
            raise dup
        story = find_story(db, doc, near, story_days, min_overlap)
        cursor = db.execute(
            "INSERT INTO documents (url, guid, source, title, body, published_at, published_day, "
            "fetched_at, language, content_hash, simhash, story_id, extract_status) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [doc.url, doc.guid, doc.source, doc.title, doc.text, iso(doc.published),
             day(doc.published), iso(doc.fetched_at) or now_iso(), doc.language,
             doc.content_hash, doc.simhash, story, doc.extract_status],
        )
        doc_id = cursor.lastrowid
        if story is None:
            db.execute("UPDATE documents SET story_id = id WHERE id = ?", [doc_id])
        if tagged is not None:
            save_tags(db, doc_id, tagged)
    doc.id = doc_id
    return doc_id


def update_document(db: sqlite_utils.Database, doc_id: int, doc: Document,
                    tagged: Tagged | None) -> None:
    """Replace the text of a stored document (its article page arrived late) and its tags."""
    with transaction(db):
        db.execute(
            "UPDATE documents SET title = ?, body = ?, published_at = coalesce(?, published_at), "
            "published_day = coalesce(?, published_day), content_hash = ?, simhash = ?, "
            "extract_status = ?, extract_attempts = extract_attempts + 1 WHERE id = ?",
            [doc.title, doc.text, iso(doc.published), day(doc.published), doc.content_hash,
             doc.simhash, doc.extract_status, doc_id],
        )
        if tagged is not None:
            save_tags(db, doc_id, tagged)


def save_tags(db: sqlite_utils.Database, document_id: int, tagged: Tagged) -> TagDiff:
    """Replace one document's mentions and events with `tagged`; say what changed. An event
    found again (same type, rule and sentence) keeps its id, so `tracker explain ID` and
    links to it survive a retag. A failed tagging changes nothing: the stored tags stay."""
    if tagged.failed:
        return TagDiff(failed=1)
    with transaction(db):
        old = {}
        for event_id, *key in db.execute(
                "SELECT id, type, rule_id, start, end FROM events WHERE document_id = ?",
                [document_id]):
            old.setdefault(tuple(key), []).append(event_id)
        before = Counter(key[0] for key, ids in old.items() for _ in ids)
        db.execute("DELETE FROM mentions WHERE document_id = ?", [document_id])
        for entity in tagged.entities:
            _upsert_entity(db, entity)
        db.conn.executemany(
            "INSERT INTO mentions (document_id, entity_id, surface, start, end, title, rule_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(document_id, m.entity_id, m.surface, m.start, m.end, m.title, m.rule_id)
             for m in tagged.mentions],
        )
        for event in tagged.events:
            kept = old.get((event.type, event.rule_id, event.start, event.end))
            _write_event(db, document_id, event, kept.pop(0) if kept else None)
        stale = [event_id for ids in old.values() for event_id in ids]
        db.conn.executemany("DELETE FROM events WHERE id = ?", [(i,) for i in stale])
        db.execute("UPDATE documents SET rules_version = ? WHERE id = ?",
                   [tagged.rules_version, document_id])
    after = Counter(e.type for e in tagged.events)
    return TagDiff(added=after - before, removed=before - after)


EVENT_COLUMNS = ("document_id", "type", "date", "date_precision", "jurisdiction", "modality",
                 "is_news", "evidence", "start", "end", "rule_id", "confidence")


def _write_event(db: sqlite_utils.Database, document_id: int, event: Event,
                 event_id: int | None) -> None:
    values = [document_id, event.type, event.date, event.date_precision, event.jurisdiction,
              event.modality, int(event.is_news), event.evidence, event.start, event.end,
              event.rule_id, event.confidence]
    if event_id is None:
        event_id = db.execute(
            f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}, created_at) "
            f"VALUES ({', '.join('?' * (len(EVENT_COLUMNS) + 1))})", [*values, now_iso()],
        ).lastrowid
    else:
        db.execute(f"UPDATE events SET {', '.join(c + ' = ?' for c in EVENT_COLUMNS)} "
                   "WHERE id = ?", [*values, event_id])
        db.execute("DELETE FROM event_entities WHERE event_id = ?", [event_id])
    db.conn.executemany(
        "INSERT OR IGNORE INTO event_entities (event_id, entity_id, role, date) "
        "VALUES (?, ?, ?, ?)",
        [(event_id, r.entity_id, r.role, event.date) for r in event.roles],
    )


def _upsert_entity(db: sqlite_utils.Database, entity: Entity) -> None:
    row = db.execute("SELECT aliases FROM entities WHERE id = ?", [entity.id]).fetchone()
    if row is None:
        db.execute("INSERT INTO entities (id, kind, name, aliases, jurisdiction) "
                   "VALUES (?, ?, ?, ?, ?)",
                   [entity.id, entity.kind, entity.name,
                    json.dumps(sorted(set(entity.aliases)), ensure_ascii=False),
                    entity.jurisdiction])
        return
    known = set(json.loads(row[0]))
    if not set(entity.aliases) <= known:
        db.execute("UPDATE entities SET aliases = ? WHERE id = ?",
                   [json.dumps(sorted(known | set(entity.aliases)), ensure_ascii=False),
                    entity.id])
