"""SMTP over implicit TLS and STARTTLS, against aiosmtpd with a certificate made for the test."""

from __future__ import annotations

import shutil
import ssl
import subprocess

import pytest
from aiosmtpd.controller import Controller

from tests.conftest_deliver import Inbox, free_port, mail_config
from tracker.deliver.mail import deliver_pending
from tracker.deliver.outbox import Message, enqueue

pytestmark = pytest.mark.skipif(not shutil.which("openssl"), reason="openssl is not installed")


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True,
                   timeout=60)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return cert, context


def serve(context: ssl.SSLContext, security: str):
    inbox = Inbox()
    options = ({"ssl_context": context} if security == "tls"
               else {"tls_context": context, "require_starttls": True})
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    return controller, inbox


@pytest.mark.parametrize("security", ["tls", "starttls"])
def test_deliver_over_tls_trusting_the_configured_ca(db, certificate, security):
    cert, context = certificate
    controller, inbox = serve(context, security)
    try:
        config = mail_config(controller.port, **{"smtp.security": security,
                                                 "smtp.cafile": str(cert)})
        enqueue(db, Message(key=f"alert:x:{security}", kind="alert", recipient="ann@example.org",
                            subject="s", body_text="t", body_html="<p>t</p>"))
        assert [o.state for o in deliver_pending(db, config)] == ["sent"]
        assert [m["To"] for m in inbox.messages] == ["ann@example.org"]
    finally:
        controller.stop()


def test_deliver_refuses_an_untrusted_certificate_and_keeps_the_message(db, certificate):
    _, context = certificate
    controller, inbox = serve(context, "tls")
    try:
        config = mail_config(controller.port, **{"smtp.security": "tls"})
        enqueue(db, Message(key="alert:x:untrusted", kind="alert", recipient="ann@example.org",
                            subject="s", body_text="t", body_html="<p>t</p>"))
        [outcome] = deliver_pending(db, config)
        assert outcome.state == "pending" and "certificate" in outcome.error.lower()
        assert inbox.messages == []
    finally:
        controller.stop()
