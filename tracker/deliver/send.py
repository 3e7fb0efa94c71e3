"""Putting digests and alerts into the outbox, and the outbox on the wire.

The daemon and the CLI call these: `send_digest` after the day is over, `alerts_after_fetch`
after each fetch. Both enqueue first and send second, so SMTP trouble only delays.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import sqlite_utils

from ..config import Config
from ..store.db import transaction
from .alerts import AlertRun, load_alerts, matches_after, run_alerts
from .digest import AlertMatches, Digest, build_digest, day_bounds
from .html import render_html
from .mail import deliver_pending
from .outbox import Message, Outcome, enqueue
from .render import plural, render_text


def digest_alerts(db: sqlite_utils.Database, config: Config, day: date) -> list[AlertMatches]:
    """Matches of the day for alerts delivered in the digest (documents fetched that day)."""
    start, end = day_bounds(day, config)
    ids = {row[0] for row in db.execute(
        "SELECT id FROM documents WHERE fetched_at >= ? AND fetched_at < ?", [start, end])}
    if not ids:
        return []
    out = []
    for alert in load_alerts(config):
        if alert.delivery != "digest":
            continue
        found = matches_after(db, alert, min(ids) - 1, max(ids))
        found.events = [e for e in found.events if e["document"]["id"] in ids]
        found.documents = [d for d in found.documents if d["id"] in ids]
        out.append(found)
    return out


def digest_subject(digest: Digest) -> str:
    counts = {c.name: c.today for c in digest.counts}
    return (f"[tracker] Digest for {digest.day:%a} {digest.day.day} {digest.day:%b %Y}: "
            f"{plural(counts.get('events', digest.event_count), 'event')}, "
            f"{plural(counts.get('documents', 0), 'document')}")


def digest_messages(db: sqlite_utils.Database, config: Config, day: date,
                    now: datetime | None = None) -> list[Message]:
    """One digest per reader: digest.recipients always; readers of digest-delivered alerts
    get it on days their alerts matched, with their alerts on top."""
    base = build_digest(db, config, day, now)
    matched = [m for m in digest_alerts(db, config, day) if m.events or m.documents]
    readers = {a.name: a.recipients for a in load_alerts(config)}
    recipients = list(dict.fromkeys([*config["digest.recipients"],
                                     *(r for m in matched for r in readers[m.name])]))
    messages = []
    for recipient in recipients:
        digest = copy.copy(base)
        digest.alerts = [m for m in matched if recipient in readers[m.name]]
        if recipient not in config["digest.recipients"] and not digest.alerts:
            continue
        messages.append(Message(key=f"digest:{day.isoformat()}:{recipient}", kind="digest",
                                recipient=recipient, subject=digest_subject(digest),
                                body_text=render_text(digest), body_html=render_html(digest)))
    return messages


@dataclass
class SendReport:
    enqueued: list[Message] = field(default_factory=list)
    already: list[Message] = field(default_factory=list)  # keys already in the outbox
    outcomes: list[Outcome] = field(default_factory=list)
    runs: list[AlertRun] = field(default_factory=list)


def send_digest(db: sqlite_utils.Database, config: Config, day: date,
                now: datetime | None = None) -> SendReport:
    """Enqueue the day's digest for every reader (once per day and reader), then send."""
    report = SendReport()
    messages = digest_messages(db, config, day, now)
    with transaction(db):
        for message in messages:
            (report.enqueued if enqueue(db, message, now) else report.already).append(message)
    report.outcomes = deliver_pending(db, config)
    return report


def alerts_after_fetch(db: sqlite_utils.Database, config: Config,
                       now: datetime | None = None) -> SendReport:
    """Run the immediate alerts over what is new and send what they found (and any retries)."""
    report = SendReport(runs=run_alerts(db, config, now=now or datetime.now(UTC)))
    report.enqueued = [m for run in report.runs for m in run.messages]
    report.outcomes = deliver_pending(db, config)
    return report
