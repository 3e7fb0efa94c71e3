"""A whole collection run against a local server: what is stored, what is asked, what fails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests import conftest_collect
from tests.conftest_collect import (
    Server,
    article,
    conditional,
    drip,
    endless,
    fast_config,
    fixture,
    redirect,
    static,
)
from tracker.cli import main
from tracker.collect.http import Fetcher
from tracker.collect.run import check_sources, fetch_one, fetch_sources
from tracker.config import Config
from tracker.store.db import connect

server = conftest_collect.server  # the fixtures
other_server = conftest_collect.other_server
LAST_MODIFIED = "Mon, 24 May 2021 10:00:00 GMT"
GBK_TITLE = "国家发改委 整治虚拟货币挖矿 朱镕基"
LISTING = """<html><head><meta charset="utf-8"></head><body><ul class="u-list">
<li><a href="./202105/t1.html">Crackdown on mining announced</a><span>2021-05-21</span></li>
<li><a href="./202105/t2.html">Press conference on energy use</a><span>2021-05-24</span></li>
<li><span>no link</span></li></ul></body></html>"""


def source_toml(name: str, url: str, kind: str = "feed", extra: str = "") -> str:
    return f'[[source]]\nname = "{name}"\nkind = "{kind}"\nurl = "{url}"\n{extra}\n'


def serve_good(server: Server) -> str:
    """A feed with three fetchable articles and one 404, and a listing page with two."""
    server.routes["/robots.txt"] = static(b"User-agent: *\nDisallow: /private/\n", "text/plain")
    server.routes["/feed.xml"] = conditional(fixture("feed.xml"), '"v1"', LAST_MODIFIED)
    for n in (1, 2, 3):
        server.routes[f"/articles/{n}.html"] = article(n)
    server.routes["/news/"] = conditional(LISTING.encode(), '"L1"', LAST_MODIFIED, "text/html")
    server.routes["/news/202105/t1.html"] = article("t1", "Crackdown on mining announced")
    server.routes["/news/202105/t2.html"] = article("t2", "Press conference on energy use")
    return (source_toml("good-feed", server.url("/feed.xml"), extra='rhythm = "monthly"')
            + source_toml("good-page", server.url("/news/"), "page",
                          'selectors = { item = "ul.u-list li", date = "span" }'))


def serve_bad(server: Server) -> str:
    """One source per way of failing."""
    server.routes["/down.xml"] = static(b"oops", status=500)
    server.routes["/slow.xml"] = drip(total=200, every=0.05)
    server.routes["/huge.xml"] = endless()
    server.routes["/loop-a"] = redirect("/loop-b")
    server.routes["/loop-b"] = redirect("/loop-a")
    server.routes["/private/feed.xml"] = fixture("feed.xml") and static(fixture("feed.xml"))
    server.routes["/html.xml"] = static(b"<!DOCTYPE html><html><body>Sign in</body></html>")
    server.routes["/empty.xml"] = static(fixture("empty.xml"), "application/rss+xml")
    server.routes["/redesigned/"] = static(b"<html><body><p>New look!</p></body></html>")
    gbk = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>c</title>'
           f'<item><title>{GBK_TITLE}</title><link>/gbk/1</link><description>{GBK_TITLE}'
           '</description></item></channel></rss>').encode("gbk")
    server.routes["/gbk.xml"] = static(gbk, "application/rss+xml")
    server.routes["/gbk/1"] = article("gbk1", GBK_TITLE)
    urls = {"gone": "/gone.xml", "down": "/down.xml", "slow": "/slow.xml", "huge": "/huge.xml",
            "loop": "/loop-a", "blocked": "/private/feed.xml", "not-a-feed": "/html.xml",
            "empty": "/empty.xml", "misdeclared": "/gbk.xml"}
    text = "".join(source_toml(name, server.url(path)) for name, path in urls.items())
    return text + source_toml("redesigned", server.url("/redesigned/"), "page",
                              'selectors = { item = "ul.u-list li" }')


def setup(tmp_path: Path, toml: str, overrides: dict | None = None) -> Config:
    (tmp_path / "sources.toml").write_text(toml, encoding="utf-8")
    return fast_config(tmp_path, overrides)


def count(db, sql: str = "SELECT count(*) FROM documents") -> int:
    return db.execute(sql).fetchone()[0]


def test_run_two_fetches_store_once_and_second_is_conditional(server, tmp_path):
    config = setup(tmp_path, serve_good(server))
    db = connect(tmp_path / "t.db")
    first = {r.name: r for r in fetch_sources(db, config)}
    assert (first["good-feed"].new, first["good-feed"].pending) == (4, 1)  # 404 page: pending
    assert first["good-page"].new == 2 and not any(r.failed for r in first.values())
    assert count(db) == 6
    assert count(db, "SELECT count(*) FROM documents WHERE extract_status = 'pending'") == 1
    body = db.execute("SELECT body FROM documents WHERE url LIKE '%/articles/2.html'").fetchone()
    assert "Inner Mongolia" in body[0]  # the article page's text, not the feed's summary
    assert db.execute("SELECT etag FROM http_cache WHERE url = ?",
                      [server.url("/feed.xml")]).fetchone()[0] == '"v1"'

    second = {r.name: r for r in fetch_sources(db, config)}
    assert second["good-feed"].unchanged and second["good-page"].unchanged
    assert second["good-feed"].new == 0 and count(db) == 6
    feed_requests = server.requests("/feed.xml")
    assert len(feed_requests) == 2 and "if-none-match" not in feed_requests[0].headers
    assert feed_requests[1].headers["if-none-match"] == '"v1"'
    assert feed_requests[1].headers["if-modified-since"] == LAST_MODIFIED
    assert server.paths().count("/articles/1.html") == 1  # stored articles are not refetched
    assert server.paths().count("/robots.txt") == 2  # once per host per run
    db.conn.close()


def test_run_without_validators_second_fetch_finds_only_duplicates(server, tmp_path):
    server.routes["/feed.xml"] = static(fixture("feed.xml"), "application/rss+xml")
    for n in (1, 2, 3):
        server.routes[f"/articles/{n}.html"] = article(n)
    config = setup(tmp_path, source_toml("plain", server.url("/feed.xml")))
    db = connect(tmp_path / "t.db")
    assert fetch_sources(db, config)[0].new == 4
    (again,) = fetch_sources(db, config)
    assert (again.new, again.duplicate, again.unchanged) == (0, 4, False)
    assert count(db) == 4
    db.conn.close()


def test_run_validators_saved_only_after_documents_are_committed(server, tmp_path, monkeypatch):
    config = setup(tmp_path, serve_good(server))
    db = connect(tmp_path / "t.db")
    import tracker.pipeline

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(tracker.pipeline, "process_entries", crash)
    results = {r.name: r for r in fetch_sources(db, config)}
    assert results["good-feed"].failed and results["good-feed"].reason == "store"
    assert count(db, "SELECT count(*) FROM http_cache") == 0
    monkeypatch.undo()
    results = {r.name: r for r in fetch_sources(db, config)}
    assert results["good-feed"].new == 4  # refetched in full, not skipped as 304
    db.conn.close()


def test_run_each_bad_source_fails_alone_and_says_why(server, tmp_path):
    toml = serve_good(server) + serve_bad(server)
    config = setup(tmp_path, toml, {"http.total_timeout": 0.5, "http.retries": 1,
                                    "http.max_bytes": 200_000})
    db = connect(tmp_path / "t.db")
    results = {r.name: r for r in fetch_sources(db, config)}
    reasons = {name: r.reason for name, r in results.items() if r.failed}
    assert reasons == {"gone": "http-404", "down": "http-500", "slow": "timeout",
                       "huge": "too-large", "loop": "redirect-loop", "blocked": "robots",
                       "not-a-feed": "not-a-feed", "redesigned": "no-items"}
    assert results["good-feed"].new == 4 and results["good-page"].new == 2
    assert results["empty"].warning == "feed has no entries" and not results["empty"].failed
    assert results["misdeclared"].new == 1
    title = db.execute("SELECT title FROM documents WHERE source = 'misdeclared'").fetchone()[0]
    assert title == GBK_TITLE
    assert "/private/feed.xml" not in server.paths()
    assert server.paths().count("/down.xml") == 2  # retried once
    rows = {r[0]: r[1:] for r in db.execute(
        "SELECT name, status, consecutive_failures, last_error, last_success_at FROM sources")}
    assert rows["gone"][:2] == ("failing", 1) and rows["gone"][2].startswith("http-404")
    assert rows["good-feed"][:3] == ("ok", 0, None) and rows["good-feed"][3]
    db.conn.close()


def test_run_source_becomes_broken_after_repeated_failures_and_recovers(server, tmp_path):
    toml = source_toml("flaky", server.url("/flaky.xml"))
    config = setup(tmp_path, toml, {"health.broken_after": 2, "http.retries": 0})
    db = connect(tmp_path / "t.db")
    statuses = [fetch_sources(db, config)[0].status for _ in range(2)]
    assert statuses == ["failing", "broken"]
    server.routes["/flaky.xml"] = static(fixture("empty.xml"), "application/rss+xml")
    assert fetch_sources(db, config)[0].status == "ok"
    row = db.execute("SELECT consecutive_failures, last_error FROM sources").fetchone()
    assert row == (0, None)
    db.conn.close()


def test_run_sources_on_one_host_are_spaced_by_the_host_delay(server, tmp_path):
    server.routes["/empty.xml"] = static(fixture("empty.xml"), "application/rss+xml")
    toml = "".join(source_toml(f"s{i}", server.url(f"/empty.xml?n={i}")) for i in range(3))
    config = setup(tmp_path, toml, {"http.host_delay": 0.25})
    db = connect(tmp_path / "t.db")
    assert not any(r.failed for r in fetch_sources(db, config))
    times = sorted(s.at for s in server.requests())
    assert len(times) == 4  # robots.txt and three feeds
    assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= 0.23
    db.conn.close()


def test_run_article_pages_of_two_hosts_are_fetched_in_parallel(server, other_server, tmp_path):
    toml = ""
    for name, srv in (("a", server), ("b", other_server)):
        srv.routes["/feed.xml"] = static(fixture("feed.xml"), "application/rss+xml")
        for n in (1, 2, 3):
            srv.routes[f"/articles/{n}.html"] = article(f"{name}{n}")
        toml += source_toml(name, srv.url("/feed.xml"))
    config = setup(tmp_path, toml, {"http.host_delay": 0.2, "http.retries": 0})
    db = connect(tmp_path / "t.db")
    assert sum(r.new for r in fetch_sources(db, config)) == 8
    pages_a = [s.at for s in server.requests() if s.path.startswith("/articles/")]
    pages_b = [s.at for s in other_server.requests() if s.path.startswith("/articles/")]
    assert min(pages_b) < max(pages_a) and min(pages_a) < max(pages_b)  # they overlap
    db.conn.close()


def test_run_fetch_one_with_a_shared_fetcher(server, tmp_path):
    config = setup(tmp_path, serve_good(server))
    db = connect(tmp_path / "t.db")
    from tracker.sources import load_sources, sync_sources

    sources = load_sources(config)
    sync_sources(db, sources)
    with Fetcher(config) as fetcher:
        first = fetch_one(db, config, fetcher, sources[0])
        second = fetch_one(db, config, fetcher, sources[0])
    assert (first.new, second.unchanged) == (4, True)
    assert server.paths().count("/robots.txt") == 1  # one cache for the fetcher's life
    db.conn.close()


def test_run_unknown_source_name_is_a_config_error(server, tmp_path):
    config = setup(tmp_path, serve_good(server))
    db = connect(tmp_path / "t.db")
    from tracker.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown source 'nope'"):
        fetch_sources(db, config, ["nope"])
    db.conn.close()


def test_check_says_ok_quiet_unreachable_broken_and_stores_nothing(server, tmp_path):
    toml = serve_good(server) + serve_bad(server)
    toml += source_toml("stale", server.url("/feed.xml"), extra='rhythm = "weekly"')
    toml += source_toml("refused", "http://127.0.0.1:9/feed.xml")
    config = setup(tmp_path, toml, {"http.total_timeout": 0.5})
    db = connect(tmp_path / "t.db")
    verdicts = {r.name: r.verdict for r in check_sources(db, config)}
    assert verdicts["good-page"] == "quiet"  # newest item 2021, rhythm weekly by default
    assert verdicts["stale"] == "quiet" and verdicts["empty"] == "quiet"
    assert verdicts["misdeclared"] == "ok"  # undated: fetches fine, nothing says quiet
    assert {verdicts[n] for n in ("down", "slow", "refused")} == {"unreachable"}
    assert {verdicts[n] for n in ("gone", "huge", "loop", "blocked", "not-a-feed",
                                  "redesigned")} == {"broken"}
    assert count(db) == 0 and server.paths().count("/down.xml") == 1  # no retries in a check
    db.conn.close()


# --- the commands -----------------------------------------------------------------------------


def run_cli(tmp_path: Path, config: Config, *args: str):
    """`tracker --db <tmp> --config <tmp>/tracker.toml ARGS` in-process."""
    http = [f"{k.split('.')[1]} = {json.dumps(v)}" for k, v in config.values.items()
            if k.startswith("http.")]
    text = "[http]\n" + "\n".join(http) + f'\n[rules]\nsources = "{config["rules.sources"]}"\n'
    (tmp_path / "tracker.toml").write_text(text)
    return CliRunner().invoke(main, ["--db", str(tmp_path / "t.db"), "--config",
                                     str(tmp_path / "tracker.toml"), *args])


def test_cli_fetch_prints_per_source_and_exits_1_naming_failures(server, tmp_path):
    toml = serve_good(server) + source_toml("gone", server.url("/gone.xml"))
    config = setup(tmp_path, toml)
    result = run_cli(tmp_path, config, "fetch", "--no-tag")
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("good-feed  4 new, 0 already stored, 1 pending")
    assert lines[2].startswith("gone       FAILED http-404: HTTP 404  [failing]")
    assert lines[3] == "3 sources: 6 new documents, 0 unchanged, 1 failed"
    assert "1 source(s) failed: gone" in result.stderr
    again = run_cli(tmp_path, config, "fetch", "--no-tag", "--source", "good-feed")
    assert again.exit_code == 0 and "unchanged (not modified)" in again.stdout


def test_cli_sources_list_and_check(server, tmp_path):
    config = setup(tmp_path, serve_good(server) + source_toml("gone", server.url("/gone.xml")))
    run_cli(tmp_path, config, "fetch", "--no-tag")
    listing = run_cli(tmp_path, config, "sources", "list")
    assert listing.exit_code == 0
    rows = [line.split() for line in listing.stdout.splitlines()]
    assert rows[0] == ["NAME", "KIND", "SCHEDULE", "STATUS", "LAST", "SUCCESS", "FAILS", "DOCS"]
    assert rows[1][:5] == ["good-feed", "feed", "every", "60m", "ok"] and rows[1][-2:] == ["0", "4"]
    assert rows[3][:5] == ["gone", "feed", "every", "60m", "failing"] and rows[3][-3:] == [
        "never", "1", "0"]
    assert "gone: last error: http-404: HTTP 404" in listing.stdout
    check = run_cli(tmp_path, config, "sources", "check")
    assert check.exit_code == 1
    assert "gone       broken       http-404: HTTP 404" in check.stdout
    assert "good-feed  quiet        4 entries, newest 2021-05-27, expected monthly" in check.stdout
    assert "3 sources: 0 ok, 2 quiet, 0 unreachable, 1 broken" in check.stdout
    assert "Traceback" not in check.output


def test_cli_check_on_unreachable_shipped_style_sources_is_clean(tmp_path):
    toml = source_toml("nowhere", "http://127.0.0.1:9/feed.xml") + source_toml(
        "list", "http://127.0.0.1:9/news/", "page", 'selectors = { item = "li" }')
    config = setup(tmp_path, toml)
    result = run_cli(tmp_path, config, "sources", "check")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert [line.split()[:2] for line in result.stdout.splitlines()[:2]] == [
        ["nowhere", "unreachable"], ["list", "unreachable"]]
