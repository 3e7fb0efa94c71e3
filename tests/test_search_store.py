"""search, events, documents, entities, entity and case_history over a small tagged archive."""

from __future__ import annotations

import contextlib

import pytest

from tests.conftest_search import fill
from tracker.errors import QueryError
from tracker.store import query as sq


@pytest.fixture
def archive(db):
    fill(db)
    return db


def titles(hits) -> list[str]:
    return [h.document["title"] for h in hits]


def test_search_ranks_title_above_body_and_marks_terms(archive):
    hits = sq.search(archive, "energy")
    # in a title and its body beats the body alone, even where the body says it twice
    assert titles(hits)[0] == "Former energy official Zhang Ming under investigation"
    assert len(hits) == 3  # four documents, two of them one story
    hits = sq.search(archive, "mining")
    assert all(h.score > 0 for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert any("[mining]" in h.snippet for h in hits)
    assert "<mark>" in next(h for h in hits if "[mining]" in h.snippet).snippet_html


def test_search_one_hit_per_story_with_other_outlets(archive):
    hits = sq.search(archive, "NDRC crackdown")
    assert titles(hits).count("NDRC announces crackdown on crypto mining") == 1
    hit = hits[0]
    other = {"reuters": "scmp", "scmp": "reuters"}[hit.document["source"]]
    assert [o["source"] for o in hit.also_reported_by] == [other]
    assert hit.document.keys() >= {"id", "url", "title", "source", "published", "story"}


def test_search_hits_carry_their_events(archive):
    (hit,) = sq.search(archive, '"Inner Mongolia"')
    assert [e["type"] for e in hit.events] == ["ban"]
    assert hit.events[0]["document"]["url"] == "https://xinhua.example/inner-mongolia-ban"


def test_search_entity_filter_resolves_any_alias(archive):
    by_name = sq.search(archive, 'entity:"National Development and Reform Commission"')
    assert titles(by_name) == titles(sq.search(archive, "entity:NDRC")) \
        == titles(sq.search(archive, "entity:cn-ndrc")) \
        == ["NDRC announces crackdown on crypto mining"]
    assert sq.search(archive, "entity:nobody-at-all") == []


def test_search_filters_combine_with_words(archive):
    # a background ban (2017) counts too: the document is about a ban
    assert set(titles(sq.search(archive, "mining type:ban"))) == {
        "Inner Mongolia bans cryptocurrency mining", "Bitcoin price falls as China warns again"}
    # since:/until: in a search are the publication date
    assert titles(sq.search(archive, "mining type:ban since:2021-04")) == \
        ["Bitcoin price falls as China warns again"]
    assert titles(sq.search(archive, "mining -bitcoin type:ban")) == \
        ["Inner Mongolia bans cryptocurrency mining"]
    assert set(titles(sq.search(archive, "source:ccdi"))) == {
        "Zhang Ming expelled from the party",
        "Former energy official Zhang Ming under investigation"}
    assert titles(sq.search(archive, 'person:"Zhang Ming" until:2020-03')) == \
        ["Former energy official Zhang Ming under investigation"]
    assert titles(sq.search(archive, "trading modality:planned")) == \
        ["Bitcoin price falls as China warns again"]


def test_search_filters_only_newest_first_and_paging(archive):
    hits = sq.search(archive, "place:CN", limit=2)
    assert [h.document["published"][:10] for h in hits] == ["2023-04-02", "2021-09-01"]
    page2 = sq.search(archive, "place:CN", limit=2, offset=2)
    assert not set(titles(hits)) & set(titles(page2))


@pytest.mark.parametrize("text", ['"', "a) OR (b", "NEAR(", "title:x", "x*y*", "- - -",
                                  "'; DROP TABLE documents; --", "col:umn"])
def test_search_hostile_input_never_reaches_sqlite_raw(archive, text):
    with contextlib.suppress(QueryError):  # a positioned message, never an sqlite3 error
        sq.search(archive, text)
        sq.events(archive, text)
    assert archive.execute("SELECT count(*) FROM documents").fetchone()[0] == 8


def test_events_in_event_date_order_with_background_at_its_date(archive):
    evs = sq.events(archive, "")
    dates = [e["date"] for e in evs]
    assert dates == sorted(dates) and dates[0] == "2017"
    assert evs[0]["is_news"] is False and evs[0]["date_precision"] == "year"
    first = evs[1]
    assert first.keys() >= {"id", "type", "date", "date_precision", "jurisdiction", "modality",
                            "is_news", "evidence", "rule_id", "confidence", "entities",
                            "document"}
    assert {"name", "kind", "role", "id"} <= first["entities"][0].keys()


def test_events_filters_and_after_id(archive):
    assert [e["type"] for e in sq.events(archive, "type:ban place:CN")] == ["ban", "ban"]
    assert [e["date"] for e in sq.events(archive, "type:ban since:2018")] == ["2021-03-01"]
    assert [e["type"] for e in sq.events(archive, "modality:planned")] == ["crackdown"]
    zhang = sq.events(archive, "entity:Zhang")
    assert [e["type"] for e in zhang] == ["investigation", "expulsion", "sentence"]
    target = next(x for x in zhang[0]["entities"] if x["role"] == "target")
    assert target["title"] == "deputy director of the provincial energy bureau"
    newest = sq.events(archive, "entity:person:zhang-ming", limit=1, newest_first=True)
    assert [e["type"] for e in newest] == ["sentence"]
    last = max(e["id"] for e in sq.events(archive))
    assert sq.events(archive, after_id=last) == []
    assert [e["type"] for e in sq.events(archive, "bribes")] == ["expulsion"]


def test_documents_in_storage_order_after_id(archive):
    docs = sq.documents(archive, "mining", after_id=3)
    assert [d["id"] for d in docs] == sorted(d["id"] for d in docs)
    assert all(d["id"] > 3 and "text" in d for d in docs)


def test_entities_with_counts(archive):
    rows = sq.entities(archive)
    cn = next(r for r in rows if r["id"] == "place:CN")
    assert cn["mentions"] == 6 and cn["events"] == 4
    assert {r["kind"] for r in sq.entities(archive, "person")} == {"person"}


def test_entity_titles_over_time_and_case_history(archive):
    ent = sq.entity(archive, "Zhang Ming")
    assert ent["id"] == "person:zhang-ming" and ent["aliases"] == ["Zhang"]
    assert [t["title"] for t in ent["titles"]] == [
        "deputy director of the provincial energy bureau",
        "former deputy director of the energy bureau"]
    assert ent["titles"][0]["first_seen"].startswith("2020-01-10")
    (case,) = ent["cases"]
    assert [(s["stage"], s["date"]) for s in case["stages"]] == [
        ("investigation", "2020-01-10"), ("expulsion", "2020-06-01"), ("sentence", "2021-09-01")]
    assert case["latest_stage"] == "sentence"
    assert sq.case_history(archive, "CoinHub")["cases"][0]["latest_stage"] == "penalty"


def test_case_history_starts_a_new_case_when_stages_go_back():
    evs = [{"id": i, "type": t, "date": d, "date_precision": "day", "modality": "happened",
            "entities": [{"id": "p", "role": "target"}]}
           for i, (t, d) in enumerate([("investigation", "2019-01-01"), ("sentence", "2019-09-01"),
                                       ("investigation", "2022-01-01"), ("warning", "2030-01-01")])]
    cases = sq._cases("p", evs)
    assert [[s["stage"] for s in c["stages"]] for c in cases] == [
        ["investigation", "sentence"], ["investigation"], ["warning"]]


def test_entity_unknown_is_a_query_error(archive):
    with pytest.raises(QueryError, match="no entity named"):
        sq.entity(archive, "Nobody")


def test_search_type_filter_leaves_out_denials_unless_asked(db):
    from tests.test_store_db import make_doc
    from tracker.models import Event, Tagged
    from tracker.store.write import save_document, save_tags

    doc_id = save_document(db, make_doc(text="It banned trading. It has no plans to ban mining."))
    save_tags(db, doc_id, Tagged(events=[
        Event("ban", "It banned trading.", "ban.verb", start=0, end=18),
        Event("ban", "It has no plans to ban mining.", "ban.verb", modality="denied",
              start=19, end=49)]))
    assert [e["modality"] for e in sq.events(db, "type:ban")] == ["happened"]
    assert [e["modality"] for e in sq.events(db, "type:ban modality:denied")] == ["denied"]
    assert len(sq.search(db, "mining type:ban modality:denied")) == 1


def test_case_history_keeps_one_case_when_two_outlets_report_the_same_day(db):
    """Two outlets carry the CCDI notice: expulsion and transfer to prosecutors, same day.
    Their events interleave by id (expulsion, prosecution, expulsion, prosecution); that is
    one case with two stages, and the entity's events list each once with the other outlet."""
    from datetime import UTC, datetime

    from tests.conftest_deliver import add_document, add_event

    when = datetime(2021, 9, 10, 8, tzinfo=UTC)
    target = [("person:zhang-ming", "person", "Zhang Ming", "target")]
    first = add_document(db, "Zhang expelled", when, source="policy-wire")
    add_event(db, first, "investigation", "Zhang was placed under investigation in April.",
              date="2021-04", roles=target)
    for doc in (first, add_document(db, "Zhang expelled", when, source="asia-daily", story=first)):
        add_event(db, doc, "expulsion", "Zhang was expelled.", date="2021-09-10", roles=target)
        add_event(db, doc, "prosecution", "His case was transferred.", date="2021-09-10",
                  roles=target)
    ent = sq.entity(db, "person:zhang-ming")
    (case,) = ent["cases"]
    assert [s["stage"] for s in case["stages"]] == ["investigation", "expulsion", "prosecution"]
    assert [len(s["events"]) for s in case["stages"]] == [1, 2, 2]
    assert [e["type"] for e in ent["events"]] == ["investigation", "expulsion", "prosecution"]
    assert ent["events"][1]["also_reported_by"][0]["source"] == "asia-daily"
