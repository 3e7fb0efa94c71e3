"""Shared fixtures for the tagging tests: one Tagger per test session (the model loads once).

Imported explicitly by tests/test_nlp_*.py and tests/test_eval_tagging.py
(`from tests.conftest_nlp import tagger_fixture, tag_one`)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from tracker.config import Config
from tracker.models import Document, Tagged

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session", name="tagger")
def tagger_fixture():
    from tracker.nlp import load_tagger

    return load_tagger(Config(base=ROOT))


def tag_one(tagger, text: str, published: str | None = "2021-05-21", **fields) -> Tagged:
    doc = Document(url="https://example.org/t", source="test", text=text,
                   published=datetime.fromisoformat(published) if published else None, **fields)
    return next(tagger.tag([doc]))


def events_of(tagged: Tagged) -> set[tuple[str, str, bool]]:
    return {(e.type, e.modality, e.is_news) for e in tagged.events}


def titles_of(tagged: Tagged) -> set[tuple[str, str]]:
    return {(m.entity_id, m.title) for m in tagged.mentions if m.title}
