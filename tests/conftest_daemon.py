"""Fixtures for the daemon tests: a local site of synthetic feeds, config files, and a daemon
run as a real subprocess whose JSON log lines the tests read.

Imported explicitly by tests/test_daemon_*.py. Everything listens on 127.0.0.1 and stops by
itself: every handler is bounded in time, every subprocess is killed at teardown.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
_VOCABULARY = ("regulators miners exchanges bitcoin power grid province ministry license trading "
         "platform investors warning penalty provincial cabinet statement deadline energy "
         "audit inspection campaign hardware export data centre tariff")
WORDS = _VOCABULARY.split()


def article_text(feed: str, n: int, words: int = 220) -> str:
    """A unique, plausible article body (unique so content hashes never collide)."""
    body = " ".join(WORDS[(n * 7 + i * 3 + len(feed)) % len(WORDS)] for i in range(words))
    return (f"Article {n} of {feed}. The National Development and Reform Commission said on "
            f"Monday it would step up its crackdown on bitcoin mining in item {feed}-{n}. "
            f"{body}.")


def article_html(feed: str, n: int) -> bytes:
    title = f"{feed} story {n}"
    paragraphs = "".join(f"<p>{article_text(feed, n)} Paragraph {k}.</p>" for k in range(3))
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{paragraphs}"
            f"</article><footer>footer</footer></body></html>").encode()


def rss(base: str, feed: str, numbers: list[int]) -> bytes:
    items = "".join(
        f"<item><title>{feed} story {n}</title><link>{base}/{feed}/a/{n}.html</link>"
        f"<guid>{feed}-{n}</guid><description>Summary of {feed} story {n}.</description>"
        f"<pubDate>{formatdate(1_700_000_000 + n * 60, usegmt=True)}</pubDate></item>"
        for n in numbers)
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
            f"<title>{feed}</title><link>{base}/</link><description>{feed}</description>"
            f"{items}</channel></rss>").encode()


@dataclass
class Feed:
    """One synthetic feed: `entries` items; `grow` new items on each 200 answer; the first
    `fail_first` requests answer 500; `hang` seconds of silence before every answer."""

    name: str
    entries: int = 5
    grow: int = 0
    fail_first: int = 0
    always_fail: bool = False
    hang: float = 0.0
    page_delay: float = 0.0
    served: int = 0  # 200 answers so far

    def numbers(self) -> list[int]:
        return list(range(1, self.entries + 1 + self.grow * max(0, self.served - 1)))


@dataclass
class Site:
    base: str = ""
    feeds: dict[str, Feed] = field(default_factory=dict)
    hits: Counter = field(default_factory=Counter)  # path -> requests
    conditional_hits: Counter = field(default_factory=Counter)  # path -> requests with a validator
    times: dict[str, list[float]] = field(default_factory=dict)  # path -> monotonic times
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)

    def add(self, feed: Feed) -> Feed:
        self.feeds[feed.name] = feed
        return feed

    def url(self, name: str) -> str:
        return f"{self.base}/{name}/feed.xml"


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def reply(self, status: int, body: bytes, ctype: str, headers: dict | None = None):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802
            path = self.path.split("?")[0]
            with site.lock:
                site.hits[path] += 1
                site.times.setdefault(path, []).append(time.monotonic())
                if self.headers.get("If-None-Match"):
                    site.conditional_hits[path] += 1
            parts = path.strip("/").split("/")
            feed = site.feeds.get(parts[0]) if parts else None
            if feed is None:
                self.reply(404, b"not found", "text/plain")
            elif parts[1:] == ["feed.xml"]:
                self._feed(feed, path)
            elif len(parts) == 3 and parts[1] == "a":
                site.stop.wait(feed.page_delay)
                self.reply(200, article_html(feed.name, int(parts[2].split(".")[0])),
                           "text/html; charset=utf-8")
            else:
                self.reply(404, b"not found", "text/plain")

        def _feed(self, feed: Feed, path: str) -> None:
            if feed.hang:
                site.stop.wait(feed.hang)  # bounded: ends early when the site stops
            with site.lock:
                failing = feed.always_fail or site.hits[path] <= feed.fail_first
                if not failing:
                    feed.served += 1
                numbers = feed.numbers()
            if failing:
                self.reply(500, b"server error", "text/plain")
                return
            etag = f'"{feed.name}-{len(numbers)}"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.reply(200, rss(site.base, feed.name, numbers), "application/rss+xml",
                       {"ETag": etag})

    return Handler


@contextlib.contextmanager
def serve_site(host: str = "127.0.0.1") -> Iterator[Site]:
    site = Site()
    server = ThreadingHTTPServer((host, 0), _handler(site))
    server.daemon_threads = True
    site.base = f"http://{host}:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.stop.set()
        server.shutdown()
        server.server_close()


# --- configuration files ------------------------------------------------------------------------

FAST = {
    "http": {"host_delay": 0.0, "retries": 0, "connect_timeout": 2.0, "read_timeout": 2.0,
             "total_timeout": 3.0, "concurrency": 3, "respect_robots": False},
    "daemon": {"jitter": 0, "time_scale": 60.0, "heartbeat": 0.5, "deliver_every": 1,
               "broken_factor": 4.0},
}
# [sources] in tracker.toml clashes with its [[sources]] list (see the report), so the one
# [sources] setting the tests need comes from the environment
ENV = {"TRACKER_HEALTH_BROKEN_AFTER": "3"}


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return repr(value)


def write_config(tmp: Path, site: Site, feeds: list[str], settings: dict | None = None,
                 alerts: list[dict] | None = None, schedule: str = "every 1m") -> Path:
    """tracker.toml (FAST settings, overridden by `settings`) and sources.toml for `feeds`."""
    tables: dict[str, dict] = {k: dict(v) for k, v in FAST.items()}
    for table, values in (settings or {}).items():
        tables.setdefault(table, {}).update(values)
    tables.setdefault("rules", {})["sources"] = str(tmp / "sources.toml")
    tables["rules"]["dir"] = str(ROOT / "rules")
    lines = []
    for table, values in tables.items():
        lines.append(f"[{table}]")
        lines += [f"{k} = {_toml_value(v)}" for k, v in values.items()]
    for alert in alerts or []:
        lines.append("[[alerts]]")
        lines += [f"{k} = {_toml_value(v)}" for k, v in alert.items()]
    (tmp / "tracker.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    write_sources(tmp, site, feeds, schedule)
    return tmp / "tracker.toml"


def write_sources(tmp: Path, site: Site, feeds: list[str], schedule: str = "every 1m") -> None:
    text = "".join(f'[[source]]\nname = "{f}"\nkind = "feed"\nurl = "{site.url(f)}"\n'
                   f'schedule = "{schedule}"\n\n' for f in feeds)
    (tmp / "sources.toml").write_text(text, encoding="utf-8")


# --- the daemon as a subprocess ------------------------------------------------------------------


@dataclass
class Proc:
    popen: subprocess.Popen
    log: Path

    def events(self) -> list[dict[str, Any]]:
        out = []
        for line in self.log.read_text(encoding="utf-8", errors="replace").splitlines():
            with contextlib.suppress(json.JSONDecodeError):
                out.append(json.loads(line))
        return out

    def named(self, name: str) -> list[dict[str, Any]]:
        return [e for e in self.events() if e.get("event") == name]

    def wait_event(self, predicate: Callable[[dict], bool], timeout: float) -> dict | None:
        limit = time.monotonic() + timeout
        while time.monotonic() < limit:
            found = [e for e in self.events() if predicate(e)]
            if found:
                return found[0]
            if self.popen.poll() is not None:
                break
            time.sleep(0.1)
        return None

    def signal(self, sig: int) -> None:
        os.kill(self.popen.pid, sig)

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def tracker_cmd(db: Path, config: Path, *args: str) -> list[str]:
    return [PYTHON, "-m", "tracker", "--db", str(db), "--config", str(config), *args]


@contextlib.contextmanager
def daemon_process(tmp: Path, db: Path, config: Path, *args: str,
                   name: str = "daemon") -> Iterator[Proc]:
    log = tmp / f"{name}.log"
    handle = open(log, "w", encoding="utf-8")  # noqa: SIM115 - closed below
    env = {**os.environ, **ENV, "PYTHONUNBUFFERED": "1"}
    env.pop("TRACKER_CONFIG", None)
    env.pop("TRACKER_DB", None)
    popen = subprocess.Popen(tracker_cmd(db, config, "run", "--log-format", "json", *args),
                             stdout=handle, stderr=subprocess.STDOUT, cwd=tmp, env=env)
    try:
        yield Proc(popen, log)
    finally:
        if popen.poll() is None:
            popen.send_signal(signal.SIGKILL)
        popen.wait(timeout=10)
        handle.close()
