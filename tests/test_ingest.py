import json
import shutil

import pytest

from tracker.ingest import ingest_paths
from tracker.store.db import connect

from .conftest import CORPUS, ROOT, needs_corpus

FIXTURES = ROOT / "tests" / "fixtures" / "ingest"
SAMPLE = ROOT / "tracker" / "demo" / "sample" / "articles"


def count(db, sql="SELECT count(*) FROM documents"):
    return db.execute(sql).fetchone()[0]


def test_ingest_feed_jsonl_and_pages_then_again_adds_nothing(cli, db_path):
    paths = [str(FIXTURES / "regulators.rss"), str(FIXTURES / "docs.jsonl"), str(SAMPLE)]
    first = cli("ingest", "--no-tag", *paths)
    assert first.exit_code == 0, first.output
    db = connect(db_path)
    stored = count(db)
    assert stored == 3 + 2 + len(list(SAMPLE.glob("*.html")))
    again = cli("ingest", "--no-tag", *paths)
    assert again.exit_code == 0
    assert "0 new documents" in again.output and "nothing new" in again.output
    assert count(db) == stored


def test_ingest_feed_entry_fields(db, config):
    ingest_paths(db, config, [FIXTURES / "regulators.rss"])
    rows = {r[0]: r[1:] for r in db.execute(
        "SELECT url, title, body, published_at, source, guid FROM documents")}
    title, body, published, source, guid = rows["https://regulator.example/news/1"]
    assert title == "NDRC orders mining shutdown"  # markup stripped, tracking parameter dropped
    assert body.startswith("The National Development and Reform Commission")
    assert published == "2021-05-25T01:00:00+00:00"
    assert (source, guid) == ("regulators", "reg-1")
    assert "urn:tracker:regulators:reg-3" in rows


def test_ingest_saved_page_uses_its_canonical_url(db, config):
    ingest_paths(db, config, [SAMPLE / "pboc-bans-trading.html"])
    url, title, body = db.execute("SELECT url, title, body FROM documents").fetchone()
    assert url.endswith("/articles/pboc-bans-trading.html")
    assert "central bank" in title
    assert "illegal" in body and "Most read" not in body


def test_ingest_bad_files_are_reported_and_others_still_go_in(cli, db_path, tmp_path):
    (tmp_path / "broken.jsonl").write_text('{"url": "x"}\nnot json\n', encoding="utf-8")
    (tmp_path / "empty.rss").write_bytes(b"")
    (tmp_path / "page.html").write_bytes(b"<html><body><script>var x;</script></body></html>")
    shutil.copy(FIXTURES / "docs.jsonl", tmp_path / "good.jsonl")
    names = ["broken.jsonl", "missing.rss", "empty.rss", "page.html", "good.jsonl"]
    result = cli("ingest", "--no-tag", *(str(tmp_path / n) for n in names))
    assert result.exit_code == 1
    assert "broken.jsonl: no valid line" in result.output
    assert "missing.rss: no such file" in result.output
    assert "page.html: no article text" in result.output
    assert "Traceback" not in result.output
    assert count(connect(db_path)) == 2


def test_ingest_jsonl_skips_bad_lines_and_says_which(db, config, tmp_path):
    path = tmp_path / "mixed.jsonl"
    lines = [json.dumps({"url": "https://a.example/1", "title": "t", "text": "x"}), "{oops",
             json.dumps({"url": "https://a.example/2", "title": 5, "text": "y"})]
    path.write_text("\n".join(lines), encoding="utf-8")
    [result] = ingest_paths(db, config, [path])
    assert result.counts.new == 1
    assert "line 2" in result.warning and "line 3" in result.warning


def test_ingest_crash_mid_file_then_rerun_completes_without_duplicates(db_path, config,
                                                                        monkeypatch):
    import tracker.store.write as write

    real = write.save_document
    calls = {"n": 0}

    def crash_on_third(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # as if the process died here
        return real(*args, **kwargs)

    db = connect(db_path)
    monkeypatch.setattr(write, "save_document", crash_on_third)
    with pytest.raises(KeyboardInterrupt):
        ingest_paths(db, config, [SAMPLE])
    assert count(db) == 2
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    monkeypatch.setattr(write, "save_document", real)
    ingest_paths(db, config, [SAMPLE])
    pages = len(list(SAMPLE.glob("*.html")))
    assert count(db) == pages
    assert count(db, "SELECT count(DISTINCT url) FROM documents") == pages


def test_ingest_wire_copies_share_a_story(db, config):
    ingest_paths(db, config, [SAMPLE])
    stories = db.execute(
        "SELECT story_id, count(*) FROM documents GROUP BY story_id HAVING count(*) > 1").fetchall()
    assert len(stories) == 1 and stories[0][1] == 2


@needs_corpus
def test_ingest_every_corpus_feed_stores_each_entry_once(db, config):
    import feedparser

    feeds = sorted(p for p in (CORPUS / "feeds").rglob("*")
                   if p.is_file() and p.suffix.lower() in {".xml", ".rss", ".atom", ".rdf"})
    assert len(feeds) > 100
    for path in feeds:
        before = count(db)
        name = f"corpus:{path.relative_to(CORPUS)}"
        [result] = ingest_paths(db, config, [path], source_name=name)
        parsed = feedparser.parse(path.read_bytes())
        expected = {(e.get("link") or e.get("id") or "").strip() for e in parsed.entries} - {""}
        if result.error:
            assert not expected, f"{path}: {result.error}"
            continue
        assert count(db) - before == result.counts.new
        assert result.counts.new + result.counts.duplicate >= len(expected) or not expected
    assert count(db) == count(db, "SELECT count(DISTINCT url) FROM documents")


def test_ingest_an_impossible_date_is_a_reported_line_not_a_crash(cli, db_path, tmp_path):
    path = tmp_path / "dates.jsonl"
    path.write_text(json.dumps({"url": "https://a.example/1", "title": "t", "text": "x",
                                "published": "99999999999999999999"}) + "\n"
                    + json.dumps({"url": "https://a.example/2", "title": "t", "text": "y"}),
                    encoding="utf-8")
    result = cli("ingest", "--no-tag", str(path))
    assert result.exit_code == 0 and "line 1" in result.output
    assert count(connect(db_path)) == 1


BEIJING_FEED = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>c</title>
<item><title>Mining halted</title><link>https://ndrc.example/1</link>
<description>The commission halted mining.</description>
<pubDate>2021-05-25 09:00</pubDate></item></channel></rss>"""


def beijing_config(tmp_path):
    from tracker.config import Config

    (tmp_path / "sources.toml").write_text(
        '[[source]]\nname = "ndrc"\nkind = "feed"\nurl = "https://ndrc.example/rss"\n'
        'timezone = "Asia/Shanghai"\n', encoding="utf-8")
    return Config(values={"rules.sources": str(tmp_path / "sources.toml")}, base=tmp_path)


def test_ingest_reads_times_in_the_configured_source_zone(db, tmp_path):
    # 09:00 written without a zone by a Beijing site: fetched or ingested, it is 01:00 UTC
    config = beijing_config(tmp_path)
    (tmp_path / "cn.rss").write_text(BEIJING_FEED, encoding="utf-8")
    (tmp_path / "cn.jsonl").write_text(json.dumps({
        "url": "https://ndrc.example/2", "title": "t", "text": "Another order.",
        "published": "2021-05-25 09:00", "source": "ndrc"}) + "\n", encoding="utf-8")
    ingest_paths(db, config, [tmp_path / "cn.rss", tmp_path / "cn.jsonl"], source_name="ndrc")
    stored = dict(db.execute("SELECT url, published_at FROM documents").fetchall())
    assert stored == {"https://ndrc.example/1": "2021-05-25T01:00:00+00:00",
                      "https://ndrc.example/2": "2021-05-25T01:00:00+00:00"}


def test_ingest_an_unconfigured_source_name_reads_utc(db, tmp_path):
    (tmp_path / "cn.rss").write_text(BEIJING_FEED, encoding="utf-8")
    ingest_paths(db, beijing_config(tmp_path), [tmp_path / "cn.rss"], source_name="other")
    assert db.execute("SELECT published_at FROM documents").fetchone()[0] == (
        "2021-05-25T09:00:00+00:00")


def test_ingest_a_date_without_year_or_in_the_future_is_a_reported_line(cli, db_path, tmp_path):
    path = tmp_path / "dates.jsonl"
    lines = [{"url": f"https://a.example/{n}", "title": "t", "text": f"x{n}", "published": p}
             for n, p in enumerate(["Monday", "2999-01-01", "2021-05-24 10:30"])]
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    result = cli("ingest", "--no-tag", str(path))
    assert result.exit_code == 0, result.output
    assert "line 1: published 'Monday' is not a date" in result.output and "line 2" in result.output
    assert count(connect(db_path)) == 1
