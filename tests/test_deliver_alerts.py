"""Alerts: validation, one message per alert and reader, cursor and outbox in one transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest_deliver import (
    DAY,
    add_document,
    add_event,
    mail_config,
    running_smtp,
    sample_day,
)
from tracker.deliver import alerts as alerts_module
from tracker.deliver.alerts import backtest, load_alerts, run_alerts
from tracker.deliver.mail import deliver_pending
from tracker.deliver.send import alerts_after_fetch, digest_messages
from tracker.errors import ConfigError
from tracker.models import Event, Tagged
from tracker.store.write import save_tags

NIGHT = DAY.replace(hour=23, minute=30)
CHINA = {"name": "china-crackdowns", "query": "type:crackdown place:CN",
         "recipients": ["ann@example.org", "bo@example.org"]}


@pytest.fixture
def smtp_server():
    yield from running_smtp()


def _config(port: int = 25, *alerts: dict):
    config = mail_config(port)
    config.alerts = list(alerts) or [dict(CHINA)]
    return config


@pytest.mark.parametrize("bad, message", [
    ({"query": "type:ban", "recipients": ["a@b.org"]}, "has no name"),
    ({"name": "x", "recipients": ["a@b.org"]}, "alert 'x' has no query"),
    ({"name": "x", "query": "type:", "recipients": ["a@b.org"]}, "alert 'x': bad query"),
    ({"name": "x", "query": "ban", "recipients": []}, "non-empty list"),
    ({"name": "x", "query": "ban", "recipients": "a@b.org"}, "non-empty list"),
    ({"name": "x", "query": "ban", "recipients": ["not an address"]}, "not an email address"),
    ({"name": "x", "query": "ban", "recipients": ["a@b.org"], "delivery": "weekly"},
     "immediate or digest"),
    ({"name": "x", "query": "ban", "recipients": ["a@b.org"], "to": "a@b.org"},
     "unknown key 'to'"),
])
def test_bad_alerts_are_config_errors_naming_the_alert(bad, message):
    with pytest.raises(ConfigError, match=message) as info:
        load_alerts(_config(25, bad))
    assert info.value.hint


def test_alert_names_are_unique():
    with pytest.raises(ConfigError, match="defined twice"):
        load_alerts(_config(25, CHINA, CHINA))


def test_all_matches_of_one_alert_go_in_one_message(db, smtp_server):
    sample_day(db)
    config = _config(smtp_server.port)
    [run] = run_alerts(db, config, now=NIGHT)
    assert run.first_run and run.count == 2 and len(run.messages) == 2
    assert [o.state for o in deliver_pending(db, config)] == ["sent", "sent"]
    messages = smtp_server.inbox.messages
    assert sorted(m["To"] for m in messages) == ["ann@example.org", "bo@example.org"]
    msg = messages[0]
    assert msg["Subject"].startswith("[tracker] china-crackdowns: 2 new matches")
    assert msg.get_content_type() == "multipart/alternative"
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    for part in (text, html):
        assert "crack down on bitcoin mining" in part
        assert "Inner Mongolia will set up a hotline" in part
        assert "SEC" not in part  # a US warning does not match
    assert 'href="https://reuters.example/china-crackdown"' in html


def test_second_run_sends_nothing_and_new_matches_come_alone(db, smtp_server):
    ids = sample_day(db)
    config = _config(smtp_server.port)
    alerts_after_fetch(db, config, now=NIGHT)
    assert len(smtp_server.inbox.envelopes) == 2
    report = alerts_after_fetch(db, config, now=NIGHT + timedelta(minutes=5))
    assert report.runs[0].count == 0 and not report.enqueued
    assert len(smtp_server.inbox.envelopes) == 2
    # retagging an old document re-creates its events with new ids: not alerted again
    save_tags(db, ids["crackdown"], Tagged(events=[Event(
        "crackdown", "The State Council said it would crack down on bitcoin mining.",
        "rule:crackdown", jurisdiction="CN")]))
    doc = add_document(db, "Qinghai shuts mines", NIGHT + timedelta(minutes=10))
    add_event(db, doc, "crackdown", "Qinghai ordered all crypto mines to shut.",
              roles=[("cn-qinghai", "agency", "Qinghai government", "actor")])
    report = alerts_after_fetch(db, config, now=NIGHT + timedelta(minutes=15))
    assert report.runs[0].count == 1
    new = smtp_server.inbox.messages[2:]
    assert len(new) == 2
    assert "Qinghai ordered" in new[0].get_body(("plain",)).get_content()
    assert "bitcoin mining" not in new[0].get_body(("plain",)).get_content()


def test_dry_run_changes_nothing(db):
    sample_day(db)
    [run] = run_alerts(db, _config(), dry_run=True, now=NIGHT)
    assert run.count == 2 and run.messages
    assert db.execute("SELECT count(*) FROM deliveries").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM alert_state").fetchone()[0] == 0


def test_crash_while_enqueueing_loses_and_doubles_nothing(db, monkeypatch):
    sample_day(db)
    config = _config()
    real = alerts_module.enqueue
    calls = []

    def crash_on_second(db_, message, now=None):
        calls.append(message.recipient)
        if len(calls) == 2:
            raise OSError("disk full")
        return real(db_, message, now)

    monkeypatch.setattr(alerts_module, "enqueue", crash_on_second)
    with pytest.raises(OSError):
        run_alerts(db, config, now=NIGHT)
    assert db.execute("SELECT count(*) FROM deliveries").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM alert_state").fetchone()[0] == 0
    monkeypatch.setattr(alerts_module, "enqueue", real)
    [run] = run_alerts(db, config, now=NIGHT)
    assert run.count == 2
    assert db.execute("SELECT count(*) FROM deliveries").fetchone()[0] == 2
    state = db.execute("SELECT last_document_id, last_event_id FROM alert_state").fetchone()
    assert state == (db.execute("SELECT max(id) FROM documents").fetchone()[0],
                     db.execute("SELECT max(id) FROM events").fetchone()[0])


def test_first_run_looks_back_one_day_only(db):
    sample_day(db)  # the previous day's PBoC warning is more than a day before NIGHT
    config = _config(25, {"name": "warnings", "query": "type:warning",
                          "recipients": ["ann@example.org"]})
    [run] = run_alerts(db, config, dry_run=True, now=NIGHT)
    assert [e["evidence"][:7] for e in run.matches.events] == ["The SEC"]


def test_word_queries_match_documents_without_events(db):
    sample_day(db)
    config = _config(25, {"name": "mining", "query": "mining",
                          "recipients": ["ann@example.org"]})
    [run] = run_alerts(db, config, dry_run=True, now=NIGHT)
    event_docs = {e["document"]["id"] for e in run.matches.events}
    titles = [d["title"] for d in run.matches.documents]
    assert "State Council: crack down on bitcoin mining" in titles  # xinhua, no events
    assert not event_docs & {d["id"] for d in run.matches.documents}  # listed once


def test_backtest_groups_matches_by_day(db):
    sample_day(db)
    config = _config(25, {"name": "warnings", "query": "type:warning",
                          "recipients": ["ann@example.org"]})
    result = backtest(db, config, "warnings", DAY.date() - timedelta(days=3))
    assert [(d.isoformat(), len(m.events)) for d, m in result.days] == [
        ("2021-05-20", 1), ("2021-05-21", 1)]
    assert result.count == 2
    later = backtest(db, config, "warnings", DAY.date())
    assert later.count == 1
    assert db.execute("SELECT count(*) FROM alert_state").fetchone()[0] == 0


def test_digest_delivery_alerts_fold_into_their_readers_digest(db):
    sample_day(db)
    config = _config(25, {"name": "us-warnings", "query": "type:warning place:US",
                          "recipients": ["cy@example.org", "ann@example.org"],
                          "delivery": "digest"})
    assert run_alerts(db, config, now=NIGHT) == []  # not an immediate alert
    messages = {m.recipient: m for m in digest_messages(db, config, DAY.date(), now=NIGHT)}
    assert sorted(messages) == ["ann@example.org", "cy@example.org"]
    for message in messages.values():
        assert "YOUR ALERTS" in message.body_text and "us-warnings" in message.body_html
        assert message.key == f"digest:2021-05-21:{message.recipient}"
    # on a day the alert has nothing, only digest.recipients get a digest
    quiet = digest_messages(db, config, DAY.date() + timedelta(days=5), now=NIGHT)
    assert [m.recipient for m in quiet] == ["ann@example.org"]
    assert "YOUR ALERTS" not in quiet[0].body_text


def test_background_events_do_not_alert(db):
    sample_day(db)  # its only ban is background: "China banned crypto trading in 2017."
    config = _config(25, {"name": "bans", "query": "type:ban", "recipients": ["a@example.org"]})
    [run] = run_alerts(db, config, dry_run=True, now=NIGHT)
    assert run.matches.events == [] and run.matches.documents == [] and not run.messages
