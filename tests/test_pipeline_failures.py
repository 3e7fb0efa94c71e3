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
