"""tracker.collect.http against a real server on 127.0.0.1: what it sends, what it refuses."""

from __future__ import annotations

import socket
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests import conftest_collect
from tests.conftest import CORPUS
from tests.conftest_collect import (
    conditional,
    drip,
    endless,
    fail_then,
    fast_config,
    fixture,
    gzipped,
    redirect,
    static,
)
from tracker.collect.http import Fetcher, FetchError, decode_body, parse_retry_after

server = conftest_collect.server  # the fixture
LAST_MODIFIED = "Mon, 24 May 2021 10:00:00 GMT"


def fetcher(tmp_path: Path, **overrides: object) -> Fetcher:
    return Fetcher(fast_config(tmp_path, {f"http.{k}": v for k, v in overrides.items()}))


def fetch_error(f: Fetcher, url: str) -> FetchError:
    with pytest.raises(FetchError) as info:
        f.get(url)
    return info.value


def test_http_get_returns_body_validators_and_sends_user_agent(server, tmp_path):
    server.routes["/feed.xml"] = conditional(fixture("feed.xml"), '"v1"', LAST_MODIFIED)
    with fetcher(tmp_path) as f:
        r = f.get(server.url("/feed.xml"))
    assert (r.status, r.etag, r.last_modified, r.not_modified) == (200, '"v1"', LAST_MODIFIED,
                                                                   False)
    assert "Regulator fines exchange" in r.text and r.encoding == "utf-8"
    assert server.requests("/feed.xml")[0].headers["user-agent"].startswith("tracker/")


def test_http_conditional_get_sends_validators_and_gets_not_modified(server, tmp_path):
    server.routes["/feed.xml"] = conditional(fixture("feed.xml"), '"v1"', LAST_MODIFIED)
    with fetcher(tmp_path) as f:
        r = f.get(server.url("/feed.xml"), etag='"v1"', last_modified=LAST_MODIFIED)
    assert r.not_modified and r.status == 304 and r.content == b""
    sent = server.requests("/feed.xml")[0].headers
    assert sent["if-none-match"] == '"v1"' and sent["if-modified-since"] == LAST_MODIFIED


def test_http_gzip_body_is_decompressed(server, tmp_path):
    server.routes["/feed.xml"] = gzipped(fixture("feed.xml"))
    with fetcher(tmp_path) as f:
        r = f.get(server.url("/feed.xml"))
    assert r.content == fixture("feed.xml")
    assert "gzip" in server.requests("/feed.xml")[0].headers["accept-encoding"]


def test_http_404_fails_at_once_without_retry(server, tmp_path):
    with fetcher(tmp_path) as f:
        err = fetch_error(f, server.url("/nope"))
    assert err.reason == "http-404"
    assert server.paths().count("/nope") == 1


def test_http_500_is_retried_then_reported(server, tmp_path):
    server.routes["/down"] = static(b"oops", status=500)
    with fetcher(tmp_path, retries=2) as f:
        err = fetch_error(f, server.url("/down"))
    assert err.reason == "http-500"
    assert server.paths().count("/down") == 3


def test_http_429_waits_for_retry_after_then_succeeds(server, tmp_path):
    server.routes["/busy"] = fail_then([(429, {"Retry-After": "1"})], static(b"<p>ok</p>"))
    with fetcher(tmp_path) as f:
        r = f.get(server.url("/busy"))
    assert r.text == "<p>ok</p>" and r.attempts == 2
    first, second = server.requests("/busy")
    assert second.at - first.at >= 0.95


def test_http_retry_after_beyond_the_limit_gives_up_without_waiting(server, tmp_path):
    server.routes["/busy"] = fail_then([(503, {"Retry-After": "3600"})] * 5, static(b"ok"))
    with fetcher(tmp_path) as f:
        started = time.monotonic()
        err = fetch_error(f, server.url("/busy"))
    assert err.reason == "retry-after-too-long" and time.monotonic() - started < 1
    assert server.paths().count("/busy") == 1


def test_http_retry_after_parses_seconds_and_http_dates():
    now = datetime(2021, 5, 24, 10, 0, 0, tzinfo=UTC)
    assert parse_retry_after("120", now) == 120
    assert parse_retry_after("Mon, 24 May 2021 10:00:30 GMT", now) == 30
    assert parse_retry_after("Mon, 24 May 2021 09:00:00 GMT", now) == 0
    assert parse_retry_after("soon", now) is None


def test_http_transient_errors_back_off_with_growing_delays(server, tmp_path):
    server.routes["/flaky"] = fail_then([(503, {}), (502, {})], static(b"fine"))
    with fetcher(tmp_path, retries=3, backoff=0.1) as f:
        assert f.get(server.url("/flaky")).text == "fine"
    times = [s.at for s in server.requests("/flaky")]
    assert len(times) == 3
    assert times[1] - times[0] >= 0.05 and times[2] - times[1] >= 0.1  # 0.1*2^n*[0.5, 1.5)


def test_http_slow_drip_fails_with_timeout_within_the_total(server, tmp_path):
    server.routes["/slow"] = drip(total=400, every=0.05)  # 20 s in all, each byte quick
    with fetcher(tmp_path, total_timeout=0.6, retries=0) as f:
        started = time.monotonic()
        err = fetch_error(f, server.url("/slow"))
    assert err.reason == "timeout"
    assert time.monotonic() - started < 1.5


def test_http_body_over_the_cap_is_refused_while_streaming(server, tmp_path):
    server.routes["/huge"] = endless()
    with fetcher(tmp_path, max_bytes=100_000) as f:
        err = fetch_error(f, server.url("/huge"))
    assert err.reason == "too-large"


def test_http_declared_length_over_the_cap_is_refused_before_reading(server, tmp_path):
    server.routes["/big"] = static(b"x" * 200_000)
    with fetcher(tmp_path, max_bytes=100_000) as f:
        err = fetch_error(f, server.url("/big"))
    assert err.reason == "too-large" and "Content-Length" in err.message


def test_http_redirects_are_followed_to_the_final_url(server, tmp_path):
    server.routes["/old"] = redirect("/new", 301)
    server.routes["/new"] = static(b"moved here")
    with fetcher(tmp_path) as f:
        r = f.get(server.url("/old"))
    assert r.url == server.url("/new") and r.text == "moved here"


def test_http_redirect_loop_is_detected(server, tmp_path):
    server.routes["/loop-a"] = redirect("/loop-b")
    server.routes["/loop-b"] = redirect("/loop-a")
    with fetcher(tmp_path) as f:
        err = fetch_error(f, server.url("/loop-a"))
    assert err.reason == "redirect-loop"
    assert server.paths().count("/loop-a") == 1  # detected before asking again


def test_http_redirect_chain_longer_than_the_limit_fails(server, tmp_path):
    for i in range(6):
        server.routes[f"/hop{i}"] = redirect(f"/hop{i + 1}")
    with fetcher(tmp_path, max_redirects=3) as f:
        err = fetch_error(f, server.url("/hop0"))
    assert err.reason == "too-many-redirects"
    assert "/hop4" not in server.paths()


def test_http_robots_disallow_is_honoured_and_robots_fetched_once(server, tmp_path):
    server.routes["/robots.txt"] = static(b"User-agent: *\nDisallow: /private/\n", "text/plain")
    server.routes["/public"] = static(b"ok")
    server.routes["/private/feed.xml"] = static(b"secret")
    with fetcher(tmp_path) as f:
        threads = [threading.Thread(target=f.get, args=(server.url("/public"),))
                   for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        err = fetch_error(f, server.url("/private/feed.xml"))
    assert err.reason == "robots"
    assert "/private/feed.xml" not in server.paths()
    assert server.paths().count("/robots.txt") == 1
    assert server.paths().count("/public") == 4


def test_http_robots_fetched_again_after_a_day(server, tmp_path, monkeypatch):
    import tracker.collect.http as http

    server.routes["/robots.txt"] = static(b"User-agent: *\nDisallow:\n", "text/plain")
    server.routes["/page"] = static(b"ok")
    with fetcher(tmp_path) as f:
        f.get(server.url("/page"))
        server.routes["/robots.txt"] = static(b"User-agent: *\nDisallow: /\n", "text/plain")
        f.get(server.url("/page"))  # within the day: the cached robots.txt still allows
        monkeypatch.setattr(http, "ROBOTS_TTL", 0.0)
        assert fetch_error(f, server.url("/page")).reason == "robots"
    assert server.paths().count("/robots.txt") == 2


def test_http_robots_ignored_when_switched_off(server, tmp_path):
    server.routes["/robots.txt"] = static(b"User-agent: *\nDisallow: /\n", "text/plain")
    server.routes["/page"] = static(b"ok")
    with fetcher(tmp_path, respect_robots=False) as f:
        assert f.get(server.url("/page")).text == "ok"
    assert "/robots.txt" not in server.paths()


def test_http_robots_missing_allows_and_failing_allows_with_a_note(server, tmp_path):
    server.routes["/page"] = static(b"ok")
    with fetcher(tmp_path) as f:
        assert f.get(server.url("/page")).notes == []  # robots.txt 404: allowed, nothing to say
    server.routes["/robots.txt"] = static(b"down", status=503)
    with fetcher(tmp_path) as f:
        r = f.get(server.url("/page"))
    assert r.text == "ok" and "robots.txt gave HTTP 503" in r.notes[0]


def test_http_host_delay_spaces_requests_to_one_host_across_threads(server, tmp_path):
    for i in range(4):
        server.routes[f"/p{i}"] = static(b"ok")
    with fetcher(tmp_path, host_delay=0.2) as f:
        threads = [threading.Thread(target=f.get, args=(server.url(f"/p{i}"),))
                   for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    times = sorted(s.at for s in server.requests())  # robots.txt + 4 pages
    assert len(times) == 5
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps) >= 0.18, gaps


def test_http_connection_refused_is_a_connection_error(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again at once: nothing listens there
    with fetcher(tmp_path, retries=1) as f:
        err = fetch_error(f, f"http://127.0.0.1:{port}/feed.xml")
    assert err.reason == "connection"


def test_http_non_http_url_is_refused(tmp_path):
    with fetcher(tmp_path) as f:
        assert fetch_error(f, "file:///etc/passwd").reason == "bad-url"


# --- character sets -------------------------------------------------------------------------

CHINESE = ("国家发展改革委员会表示，将严厉打击比特币挖矿和交易行为，朱镕基时期的改革经验值得借鉴。"
           "各地要全面清理虚拟货币挖矿项目，严禁新增项目投资建设，加快存量项目有序退出。") * 3


def test_decode_charset_from_http_header():
    assert decode_body("café".encode("cp1252"), "text/html; charset=windows-1252") == (
        "café", "cp1252")


def test_decode_bom_wins_over_a_wrong_header():
    text, encoding = decode_body("\ufeffcafé".encode("utf-16-le"), "text/xml; charset=utf-8")
    assert (text, encoding) == ("café", "utf-16")


def test_decode_xml_declaration_and_meta_charset():
    xml = '<?xml version="1.0" encoding="ISO-8859-1"?><rss><title>Zürich</title></rss>'
    assert decode_body(xml.encode("latin-1"), "application/xml")[0] == xml
    html = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5">'
    html += "<title>比特幣</title></head></html>"
    text, encoding = decode_body(html.encode("big5"), "text/html")
    assert text == html and encoding.startswith("big5")


def test_decode_gb2312_declared_page_with_gbk_characters_decodes_as_gb18030():
    html = f'<html><head><meta charset="gb2312"></head><body>{CHINESE}</body></html>'
    text, encoding = decode_body(html.encode("gbk"), "text/html")
    assert text == html and encoding == "gb18030"  # 镕 is GBK, not GB2312


def test_decode_misdeclared_utf8_header_on_gbk_bytes_falls_back():
    html = f'<html><head><meta charset="gbk"></head><body>{CHINESE}</body></html>'
    assert decode_body(html.encode("gbk"), "text/html; charset=utf-8")[0] == html


def test_decode_latin1_label_on_utf8_bytes_is_read_as_utf8():
    html = "<p>Zürich — 比特币</p>"
    assert decode_body(html.encode("utf-8"), "text/html; charset=ISO-8859-1") == (html, "utf-8")


def test_decode_undeclared_gbk_is_detected():
    text, encoding = decode_body(CHINESE.encode("gbk"), None)
    assert text == CHINESE and encoding == "gb18030"


def test_http_gbk_page_served_without_charset_header_decodes(server, tmp_path):
    html = f'<html><head><meta charset="gb2312"></head><body>{CHINESE}</body></html>'
    server.routes["/gbk.html"] = static(html.encode("gbk"), "text/html")
    with fetcher(tmp_path) as f:
        r = f.get(server.url("/gbk.html"))
    assert "朱镕基" in r.text and r.encoding == "gb18030"


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is absent")
def test_decode_every_corpus_feed_without_raising():
    files = [p for p in (CORPUS / "feeds").rglob("*") if p.is_file()
             and p.suffix in (".xml", ".rss", ".atom", ".rdf", ".html", "")]
    assert len(files) > 100
    for path in files:
        text, encoding = decode_body(path.read_bytes(), None)
        assert isinstance(text, str) and encoding, path
