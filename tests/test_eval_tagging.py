"""The tagging quality gate: event precision/recall per type, officials-with-title F1 and
agency canonical-id recall against hand-labelled gold, each above its pinned floor in
tests/gold/floors.json. Gold: tests/gold/tagging/news.jsonl (texts written for the gate),
holdout.jsonl (written after the rules, scored blind once), blind2.jsonl (30 more, written
before reading the trigger lists and scored once: first-run figures in
blind2-first-run.json; see README, "Tagging", "Quality"), blind3.jsonl and blind4.jsonl
(40 more each, first runs in blind3-first-run.json and blind4-first-run.json), blind5 (30)
and blind6 to blind33 (35 each, written in pairs, each scored once before the round of fixes
that read it) and corpus.jsonl (labels for real texts in ../shared/corpus, read from there;
skipped when the corpus is absent)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest_nlp import tagger_fixture  # noqa: F401  (the session fixture)
from tracker.evaluate import below_floor, load_floors
from tracker.models import Document, Event, Mention, Tagged
from tracker.nlp.scoring import corpus_text, read_gold, score, score_corpus, title_match

GOLD = Path(__file__).resolve().parent / "gold" / "tagging"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
HEADLINE = ["tagging_events_precision", "tagging_events_recall", "tagging_officials_f1",
            "tagging_agencies_recall"]


def _docs(gold: list[dict], text=lambda g: g["text"]) -> list[Document]:
    return [Document(url=g["id"], source="gold", text=text(g),
                     published=datetime.fromisoformat(g["published"]) if g["published"] else None)
            for g in gold]


def _check(measured: dict[str, float], prefix: str = "") -> None:
    """Every measured figure at or above its floor; the headline figures must have one."""
    named = {k.replace("tagging_", "tagging_" + prefix, 1): v for k, v in measured.items()}
    floors = load_floors()
    missing = [k for k in (h.replace("tagging_", "tagging_" + prefix, 1) for h in HEADLINE)
               if k not in floors]
    assert not missing, f"no floor pinned for {missing}"
    failures = below_floor(named, floors)
    assert not failures, "\n".join(failures)


def test_eval_tagging_gold_above_floors(tagger):
    gold = read_gold(GOLD / "news.jsonl") + read_gold(GOLD / "holdout.jsonl")
    assert len(gold) >= 60
    report = score(gold, list(tagger.tag(_docs(gold))))
    types = {k.split("_")[1] for k in report.metrics() if k.endswith("_recall")}
    assert {"ban", "crackdown", "expulsion", "pledge", "appointment"} <= types
    _check(report.metrics())


def test_eval_tagging_blind2_above_floors(tagger):
    """The second blind set is gated on its own floors (tagging_blind2_*), so tuning on the
    gate set cannot hide a loss on texts the rules were not written for."""
    gold = read_gold(GOLD / "blind2.jsonl")
    assert len(gold) == 30
    negatives = [g for g in gold if not g["events"]]
    assert len(negatives) >= 5  # non-authorities and adjectival triggers: no event
    report = score(gold, list(tagger.tag(_docs(gold))))
    _check(report.metrics(), prefix="blind2_")


def test_eval_tagging_blind3_above_floors(tagger):
    """The third blind set (40 texts, tagging_blind3_* floors): its first run, before any rule
    changed for it, is kept in blind3-first-run.json; the floors hold the figures after the
    fixes it prompted."""
    gold = read_gold(GOLD / "blind3.jsonl")
    assert len(gold) == 40
    assert sum(not g["events"] for g in gold) >= 8  # executives, candidates, adjectives
    report = score(gold, list(tagger.tag(_docs(gold))))
    _check(report.metrics(), prefix="blind3_")


def test_eval_tagging_blind4_above_floors(tagger):
    """The fourth blind set (40 texts, tagging_blind4_* floors), written to blind3's policy after
    round 2 and scored once before any rule changed for it (blind4-first-run.json: the honest
    estimate for unseen text); the floors hold the figures after the fixes it prompted."""
    gold = read_gold(GOLD / "blind4.jsonl")
    assert len(gold) == 40
    assert sum(not g["events"] for g in gold) >= 7  # companies, candidates, lobbies, adjectives
    report = score(gold, list(tagger.tag(_docs(gold))))
    _check(report.metrics(), prefix="blind4_")


def test_eval_tagging_blind5_above_floors(tagger):
    """The fifth blind set (30 texts), written after round 3 and scored once
    (blind5-first-run.json); round 4 read its misses, so its floors (tagging_blind5_*, headline
    figures only) now hold the figures after round 4."""
    gold = read_gold(GOLD / "blind5.jsonl")
    assert len(gold) == 30
    report = score(gold, list(tagger.tag(_docs(gold))))
    _check(report.metrics(), prefix="blind5_")


@pytest.mark.parametrize("name", ["blind6", "blind7", "blind8", "blind9", "blind10", "blind11",
                                  "blind12", "blind13", "blind14", "blind15", "blind16",
                                  "blind17", "blind18", "blind19", "blind20", "blind21",
                                  "blind22", "blind23", "blind24", "blind25", "blind26",
                                  "blind27", "blind28", "blind29", "blind30", "blind31",
                                  "blind32", "blind33", "blind34", "blind35", "blind36",
                                  "blind37", "blind38", "blind39", "blind40", "blind41",
                                  "blind42", "blind43", "blind44", "blind45", "blind46",
                                  "blind47", "blind48", "blind49", "blind50", "blind51",
                                  "blind52", "blind53", "blind54", "blind55", "blind56",
                                  "blind57", "blind58", "blind59", "blind60", "blind61",
                                  "blind62", "blind63", "blind64", "blind65", "blind66",
                                  "blind67", "blind68", "blind69", "blind70", "blind71",
                                  "blind72", "blind73", "blind74", "blind75", "blind76",
                                  "blind77", "blind78", "blind79", "blind80", "blind81",
                                  "blind82", "blind83", "blind84", "blind85", "blind86",
                                  "blind87", "blind88", "blind89", "blind90", "blind91",
                                  "blind92", "blind93", "blind94", "blind95", "blind96",
                                  "blind97"])
def test_eval_tagging_later_blind_sets_above_floors(tagger, name):
    """blind6 to blind97 (35 texts each), written blind in pairs and each pair scored once
    before the round of fixes that read it ({name}-first-run.json, with the same set scored by
    the code before round 4 and, from blind20, before round 11): blind6-7 after round 4, ...,
    blind18-19 after round 10, blind20-23 after round 11, blind24-25 after round 13,
    blind26-27 after round 14, blind28-29 after round 15, blind30-31 after round 16,
    blind32-33 after round 17, blind34-35 after round 18, blind36-37 after round 19,
    blind38-39 after round 20, blind40-41 after round 21, blind42-43 after round 22,
    blind44-45 after round 23, blind46-47 after round 24, blind48-49 after round 25,
    blind50-51 after round 26, blind52-53 after round 27, blind54-55 after round 28,
    blind56-57 after round 29, blind58-59 after round 30, blind60-61 after round 31,
    blind62-63 after round 32, blind64-65 after round 33, blind66-67 after round 34,
    blind68-69 after round 35, blind70-71 after round 36, blind72-73 after round 38,
    blind74-75 after round 39, blind76-77 after round 40, blind78-79 after round 41 and the
    review of rounds 39-40, blind80-81 after round 42, blind84-85 after round 43,
    blind86-87 after round 44, blind82-83 at the start of round 43 and with round 45's final
    code (round 46 read them), blind88-93 at the start of round 46 (rounds 47 and 48 read
    blind90-93; blind88-89 with round 48's final code, then read by round 49), blind94-97 at
    the start of round 49 and with its final code (no rule read them) (the twenty-four pairs
    from blind34 also by the code at the end of round 18). Each set is
    gated just under its figures after the last round, to catch a rule change that makes
    text worse (tagging_{name}_*, headline figures)."""
    gold = read_gold(GOLD / f"{name}.jsonl")
    assert len(gold) == 35 and sum(not g["events"] for g in gold) >= 5
    report = score(gold, list(tagger.tag(_docs(gold))))
    _check(report.metrics(), prefix=f"{name}_")


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is absent")
@pytest.mark.parametrize("name", ["corpus", "fomc", "articles", "re3d"])
def test_eval_tagging_corpus_above_floors(tagger, name):
    """Real text nobody on the project wrote: corpus.jsonl (re3d officials, 8 FOMC
    statements), fomc.jsonl (40 more FOMC statements), articles.jsonl (the 181 general news
    bodies of the extraction benchmark) and re3d.jsonl (the events of all 98 re3d documents),
    the last three labelled blind by helpers who read neither the rules nor the tagger's
    output; first runs in {name}-first-run.json."""
    gold = read_gold(GOLD / f"{name}.jsonl")
    report = score_corpus(gold, list(tagger.tag(_docs(gold, lambda g: corpus_text(CORPUS, g)))))
    _check(report.metrics(), prefix=f"{name}_")


def test_eval_scoring_counts_a_wrong_modality_twice():
    gold = [{"id": "d", "events": [{"type": "ban", "modality": "denied", "is_news": True}],
             "officials": [["person:yi-gang", "Governor"]], "agencies": ["cn-pboc"]}]
    found = Tagged(events=[Event("ban", "e", "ban.verb", modality="happened")],
                   mentions=[Mention("person:yi-gang", "Yi Gang", 0, 7, "the Governor")])
    m = score(gold, [found]).metrics()
    assert m["tagging_ban_precision"] == 0 and m["tagging_ban_recall"] == 0
    assert m["tagging_officials_f1"] == 1.0 and m["tagging_agencies_recall"] == 0
    assert title_match("former deputy director", "the former deputy director")
    assert not title_match("director", "former deputy director of the bureau")
    # a possessive is no word of its own: "MAS's Chief" is two words of four, not three of five
    assert title_match("the bank's deputy governor", "deputy governor")
    assert not title_match("MAS's Chief", "MAS's Chief FinTech Officer")
