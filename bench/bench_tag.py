"""Tagging throughput: the same documents through raw `nlp.pipe` of the same spaCy model and
through tracker's tag stage, on 1 and 2 processes, in one run (tracker's 1 is the caller's
process, nlp.workers = 0; its 2 are persistent worker processes, nlp.workers = 2, started and
loaded before the clock starts).

    .venv/bin/python bench/bench_tag.py [--docs 120] [--words 600] [--batch 32] [--quick]

Documents are news-like texts assembled offline from the hand-written gold texts in
tests/gold/tagging (event sentences) and neutral market-report sentences (no trigger), so
they look like a feed: some paragraphs matter to the rules, most do not.
Printed: docs/s per configuration, tracker/raw ratio and the 1 -> 2 process speedup.
"raw (full)" is the model as shipped; "raw (NER only)" is the model reduced to the
components tracker keeps, for a like-for-like view of the rules' own cost.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tracker.config import Config  # noqa: E402
from tracker.models import Document  # noqa: E402
from tracker.nlp import load_tagger  # noqa: E402
from tracker.nlp.build import EXCLUDE, resolve_model  # noqa: E402

FILLER = [
    "Shares in Asian markets were mixed on {day}, with investors weighing earnings reports "
    "from technology companies against worries about slowing demand.",
    "The benchmark index closed {n} points higher after a volatile session, led by gains in "
    "property developers and consumer stocks.",
    "Analysts said trading volumes remained thin ahead of the holiday and expected prices to "
    "move within a narrow range for the rest of the week.",
    "Retail sales grew {n} percent from a year earlier, slightly faster than economists had "
    "forecast, according to figures published in the morning.",
    "Warehouse operators reported steady bookings, while shipping rates on major routes eased "
    "for a third consecutive week.",
    "Several companies in the sector announced plans to expand production lines and hire more "
    "engineers over the coming year.",
    "The currency weakened slightly against the dollar in afternoon trading as exporters sold "
    "fewer of their foreign earnings.",
    "Weather forecasters expect heavy rain in the south over the weekend, which could delay "
    "harvests in several farming regions.",
]


def make_documents(count: int, words: int, seed: int = 7) -> list[Document]:
    rng = random.Random(seed)
    gold = [json.loads(line) for name in ("news.jsonl", "holdout.jsonl")
            for line in (ROOT / "tests" / "gold" / "tagging" / name).read_text().splitlines()]
    docs = []
    for i in range(count):
        paragraphs, size = [], 0
        while size < words:
            if rng.random() < 0.25:
                text = rng.choice(gold)["text"]
            else:
                text = " ".join(rng.choice(FILLER).format(day="Tuesday", n=rng.randint(2, 90))
                                for _ in range(3))
            paragraphs.append(text)
            size += len(text.split())
        docs.append(Document(url=f"https://bench.example/{i}", source="bench",
                             text="\n\n".join(paragraphs), published=datetime(2021, 6, 1)))
    return docs


def timed(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=120)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--quick", action="store_true", help="30 documents of 300 words")
    args = parser.parse_args()
    if args.quick:
        args.docs, args.words = 30, 300

    import spacy

    docs = make_documents(args.docs, args.words)
    texts = [d.text for d in docs]
    tagger = load_tagger(Config(base=ROOT), workers=0)
    tagger.batch_size = args.batch
    model = resolve_model("auto")
    full = spacy.load(model)
    ner_only = spacy.load(model, exclude=EXCLUDE)
    n_words = sum(len(t.split()) for t in texts)
    print(f"{len(docs)} documents, {n_words / len(docs):.0f} words each, model {model}, "
          f"batch {args.batch}")

    def raw(nlp, procs):
        return lambda: list(nlp.pipe(texts, batch_size=args.batch, n_process=procs))

    def ours(procs):
        # 1: in this process (nlp.workers = 0); 2: two persistent worker processes, started
        # and loaded before the clock starts, as a daemon's are
        tagger.workers = 0 if procs == 1 else procs
        tagger.start()
        tagger.wait_ready()
        list(tagger.tag(docs[:4]))  # warm-up

        def run():
            list(tagger.tag(docs))
        return run

    rows = {}
    for name, make in (("raw (full)", lambda p: raw(full, p)),
                       ("raw (NER only)", lambda p: raw(ner_only, p)),
                       ("tracker tag", ours)):
        rows[name] = {p: len(docs) / timed(make(p)) for p in (1, 2)}
    print(f"{'pipeline':<16}{'1 proc docs/s':>15}{'2 proc docs/s':>15}{'speedup':>9}"
          f"{'vs raw full':>13}{'vs raw NER':>12}")
    for name, by in rows.items():
        print(f"{name:<16}{by[1]:>15.1f}{by[2]:>15.1f}{by[2] / by[1]:>8.2f}x"
              + "".join(f"{by[1] / rows[ref][1]:>6.2f}/{by[2] / rows[ref][2]:<5.2f}"
                        .rjust(w) for ref, w in (("raw (full)", 13), ("raw (NER only)", 12))))
    tagger.close()
    print("ratios: 1 process / 2 processes; tracker's 2 are worker processes fed by this one")
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}")


if __name__ == "__main__":
    main()
