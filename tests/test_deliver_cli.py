"""tracker digest, alerts run|backtest, deliveries through click's CliRunner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest_deliver import DAY, free_port, running_smtp, sample_day
from tracker.cli import main
from tracker.store.db import connect


@pytest.fixture
def smtp_server():
    yield from running_smtp()


def _setup(tmp_path: Path, port: int, alerts: str = "") -> list[str]:
    db = connect(tmp_path / "t.db")
    sample_day(db)
    db.conn.close()
    toml = tmp_path / "tracker.toml"
    toml.write_text(f"""
[smtp]
host = "127.0.0.1"
port = {port}
timeout = 2.0
from = "tracker@example.org"

[digest]
recipients = ["ann@example.org"]
timezone = "UTC"
{alerts}""", encoding="utf-8")
    return ["--db", str(tmp_path / "t.db"), "--config", str(toml)]


ALERT = """
[[alerts]]
name = "china-crackdowns"
query = "type:crackdown place:CN"
recipients = ["ann@example.org"]
"""


def test_digest_prints_each_format(tmp_path):
    args = _setup(tmp_path, 25)
    runner = CliRunner()
    text = runner.invoke(main, [*args, "digest", "--date", "2021-05-21"])
    assert text.exit_code == 0, text.output
    assert text.output.startswith("tracker digest for Friday 21 May 2021 (UTC)\n")
    assert "also reported by: xinhua, scmp" in text.output
    html = runner.invoke(main, [*args, "digest", "--date", "2021-05-21", "--format", "html"])
    assert html.output.startswith("<!DOCTYPE html>") and "&lt;script&gt;" in html.output
    md = runner.invoke(main, [*args, "digest", "--date", "2021-05-21", "--format", "markdown"])
    assert md.output.startswith("# tracker digest for Friday 21 May 2021")


def test_digest_send_once(tmp_path, smtp_server):
    args = _setup(tmp_path, smtp_server.port)
    runner = CliRunner()
    first = runner.invoke(main, [*args, "digest", "--date", "2021-05-21", "--send"])
    assert first.exit_code == 0, first.output
    assert "sent     ann@example.org  (digest:2021-05-21:ann@example.org)" in first.output
    second = runner.invoke(main, [*args, "digest", "--date", "2021-05-21", "--send"])
    assert second.exit_code == 0
    assert "already queued ann@example.org" in second.output
    [msg] = smtp_server.inbox.messages
    assert msg["Subject"] == "[tracker] Digest for Fri 21 May 2021: 4 events, 7 documents"
    html = msg.get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="https://reuters.example/china-crackdown"' in html


def test_digest_send_with_server_down_exits_1_and_lists_the_message(tmp_path):
    args = _setup(tmp_path, free_port())
    runner = CliRunner()
    result = runner.invoke(main, [*args, "digest", "--date", "2021-05-21", "--send"])
    assert result.exit_code == 1
    assert "cannot reach SMTP server" in result.output
    listed = runner.invoke(main, [*args, "deliveries"])
    assert listed.exit_code == 0
    assert "pending digest ann@example.org  1 attempt, next try 20" in listed.output
    assert "last error: cannot reach SMTP server 127.0.0.1" in listed.output


def test_digest_send_needs_recipients(tmp_path):
    args = _setup(tmp_path, 25)
    toml = Path(args[3])
    toml.write_text(toml.read_text().replace('recipients = ["ann@example.org"]', ""))
    result = CliRunner().invoke(main, [*args, "digest", "--date", "2021-05-21", "--send"])
    assert result.exit_code == 2 and "nobody to send the digest to" in result.output


def test_bad_date_is_a_usage_error(tmp_path):
    args = _setup(tmp_path, 25)
    result = CliRunner().invoke(main, [*args, "digest", "--date", "May 21"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def test_alerts_dry_run_then_run(tmp_path, smtp_server, monkeypatch):
    import tracker.deliver.alerts as alerts

    # the sample day is in 2021: the alerts' "now" is the evening of that day
    monkeypatch.setattr(alerts, "datetime", _frozen(DAY.replace(hour=23)))
    args = _setup(tmp_path, smtp_server.port, ALERT)
    runner = CliRunner()
    dry = runner.invoke(main, [*args, "alerts", "run", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "china-crackdowns: 2 new matches -> 1 message (first run: looked back one day)" \
        in dry.output
    assert "Subject: [tracker] china-crackdowns: 2 new matches" in dry.output
    assert "Dry run: nothing was enqueued, sent or recorded." in dry.output
    assert smtp_server.inbox.envelopes == []
    real = runner.invoke(main, [*args, "alerts", "run"])
    assert real.exit_code == 0, real.output
    assert "sent     ann@example.org" in real.output
    again = runner.invoke(main, [*args, "alerts", "run"])
    assert "china-crackdowns: nothing new" in again.output
    assert len(smtp_server.inbox.envelopes) == 1
    listed = runner.invoke(main, [*args, "deliveries", "--all"])
    assert "sent    alert  ann@example.org  1 attempt, sent at" in listed.output


def _frozen(moment):
    from datetime import datetime

    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return moment if tz is None else moment.astimezone(tz)

    return Frozen


def test_alerts_backtest_output(tmp_path):
    alert = ALERT.replace("type:crackdown place:CN", "type:warning")
    args = _setup(tmp_path, 25, alert)
    result = CliRunner().invoke(main, [*args, "alerts", "backtest", "china-crackdowns",
                                       "--since", "2021-05-01"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == ("Alert 'china-crackdowns' (type:warning) since 2021-05-01: "
                        "2 matches on 2 days.")
    assert lines[1] == "Mailed once a day it would have sent 2 messages to ann@example.org."
    assert "== 2021-05-20: 1 match ==" in lines and "== 2021-05-21: 1 match ==" in lines
    assert "The PBoC reminded banks that crypto is banned." in result.output


def test_alerts_backtest_unknown_name(tmp_path):
    args = _setup(tmp_path, 25, ALERT)
    result = CliRunner().invoke(main, [*args, "alerts", "backtest", "nope", "--since",
                                       "2021-05-01"])
    assert result.exit_code == 2 and "no alert named 'nope'" in result.output
    assert "china-crackdowns" in result.output


def test_bad_alert_config_is_exit_2(tmp_path):
    args = _setup(tmp_path, 25, ALERT.replace('["ann@example.org"]', "[]"))
    result = CliRunner().invoke(main, [*args, "alerts", "run"])
    assert result.exit_code == 2
    assert "alert 'china-crackdowns': recipients must be a non-empty list" in result.output


def test_deliveries_retry_sends_after_outage(tmp_path):
    port = free_port()
    args = _setup(tmp_path, port)
    runner = CliRunner()
    assert runner.invoke(main, [*args, "digest", "--date", "2021-05-21", "--send"]).exit_code == 1
    from tests.conftest_deliver import SmtpServer

    server = SmtpServer(port)
    server.start()
    try:
        result = runner.invoke(main, [*args, "deliveries", "--retry"])
        assert result.exit_code == 0, result.output
        assert "Retrying 1 message." in result.output
        assert "sent     ann@example.org" in result.output
        assert runner.invoke(main, [*args, "deliveries", "--retry"]).output.startswith(
            "Retrying 0 messages.")
        assert len(server.inbox.envelopes) == 1
    finally:
        server.stop()
    assert "The outbox is empty" in runner.invoke(main, [*args, "deliveries"]).output
