"""tracker's spaCy components.

`tracker_sentences` splits sentences by punctuation and line breaks (a rule splitter:
the statistical senter is not worth its cost for news prose). `tracker_tags` runs the
statistical NER only on documents a rule can use (an event trigger or a registry agency),
then links entities, finds people and their titles, and tags events. It writes plain data
to `doc.user_data["tracker"]`, so results cross process boundaries cheaply.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date

import numpy as np
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc
from spacy.util import minibatch

from .entities import Found, Linker
from .events import EventTagger
from .gazetteer import Gazetteer
from .matching import positions, word_hashes
from .people import People
from .rules import RuleSet

RESULT = "tracker"
PUBLISHED = "tracker_published"


@Language.factory("tracker_sentences")
def make_sentences(nlp: Language, name: str) -> SentenceSplitter:
    return SentenceSplitter()


# A wire dateline opening a paragraph: "NEW YORK (AP) —", "TOKYO, March 8 (Reuters) -",
# "SEOUL, May 25 (Yonhap) --", "PARIS —". What follows starts the first sentence, so its
# subject is "The founder of ...", not "NEW YORK".
DATELINE = re.compile(r"(?:^|\n\n)[A-Z][A-Z.'’ -]{1,30}[A-Z.](?:, [A-Z][a-z]+\.? \d{1,2})?"
                      r"(?: \([A-Za-z .&]{2,30}\))? ?(?:—|–|--|-) ?")


class SentenceSplitter:
    def __init__(self) -> None:
        self.punct = Sentencizer()

    def __call__(self, doc: Doc) -> Doc:
        doc = self.punct(doc)
        if len(doc) < 2:
            return doc
        # (the tagger keeps a single line break only where it ends a sentence: a headline,
        # a list item)
        for i in np.nonzero(doc.to_array("IS_SPACE")[:-1])[0].tolist():
            if "\n" in doc[i].text:
                doc[i + 1].is_sent_start = True
        for match in DATELINE.finditer(doc.text):
            token = doc.char_span(match.end(), match.end() + 1, alignment_mode="expand")
            if token is not None and token.start > 0:
                doc[token.start].is_sent_start = True
        return doc


@Language.factory("tracker_tags")
def make_tags(nlp: Language, name: str) -> TagComponent:
    return TagComponent(nlp)


class TagComponent:
    """Needs `bind(rules, models)` before use (rules and model components are objects,
    not config values)."""

    def __init__(self, nlp: Language):
        self.nlp = nlp
        self.models: list = []
        self.rules: RuleSet | None = None

    def bind(self, rules: RuleSet, models: list) -> None:
        self.rules = rules
        self.models = models
        self.gazetteer = Gazetteer(self.nlp, rules)
        self.linker = Linker(self.gazetteer, rules, self.nlp)
        self.people = People(rules.titles, rules.authority.institutions,
                             rules.authority.companies)
        self.events = EventTagger(self.nlp.vocab, rules)
        self.head_hashes = word_hashes(self.nlp.vocab, rules.titles.heads)

    def wants_model(self, doc: Doc, triggers: list) -> bool:
        """The statistical model runs when a rule can use what it finds: an event trigger, a
        registry agency or an official's title word."""
        return bool(triggers) or bool(positions(doc, self.head_hashes)) or \
            self.gazetteer.candidates(doc)

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        for batch in minibatch(docs, batch_size):
            triggers = [self.events.find(d) for d in batch]
            chosen = [d for d, t in zip(batch, triggers, strict=True) if self.wants_model(d, t)]
            for model in self.models:
                chosen = list(model.pipe(chosen, batch_size=max(1, len(chosen))))
            for doc, raw in zip(batch, triggers, strict=True):
                doc.user_data[RESULT] = self.analyse(doc, raw)
            yield from batch

    def analyse(self, doc: Doc, raw: list | None = None) -> dict:
        published = doc.user_data.get(PUBLISHED)
        published = date.fromisoformat(published) if published else None
        found, topics = self.linker.link(doc, self.gazetteer.find(doc))
        found = [f if f.kind != "person" else self.people.clean(doc, f) for f in found]
        found = self.people.link(doc, [f for f in found if f is not None])
        self.people.attach_titles(doc, found)
        events = self.events.tag(doc, found, topics, published, raw)
        # (the ministry a title names is mentioned, but no actor of its own in the events)
        found += self.linker.title_bodies(doc, found)
        return {"mentions": [_mention(doc, f) for f in found + topics], "events": events,
                "model": bool(self.models) and doc.has_annotation("ENT_IOB")}


def _mention(doc: Doc, f: Found) -> dict:
    span = doc[f.start:f.end]
    return {"id": f.id, "kind": f.kind, "name": f.name, "jurisdiction": f.jurisdiction,
            "surface": span.text, "start": span.start_char, "end": span.end_char,
            "title": f.title,
            "rule_id": f"{f.rule_id}+{f.title_rule}" if f.title else f.rule_id}
