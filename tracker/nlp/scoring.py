"""Scoring the tagger against hand-labelled gold (tests/gold/tagging/*.jsonl).

- events: per document, the set of (type, modality, is_news) found is compared with the
  gold set; a ban found as "happened" where the text says "has no plans to ban" is both a
  false positive and a miss. Precision and recall per type and over all types (micro).
- officials: (person id, title) pairs; a title matches when its word set overlaps the gold
  title's by Jaccard >= 0.6 (articles and punctuation ignored), so "the former deputy
  director" equals "former deputy director".
- agencies: recall of the gold registry ids among the agency ids found.
"""

from __future__ import annotations

import functools
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..evaluate import Counts, f1, precision, recall
from ..models import Tagged

STOP = {"the", "a", "an"}


@dataclass
class Report:
    events: dict[str, Counts] = field(default_factory=dict)
    officials: Counts = Counts(0, 0, 0)
    agencies: Counts = Counts(0, 0, 0)
    roles: Counts = Counts(0, 0, 0)  # actor/target ids of found gold events: tp right, fp wrong
    errors: list[str] = field(default_factory=list)  # one line per miss or false positive

    def metrics(self) -> dict[str, float]:
        out: dict[str, float] = {}
        total = Counts(*(sum(getattr(c, k) for c in self.events.values())
                         for k in ("tp", "fp", "fn")))
        out["tagging_events_precision"] = precision(total)
        out["tagging_events_recall"] = recall(total)
        for name, c in sorted(self.events.items()):
            out[f"tagging_{name}_precision"] = precision(c)
            out[f"tagging_{name}_recall"] = recall(c)
        p, r = precision(self.officials), recall(self.officials)
        out["tagging_officials_f1"] = f1(p, r)
        out["tagging_agencies_recall"] = recall(self.agencies)
        if self.roles.tp + self.roles.fp:
            out["tagging_roles_accuracy"] = self.roles.tp / (self.roles.tp + self.roles.fp)
        return out


def read_gold(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def _words(title: str) -> set[str]:
    # (a possessive "'s" is no word of its own: "the bank's deputy governor")
    text = re.sub(r"['’]s\b", "", title.lower())
    return {w for w in re.findall(r"\w+", text) if w not in STOP}


def _overlap(found: str, gold: str) -> float:
    a, b = _words(found), _words(gold)
    return len(a & b) / len(a | b) if a | b else 0.0


def title_match(found: str, gold: str) -> bool:
    return _overlap(found, gold) >= 0.6


def _add(c: Counts, tp: int = 0, fp: int = 0, fn: int = 0) -> Counts:
    return Counts(c.tp + tp, c.fp + fp, c.fn + fn)


def score(gold: Iterable[dict], tagged: Iterable[Tagged], report: Report | None = None) -> Report:
    report = report or Report()
    events: dict[str, Counts] = defaultdict(lambda: Counts(0, 0, 0), report.events)
    for g, t in zip(gold, tagged, strict=True):
        _score_events(g, t, events, report)
        _score_officials(g, t, report)
        found = {e.id for e in t.entities if e.kind == "agency"}
        want = set(g.get("agencies", []))
        report.agencies = _add(report.agencies, len(want & found), len(found - want),
                               len(want - found))
        report.errors += [f"{g['id']}: agency missed {a}" for a in sorted(want - found)]
    report.events = dict(events)
    return report


def _score_events(g: dict, t: Tagged, events: dict[str, Counts], report: Report) -> None:
    want = {(e["type"], e["modality"], e["is_news"]) for e in g.get("events", [])}
    got = {(e.type, e.modality, e.is_news) for e in t.events}
    _score_roles(g, t, report)
    for key in want | got:
        hit, missing = key in got and key in want, key in want and key not in got
        events[key[0]] = _add(events[key[0]], int(hit), int(key in got and not hit),
                              int(missing))
        if not hit:
            kind = "missed" if missing else "false"
            evidence = next((e.evidence for e in t.events
                             if (e.type, e.modality, e.is_news) == key), "")
            report.errors.append(f"{g['id']}: event {kind} {key} {evidence[:90]}")


def _score_officials(g: dict, t: Tagged, report: Report) -> None:
    want = [tuple(o) for o in g.get("officials", [])]
    # a title that is no public office (tagged ":private": "chief executive") is no official's
    got = {(m.entity_id, m.title) for m in t.mentions
           if m.title and not (m.rule_id or "").endswith(":private")}
    matched_got: set = set()
    tp = 0
    for person, title in want:
        # (the closest of a person's titles, so that which one counts never depends on order)
        hit = max((x for x in sorted(got) if x[0] == person and x not in matched_got
                   and title_match(x[1], title)), key=lambda x: _overlap(x[1], title),
                  default=None)
        if hit:
            matched_got.add(hit)
            tp += 1
        else:
            report.errors.append(f"{g['id']}: official missed {person} / {title}")
    extra = got - matched_got
    report.errors += [f"{g['id']}: official false {p} / {ti}" for p, ti in sorted(extra)]
    report.officials = _add(report.officials, tp, len(extra), len(want) - tp)


def _score_roles(g: dict, t: Tagged, report: Report) -> None:
    """Actor and target of each gold event that names them, against the found event of the
    same type, modality and news status."""
    for e in g.get("events", []):
        found = next((x for x in t.events if (x.type, x.modality, x.is_news)
                      == (e["type"], e["modality"], e["is_news"])), None)
        if found is None:
            continue
        for role in ("actor", "target"):
            if role not in e:
                continue
            ids = {r.entity_id for r in found.roles if r.role == role}
            ok = e[role] in ids
            report.roles = _add(report.roles, int(ok), int(not ok))
            if not ok:
                report.errors.append(f"{g['id']}: {e['type']} {role} {sorted(ids)} != {e[role]}")


def conll_text(path: Path) -> str:
    """A CoNLL file's tokens as text: tokens joined by spaces, sentences by blank lines."""
    sentences, current = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if current:
                sentences.append(" ".join(current))
                current = []
            continue
        current.append(line.split("\t")[0].split(" ")[0])
    if current:
        sentences.append(" ".join(current))
    return "\n\n".join(sentences)


def corpus_text(root: Path, row: dict) -> str:
    """The text a corpus gold row labels, from the corpus at `root` (../shared/corpus: it stays
    there, never copied): a file under text/, or an article body of the extraction benchmark's
    ground truth ("format": "article", "key": its id)."""
    if row["format"] == "article":
        return _bodies(root / row["file"])[row["key"]]["articleBody"]
    path = root / "text" / row["file"]
    return conll_text(path) if row["format"] == "conll" else path.read_text(encoding="utf-8")


@functools.lru_cache(maxsize=4)
def _bodies(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def score_corpus(gold: list[dict], tagged: list[Tagged]) -> Report:
    """Corpus rows label only some aspects: events (FOMC), officials (re3d), agencies."""
    report = Report()
    event_rows = [(g, t) for g, t in zip(gold, tagged, strict=True) if g.get("events") is not None]
    events: dict[str, Counts] = defaultdict(lambda: Counts(0, 0, 0))
    for g, t in event_rows:
        _score_events(g, t, events, report)
    report.events = dict(events)
    for g, t in zip(gold, tagged, strict=True):
        if g.get("officials") is not None:
            _score_officials(g, t, report)
        found = {e.id for e in t.entities if e.kind == "agency"}
        want = set(g.get("agencies", []))
        report.agencies = _add(report.agencies, len(want & found), 0, len(want - found))
        report.errors += [f"{g['id']}: agency missed {a}" for a in sorted(want - found)]
    return report
