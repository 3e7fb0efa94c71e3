"""Extraction quality on article-extraction-benchmark: body precision/recall/F1 per configuration.

    .venv/bin/python bench/eval_extraction.py [--corpus PATH] [--limit N]

Compares trafilatura's settings, our own fallback and the shipped chain (extract_article), so
the choice in tracker/collect/extract.py is made on numbers. Token F1 bags single \\w+ tokens;
shingle F1 bags 4-grams as the benchmark's own evaluate.py does (its published figures, e.g.
trafilatura 0.958, are shingle F1). Also checks publication dates against dates in the URL.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import lxml.html

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tracker.collect import extract  # noqa: E402
from tracker.evaluate import (  # noqa: E402
    BenchmarkPage,
    benchmark_pages,
    date_agreement,
    mean_scores,
    overlap,
    url_date,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus" / "articles" / "extraction-benchmark"


def _trafilatura(**options: object) -> Callable[[BenchmarkPage], str]:
    import trafilatura

    def run(page: BenchmarkPage) -> str:
        return trafilatura.extract(extract.decode(page.html), url=page.url, **options) or ""

    return run


def _fallback(page: BenchmarkPage) -> str:
    tree = lxml.html.document_fromstring(extract.decode(page.html))
    return extract.fallback_text(tree)


def _shipped(page: BenchmarkPage) -> str:
    return extract.extract_article(page.html, page.url).text


CONFIGS: dict[str, Callable[[BenchmarkPage], str]] = {
    "trafilatura defaults": _trafilatura(),
    "defaults, no comments": _trafilatura(include_comments=False),
    "favor_precision": _trafilatura(include_comments=False, favor_precision=True),
    "favor_recall": _trafilatura(include_comments=False, favor_recall=True),
    "fast (no fallback)": _trafilatura(include_comments=False, fast=True),
    "precision, no tables": _trafilatura(include_comments=False, favor_precision=True,
                                         include_tables=False),
    "own fallback only": _fallback,
    "extract_article (shipped)": _shipped,
}


def evaluate(name: str, run: Callable[[BenchmarkPage], str], pages: list[BenchmarkPage]) -> str:
    outputs, started = [], time.perf_counter()
    for page in pages:
        outputs.append(run(page))
    ms = (time.perf_counter() - started) * 1000 / len(pages)
    tok = mean_scores(overlap(p.body, out, 1) for p, out in zip(pages, outputs, strict=True))
    sh4 = mean_scores(overlap(p.body, out, 4) for p, out in zip(pages, outputs, strict=True))
    empty = sum(not out.strip() for out in outputs)
    return (f"| {name} | {tok.precision:.3f} | {tok.recall:.3f} | {tok.f1:.3f} | {sh4.f1:.3f} "
            f"| {ms:.1f} | {empty} |")


def date_report(pages: list[BenchmarkPage]) -> list[str]:
    """How often a date is found, where from, and agreement (within a day) with URL dates."""
    by_origin: dict[str, list[int]] = {}
    pairs = []
    for page in pages:
        tree = lxml.html.document_fromstring(extract.decode(page.html))
        # The URL is withheld so htmldate cannot read the date we check against.
        found, origin = extract.published_date(tree, "")
        truth = url_date(page.url)
        pairs.append((found.date() if found else None, truth))
        row = by_origin.setdefault(origin or "none", [0, 0, 0])
        row[0] += 1
        if truth and found:
            row[1] += 1
            row[2] += abs((found.date() - truth).days) <= 1
    lines = ["| date source | pages | with a URL date | agrees within 1 day |", "|---|---|---|---|"]
    for origin, (n, checked, agree) in sorted(by_origin.items(), key=lambda kv: -kv[1][0]):
        lines.append(f"| {origin} | {n} | {checked} | {agree} |")
    with_url = sum(url_date(p.url) is not None for p in pages)
    lines.append(f"\n{with_url} of {len(pages)} URLs carry a date (the only date ground truth); "
                 f"agreement {date_agreement(pairs):.3f}.")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages (by id)")
    parser.add_argument("--only", default=None, help="only configurations containing this text")
    args = parser.parse_args()
    if not (args.corpus / "ground-truth.json").exists():
        print(f"no benchmark at {args.corpus}", file=sys.stderr)
        return 2
    pages = list(benchmark_pages(args.corpus))[: args.limit]
    print(f"{len(pages)} pages from {args.corpus}\n")
    print("| configuration | precision | recall | F1 | shingle F1 | ms/page | empty |")
    print("|---|---|---|---|---|---|---|")
    for name, run in CONFIGS.items():
        if args.only is None or args.only in name:
            print(evaluate(name, run, pages), flush=True)
    print()
    print("\n".join(date_report(pages)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
