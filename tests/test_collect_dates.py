"""A source's time zone: times written without one are the source's local time; times with one
keep it; a date alone is midnight in the source's zone and keeps its calendar day there."""

from __future__ import annotations

import sys
import zoneinfo
from datetime import UTC, date, datetime, timedelta

import pytest

from tests import conftest_collect
from tests.conftest_collect import ARTICLE, Server, article, fast_config, static
from tracker.collect import dates
from tracker.collect.dates import ZoneError, read_date, read_time, read_ymd, zone_named
from tracker.collect.extract import extract_article
from tracker.collect.extract import parse_date as article_date
from tracker.collect.feeds import parse_feed
from tracker.collect.pages import parse_date as listing_date
from tracker.collect.pages import parse_listing
from tracker.collect.run import check_sources, fetch_sources
from tracker.ingest import parse_date as ingest_date
from tracker.models import PageSelectors, Source
from tracker.store.db import connect

server = conftest_collect.server  # the fixture
BEIJING = zone_named("Asia/Shanghai")
NOW = datetime(2022, 1, 1, tzinfo=UTC)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_dates_zone_named_utc_needs_no_database_and_names_are_cached():
    assert zone_named("UTC") is UTC
    assert zone_named("Asia/Shanghai") is zone_named("Asia/Shanghai")


@pytest.mark.parametrize("name, guess", [
    ("asia/shanghai", 'Did you mean "Asia/Shanghai"?'),
    ("Asia/Shangai", 'Did you mean "Asia/Shanghai"?'),
    ("Beijing", 'Did you mean "Asia/Shanghai"?'),
    ("Asia/Beijing", 'Did you mean "Asia/Shanghai"?'),
    ("Paris", 'Did you mean "Europe/Paris"?'),
    ("Mars/Olympus_Mons", "Use an IANA name"),
    ("Asia", ""),  # a directory of the database, not a zone
    ("../../etc/passwd", ""),
])
def test_dates_unknown_zone_says_what_to_write(name, guess):
    with pytest.raises(ZoneError) as info:
        zone_named(name)
    assert str(info.value) == f"unknown time zone {name!r}"
    assert info.value.hint.startswith(guess)
    assert '"Asia/Shanghai" (Beijing time)' in info.value.hint


@pytest.mark.parametrize("name, etc", [
    ("GMT+8", "Etc/GMT-8"), ("UTC+08:00", "Etc/GMT-8"), ("+8", "Etc/GMT-8"),
    ("gmt-5", "Etc/GMT+5"), ("UTC+5:30", None)])
def test_dates_an_offset_for_a_zone_is_never_answered_with_its_posix_twin(name, etc):
    # the database's Etc/GMT+8 is UTC-8: suggesting it for "GMT+8" moves every time 16 hours
    with pytest.raises(ZoneError) as info:
        zone_named(name)
    hint = info.value.hint
    assert "region" in hint and '"Asia/Shanghai" (Beijing time)' in hint
    assert "Did you mean" not in hint
    assert (f'"{etc}" is a fixed' in hint and "sign is inverted" in hint) if etc else (
        "Etc/" not in hint)
    assert "Etc/GMT+8" not in hint or name.startswith("gmt-")


def test_dates_missing_zone_database_says_how_to_install_it(monkeypatch):
    # a machine with neither /usr/share/zoneinfo nor the tzdata package
    for name in [m for m in sys.modules if m == "tzdata" or m.startswith("tzdata.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "tzdata", None)  # import tzdata now fails
    zone_named.cache_clear()
    zoneinfo.reset_tzpath(to=[])
    zoneinfo.ZoneInfo.clear_cache()
    try:
        assert not zoneinfo.available_timezones()
        with pytest.raises(ZoneError, match="no time zone database") as info:
            zone_named("Asia/Shanghai")
        assert "apt-get install tzdata" in info.value.hint
        assert zone_named("UTC") is UTC  # the default needs no database
        assert parse_feed(rss(["2021-05-24 02:00"]), Source(
            name="u", kind="feed", url="https://u.test/")).entries[0].published == utc(
            "2021-05-24T02:00:00")
    finally:
        zoneinfo.reset_tzpath()
        zoneinfo.ZoneInfo.clear_cache()
        zone_named.cache_clear()


@pytest.mark.parametrize("text, expected", [
    ("2021-05-24 02:00", "2021-05-23T18:00:00"),  # no zone: Beijing time
    ("2021-05-24", "2021-05-23T16:00:00"),  # a date alone: midnight in Beijing
    ("2021-05-24T02:00:00Z", "2021-05-24T02:00:00"),  # zones are kept
    ("2021-05-24T02:00:00+09:00", "2021-05-23T17:00:00"),
    ("Mon, 24 May 2021 02:00:00 GMT", "2021-05-24T02:00:00"),
    ("May 24, 2021 10:00 EDT", "2021-05-24T14:00:00"),
    ("2021-05-24 10:00 CST", "2021-05-24T02:00:00"),  # CST on a Beijing site is China time
    ("2021-05-24 10:00 GMT+8", "2021-05-24T02:00:00"),  # not dateutil's POSIX reading (-8)
    ("2021-05-24 10:00 UTC+08:00", "2021-05-24T02:00:00"),
])
def test_dates_read_time_in_beijing(text, expected):
    value = read_time(text, BEIJING)
    assert value is not None and value.astimezone(UTC) == utc(expected)
    assert value.tzinfo is BEIJING  # shown in the source's zone: .date() is its calendar day


def test_dates_abbreviations_mean_their_usual_zone_elsewhere():
    assert read_time("2021-05-24 10:00 CST") == utc("2021-05-24T16:00:00")  # US Central
    assert read_time("2021-05-24 10:00 EST", zone_named("Asia/Tokyo")) == utc(
        "2021-05-24T15:00:00")
    assert read_time("2021-05-24 10:00 JST", zone_named("Asia/Tokyo")).tzinfo is not UTC
    assert read_time("2021-05-24 10:00") == utc("2021-05-24T10:00:00")  # UTC: as before
    assert read_time("not a date") is None


def test_dates_date_alone_keeps_its_calendar_day_in_the_source_zone():
    value = article_date("2021-05-24", now=NOW, zone=BEIJING)
    assert value.date() == date(2021, 5, 24)  # the day the tagger dates events by
    assert value.astimezone(UTC) == utc("2021-05-23T16:00:00")  # the instant stored
    west = article_date("2021-05-24", now=NOW, zone=zone_named("America/New_York"))
    assert west.date() == date(2021, 5, 24) and west.astimezone(UTC) == utc("2021-05-24T04:00:00")


def test_dates_article_page_parse_date_with_and_without_zone():
    assert article_date("2021-05-24 02:00", now=NOW) == utc("2021-05-24T02:00:00")
    assert article_date("2021-05-24 02:00", now=NOW, zone=BEIJING) == utc("2021-05-23T18:00:00")
    assert article_date("2021-05-24T02:00:00+00:00", now=NOW, zone=BEIJING) == utc(
        "2021-05-24T02:00:00")
    epoch = article_date("1621821600", now=NOW, zone=BEIJING)  # epoch seconds carry no zone issue
    assert epoch == utc("2021-05-24T02:00:00") and epoch.tzinfo is BEIJING
    soon = (NOW + timedelta(hours=30)).replace(tzinfo=None).isoformat()
    assert article_date(soon, now=NOW, zone=BEIJING) is not None  # 22 h ahead in UTC: allowed
    assert article_date(soon, now=NOW) is None  # 30 h ahead in UTC: refused


def test_dates_article_page_meta_without_zone_is_the_source_time():
    html = ('<html><head><meta name="PubDate" content="2021-05-24 09:15">'
            '<title>t</title></head><body><p>text</p></body></html>')
    assert extract_article(html, "https://x.test/a").published == utc("2021-05-24T09:15:00")
    article = extract_article(html, "https://x.test/a", zone=BEIJING)
    assert article.published == utc("2021-05-24T01:15:00")


@pytest.mark.parametrize("text, expected", [
    ("2021年5月24日", "2021-05-23T16:00:00"),
    ("2021-05-24 10:30", "2021-05-24T02:30:00"),
    ("2021年5月24日 10:30", "2021-05-24T02:30:00"),
    ("[2021.05.24 08:05:09]", "2021-05-24T00:05:09"),
    ("Updated: 24 May 2021", "2021-05-23T16:00:00"),
    ("May 24, 2021 10:30", "2021-05-24T02:30:00"),
    ("2021-05-24T10:30:00+00:00", "2021-05-24T10:30:00"),  # a zone is kept
    ("2021-05-24 10:30 GMT+8", "2021-05-24T02:30:00"),
])
def test_dates_listing_text_in_beijing(text, expected):
    value = listing_date(text, BEIJING)
    assert value is not None and value.astimezone(UTC) == utc(expected), text


def test_dates_listing_text_in_utc_and_bad_values():
    assert listing_date("2021-05-24 10:30") == utc("2021-05-24T10:30:00")
    assert listing_date("2021年5月24日") == utc("2021-05-24T00:00:00")
    for bad in ("2021-05-24 25:61", "2021-13-45", "10:30", "June 3", "2021-05-24T10:30+99:00"):
        value = listing_date(bad, BEIJING)
        assert value is None or value.date() == date(2021, 5, 24), bad


def test_dates_listing_page_entries_in_the_source_zone():
    html = """<ul class="u-list">
    <li><a href="/a">A</a><span>2021-05-24</span></li>
    <li><a href="/b">B</a><span>2021-05-24 07:59</span></li>
    <li><a href="/c">C</a><time datetime="2021-05-24T07:59:00Z">May 24</time></li></ul>"""
    src = Source(name="cn", kind="page", url="https://cn.test/", timezone="Asia/Shanghai",
                 selectors=PageSelectors(item="ul.u-list li", date="span, time"))
    entries = parse_listing(html, src.url, src)
    assert [e.published.astimezone(UTC) for e in entries] == [
        utc("2021-05-23T16:00:00"), utc("2021-05-23T23:59:00"), utc("2021-05-24T07:59:00")]
    assert {e.published.date() for e in entries} == {date(2021, 5, 24)}


@pytest.mark.parametrize("text, zone, expected", [
    ("发布时间：2021-05-24 10:30", BEIJING, "2021-05-24T02:30:00"),
    ("2021-05-24 07:00:00+08:00 | 123 views", UTC, "2021-05-23T23:00:00"),  # the offset's day
    ("2021年5月24日10:30 来源：新华社", BEIJING, "2021-05-24T02:30:00"),
    ("2021年5月24日 10:30", UTC, "2021-05-24T10:30:00"),
    ("Posted: 2021-05-24 10:30 GMT+8 by staff", UTC, "2021-05-24T02:30:00"),
    ("Posted 2021/05/24 10:30 UTC+08:00", UTC, "2021-05-24T02:30:00"),
    ("2021-05-24 10:30 Zhang San reports", BEIJING, "2021-05-24T02:30:00"),  # Z: no UTC here
    ("2021-05-24T10:30Z, updated", BEIJING, "2021-05-24T10:30:00"),
    ("Date: 2021-05-24 views: 12", BEIJING, "2021-05-23T16:00:00"),
])
def test_dates_ymd_with_words_around_keeps_time_and_offset(text, zone, expected):
    # "\s*日?" once ate the space before the time, and re.search never backtracks into it
    for reader in (read_ymd, listing_date):
        value = reader(text, zone)
        assert value is not None and value.astimezone(UTC) == utc(expected), (reader, text)


# Text every reader of dates (feeds, listing pages, article pages, ingested files) refuses:
# dateutil would fill the missing year from today ("Monday" is the coming Monday, "Dec 28"
# this year's, maybe in the future) or the date is implausible.
NOT_DATES = ["Monday", "Dec 28", "10:30", "June 3", "1850-05-24", "2999-05-24 10:00",
             "2021-13-45"]


@pytest.mark.parametrize("text", NOT_DATES)
def test_dates_no_year_or_implausible_is_no_date_for_any_reader(text):
    assert read_date(text, BEIJING) is None
    assert read_date(text, BEIJING, fuzzy=True) is None
    assert listing_date(text, BEIJING) is None
    assert article_date(text, zone=BEIJING) is None
    assert ingest_date_or_none(text) is None


def ingest_date_or_none(text: str) -> datetime | None:
    try:
        return ingest_date(text, BEIJING)
    except ValueError:
        return None


def test_dates_feed_without_year_or_in_the_future_has_no_date():
    soon = (datetime.now(UTC) + timedelta(hours=12)).strftime("%a, %d %b %Y %H:%M:%S +0000")
    src = Source(name="cn", kind="feed", url="https://cn.test/rss", timezone="Asia/Shanghai")
    entries = parse_feed(rss([*NOT_DATES, "Sun, 24 May 2099 10:00:00 GMT", soon]), src).entries
    assert [e.published for e in entries[:-1]] == [None] * (len(NOT_DATES) + 1)
    assert entries[-1].published is not None  # within the day of slack a clock may be ahead


@pytest.mark.parametrize("text, expected", [
    ("2021-05-24 10:30", "2021-05-24T02:30:00"),
    ("2021年5月24日 10:30", "2021-05-24T02:30:00"),
    ("Mon, 24 May 2021 10:30:00 GMT", "2021-05-24T10:30:00"),
    ("1621823400", "2021-05-24T02:30:00"),
    ("May 2021", "2021-04-30T16:00:00"),  # the 1st, not today's day of the month
])
def test_dates_every_reader_agrees(text, expected):
    src = Source(name="cn", kind="feed", url="https://cn.test/rss", timezone="Asia/Shanghai")
    feed = parse_feed(rss([text]), src).entries[0].published
    readings = [read_date(text, BEIJING), listing_date(text, BEIJING), feed,
                article_date(text, zone=BEIJING), ingest_date_or_none(text)]
    assert [r.astimezone(UTC) if r else None for r in readings] == [utc(expected)] * 5


def rss(dates: list[str], base: str = "https://cn.test") -> bytes:
    """An RSS feed of one item per date string, item n linking to {base}/{n}."""
    items = "".join(f"<item><title>item {n}</title><link>{base}/{n}</link>"
                    f"<pubDate>{d}</pubDate></item>" for n, d in enumerate(dates, 1))
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>c'
            f"</title>{items}</channel></rss>").encode()


FEED = rss(["2021-05-24 02:00:00", "Mon, 24 May 2021 02:00:00", "2021-05-24",
            "Mon, 24 May 2021 02:00:00 GMT", "2021/05/24 10:30", "Mon, 24 May 2021 10:00:00 +0800"])


def test_dates_feed_entries_without_zone_are_source_time():
    src = Source(name="cn", kind="feed", url="https://cn.test/rss", timezone="Asia/Shanghai")
    stamps = [e.published.astimezone(UTC) for e in parse_feed(FEED, src).entries]
    assert stamps == [utc("2021-05-23T18:00:00"), utc("2021-05-23T18:00:00"),
                      utc("2021-05-23T16:00:00"), utc("2021-05-24T02:00:00"),
                      utc("2021-05-24T02:30:00"), utc("2021-05-24T02:00:00")]
    in_utc = parse_feed(FEED, Source(name="u", kind="feed", url="https://u.test/rss")).entries
    assert [e.published for e in in_utc][:4] == [
        utc("2021-05-24T02:00:00"), utc("2021-05-24T02:00:00"), utc("2021-05-24T00:00:00"),
        utc("2021-05-24T02:00:00")]  # the default zone is UTC, as before


def test_dates_feed_dates_dateutil_cannot_read():
    odd = (FEED.replace(b"2021-05-24 02:00:00", "2021年5月24日 10:30".encode())
           .replace(b"Mon, 24 May 2021 02:00:00<", "Κυρ, 11 Ιούλ 2004 12:00:00 EST<".encode()))
    src = Source(name="cn", kind="feed", url="https://cn.test/rss", timezone="Asia/Shanghai")
    first, greek = (e.published for e in parse_feed(odd, src).entries[:2])
    assert first == utc("2021-05-24T02:30:00")  # feedparser alone made it 2021-11-01
    assert greek == utc("2004-07-11T17:00:00")  # feedparser's reading, zone and all


def test_dates_module_exports():
    assert set(dates.__all__) >= {"zone_named", "read_time", "localize", "ZoneError"}


# --- the whole way: a local server, a Beijing source, the stored published_at -----------------

LISTING = """<html><head><meta charset="utf-8"></head><body><ul class="u-list">
<li><a href="/news/1.html">Mining crackdown</a><span>2021年5月24日</span></li>
<li><a href="/news/2.html">Energy use</a><span>2021-05-24 07:30</span></li>
</ul></body></html>"""


def serve_beijing(server: Server) -> str:
    """A feed and a listing page of a Beijing site, every date but one written without a zone;
    and the same feed for a source left at UTC."""
    dates = ["2021-05-24 02:00:00", "2021-05-24", "Mon, 24 May 2021 02:00:00 GMT", ""]
    server.routes["/feed.xml"] = static(rss(dates, server.url("/a")), "application/rss+xml")
    server.routes["/utc.xml"] = static(rss(dates[:2], server.url("/u")), "application/rss+xml")
    server.routes["/news/"] = static(LISTING.encode())
    for path in ("/a/1", "/a/2", "/a/3", "/u/1", "/u/2", "/news/1.html", "/news/2.html"):
        server.routes[path] = article(path)
    # no date in the feed: the article page's, written without a zone
    server.routes["/a/4"] = static(ARTICLE.format(title="Dated by its page", n=4).replace(
        "<title>", '<meta name="PubDate" content="2021-05-24 09:15"><title>').encode())
    zone = 'timezone = "Asia/Shanghai"'
    return (f'[[source]]\nname = "cn-feed"\nkind = "feed"\nurl = "{server.url("/feed.xml")}"\n'
            f'{zone}\n\n[[source]]\nname = "cn-page"\nkind = "page"\n'
            f'url = "{server.url("/news/")}"\n{zone}\n'
            'selectors = { item = "ul.u-list li", date = "span" }\n\n'
            f'[[source]]\nname = "utc-feed"\nkind = "feed"\nurl = "{server.url("/utc.xml")}"\n')


def test_dates_fetch_stores_beijing_times_as_utc(server, tmp_path):
    (tmp_path / "sources.toml").write_text(serve_beijing(server), encoding="utf-8")
    db = connect(tmp_path / "t.db")
    results = fetch_sources(db, fast_config(tmp_path))
    assert [(r.name, r.new, r.failed) for r in results] == [
        ("cn-feed", 4, False), ("cn-page", 2, False), ("utc-feed", 2, False)]
    stored = dict(db.execute("SELECT substr(url, ?), published_at FROM documents",
                             [len(server.base) + 1]).fetchall())
    assert stored == {
        "/a/1": "2021-05-23T18:00:00+00:00",  # 02:00 Beijing
        "/a/2": "2021-05-23T16:00:00+00:00",  # the day 2021-05-24 begins in Beijing
        "/a/3": "2021-05-24T02:00:00+00:00",  # GMT said so: unchanged
        "/a/4": "2021-05-24T01:15:00+00:00",  # the article page's 09:15 Beijing
        "/news/1.html": "2021-05-23T16:00:00+00:00",  # 2021年5月24日
        "/news/2.html": "2021-05-23T23:30:00+00:00",  # 07:30 Beijing
        "/u/1": "2021-05-24T02:00:00+00:00",  # the UTC source: as before
        "/u/2": "2021-05-24T00:00:00+00:00",
    }
    # sources check names the newest day as the site wrote it, here the stored one's
    server.routes["/news/"] = static(LISTING.replace("/news/2.html", "/news/1.html").encode())
    checked = {r.name: r.detail for r in check_sources(db, fast_config(tmp_path))}
    assert all("newest 2021-05-24," in checked[name] for name in ("cn-page", "utc-feed"))
    db.conn.close()
