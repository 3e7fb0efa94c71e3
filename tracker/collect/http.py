"""The one module that talks HTTP: polite, bounded, conditional fetching.

Everything else in tracker takes bytes. A `Fetcher` is shared by the threads of one run: it
keeps one httpx client (connection pooling), one robots.txt cache and one politeness clock per
host, so two threads never hit one host closer together than `http.host_delay`.
"""

from __future__ import annotations

import codecs
import email.utils
import random
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from ..config import Config
from ..errors import TrackerError

__all__ = ["Fetcher", "FetchError", "Response", "decode_body", "host_key"]

ROBOTS_MAX_BYTES = 512_000
RETRY_STATUSES = {408, 429} | set(range(500, 600))
REDIRECT_STATUSES = {301, 302, 303, 307, 308}


# a daemon runs for months: robots.txt is fetched again once a day, as Google does
ROBOTS_TTL = 24 * 3600.0

class FetchError(TrackerError):
    """A URL that could not be fetched. `reason` is a short category for reports and tests:
    timeout, connection, http-<status>, too-large, redirect-loop, too-many-redirects, robots,
    retry-after-too-long, bad-url."""

    exit_code = 1

    def __init__(self, url: str, reason: str, message: str):
        super().__init__(f"{url}: {reason}: {message}")
        self.url = url
        self.reason = reason
        self.message = message


@dataclass
class Response:
    url: str  # the final URL, after redirects
    status: int
    headers: dict[str, str]  # lower-cased names
    content: bytes
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    elapsed: float = 0.0
    attempts: int = 1
    notes: list[str] = field(default_factory=list)  # e.g. "robots.txt unreachable: allowed"

    @cached_property
    def _decoded(self) -> tuple[str, str]:
        # decoded on first use: article pages go to the extractor as bytes
        if not self.content:
            return "", ""
        return decode_body(self.content, self.headers.get("content-type"))

    @property
    def text(self) -> str:
        return self._decoded[0]

    @property
    def encoding(self) -> str:
        return self._decoded[1]


# --- decoding -----------------------------------------------------------------------------

# GB2312 and GBK pages routinely use characters outside their declared set; GB18030 is the
# superset every browser decodes them with. Latin-1 labels mean windows-1252 on the web.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "iso8859-1": "cp1252", "ascii": "cp1252",
              "big5": "big5hkscs"}
_BOMS = [(codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
         (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16")]
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_META = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_CHARSET_PARAM = re.compile(r"""charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)


def _codec(label: str | None) -> str | None:
    """Python's codec name for a charset label, widened to its web superset; None if unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


def _declared(content: bytes) -> str | None:
    head = content[:4096]
    match = _XML_DECL.match(head) or _META.search(head)
    name = _codec(match.group(1).decode("ascii", "replace")) if match else None
    # a document readable as ASCII cannot be UTF-16/32: such a declaration is a copy-paste lie
    if name and name.startswith(("utf-16", "utf-32")):
        return None
    return name


def _try(content: bytes, encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return content.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _looks_utf8(content: bytes) -> bool:
    """Valid UTF-8 with multi-byte sequences is almost never text in a single-byte charset."""
    if content.isascii():
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode_body(content: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Text and the encoding used: BOM, HTTP charset, XML/HTML declaration, then detection.

    A declared charset that does not decode the bytes is skipped, not trusted: mis-declared
    pages are common (a UTF-8 page labelled ISO-8859-1, a GBK page labelled UTF-8).
    """
    for bom, name in _BOMS:
        if content.startswith(bom):
            text = _try(content, name)
            if text is not None:
                return text, name.removesuffix("-sig")
    header = _CHARSET_PARAM.search(content_type or "")
    candidates = [_codec(header.group(1)) if header else None, _declared(content)]
    for name in candidates:
        if name in ("cp1252", "iso8859-15") and _looks_utf8(content):
            return content.decode("utf-8"), "utf-8"
        text = _try(content, name)
        if text is not None:
            return text, name or "utf-8"
    text = _try(content, "utf-8")
    if text is not None:
        return text, "utf-8"
    return _detect(content)


def _detect(content: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(content[:200_000]).best()
    name = _codec(best.encoding) if best else None
    text = _try(content, name)
    if text is not None and name:
        return text, name
    return content.decode("utf-8", errors="replace"), "utf-8"


# --- politeness ---------------------------------------------------------------------------


def host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{parts.port or ''}"


class _HostClock:
    """Reserves request start times per host, at least `delay` seconds apart, across threads."""

    def __init__(self, delay: float):
        self.delay = delay
        self.lock = threading.Lock()
        self.next_start: dict[str, float] = {}

    def wait(self, host: str) -> None:
        with self.lock:
            now = time.monotonic()
            start = max(now, self.next_start.get(host, 0.0))
            self.next_start[host] = start + self.delay
        if start > now:
            time.sleep(start - now)

    def push_back(self, host: str, seconds: float) -> None:
        """A 429/503 with Retry-After: nobody in this run asks that host again sooner."""
        with self.lock:
            later = time.monotonic() + seconds
            self.next_start[host] = max(self.next_start.get(host, 0.0), later)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


# --- the fetcher --------------------------------------------------------------------------


@dataclass
class _Raw:
    """One HTTP exchange, body read (or not, for redirects and 304)."""

    url: str
    status: int
    headers: dict[str, str]
    content: bytes


class Fetcher:
    """Thread-safe polite HTTP GET. Use as a context manager, or call close()."""

    def __init__(self, config: Config, transport: httpx.BaseTransport | None = None):
        self.config = config
        self.user_agent: str = config["http.user_agent"]
        self.max_bytes: int = config["http.max_bytes"]
        self.total_timeout: float = config["http.total_timeout"]
        self.read_timeout: float = config["http.read_timeout"]
        self.clock = _HostClock(config["http.host_delay"])
        self.client = httpx.Client(
            follow_redirects=False,
            # a stall longer than the whole allowance is a timeout too
            timeout=httpx.Timeout(connect=config["http.connect_timeout"],
                                  read=min(self.read_timeout, self.total_timeout),
                                  write=self.read_timeout, pool=self.total_timeout),
            headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"},
            limits=httpx.Limits(max_connections=max(4, 2 * config["http.concurrency"])),
            transport=transport,
        )
        # host -> (parser or None = allow all, monotonic time it was fetched)
        self._robots: dict[str, tuple[RobotFileParser | None, float]] = {}
        self._robots_notes: dict[str, str] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    # public

    def get(self, url: str, etag: str | None = None,
            last_modified: str | None = None) -> Response:
        """GET with robots, politeness, retries, redirects, caps; 304 gives not_modified."""
        started = time.monotonic()
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        raw, attempts = self._with_retries(url, headers)
        notes = [n for n in [self.robots_note(url)] if n]
        return self._response(raw, attempts, time.monotonic() - started, notes)

    def robots_note(self, url: str) -> str | None:
        return self._robots_notes.get(host_key(url))

    # retries

    def _with_retries(self, url: str, headers: dict[str, str]) -> tuple[_Raw, int]:
        retries: int = self.config["http.retries"]
        for attempt in range(retries + 1):
            try:
                raw = self._follow(url, headers)
            except FetchError as exc:
                if exc.reason not in ("timeout", "connection") or attempt == retries:
                    raise
                time.sleep(self._backoff(attempt))
                continue
            if raw.status not in RETRY_STATUSES:
                return raw, attempt + 1
            wait = self._retry_wait(raw, attempt)
            if attempt == retries:
                raise FetchError(url, f"http-{raw.status}",
                                 f"HTTP {raw.status} after {attempt + 1} attempt"
                                 + "s" * (attempt > 0))
            time.sleep(wait)
        raise AssertionError("unreachable")  # the loop returns or raises

    def _backoff(self, attempt: int) -> float:
        base: float = self.config["http.backoff"]
        return base * (2 ** attempt) * (0.5 + random.random())  # jitter: no thundering herd

    def _retry_wait(self, raw: _Raw, attempt: int) -> float:
        after = parse_retry_after(raw.headers.get("retry-after"))
        if after is None:
            return self._backoff(attempt)
        limit: float = self.config["http.max_retry_after"]
        if after > limit:
            raise FetchError(raw.url, "retry-after-too-long",
                             f"HTTP {raw.status} asks to wait {after:.0f}s, more than "
                             f"http.max_retry_after={limit:.0f}s; will try on the next run")
        self.clock.push_back(host_key(raw.url), after)
        return after

    # redirects

    def _follow(self, url: str, headers: dict[str, str]) -> _Raw:
        seen = {url}
        for _ in range(self.config["http.max_redirects"] + 1):
            raw = self._once(url, headers)
            if raw.status not in REDIRECT_STATUSES or "location" not in raw.headers:
                return raw
            url = urljoin(url, raw.headers["location"])
            if url in seen:
                raise FetchError(url, "redirect-loop", f"redirects back to {url}")
            seen.add(url)
        raise FetchError(url, "too-many-redirects",
                         f"more than http.max_redirects={self.config['http.max_redirects']}")

    # one request

    def _once(self, url: str, headers: dict[str, str], check_robots: bool = True) -> _Raw:
        if urlsplit(url).scheme not in ("http", "https"):
            raise FetchError(url, "bad-url", "only http and https URLs can be fetched")
        if check_robots and not self._allowed(url):
            raise FetchError(url, "robots", "disallowed by the site's robots.txt")
        self.clock.wait(host_key(url))
        deadline = time.monotonic() + self.total_timeout
        try:
            with self.client.stream("GET", url, headers=headers) as r:
                hdrs = {k.lower(): v for k, v in r.headers.items()}
                body = b""
                if r.status_code not in REDIRECT_STATUSES and r.status_code != 304:
                    body = self._read(url, r, deadline)
                return _Raw(str(r.url), r.status_code, hdrs, body)
        except httpx.TimeoutException as exc:
            raise FetchError(url, "timeout", f"{type(exc).__name__}: no answer in time") from None
        except httpx.InvalidURL as exc:
            raise FetchError(url, "bad-url", str(exc)) from None
        except (httpx.TransportError, httpx.DecodingError) as exc:
            raise FetchError(url, "connection", _short(exc)) from None

    def _read(self, url: str, r: httpx.Response, deadline: float) -> bytes:
        declared = r.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(url, "too-large", f"Content-Length {declared} is over "
                             f"http.max_bytes={self.max_bytes}")
        chunks, size = [], 0
        for chunk in r.iter_bytes():  # decoded: the cap also bounds a gzip bomb
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(url, "too-large", f"body passed http.max_bytes={self.max_bytes}")
            if time.monotonic() > deadline:
                raise FetchError(url, "timeout", f"body still arriving after "
                                 f"http.total_timeout={self.total_timeout:g}s")
            chunks.append(chunk)
        return b"".join(chunks)

    # robots.txt

    def _allowed(self, url: str) -> bool:
        if not self.config["http.respect_robots"]:
            return True
        host = host_key(url)
        with self._lock:
            lock = self._robots_locks.setdefault(host, threading.Lock())
        with lock:  # one fetch of robots.txt per host, even when threads race for it
            cached = self._robots.get(host)
            if cached is None or time.monotonic() - cached[1] > ROBOTS_TTL:
                self._robots[host] = (self._load_robots(url), time.monotonic())
        parser = self._robots[host][0]
        return parser is None or parser.can_fetch(self.user_agent, url)

    def _load_robots(self, url: str) -> RobotFileParser | None:
        """The parsed robots.txt, or None to allow all (missing, or unreachable with a note)."""
        robots_url = urljoin(url, "/robots.txt")
        host = host_key(url)
        self._robots_notes.pop(host, None)  # a note from an earlier day no longer holds
        try:
            raw = self._robots_get(robots_url)
        except FetchError as exc:
            self._robots_notes[host] = f"robots.txt unreachable ({exc.reason}): allowed"
            return None
        if raw.status >= 500:
            self._robots_notes[host] = f"robots.txt gave HTTP {raw.status}: allowed"
            return None
        if raw.status >= 400:
            return None  # RFC 9309: a missing robots.txt allows everything
        parser = RobotFileParser(robots_url)
        parser.parse(decode_body(raw.content, raw.headers.get("content-type"))[0].splitlines())
        return parser

    def _robots_get(self, url: str) -> _Raw:
        for _ in range(self.config["http.max_redirects"] + 1):
            raw = self._once(url, {}, check_robots=False)
            if raw.status not in REDIRECT_STATUSES or "location" not in raw.headers:
                return raw
            url = urljoin(url, raw.headers["location"])
        raise FetchError(url, "too-many-redirects", "robots.txt redirects too often")

    def _response(self, raw: _Raw, attempts: int, elapsed: float, notes: list[str]) -> Response:
        if raw.status >= 300 and raw.status != 304:
            raise FetchError(raw.url, f"http-{raw.status}", f"HTTP {raw.status}")
        return Response(raw.url, raw.status, raw.headers, raw.content, raw.headers.get("etag"),
                        raw.headers.get("last-modified"), not_modified=raw.status == 304,
                        elapsed=elapsed, attempts=attempts, notes=notes)


def _short(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) < 160 else text[:157] + "..."
