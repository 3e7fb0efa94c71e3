"""search, timeline, entities and entity on the command line, in every output format; the
database in Datasette."""

from __future__ import annotations

import asyncio
import csv
import io
import json

import feedparser
import pytest

from tests.conftest_search import fill
from tracker import output
from tracker.models import Tagged


@pytest.fixture
def archive(db):
    fill(db)
    return db


def test_cli_search_table_fits_the_terminal(archive, cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "72")
    result = cli("search", "mining")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split()[:3] == ["date", "source", "title"]
    assert all(len(line) <= 72 for line in lines)
    assert "[mining]" in result.output


def test_cli_search_json_is_one_array_with_design_fields(archive, cli):
    result = cli("search", "mining", "--format", "json", "--limit", "3")
    hits = json.loads(result.output)
    assert isinstance(hits, list) and len(hits) == 3
    assert hits[0].keys() >= {"document", "snippet", "score", "events", "also_reported_by"}
    assert hits[0]["document"].keys() >= {"url", "title", "source", "published", "story"}


def test_cli_search_csv_is_flat(archive, cli):
    result = cli("search", "NDRC", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows[0]["title"] == "NDRC announces crackdown on crypto mining"
    # one row for the story; the other outlet is listed in the same row
    assert len(rows) == 1
    assert {rows[0]["source"], rows[0]["also"]} == {"reuters", "scmp"}
    assert rows[0]["url"].startswith("https://")


def test_cli_search_atom_is_a_valid_feed(archive, cli):
    result = cli("search", "mining <&> type:ban", "--format", "atom")
    feed = feedparser.parse(result.output.encode())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert {e.link for e in feed.entries} == {"https://xinhua.example/inner-mongolia-ban",
                                             "https://reuters.example/pboc-background"}


def test_cli_search_filter_options_join_the_query(archive, cli):
    result = cli("search", "mining", "--type", "ban", "--since", "2022", "--format", "json")
    assert [h["document"]["source"] for h in json.loads(result.output)] == ["reuters"]


def test_cli_bad_query_exits_2_with_position(archive, cli):
    result = cli("search", "mining type:")
    assert result.exit_code == 2
    assert "position 13: expected a value after 'type:'" in result.output
    assert "Traceback" not in result.output


def test_cli_timeline_formats(archive, cli):
    table = cli("timeline", "entity:Zhang")
    assert table.exit_code == 0
    assert [line.split()[1] for line in table.output.splitlines()[2::2]] == [
        "investigation", "expulsion", "sentence"]
    evs = json.loads(cli("timeline", "type:ban", "--format", "json").output)
    assert [e["date"] for e in evs] == ["2017", "2021-03-01"]
    rows = list(csv.DictReader(io.StringIO(cli("timeline", "--format", "csv").output)))
    assert len(rows) == 8 and rows[0]["type"] == "ban"
    feed = feedparser.parse(cli("timeline", "--format", "atom").output.encode())
    assert feed.bozo == 0 and len(feed.entries) == 8
    assert cli("timeline", "--limit", "2", "--format", "json").output.count('"rule_id"') == 2


def test_cli_entities_and_entity(archive, cli):
    result = cli("entities", "--kind", "agency")
    assert "cn-ndrc" in result.output and "person:zhang-ming" not in result.output
    rows = json.loads(cli("entities", "--format", "json").output)
    assert rows[0]["id"] == "place:CN"
    text = cli("entity", "NDRC").output
    assert "National Development and Reform Commission" in text and "crackdown" in text
    zhang = cli("entity", "Zhang Ming").output
    assert "Case history:" in zhang
    assert "investigation 2020-01-10 -> expulsion 2020-06-01 -> sentence 2021-09-01" in zhang
    assert "former deputy director of the energy bureau" in zhang
    (ent,) = json.loads(cli("entity", "person:zhang-ming", "--format", "json").output)
    assert ent["cases"][0]["latest_stage"] == "sentence"
    missing = cli("entity", "Nobody")
    assert missing.exit_code == 2 and "tracker entities" in missing.output


def test_output_table_shrinks_flexible_columns():
    cols = [output.Column("a", "a", 4, 10), output.Column("b", "b", 5, 80, flex=True)]
    rows = [{"a": "short", "b": "x" * 200}]
    text = output.table(rows, cols, width=40)
    assert max(len(line) for line in text.splitlines()) <= 40
    assert text.splitlines()[2].endswith("…")


def test_output_rfc3339_accepts_partial_dates():
    assert output.rfc3339("2021-05") == "2021-05-01T00:00:00Z"
    assert output.rfc3339("2021") == "2021-01-01T00:00:00Z"
    assert output.rfc3339("2021-05-21T10:00:00+08:00") == "2021-05-21T02:00:00Z"


def test_datasette_full_text_search_on_documents(archive, db_path):
    from datasette.app import Datasette

    async def fetch():
        ds = Datasette([str(db_path)])
        await ds.invoke_startup()
        name = db_path.stem
        tables = (await ds.client.get(f"/{name}.json")).json()["tables"]
        found = (await ds.client.get(f"/{name}/documents.json?_search=mining&_shape=array"))
        return tables, found

    tables, found = asyncio.run(fetch())
    docs = next(t for t in tables if t["name"] == "documents")
    assert docs["fts_table"] == "documents_fts"
    assert found.status_code == 200
    assert {r["source"] for r in found.json()} >= {"xinhua", "reuters"}
    assert {t["name"] for t in tables} >= {"documents", "events", "entities", "event_entities",
                                          "mentions", "entity_names"}


def test_cli_timeline_lists_the_same_news_from_two_outlets_once(archive, cli):
    from tests.conftest_search import DOCS
    from tracker.store.write import save_tags

    crackdown = DOCS[0][6]
    copy_id = archive.execute("SELECT id FROM documents WHERE source = 'scmp'").fetchone()[0]
    save_tags(archive, copy_id, Tagged(events=list(crackdown), rules_version="test"))
    evs = json.loads(cli("timeline", "type:crackdown until:2021", "--format", "json").output)
    assert len(evs) == 1
    assert [a["source"] for a in evs[0]["also_reported_by"]] == ["scmp"]
    assert "scmp" in cli("timeline", "type:crackdown until:2021").output
