"""Events: a trigger from rules/events.toml in a sentence, with who acted on whom, where,
when, whether it happened, and whether it is the document's news or history it recalls."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from . import dates
from .entities import Found
from .rules import EventType, RuleSet, Trigger

BE = {"was", "were", "been", "being", "is", "are", "be", "got", "get", "gets", "'s"}
WINDOW = 6  # tokens before a trigger searched for modality and background cues
DEADLINE = {"by", "before", "until", "till", "through"}
PRONOUNS = {"he", "she", "his", "her"}
MODALITY_ORDER = ("denied", "hypothetical", "planned")


@dataclass
class Match:
    trigger: Trigger
    start: int
    end: int


class EventTagger:
    def __init__(self, vocab, rules: RuleSet):
        self.rules = rules
        self.matcher = Matcher(vocab)
        self.by_id: dict[str, Trigger] = {}
        for trigger in rules.triggers:
            self.matcher.add(trigger.id, trigger.patterns)
            self.by_id[trigger.id] = trigger

    def has_trigger(self, doc: Doc) -> bool:
        return bool(self.matcher(doc))

    def matches(self, doc: Doc) -> list[Match]:
        """Per sentence and event type, the first trigger (longest when two start together)."""
        best: dict[tuple[int, str], Match] = {}
        for key, start, end in self.matcher(doc):
            trigger = self.by_id[doc.vocab.strings[key]]
            slot = (doc[start].sent.start, trigger.event)
            old = best.get(slot)
            if old is None or (start, -(end - start)) < (old.start, -(old.end - old.start)):
                best[slot] = Match(trigger, start, end)
        return sorted(best.values(), key=lambda m: m.start)

    def tag(self, doc: Doc, found: list[Found], topics: list[Found],
            published: date | None) -> list[dict]:
        mentions = sorted(found + topics, key=lambda f: f.start)
        counts = Counter(f.jurisdiction for f in found if f.kind == "place")
        doc_country = counts.most_common(1)[0][0] if counts else None
        events, seen = [], set()
        for m in self.matches(doc):
            event = self._event(doc, m, mentions, published, doc_country)
            if event is None:
                continue
            target = next((r[0] for r in event["roles"] if r[1] == "target"), None)
            key = (event["type"], event["modality"], event["is_news"], target)
            if key not in seen:
                seen.add(key)
                events.append(event)
        return events

    # ---------------------------------------------------------------- one event
    def _event(self, doc: Doc, m: Match, mentions: list[Found], published: date | None,
               doc_country: str | None) -> dict | None:
        etype = self.rules.events[m.trigger.event]
        sent = doc[m.start].sent
        before = [t for t in doc[max(sent.start, m.start - 3):m.start]]
        if any(t.lower_ in etype.cancel_before for t in before):
            return None
        in_sent = [f for f in mentions if sent.start <= f.start < sent.end
                   and not (f.start < m.end and m.start < f.end)]
        actor, target = self._roles(doc, m, etype, in_sent, mentions)
        if (etype.require_actor and actor is None) or (etype.require_target and target is None):
            return None
        modality = self._modality(doc, sent, m)
        when, deadline = self._date(doc, sent, m, published, modality == "planned")
        if modality == "happened" and deadline:
            modality = "planned"  # "rules take effect on June 1", written in May
        is_news = not self._background(doc, sent, m, when, published)
        if when is None and is_news and modality == "happened" and published is not None:
            when = (published.isoformat(), "day")
        return {
            "type": etype.id, "rule_id": m.trigger.id,
            "evidence": " ".join(sent.text.split()), "start": sent.start_char,
            "end": sent.end_char, "date": when[0] if when else None,
            "date_precision": when[1] if when else None,
            "jurisdiction": self._jurisdiction(actor, in_sent, doc_country),
            "modality": modality, "is_news": is_news,
            "confidence": self._confidence(etype, m.trigger, actor, target),
            "roles": self._role_list(actor, target, in_sent),
        }

    def _roles(self, doc: Doc, m: Match, etype: EventType, in_sent: list[Found],
               mentions: list[Found]) -> tuple[Found | None, Found | None]:
        def ok(f: Found, kinds: list[str], acting: bool) -> bool:
            if f.kind not in kinds:
                return False
            return not (acting and f.kind == "person" and not f.title)  # officials act

        passive = any(t.lower_ in BE for t in doc[max(m.start - 2, 0):m.start]) or \
            m.trigger.id.endswith((".under", ".discipline"))
        left = [f for f in in_sent if f.end <= m.start]
        right = [f for f in in_sent if f.start >= m.end]
        if passive:
            target = next((f for f in reversed(left) if ok(f, etype.target, False)), None)
            by = [f for f in right if doc[f.start - 1].lower_ == "by" and ok(f, etype.actor, True)]
            actor = by[0] if by else None
        else:
            actor = next((f for f in reversed(left) if ok(f, etype.actor, True)), None)
            target = next((f for f in right if ok(f, etype.target, False)), None)
        if target is None and "person" in etype.target:
            target = self._pronoun_target(doc, m, mentions)
        if actor is None:
            actor = self._attributed_actor(doc, m, etype, in_sent, mentions, target)
        return actor, target

    @staticmethod
    def _attributed_actor(doc: Doc, m: Match, etype: EventType, in_sent: list[Found],
                          mentions: list[Found], target: Found | None) -> Found | None:
        """No actor in subject position: the body the sentence is attributed to ("..., the
        CCDI said"), else one named before the trigger; never a body inside a person's title
        or the one someone is expelled "from"."""
        in_titles = {i for f in mentions if f.title_span for i in range(*f.title_span)}
        cands = [f for f in in_sent if f.kind in etype.actor and f.kind != "person"
                 and f.start not in in_titles and doc[max(f.start - 1, 0)].lower_ != "from"
                 and (target is None or f.id != target.id)]
        after = [f for f in cands if f.start >= m.end]
        return after[0] if after else (cands[-1] if cands else None)

    @staticmethod
    def _pronoun_target(doc: Doc, m: Match, mentions: list[Found]) -> Found | None:
        """"He was sentenced ...": the last person named before this sentence."""
        sent = doc[m.start].sent
        if doc[sent.start].lower_ not in PRONOUNS:
            return None
        earlier = [f for f in mentions if f.kind == "person" and f.end <= sent.start]
        return earlier[-1] if earlier else None

    def _cue(self, tokens: list, cues: list[list[str]]) -> bool:
        words = [t.lower_ for t in tokens]
        for cue in cues:
            n = len(cue)
            for i in range(len(words) - n + 1):
                if words[i:i + n] == cue and (n > 1 or not tokens[i].is_title or tokens[i].is_sent_start):
                    return True
        return False

    def _clause(self, doc: Doc, sent: Span, m: Match) -> list:
        tokens = []
        for t in reversed(doc[max(sent.start, m.start - WINDOW):m.start]):
            if t.text in (",", ";", ":") and tokens:
                break
            tokens.append(t)
        return list(reversed(tokens))

    def _modality(self, doc: Doc, sent: Span, m: Match) -> str:
        clause = self._clause(doc, sent, m)
        for modality in MODALITY_ORDER:
            if self._cue(clause, self.rules.modality_cues.get(modality, [])):
                return modality
        return m.trigger.modality or "happened"

    def _date(self, doc: Doc, sent: Span, m: Match, published: date | None,
              future: bool) -> tuple[dates.Resolved | None, bool]:
        """(the event's date, whether it lies after publication). A date after "by"/"until"
        is a deadline, not when the event happened."""
        spans = [e for e in sent.ents if e.label_ == "DATE"] or _year_spans(sent)
        spans.sort(key=lambda e: abs(e.start - m.start))
        for span in spans:
            if span.start > 0 and doc[span.start - 1].lower_ in DEADLINE:
                continue
            when = dates.resolve(span.text, published, future)
            if when:
                later = published is not None and dates.to_date(when) > published
                return when, later
        return None, False

    def _background(self, doc: Doc, sent: Span, m: Match, when: dates.Resolved | None,
                    published: date | None) -> bool:
        if when and published:
            if dates.to_date(when) < published - timedelta(days=self.rules.background_days):
                if not (when[1] == "year" and int(when[0]) == published.year):
                    return True
        return self._cue(self._clause(doc, sent, m), self.rules.background_cues) \
            or self._cue(list(doc[m.end:sent.end]), [["since"]])

    @staticmethod
    def _jurisdiction(actor: Found | None, in_sent: list[Found], doc_country: str | None):
        if actor and actor.jurisdiction:
            return actor.jurisdiction
        place = next((f for f in in_sent if f.kind == "place"), None)
        return place.jurisdiction if place else doc_country

    @staticmethod
    def _confidence(etype: EventType, trigger: Trigger, actor, target) -> float:
        score = trigger.confidence or etype.confidence
        if actor is None:
            score -= 0.15
        if target is None:
            score -= 0.1
        return round(max(0.05, min(1.0, score)), 2)

    @staticmethod
    def _role_list(actor: Found | None, target: Found | None, in_sent: list[Found]) -> list:
        roles: list[list] = []
        if actor:
            roles.append([actor.id, "actor"])
        if target and (not actor or target.id != actor.id):
            roles.append([target.id, "target"])
        for f in in_sent:
            role = "official" if f.kind == "person" and f.title else (
                "place" if f.kind == "place" else None)
            if role and [f.id, role] not in roles and f is not actor and f is not target:
                roles.append([f.id, role])
        return roles


def _year_spans(sent: Span) -> list[Span]:
    """Years the model did not mark (or it did not run): "in 2017"."""
    out = []
    for t in sent:
        if t.like_num and len(t.text) == 4 and t.text.isdigit() and 1900 < int(t.text) < 2100:
            out.append(sent.doc[t.i:t.i + 1])
    return out
