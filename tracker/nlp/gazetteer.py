"""Names from the registries found in a Doc: agencies, places and topics.

Long names match case-insensitively; abbreviations and short names match case-sensitively
("SEC" is the regulator, "sec" is not). A name several agencies share ("Ministry of
Finance") is resolved by the country named just before it, else by the document's places.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from spacy.attrs import LOWER, ORTH
from spacy.language import Language
from spacy.tokens import Doc

from .matching import SentenceMatcher
from .rules import RuleSet

SHORT = 4  # names up to this many characters must match case-sensitively
MATCHES = "tracker.gazetteer.matches"  # doc.user_data key: the registry matches of the doc


# letters NFKD does not take apart into a base letter and a mark ("Sæther", "Øvergaard")
LIGATURES = str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "Oe",
                           "ß": "ss", "ð": "d", "þ": "th", "ł": "l", "Ł": "L", "đ": "d",
                           "Đ": "D", "ı": "i"})


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.translate(LIGATURES)).encode(
        "ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "unnamed"


def norm(text: str) -> str:
    """Lower-cased name without a leading article or trailing possessive, for lookups."""
    text = re.sub(r"\s+", " ", text.strip().lower())
    text = re.sub(r"^(the|a|an) ", "", text)
    return re.sub(r"\s*['’]s$", "", text)


@dataclass
class Hit:
    """A registry name found at tokens [start, end)."""

    start: int
    end: int
    kind: str  # agency | place | topic
    ids: tuple[str, ...]  # candidate ids (several when a name is shared)
    rule_id: str


class NameIndex:
    """Names as token sequences (ORTH or LOWER hashes), found wherever they occur: what
    spaCy's PhraseMatcher does, in a tenth of its memory (it keeps about 3 KB per name, and
    the registry with its templates has some 37,000)."""

    def __init__(self, attr: int):
        self.attr = attr
        self.keys: dict[tuple[int, ...], list[str]] = {}
        self.lengths: dict[int, tuple[int, ...]] = {}  # first token -> name lengths, longest first

    def add(self, key: str, doc: Doc) -> None:
        words = tuple(int(h) for h in doc.to_array(self.attr))
        if not words:
            return
        self.keys.setdefault(words, []).append(key)
        self.lengths[words[0]] = tuple(sorted({len(words), *self.lengths.get(words[0], ())},
                                              reverse=True))

    def __call__(self, doc: Doc) -> list[tuple[str, int, int]]:
        hashes = [int(h) for h in doc.to_array(self.attr)]
        out = []
        for i, first in enumerate(hashes):
            for size in self.lengths.get(first, ()):
                if i + size <= len(hashes):
                    for key in self.keys.get(tuple(hashes[i:i + size]), ()):
                        out.append((key, i, i + size))
        out.sort(key=lambda x: (x[1], x[2]))  # PhraseMatcher's order: by start, shortest first
        return out


class Gazetteer:
    def __init__(self, nlp: Language, rules: RuleSet):
        self.rules = rules
        self.exact = NameIndex(ORTH)
        self.lower = NameIndex(LOWER)
        self.topics = SentenceMatcher(nlp.vocab)
        self.names: dict[str, set[str]] = defaultdict(set)  # key -> "agency:<id>" | "place:<id>"
        self.proper: dict[str, bool] = {}  # key -> every name under it is capitalised
        self.first_cap: dict[str, bool] = {}  # key -> every name under it starts upper case
        self.lookup: dict[str, set[str]] = defaultdict(set)  # norm(name) -> same, for NER spans
        for agency in rules.agencies.values():
            for name in [agency.name, *agency.aliases, *agency.abbr]:
                self._add(nlp, name, f"agency:{agency.id}", name in agency.abbr)
        for place in rules.places.values():
            for name in [place.name, *place.aliases, *place.demonyms]:
                self._add(nlp, name, f"place:{place.id}", False)
        for topic in rules.topics.values():
            self.topics.add(f"topic:{topic.id}", topic.patterns)

    def _add(self, nlp: Language, name: str, target: str, abbr: bool) -> None:
        exact = abbr or len(name) <= SHORT
        key = ("=" if exact else "~") + (name if exact else name.lower())
        if key not in self.names:
            (self.exact if exact else self.lower).add(key, nlp.make_doc(name))
        self.names[key].add(target)
        self.proper[key] = self.proper.get(key, True) and name != name.lower()
        self.first_cap[key] = self.first_cap.get(key, True) and name[:1].isupper()
        self.lookup[norm(name)].add(target)

    def candidates(self, doc: Doc) -> bool:
        """Does any registry agency appear? (Used to decide whether the model runs; the
        matches are kept for find(), which runs on the same doc after the model.)"""
        matches = doc.user_data[MATCHES] = self._matches(doc)
        return any(any(t.startswith("agency:") for t in self.names[name])
                   for name, _, _ in matches)

    def _matches(self, doc: Doc) -> list[tuple[str, int, int]]:
        """(key, start, end); a proper name written all in lower case ("the commerce
        department") is a common noun, not the body of that name."""
        out = []
        for matcher in (self.exact, self.lower):
            for name, start, end in matcher(doc):
                # (an exact match has the case it is listed with: "FinCEN", "KoFIU")
                if matcher is self.lower and self.proper.get(name) and (not any(
                        t.is_title or t.is_upper for t in doc[start:end]) or (
                        self.first_cap[name] and doc[start].is_lower and doc[start].is_alpha
                        and end - start > 1 and doc[start + 1].is_title)):
                    continue  # (nor is "the state Department of ...": "State Department")
                out.append((name, start, end))
        return out

    def find(self, doc: Doc) -> list[Hit]:
        hits: list[Hit] = []
        matches = doc.user_data.pop(MATCHES, None)
        for name, start, end in self._matches(doc) if matches is None else matches:
            targets = self.names[name]
            for kind in ("agency", "place"):
                ids = tuple(sorted(t.split(":", 1)[1] for t in targets if t.startswith(kind + ":")))
                if ids:
                    rule = "agencies" if kind == "agency" else "places"
                    hits.append(Hit(start, end, kind, ids, f"{rule}:{ids[0]}"))
                    break
        for key, start, end in self.topics(doc):
            name = doc.vocab.strings[key]
            hits.append(Hit(start, end, "topic", (name.split(":", 1)[1],), f"topics:{name[6:]}"))
        return hits

    def lookup_name(self, text: str, kind: str) -> tuple[str, ...]:
        found = self.lookup.get(norm(text), set())
        return tuple(sorted(t.split(":", 1)[1] for t in found if t.startswith(kind + ":")))
