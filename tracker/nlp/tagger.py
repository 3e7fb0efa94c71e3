"""The tag stage: documents in, `Tagged` out, in input order, through nlp.pipe in batches,
in the calling process (nlp.workers = 0) or in worker processes started once and reused by
every tag() call (nlp.workers = N; see worker.py)."""

from __future__ import annotations

import logging
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future
from datetime import datetime
from itertools import islice
from typing import Any

from spacy.language import Language

from ..config import Config
from ..models import Document, Entity, Event, EventRole, Mention, Tagged
from .build import build_pipeline, resolve_model
from .components import PUBLISHED, RESULT
from .entities import COUNTRY
from .rules import RuleSet, load_rules
from .worker import BATCH_TIMEOUT, IN_FLIGHT, BatchFailed, TaggingFailed, WorkerPool, WorkerSpec

log = logging.getLogger(__name__)
# A line break inside a paragraph (hard-wrapped text) is a space to the rules; a blank line
# still ends a paragraph, and so does a line break after a headline (a first line with no
# closing punctuation), after a colon, or before a list item ("1. ", "- ", "• ").
_LINE_BREAK = re.compile(r"(?<!\n)\n(?!\n)")
_LIST_ITEM = re.compile(r"\s*(?:\d{1,2}[.)]|[-•*–])\s")
_HEADLINE_WORDS = 25
_OPENERS = {"The", "A", "An", "This", "These", "In", "On", "At", "As", "According", "Recently",
            "Since", "After", "Following", "Under", "With", "From", "For", "By", "It", "Its",
            "Last", "Earlier", "Over", "During", "When", "While", "Amid", "Despite", "Before",
            "Police", "Prosecutors", "Officials", "Authorities", "Regulators"}
_MID_PHRASE = {"and", "or", "the", "a", "an", "of", "to", "in", "on", "for", "with", "by", "at",
               "from", "said", "says", "that", "as", "its", "his", "her", "their", "would",
               "will", "could", "can", "may", "must", "should", "is", "are", "was", "were", "be",
               "been", "has", "have", "had", "not", "who", "which"}
Prepared = tuple[Document, str, "str | None", list[str]]  # doc, text, published, notes


class Tagger:
    """`tag(docs)` for one process. With workers > 0 the pipeline lives in worker processes
    (started by `start()`, or at the first tag()) and `nlp` is only built here when asked
    for; tag() may then be called from several threads at once. `close()` stops them."""

    def __init__(self, nlp: Language | None, rules: RuleSet, batch_size: int = 32,
                 workers: int = 0, max_chars: int = 100_000, model: str = "auto",
                 batch_timeout: float = BATCH_TIMEOUT, countries: Mapping[str, str] | None = None):
        self._nlp = nlp
        self.rules = rules
        self.batch_size = batch_size
        self.workers = workers
        self.max_chars = max_chars
        self.model = model
        self.batch_timeout = batch_timeout  # workers only: a process cannot stop itself
        self.countries = dict(countries or {})  # source name -> its jurisdiction
        self._pool: WorkerPool | None = None
        self._pool_lock = threading.Lock()

    @property
    def rules_version(self) -> str:
        return self.rules.version

    @property
    def nlp(self) -> Language:
        """The pipeline in this process (built on first use when tagging runs in workers)."""
        if self._nlp is None:
            self._nlp = build_pipeline(self.model, self.rules)
        return self._nlp

    @property
    def thread_safe(self) -> bool:
        """Whether threads may call tag() at once (they share the workers' queue)."""
        return self.workers > 0

    def start(self) -> Tagger:
        """Start the worker processes now, so their model loads while the caller works."""
        if self.workers > 0:
            self._workers()
        return self

    def close(self, timeout: float = 2.0) -> None:
        """Stop the worker processes (each ends its batch within `timeout`, else is killed)."""
        with self._pool_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close(timeout)

    def __enter__(self) -> Tagger:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def wait_ready(self, timeout: float = 180.0) -> bool:
        """Block until the workers have loaded the model; False if one could not start."""
        return self._workers().wait_ready(timeout) if self.workers > 0 else True

    def pids(self) -> list[int]:
        """The worker processes' ids (empty when tagging in process)."""
        return self._pool.pids() if self._pool is not None else []

    def _workers(self) -> WorkerPool:
        with self._pool_lock:
            if self._pool is not None and self._pool.size != self.workers:
                self._pool.close()  # `workers` was changed (retag --workers, tests)
                self._pool = None
            if self._pool is None:
                self._pool = WorkerPool(WorkerSpec(self.model, self.rules), self.workers,
                                        batch_timeout=self.batch_timeout)
            return self._pool

    def tag(self, docs: Iterable[Document]) -> Iterator[Tagged]:
        """One Tagged per document, in input order."""
        prepared = ((d, *_prepare(d, self.max_chars)) for d in docs)
        if self.workers <= 0:
            for batch in _chunks(prepared, self.batch_size):
                yield from self._finish(batch, self._run_here(batch), self._run_here)
            return
        # small tasks, so no worker sits idle while another ends a long batch
        size = max(4, self.batch_size // (2 * self.workers))
        yield from self._tag_in_workers(_chunks(prepared, size))

    def _run_here(self, batch: list[Prepared]) -> list[dict | None] | BatchFailed:
        try:
            return pipe_batch(self.nlp, _items(batch, self.countries))
        except Exception as exc:  # one odd document must not block its whole feed
            log.exception("tagging raised")
            return BatchFailed(f"tagging raised {type(exc).__name__}: {exc}")

    def _tag_in_workers(self, batches: Iterator[list[Prepared]]) -> Iterator[Tagged]:
        pool = self._workers()

        def one(batch: list[Prepared]) -> list[dict | None] | BatchFailed:
            return _result((batch, pool.submit(_items(batch, self.countries))))[1]

        window: deque[tuple[list[Prepared], Future[Any]]] = deque()
        try:
            for batch in batches:
                window.append((batch, pool.submit(_items(batch, self.countries))))
                if len(window) > IN_FLIGHT * pool.size + 1:
                    yield from self._finish(*_result(window.popleft()), one)
            while window:
                yield from self._finish(*_result(window.popleft()), one)
        finally:  # the caller stopped early (Shutdown): drop what was not started
            for _, future in window:
                future.cancel()

    def _finish(self, batch: list[Prepared], results: list[dict | None] | BatchFailed,
                retry: Callable[[list[Prepared]], list[dict | None] | BatchFailed],
                ) -> list[Tagged]:
        if isinstance(results, BatchFailed):
            if len(batch) > 1:
                # one document that raises or hangs fails its whole batch: tag the others one
                # by one, so only it is stored untagged
                log.warning("a batch of %d failed (%s); tagging its documents one by one",
                            len(batch), results.reason)
                return [t for item in batch for t in self._finish([item], retry([item]), retry)]
            return _untagged(batch, results.reason)
        out = []
        for (_, _, _, notes), result in zip(batch, results, strict=True):
            tagged = to_tagged(result) if result else Tagged()
            tagged.rules_version = self.rules_version
            tagged.notes = notes + tagged.notes
            out.append(tagged)
        return out


def _result(entry: tuple[list[Prepared], Future[Any]]) -> tuple[list[Prepared], Any]:
    batch, future = entry
    try:
        return batch, future.result()
    except TaggingFailed as exc:  # spaCy raised on this batch: store it untagged, say so
        return batch, BatchFailed(str(exc).splitlines()[0])


Item = tuple[str, "str | None", "str | None"]  # text, publication date, source's country


def _items(batch: list[Prepared], countries: Mapping[str, str]) -> list[Item]:
    return [(text, published, countries.get(doc.source)) for doc, text, published, _ in batch]


def _untagged(batch: list[Prepared], reason: str) -> list[Tagged]:
    """Documents a worker could not tag: stored without tags (no rules version) and said."""
    note = f"{reason}; stored untagged (`tracker retag` tags it later)"
    urls = [d.url for d, *_ in batch]
    log.warning("%d document(s) not tagged: %s: %s", len(batch), note, " ".join(urls),
                extra={"event": "nlp.untagged", "urls": urls})
    return [Tagged(rules_version="", notes=[*notes, note], failed=True)
            for _, _, _, notes in batch]


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _looks_english(text: str) -> bool:
    letters = [c for c in text[:5000] if c.isalpha()]
    return not letters or sum(c.isascii() for c in letters) / len(letters) >= 0.7


def _join_lines(text: str) -> str:
    """Single line breaks become spaces, except where they end a sentence (same length, so
    offsets hold)."""
    return _LINE_BREAK.sub(lambda m: _line_break(text, m.start()), text)


def _line_break(text: str, i: int) -> str:
    start = text.rfind("\n", 0, i) + 1  # (only the line before is read: hot on long texts)
    line = text[start:i].rstrip()
    if line.endswith(":") or _LIST_ITEM.match(text, i + 1):
        return "\n"
    if start:
        return " "  # only a document's first line is a headline
    words, following = line.split(), text[i + 1:i + 40].split()[:1]
    # (a hard-wrapped first line breaks mid-phrase: "... said the head of\nthe bureau",
    # "charged\nDaniel Whitcombe"; a body's first sentence opens with an article, a
    # preposition or a dateline)
    headline = 2 <= len(words) <= _HEADLINE_WORDS and words[-1].lower() not in _MID_PHRASE \
        and line[-1:].isalnum() and bool(following) and (
            following[0] in _OPENERS or following[0].isupper() and len(following[0]) > 2
            and following[0].isalpha())
    return "\n" if headline else " "


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
    text = _join_lines(text.replace("\r", " "))
    published = doc.published.date().isoformat() if isinstance(doc.published, datetime) else None
    return text, published, notes


def pipe_batch(nlp: Language, items: list[Item]) -> list[dict | None]:
    """The pipeline over one batch: each document's RESULT (plain data), or None if empty."""
    docs = []
    for text, published, country in items:
        doc = nlp.make_doc(text)
        doc.user_data[PUBLISHED] = published
        doc.user_data[COUNTRY] = country
        docs.append(doc)
    return [d.user_data.get(RESULT) if len(d) else None
            for d in nlp.pipe(docs, batch_size=max(1, len(docs)))]


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


def load_tagger(config: Config, workers: int | None = None) -> Tagger:
    """Load and check the rules; build the pipeline here (workers = 0) or start the worker
    processes that build it (~2 s, in the background). `workers` overrides nlp.workers."""
    rules = load_rules(config.rules_dir)
    model = resolve_model(config["nlp.model"])  # a missing model is an error here, not later
    workers = config["nlp.workers"] if workers is None else workers
    nlp = build_pipeline(model, rules) if workers <= 0 else None
    return Tagger(nlp, rules, config["nlp.batch_size"], workers, config["nlp.max_chars"],
                  model, config["nlp.batch_timeout"], _source_countries(config)).start()


def _source_countries(config: Config) -> dict[str, str]:
    """Each configured source's jurisdiction, by name."""
    from ..sources import sources_if_valid

    read = sources_if_valid(
        config, lambda why: log.warning("%s; no source's country is assumed", why))
    return {s.name: s.jurisdiction for s in read if s.jurisdiction}
