"""The outbox claim under real concurrency: one SQLite file, a sending thread, `tracker
deliveries --retry` in another process, a crashed sender, and a real aiosmtpd server that
holds a message in DATA until the test lets it go."""

from __future__ import annotations

import asyncio
import os
import subprocess
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest_daemon import PYTHON, tracker_cmd
from tests.conftest_deliver import Inbox, SmtpServer, free_port, mail_config
from tracker.config import Config
from tracker.deliver import outbox
from tracker.deliver.mail import SmtpSender, deliver_pending
from tracker.deliver.outbox import Message, enqueue
from tracker.store.db import connect

GATE_TIMEOUT = 20.0  # a held DATA is let go after this even if the test failed to release it
KEY = "alert:mining:7:ann@example.org"


class HeldInbox(Inbox):
    """Counts accepted messages; each DATA waits for `gate` so a send stays in progress."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived = threading.Event()
        self.gate = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.arrived.set()
        # off the server's event loop, so other connections are still served meanwhile
        await asyncio.get_running_loop().run_in_executor(None, self.gate.wait, GATE_TIMEOUT)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def held_smtp():
    server = SmtpServer(free_port())
    server.inbox = HeldInbox()
    server.start()
    try:
        yield server
    finally:
        server.inbox.gate.set()
        server.stop()


def _enqueue(db_path: Path) -> None:
    db = connect(db_path)
    enqueue(db, Message(key=KEY, kind="alert", recipient="ann@example.org",
                        subject="[tracker] mining", body_text="A ban.\n"))
    db.conn.close()


def _config_file(tmp_path: Path, port: int) -> Path:
    path = tmp_path / "tracker.toml"
    path.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\ntimeout = 5.0\n'
                    'from = "tracker@example.org"\n', encoding="utf-8")
    return path


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}


def _row(db_path: Path) -> dict:
    db = connect(db_path)
    try:
        return next(db.query("SELECT * FROM deliveries"))
    finally:
        db.conn.close()


def test_retry_while_a_message_is_being_sent_does_not_send_it_twice(tmp_path, db_path,
                                                                    held_smtp):
    _enqueue(db_path)
    config = mail_config(held_smtp.port)
    outcomes: list[outbox.Outcome] = []

    def daemon_sends() -> None:  # the daemon's deliver job, on its own connection
        db = connect(db_path)
        try:
            outcomes.extend(deliver_pending(db, config))
        finally:
            db.conn.close()

    sending = threading.Thread(target=daemon_sends)
    sending.start()
    try:
        assert held_smtp.inbox.arrived.wait(15), "the first send never reached the server"
        retry = subprocess.run(
            tracker_cmd(db_path, _config_file(tmp_path, held_smtp.port), "deliveries", "--retry"),
            capture_output=True, text=True, timeout=60, env=_env())
    finally:
        held_smtp.inbox.gate.set()
        sending.join(30)
    assert retry.returncode == 0, retry.stderr
    assert "Retrying 1 message." in retry.stdout and "sent" not in retry.stdout
    assert [o.state for o in outcomes] == ["sent"]
    assert len(held_smtp.inbox.envelopes) == 1
    row = _row(db_path)
    assert row["state"] == "sent" and row["attempts"] == 1 and row["claimed_until"] is None


CRASH = """
import os, signal, sys
from tracker.config import Config
from tracker.deliver.outbox import deliver_due
from tracker.store.db import connect

def crash(row):  # dies holding the claim, as a sender killed mid-send would
    os.kill(os.getpid(), signal.SIGKILL)

deliver_due(connect(sys.argv[1]), Config(), crash)
"""


def test_a_crashed_senders_claim_is_kept_until_it_expires_then_sent_once(tmp_path, db_path):
    _enqueue(db_path)
    crashed = subprocess.run([PYTHON, "-c", CRASH, str(db_path)], capture_output=True,
                             text=True, timeout=60, env=_env(),
                             cwd=Path(__file__).resolve().parents[1])
    assert crashed.returncode == -9, crashed.stderr
    claimed = _row(db_path)
    assert claimed["state"] == "pending" and claimed["claimed_until"] and claimed["attempts"] == 0
    listed = subprocess.run(tracker_cmd(db_path, _config_file(tmp_path, 25), "deliveries"),
                            capture_output=True, text=True, timeout=60, env=_env())
    assert f"being sent now (claimed until {claimed['claimed_until']})" in listed.stdout
    server = SmtpServer(free_port())
    server.start()
    db = connect(db_path)
    try:
        config = mail_config(server.port)
        assert deliver_pending(db, config) == []  # the claim may still be live: hands off
        assert outbox.requeue_failed(db) == 1
        assert deliver_pending(db, config) == []  # --retry clears a backoff, never a claim
        # the crashed sender ran with the default settings, so its lease was theirs
        later = datetime.now(UTC) + outbox.claim_lease(Config()) + timedelta(seconds=2)
        with SmtpSender(config) as sender:
            [outcome] = outbox.deliver_due(db, config, sender, now=lambda: later)
        assert outcome.state == "sent"
        assert outbox.deliver_due(db, config, sender, now=lambda: later) == []
        assert len(server.inbox.envelopes) == 1
    finally:
        db.conn.close()
        server.stop()
    row = _row(db_path)
    assert row["state"] == "sent" and row["attempts"] == 1 and row["claimed_until"] is None


def test_retry_clears_a_backoff_but_not_a_live_claim(db):
    config = mail_config(25)
    enqueue(db, Message(key=KEY, kind="alert", recipient="ann@example.org", subject="s",
                        body_text="b"))
    enqueue(db, Message(key=KEY + "2", kind="alert", recipient="bo@example.org", subject="s",
                        body_text="b"))
    now = datetime.now(UTC)
    db.execute("UPDATE deliveries SET next_attempt_at = ?, attempts = 1 WHERE key = ?",
               [(now + timedelta(hours=1)).isoformat(), KEY + "2"])  # backing off
    seen: list[str] = []

    def sender(row: dict) -> None:  # while the first row is claimed, someone retries
        assert outbox.requeue_failed(db) == 2
        assert [r["key"] for r in outbox.due(db, datetime.now(UTC))] == [KEY + "2"]
        seen.append(row["key"])

    outbox.deliver_due(db, config, sender)
    assert seen == [KEY]  # the claimed row went out once
    outbox.deliver_due(db, config, lambda row: seen.append(row["key"]))
    assert seen == [KEY, KEY + "2"]  # the backed-off one is due now, as --retry promises
