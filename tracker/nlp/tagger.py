"""The tag stage: documents in, `Tagged` out, in input order, through nlp.pipe in batches,
on one or several processes."""

from __future__ import annotations

import multiprocessing
import re
from collections import deque
from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import islice

from spacy.language import Language

from ..config import Config
from ..models import Document, Entity, Event, EventRole, Mention, Tagged
from .build import build_pipeline
from .components import PUBLISHED, RESULT
from .rules import RuleSet, load_rules

_WORKER_NLP: Language | None = None
# A line break inside a paragraph (hard-wrapped text) is a space to the rules; a blank line
# still ends a paragraph.
_LINE_BREAK = re.compile(r"(?<!\n)\n(?!\n)")  # the pipeline a forked worker inherits


class Tagger:
    def __init__(self, nlp: Language, rules: RuleSet, batch_size: int = 32, workers: int = 1,
                 max_chars: int = 100_000):
        self.nlp = nlp
        self.rules = rules
        self.batch_size = batch_size
        self.workers = workers
        self.max_chars = max_chars

    @property
    def rules_version(self) -> str:
        return self.rules.version

    def tag(self, docs: Iterable[Document]) -> Iterator[Tagged]:
        """One Tagged per document, in input order."""
        # several processes take small tasks, so none sits idle while another ends a batch
        size = self.batch_size
        if self.workers > 1:
            size = max(4, self.batch_size // (2 * self.workers))
        batches = _chunks(((d, *_prepare(d, self.max_chars)) for d in docs), size)
        for batch in self._run(batches):
            yield from batch

    def _run(self, batches: Iterator[list]) -> Iterator[list[Tagged]]:
        if self.workers <= 1:
            for batch in batches:
                yield self._finish(batch, _pipe(self.nlp, [(t, p) for _, t, p, _ in batch]))
            return
        yield from self._run_parallel(batches)

    def _run_parallel(self, batches: Iterator[list]) -> Iterator[list[Tagged]]:
        global _WORKER_NLP
        _WORKER_NLP = self.nlp
        context = multiprocessing.get_context("fork")  # workers share the loaded model
        with context.Pool(self.workers) as pool:
            pending: deque = deque()
            for batch in batches:
                pending.append((batch, pool.apply_async(
                    _worker, ([(t, p) for _, t, p, _ in batch],))))
                if len(pending) >= 4 * self.workers:
                    done, result = pending.popleft()
                    yield self._finish(done, result.get())
            while pending:
                done, result = pending.popleft()
                yield self._finish(done, result.get())

    def _finish(self, batch: list, results: list[dict | None]) -> list[Tagged]:
        out = []
        for (_, _, _, notes), result in zip(batch, results, strict=True):
            tagged = to_tagged(result) if result else Tagged()
            tagged.rules_version = self.rules_version
            tagged.notes = notes + tagged.notes
            out.append(tagged)
        return out


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _looks_english(text: str) -> bool:
    letters = [c for c in text[:5000] if c.isalpha()]
    return not letters or sum(c.isascii() for c in letters) / len(letters) >= 0.7


def _prepare(doc: Document, max_chars: int) -> tuple[str, str | None, list[str]]:
    """(text to tag, publication date, notes). Text not tagged is returned empty."""
    text, notes = doc.text or "", []
    language = (doc.language or "en").lower()
    if not language.startswith("en"):
        return "", None, [f"language {language!r} is not tagged (English rules only)"]
    if not _looks_english(text):
        return "", None, ["text does not look like English; not tagged"]
    if len(text) > max_chars:
        text = text[:max_chars]
        notes.append(f"text truncated at {max_chars} chars for tagging")
    text = _LINE_BREAK.sub(" ", text.replace("\r", " "))  # same length: offsets hold
    published = doc.published.date().isoformat() if isinstance(doc.published, datetime) else None
    return text, published, notes


def _pipe(nlp: Language, items: list[tuple[str, str | None]]) -> list[dict | None]:
    docs = []
    for text, published in items:
        doc = nlp.make_doc(text)
        doc.user_data[PUBLISHED] = published
        docs.append(doc)
    return [d.user_data.get(RESULT) if len(d) else None
            for d in nlp.pipe(docs, batch_size=max(1, len(docs)))]


def _worker(items: list[tuple[str, str | None]]) -> list[dict | None]:
    assert _WORKER_NLP is not None
    return _pipe(_WORKER_NLP, items)


def to_tagged(result: dict) -> Tagged:
    entities: dict[str, Entity] = {}
    mentions = []
    for m in result["mentions"]:
        entity = entities.setdefault(m["id"], Entity(m["id"], m["kind"], m["name"],
                                                     jurisdiction=m["jurisdiction"]))
        if m["surface"] != entity.name and m["surface"] not in entity.aliases:
            entity.aliases.append(m["surface"])
        mentions.append(Mention(m["id"], m["surface"], m["start"], m["end"], m["title"],
                                m["rule_id"]))
    events = []
    for e in result["events"]:
        fields = {k: v for k, v in e.items() if k != "roles"}
        events.append(Event(**fields, roles=[EventRole(i, r) for i, r in e["roles"]]))
    return Tagged(list(entities.values()), mentions, events)


def load_tagger(config: Config) -> Tagger:
    """Load the rules and build the pipeline (once per process: ~1-2 s)."""
    rules = load_rules(config.rules_dir)
    nlp = build_pipeline(config["nlp.model"], rules)
    return Tagger(nlp, rules, config["nlp.batch_size"], config["nlp.workers"],
                  config["nlp.max_chars"])
