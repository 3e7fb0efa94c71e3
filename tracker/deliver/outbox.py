"""The outbox: every message is a row in `deliveries` before it goes near an SMTP server.

pending --(server accepts)--> sent
pending --(refused or unreachable)--> pending again later (attempts+1, backoff) ... --> failed

A message's key says what it is ("digest:2024-05-20:ann@example.org"); the key is unique, so
enqueueing the same message twice is a no-op, and the Message-ID is derived from the key, so
a resend after a crash between "server accepted" and "marked sent" carries the same id and
mail clients fold it into the first copy.

A sender claims a row before sending it: `claimed_until` is a lease that keeps every other
sender (a second daemon, `deliveries --retry`) off the row while it is on the wire, and
`claimed_by` says whose claim it is. An attempt has a deadline of its own and the lease is
well past it, so only a sender that died mid-send lets it run out, and then the row is taken
again. Only the claim's holder may record a failure or give the claim back, so a sender that
outlived its lease cannot undo the claim of the one that took the row over; "sent" is
recorded whoever holds it, since the server took the message. The claim has its own
columns, apart from the backoff in `next_attempt_at`, so a retry that clears the backoff can
never clear a live claim.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlite_utils

from ..config import Config
from ..store.db import BUSY_TIMEOUT_MS, iso, transaction

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


# an attempt waits for the server up to ten times (greeting, EHLO, STARTTLS, EHLO, AUTH, MAIL,
# RCPT, DATA, end of data); six full waits leave room for a slow server that is still working
ATTEMPT_TIMEOUTS = 6


def attempt_deadline(config: Config) -> float:
    """Seconds one attempt (connect, TLS, login and the message) may take in all.
    smtp.timeout bounds each wait for a reply, not their sum, so a server answering each
    command just in time would hold an attempt (and its claim) ten times that long; the
    sender closes the connection when this deadline passes (mail.SmtpSender)."""
    return config["smtp.timeout"] * ATTEMPT_TIMEOUTS


def claim_lease(config: Config) -> timedelta:
    """How long a claim keeps other senders off a row: the attempt's deadline, one more
    smtp.timeout for a connect or TLS handshake already under way when it passes, the
    database's busy timeout twice (claiming and recording the outcome may each wait for the
    write lock) and a minute to spare: 190 s with the defaults. So only a sender that died
    (or was stopped) lets a claim run out."""
    seconds = (attempt_deadline(config) + config["smtp.timeout"]
               + 2 * BUSY_TIMEOUT_MS / 1000 + 60)
    return timedelta(seconds=seconds)


def sender_id() -> str:
    """Who holds a claim: the process id, to find it, and a random part, because process ids
    are reused and one process may run two senders."""
    return f"{os.getpid()}-{secrets.token_hex(4)}"


# a claim is live until it runs out. One further ahead than a lease from now was written
# while the clock was ahead (then its sender died) and would hold the row until that date;
# it is stale. The grace allows for a small clock step back, and for a sender whose longer
# smtp.timeout gave it a longer lease.
FUTURE_GRACE = timedelta(minutes=10)
_LIVE = ("(claimed_until IS NOT NULL AND claimed_until > :now"
         " AND claimed_until <= :horizon)")
# a row is due when its backoff has passed and no live claim is on it
_DUE = ("state = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= :now)"
        f" AND NOT {_LIVE}")


def _window(now: datetime, lease: timedelta) -> dict[str, str | None]:
    return {"now": iso(now), "horizon": iso(now + lease + FUTURE_GRACE)}


def due(db: sqlite_utils.Database, now: datetime,
        config: Config | None = None) -> list[dict[str, Any]]:
    """Pending messages whose next attempt time has come and that nobody is sending, oldest
    first."""
    lease = claim_lease(config or Config())
    return list(db.query(f"SELECT * FROM deliveries WHERE {_DUE} ORDER BY id",
                         _window(now, lease)))


def _claim(db: sqlite_utils.Database, row_id: int, now: datetime, lease: timedelta,
           claimant: str) -> bool:
    """Take a message for sending; another sender running at the same time skips it. The
    check and the claim are one UPDATE, so two senders cannot both see it free."""
    with transaction(db):
        cursor = db.execute(f"UPDATE deliveries SET claimed_until = :until, claimed_by = :me"
                            f" WHERE id = :id AND {_DUE}",
                            {"until": iso(now + lease), "me": claimant, "id": row_id,
                             **_window(now, lease)})
    return cursor.rowcount == 1


def _release(db: sqlite_utils.Database, row_id: int, claimant: str) -> None:
    """Give a claim back untouched (no attempt counted), if it is still `claimant`'s."""
    with transaction(db):
        db.execute("UPDATE deliveries SET claimed_until = NULL, claimed_by = NULL"
                   " WHERE id = ? AND claimed_by = ? AND state = 'pending'", [row_id, claimant])


def mark_sent(db: sqlite_utils.Database, row_id: int, now: datetime) -> None:
    """Whoever holds the claim now: the server took the message, so it is sent."""
    with transaction(db):
        db.execute("UPDATE deliveries SET state = 'sent', sent_at = ?, attempts = attempts + 1,"
                   " last_error = NULL, next_attempt_at = NULL, claimed_until = NULL,"
                   " claimed_by = NULL WHERE id = ?", [iso(now), row_id])


def mark_failed(db: sqlite_utils.Database, config: Config, row_id: int, claimant: str,
                error: SendError, now: datetime) -> str | None:
    """Count a failed attempt; returns the new state (pending to retry, or failed), or None
    when `claimant` no longer holds the claim: another sender has the message (it may be
    sending or have sent it), and this attempt's failure must not undo that."""
    with transaction(db):  # BEGIN IMMEDIATE: nobody writes between the read and the update
        found = db.execute("SELECT attempts + 1 FROM deliveries WHERE id = ? AND claimed_by = ?"
                           " AND state = 'pending'", [row_id, claimant]).fetchone()
        if found is None:
            return None
        give_up = error.permanent or found[0] >= config["smtp.max_attempts"]
        next_at = None if give_up else iso(now + backoff(config, found[0]))
        db.execute("UPDATE deliveries SET state = ?, attempts = attempts + 1, last_error = ?,"
                   " next_attempt_at = ?, claimed_until = NULL, claimed_by = NULL"
                   " WHERE id = ? AND claimed_by = ?",
                   ["failed" if give_up else "pending", str(error)[:500], next_at, row_id,
                    claimant])
    return "failed" if give_up else "pending"


Sender = Callable[[dict[str, Any]], None]  # sends one deliveries row or raises SendError


def deliver_due(db: sqlite_utils.Database, config: Config, sender: Sender,
                now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> list[Outcome]:
    """Send every due message through `sender`, recording each outcome as it happens."""
    outcomes = []
    lease, claimant = claim_lease(config), sender_id()
    for row in due(db, now(), config):
        if _claim(db, row["id"], now(), lease, claimant):
            outcomes.append(_attempt(db, config, sender, row, claimant, now))
    return outcomes


def _attempt(db: sqlite_utils.Database, config: Config, sender: Sender, row: dict[str, Any],
             claimant: str, now: Callable[[], datetime]) -> Outcome:
    """One claimed message through `sender`. The claim never outlives the attempt: an error
    that is not the server's answer (a missing password, Ctrl-C) gives it back and goes on
    up, or the message would look "being sent now" with nobody sending it."""
    try:
        sender(row)
    except SendError as exc:
        state = mark_failed(db, config, row["id"], claimant, exc, now())
        if state is None:
            return Outcome(row["key"], row["recipient"], "pending",
                           f"{exc} (the claim ran out meanwhile; another sender has it)")
        return Outcome(row["key"], row["recipient"], state, str(exc))
    except BaseException:
        _release(db, row["id"], claimant)
        raise
    mark_sent(db, row["id"], now())
    return Outcome(row["key"], row["recipient"], "sent")


def listing(db: sqlite_utils.Database, config: Config, include_sent: bool = False,
            now: datetime | None = None) -> list[dict[str, Any]]:
    """Outbox rows; `being_sent` is 1 while a live claim is on one."""
    where = "" if include_sent else "WHERE state IN ('pending', 'failed')"
    return list(db.query(
        "SELECT id, key, kind, recipient, subject, state, attempts, last_error, next_attempt_at,"
        f" claimed_until, claimed_by, {_LIVE} AS being_sent, created_at, sent_at"
        f" FROM deliveries {where} ORDER BY id",
        _window(now or datetime.now(UTC), claim_lease(config))))


@dataclass
class Requeued:
    retried: int  # made due now
    being_sent: int  # under another sender's live claim: left to it


def requeue_failed(db: sqlite_utils.Database, config: Config,
                   now: datetime | None = None) -> Requeued:
    """Give failed messages (and pending ones waiting out a backoff) another try now. A
    message under a live claim is left alone: another sender has it on the wire."""
    window = _window(now or datetime.now(UTC), claim_lease(config))
    with transaction(db):
        busy = db.execute(f"SELECT count(*) FROM deliveries WHERE state = 'pending' AND {_LIVE}",
                          window).fetchone()[0]
        cursor = db.execute("UPDATE deliveries SET state = 'pending', next_attempt_at = NULL"
                            f" WHERE state IN ('pending', 'failed') AND NOT {_LIVE}", window)
    return Requeued(cursor.rowcount, busy)
