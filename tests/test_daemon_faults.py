"""Faults, with the daemon as a real subprocess: kill -9 mid-ingest, readers while it writes,
hanging and failing sources, SMTP down, SIGTERM, SIGHUP, a second daemon.

Each test is bounded: the daemon runs with --for as a backstop and is killed at teardown;
the HTTP and SMTP servers live on 127.0.0.1 and stop with the test.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest_daemon import (
    ENV,
    Feed,
    daemon_process,
    serve_site,
    tracker_cmd,
    write_config,
    write_sources,
)
from tests.conftest_deliver import SmtpServer, free_port
from tracker.daemon import wait_for

# The issue asks for readers running "for a minute"; 20 s keeps the suite short. Set
# TRACKER_TEST_READ_SECONDS=60 to run the full minute.
READ_SECONDS = float(os.environ.get("TRACKER_TEST_READ_SECONDS", "20"))


def count(db: Path, sql: str, params: tuple = ()) -> int:
    conn = sqlite3.connect(db, timeout=30)
    try:
        return conn.execute(sql, params).fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # not created yet
    finally:
        conn.close()


def run_cli(db: Path, config: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(tracker_cmd(db, config, *args), capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **ENV})


def test_kill_9_mid_ingest_loses_nothing_and_stores_nothing_twice(tmp_path: Path):
    db = tmp_path / "t.db"
    feeds = ["big-a", "big-b", "big-c"]
    with serve_site() as site:
        for name in feeds:
            site.add(Feed(name, entries=150, page_delay=0.01))
        config = write_config(tmp_path, site, feeds)
        total = 150 * len(feeds)
        with daemon_process(tmp_path, db, config, "--no-tag", "--for", "120") as proc:
            assert wait_for(lambda: count(db, "SELECT count(*) FROM documents") > 0, 60)
            proc.signal(signal.SIGKILL)
            proc.popen.wait(timeout=10)
        stored = count(db, "SELECT count(*) FROM documents")
        cached = count(db, "SELECT count(*) FROM http_cache")
        assert 0 < stored < total, "the kill should land mid-ingest"
        assert cached < len(feeds), "a feed whose documents were not all stored keeps no validators"
        conn = sqlite3.connect(db)
        before = {r[0] for r in conn.execute("SELECT url FROM documents")}
        conn.close()
        pages_before = {p: n for p, n in site.hits.items() if "/a/" in p}

        again = run_cli(db, config, "run", "--once", "--no-tag", timeout=120)
        assert again.returncode == 0, again.stderr

        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == total
        assert conn.execute("SELECT count(*) FROM (SELECT source, guid FROM documents "
                            "GROUP BY source, guid HAVING count(*) > 1)").fetchone()[0] == 0
        assert conn.execute("SELECT count(DISTINCT content_hash) FROM documents").fetchone()[0] \
            == total
        assert conn.execute("SELECT count(*) FROM http_cache").fetchone()[0] == len(feeds)
        conn.close()
        # stored before the kill: not fetched again; the rest: fetched again
        for url in before:
            path = "/" + url.split("/", 3)[3]
            assert site.hits[path] == pages_before[path], path


def _reader_script(db: Path, seconds: float) -> str:
    return f"""
import time, sys
from tracker.store.db import connect
from tracker.store.query import search
db = connect({str(db)!r})
end = time.monotonic() + {seconds}
n = 0
while time.monotonic() < end:
    for q in ("crackdown", "bitcoin mining", "penalty OR tariff"):
        search(db, q, limit=5)
        n += 1
print(n)
"""


def test_searches_in_other_processes_never_see_database_is_locked(tmp_path: Path):
    db = tmp_path / "t.db"
    with serve_site() as site:
        feeds = [f"grow-{i}" for i in range(3)]
        for name in feeds:
            site.add(Feed(name, entries=20, grow=8))
        config = write_config(tmp_path, site, feeds)
        with daemon_process(tmp_path, db, config, "--no-tag",
                            "--for", str(READ_SECONDS + 30)) as proc:
            assert wait_for(lambda: count(db, "SELECT count(*) FROM documents") > 0, 30)
            start_docs = count(db, "SELECT count(*) FROM documents")
            env = {**os.environ, **ENV}
            reader = subprocess.Popen([tracker_cmd(db, config)[0], "-c",
                                       _reader_script(db, READ_SECONDS)],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                      env=env)
            cli_runs, cli_errors = 0, []
            end = time.monotonic() + READ_SECONDS
            while time.monotonic() < end:
                result = run_cli(db, config, "search", "crackdown", "--limit", "3")
                cli_runs += 1
                if result.returncode != 0:
                    cli_errors.append(result.stderr)
            out, err = reader.communicate(timeout=READ_SECONDS + 30)
            assert proc.popen.poll() is None, proc.text()
            proc.signal(signal.SIGTERM)
            proc.popen.wait(timeout=15)
        written = count(db, "SELECT count(*) FROM documents") - start_docs
    assert reader.returncode == 0, err
    assert "locked" not in err.lower() and int(out.strip()) > 50
    assert cli_runs >= 5 and cli_errors == []
    assert written > 100, "the daemon kept writing while the searches ran"
    assert "locked" not in proc.text().lower()


def test_hanging_and_failing_sources_and_smtp_down_recover_without_loss(tmp_path: Path):
    db = tmp_path / "t.db"
    port = free_port()
    smtp = SmtpServer(port)
    with serve_site() as site:
        site.add(Feed("steady", entries=3))
        site.add(Feed("hangs", hang=20.0))  # longer than http.total_timeout (3 s)
        site.add(Feed("flaps", entries=4, fail_first=4))  # 500 four times, then fine
        config = write_config(
            tmp_path, site, ["steady", "hangs", "flaps"],
            {"smtp": {"host": "127.0.0.1", "port": port, "retry_backoff": 0.5,
                      "max_backoff": 1.0, "timeout": 2.0}},
            alerts=[{"name": "all-news", "query": "crackdown",
                     "recipients": ["ann@example.org"], "delivery": "immediate"}])
        try:
            with daemon_process(tmp_path, db, config, "--no-tag", "--for", "90") as proc:
                # SMTP down for several runs: messages wait in the outbox, attempts counted
                assert wait_for(lambda: count(
                    db, "SELECT coalesce(max(attempts), 0) FROM deliveries "
                    "WHERE state = 'pending'") >= 3, 40), proc.text()
                assert count(db, "SELECT count(*) FROM deliveries WHERE state = 'sent'") == 0
                assert proc.named("deliver.retry"), "the log says the messages wait"
                # a hanging source holds one thread; the steady one kept its schedule
                assert wait_for(lambda: site.hits["/steady/feed.xml"] >= 6, 10)
                assert site.hits["/hangs/feed.xml"] <= 3  # each try hangs 3 s before giving up
                smtp.start()
                assert wait_for(lambda: count(
                    db, "SELECT count(*) FROM sources WHERE name = 'flaps' AND status = 'ok'"),
                    30), proc.text()
                assert wait_for(lambda: count(db, "SELECT count(*) FROM deliveries") > 0 and count(
                    db, "SELECT count(*) FROM deliveries WHERE state != 'sent'") == 0
                    and count(db, "SELECT count(*) FROM deliveries WHERE body_text LIKE "
                              "'%flaps story%'") > 0, 30), proc.text()
                proc.signal(signal.SIGTERM)
                proc.popen.wait(timeout=15)
            inbox = smtp.inbox.messages
        finally:
            smtp.stop()
    ids = [m["Message-ID"] for m in inbox]
    conn = sqlite3.connect(db)
    outbox = {r[0] for r in conn.execute("SELECT message_id FROM deliveries")}
    assert len(ids) == len(set(ids)) == len(outbox) and set(ids) == outbox  # exactly once each
    flaps = conn.execute("SELECT count(*) FROM documents WHERE source = 'flaps'").fetchone()[0]
    assert flaps == 4
    assert conn.execute("SELECT count(*) FROM documents WHERE source = 'hangs'").fetchone()[0] == 0
    failures = [e for e in proc.named("fetch.failed") if e["source"] == "hangs"]
    assert failures and failures[0]["reason"] == "timeout" and "retry at" in failures[0]["message"]
    conn.close()


def test_broken_source_slowed_sigterm_fast_second_daemon_refused(tmp_path: Path):
    db = tmp_path / "t.db"
    with serve_site() as site:
        site.add(Feed("ok-one"))
        site.add(Feed("dead", always_fail=True))
        site.add(Feed("slow", hang=30.0))
        config = write_config(tmp_path, site, ["ok-one", "dead", "slow"],
                              {"http": {"total_timeout": 60.0, "read_timeout": 60.0}})
        with daemon_process(tmp_path, db, config, "--no-tag", "--for", "60") as proc:
            broken = proc.wait_event(lambda e: e.get("event") == "fetch.failed"
                                     and e.get("status") == "broken", 20)
            assert broken and "marked broken after 3 failures" in broken["message"], proc.text()
            marked = site.times["/dead/feed.xml"][-1]
            time.sleep(9)
            later = [t - marked for t in site.times["/dead/feed.xml"] if t > marked]
            # healthy pace: every 1 s; broken: every 4 s (4x slower), still retried
            assert 1 <= len(later) <= 3 and later[0] >= 3.0, later

            second = run_cli(db, config, "run", "--once", "--no-tag")
            assert second.returncode == 2
            assert f"pid {proc.popen.pid}" in second.stderr and "kill -TERM" in second.stderr

            status = run_cli(db, config, "status")
            assert f"Daemon: running, pid {proc.popen.pid}" in status.stdout
            assert "dead: broken after" in status.stdout

            assert site.hits["/slow/feed.xml"] >= 1  # a request hangs right now
            sent = time.monotonic()
            proc.signal(signal.SIGTERM)
            proc.popen.wait(timeout=15)
            took = time.monotonic() - sent
        assert took < 10, f"SIGTERM took {took:.1f}s"
        assert proc.popen.returncode == 0
        assert proc.named("daemon.stopped")
        after = run_cli(db, config, "status")
        assert "Daemon: not running" in after.stdout


def test_sighup_reloads_an_added_source(tmp_path: Path):
    db = tmp_path / "t.db"
    with serve_site() as site:
        site.add(Feed("first"))
        site.add(Feed("added", entries=2))
        # a long heartbeat: only the signal, not the file poll, can trigger this reload
        config = write_config(tmp_path, site, ["first"], {"daemon": {"heartbeat": 60.0}})
        with daemon_process(tmp_path, db, config, "--no-tag", "--for", "40") as proc:
            assert proc.wait_event(lambda e: e.get("event") == "fetch.ok"
                                   and e.get("source") == "first", 20), proc.text()
            write_sources(tmp_path, site, ["first", "added"])
            proc.signal(signal.SIGHUP)
            reload = proc.wait_event(lambda e: e.get("event") == "reload", 10)
            assert reload and reload["added"] == ["added"] and "SIGHUP" in reload["message"]
            assert proc.wait_event(lambda e: e.get("event") == "fetch.ok"
                                   and e.get("source") == "added", 10), proc.text()
            proc.signal(signal.SIGTERM)
            proc.popen.wait(timeout=15)
    assert count(db, "SELECT count(*) FROM documents WHERE source = 'added'") == 2


@pytest.mark.parametrize("fmt", ["text"])
def test_run_for_stops_by_itself_and_logs_text(tmp_path: Path, fmt: str):
    db = tmp_path / "t.db"
    with serve_site() as site:
        site.add(Feed("only"))
        config = write_config(tmp_path, site, ["only"])
        started = time.monotonic()
        result = run_cli(db, config, "run", "--no-tag", "--for", "3", "--log-format", fmt)
        took = time.monotonic() - started
    assert result.returncode == 0 and took < 10
    assert "fetch.ok" in result.stderr and "only: 5 new" in result.stderr
    assert "--for 3s is up" in result.stderr and "daemon.stopped" in result.stderr
