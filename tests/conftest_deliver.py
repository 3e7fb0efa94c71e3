"""Fixtures for the delivery tests: a database filled by plain SQL, and a real SMTP server.

Imported explicitly by tests/test_deliver_*.py (`from tests.conftest_deliver import ...`).
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

import sqlite_utils
from aiosmtpd.controller import Controller

from tracker.config import Config
from tracker.store.db import day, iso


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """aiosmtpd handler that keeps every envelope; `messages` parses them."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.envelopes.append(envelope)
        return "250 OK"

    @property
    def messages(self) -> list[EmailMessage]:
        parser = BytesParser(policy=policy.default)
        return [parser.parsebytes(env.content) for env in self.envelopes]


class SmtpServer:
    def __init__(self, port: int):
        self.port = port
        self.inbox = Inbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def running_smtp() -> Iterator[SmtpServer]:
    """Body of each test file's `smtp` fixture: a server on a free port, stopped afterwards."""
    server = SmtpServer(free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


def mail_config(port: int, **values: Any) -> Config:
    base = {"smtp.host": "127.0.0.1", "smtp.port": port, "smtp.timeout": 5.0,
            "smtp.from": "tracker@example.org", "digest.recipients": ["ann@example.org"],
            "digest.timezone": "UTC"}
    base.update(values)
    return Config(values=base)


def add_source(db: sqlite_utils.Database, name: str, **values: Any) -> None:
    row = {"name": name, "kind": "feed", "url": f"https://{name}.example/feed",
           "rhythm": "daily", "status": "ok", "enabled": 1}
    row.update(values)
    db["sources"].insert(row)


def add_entity(db: sqlite_utils.Database, id: str, kind: str, name: str) -> None:
    db.execute("INSERT OR IGNORE INTO entities (id, kind, name) VALUES (?, ?, ?)", [id, kind, name])


_counter = iter(range(1, 10**9))


def add_document(db: sqlite_utils.Database, title: str, fetched: datetime, *, source: str = "wire",
                 story: int | None = None, url: str | None = None, body: str = "",
                 published: datetime | None = None) -> int:
    n = next(_counter)
    cursor = db.execute(
        "INSERT INTO documents (url, source, title, body, published_at, published_day, "
        "fetched_at, content_hash, story_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [url or f"https://{source}.example/news/{n}", source, title, body or title,
         iso(published or fetched), day(published or fetched), iso(fetched), f"hash{n}", story])
    doc_id = cursor.lastrowid
    if story is None:
        db.execute("UPDATE documents SET story_id = id WHERE id = ?", [doc_id])
    return doc_id


def add_event(db: sqlite_utils.Database, document_id: int, type_: str, evidence: str, *,
              jurisdiction: str | None = "CN", date: str | None = None,
              roles: list[tuple[str, str, str, str]] = (), is_news: bool = True,
              modality: str = "happened", title: dict[str, str] | None = None) -> int:
    """roles: (entity_id, kind, name, role); title: entity_id -> a person's title."""
    cursor = db.execute(
        "INSERT INTO events (document_id, type, date, date_precision, jurisdiction, modality,"
        " is_news, evidence, rule_id, created_at) VALUES (?, ?, ?, 'day', ?, ?, ?, ?, ?, ?)",
        [document_id, type_, date, jurisdiction, modality, int(is_news), evidence,
         f"rule:{type_}", iso(datetime.now(UTC))])
    event_id = cursor.lastrowid
    for entity_id, kind, name, role in roles:
        add_entity(db, entity_id, kind, name)
        db.execute("INSERT INTO event_entities (event_id, entity_id, role, date) VALUES (?,?,?,?)",
                   [event_id, entity_id, role, date])
    for entity_id, text in (title or {}).items():
        db.execute("INSERT INTO mentions (document_id, entity_id, surface, start, end, title)"
                   " VALUES (?, ?, ?, 0, 1, ?)", [document_id, entity_id, entity_id, text])
    return event_id


def dump(obj: Any) -> str:
    return json.dumps(obj, indent=1, default=str)


DAY = datetime(2021, 5, 21, 9, 0, tzinfo=UTC)  # the sample day: Friday 21 May 2021
EVIL_TITLE = 'Bitcoin <script>alert(1)</script> miners </div><b onmouseover="x()">flee'


def sample_day(db: sqlite_utils.Database) -> dict[str, int]:
    """A day of crypto-regulation news, plus one day before it, plus sources in poor health."""
    from datetime import timedelta

    add_entity(db, "place:CN", "place", "China")
    add_entity(db, "place:US", "place", "United States")
    add_source(db, "reuters")
    add_source(db, "xinhua", status="broken", consecutive_failures=6,
               last_error="HTTP 503 from www.xinhua.example")
    add_source(db, "ndrc", rhythm="weekly", last_new_at=iso(DAY - timedelta(days=40)))
    add_source(db, "sec", rhythm="daily", last_new_at=iso(DAY - timedelta(hours=20)))
    ids: dict[str, int] = {}
    ids["crackdown"] = add_document(
        db, "China's State Council vows crackdown on bitcoin mining and trading", DAY,
        source="reuters", url="https://reuters.example/china-crackdown")
    add_document(db, "State Council: crack down on bitcoin mining", DAY + timedelta(hours=1),
                 source="xinhua", story=ids["crackdown"])
    add_document(db, "China to crack down on crypto mining, trading", DAY + timedelta(hours=2),
                 source="scmp", story=ids["crackdown"])
    ids["crackdown_event"] = add_event(
        db, ids["crackdown"], "crackdown",
        "The State Council's financial committee said it would crack down on bitcoin mining "
        "and trading behaviour.", date="2021-05-21",
        roles=[("cn-state-council", "agency", "State Council", "actor"),
               ("topic:crypto-mining", "topic", "crypto mining", "target")])
    ids["evil"] = add_document(db, EVIL_TITLE, DAY + timedelta(hours=3), source="blog",
                               url="javascript:alert(2)")
    ids["expulsion"] = add_document(db, "Former Inner Mongolia official expelled from party",
                                    DAY + timedelta(hours=4), source="ccdi")
    ids["expulsion_event"] = add_event(
        db, ids["expulsion"], "party_expulsion",
        "Xu Hongbin, former deputy director, was expelled from the Communist Party for "
        "<b>supporting</b> crypto mining.", date="2021-05-20",
        roles=[("cn-ccdi", "agency", "CCDI", "actor"),
               ("person:xu-hongbin", "person", "Xu Hongbin", "official")],
        title={"person:xu-hongbin": "former deputy director of the Inner Mongolia DRC"})
    ids["warning"] = add_document(db, "SEC warns investors about bitcoin futures funds",
                                  DAY + timedelta(hours=5), source="sec")
    add_event(db, ids["warning"], "warning",
              "The SEC staff warned investors to weigh the risks of bitcoin futures funds.",
              jurisdiction="US", roles=[("us-sec", "agency", "SEC", "actor")])
    add_event(db, ids["warning"], "ban", "China banned crypto trading in 2017.",
              is_news=False)
    ids["planned"] = add_document(db, "Inner Mongolia plans mining hotline",
                                  DAY + timedelta(hours=6), source="reuters")
    add_event(db, ids["planned"], "crackdown",
              "Inner Mongolia will set up a hotline to report crypto mining.", modality="planned",
              roles=[("cn-imar", "agency", "Inner Mongolia government", "actor")])
    # the day before: one document, one warning; the day after: one document
    ids["yesterday"] = add_document(db, "PBoC reminds banks of crypto ban",
                                    DAY - timedelta(days=1), source="reuters")
    add_event(db, ids["yesterday"], "warning", "The PBoC reminded banks that crypto is banned.",
              roles=[("cn-pboc", "agency", "PBoC", "actor")])
    ids["tomorrow"] = add_document(db, "Sichuan orders miners to shut", DAY + timedelta(days=1),
                                   source="reuters")
    return ids
