"""Dedupe: canonical URLs, content hashes, and SimHash grouping of near-duplicates into stories."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that identify a campaign or a click, never the article.
TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|yclid|_hsenc|_hsmi|"
    r"cmpid|ocid|spm|share|ref|ref_src|src|smid|sr_share|rss|feed|from)$",
    re.IGNORECASE,
)
DEFAULT_PORTS = {"http": 80, "https": 443}
WORD = re.compile(r"\w+", re.UNICODE)
SHORT_TEXT_WORDS = 40  # below this, texts are too short to call near-duplicates safely


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, drop default port, fragment and tracking parameters."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if parts.port and parts.port != DEFAULT_PORTS.get(scheme):
        host = f"{host}:{parts.port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not TRACKING_PARAMS.match(k)]
    return urlunsplit((scheme, host, parts.path or "/", urlencode(sorted(query)), ""))


def normalise_text(text: str) -> str:
    return " ".join(WORD.findall(text.lower()))


def content_hash(title: str, text: str, url: str) -> str:
    """Same words = same content. A short text is hashed with its URL: too little to judge by."""
    body = normalise_text(text)
    key = body if len(body.split()) >= SHORT_TEXT_WORDS else f"{url}\n{normalise_text(title)}\n{body}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def shingles(text: str) -> set[str]:
    words = WORD.findall(text.lower())
    return {" ".join(words[i:i + 3]) for i in range(len(words) - 2)}


def overlap(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' word 3-shingles."""
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


def simhash(text: str) -> int:
    """64-bit SimHash over word 3-shingles, as a signed int so SQLite can store it."""
    if len(WORD.findall(text)) < SHORT_TEXT_WORDS:
        return 0
    weights = [0] * 64
    for shingle in shingles(text):
        h = int.from_bytes(hashlib.blake2b(shingle.encode("utf-8"), digest_size=8).digest(), "big")
        for bit in range(64):
            weights[bit] += 1 if h >> bit & 1 else -1
    value = sum(1 << bit for bit in range(64) if weights[bit] > 0)
    return value - (1 << 64) if value >= 1 << 63 else value


def distance(a: int, b: int) -> int:
    return ((a ^ b) & ((1 << 64) - 1)).bit_count()
