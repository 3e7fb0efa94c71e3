"""Tagging that fails never blocks a feed and never wipes stored tags."""

import pytest

from tests.conftest import ROOT
from tests.test_store_db import make_doc
from tracker.config import Config
from tracker.models import Source
from tracker.nlp import load_tagger
from tracker.pipeline import process_entries


@pytest.fixture(scope="module")
def in_process_tagger():
    with load_tagger(Config(base=ROOT), workers=0) as tagger:
        yield tagger


def test_pipeline_a_batch_spacy_raises_on_is_stored_untagged(db, config, in_process_tagger,
                                                             monkeypatch):
    import tracker.nlp.tagger as tagger_module
    from tracker.models import Entry

    def boom(nlp, items):
        raise RuntimeError("odd document")

    monkeypatch.setattr(tagger_module, "pipe_batch", boom)
    [tagged] = in_process_tagger.tag([make_doc()])
    assert tagged.failed and "odd document" in tagged.notes[-1]
    source = Source(name="s", kind="feed", url="", full_text=True)
    entries = [Entry(url="https://example.org/x", source="s", title="Ban",
                     content="The NDRC banned mining.")]
    counts = process_entries(db, config, source, entries, tagger=in_process_tagger)
    assert counts.new == 1
    assert db.execute("SELECT rules_version FROM documents").fetchone()[0] is None


def test_one_document_that_raises_leaves_the_rest_of_its_batch_tagged(in_process_tagger,
                                                                      monkeypatch):
    import tracker.nlp.tagger as tagger_module

    real = tagger_module.pipe_batch

    def fails_on_odd(nlp, items):
        if any("ODD" in text for text, *_ in items):
            raise RuntimeError("odd document")
        return real(nlp, items)

    monkeypatch.setattr(tagger_module, "pipe_batch", fails_on_odd)
    docs = [make_doc(url=f"https://example.org/{i}", text=text) for i, text in enumerate([
        "The NDRC banned crypto mining on Monday.", "ODD text that breaks the tagger.",
        "The People's Bank of China warned investors on Friday."])]
    first, odd, last = in_process_tagger.tag(docs)
    assert odd.failed and "odd document" in odd.notes[-1]
    assert not first.failed and {e.type for e in first.events} == {"ban"}
    assert not last.failed and {e.type for e in last.events} == {"warning"}
