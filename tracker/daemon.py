"""`tracker run`: the daemon. Sources on their schedules, alerts after each fetch, the digest
once a day, the outbox retried; one process per database, stoppable at any moment.

Threads and SQLite: each worker thread opens its own connection (WAL and a busy timeout are
set by store.db.connect), and every document is its own short transaction, so searches in
other processes never wait long. The spaCy pipeline is loaded once, in a worker process
(nlp.workers) that every fetch thread feeds, so tagging runs on one core while fetching and
extraction run on the other; with nlp.workers = 0 it is shared in-process behind a lock.

Stopping: SIGTERM or SIGINT stops new work at once; work in flight gets daemon.stop_timeout
seconds to finish. What is still running then is abandoned: its open transaction is rolled
back by SQLite, and since a feed's validators are saved only after its documents, the next
start fetches the rest again. Nothing half-written survives either way (see the kill -9 test).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

import sqlite_utils

from . import logs, scheduler
from .collect import run as collect_run
from .config import Config, load_config
from .errors import LockedError, TrackerError
from .logs import event
from .models import Source
from .sources import load_sources, sync_sources
from .store.db import connect, iso, now_iso, transaction

__all__ = ["Daemon", "DatabaseLock", "Shutdown", "lock_path", "read_state"]

log = logging.getLogger(logs.LOGGER)


class Shutdown(BaseException):  # noqa: N818 - like SystemExit: not an error, and not caught
    """Raised inside a job when the daemon stops: it passes `except Exception` in the
    pipeline so nothing is recorded as a failure and the feed's validators are not saved."""


# --- the lock ---------------------------------------------------------------------------------


def lock_path(db_path: Path) -> Path:
    return Path(f"{db_path}.lock")


class DatabaseLock:
    """fcntl.flock on "<db>.lock", holding the owner's pid, host and start time. The kernel
    drops the lock when the process dies, however it dies, so a stale file never blocks."""

    def __init__(self, db_path: Path):
        self.path = lock_path(db_path)
        self.file: IO[str] | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "an unknown process"
            handle.close()
            raise LockedError(f"another tracker daemon works on this database: {holder}",
                              hint=f"Stop it first (kill -TERM <pid>), or pass another --db. "
                              f"Lock file: {self.path}") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} on {socket.gethostname()}, started {now_iso()}\n")
        handle.flush()
        self.file = handle

    def release(self) -> None:
        if self.file is not None:
            with contextlib.suppress(OSError):
                self.file.truncate(0)
            self.file.close()  # closing the descriptor releases the flock
            self.file = None


# --- sharing the fetcher and the tagger between threads ---------------------------------------


class _Stoppable:
    """Wraps the shared Fetcher: once the daemon stops, the next request raises Shutdown."""

    def __init__(self, fetcher: Any, stopping: threading.Event):
        self._fetcher = fetcher
        self._stopping = stopping

    def get(self, *args: Any, **kwargs: Any) -> Any:
        if self._stopping.is_set():
            raise Shutdown()
        return self._fetcher.get(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fetcher, name)


class _SharedTagger:
    """One tagger for every thread, abandoned on shutdown. In-process tagging takes one batch
    at a time; worker processes take every thread's batches at once (their queue is the lock),
    so one source's extraction overlaps another's tagging."""

    def __init__(self, tagger: Any, stopping: threading.Event):
        self._tagger = tagger
        self._stopping = stopping
        self._lock = (contextlib.nullcontext() if getattr(tagger, "thread_safe", False)
                      else threading.Lock())

    def tag(self, docs: Any) -> Iterator[Any]:
        from .nlp.worker import TaggerClosed

        with self._lock:
            try:
                for tagged in self._tagger.tag(docs):
                    if self._stopping.is_set():
                        raise Shutdown()
                    yield tagged
            except TaggerClosed:
                raise Shutdown() from None  # the workers were stopped under this job

    def __getattr__(self, name: str) -> Any:
        return getattr(self._tagger, name)


# --- state for `tracker status` ---------------------------------------------------------------


def read_state(db: sqlite_utils.Database) -> dict[str, Any] | None:
    rows = list(db.query("SELECT * FROM daemon_state WHERE id = 1"))
    return rows[0] if rows else None


def _clock(moment: datetime | None) -> str:
    return f"{moment.astimezone(UTC):%H:%M:%S} UTC" if moment else "never (not scheduled)"


# --- the daemon -------------------------------------------------------------------------------


@dataclass
class Cycle:
    """Totals of a --once run, logged at its end."""

    sources: int = 0
    new: int = 0
    unchanged: int = 0
    failed: list[str] = field(default_factory=list)


class Daemon:
    def __init__(self, db_path: Path, config: Config, *, tag: bool = True,
                 log_format: str | None = None, once: bool = False,
                 duration: float | None = None, tagger: Any = None):
        self.db_path = Path(db_path)
        self.config = config
        self.tag = tag or tagger is not None
        self.given_tagger = tagger  # a caller's loaded tagger (the demo's); closed at stop
        self.log_format = log_format or config["daemon.log_format"]
        self.once = once
        self.duration = duration
        self.stopping = threading.Event()  # no new work; in-flight work winds down
        self.wake = threading.Event()  # the main loop has something to do
        self.reload_requested = threading.Event()
        self.alerts_due = threading.Event()
        self.sources: dict[str, Source] = {}
        self.paces: dict[str, scheduler.Pace] = {}
        self.running: dict[str, float] = {}  # job -> monotonic start, for the stop timeout
        self.running_lock = threading.Lock()
        self.local = threading.local()
        self.connections: list[sqlite_utils.Database] = []
        self.connections_lock = threading.Lock()
        self.mtimes: dict[Path, float | None] = {}
        self.abandoned = 0
        self.sched: Any = None
        self.fetcher: Any = None
        self.tagger: Any = None

    # -- per-thread database ----------------------------------------------------------------

    def db(self) -> sqlite_utils.Database:
        database = getattr(self.local, "db", None)
        if database is None:
            database = self.local.db = connect(self.db_path)
            with self.connections_lock:
                self.connections.append(database)
        return database

    @contextlib.contextmanager
    def _inflight(self, job: str) -> Iterator[None]:
        with self.running_lock:
            self.running[job] = time.monotonic()
        try:
            yield
        finally:
            with self.running_lock:
                self.running.pop(job, None)

    # -- source jobs --------------------------------------------------------------------------

    def run_source(self, name: str) -> Any:
        """The job of one source: fetch, store, log, adjust its pace, wake the alerts."""
        source = self.sources.get(name)
        if self.stopping.is_set() or source is None:
            return None
        with self._inflight(scheduler.source_job_id(name)):
            try:
                result = collect_run.fetch_one(self.db(), self.config, self.fetcher, source,
                                               self.tagger)
            except Shutdown:
                event("fetch.abandoned", f"{name}: stopped before its documents were all stored;"
                      " the rest are fetched again at the next start", source=name)
                return None
            except Exception as exc:  # one source must never stop the daemon
                log.exception("%s: fetch crashed (%s); retry at its next run", name, exc,
                              extra={"event": "fetch.crashed", "source": name})
                return None
            self._after_fetch(source, result)
            return result

    def _after_fetch(self, source: Source, result: Any) -> None:
        db = self.db()
        row = db.execute("SELECT consecutive_failures FROM sources WHERE name = ?",
                         [source.name]).fetchone()
        failures = row[0] if row else 0
        next_run = self._repace(source, result.status == "broken")
        self._log_result(result, failures, next_run)
        self._save_job(db, scheduler.source_job_id(source.name), result, next_run)
        if result.new or result.recovered:
            self.alerts_due.set()
            self._poke_deliver()

    def _repace(self, source: Source, broken: bool) -> datetime | None:
        """Slow a source down when it breaks, back to its schedule when it recovers."""
        job_id = scheduler.source_job_id(source.name)
        job = self.sched.get_job(job_id) if self.sched is not None else None
        if job is None:
            return None
        pace = scheduler.source_pace(source, self.config, broken)
        if job.name != pace.text:
            self.paces[source.name] = pace
            job = job.reschedule(pace.trigger)
            job.modify(name=pace.text)
            job = self.sched.get_job(job_id)
            event("source.paced", f"{source.name}: now runs {pace.text}; next at "
                  f"{_clock(job.next_run_time)}", source=source.name, schedule=pace.text,
                  next_run=iso(job.next_run_time))
        return job.next_run_time

    def _log_result(self, r: Any, failures: int, next_run: datetime | None) -> None:
        fields = {"source": r.name, "new": r.new, "duplicate": r.duplicate, "pending": r.pending,
                  "recovered": r.recovered, "elapsed": round(r.elapsed, 3), "status": r.status}
        if r.failed:
            limit = self.config["health.broken_after"]
            then = f"retry at {_clock(next_run)}" if next_run else "retry at the next run"
            if r.status == "broken":
                what = (f"marked broken after {failures} failures in a row; still retried, "
                        f"{self.paces[r.name].text if r.name in self.paces else 'slower'}; "
                        f"{then}")
            else:
                what = f"failure {failures} of {limit} before it is marked broken; {then}"
            event("fetch.failed", f"{r.name}: failed ({r.reason}: {r.error}) after "
                  f"{r.elapsed:.1f}s; {what}", logging.WARNING, reason=r.reason, error=r.error,
                  failures=failures, next_run=iso(next_run), **fields)
        elif r.unchanged:
            event("fetch.unchanged", f"{r.name}: not modified ({r.elapsed:.2f}s)", **fields)
        else:
            extra = (f", {r.pending} pending" if r.pending else "") + (
                f", {r.recovered} recovered" if r.recovered else "")
            event("fetch.ok", f"{r.name}: {r.new} new, {r.duplicate} already stored{extra} "
                  f"({r.elapsed:.1f}s)", warning=r.warning, **fields)

    def _save_job(self, db: sqlite_utils.Database, job_id: str, result: Any,
                  next_run: datetime | None) -> None:
        if result.failed:
            summary = f"failed: {result.reason}: {result.error}"
        elif result.unchanged:
            summary = "not modified"
        else:
            summary = f"{result.new} new, {result.duplicate} already stored"
        self._save_run(db, job_id, result.status or "ok", summary, result.elapsed, next_run)

    def _save_run(self, db: sqlite_utils.Database, job_id: str, status: str, summary: str,
                  elapsed: float, next_run: datetime | None = None) -> None:
        if next_run is None and self.sched is not None:
            job = self.sched.get_job(job_id)
            next_run = job.next_run_time if job else None
        with transaction(db):
            db.execute("UPDATE daemon_jobs SET last_run_at = ?, last_status = ?, "
                       "last_summary = ?, last_elapsed = ?, next_run_at = ? WHERE id = ?",
                       [now_iso(), status, summary[:300], round(elapsed, 3), iso(next_run),
                        job_id])

    # -- delivery jobs ------------------------------------------------------------------------

    def _poke_deliver(self) -> None:
        """Run the outbox job now rather than at its next interval (alerts after a fetch)."""
        if self.sched is not None and not self.stopping.is_set():
            with contextlib.suppress(Exception):  # the job is gone while shutting down
                self.sched.modify_job(scheduler.DELIVER_JOB, next_run_time=datetime.now(UTC))

    def run_deliver(self) -> None:
        """Immediate alerts over what is new, then every message due for (another) try."""
        if self.stopping.is_set():
            return
        with self._inflight(scheduler.DELIVER_JOB):
            try:
                self._deliver()
            except TrackerError as exc:
                event("deliver.failed", f"alerts/outbox: {str(exc).splitlines()[0]}; retry in "
                      f"{self.config['daemon.deliver_every']}s", logging.ERROR, error=str(exc))
            except Exception as exc:
                log.exception("alerts/outbox crashed (%s); retry at the next run", exc,
                              extra={"event": "deliver.crashed"})

    def _deliver(self) -> None:
        from .deliver.mail import deliver_pending
        from .deliver.outbox import due
        from .deliver.send import alerts_after_fetch

        db = self.db()
        started = time.monotonic()
        if self.alerts_due.is_set():
            report = alerts_after_fetch(db, self.config)
            self.alerts_due.clear()  # only now: a run that raised is tried again next tick
            matched = [r for r in report.runs if r.count]
            if matched:
                event("alerts.matched", ", ".join(f"{r.alert.name}: {r.count} new match(es)"
                                                  for r in matched),
                      alerts={r.alert.name: r.count for r in matched})
            outcomes = report.outcomes
        elif due(db, datetime.now(UTC), self.config):
            outcomes = deliver_pending(db, self.config)
        else:
            return
        self._log_outcomes(db, outcomes, time.monotonic() - started)
        states = [o.state for o in outcomes]
        summary = ", ".join(f"{states.count(k)} {k}" for k in ("sent", "pending", "failed")
                            if k in states) or "nothing to send"
        self._save_run(db, scheduler.DELIVER_JOB, "ok", summary, time.monotonic() - started)

    def _log_outcomes(self, db: sqlite_utils.Database, outcomes: list[Any],
                      elapsed: float) -> None:
        if not outcomes:
            return
        sent = [o for o in outcomes if o.state == "sent"]
        waiting = [o for o in outcomes if o.state == "pending"]
        failed = [o for o in outcomes if o.state == "failed"]
        if sent:
            event("deliver.sent", f"sent {len(sent)} message(s) ({elapsed:.1f}s)",
                  sent=len(sent), elapsed=round(elapsed, 3))
        if waiting:
            nxt = db.execute("SELECT min(next_attempt_at) FROM deliveries WHERE state = "
                             "'pending'").fetchone()[0]
            event("deliver.retry", f"{len(waiting)} message(s) not sent ({waiting[0].error}); "
                  f"kept in the outbox, retry at {nxt or 'the next run'}", logging.WARNING,
                  pending=len(waiting), error=waiting[0].error, next_attempt=nxt)
        if failed:
            event("deliver.gave_up", f"{len(failed)} message(s) failed for good "
                  f"({failed[0].error}); see `tracker deliveries`", logging.ERROR,
                  failed=len(failed), error=failed[0].error)

    def run_digest(self) -> None:
        from .deliver.digest import parse_day
        from .deliver.send import send_digest

        if self.stopping.is_set():
            return
        with self._inflight(scheduler.DIGEST_JOB):
            try:
                day = parse_day(None, self.config)
                report = send_digest(self.db(), self.config, day)
            except Exception as exc:
                log.exception("digest failed (%s); next try at its time tomorrow, or run "
                              "`tracker digest --send`", exc, extra={"event": "digest.failed"})
                return
            if report.enqueued:
                event("digest.queued", f"digest for {day}: queued for {len(report.enqueued)} "
                      "reader(s)", day=str(day), readers=len(report.enqueued))
            self._log_outcomes(self.db(), report.outcomes, 0.0)
            self._save_run(self.db(), scheduler.DIGEST_JOB, "ok", f"digest for {day}: "
                           f"{len(report.enqueued)} queued, {len(report.already)} already sent",
                           0.0)

    # -- configuration ------------------------------------------------------------------------

    def _watched(self) -> list[Path]:
        paths = [Path(self.config.path) if self.config.path else Path("tracker.toml"),
                 self.config.sources_file]
        return list(dict.fromkeys(paths))

    def _mtimes(self) -> dict[Path, float | None]:
        out: dict[Path, float | None] = {}
        for path in self._watched():
            try:
                out[path] = path.stat().st_mtime_ns
            except OSError:
                out[path] = None
        return out

    def _load(self, config: Config) -> None:
        sources = load_sources(config)
        self.sources = {s.name: s for s in sources}
        sync_sources(self.db(), sources)
        broken = {r[0] for r in self.db().execute(
            "SELECT name FROM sources WHERE status = 'broken'")}
        self.paces = {s.name: scheduler.source_pace(s, config, s.name in broken)
                      for s in sources if s.enabled}

    def reload(self, why: str) -> None:
        """Re-read tracker.toml and the sources; reschedule what changed. A bad edit is
        logged and the running configuration kept."""
        old = (self.config, self.sources, self.paces)
        try:
            self.config = load_config(self.config.path)
            self._load(self.config)
        except TrackerError as exc:
            self.config, self.sources, self.paces = old
            event("reload.failed", f"reload ({why}) failed: {str(exc).splitlines()[0]}; "
                  "keeping the previous configuration", logging.ERROR, error=str(exc))
            self.mtimes = self._mtimes()
            return
        self.mtimes = self._mtimes()
        added, removed, changed = scheduler.sync_source_jobs(
            self.sched, self.sources.values(), self.paces, self.run_source, self._first_run)
        scheduler.schedule_digest(self.sched, self.config, self.run_digest)
        self._write_jobs()
        event("reload", f"reloaded ({why}): {len(self.paces)} sources scheduled; added "
              f"{', '.join(added) or 'none'}; removed {', '.join(removed) or 'none'}; "
              f"rescheduled {', '.join(changed) or 'none'}", added=added, removed=removed,
              rescheduled=changed)

    def _first_run(self, source: Source, pace: scheduler.Pace) -> datetime:
        row = self.db().execute("SELECT status, last_fetch_at FROM sources WHERE name = ?",
                                [source.name]).fetchone()
        broken = bool(row and row[0] == "broken")
        last = datetime.fromisoformat(row[1]) if row and row[1] else None
        return scheduler.first_run(pace, self.config, datetime.now(UTC), last, broken)

    # -- state rows ---------------------------------------------------------------------------

    def _write_state(self, state: str) -> None:
        db = self.db()
        now = now_iso()
        with transaction(db):
            if state == "running":
                db.execute("INSERT OR REPLACE INTO daemon_state (id, pid, host, started_at, "
                           "heartbeat_at, state, stopped_at) VALUES (1, ?, ?, ?, ?, ?, NULL)",
                           [os.getpid(), socket.gethostname(), now, now, state])
            elif state == "stopped":
                db.execute("UPDATE daemon_state SET state = ?, stopped_at = ?, heartbeat_at = ? "
                           "WHERE id = 1 AND pid = ?", [state, now, now, os.getpid()])
            else:
                db.execute("UPDATE daemon_state SET state = ?, heartbeat_at = ? WHERE id = 1 "
                           "AND pid = ?", [state, now, os.getpid()])

    def _write_jobs(self) -> None:
        """Every job's schedule and next run, for `tracker status`; last results are kept."""
        db = self.db()
        jobs = self.sched.get_jobs() if self.sched is not None else []
        with transaction(db):
            for job in jobs:
                kind = "source" if job.id.startswith(scheduler.SOURCE_PREFIX) else job.id
                source = job.args[0] if kind == "source" else None
                db.execute("INSERT INTO daemon_jobs (id, kind, source, trigger, next_run_at) "
                           "VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                           "trigger = excluded.trigger, next_run_at = excluded.next_run_at",
                           [job.id, kind, source, job.name, iso(job.next_run_time)])
            marks = ",".join("?" * len(jobs))
            db.execute(f"DELETE FROM daemon_jobs WHERE id NOT IN ({marks})",
                       [j.id for j in jobs])

    def heartbeat(self) -> None:
        self._write_state("stopping" if self.stopping.is_set() else "running")
        self._write_jobs()

    # -- signals --------------------------------------------------------------------------------

    def _on_stop(self, signum: int, _frame: Any) -> None:
        if not self.stopping.is_set():
            event("daemon.stopping", f"{signal.Signals(signum).name}: taking no new work; "
                  f"in-flight work has {self.config['daemon.stop_timeout']:g}s to finish",
                  signal=signal.Signals(signum).name)
        self.stopping.set()
        self.wake.set()

    def _on_hup(self, _signum: int, _frame: Any) -> None:
        self.reload_requested.set()
        self.wake.set()

    @contextlib.contextmanager
    def _signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield  # only the main thread may install handlers (tests run us in a thread)
            return
        wanted = {signal.SIGTERM: self._on_stop, signal.SIGINT: self._on_stop,
                  signal.SIGHUP: self._on_hup}
        previous = {sig: signal.signal(sig, handler) for sig, handler in wanted.items()}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    # -- the run --------------------------------------------------------------------------------

    def run(self) -> int:
        """Run until stopped (signal, --for, or after one cycle with --once); the exit code."""
        lock = DatabaseLock(self.db_path)
        lock.acquire()
        handler = logs.setup(self.log_format)
        try:
            with self._signals():
                return self._run()
        finally:
            self.close()
            logs.teardown(handler)
            lock.release()

    def _run(self) -> int:
        self.open()
        if self.once:
            return self._run_once()
        self.start_scheduler()
        self._loop()
        return self._stop()

    def open(self) -> None:
        """Load sources, the tagger (once) and the shared fetcher; record the daemon."""
        from .collect.http import Fetcher

        started = time.monotonic()
        self._load(self.config)
        self.mtimes = self._mtimes()
        self._write_state("running")
        self.tagger = self._load_tagger()
        self.fetcher = _Stoppable(Fetcher(self.config), self.stopping)
        event("daemon.started", f"pid {os.getpid()}: {len(self.paces)} sources, "
              f"{self.config['http.concurrency']} at a time, tagging "
              f"{'on' if self.tagger else 'off'} (ready in {time.monotonic() - started:.1f}s)",
              pid=os.getpid(), sources=len(self.paces), tagging=bool(self.tagger))

    def _load_tagger(self) -> Any:
        if not self.tag:
            return None
        from .pipeline import optional_tagger

        started = time.monotonic()
        tagger = self.given_tagger or optional_tagger(self.config)
        # a worker loads the model on its own; waiting for it keeps "ready in" truthful and
        # a worker that cannot start visible at once (its documents would be stored untagged)
        workers = getattr(tagger, "workers", 0)
        if workers and not tagger.wait_ready():
            event("nlp.failed", "tagging worker could not start: documents are stored untagged "
                  "until it does (see the error above)", logging.ERROR)
        where = f"in {workers} worker process(es)" if workers else "in this process"
        event("nlp.loaded", f"tagger loaded once for every job, {where} "
              f"({time.monotonic() - started:.1f}s)", elapsed=round(time.monotonic() - started, 3),
              workers=workers, pids=tagger.pids() if workers else [])
        return _SharedTagger(tagger, self.stopping)

    def start_scheduler(self, paused: bool = False) -> None:
        self.sched = scheduler.make_scheduler(self.config)
        for name, pace in self.paces.items():
            source = self.sources[name]
            scheduler.schedule_source(self.sched, source, pace, self.run_source,
                                      self._first_run(source, pace))
        scheduler.schedule_deliver(self.sched, self.config, self.run_deliver)
        scheduler.schedule_digest(self.sched, self.config, self.run_digest)
        self.sched.start(paused=paused)
        self._catch_up_digest()
        self._write_jobs()

    def _catch_up_digest(self) -> None:
        """The daemon was down at digest time: yesterday's digest goes out now (each reader
        gets a day's digest once: the outbox key is per day and reader)."""
        from .deliver.digest import zone

        hour, minute = scheduler.digest_time(self.config)
        local = datetime.now(zone(self.config))
        if (local.hour, local.minute) >= (hour, minute):
            self.sched.add_job(self.run_digest, id="digest-catch-up", name="catch-up",
                               executor=scheduler.DELIVER, replace_existing=True)

    def _loop(self) -> None:
        deadline = time.monotonic() + self.duration if self.duration else None
        beat = max(0.2, self.config["daemon.heartbeat"])
        next_beat = time.monotonic() + beat
        while not self.stopping.is_set():
            timeout = min(next_beat, deadline or next_beat) - time.monotonic()
            self.wake.wait(max(0.0, timeout))
            self.wake.clear()
            if deadline is not None and time.monotonic() >= deadline:
                event("daemon.stopping", f"--for {self.duration:g}s is up; taking no new work")
                self.stopping.set()
                break
            if self.reload_requested.is_set():
                self.reload_requested.clear()
                self.reload("SIGHUP")
            if time.monotonic() >= next_beat:
                next_beat = time.monotonic() + beat
                self._tick()

    def _tick(self) -> None:
        try:
            if self._mtimes() != self.mtimes:
                self.reload("config file changed")
            self.heartbeat()
        except Exception as exc:  # a locked or full disk must not end the daemon
            log.exception("heartbeat failed (%s); trying again in %ss", exc,
                          self.config["daemon.heartbeat"], extra={"event": "heartbeat.failed"})

    def _wait_inflight(self) -> list[str]:
        limit = time.monotonic() + self.config["daemon.stop_timeout"]
        while time.monotonic() < limit:
            with self.running_lock:
                if not self.running:
                    return []
            time.sleep(0.05)
        with self.running_lock:
            return sorted(self.running)

    def _stop(self) -> int:
        self.stopping.set()
        if self.sched is not None:
            with contextlib.suppress(Exception):
                self._write_jobs()  # `tracker status` shows the next runs as they were left
            self.sched.shutdown(wait=False)
        left = self._wait_inflight()
        if left:
            self.abandoned = len(left)
            event("daemon.abandoned", f"still running after "
                  f"{self.config['daemon.stop_timeout']:g}s: {', '.join(left)}; their "
                  "uncommitted work is rolled back and fetched again next start",
                  logging.WARNING, jobs=left)
        with contextlib.suppress(Exception):
            self._write_state("stopped")
        event("daemon.stopped", f"pid {os.getpid()} stopped", pid=os.getpid(),
              abandoned=self.abandoned)
        return 0

    def _run_once(self) -> int:
        """Every enabled source once (http.concurrency at a time), then alerts and the outbox."""
        started = time.monotonic()
        cycle = Cycle(sources=len(self.paces))
        with ThreadPoolExecutor(self.config["http.concurrency"],
                                thread_name_prefix="fetch") as pool:
            futures = [pool.submit(self.run_source, name) for name in self.paces]
            deadline = time.monotonic() + self.duration if self.duration else None
            pending = set(futures)
            while pending and not self.stopping.is_set():
                _, pending = wait(pending, timeout=0.2)
                if deadline is not None and time.monotonic() >= deadline:
                    self.stopping.set()
            if pending:
                pool.shutdown(wait=False, cancel_futures=True)
                return self._stop()
        for future in futures:
            self._count(cycle, future.result())
        self.alerts_due.set()
        self.run_deliver()
        elapsed = time.monotonic() - started
        event("cycle.done", f"{cycle.sources} sources in {elapsed:.2f}s: {cycle.new} new "
              f"documents, {cycle.unchanged} unchanged, {len(cycle.failed)} failed"
              + (f" ({', '.join(cycle.failed)})" if cycle.failed else ""),
              sources=cycle.sources, new=cycle.new, unchanged=cycle.unchanged,
              failed=cycle.failed, elapsed=round(elapsed, 3))
        self._stop()
        return 1 if cycle.failed else 0

    @staticmethod
    def _count(cycle: Cycle, result: Any) -> None:
        if result is None:
            return
        cycle.new += result.new
        cycle.unchanged += result.unchanged
        if result.failed:
            cycle.failed.append(result.name)

    def close(self) -> None:
        if self.sched is not None and self.sched.running:
            self.sched.shutdown(wait=False)
        if self.tagger is not None:  # worker processes: stopped even when jobs are abandoned
            with contextlib.suppress(Exception):
                self.tagger.close(timeout=0.2 if self.abandoned else 1.0)
        if self.fetcher is not None and not self.abandoned:
            with contextlib.suppress(Exception):
                self.fetcher.close()
        if self.abandoned:
            return  # threads still use their connections; the process exit closes them
        with self.connections_lock:
            for database in self.connections:
                with contextlib.suppress(Exception):
                    database.conn.close()
            self.connections.clear()


def abandoned_exit(daemon: Daemon, code: int) -> None:
    """Leave now even though worker threads still run (a hanging request, a long batch):
    Python would otherwise wait for them at exit. SQLite rolls their transactions back."""
    if daemon.abandoned:
        logging.shutdown()
        os._exit(code)


def wait_for(predicate: Any, timeout: float, step: float = 0.05) -> bool:
    """Poll `predicate` until true or `timeout` seconds pass (used by tests and the bench)."""
    limit = time.monotonic() + timeout
    while time.monotonic() < limit:
        if predicate():
            return True
        time.sleep(step)
    return bool(predicate())


def stale_after(config: Config) -> timedelta:
    """A heartbeat older than this means the daemon is not responding."""
    return timedelta(seconds=max(15.0, 3 * config["daemon.heartbeat"]))
