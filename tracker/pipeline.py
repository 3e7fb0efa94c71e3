"""The way of one article: entry -> document -> dedupe -> extract -> tag -> store.

Stages are plain functions; a duplicate is dropped by raising `Duplicate`, as Scrapy's
pipelines drop items. Tagging runs over a batch (spaCy is fastest through nlp.pipe)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import sqlite_utils

from .collect.dates import zone_named
from .config import Config
from .dedupe import canonical_url, content_hash, simhash
from .errors import Duplicate, TrackerError
from .models import Document, Entry, Source, Tagged
from .store import write
from .store.db import stored_time

if TYPE_CHECKING:
    from .nlp import Tagger

log = logging.getLogger(__name__)
FetchPage = Callable[[str], tuple[str, bytes]]
MIN_ARTICLE_CHARS = 200  # shorter extracted text is treated as "no article found"
MAX_EXTRACT_ATTEMPTS = 5


@dataclass
class RunCounts:
    new: int = 0
    duplicate: int = 0
    pending: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def __iadd__(self, other: RunCounts) -> RunCounts:
        self.new += other.new
        self.duplicate += other.duplicate
        self.pending += other.pending
        self.failed += other.failed
        self.errors += other.errors
        return self


def to_document(entry: Entry, source: Source) -> Document:
    return Document(
        url=canonical_url(entry.url), source=source.name, title=entry.title,
        text=entry.content or entry.summary, published=entry.published, guid=entry.guid,
        language=source.language, fetched_at=datetime.now(UTC),
    )


def fingerprint(doc: Document, near: bool = True) -> Document:
    """Content hash (cheap, for exact duplicates) and, with `near`, the SimHash for stories."""
    doc.content_hash = content_hash(doc.title, doc.text, doc.url)
    doc.simhash = simhash(doc.text) if near else 0
    return doc


def extract(doc: Document, entry: Entry, source: Source, fetch_page: FetchPage | None) -> Document:
    """Fetch and extract the article page; on failure keep the feed's text, marked pending."""
    if fetch_page is None or source.full_text or doc.url.startswith("urn:"):
        return doc
    from .collect.extract import extract_article

    selector = source.selectors.body if source.selectors else None
    try:
        final_url, html = fetch_page(doc.url)
        article = extract_article(html, final_url, selector, zone_named(source.timezone))
    except TrackerError as exc:
        log.info("article %s not fetched (%s); kept the feed text, will retry", doc.url, exc)
        doc.extract_status = "pending"
        return doc
    if len(article.text) < MIN_ARTICLE_CHARS and len(article.text) <= len(doc.text):
        doc.extract_status = "pending"
        return doc
    doc.text = article.text
    doc.title = doc.title or article.title
    doc.published = doc.published or article.published
    return doc


def tag_all(docs: list[Document], tagger: Tagger | None) -> list[Tagged | None]:
    if tagger is None or not docs:
        return [None] * len(docs)
    return list(tagger.tag(docs))


def process_entries(db: sqlite_utils.Database, config: Config, source: Source,
                    entries: Iterable[Entry], *, fetch_page: FetchPage | None = None,
                    tagger: Tagger | None = None) -> RunCounts:
    counts = RunCounts()
    docs: list[Document] = []
    seen: set[str] = set()
    for entry in entries:
        doc = to_document(entry, source)
        if doc.url in seen or write.find_duplicate(db, fingerprint(doc, near=False)):
            counts.duplicate += 1
            continue
        seen.add(doc.url)
        docs.append(fingerprint(extract(doc, entry, source, fetch_page)))
    counts += store_all(db, config, docs, tag_all(docs, tagger))
    return counts


def store_all(db: sqlite_utils.Database, config: Config, docs: list[Document],
              tags: list[Tagged | None]) -> RunCounts:
    counts = RunCounts()
    for doc, tagged in zip(docs, tags, strict=True):
        try:
            write.save_document(db, doc, tagged, config["dedupe.near_distance"],
                                config["dedupe.story_days"], config["dedupe.near_overlap"])
        except Duplicate:
            counts.duplicate += 1
            continue
        counts.new += 1
        counts.pending += doc.extract_status == "pending"
    return counts


def retry_pending(db: sqlite_utils.Database, config: Config, fetch_page: FetchPage,
                  tagger: Tagger | None, source: Source, limit: int = 20) -> RunCounts:
    """Fetch again the article pages of `source` that failed before; update documents that now
    have text."""
    counts = RunCounts()
    rows = db.execute(
        "SELECT id, url, title, body, published_at, published_day, guid, language FROM "
        "documents WHERE extract_status = 'pending' AND extract_attempts < ? AND source = ? "
        "ORDER BY id LIMIT ?", [MAX_EXTRACT_ATTEMPTS, source.name, limit]).fetchall()
    zone = zone_named(source.timezone)
    for doc_id, url, title, body, published, published_day, guid, language in rows:
        doc = Document(url=url, source=source.name, title=title, text=body,
                       published=stored_time(published, published_day, zone), guid=guid,
                       language=language or "en")
        doc = fingerprint(extract(doc, Entry(url=url, source=source.name), source, fetch_page))
        tagged = tag_all([doc], tagger)[0] if doc.extract_status == "ok" else None
        write.update_document(db, doc_id, doc, tagged)
        counts.new += doc.extract_status == "ok"
        counts.pending += doc.extract_status == "pending"
    return counts


def optional_tagger(config: Config, enabled: bool = True) -> Tagger | None:
    """The tagger, loaded once per process; None when tagging is switched off."""
    if not enabled:
        return None
    from .nlp import load_tagger

    return load_tagger(config)


@contextmanager
def tagging(config: Config, enabled: bool = True) -> Iterator[Tagger | None]:
    """optional_tagger for one command: its worker processes are stopped at the end."""
    tagger = optional_tagger(config, enabled)
    try:
        yield tagger
    finally:
        if tagger is not None:
            tagger.close()
