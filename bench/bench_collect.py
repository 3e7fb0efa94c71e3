"""Collection throughput against local servers: entries/s through fetch-parse-extract-store
(no tagging), and the cost of an idle cycle where every source answers 304.

    .venv/bin/python bench/bench_collect.py [--feeds 20] [--entries 25] [--idle 500]

Four servers on 127.0.0.1 (four ports: four "hosts" to the politeness clock) serve synthetic
RSS feeds with ETags and ~6 KB article pages. host_delay is 0 here: the figure is the
machinery's cost, not the politeness a real site gets. Bounded; stops by itself.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tracker.collect.run import fetch_sources  # noqa: E402
from tracker.config import Config  # noqa: E402
from tracker.store.db import connect  # noqa: E402

VOCABULARY = ("regulator commission bitcoin mining crackdown exchange license fine warning "
              "province energy pledge official discipline inspection trading ban investors "
              "market statement "
              "agency policy stablecoin custody bank central digital currency enforcement")
WORDS = VOCABULARY.split()
HOSTS = 4


def paragraph(rng: random.Random, n: int = 90) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def article_html(key: str) -> bytes:
    rng = random.Random(key)
    paras = "".join(f"<p>{paragraph(rng)}</p>" for _ in range(8))
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Story {key}</title></head>"
            f"<body><nav><a href='/'>Home</a></nav><article><h1>Story {key}</h1>{paras}"
            f"</article><footer>Footer</footer></body></html>").encode()


def feed_xml(feed: int, entries: int, full_text: bool) -> bytes:
    items = []
    for e in range(entries):
        body = f"<description>{paragraph(random.Random(f'{feed}-{e}'), 40)}</description>"
        items.append(f"<item><title>Feed {feed} story {e}</title><link>/a/{feed}/{e}.html</link>"
                     f"<guid>f{feed}-e{e}</guid><pubDate>Mon, 24 May 2021 09:00:00 GMT</pubDate>"
                     f"{body}</item>")
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
            f"<title>Feed {feed}</title><link>http://bench/</link><description>d</description>"
            f"{''.join(items)}</channel></rss>").encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # one buffered write per response: headers and body apart meet Nagle + delayed ACK (40 ms)
    wbufsize = 1 << 16
    entries = 25

    def do_GET(self) -> None:  # noqa: N802
        path = self.path
        if path.startswith("/a/"):
            return self.send(200, article_html(path), "text/html; charset=utf-8")
        if path.startswith(("/feed/", "/idle/")):
            etag = f'"{path}"'
            if self.headers.get("If-None-Match") == etag:
                return self.send(304, b"", None, {"ETag": etag})
            n = int(path.rsplit("/", 1)[1].split(".")[0])
            body = feed_xml(n, self.entries if path.startswith("/feed/") else 1, False)
            return self.send(200, body, "application/rss+xml", {"ETag": etag})
        self.send(404, b"no", "text/plain")

    def send(self, status: int, body: bytes, ctype: str | None,
             headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def start_servers(entries: int) -> list[ThreadingHTTPServer]:
    Handler.entries = entries
    servers = []
    for _ in range(HOSTS):
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
    return servers


def write_sources(path: Path, servers: list[ThreadingHTTPServer], prefix: str, count: int,
                  full_text: bool) -> None:
    lines = []
    for i in range(count):
        port = servers[i % HOSTS].server_address[1]
        lines.append(f'[[source]]\nname = "{prefix}{i}"\nkind = "feed"\n'
                     f'url = "http://127.0.0.1:{port}/{prefix}/{i}.xml"\n'
                     f"full_text = {'true' if full_text else 'false'}\n")
    path.write_text("\n".join(lines))


def config_for(tmp: Path, sources: Path) -> Config:
    return Config(values={"rules.sources": str(sources), "http.host_delay": 0.0,
                          "http.concurrency": HOSTS, "http.retries": 0}, base=tmp)


def timed(db, config: Config) -> tuple[float, list]:
    started = time.perf_counter()
    results = fetch_sources(db, config)
    return time.perf_counter() - started, results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--feeds", type=int, default=20)
    ap.add_argument("--entries", type=int, default=25)
    ap.add_argument("--idle", type=int, default=500)
    args = ap.parse_args()
    servers = start_servers(args.entries)
    rows = []
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        write_sources(tmp / "full.toml", servers, "feed", args.feeds, full_text=False)
        db = connect(tmp / "full.db")
        config = config_for(tmp, tmp / "full.toml")
        secs, results = timed(db, config)
        new = sum(r.new for r in results)
        assert not any(r.failed for r in results), [r.error for r in results if r.failed]
        rows.append(("first fetch: feed+article+extract+store", new, secs, f"{new / secs:.0f}/s"))
        secs, results = timed(db, config)
        assert all(r.unchanged for r in results)
        rows.append((f"second fetch, {args.feeds} sources all 304", len(results), secs,
                     f"{secs / len(results) * 1000:.1f} ms/source"))
        db.conn.close()

        write_sources(tmp / "idle.toml", servers, "idle", args.idle, full_text=True)
        db = connect(tmp / "idle.db")
        config = config_for(tmp, tmp / "idle.toml")
        secs, results = timed(db, config)
        rows.append((f"fill {args.idle} full-text sources", sum(r.new for r in results), secs,
                     f"{secs / args.idle * 1000:.1f} ms/source"))
        secs, results = timed(db, config)
        assert all(r.unchanged for r in results), [r for r in results if not r.unchanged][:1]
        rows.append((f"idle cycle, {args.idle} sources all 304", len(results), secs,
                     f"{secs / args.idle * 1000:.1f} ms/source"))
        db.conn.close()
    for httpd in servers:
        httpd.shutdown()
    print(f"{'stage':<44} {'items':>6} {'seconds':>8}  rate")
    for stage, items, secs, rate in rows:
        print(f"{stage:<44} {items:>6} {secs:>8.2f}  {rate}")


if __name__ == "__main__":
    main()
