"""The daemon in-process: log formats, paces, the lock, --once, broken sources, reloads."""

from __future__ import annotations

import io
import json
import logging
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest_daemon import ENV, Feed, serve_site, write_config, write_sources
from tracker import logs
from tracker.cli import main
from tracker.config import Config, load_config
from tracker.daemon import Daemon, DatabaseLock
from tracker.errors import ConfigError, LockedError
from tracker.models import Source
from tracker.scheduler import digest_time, source_job_id, source_pace
from tracker.store.db import connect


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)


def invoke(db: Path, config: Path, *args: str):
    return CliRunner().invoke(main, ["--db", str(db), "--config", str(config), *args],
                              catch_exceptions=False)


# --- logs ----------------------------------------------------------------------------------------


def test_logs_json_is_one_object_per_line_with_fields():
    stream = io.StringIO()
    handler = logs.setup("json", stream)
    try:
        logs.event("fetch.failed", "a: failed; retry at 10:00:00 UTC", logging.WARNING,
                   source="a", failures=2)
        logging.getLogger("tracker.collect.run").error("plain record")
    finally:
        logs.teardown(handler)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["event"] == "fetch.failed" and first["level"] == "warning"
    assert first["source"] == "a" and first["failures"] == 2
    assert "retry at" in first["message"]
    assert second["event"] == "tracker.collect.run" and second["message"] == "plain record"


def test_logs_text_line_names_event_and_message():
    stream = io.StringIO()
    handler = logs.setup("text", stream)
    try:
        logs.event("fetch.ok", "wire: 3 new, 2 already stored (1.2s)", source="wire")
    finally:
        logs.teardown(handler)
    line = stream.getvalue().strip()
    assert " INFO  fetch.ok " in line and line.endswith("wire: 3 new, 2 already stored (1.2s)")


# --- paces ---------------------------------------------------------------------------------------


def test_interval_pace_scaled_and_slowed_when_broken():
    source = Source(name="s", kind="feed", url="http://127.0.0.1/", schedule="every 30m")
    config = Config(values={"daemon.jitter": 0})
    assert source_pace(source, config).seconds == 1800
    assert source_pace(source, config).text == "every 30m"
    broken = source_pace(source, config, broken=True)
    assert broken.seconds == 7200 and "broken: 4x slower than every 30m" in broken.text
    fast = Config(values={"daemon.time_scale": 60.0})
    assert source_pace(source, fast).seconds == 30 and source_pace(source, fast).text == "every 30s"


def test_cron_pace_uses_the_gap_between_runs():
    source = Source(name="s", kind="feed", url="http://127.0.0.1/", schedule="0 */6 * * *")
    config = Config()
    assert source_pace(source, config).seconds == 6 * 3600
    assert source_pace(source, config, broken=True).seconds == 24 * 3600


def test_digest_time_must_be_a_time_of_day():
    assert digest_time(Config(values={"digest.time": "07:30"})) == (7, 30)
    with pytest.raises(ConfigError, match="HH:MM"):
        digest_time(Config(values={"digest.time": "25:00"}))


# --- the lock ------------------------------------------------------------------------------------


def test_second_lock_names_the_holder(tmp_path: Path):
    first = DatabaseLock(tmp_path / "t.db")
    first.acquire()
    try:
        with pytest.raises(LockedError, match=f"pid {os.getpid()}") as info:
            DatabaseLock(tmp_path / "t.db").acquire()
        assert info.value.exit_code == 2 and "kill -TERM" in str(info.value)
    finally:
        first.release()
    again = DatabaseLock(tmp_path / "t.db")
    again.acquire()  # released locks do not linger
    again.release()


# --- --once through the CLI ------------------------------------------------------------------


def test_run_once_stores_then_sees_not_modified(tmp_path: Path):
    db = tmp_path / "t.db"
    with serve_site() as site:
        site.add(Feed("alpha", entries=4))
        site.add(Feed("beta", entries=3))
        config = write_config(tmp_path, site, ["alpha", "beta"])
        first = invoke(db, config, "run", "--once", "--no-tag", "--log-format", "json")
        assert first.exit_code == 0, first.output
        events = [json.loads(line) for line in first.stderr.splitlines()]
        done = [e for e in events if e["event"] == "cycle.done"][0]
        assert done["new"] == 7 and done["failed"] == []
        second = invoke(db, config, "run", "--once", "--no-tag")
        assert second.exit_code == 0
        assert "alpha: not modified" in second.stderr and "0 new documents" in second.stderr
        assert site.conditional_hits["/alpha/feed.xml"] == 1
    database = connect(db)
    assert database.execute("SELECT count(*) FROM documents").fetchone()[0] == 7
    status = invoke(db, config, "status")
    assert "Daemon: not running" in status.output and "2 ok" in status.output


def test_run_once_exits_1_when_a_source_fails(tmp_path: Path):
    with serve_site() as site:
        site.add(Feed("good"))
        site.add(Feed("bad", always_fail=True))
        config = write_config(tmp_path, site, ["good", "bad"])
        result = invoke(tmp_path / "t.db", config, "run", "--once", "--no-tag")
    assert result.exit_code == 1
    assert "bad: failed (http-500" in result.stderr
    assert "failure 1 of 3 before it is marked broken" in result.stderr


# --- broken sources and reloads, through the daemon's job functions --------------------------


@pytest.fixture
def daemon(tmp_path: Path):
    """A daemon with its scheduler paused: tests call its job functions directly."""
    opened: list[Daemon] = []
    handlers = []

    def make(site, feeds: list[str], **settings) -> Daemon:
        config_path = write_config(tmp_path, site, feeds, settings)
        d = Daemon(tmp_path / "t.db", load_config(config_path), tag=False)
        handlers.append(logs.setup("text", stream := io.StringIO()))
        d.log_stream = stream
        d.open()
        d.start_scheduler(paused=True)
        opened.append(d)
        return d

    yield make
    for d in opened:
        d.close()
    for h in handlers:
        logs.teardown(h)


def test_source_marked_broken_after_n_failures_then_retried_slower(tmp_path: Path, daemon):
    with serve_site() as site:
        feed = site.add(Feed("flaky", always_fail=True))
        site.add(Feed("steady"))
        d = daemon(site, ["flaky", "steady"])
        normal = d.sched.get_job(source_job_id("flaky")).trigger.interval
        results = [d.run_source("flaky") for _ in range(3)]
        assert [r.status for r in results] == ["failing", "failing", "broken"]
        job = d.sched.get_job(source_job_id("flaky"))
        assert job.trigger.interval == normal * 4 and "broken" in job.name
        assert "marked broken after 3 failures in a row; still retried" in d.log_stream.getvalue()
        assert d.run_source("steady").new == 5  # the others keep working

        listing = invoke(tmp_path / "t.db", tmp_path / "tracker.toml", "sources", "list")
        assert "broken" in [line.split()[4] for line in listing.output.splitlines()
                            if line.startswith("flaky")][0]
        check = invoke(tmp_path / "t.db", tmp_path / "tracker.toml", "sources", "check")
        assert check.exit_code == 1 and "flaky" in check.stderr

        from tracker.deliver.digest import source_health
        health = source_health(connect(tmp_path / "t.db"), datetime.now(UTC))
        assert [(h.name, h.problem) for h in health] == [("flaky", "broken")]

        feed.always_fail = False
        assert d.run_source("flaky").status == "ok"
        job = d.sched.get_job(source_job_id("flaky"))
        assert job.trigger.interval == normal and "broken" not in job.name


def test_broken_source_waits_out_its_slow_pace_after_a_restart(tmp_path: Path, daemon):
    with serve_site() as site:
        site.add(Feed("flaky", always_fail=True))
        d = daemon(site, ["flaky"])
        for _ in range(3):
            d.run_source("flaky")
        d.close()
        again = daemon(site, ["flaky"])
        job = again.sched.get_job(source_job_id("flaky"))
        assert "broken" in job.name
        # every 1m scaled by 60 = 1 s; broken: 4 s after its last fetch, not at once
        assert job.next_run_time > datetime.now(UTC) + timedelta(seconds=2)


def test_edited_sources_file_is_reloaded_and_a_bad_edit_kept_out(tmp_path: Path, daemon):
    with serve_site() as site:
        site.add(Feed("alpha"))
        site.add(Feed("beta"))
        d = daemon(site, ["alpha"])
        assert d.sched.get_job(source_job_id("beta")) is None
        write_sources(tmp_path, site, ["alpha", "beta"])
        os.utime(tmp_path / "sources.toml", ns=(1, 2))  # a different mtime, whatever the clock
        d._tick()
        assert d.sched.get_job(source_job_id("beta")) is not None
        assert "added beta" in d.log_stream.getvalue()

        (tmp_path / "sources.toml").write_text("[[source]]\nname = 'x'\n", encoding="utf-8")
        os.utime(tmp_path / "sources.toml", ns=(3, 4))
        d._tick()
        assert "reload (config file changed) failed" in d.log_stream.getvalue()
        assert d.sched.get_job(source_job_id("beta")) is not None  # kept running as it was
        assert set(d.sources) == {"alpha", "beta"}


def test_status_lists_jobs_next_runs_and_pending_deliveries(tmp_path: Path, daemon):
    with serve_site() as site:
        site.add(Feed("alpha"))
        d = daemon(site, ["alpha"])
        d.run_source("alpha")
        d.heartbeat()
        db = connect(tmp_path / "t.db")
        db.execute("INSERT INTO deliveries (key, kind, recipient, subject, body_text, message_id,"
                   " state, attempts, created_at) VALUES ('k', 'alert', 'a@example.org', 's',"
                   " 'b', '<m@x>', 'pending', 2, '2024-01-01T00:00:00+00:00')")
        out = invoke(tmp_path / "t.db", tmp_path / "tracker.toml", "status").output
        assert f"Daemon: running, pid {os.getpid()}" in out
        line = [ln for ln in out.splitlines() if ln.startswith("source:alpha")][0]
        assert "every 1s" in line and "5 new, 0 already stored" in line
        assert any(ln.startswith("digest ") and "daily at 07:00 UTC" in ln
                   for ln in out.splitlines())
        assert "Deliveries: 1 pending" in out
        data = json.loads(invoke(tmp_path / "t.db", tmp_path / "tracker.toml", "status",
                                 "--format", "json").output)
        assert data["daemon"]["running"] is True and data["daemon"]["pid"] == os.getpid()
