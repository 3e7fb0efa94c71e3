"""A token Matcher that only looks at sentences holding one of its anchor words.

spaCy's Matcher costs about 0.4 microseconds per pattern per token; most sentences of a news
text hold no trigger word at all. Each pattern's most selective required word is its anchor; a
sentence without any anchor cannot match, so it is skipped (same results, a fraction of the
time)."""

from __future__ import annotations

import numpy as np
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from .rules import Pattern

COMMON = {"a", "an", "the", "of", "to", "in", "on", "for", "by", "and", "or", "is", "was",
          "were", "are", "be", "been", "its", "his", "her", "their", "it", "as", "at", "with",
          "will", "would", "could", "may", "might", "has", "have", "had", "that", "this",
          "from", "into", "under", "down", "against", "up", "out", "over", "after", "office",
          "not", "n't", "never", "no"}


def anchors_of(pattern: Pattern) -> set[str] | None:
    """Words of the pattern's most selective required token (a sentence without any of them
    cannot match); None if the pattern has no required plain-word token."""
    best: set[str] | None = None
    for token in pattern:
        if token.get("OP") in ("?", "*") or set(token) - {"LOWER", "OP"}:
            continue
        value = token.get("LOWER")
        words = {value} if isinstance(value, str) else (
            set(value["IN"]) if isinstance(value, dict) and set(value) == {"IN"} else None)
        if not words:
            continue
        score = (bool(words & COMMON), len(words))
        if best is None or score < (bool(best & COMMON), len(best)):
            best = words
    return best


class SentenceMatcher:
    """Patterns added under one key form a group with its own Matcher; a sentence runs only the
    groups whose anchor words it holds (a Matcher costs per pattern per token, so running all
    ~150 trigger patterns over every sentence that holds any anchor cost more than the rest of
    the rules together)."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab
        self.everywhere = Matcher(vocab)  # patterns with no anchor: every sentence
        self.has_everywhere = False
        self.groups: list[Matcher] = []
        self.by_word: dict[int, list[int]] = {}  # anchor hash -> indexes of groups
        self.hashes = np.zeros(0, dtype="uint64")

    def add(self, key: str, patterns: list[Pattern]) -> None:
        anchored = [(p, anchors_of(p)) for p in patterns]
        loose = [p for p, words in anchored if words is None]
        if loose:
            self.everywhere.add(key, loose)
            self.has_everywhere = True
        kept = [(p, words) for p, words in anchored if words is not None]
        if not kept:
            return
        group = Matcher(self.vocab)
        group.add(key, [p for p, _ in kept])
        index = len(self.groups)
        self.groups.append(group)
        for word in set().union(*(words for _, words in kept)):
            listed = self.by_word.setdefault(self.vocab.strings.add(word), [])
            if index not in listed:
                listed.append(index)
        self.hashes = np.array(sorted(self.by_word), dtype="uint64")

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        out: list[tuple[int, int, int]] = []
        if self.has_everywhere:
            out += list(self.everywhere(doc))
        if not len(doc):
            return out
        lower = doc.to_array("LOWER")
        mask = np.isin(lower, self.hashes)
        if not mask.any():
            return out
        if not doc.has_annotation("SENT_START"):
            spans = [doc[:]]
        else:
            spans = [s for s in doc.sents if mask[s.start:s.end].any()]
        for sent in spans:
            words = set(lower[sent.start:sent.end][mask[sent.start:sent.end]].tolist())
            groups = sorted({g for w in words for g in self.by_word[w]})
            for g in groups:
                out += [(k, s + sent.start, e + sent.start) for k, s, e in self.groups[g](sent)]
        return out


def word_hashes(vocab: Vocab, words: set[str] | frozenset[str]) -> np.ndarray:
    """The string-store hashes of lower-cased words, to test tokens with numpy."""
    return np.array(sorted(vocab.strings.add(w) for w in words), dtype="uint64")


def positions(doc: Doc, hashes: np.ndarray) -> list[int]:
    """Indexes of the tokens whose lower-cased form is one of `hashes`."""
    if not len(doc):
        return []
    return np.nonzero(np.isin(doc.to_array("LOWER"), hashes))[0].tolist()
