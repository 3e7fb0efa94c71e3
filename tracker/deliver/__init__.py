"""Delivery: the daily digest, alerts, the outbox and SMTP.

    digest.py   the day's data (events, stories, counts, source health)
    render.py   plain text and markdown;  html.py  the HTML email (inline styles, escaped)
    alerts.py   [[alerts]] validation, runs with a cursor, backtest
    outbox.py   the deliveries table: pending -> sent | failed, backoff, Message-IDs
    mail.py     smtplib: building and sending messages
    send.py     what the daemon and the CLI call: send_digest, alerts_after_fetch
"""

from .mail import deliver_pending
from .send import alerts_after_fetch, send_digest

__all__ = ["alerts_after_fetch", "deliver_pending", "send_digest"]
