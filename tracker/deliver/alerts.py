"""Alerts: saved searches that mail what is new since they last ran.

An alert's unit is the stored document. Each run looks at documents stored since the alert's
cursor (`alert_state.last_document_id`): their news events that match the query (background
mentions left out, the same news from two sources listed once), and the matching documents
that have no such event. All matches of one run go into one message per recipient. The messages
are enqueued and the cursor advanced in one transaction, so a crash loses nothing and doubles
nothing. A document's tags are judged as they are at the first run after it is stored; events
that appear later (`tracker retag`, an article page fetched late) show in the digest and in
search, never in a second alert about the same document.

A new alert looks back one day on its first run; `tracker alerts backtest` shows older data.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.utils import parseaddr
from typing import Any

import sqlite_utils

from ..config import Config
from ..errors import ConfigError, QueryError, TrackerError
from ..query import Query, parse
from ..store import query as store_query
from ..store.db import transaction
from .digest import AlertMatches, zone
from .outbox import Message, enqueue

DELIVERIES = ("immediate", "digest")
KEYS = {"name", "query", "recipients", "delivery"}
FIRST_RUN_LOOKBACK = timedelta(days=1)
_ADDRESS = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")


@dataclass
class Alert:
    name: str
    query: str
    recipients: list[str]
    delivery: str = "immediate"
    parsed: Query = field(default_factory=Query, repr=False)


@dataclass
class AlertRun:
    """One alert's run: its matches, the cursor after it, and the messages it makes."""

    alert: Alert
    matches: AlertMatches
    last_event_id: int
    last_document_id: int
    first_run: bool = False
    messages: list[Message] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.matches.events) + len(self.matches.documents)


# --- configuration ------------------------------------------------------------------------


def load_alerts(config: Config) -> list[Alert]:
    """Validate the [[alerts]] tables of tracker.toml."""
    alerts: list[Alert] = []
    for index, raw in enumerate(config.alerts, 1):
        alert = _alert(raw, index, str(config.path or "tracker.toml"))
        if any(a.name == alert.name for a in alerts):
            raise ConfigError(f"alert {alert.name!r} is defined twice",
                              hint="Give each [[alerts]] table its own name.")
        alerts.append(alert)
    return alerts


def _alert(raw: dict[str, Any], index: int, where: str) -> Alert:
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{where}: [[alerts]] #{index} has no name",
                          hint='Add name = "china-mining" (a short unique name).')
    what = f"{where}: alert {name!r}"
    unknown = sorted(set(raw) - KEYS)
    if unknown:
        raise ConfigError(f"{what}: unknown key {unknown[0]!r}",
                          hint=f"An alert has {', '.join(sorted(KEYS))}.")
    text = raw.get("query")
    if not isinstance(text, str) or not text.strip():
        raise ConfigError(f"{what} has no query",
                          hint='Add query = "type:ban place:CN" (the search query language).')
    try:
        parsed = parse(text)
    except QueryError as exc:
        raise ConfigError(f"{what}: bad query: {exc}", hint="Test it with `tracker search`.") \
            from None
    delivery = raw.get("delivery", "immediate")
    if delivery not in DELIVERIES:
        raise ConfigError(f"{what}: delivery must be immediate or digest, got {delivery!r}",
                          hint="immediate: mailed after each fetch; digest: in the daily digest.")
    return Alert(name.strip(), text, _recipients(raw.get("recipients"), what), delivery, parsed)


def _recipients(value: Any, what: str) -> list[str]:
    hint = 'Write recipients = ["ann@example.org", "bo@example.org"].'
    if not isinstance(value, list) or not value:
        raise ConfigError(f"{what}: recipients must be a non-empty list of addresses", hint=hint)
    for address in value:
        if not isinstance(address, str) or not _ADDRESS.match(parseaddr(address)[1] or "-") \
                or parseaddr(address)[1] != address.strip():
            raise ConfigError(f"{what}: {address!r} is not an email address", hint=hint)
    return [a.strip() for a in value]


def find_alert(config: Config, name: str) -> Alert:
    alerts = load_alerts(config)
    for alert in alerts:
        if alert.name == name:
            return alert
    known = ", ".join(a.name for a in alerts) or "none configured"
    raise TrackerError(f"no alert named {name!r}",
                       hint=f"Alerts in tracker.toml: {known}. Add one as an [[alerts]] table.")


# --- matching -----------------------------------------------------------------------------


def matches_after(db: sqlite_utils.Database, alert: Alert, after_document_id: int,
                  upto_document_id: int) -> AlertMatches:
    """What matches the alert in documents with after < id <= upto."""
    first_event = db.execute("SELECT min(id) FROM events WHERE document_id > ?",
                             [after_document_id]).fetchone()[0]
    events = [] if first_event is None else [
        e for e in store_query.events(db, alert.parsed, after_id=first_event - 1)
        if after_document_id < e["document"]["id"] <= upto_document_id and e["is_news"]]
    with_events = {e["document"]["id"] for e in events}
    events.sort(key=lambda e: (e["document"]["id"], e["id"]))
    events = store_query.fold_repeats(events)  # the same news from two sources: one entry
    documents = [] if _about_events(alert.parsed) else [
        d for d in store_query.documents(db, alert.parsed, after_id=after_document_id)
        if d["id"] <= upto_document_id and d["id"] not in with_events]
    for doc in documents:
        doc.pop("text", None)
    return AlertMatches(alert.name, alert.query, events, documents)


def _about_events(query: Query) -> bool:
    """type:/modality: ask for events; a document that only mentions one in passing (a
    background event) is not news for such an alert."""
    return bool(query.get("type") or query.get("modality"))


def _cursor(db: sqlite_utils.Database, name: str, now: datetime) -> tuple[int, str | None]:
    """The alert's document cursor, and for a new alert the moment one day back it starts at."""
    row = db.execute("SELECT last_document_id FROM alert_state WHERE name = ?", [name]).fetchone()
    if row is not None:
        return row[0], None
    since = (now - FIRST_RUN_LOOKBACK).astimezone(UTC).isoformat(timespec="seconds")
    start = db.execute("SELECT min(id) FROM documents WHERE fetched_at >= ?", [since]).fetchone()
    return (start[0] - 1 if start[0] is not None else _max_id(db, "documents")), since


def _max_id(db: sqlite_utils.Database, table: str) -> int:
    return db.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]


def _fetched_before(db: sqlite_utils.Database, after: int, since: str) -> set[int]:
    return {row[0] for row in db.execute(
        "SELECT id FROM documents WHERE id > ? AND fetched_at < ?", [after, since])}


def collect(db: sqlite_utils.Database, config: Config, alert: Alert, now: datetime) -> AlertRun:
    after, since = _cursor(db, alert.name, now)
    upto = max(after, _max_id(db, "documents"))
    matches = matches_after(db, alert, after, upto)
    if since is not None:  # first run: only the last day, whatever order ids were given in
        older = _fetched_before(db, after, since)
        matches.events = [e for e in matches.events if e["document"]["id"] not in older]
        matches.documents = [d for d in matches.documents if d["id"] not in older]
    run = AlertRun(alert, matches, _max_id(db, "events"), upto, first_run=since is not None)
    if run.count:
        run.messages = alert_messages(run, config)
    return run


def alert_messages(run: AlertRun, config: Config) -> list[Message]:
    from .html import render_alert_html
    from .render import alert_subject, render_alert_text

    subject = alert_subject(run.matches)
    text, html = render_alert_text(run.matches), render_alert_html(run.matches)
    return [Message(key=f"alert:{run.alert.name}:{run.last_event_id}:{run.last_document_id}:"
                        f"{recipient}", kind="alert", recipient=recipient, subject=subject,
                    body_text=text, body_html=html)
            for recipient in run.alert.recipients]


def _save_state(db: sqlite_utils.Database, run: AlertRun, now: datetime) -> None:
    db.execute(
        "INSERT INTO alert_state (name, last_event_id, last_document_id, last_run_at)"
        " VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET"
        " last_event_id = excluded.last_event_id, last_document_id = excluded.last_document_id,"
        " last_run_at = excluded.last_run_at",
        [run.alert.name, run.last_event_id, run.last_document_id,
         now.astimezone(UTC).isoformat(timespec="seconds")])


def run_alerts(db: sqlite_utils.Database, config: Config, *, dry_run: bool = False,
               now: datetime | None = None) -> list[AlertRun]:
    """Match every immediate alert against what is new and enqueue one message per recipient.

    Sending is separate (`mail.deliver_pending`): the outbox is the hand-over point.
    """
    now = now or datetime.now(UTC)
    runs = []
    for alert in load_alerts(config):
        if alert.delivery != "immediate":
            continue
        if dry_run:
            runs.append(collect(db, config, alert, now))
            continue
        with transaction(db):
            run = collect(db, config, alert, now)
            for message in run.messages:
                enqueue(db, message, now)
            _save_state(db, run, now)
        runs.append(run)
    return runs


# --- backtest -----------------------------------------------------------------------------


@dataclass
class Backtest:
    alert: Alert
    since: date
    days: list[tuple[date, AlertMatches]]  # days with matches, oldest first

    @property
    def count(self) -> int:
        return sum(len(m.events) + len(m.documents) for _, m in self.days)


def backtest(db: sqlite_utils.Database, config: Config, name: str, since: date) -> Backtest:
    """What the alert would have matched, day by day (the day each document was published,
    else stored, in digest.timezone), since `since`."""
    alert = find_alert(config, name)
    tz = zone(config)
    start = datetime.combine(since, datetime.min.time(), tz).astimezone(UTC)
    # documents stored before any that could fall on or after `since` need not be read
    first = db.execute("SELECT min(id) FROM documents WHERE fetched_at >= ? OR published_at >= ?",
                       [start.isoformat(timespec="seconds")] * 2).fetchone()[0]
    everything = matches_after(db, alert, (first or 1 << 62) - 1, 1 << 62)
    days: dict[date, AlertMatches] = defaultdict(lambda: AlertMatches(alert.name, alert.query,
                                                                      [], []))
    stamps = _document_dates(db, {e["document"]["id"] for e in everything.events}
                             | {d["id"] for d in everything.documents})
    for event in everything.events:
        if (moment := stamps.get(event["document"]["id"])) and moment >= start:
            days[moment.astimezone(tz).date()].events.append(event)
    for doc in everything.documents:
        if (moment := stamps.get(doc["id"])) and moment >= start:
            days[moment.astimezone(tz).date()].documents.append(doc)
    return Backtest(alert, since, sorted(days.items()))


def _document_dates(db: sqlite_utils.Database, ids: set[int]) -> dict[int, datetime]:
    out = {}
    for doc_id, stamp in db.execute(
            "SELECT id, coalesce(published_at, fetched_at) FROM documents"
            " WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(sorted(ids))]):
        moment = datetime.fromisoformat(stamp)
        out[doc_id] = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return out
