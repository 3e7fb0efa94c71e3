"""Open the database: WAL, foreign keys, a busy timeout, and numbered migrations."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, tzinfo
from pathlib import Path

import sqlite_utils

from ..errors import TrackerError
from .migrations import MIGRATIONS

DEFAULT_DB = "db/tracker.db"
# Readers and the daemon share the file; a writer's commit is short, so waiting beats failing.
BUSY_TIMEOUT_MS = 30_000


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds")


def day(value: datetime | None) -> str | None:
    """The calendar day of `value` in its own zone: a source's times keep the source's zone
    until they are stored, so this is the day the source dated it."""
    return value.date().isoformat() if value is not None else None


def stored_time(stamp: str | None, stored_day: str | None, zone: tzinfo | None) -> datetime | None:
    """A stored instant (UTC) shown on the day it was stored under: in its source's zone, else
    in UTC (documents stored before their source had a zone were read in UTC). Tagging again
    then dates events by the same day as the first time."""
    if not stamp:
        return None
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    local = moment.astimezone(zone) if zone is not None else moment
    return local if stored_day in (None, day(local)) else moment.astimezone(UTC)


def db_file(db: sqlite_utils.Database) -> str:
    """The path of the main database file ("" for an in-memory one)."""
    row = db.execute("PRAGMA database_list").fetchone()
    return row[2] if row else ""


def connect(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate the database at `path`."""
    path = Path(path)
    if str(path) != ":memory:":
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise TrackerError(f"cannot create the folder for database {path}: {exc}",
                               hint="Pass --db with a writable path.") from None
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000,
                               isolation_level=None, check_same_thread=False)
        # page_size only takes effect before the first table exists: ~2 KB rows fit 8 KB pages
        conn.execute("PRAGMA page_size = 8192")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db = sqlite_utils.Database(conn)
        if migrate(db):  # one that rewrites every row leaves a WAL half the database's size
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.DatabaseError as exc:
        raise TrackerError(f"cannot open database {path}: {exc}",
                           hint="Is it a tracker database? Pass --db with another path.") from None
    return db


def schema_version(db: sqlite_utils.Database) -> int:
    if "schema_migrations" not in db.table_names():
        return 0
    row = db.execute("SELECT max(version) FROM schema_migrations").fetchone()
    return row[0] or 0


def migrate(db: sqlite_utils.Database) -> list[int]:
    """Apply the migrations this database lacks, each in its own transaction."""
    db.execute("CREATE TABLE IF NOT EXISTS schema_migrations "
               "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
    applied = []
    for version, script in enumerate(MIGRATIONS, start=1):
        if version <= schema_version(db):
            continue
        # executescript would commit on its own; run the statements inside one transaction
        with transaction(db):
            for statement in _statements(script):
                db.execute(statement)
            db.execute("INSERT INTO schema_migrations VALUES (?, ?)", [version, now_iso()])
        applied.append(version)
    return applied


def _statements(script: str) -> list[str]:
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    return [s for s in out if s.strip(" ;\n")]


class transaction:  # noqa: N801 - used as `with transaction(db):`
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on error. Re-entrant: inner blocks join."""

    def __init__(self, db: sqlite_utils.Database):
        self.conn = db.conn
        self.outer = False

    def __enter__(self) -> sqlite3.Connection:
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN IMMEDIATE")
            self.outer = True
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> None:
        if not self.outer:
            return
        self.conn.execute("COMMIT" if exc_type is None else "ROLLBACK")
