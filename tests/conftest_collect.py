"""A real HTTP server on 127.0.0.1 for the collection tests, and a fast config for it.

Imported explicitly by tests/test_collect_*.py. The server answers from a route table
(path -> handler) and records every request it saw (time, path, headers), so tests assert on
what reached the wire: conditional headers, delays between requests, paths never asked for.
"""

from __future__ import annotations

import contextlib
import gzip
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tracker.config import Config

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "collect"
ARTICLE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>
<body><nav><a href="/">Home</a> | <a href="/about">About</a></nav>
<article><h1>{title}</h1><p class="date">2021-05-24</p>
<p>{title}. The National Development and Reform Commission said on Monday that it would
step up its crackdown on bitcoin mining and trading, and that local governments must phase
out existing mining projects within the year, in line with the country's climate pledges.</p>
<p>Officials said the campaign would target power use by data centres in Inner Mongolia,
Xinjiang and Sichuan. Firms that keep mining will face penalties and higher power prices,
according to the statement published on the agency's website on article {n}.</p>
<p>Analysts expect the move to push miners to relocate abroad, to Kazakhstan and the United
States, and to weigh on the price of the cryptocurrency in the short term.</p>
</article><footer>Copyright the test regulator</footer></body></html>"""


@dataclass
class Seen:
    at: float  # time.monotonic() when the request line arrived
    path: str
    headers: dict[str, str]


Route = Callable[["Handler"], None]


@dataclass
class Server:
    """The running server: its base URL, its routes, and what it saw."""

    base: str
    routes: dict[str, Route]
    seen: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    hits: dict[str, int] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return self.base + path

    def requests(self, path: str | None = None) -> list[Seen]:
        with self.lock:
            return [s for s in self.seen if path is None or s.path == path]

    def paths(self) -> list[str]:
        return [s.path for s in self.requests()]


class Handler(BaseHTTPRequestHandler):
    server_state: Server  # set on the subclass made per server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        state = self.server_state
        with state.lock:
            state.seen.append(Seen(time.monotonic(), self.path, {k.lower(): v for k, v in
                                                                 self.headers.items()}))
            state.hits[self.path] = state.hits.get(self.path, 0) + 1
        route = state.routes.get(self.path.split("?")[0])
        if route is None:
            self.reply(404, b"not found", "text/plain")
        else:
            route(self)

    def hit_count(self) -> int:
        with self.server_state.lock:
            return self.server_state.hits[self.path]

    def reply(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        # the client may refuse the body (size cap): that is what such a test wants
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - silence stderr
        pass


# --- route builders -------------------------------------------------------------------------


def static(body: bytes, content_type: str = "text/html; charset=utf-8", status: int = 200,
           headers: dict[str, str] | None = None) -> Route:
    return lambda h: h.reply(status, body, content_type, headers)


def conditional(body: bytes, etag: str, last_modified: str,
                content_type: str = "application/rss+xml") -> Route:
    """200 with validators, or 304 when the request's validators match."""

    def route(h: Handler) -> None:
        if h.headers.get("If-None-Match") == etag or (
                h.headers.get("If-Modified-Since") == last_modified):
            h.send_response(304)
            h.send_header("ETag", etag)
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        h.reply(200, body, content_type, {"ETag": etag, "Last-Modified": last_modified})

    return route


def gzipped(body: bytes, content_type: str = "application/rss+xml") -> Route:
    data = gzip.compress(body)
    return static(data, content_type, headers={"Content-Encoding": "gzip"})


def redirect(to: str, status: int = 302) -> Route:
    def route(h: Handler) -> None:
        h.send_response(status)
        h.send_header("Location", to)
        h.send_header("Content-Length", "0")
        h.end_headers()

    return route


def fail_then(first: list[tuple[int, dict[str, str]]], then: Route) -> Route:
    """Answer the first len(first) requests with these statuses, then with `then`."""

    def route(h: Handler) -> None:
        n = h.hit_count()
        if n <= len(first):
            status, headers = first[n - 1]
            h.reply(status, b"try later", "text/plain", headers)
        else:
            then(h)

    return route


def drip(total: int = 400, every: float = 0.05) -> Route:
    """Headers at once, then one byte every `every` seconds: each read is quick, the whole slow.
    Bounded: stops after `total` bytes or when the client hangs up."""

    def route(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        h.send_header("Content-Length", str(total))
        h.end_headers()
        try:
            for _ in range(total):
                h.wfile.write(b" ")
                h.wfile.flush()
                time.sleep(every)
        except (BrokenPipeError, ConnectionResetError):
            pass

    return route


def endless(chunk: int = 16_384, limit: int = 4_000_000) -> Route:
    """A body with no Content-Length that runs past any sane cap (bounded at `limit`)."""

    def route(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Connection", "close")
        h.end_headers()
        sent = 0
        try:
            while sent < limit:
                h.wfile.write(b"x" * chunk)
                sent += chunk
        except (BrokenPipeError, ConnectionResetError):
            pass
        h.close_connection = True

    return route


def article(n: int | str, title: str | None = None) -> Route:
    html = ARTICLE.format(title=title or f"Article number {n}", n=n)
    return static(html.encode())


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client hanging up is fine
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serving() -> Iterator[Server]:
    """A server on a random port of 127.0.0.1, stopped on exit."""
    httpd = _HTTPServer(("127.0.0.1", 0), Handler)
    state = Server(f"http://127.0.0.1:{httpd.server_address[1]}", routes={})
    httpd.RequestHandlerClass = type("BoundHandler", (Handler,), {"server_state": state})
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
def server() -> Iterator[Server]:
    """A fresh server per test."""
    with serving() as state:
        yield state


@pytest.fixture
def other_server() -> Iterator[Server]:
    """A second host (another port: the politeness clock counts it apart)."""
    with serving() as state:
        yield state


def fast_config(tmp_path: Path, overrides: dict[str, object] | None = None) -> Config:
    """Settings small enough that every failure mode resolves in well under a second."""
    base: dict[str, object] = {
        "http.connect_timeout": 1.0, "http.read_timeout": 1.0, "http.total_timeout": 1.0,
        "http.max_bytes": 300_000, "http.max_redirects": 3, "http.host_delay": 0.0,
        "http.concurrency": 4, "http.retries": 2, "http.backoff": 0.02,
        "http.max_retry_after": 2.0, "http.respect_robots": True,
        "rules.sources": str(tmp_path / "sources.toml"),
    }
    base.update(overrides or {})
    return Config(values=base, base=tmp_path)
