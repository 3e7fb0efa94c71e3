"""The outbox and SMTP against a real aiosmtpd server on 127.0.0.1."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest_deliver import SmtpServer, free_port, mail_config, running_smtp
from tracker.deliver import outbox
from tracker.deliver.mail import SmtpSender, build_email, deliver_pending
from tracker.deliver.outbox import Message, SendError, enqueue, message_id_for
from tracker.errors import ConfigError


@pytest.fixture
def smtp_server():
    yield from running_smtp()


def _message(key: str = "digest:2021-05-21:ann@example.org", to: str = "ann@example.org"):
    html = ('<p>Story: <a href="https://reuters.example/a">'
            '&lt;script&gt;alert(1)&lt;/script&gt;</a></p>')
    return Message(key=key, kind="digest", recipient=to, subject="[tracker] Digest — 21 May",
                   body_text="Story: https://reuters.example/a\n", body_html=html)


def test_deliver_sends_multipart_alternative_with_headers(db, smtp_server):
    config = mail_config(smtp_server.port)
    assert enqueue(db, _message())
    outcomes = deliver_pending(db, config)
    assert [o.state for o in outcomes] == ["sent"]
    [msg] = smtp_server.inbox.messages
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    assert msg["From"] == "tracker@example.org"
    assert msg["To"] == "ann@example.org"
    assert msg["Subject"] == "[tracker] Digest — 21 May"
    assert msg["Message-ID"] == message_id_for("digest:2021-05-21:ann@example.org")
    assert msg["Date"] and msg["Auto-Submitted"] == "auto-generated"
    html = msg.get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="https://reuters.example/a"' in html
    assert "https://reuters.example/a" in msg.get_body(("plain",)).get_content()
    assert smtp_server.inbox.envelopes[0].rcpt_tos == ["ann@example.org"]
    row = db.execute("SELECT state, attempts, sent_at FROM deliveries").fetchone()
    assert row[0] == "sent" and row[1] == 1 and row[2]


def test_message_id_is_stable_and_distinct():
    a = message_id_for("alert:mining:10:4:ann@example.org")
    assert a == message_id_for("alert:mining:10:4:ann@example.org")
    assert a != message_id_for("alert:mining:10:4:bo@example.org")
    assert a.startswith("<") and a.endswith("@tracker>") and len(a) == 32 + len("<@tracker>")


def test_resend_is_the_same_message(db):
    """After a crash between send and mark, the retry carries the same id and date."""
    config = mail_config(25)
    enqueue(db, _message())
    row = next(db.query("SELECT * FROM deliveries"))
    first, second = build_email(row, config), build_email(row, config)
    assert first.as_bytes() == second.as_bytes()


def test_enqueue_same_key_twice_is_a_no_op(db):
    assert enqueue(db, _message())
    assert not enqueue(db, _message())
    assert db.execute("SELECT count(*) FROM deliveries").fetchone()[0] == 1


def test_server_down_then_up_sends_exactly_once(db):
    port = free_port()
    config = mail_config(port, **{"smtp.timeout": 2.0})
    enqueue(db, _message())
    enqueue(db, _message("digest:2021-05-21:bo@example.org", "bo@example.org"))

    down = deliver_pending(db, config)  # nothing listening on the port
    assert [o.state for o in down] == ["pending", "pending"]
    assert "cannot reach SMTP server" in down[0].error
    rows = list(db.query("SELECT * FROM deliveries ORDER BY id"))
    assert all(r["attempts"] == 1 and r["last_error"] and r["state"] == "pending" for r in rows)
    assert all(r["next_attempt_at"] > datetime.now(UTC).isoformat() for r in rows)
    assert deliver_pending(db, config) == []  # backing off: not due yet

    server = SmtpServer(port)
    server.start()
    try:
        outbox.requeue_failed(db, config)  # the backoff is a minute; make them due now
        up = deliver_pending(db, config)
        assert [o.state for o in up] == ["sent", "sent"]
        again = deliver_pending(db, config)
        assert again == []
        assert sorted(m["To"] for m in server.inbox.messages) == ["ann@example.org",
                                                                  "bo@example.org"]
        assert len(server.inbox.messages) == 2
    finally:
        server.stop()
    rows = list(db.query("SELECT state, attempts, last_error FROM deliveries"))
    assert rows == [{"state": "sent", "attempts": 2, "last_error": None}] * 2


def test_backoff_doubles_and_is_capped():
    config = mail_config(25, **{"smtp.retry_backoff": 60.0, "smtp.max_backoff": 600.0})
    waits = [outbox.backoff(config, n).total_seconds() for n in range(1, 7)]
    assert waits == [60, 120, 240, 480, 600, 600]


def test_permanent_refusal_fails_without_retry(db):
    config = mail_config(25)
    enqueue(db, _message())

    def refuse(row):
        raise SendError("550 no such user", permanent=True)

    [outcome] = outbox.deliver_due(db, config, refuse)
    assert outcome.state == "failed"
    row = next(db.query("SELECT * FROM deliveries"))
    assert row["state"] == "failed" and row["next_attempt_at"] is None
    assert row["last_error"] == "550 no such user"
    assert outbox.deliver_due(db, config, refuse) == []
    assert [r["state"] for r in outbox.listing(db, config)] == ["failed"]


def test_gives_up_after_max_attempts(db):
    config = mail_config(25, **{"smtp.max_attempts": 2})
    enqueue(db, _message())
    clock = [datetime(2021, 5, 21, tzinfo=UTC)]

    def flaky(row):
        raise SendError("421 try later")

    assert outbox.deliver_due(db, config, flaky, now=lambda: clock[0])[0].state == "pending"
    clock[0] += timedelta(hours=2)
    assert outbox.deliver_due(db, config, flaky, now=lambda: clock[0])[0].state == "failed"


def test_a_claimed_message_is_not_sent_by_a_second_worker(db):
    """Two processes delivering at once: the claim lets only one of them send a row."""
    config = mail_config(25)
    enqueue(db, _message())
    sent = []

    def sender(row):
        # while this worker sends, a second worker looks at the outbox
        assert outbox.deliver_due(db, config, lambda r: sent.append(("second", r["key"]))) == []
        sent.append(("first", row["key"]))

    outbox.deliver_due(db, config, sender)
    assert sent == [("first", "digest:2021-05-21:ann@example.org")]


def test_rejected_recipient_is_a_permanent_failure(db, smtp_server):
    class Refusing:
        async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
            return "550 5.1.1 mailbox unavailable"

    smtp_server.stop()
    smtp_server.inbox = Refusing()
    smtp_server.start()
    enqueue(db, _message())
    [outcome] = deliver_pending(db, mail_config(smtp_server.port))
    assert outcome.state == "failed" and "550" in outcome.error


def test_password_comes_from_the_named_environment_variable(monkeypatch):
    config = mail_config(25, **{"smtp.username": "ann", "smtp.password_env": "MY_SMTP_PW"})
    monkeypatch.delenv("MY_SMTP_PW", raising=False)
    sender = SmtpSender(config)
    with pytest.raises(ConfigError, match="MY_SMTP_PW"):
        sender._connect()


def test_login_uses_the_password_from_the_environment(db, monkeypatch):
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    seen = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and \
            (auth_data.login, auth_data.password) == (b"ann", b"s3cret")
        seen.append(ok)
        return AuthResult(success=ok, handled=False)

    server = SmtpServer(free_port())
    server.controller = Controller(server.inbox, hostname="127.0.0.1", port=server.port,
                                   authenticator=authenticator,
                                   auth_require_tls=False)
    server.controller.start()
    try:
        config = mail_config(server.port, **{"smtp.username": "ann",
                                             "smtp.password_env": "MY_SMTP_PW"})
        enqueue(db, _message())
        monkeypatch.setenv("MY_SMTP_PW", "wrong")
        [refused] = deliver_pending(db, config)
        assert refused.state == "pending" and "535" in refused.error  # fixable: retried
        monkeypatch.setenv("MY_SMTP_PW", "s3cret")
        outbox.requeue_failed(db, config)
        assert [o.state for o in deliver_pending(db, config)] == ["sent"]
        assert seen[-1] and not any(seen[:-1])  # smtplib tries PLAIN, then LOGIN
        assert len(server.inbox.envelopes) == 1
    finally:
        server.stop()
