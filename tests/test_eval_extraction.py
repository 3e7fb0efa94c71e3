"""Quality gate: article extraction on article-extraction-benchmark must stay above its floors.

All 181 pages run through extract_article (about 4 s on one core). Floors are pinned in
tests/gold/floors.json; raise them when the extractor improves, and lower one only with a
reason in the commit message.
"""

from __future__ import annotations

import json
from datetime import date

import lxml.html
import pytest

from tests.conftest import CORPUS
from tracker.collect.extract import decode, extract_article, published_date
from tracker.evaluate import (
    Counts,
    below_floor,
    benchmark_pages,
    date_agreement,
    floor_for,
    load_floors,
    mean_scores,
    overlap,
    url_date,
)

BENCHMARK = CORPUS / "articles" / "extraction-benchmark"
needs_benchmark = pytest.mark.skipif(not BENCHMARK.exists(), reason="../shared/corpus is absent")


@pytest.fixture(scope="module")
def measured() -> dict[str, float]:
    pages = list(benchmark_pages(BENCHMARK))
    texts = [extract_article(page.html, page.url).text for page in pages]
    dates = []
    for page in pages:
        # Without the URL, so the date finder cannot read the very date we compare with.
        found, _ = published_date(lxml.html.document_fromstring(decode(page.html)), "")
        dates.append((found.date() if found else None, url_date(page.url)))
    pairs = list(zip([page.body for page in pages], texts, strict=True))
    return {
        "extraction_f1": mean_scores(overlap(body, text, 1) for body, text in pairs).f1,
        "extraction_shingle_f1": mean_scores(overlap(body, text, 4) for body, text in pairs).f1,
        "extraction_date_agreement": date_agreement(dates),
        "pages": len(pages),
        "empty": sum(not t.strip() for t in texts),
    }


@pytest.mark.corpus
@needs_benchmark
def test_eval_extraction_covers_the_whole_benchmark(measured):
    assert measured["pages"] == 181
    assert measured["empty"] == 0


@pytest.mark.corpus
@needs_benchmark
def test_eval_extraction_metrics_above_floors(measured):
    floors = load_floors()
    assert {"extraction_f1", "extraction_shingle_f1", "extraction_date_agreement"} <= set(floors)
    failures = below_floor({k: v for k, v in measured.items() if k in floors}, floors)
    assert not failures, "; ".join(failures)


# --- the scoring helpers themselves -------------------------------------------------------


def test_eval_overlap_counts_tokens_as_bags():
    c = overlap("the cat sat on the mat", "the cat, the dog", 1)
    assert (c.tp, c.fp, c.fn) == (3, 1, 3)  # the, the, cat | dog | sat, on, mat


def test_eval_overlap_shingles_of_four_tokens():
    c = overlap("a b c d e", "a b c d x", 4)
    assert (c.tp, c.fp, c.fn) == (1, 1, 1)
    short = overlap("a b", "a b", 4)  # shorter than n: the whole text is one n-gram
    assert (short.tp, short.fp, short.fn) == (1, 0, 0)


def test_eval_mean_scores_follow_the_benchmark_rules():
    perfect, half, empty_pred = Counts(4, 0, 0), Counts(1, 1, 1), Counts(0, 0, 5)
    s = mean_scores([perfect, half, empty_pred])
    assert s.precision == pytest.approx((1 + 0.5) / 2)  # an empty prediction has no precision
    assert s.recall == pytest.approx((1 + 0.5 + 0) / 3)
    assert s.f1 == pytest.approx(2 * 0.75 * 0.5 / 1.25)
    # nothing to find and nothing found: left out of both means
    assert mean_scores([perfect, Counts(0, 0, 0)]).f1 == 1.0


def test_eval_floor_for_rounds_down_then_takes_the_margin():
    assert floor_for(0.969) == 0.95
    assert floor_for(0.96) == 0.95
    assert floor_for(0.9599) == 0.94


def test_eval_below_floor_reports_only_metrics_under_their_floor():
    floors = {"a": 0.9, "b": 0.5}
    assert below_floor({"a": 0.95, "b": 0.5, "c": 0.0}, floors) == []
    assert below_floor({"a": 0.89}, floors) == ["a = 0.8900 is below its floor 0.90"]


def test_eval_load_floors_reads_the_pinned_file_and_rejects_other_shapes(tmp_path):
    assert all(0 < v <= 1 for v in load_floors().values())
    bad = tmp_path / "floors.json"
    bad.write_text(json.dumps({"extraction_f1": "high"}))
    with pytest.raises(ValueError, match="metric name -> number"):
        load_floors(bad)


def test_eval_url_date_and_agreement():
    assert url_date("https://x.com/2019/11/20/story.html") == date(2019, 11, 20)
    assert url_date("https://x.com/news/2021-05-21-china") == date(2021, 5, 21)
    assert url_date("https://x.com/a/20200131/b") == date(2020, 1, 31)
    assert url_date("https://x.com/id/1234567890") is None
    pairs = [(date(2019, 11, 21), date(2019, 11, 20)), (None, date(2020, 1, 1)),
             (date(2020, 1, 1), None)]
    assert date_agreement(pairs) == 0.5
