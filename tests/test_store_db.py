from pathlib import Path

from tracker.dedupe import content_hash
from tracker.models import Document, Entity, Event, EventRole, Mention, Tagged
from tracker.store.db import connect, migrate, schema_version, transaction
from tracker.store.migrations import MIGRATIONS
from tracker.store.write import save_document, save_tags


def make_doc(url="https://example.org/a", text="Mining ban announced by the regulator.", **kw):
    doc = Document(url=url, source=kw.pop("source", "s"), title=kw.pop("title", "Ban"),
                   text=text, **kw)
    doc.content_hash = content_hash(doc.title, doc.text, doc.url)
    return doc


def fts(db, term):
    return [r[0] for r in db.execute(
        "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?", [term])]


def test_db_migrations_are_recorded_and_idempotent(db_path):
    db = connect(db_path)
    assert schema_version(db) == len(MIGRATIONS)
    assert migrate(db) == []
    db.conn.close()
    again = connect(db_path)
    assert again.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(MIGRATIONS)


def test_db_is_wal_with_big_pages_and_foreign_keys(db):
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA page_size").fetchone()[0] == 8192
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_db_fts_follows_insert_update_delete(db):
    doc_id = save_document(db, make_doc())
    assert fts(db, "mining") == [doc_id]
    db.execute("UPDATE documents SET body = 'Trading warning' WHERE id = ?", [doc_id])
    assert fts(db, "mining") == [] and fts(db, "warning") == [doc_id]
    db.execute("DELETE FROM documents WHERE id = ?", [doc_id])
    assert fts(db, "warning") == []
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_db_old_database_upgrades_in_place(db_path, monkeypatch):
    import tracker.store.db as dbmod

    monkeypatch.setattr(dbmod, "MIGRATIONS", MIGRATIONS[:1])
    old = dbmod.connect(db_path)
    with transaction(old):  # a row as version 1 stored it
        old.execute("INSERT INTO documents (url, source, title, body, published_at, fetched_at, "
                    "content_hash) VALUES ('https://x.example/1', 's', 't', 'b', "
                    "'2021-05-23T18:00:00+00:00', '2021-05-23T19:00:00+00:00', 'h')")
    old.conn.close()
    extra = "CREATE TABLE upgrade_probe (x INTEGER);"
    monkeypatch.setattr(dbmod, "MIGRATIONS", [*MIGRATIONS, extra])
    new = dbmod.connect(db_path)
    assert schema_version(new) == len(MIGRATIONS) + 1
    assert "upgrade_probe" in new.table_names()
    assert new.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    # read in UTC when stored, so its UTC day is its day
    assert new.execute("SELECT published_day FROM documents").fetchone()[0] == "2021-05-23"


def test_db_tags_replace_and_report_diff(db):
    doc_id = save_document(db, make_doc())
    tagged = Tagged(
        entities=[Entity("cn-ndrc", "agency", "National Development and Reform Commission",
                         ["NDRC"], "CN")],
        mentions=[Mention("cn-ndrc", "NDRC", 0, 4, rule_id="agency:cn-ndrc")],
        events=[Event("ban", "Mining ban announced.", "ban.verb", date="2021-05-21",
                      roles=[EventRole("cn-ndrc", "actor")])],
        rules_version="r1",
    )
    diff = save_tags(db, doc_id, tagged)
    assert diff.added == {"ban": 1} and not diff.removed
    assert db.execute("SELECT date FROM event_entities").fetchall() == [("2021-05-21",)]
    tagged.events = [Event("warning", "Warned.", "warning.verb")]
    diff = save_tags(db, doc_id, tagged)
    assert diff.added == {"warning": 1} and diff.removed == {"ban": 1}
    assert db.execute("SELECT count(*) FROM event_entities").fetchone()[0] == 0
    assert db.execute("SELECT rules_version FROM documents").fetchone()[0] == "r1"


def test_db_retag_keeps_the_id_of_an_event_found_again(db):
    doc_id = save_document(db, make_doc())
    ban = Event("ban", "Mining ban announced.", "ban.verb", start=0, end=21)
    warning = Event("warning", "Warned.", "warning.verb", start=22, end=29)
    save_tags(db, doc_id, Tagged(events=[ban, warning], rules_version="r1"))
    ids = dict(db.execute("SELECT type, id FROM events"))
    ban.confidence = 0.5
    save_tags(db, doc_id, Tagged(events=[ban], rules_version="r2"))
    assert db.execute("SELECT type, id, confidence FROM events").fetchall() == [
        ("ban", ids["ban"], 0.5)]


def test_db_failed_tagging_keeps_the_stored_tags(db):
    doc_id = save_document(db, make_doc())
    save_tags(db, doc_id, Tagged(events=[Event("ban", "Ban.", "ban.verb")], rules_version="r1"))
    diff = save_tags(db, doc_id, Tagged(failed=True, notes=["worker died"]))
    assert diff.failed == 1 and not diff.removed
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == 1
    assert db.execute("SELECT rules_version FROM documents").fetchone()[0] == "r1"


def test_db_outbox_rows_upgrade_with_an_empty_claim(db_path, monkeypatch):
    """Migration 8: messages queued before it keep their state and backoff, and none of them
    counts as claimed."""
    import tracker.store.db as dbmod

    monkeypatch.setattr(dbmod, "MIGRATIONS", MIGRATIONS[:7])
    old = dbmod.connect(db_path)
    old.execute("INSERT INTO deliveries (key, kind, recipient, subject, body_text, message_id,"
                " next_attempt_at, created_at) VALUES ('k', 'alert', 'a@example.org', 's', 'b',"
                " '<m@tracker>', '2030-01-01T00:00:00+00:00', '2024-01-01T00:00:00+00:00')")
    old.conn.close()
    monkeypatch.setattr(dbmod, "MIGRATIONS", MIGRATIONS)
    new = dbmod.connect(db_path)
    assert new.execute("SELECT state, next_attempt_at, claimed_until FROM deliveries"
                       ).fetchall() == [("pending", "2030-01-01T00:00:00+00:00", None)]


def test_a_writer_from_before_published_day_still_gets_a_day(db):
    """A daemon started before migration 10 inserts no published_day: a trigger gives the row
    its UTC day, so since:/until: still find it."""
    with transaction(db):
        db.execute("INSERT INTO documents (url, source, title, body, published_at, fetched_at, "
                   "content_hash) VALUES ('https://x.example/2', 's', 'mining', 'b', "
                   "'2021-05-24T09:00:00+00:00', '2021-05-24T10:00:00+00:00', 'h2')")
        db.execute("INSERT INTO documents (url, source, title, body, fetched_at, content_hash) "
                   "VALUES ('https://x.example/3', 's', 'mining', 'b', 'x', 'h3')")
        db.execute("UPDATE documents SET published_at = '2021-06-01T01:00:00+00:00' "
                   "WHERE url = 'https://x.example/3'")
    assert db.execute("SELECT published_day FROM documents ORDER BY id").fetchall() == [
        ("2021-05-24",), ("2021-06-01",)]


def test_migrating_leaves_no_large_wal_behind(db_path, monkeypatch):
    import tracker.store.db as dbmod

    monkeypatch.setattr(dbmod, "MIGRATIONS", MIGRATIONS[:9])
    old = dbmod.connect(db_path)
    with transaction(old):
        for i in range(300):
            old.execute("INSERT INTO documents (url, source, title, body, published_at, "
                        "fetched_at, content_hash) VALUES (?, 's', 't', ?, "
                        "'2021-05-23T18:00:00+00:00', 'x', ?)", [f"u{i}", "b" * 2000, f"h{i}"])
    old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    old.conn.close()
    monkeypatch.setattr(dbmod, "MIGRATIONS", MIGRATIONS)
    new = dbmod.connect(db_path)  # migration 10 rewrites all 300 rows
    assert new.execute("SELECT count(*) FROM documents WHERE published_day = '2021-05-23'"
                       ).fetchone()[0] == 300
    assert Path(f"{db_path}-wal").stat().st_size == 0
