"""tracker retag and tracker explain over a real SQLite file."""

from datetime import UTC, datetime, timedelta, timezone

from tracker.dedupe import content_hash
from tracker.models import Document
from tracker.store.write import save_document

TEXTS = [
    "Zhang Ming, former deputy director of the Inner Mongolia commerce department, has been "
    "expelled from the Communist Party of China, the CCDI said on Tuesday.",
    "The People's Bank of China on Friday declared all cryptocurrency transactions illegal.",
    "Shares rose on Wednesday as investors bet that earnings would hold up.",
]


def _store(db):
    for i, text in enumerate(TEXTS):
        url = f"https://example.org/{i}"
        save_document(db, Document(url=url, source="test", title=f"t{i}", text=text,
                                   published=datetime(2021, 5, 21 + i),
                                   content_hash=content_hash(f"t{i}", text, url)), None)


def test_retag_tags_stored_documents_and_prints_the_change(db, cli):
    _store(db)
    result = cli("retag", "--workers", "1")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "Retagged 3 documents with rules " in result.output
    assert lines[-4].split() == ["type", "added", "removed"]
    assert [line.split() for line in lines[-3:]] == [["ban", "1", "0"], ["expulsion", "1", "0"],
                                                     ["total", "2", "0"]]
    version = db.execute("SELECT DISTINCT rules_version FROM documents").fetchall()
    assert len(version) == 1 and version[0][0] in result.output
    again = cli("retag", "--since", "2021-05-22")
    assert "Retagged 2 documents" in again.output and "No events added or removed." in again.output


def test_explain_shows_evidence_entities_and_rules(db, cli):
    _store(db)
    cli("retag")
    event_id = db.execute("SELECT id FROM events WHERE type = 'expulsion'").fetchone()[0]
    out = cli("explain", str(event_id)).output
    assert out.startswith(f"Event {event_id}: expulsion (happened, news)")
    assert "rule:         expulsion.party" in out
    assert 'evidence:     "Zhang Ming, former deputy director' in out
    assert "  actor    Central Commission for Discipline Inspection [cn-ccdi, agency]" in out
    assert ("  target   Zhang Ming [person:zhang-ming, person], former deputy director of the "
            "Inner Mongolia commerce department") in out
    assert "(rule ner:PERSON+titles:apposition)" in out


def test_explain_and_retag_errors(db, cli):
    result = cli("explain", "42")
    assert result.exit_code == 2 and "no event with id 42" in result.output
    result = cli("retag", "--since", "last week")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def test_retag_dates_events_by_the_sources_own_day(db, cli):
    """A Beijing notice of 24 May 02:00 is stored as 23 May 18:00 UTC; retagging reads it in
    its source's zone (ndrc-press is Asia/Shanghai in rules/sources.toml), as fetching did."""
    beijing = timezone(timedelta(hours=8))
    text = "The People's Bank of China declared all cryptocurrency transactions illegal."
    save_document(db, Document(url="https://example.org/b", source="ndrc-press", title="t",
                               text=text, published=datetime(2021, 5, 24, 2, tzinfo=beijing),
                               content_hash=content_hash("t", text, "b")), None)
    assert db.execute("SELECT published_at, published_day FROM documents").fetchone() == (
        "2021-05-23T18:00:00+00:00", "2021-05-24")
    assert cli("retag", "--workers", "0").exit_code == 0
    assert db.execute("SELECT type, date FROM events").fetchall() == [("ban", "2021-05-24")]
    found = cli("search", "cryptocurrency since:2021-05-24 until:2021-05-24", "--format", "csv")
    assert "https://example.org/b" in found.output
    # export writes the time in the source's zone, so ingesting it again keeps the day
    assert '"published": "2021-05-24T02:00:00+08:00"' in cli("export").output


def test_retag_keeps_the_day_a_document_was_stored_under(db, cli, tmp_path):
    """A document stored before its source had a zone was read in UTC: retagging and export
    keep that day rather than move it by the zone the source has now. --since is a day."""
    text = "The People's Bank of China declared all cryptocurrency transactions illegal."
    save_document(db, Document(url="https://example.org/u", source="ndrc-press", title="t",
                               text=text, published=datetime(2021, 5, 23, 18, tzinfo=UTC),
                               content_hash=content_hash("t", text, "u")), None)
    assert "Retagged 1 documents" in cli("retag", "--since", "2021-05-23").output
    assert db.execute("SELECT date FROM events").fetchall() == [("2021-05-23",)]
    assert '"published": "2021-05-23T18:00:00+00:00"' in cli("export").output
    assert "Retagged 0 documents" in cli("retag", "--since", "2021-05-24").output


def test_export_and_retag_read_in_utc_when_the_sources_file_is_broken(db, cli, tmp_path):
    _store(db)
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "x"\nkind = "feed"\nurl = "https://x.example/"\n'
                       'timezone = "Asia/Beijing"\n', encoding="utf-8")
    config = tmp_path / "tracker.toml"
    config.write_text(f'[rules]\nsources = "{sources}"\n', encoding="utf-8")
    result = cli("--config", str(config), "export")
    assert result.exit_code == 0 and result.output.count('"url"') == 3
    assert "Warning: " in result.stderr and "Asia/Beijing" in result.stderr
    assert "stored times are read in UTC" in result.stderr
