"""SMTP: build a multipart/alternative message from an outbox row, and send it with smtplib."""

from __future__ import annotations

import contextlib
import hashlib
import os
import smtplib
import socket
import ssl
import threading
import time
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from ..config import Config
from ..errors import ConfigError
from .outbox import ATTEMPT_TIMEOUTS, Outcome, SendError, attempt_deadline, deliver_due


def build_email(row: dict[str, Any], config: Config) -> EmailMessage:
    """The email for one deliveries row; built the same way on every attempt."""
    msg = EmailMessage()
    msg["From"] = config["smtp.from"]
    msg["To"] = row["recipient"]
    msg["Subject"] = row["subject"]
    # the creation time, not the attempt time: a resend is byte-for-byte the same message
    msg["Date"] = format_datetime(datetime.fromisoformat(row["created_at"]).astimezone(UTC))
    msg["Message-ID"] = row["message_id"]
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: vacation responders stay quiet
    msg["X-Tracker-Key"] = row["key"]
    msg.set_content(row["body_text"])
    if row.get("body_html"):
        msg.add_alternative(row["body_html"], subtype="html")
        # a boundary derived from the key, not random: every attempt sends the same bytes
        msg.set_boundary("=_tracker_" + hashlib.sha256(row["key"].encode()).hexdigest()[:24])
    return msg


def smtp_password(config: Config) -> str | None:
    """The password from the environment variable named by smtp.password_env."""
    if not config["smtp.username"]:
        return None
    name = config["smtp.password_env"]
    password = os.environ.get(name)
    if password is None:
        raise ConfigError(f"smtp.username is set but the environment variable {name} is not",
                          hint=f"export {name}=... (the password is never read from tracker.toml)")
    return password


def _describe(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) \
            else str(exc.smtp_error)
        return f"{exc.smtp_code} {text}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{rcpt}: {code} {err.decode('utf-8', 'replace')}"
                         for rcpt, (code, err) in exc.recipients.items())
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _permanent(exc: Exception) -> bool:
    """5xx replies say the message will never be accepted as it is; all else may pass later."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500 \
        and not isinstance(exc, smtplib.SMTPAuthenticationError)  # fixable by the user, retry


class Deadline:
    """The end of one attempt, so that the attempt ends within its claim's lease.

    smtp.timeout bounds each wait for the server, not an attempt: a server that answers each
    command just in time, or trickles a reply a byte at a time, could hold it for ever. When
    the deadline passes, a timer shuts the connection's socket, which wakes a read or write
    blocked on it; every command after that checks the deadline before touching the socket
    (a connect or TLS handshake already under way finishes first, within smtp.timeout).
    """

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.session: smtplib.SMTP | None = None
        self.expired = False
        self._at: float | None = None
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()  # the timer never shuts a socket after stop()

    def start(self) -> None:
        self.expired = False
        self._at = time.monotonic() + self.seconds
        self._timer = threading.Timer(self.seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def stop(self) -> None:
        with self._lock:
            self._at = None
        if self._timer is not None:
            self._timer.cancel()
            self._timer.join()
            self._timer = None

    def check(self) -> None:
        if self._at is None:
            return
        if self.expired or time.monotonic() >= self._at:
            self.expired = True
            raise TimeoutError(self.message)

    @property
    def message(self) -> str:
        return (f"no answer within {self.seconds:g} s, the limit for one attempt"
                f" ({ATTEMPT_TIMEOUTS} x smtp.timeout)")

    def _expire(self) -> None:
        with self._lock:
            if self._at is None:
                return
            self.expired = True
            sock = getattr(self.session, "sock", None)
            if sock is not None:
                with contextlib.suppress(OSError):
                    # the plain socket's shutdown even on an SSLSocket: this thread must not
                    # touch the TLS state the sending thread is using
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _Watched:
    """Checks the attempt's deadline before each command sent and each reply read."""

    def __init__(self, deadline: Deadline, *args: Any, **kwargs: Any):
        self.deadline = deadline
        deadline.session = self  # before connecting: the timer may have to shut that socket
        super().__init__(*args, **kwargs)

    def send(self, s: bytes | str) -> None:
        self.deadline.check()
        super().send(s)

    def getreply(self) -> tuple[int, bytes]:
        self.deadline.check()
        return super().getreply()


class _Session(_Watched, smtplib.SMTP):
    pass


class _SslSession(_Watched, smtplib.SMTP_SSL):
    pass


class SmtpSender:
    """Sends outbox rows over one connection, opened on first use; each row's attempt
    (connecting included) ends by its deadline, `outbox.attempt_deadline`.

    When the server cannot be reached, every later row in the batch fails with the same
    error at once instead of waiting out the timeout again.
    """

    def __init__(self, config: Config):
        self.config = config
        self.smtp: smtplib.SMTP | None = None
        self.connect_error: SendError | None = None
        self.deadline = Deadline(attempt_deadline(config))

    def __enter__(self) -> SmtpSender:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        password = smtp_password(c)  # before connecting: a missing password is the user's to fix
        context = ssl.create_default_context(cafile=c["smtp.cafile"] or None)
        host, port, timeout = c["smtp.host"], c["smtp.port"], c["smtp.timeout"]
        if c["smtp.security"] == "tls":
            smtp: smtplib.SMTP = _SslSession(self.deadline, host, port, timeout=timeout,
                                             context=context)
        else:
            smtp = _Session(self.deadline, host, port, timeout=timeout)
        try:
            if c["smtp.security"] == "starttls":
                smtp.starttls(context=context)
            if password is not None:
                smtp.login(c["smtp.username"], password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def _connection(self) -> smtplib.SMTP:
        if self.connect_error is not None:
            raise self.connect_error
        if self.smtp is None:
            try:
                self.smtp = self._connect()
            except (OSError, smtplib.SMTPException) as exc:
                where = f"{self.config['smtp.host']}:{self.config['smtp.port']}"
                self.connect_error = SendError(f"cannot reach SMTP server {where}: "
                                               f"{self._explain(exc)}", self._permanent(exc))
                raise self.connect_error from None
        return self.smtp

    def __call__(self, row: dict[str, Any]) -> None:
        self.deadline.start()
        try:
            self._send(row)
        finally:
            self.deadline.stop()
            if self.deadline.expired:
                self._drop()  # its socket may be shut: the next row reconnects

    def _send(self, row: dict[str, Any]) -> None:
        smtp = self._connection()
        try:
            smtp.send_message(build_email(row, self.config))
        except (OSError, smtplib.SMTPException) as exc:
            if isinstance(exc, OSError | smtplib.SMTPServerDisconnected):
                self._drop()  # the next row reconnects
            raise SendError(self._explain(exc), self._permanent(exc)) from None

    def _explain(self, exc: Exception) -> str:
        # a socket shut by the deadline reads as "connection closed": say why it was
        return self.deadline.message if self.deadline.expired else _describe(exc)

    def _permanent(self, exc: Exception) -> bool:
        return not self.deadline.expired and _permanent(exc)

    def _drop(self) -> None:
        """Close without QUIT: the connection is broken, or too slow to wait for."""
        if self.smtp is not None:
            self.smtp.close()
            self.smtp = None

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None


def deliver_pending(db: Any, config: Config) -> list[Outcome]:
    """Send every due message in the outbox; the ones the server does not take wait to retry."""
    with SmtpSender(config) as sender:
        return deliver_due(db, config, sender)
