"""Listing pages -> entries with the source's selectors."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.conftest_collect import fixture
from tracker.collect.pages import parse_date, parse_listing
from tracker.models import PageSelectors, Source

BASE = "https://en.agency.test/news/pressreleases/"


def source(**selectors: str) -> Source:
    return Source(name="agency", kind="page", url=BASE,
                  selectors=PageSelectors(**{"item": "ul.u-list li", **selectors}))


def test_pages_items_with_links_resolved_titled_and_dated():
    entries = parse_listing(fixture("listing.html").decode(), BASE, source(date="span"))
    assert [e.url for e in entries] == [
        BASE + "202105/t20210524_1.html",
        "https://en.agency.test/news/pressreleases/202105/t20210521_2.html",
        "http://other.test/abs.html",
    ]  # no link, javascript: and a repeat (after dropping the fragment) are skipped
    assert entries[0].title == "NDRC holds press conference on energy consumption"
    assert [e.published for e in entries] == [datetime(2021, 5, d, tzinfo=UTC)
                                              for d in (24, 21, 20)]
    assert all(e.source == "agency" for e in entries)


def test_pages_title_selector_and_base_href():
    html = """<html><head><base href="https://cdn.agency.test/en/"></head><body>
    <div class="item"><h3><a href="a.html">  Short
      link </a></h3><p class="t">The full headline</p><time datetime="2021-06-01T08:00:00+08:00">
      June 1</time></div>
    <div class="item"><h3>No anchor here</h3></div></body></html>"""
    src = source(item="div.item", link="h3", title="p.t", date="time")
    (entry,) = parse_listing(html, BASE, src)
    assert entry.url == "https://cdn.agency.test/en/a.html"  # h3 named: its <a> is used
    assert entry.title == "The full headline"
    assert entry.published == datetime.fromisoformat("2021-06-01T08:00:00+08:00")


def test_pages_item_that_is_itself_the_link():
    html = ('<div class="list"><a class="n" href="/x/1">One</a>'
            '<a class="n" href="/x/2">Two</a></div>')
    entries = parse_listing(html, BASE, source(item="a.n"))
    assert [(e.url, e.title) for e in entries] == [("https://en.agency.test/x/1", "One"),
                                                   ("https://en.agency.test/x/2", "Two")]


def test_pages_no_matching_items_gives_no_entries():
    assert parse_listing("<html><body><p>redesigned</p></body></html>", BASE, source()) == []


def test_pages_dates_are_tolerant():
    assert parse_date("2021年5月24日") == datetime(2021, 5, 24, tzinfo=UTC)
    assert parse_date("Updated: 24 May 2021") == datetime(2021, 5, 24, tzinfo=UTC)
    assert parse_date("May 24, 2021 10:30") == datetime(2021, 5, 24, 10, 30, tzinfo=UTC)
    assert parse_date("[2021.05.24]") == datetime(2021, 5, 24, tzinfo=UTC)
    assert parse_date("no date here") is None
    assert parse_date("2021-13-45") is None
    assert parse_date("June 3") is None  # no year: better none than a wrong one
