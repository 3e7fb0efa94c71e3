"""run, status: the daemon and what it is doing."""

from __future__ import annotations

import faulthandler
import json
import os
import sys
from datetime import UTC, datetime
from typing import Any

import click
import sqlite_utils

from ..cli import AppContext, pass_app
from ..config import Config
from ..daemon import Daemon, abandoned_exit, lock_path, read_state, stale_after
from ..output import print_columns
from ..store.db import db_file


@click.command()
@click.option("--log-format", type=click.Choice(["text", "json"]), default=None,
              help="Log lines as text, or one JSON object per line (default: daemon.log_format).")
@click.option("--once", is_flag=True,
              help="Fetch every enabled source once, run the alerts and the outbox, and exit "
                   "(exit code 1 when a source failed).")
@click.option("--for", "duration", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
              help="Stop by itself after SECONDS (for demos and tests).")
@click.option("--tag/--no-tag", default=True, show_default=True,
              help="Tag entities and events (needs the NLP model; loaded once).")
@pass_app
def run(app: AppContext, log_format: str | None, once: bool, duration: float | None,
        tag: bool) -> None:
    """The daemon: every source on its schedule, alerts after each fetch, the daily digest.

    SIGTERM or Ctrl-C stops it within seconds; SIGHUP (or saving tracker.toml or the
    sources file) reloads the sources and schedules. One daemon per database."""
    # a crash in a C extension leaves a traceback in the log (the real stderr: click may wrap it)
    faulthandler.enable(file=sys.__stderr__)
    daemon = Daemon(app.db_path, app.config, tag=tag, log_format=log_format, once=once,
                    duration=duration)
    code = daemon.run()
    abandoned_exit(daemon, code)
    if code:
        sys.exit(code)


# --- status -----------------------------------------------------------------------------------


def _ago(stamp: str | None, now: datetime) -> str:
    if not stamp:
        return "never"
    seconds = (now - datetime.fromisoformat(stamp)).total_seconds()
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if abs(seconds) >= size:
            return f"{seconds / size:.0f}{unit} ago"
    return f"{seconds:.0f}s ago"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def daemon_status(db: sqlite_utils.Database, config: Config, now: datetime) -> dict[str, Any]:
    """Is a daemon running: from its state row, whether its pid lives and its heartbeat."""
    state = read_state(db)
    if state is None:
        return {"running": False, "detail": "never started on this database"}
    out = {k: state[k] for k in ("pid", "host", "started_at", "heartbeat_at", "stopped_at")}
    beat = datetime.fromisoformat(state["heartbeat_at"])
    if state["state"] == "stopped":
        stopped = _ago(state["stopped_at"], now)
        return {**out, "running": False,
                "detail": f"not running (pid {state['pid']} stopped {stopped})"}
    local = state["host"] == os.uname().nodename
    if local and not _alive(state["pid"]):
        return {**out, "running": False,
                "detail": f"not running (pid {state['pid']} ended without stopping cleanly; "
                          f"last heartbeat {_ago(state['heartbeat_at'], now)})"}
    if now - beat > stale_after(config):
        return {**out, "running": False,
                "detail": f"not responding (pid {state['pid']} on {state['host']}; last "
                          f"heartbeat {_ago(state['heartbeat_at'], now)})"}
    return {**out, "running": True, "state": state["state"],
            "detail": f"{state['state']}, pid {state['pid']} on {state['host']}, started "
                      f"{_ago(state['started_at'], now)}, heartbeat "
                      f"{_ago(state['heartbeat_at'], now)}"}


def status_data(db: sqlite_utils.Database, config: Config) -> dict[str, Any]:
    now = datetime.now(UTC)
    jobs = list(db.query("SELECT id, kind, source, trigger, next_run_at, last_run_at, "
                         "last_status, last_summary, last_elapsed FROM daemon_jobs "
                         "ORDER BY kind != 'source', id"))
    sources = list(db.query("SELECT name, enabled, status, consecutive_failures, last_fetch_at, "
                            "last_success_at, last_error FROM sources ORDER BY name"))
    deliveries = dict(db.execute("SELECT state, count(*) FROM deliveries GROUP BY state")
                      .fetchall())
    next_attempt = db.execute("SELECT min(next_attempt_at) FROM deliveries WHERE state = "
                              "'pending'").fetchone()[0]
    return {"daemon": daemon_status(db, config, now), "lock": str(lock_path(db_file(db))),
            "jobs": jobs, "sources": sources,
            "deliveries": {"pending": deliveries.get("pending", 0),
                           "failed": deliveries.get("failed", 0),
                           "sent": deliveries.get("sent", 0), "next_attempt_at": next_attempt}}


def _short(stamp: str | None) -> str:
    return stamp[:19].replace("T", " ") if stamp else "-"


def _print_status(data: dict[str, Any]) -> None:
    click.echo(f"Daemon: {data['daemon']['detail']}")
    by_source = {s["name"]: s for s in data["sources"]}
    if data["jobs"]:
        rows = [("JOB", "SCHEDULE", "NEXT RUN (UTC)", "LAST RUN (UTC)", "LAST RESULT")]
        for j in data["jobs"]:
            result = j["last_summary"] or "-"
            if j["source"] in by_source and by_source[j["source"]]["status"] in ("broken",
                                                                                 "failing"):
                result = f"[{by_source[j['source']]['status']}] {result}"
            rows.append((j["id"], j["trigger"], _short(j["next_run_at"]),
                         _short(j["last_run_at"]), result[:80]))
        print_columns(rows)
    else:
        click.echo("No jobs recorded yet: start the daemon with `tracker run`.")
    counts: dict[str, int] = {}
    for s in data["sources"]:
        key = s["status"] if s["enabled"] else "disabled"
        counts[key] = counts.get(key, 0) + 1
    click.echo("Sources: " + (", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
                              or "none") + " (details: `tracker sources list`)")
    for s in data["sources"]:
        if s["enabled"] and s["status"] in ("broken", "failing"):
            click.echo(f"  {s['name']}: {s['status']} after {s['consecutive_failures']} "
                       f"failure(s); last error: {s['last_error']}")
    d = data["deliveries"]
    line = f"Deliveries: {d['pending']} pending, {d['failed']} failed, {d['sent']} sent"
    if d["pending"] and d["next_attempt_at"]:
        line += f" (next attempt {_short(d['next_attempt_at'])} UTC)"
    click.echo(line + (" (list: `tracker deliveries`)" if d["pending"] or d["failed"] else ""))


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@pass_app
def status(app: AppContext, fmt: str) -> None:
    """Whether a daemon runs, each job's next run, the last result per source, the outbox."""
    data = status_data(app.db, app.config)
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, default=str))
    else:
        _print_status(data)


COMMANDS = [run, status]
