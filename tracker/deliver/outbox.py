"""The outbox: every message is a row in `deliveries` before it goes near an SMTP server.

pending --(server accepts)--> sent
pending --(refused or unreachable)--> pending again later (attempts+1, backoff) ... --> failed

A message's key says what it is ("digest:2024-05-20:ann@example.org"); the key is unique, so
enqueueing the same message twice is a no-op, and the Message-ID is derived from the key, so
a resend after a crash between "server accepted" and "marked sent" carries the same id and
mail clients fold it into the first copy.

A sender claims a row before sending it: `claimed_until` is a lease that keeps every other
sender (a second daemon, `deliveries --retry`) off the row while it is on the wire. The
lease is longer than one attempt can take, so only a sender that died mid-send lets it run
out, and then the row is taken again. The claim has its own column, apart from the backoff
in `next_attempt_at`, so a retry that clears the backoff can never clear a live claim.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlite_utils

from ..config import Config
from ..store.db import iso, transaction

ACTIVE = ("pending", "failed")


@dataclass
class Message:
    key: str
    kind: str  # digest | alert
    recipient: str
    subject: str
    body_text: str
    body_html: str | None = None

    @property
    def message_id(self) -> str:
        return message_id_for(self.key)


@dataclass
class Outcome:
    """What one delivery attempt did to one message."""

    key: str
    recipient: str
    state: str  # sent | pending (will retry) | failed (gave up)
    error: str | None = None


class SendError(Exception):
    """A message the server did not take; `permanent` means retrying cannot help."""

    def __init__(self, message: str, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


def message_id_for(key: str) -> str:
    return f"<{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}@tracker>"


def enqueue(db: sqlite_utils.Database, message: Message, now: datetime | None = None) -> bool:
    """Record `message` as pending; False when its key is already in the outbox."""
    cursor = db.execute(
        "INSERT OR IGNORE INTO deliveries (key, kind, recipient, subject, body_text, body_html,"
        " message_id, state, attempts, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?)",
        [message.key, message.kind, message.recipient, message.subject, message.body_text,
         message.body_html, message.message_id, iso(now or datetime.now(UTC))],
    )
    return cursor.rowcount == 1


def backoff(config: Config, attempts: int) -> timedelta:
    """Wait before attempt `attempts + 1`: retry_backoff doubling per attempt, capped."""
    first, cap = config["smtp.retry_backoff"], config["smtp.max_backoff"]
    return timedelta(seconds=min(cap, first * 2 ** max(0, attempts - 1)))


def claim_lease(config: Config) -> timedelta:
    """How long a claim keeps other senders off a row: longer than one attempt can take
    (connect, TLS and DATA each get smtp.timeout), so only a dead sender's claim runs out."""
    return timedelta(seconds=config["smtp.timeout"] * 3 + 30)


# a row is due when its backoff has passed and no live claim is on it
_DUE = ("state = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= :now)"
        " AND (claimed_until IS NULL OR claimed_until <= :now)")


def due(db: sqlite_utils.Database, now: datetime) -> list[dict[str, Any]]:
    """Pending messages whose next attempt time has come and that nobody is sending, oldest
    first."""
    return list(db.query(f"SELECT * FROM deliveries WHERE {_DUE} ORDER BY id",
                         {"now": iso(now)}))


def _claim(db: sqlite_utils.Database, row: dict[str, Any], now: datetime,
           lease: timedelta) -> bool:
    """Take a message for sending; another sender running at the same time skips it. The
    check and the claim are one UPDATE, so two senders cannot both see it free."""
    with transaction(db):
        cursor = db.execute(f"UPDATE deliveries SET claimed_until = :until WHERE id = :id"
                            f" AND {_DUE}",
                            {"until": iso(now + lease), "id": row["id"], "now": iso(now)})
    return cursor.rowcount == 1


def mark_sent(db: sqlite_utils.Database, row_id: int, now: datetime) -> None:
    with transaction(db):
        db.execute("UPDATE deliveries SET state = 'sent', sent_at = ?, attempts = attempts + 1,"
                   " last_error = NULL, next_attempt_at = NULL, claimed_until = NULL"
                   " WHERE id = ?", [iso(now), row_id])


def mark_failed(db: sqlite_utils.Database, config: Config, row: dict[str, Any],
                error: SendError, now: datetime) -> str:
    """Count a failed attempt; returns the new state (pending to retry, or failed)."""
    attempts = row["attempts"] + 1
    give_up = error.permanent or attempts >= config["smtp.max_attempts"]
    state = "failed" if give_up else "pending"
    next_at = None if give_up else iso(now + backoff(config, attempts))
    with transaction(db):
        # `state = 'pending'`: a sender whose claim ran out must not undo another's "sent"
        db.execute("UPDATE deliveries SET state = ?, attempts = ?, last_error = ?,"
                   " next_attempt_at = ?, claimed_until = NULL WHERE id = ? AND state = 'pending'",
                   [state, attempts, str(error)[:500], next_at, row["id"]])
    return state


Sender = Callable[[dict[str, Any]], None]  # sends one deliveries row or raises SendError


def deliver_due(db: sqlite_utils.Database, config: Config, sender: Sender,
                now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> list[Outcome]:
    """Send every due message through `sender`, recording each outcome as it happens."""
    outcomes = []
    lease = claim_lease(config)
    for row in due(db, now()):
        if not _claim(db, row, now(), lease):
            continue
        try:
            sender(row)
        except SendError as exc:
            state = mark_failed(db, config, row, exc, now())
            outcomes.append(Outcome(row["key"], row["recipient"], state, str(exc)))
            continue
        mark_sent(db, row["id"], now())
        outcomes.append(Outcome(row["key"], row["recipient"], "sent"))
    return outcomes


def listing(db: sqlite_utils.Database, include_sent: bool = False) -> list[dict[str, Any]]:
    where = "" if include_sent else "WHERE state IN ('pending', 'failed')"
    return list(db.query(
        "SELECT id, key, kind, recipient, subject, state, attempts, last_error, next_attempt_at,"
        f" claimed_until, created_at, sent_at FROM deliveries {where} ORDER BY id"))


def requeue_failed(db: sqlite_utils.Database) -> int:
    """Give failed messages (and pending ones waiting out a backoff) another try now. A
    message some sender has claimed keeps its claim: it is being sent at this moment."""
    with transaction(db):
        cursor = db.execute("UPDATE deliveries SET state = 'pending', next_attempt_at = NULL"
                            " WHERE state IN ('pending', 'failed')")
    return cursor.rowcount
