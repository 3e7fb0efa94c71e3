"""The outbox claim under real concurrency: one SQLite file, a sending thread, `tracker
deliveries --retry` in another process, a crashed sender, a sender that outlived its lease,
and real aiosmtpd servers: one that holds a message in DATA until the test lets it go, one
that refuses, one that answers a byte at a time."""

from __future__ import annotations

import asyncio
import os
import subprocess
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult
from click.testing import CliRunner

from tests.conftest_daemon import PYTHON, tracker_cmd
from tests.conftest_deliver import Inbox, SmtpServer, free_port, mail_config, running_smtp
from tracker.cli import main
from tracker.config import Config
from tracker.deliver import outbox
from tracker.deliver.mail import SmtpSender, deliver_pending
from tracker.deliver.outbox import Message, Requeued, enqueue
from tracker.errors import ConfigError
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


def _enqueue(db_path: Path, *recipients: str) -> None:
    db = connect(db_path)
    for who in recipients or ("ann@example.org",):
        key = KEY if who == "ann@example.org" else f"{KEY}:{who}"
        enqueue(db, Message(key=key, kind="alert", recipient=who, subject="[tracker] mining",
                            body_text="A ban.\n"))
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
    assert retry.stdout == ("Retrying 0 messages. 1 message is being sent right now by another"
                            " sender, and left to it.\n")
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
        assert outbox.requeue_failed(db, config) == Requeued(retried=0, being_sent=1)
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
    assert row["claimed_by"] is None


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
        assert outbox.requeue_failed(db, config) == Requeued(retried=1, being_sent=1)
        assert [r["key"] for r in outbox.due(db, datetime.now(UTC))] == [KEY + "2"]
        seen.append(row["key"])

    outbox.deliver_due(db, config, sender)
    assert seen == [KEY]  # the claimed row went out once
    outbox.deliver_due(db, config, lambda row: seen.append(row["key"]))
    assert seen == [KEY, KEY + "2"]  # the backed-off one is due now, as --retry promises


class Refusing(Inbox):
    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        return "451 4.3.0 try again later"


@pytest.mark.parametrize("failure", ["refused", "config error"])
def test_a_sender_past_its_lease_leaves_the_claim_of_the_sender_that_took_over(
        tmp_path, db_path, held_smtp, failure):
    """Sender A stalls past its lease; B takes the message and is on the wire when A's own
    attempt ends (a 451, or an error that is not the server's). A must not clear B's claim,
    or `--retry` would send a third copy while B is still sending."""
    _enqueue(db_path)
    refusing = SmtpServer(free_port())
    refusing.inbox = Refusing()
    refusing.start()
    a_config = mail_config(refusing.port)
    # A's clock says it claimed a lease and a bit ago: its claim has run out by B's clock
    stalled = datetime.now(UTC) - outbox.claim_lease(a_config) - timedelta(seconds=5)
    b_outcomes: list[outbox.Outcome] = []

    def b_sends() -> None:  # the daemon's next tick, on its own connection
        db = connect(db_path)
        try:
            b_outcomes.extend(deliver_pending(db, mail_config(held_smtp.port)))
        finally:
            db.conn.close()

    b = threading.Thread(target=b_sends)

    def a_sends(row: dict) -> None:
        b.start()
        assert held_smtp.inbox.arrived.wait(15), "B never reached the server"
        if failure == "config error":
            raise ConfigError("smtp.username is set but the environment variable X is not")
        with SmtpSender(a_config) as smtp:
            smtp(row)

    a_db = connect(db_path)
    try:
        if failure == "config error":
            with pytest.raises(ConfigError):
                outbox.deliver_due(a_db, a_config, a_sends, now=lambda: stalled)
        else:
            [a] = outbox.deliver_due(a_db, a_config, a_sends, now=lambda: stalled)
        held = _row(db_path)  # B's claim, untouched by A's failure
        assert (held["claimed_until"] or "") > datetime.now(UTC).isoformat() and held["claimed_by"]
        assert held["attempts"] == 0 and held["last_error"] is None
        if failure == "refused":
            assert a.state == "pending" and a.error.startswith("451 4.3.0 try again later")
            assert "another sender has it" in a.error
        retry = CliRunner().invoke(main, ["--db", str(db_path), "--config",
                                          str(_config_file(tmp_path, held_smtp.port)),
                                          "deliveries", "--retry"])
        assert retry.output == ("Retrying 0 messages. 1 message is being sent right now by "
                                "another sender, and left to it.\n"), retry.output
    finally:
        held_smtp.inbox.gate.set()
        if b.is_alive():
            b.join(30)
        a_db.conn.close()
        refusing.stop()
    assert [o.state for o in b_outcomes] == ["sent"]
    assert len(held_smtp.inbox.envelopes) == 1 and refusing.inbox.envelopes == []
    row = _row(db_path)
    assert row["state"] == "sent" and row["attempts"] == 1 and row["claimed_by"] is None


def test_an_error_that_is_not_the_servers_gives_the_claim_back(tmp_path, db_path, monkeypatch):
    """A missing password raises inside the first message's send: the message must not stay
    "being sent now" with nobody sending it, and once fixed, --retry sends both."""
    monkeypatch.delenv("TRACKER_CONFIG", raising=False)
    monkeypatch.delenv("OUTBOX_TEST_PW", raising=False)
    _enqueue(db_path, "ann@example.org", "bo@example.org")
    server = SmtpServer(free_port())
    server.controller = Controller(server.inbox, hostname="127.0.0.1", port=server.port,
                                   authenticator=lambda *args: AuthResult(success=True),
                                   auth_require_tls=False)
    server.controller.start()
    toml = _config_file(tmp_path, server.port)
    toml.write_text(toml.read_text(encoding="utf-8") + 'username = "ann"\n'
                    'password_env = "OUTBOX_TEST_PW"\n', encoding="utf-8")
    args = ["--db", str(db_path), "--config", str(toml), "deliveries"]
    runner = CliRunner()
    try:
        first = runner.invoke(main, [*args, "--retry"])
        assert first.exit_code == 2 and "export OUTBOX_TEST_PW=" in first.output, first.output
        assert all(r["claimed_until"] is None and r["attempts"] == 0
                   for r in connect(db_path).query("SELECT * FROM deliveries"))
        assert "being sent now" not in runner.invoke(main, args).output
        monkeypatch.setenv("OUTBOX_TEST_PW", "s3cret")
        fixed = runner.invoke(main, [*args, "--retry"])
        assert fixed.exit_code == 0, fixed.output
        assert fixed.output.startswith("Retrying 2 messages.\n")
        assert fixed.output.count("sent     ") == 2
        assert len(server.inbox.envelopes) == 2
    finally:
        server.stop()


def test_a_claim_dated_in_the_future_is_stale(db, smtp_server):
    """A claim written while the clock was a month ahead, by a sender that then died, would
    keep the message off every sender for a month; --retry cannot clear a claim. One a little
    ahead (within a lease) is live, as a claim just written is."""
    config = mail_config(smtp_server.port)
    enqueue(db, Message(key=KEY, kind="alert", recipient="ann@example.org", subject="s",
                        body_text="b"))
    now = datetime.now(UTC)
    claim = "UPDATE deliveries SET claimed_until = ?, claimed_by = '4242-0badc1a1'"
    db.execute(claim, [(now + outbox.claim_lease(config)).isoformat()])
    assert deliver_pending(db, config) == []
    db.execute(claim, [(now + timedelta(days=30)).isoformat()])
    [listed] = outbox.listing(db, config)
    assert not listed["being_sent"]
    assert outbox.requeue_failed(db, config) == Requeued(retried=1, being_sent=0)
    assert [o.state for o in deliver_pending(db, config)] == ["sent"]
    assert deliver_pending(db, config) == []
    assert len(smtp_server.inbox.envelopes) == 1


@pytest.fixture
def smtp_server():
    yield from running_smtp()


BYTE_DELAY = 0.05  # seconds between two bytes of a reply: far inside smtp.timeout


class Tarpit(SMTP):
    """An SMTP server that answers every command a byte at a time: each read returns well
    within smtp.timeout, so only a deadline on the whole attempt ends it."""

    async def push(self, status):
        data = (status.encode("ascii") if isinstance(status, str) else status) + b"\r\n"
        for i in range(len(data)):
            if self._writer.transport.is_closing():
                return
            self._writer.write(data[i:i + 1])
            await asyncio.sleep(BYTE_DELAY)


class TarpitController(Controller):
    def factory(self):
        return Tarpit(self.handler, **self.SMTP_kwargs)


def test_a_server_answering_a_byte_at_a_time_cannot_stretch_an_attempt_past_its_deadline(db):
    """smtp.timeout bounds each read; this server would hold one attempt ~12 s (24 x the
    timeout), longer than any lease counted in timeouts. The attempt ends at its deadline,
    well within the claim's lease, and the message waits to be retried."""
    inbox = Inbox()
    controller = TarpitController(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    config = mail_config(controller.port, **{"smtp.timeout": 0.5})
    deadline = outbox.attempt_deadline(config)
    assert deadline == 3.0
    enqueue(db, Message(key=KEY, kind="alert", recipient="ann@example.org", subject="s",
                        body_text="b"))
    try:
        started = time.monotonic()
        [outcome] = deliver_pending(db, config)
        took = time.monotonic() - started
    finally:
        controller.stop()
    assert outcome.state == "pending", outcome
    assert outcome.error.endswith("no answer within 3 s, the limit for one attempt "
                                  "(6 x smtp.timeout)")
    assert deadline <= took < deadline + 1.0
    assert took < outbox.claim_lease(config).total_seconds()
    assert inbox.envelopes == []
    row = next(db.query("SELECT * FROM deliveries"))
    assert row["attempts"] == 1 and row["claimed_until"] is None and row["next_attempt_at"]
