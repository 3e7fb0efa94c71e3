import pytest

from tests.test_store_db import make_doc
from tracker.dedupe import canonical_url, content_hash, distance, overlap, simhash
from tracker.errors import Duplicate
from tracker.store.write import save_document

WIRE = ("Beijing said on Tuesday it would launch a campaign against industrial scale "
        "cryptocurrency mining as part of efforts to meet the country's carbon goals. "
        "Provincial commissions must identify mining operations within a month and order "
        "them to shut down, the planner said, adding that farms in Inner Mongolia and "
        "Xinjiang had been using coal power at preferential rates for years, and that "
        "the region accounts for a large share of global capacity.")


@pytest.mark.parametrize("url, expected", [
    ("HTTPS://Example.ORG:443/a?utm_source=rss&id=3#top", "https://example.org/a?id=3"),
    ("http://example.org", "http://example.org/"),
    ("http://example.org:8080/x?b=2&a=1&fbclid=z", "http://example.org:8080/x?a=1&b=2"),
    ("urn:tracker:s:42", "urn:tracker:s:42"),
])
def test_dedupe_canonical_url(url, expected):
    assert canonical_url(url) == expected


def test_dedupe_content_hash_ignores_case_space_and_punctuation():
    a = content_hash("T", WIRE, "u1")
    assert a == content_hash("Other", WIRE.upper().replace(" ", "  "), "u2")
    assert content_hash("T", "short", "u1") != content_hash("T", "short", "u2")


def test_dedupe_simhash_near_duplicates_are_close_and_others_far():
    edited = WIRE.replace("on Tuesday", "on Wednesday").replace("for years", "")
    other = " ".join(reversed(WIRE.split()))
    assert distance(simhash(WIRE), simhash(edited)) <= 12
    assert distance(simhash(WIRE), simhash(other)) > 12
    assert overlap(WIRE, edited) >= 0.5 > overlap(WIRE, other)


def test_dedupe_same_url_guid_or_text_is_stored_once(db):
    save_document(db, make_doc(text=WIRE, guid="g1"))
    for dup in (make_doc(text="new text entirely " * 20),
                make_doc(url="https://example.org/b", guid="g1"),
                make_doc(url="https://example.org/c", text=WIRE)):
        with pytest.raises(Duplicate):
            save_document(db, dup)
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 1


def test_dedupe_wire_copy_from_another_outlet_joins_the_story(db):
    first = save_document(db, make_doc(text=WIRE))
    edited = WIRE.replace("on Tuesday", "on Wednesday")
    doc = make_doc(url="https://other.example/x", text=edited, source="other")
    doc.simhash, first_hash = simhash(edited), simhash(WIRE)
    db.execute("UPDATE documents SET simhash = ? WHERE id = ?", [first_hash, first])
    second = save_document(db, doc)
    stories = dict(db.execute("SELECT id, story_id FROM documents"))
    assert stories[first] == stories[second] == first
