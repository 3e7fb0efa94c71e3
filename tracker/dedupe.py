"""Dedupe: canonical URLs, content hashes, and SimHash grouping of near-duplicates into stories."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np

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
    if len(body.split()) >= SHORT_TEXT_WORDS:
        key = body
    else:
        key = f"{url}\n{normalise_text(title)}\n{body}"
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
    digests = b"".join(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest()
                       for s in shingles(text))
    # one row of 64 bits per shingle; a bit is set in the result where most shingles set it
    bits = np.unpackbits(np.frombuffer(digests, dtype=np.uint8).reshape(-1, 8), axis=1,
                         bitorder="little")
    majority = bits.sum(axis=0, dtype=np.int64) * 2 > len(bits)
    return int(np.packbits(majority, bitorder="little").view("<i8")[0])


def distance(a: int, b: int) -> int:
    return ((a ^ b) & ((1 << 64) - 1)).bit_count()
