"""SMTP: build a multipart/alternative message from an outbox row, and send it with smtplib."""

from __future__ import annotations

import hashlib
import os
import smtplib
import ssl
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from ..config import Config
from ..errors import ConfigError
from .outbox import Outcome, SendError, deliver_due


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


class SmtpSender:
    """Sends outbox rows over one connection, opened on first use.

    When the server cannot be reached, every later row in the batch fails with the same
    error at once instead of waiting out the timeout again.
    """

    def __init__(self, config: Config):
        self.config = config
        self.smtp: smtplib.SMTP | None = None
        self.connect_error: SendError | None = None

    def __enter__(self) -> SmtpSender:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        host, port, timeout = c["smtp.host"], c["smtp.port"], c["smtp.timeout"]
        password = smtp_password(c)  # before connecting: a missing password is the user's to fix
        context = ssl.create_default_context(cafile=c["smtp.cafile"] or None)
        if c["smtp.security"] == "tls":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
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
                                               f"{_describe(exc)}", _permanent(exc))
                raise self.connect_error from None
        return self.smtp

    def __call__(self, row: dict[str, Any]) -> None:
        smtp = self._connection()
        try:
            smtp.send_message(build_email(row, self.config))
        except (OSError, smtplib.SMTPException) as exc:
            if isinstance(exc, OSError | smtplib.SMTPServerDisconnected):
                self.close()  # the next row reconnects
            raise SendError(_describe(exc), _permanent(exc)) from None

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
