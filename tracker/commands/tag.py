"""retag and explain: re-run tagging over stored documents; show why an event exists."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from datetime import date, tzinfo

import click
import sqlite_utils

from ..cli import AppContext, pass_app, warn
from ..errors import TrackerError
from ..models import Document
from ..sources import source_zones
from ..store.export import count_documents, stored_documents
from ..store.write import TagDiff, save_tags


def _parse_since(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise TrackerError(f"--since {value!r} is not a date",
                           hint="Write it as YYYY-MM-DD, e.g. --since 2021-05-01.") from None


CHUNK = 500  # documents read, tagged and stored at a time: memory stays flat on big stores


def stored_batches(db: sqlite_utils.Database, since: str | None,
                   zones: Mapping[str, tzinfo]) -> Iterator[list[Document]]:
    """Stored documents dated (else fetched) on/after the day `since`, in id order, in chunks;
    each on its source's own day, which the tagger dates events by."""
    chunk: list[Document] = []
    for row in stored_documents(db, zones, since, CHUNK):
        chunk.append(Document(url=row["url"], source=row["source"], title=row["title"],
                              text=row["text"], published=row["published"],
                              language=row["language"] or "en", id=row["id"]))
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def retag_documents(db: sqlite_utils.Database, tagger, docs: list[Document],
                    progress=None) -> TagDiff:
    """Tag `docs` again and store the new tags; the summed change per event type."""
    total = TagDiff()
    for doc, tagged in zip(docs, tagger.tag(docs), strict=True):
        total += save_tags(db, doc.id, tagged)
        if progress is not None:
            progress.update(1)
    return total


def format_diff(diff: TagDiff) -> list[str]:
    types = sorted(set(diff.added) | set(diff.removed))
    if not types:
        return ["No events added or removed."]
    width = max(len(t) for t in types)
    lines = [f"{'type':<{width}}  added  removed"]
    lines += [f"{t:<{width}}  {diff.added[t]:>5}  {diff.removed[t]:>7}" for t in types]
    lines.append(f"{'total':<{width}}  {sum(diff.added.values()):>5}  "
                 f"{sum(diff.removed.values()):>7}")
    return lines


@click.command()
@click.option("--since", help="Only documents dated (else fetched) on or after this day.")
@click.option("--workers", type=int,
              help="Tagging worker processes, 0 = in this process (default: nlp.workers).")
@pass_app
def retag(app: AppContext, since: str | None, workers: int | None) -> None:
    """Re-run tagging over stored documents with the current rules; print what changed."""
    from ..nlp import load_tagger

    if workers is not None and workers < 0:
        raise TrackerError("--workers must be 0 (tag in this process) or more")
    since = _parse_since(since)
    total = count_documents(app.db, since)
    diff = TagDiff()
    progress = click.progressbar(length=total, label="Tagging", show_pos=True,
                                 file=click.get_text_stream("stderr"))
    with load_tagger(app.config, workers=workers) as tagger, progress as bar:
        for docs in stored_batches(app.db, since, source_zones(app.config, warn)):
            diff += retag_documents(app.db, tagger, docs, bar)
    click.echo(f"Retagged {total - diff.failed} documents with rules {tagger.rules_version}.")
    for line in format_diff(diff):
        click.echo(line)
    if diff.failed:
        click.echo(f"Error: {diff.failed} document(s) could not be tagged and kept their old "
                   "tags (see the log above); run `tracker retag` again.", err=True)
        sys.exit(1)


def explain_lines(db: sqlite_utils.Database, event_id: int, rules_version: str | None) -> list[str]:
    row = db.execute(
        "SELECT e.type, e.date, e.date_precision, e.jurisdiction, e.modality, e.is_news, "
        "e.evidence, e.rule_id, e.confidence, d.id, d.url, d.title, d.rules_version, e.start, "
        "e.end FROM events e JOIN documents d ON d.id = e.document_id WHERE e.id = ?",
        [event_id]).fetchone()
    if row is None:
        raise TrackerError(f"no event with id {event_id}",
                           hint="Find event ids with `tracker timeline --format json`.")
    (etype, date, precision, jurisdiction, modality, is_news, evidence, rule_id, confidence,
     doc_id, url, title, version, start, end) = row
    lines = [
        f"Event {event_id}: {etype} ({modality}, {'news' if is_news else 'background'})",
        f"  date:         {date or '-'}" + (f" ({precision})" if precision else ""),
        f"  jurisdiction: {jurisdiction or '-'}",
        f"  confidence:   {confidence:.2f}",
        f"  rule:         {rule_id}",
        f"  evidence:     \"{evidence}\"",
        f"  document:     {doc_id} {title or ''} <{url}>",
        f"  rules version {version or 'unknown'}"
        + ("" if not rules_version or version == rules_version
           else f" (current rules: {rules_version}; run `tracker retag`)"),
        "Entities:",
    ]
    lines += _entity_lines(db, event_id, doc_id, start, end)
    return lines


def _entity_lines(db: sqlite_utils.Database, event_id: int, doc_id: int, start: int | None,
                  end: int | None) -> list[str]:
    lines = []
    for entity_id, role, kind, name in db.execute(
            "SELECT ee.entity_id, ee.role, en.kind, en.name FROM event_entities ee "
            "JOIN entities en ON en.id = ee.entity_id WHERE ee.event_id = ? "
            "ORDER BY CASE ee.role WHEN 'actor' THEN 0 WHEN 'target' THEN 1 ELSE 2 END",
            [event_id]):
        mention = db.execute(
            "SELECT surface, title, rule_id FROM mentions WHERE document_id = ? AND entity_id = ? "
            "ORDER BY (start BETWEEN ? AND ?) DESC, title IS NULL, start LIMIT 1",
            [doc_id, entity_id, start or 0, end or 0]).fetchone()
        surface, title, rule = mention if mention else (None, None, None)
        line = f"  {role:<8} {name} [{entity_id}, {kind}]"
        if title:
            line += f", {title}"
        if surface and surface != name:
            line += f" as \"{surface}\""
        lines.append(line + (f"  (rule {rule})" if rule else ""))
    return lines or ["  (none)"]


@click.command()
@click.argument("event_id", type=int)
@pass_app
def explain(app: AppContext, event_id: int) -> None:
    """The evidence, entities and rules behind one event."""
    from ..nlp.rules import rules_hash

    current = rules_hash(app.config.rules_dir) if app.config.rules_dir.is_dir() else None
    for line in explain_lines(app.db, event_id, current):
        click.echo(line)


COMMANDS = [retag, explain]
