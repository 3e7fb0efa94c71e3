"""Scoring helpers for the quality gates: token precision/recall/F1 and pinned floors.

Extraction is scored like the article-extraction-benchmark (scrapinghub): text is cut into
`\\w+` tokens; per document, the predicted and true bags of n-grams are matched (n=1: tokens;
n=4: the benchmark's "shingles"); precision and recall are averaged over documents and F1 is
their harmonic mean. Floors live in tests/gold/floors.json as {metric_name: floor}.
"""

from __future__ import annotations

import gzip
import json
import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

FLOORS_PATH = Path(__file__).resolve().parents[1] / "tests" / "gold" / "floors.json"
NOISE_MARGIN = 0.01  # a floor sits this far under the measured figure rounded down
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class Counts:
    tp: float
    fp: float
    fn: float


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    documents: int


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def ngrams(text: str, n: int = 1) -> Counter[tuple[str, ...]]:
    """n-grams of the text's tokens; a text shorter than n tokens is one (short) n-gram."""
    tokens = tokenize(text)
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens)


def overlap(true: str, pred: str, n: int = 1) -> Counts:
    """Bag-of-n-grams overlap of a predicted text with the true one."""
    truth, guess = ngrams(true, n), ngrams(pred, n)
    tp = sum((truth & guess).values())
    return Counts(tp, sum(guess.values()) - tp, sum(truth.values()) - tp)


def precision(c: Counts) -> float:
    if c.fp == c.fn == 0:
        return 1.0
    return 0.0 if c.tp == c.fp == 0 else c.tp / (c.tp + c.fp)


def recall(c: Counts) -> float:
    if c.fp == c.fn == 0:
        return 1.0
    return 0.0 if c.tp == c.fn == 0 else c.tp / (c.tp + c.fn)


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def mean_scores(counts: Iterable[Counts]) -> Scores:
    """Benchmark scoring: precision averaged over documents with some prediction, recall over
    documents with some truth, F1 of those two means."""
    counts = list(counts)
    ps = [precision(c) for c in counts if c.tp + c.fp > 0]
    rs = [recall(c) for c in counts if c.tp + c.fn > 0]
    p = statistics.fmean(ps) if ps else 0.0
    r = statistics.fmean(rs) if rs else 0.0
    return Scores(p, r, f1(p, r), len(counts))


# --- floors -------------------------------------------------------------------------------


def floor_for(measured: float, margin: float = NOISE_MARGIN) -> float:
    """The floor to pin for a measured figure: rounded down to 2 decimals, minus the margin."""
    return round(math.floor(measured * 100 + 1e-9) / 100 - margin, 2)


def load_floors(path: Path = FLOORS_PATH) -> dict[str, float]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in data.values()
    ):
        raise ValueError(f"{path}: expected a JSON object of metric name -> number")
    return {str(k): float(v) for k, v in data.items()}


def below_floor(measured: dict[str, float], floors: dict[str, float]) -> list[str]:
    """One message per measured metric under its floor; metrics without a floor pass."""
    return [
        f"{name} = {value:.4f} is below its floor {floors[name]:.2f}"
        for name, value in sorted(measured.items())
        if name in floors and value < floors[name]
    ]


# --- the extraction benchmark corpus ------------------------------------------------------


@dataclass(frozen=True)
class BenchmarkPage:
    id: str
    url: str
    html: bytes
    body: str  # the true article body


def benchmark_pages(folder: Path, ids: Iterable[str] | None = None) -> Iterator[BenchmarkPage]:
    """Pages of article-extraction-benchmark (html/<id>.html.gz + ground-truth.json), by id."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    for key in sorted(truth) if ids is None else ids:
        html = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
        yield BenchmarkPage(key, truth[key].get("url", ""), html, truth[key].get("articleBody", ""))


_URL_DATE = re.compile(
    r"/((?:19|20)\d\d)[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)"
)


def url_date(url: str) -> date | None:
    """A /2019/11/20/, /2019-11-20 or /20191120 date in a URL's path: the only publication-date
    ground truth the extraction benchmark offers."""
    found = _URL_DATE.search(url.split("?")[0])
    try:
        return date(*map(int, found.groups())) if found else None
    except ValueError:
        return None


def date_agreement(pairs: Iterable[tuple[date | None, date | None]], days: int = 1) -> float:
    """Share of (found, true) pairs with a true date where the found date is within `days`."""
    checked = [(found, true) for found, true in pairs if true is not None]
    if not checked:
        return 0.0
    return sum(f is not None and abs((f - t).days) <= days for f, t in checked) / len(checked)
