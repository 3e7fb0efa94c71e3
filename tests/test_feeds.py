import pytest

from tracker.collect.feeds import NotAFeed, parse_feed
from tracker.models import Source

SOURCE = Source(name="s", kind="feed", url="https://feeds.example/rss")

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Regulator</title>
<entry><title type="html">Warning &lt;em&gt;issued&lt;/em&gt;</title><id>tag:r,2021:1</id>
<link href="/news/1"/><updated>2021-06-01T10:00:00Z</updated>
<content type="html">&lt;p&gt;Full text &amp;amp; more.&lt;/p&gt;
&lt;script&gt;x()&lt;/script&gt;</content></entry>
</feed>"""


def test_feeds_atom_entry_fields_and_relative_link():
    result = parse_feed(ATOM, SOURCE, base_url="https://feeds.example/atom.xml",
                        content_type="application/atom+xml")
    [entry] = result.entries
    assert result.warning is None and result.title == "Regulator"
    assert entry.url == "https://feeds.example/news/1"
    assert entry.title == "Warning issued"
    assert entry.content == "Full text & more."
    assert entry.published.isoformat() == "2021-06-01T10:00:00+00:00"
    assert entry.guid == "tag:r,2021:1"


def test_feeds_ill_formed_feed_keeps_entries_with_a_warning():
    broken = ATOM.replace(b"</feed>", b"<entry><title>unclosed")
    result = parse_feed(broken, SOURCE)
    assert len(result.entries) >= 1
    assert result.warning and result.warning.startswith("ill-formed feed")


def test_feeds_html_page_is_not_a_feed():
    with pytest.raises(NotAFeed, match="HTML page where a feed was expected"):
        parse_feed(b"<!DOCTYPE html><html><body><p>Hello</p></body></html>", SOURCE)


def test_feeds_empty_feed_is_a_warning_not_an_error():
    result = parse_feed(b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
                        b"</channel></rss>", SOURCE)
    assert result.entries == [] and result.warning == "feed has no entries"


def test_feeds_garbage_is_reported():
    with pytest.raises(NotAFeed):
        parse_feed(b"\x00\x01 not xml at all {", SOURCE)
