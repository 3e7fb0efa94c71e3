"""Article extraction on small hand-written pages: each path, each date source, bad input."""

from __future__ import annotations

import random
import sys
import time
from datetime import UTC, datetime, timedelta

import lxml.html
import pytest

from tracker.collect import extract
from tracker.collect.extract import (
    MAX_HTML_BYTES,
    extract_article,
    fallback_text,
    html_to_text,
    page_title,
    parse_date,
    published_date,
    strip_site_name,
)

STORY = [
    "The National Development and Reform Commission said on Friday it would phase out "
    "cryptocurrency mining across the country, citing energy use and financial risk.",
    "Provincial governments in Sichuan and Inner Mongolia were told to shut down mining "
    "farms within three months and to report progress to the commission every week.",
    "Analysts said the order went further than earlier warnings and would push miners "
    "abroad, mostly to Kazakhstan and the United States, before the end of the year.",
]
NAV = "Home World Markets Technology Subscribe Sign in"
FOOTER = "Copyright 2021 Example News. All rights reserved. Privacy policy Terms of use"


def page(body: str, head: str = "", title: str = "China orders end to crypto mining") -> str:
    return (f"<!doctype html><html><head><title>{title}</title>{head}</head><body>"
            f"<nav><a href='/'>{NAV}</a></nav>{body}<footer><p>{FOOTER}</p></footer>"
            "</body></html>")


def article_body(extra: str = "") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in STORY)
    return f"<article><h1>China orders end to crypto mining</h1>{paragraphs}{extra}</article>"


def tree(html: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html)


# --- body: selector, trafilatura, fallback ------------------------------------------------


def test_extract_selector_path_takes_the_matched_element_with_paragraphs():
    html = page("<div class='teaser'><p>Read more about mining</p></div>"
                "<div class='story-body'>" + "".join(f"<p>{p}</p>" for p in STORY) + "</div>")
    article = extract_article(html, "https://example.com/a", "div.story-body")
    assert article.method == "selector"
    assert article.text == "\n\n".join(STORY)


def test_extract_selector_too_short_falls_through_to_trafilatura():
    html = page("<div class='lede'><p>Mining ends.</p></div>" + article_body())
    article = extract_article(html, "https://example.com/a", "div.lede")
    assert article.method == "trafilatura"
    assert STORY[1] in article.text


def test_extract_invalid_selector_does_not_raise():
    article = extract_article(page(article_body()), "https://example.com/a", "div[[[")
    assert article.method == "trafilatura"
    assert STORY[0] in article.text


def test_extract_trafilatura_path_drops_navigation_footer_and_comments():
    comments = ("<div class='comments' id='comments'><h3>Comments</h3>"
                "<p>Great article, totally agree with everything said here by the author!</p>"
                "</div>")
    article = extract_article(page(article_body() + comments), "https://example.com/a")
    assert article.method == "trafilatura"
    for paragraph in STORY:
        assert paragraph in article.text
    assert "\n\n" in article.text
    assert "Subscribe" not in article.text
    assert "All rights reserved" not in article.text
    assert "totally agree" not in article.text


def test_extract_fallback_path_when_the_page_is_too_large_for_trafilatura(monkeypatch):
    monkeypatch.setattr(extract, "MAX_TRAFILATURA_ELEMENTS", 5)
    article = extract_article(page(article_body()), "https://example.com/a")
    assert article.method == "fallback"
    assert article.text == "\n\n".join(STORY)


def test_extract_fallback_prefers_the_largest_paragraph_block_in_article():
    sidebar = "<div class='side'><p>Most read</p><p>Bitcoin falls</p></div>"
    html = page(sidebar + "<main><div class='byline'><p>By A. Writer</p></div>"
                + "<div>" + "".join(f"<p>{p}</p>" for p in STORY) + "</div></main>")
    assert fallback_text(tree(html)) == "\n\n".join(STORY)


def test_extract_fallback_without_paragraphs_keeps_the_body_text():
    html = "<html><body><div>Line one<br>line two</div><script>var x = 1;</script></body></html>"
    assert fallback_text(tree(html)) == "Line one\nline two"


# --- title --------------------------------------------------------------------------------


def test_extract_title_prefers_og_title():
    head = '<meta property="og:title" content="NDRC bans mining">'
    assert page_title(tree(page("", head, "Other - Example")), "https://example.com") == \
        "NDRC bans mining"


def test_extract_title_strips_site_name_only_when_it_names_the_site():
    assert strip_site_name("China bans mining - Reuters", "", "https://www.reuters.com/x") == \
        "China bans mining"
    assert strip_site_name("China bans mining | BBC News", "", "https://www.bbc.co.uk/x") == \
        "China bans mining"
    assert strip_site_name("Bans | The Paper", "The Paper", "https://thepaper.cn/x") == "Bans"
    keep = "Bitcoin - what the ban means"
    assert strip_site_name(keep, "", "https://example.com/x") == keep
    assert strip_site_name("Reuters", "", "https://www.reuters.com/x") == "Reuters"


def test_extract_title_falls_back_to_h1():
    html = "<html><body><h1> Crackdown  widens </h1><p>x</p></body></html>"
    assert page_title(tree(html), "") == "Crackdown widens"


# --- publication date ---------------------------------------------------------------------


def _date_of(head: str = "", body: str = "", url: str = "") -> tuple[datetime | None, str]:
    return published_date(tree(page(body or article_body(), head)), url)


def test_extract_date_from_json_ld_prefers_the_article_object():
    ld = ('<script type="application/ld+json">{"@graph": ['
          '{"@type": "WebSite", "datePublished": "2001-01-01"},'
          '{"@type": "NewsArticle", "datePublished": "2021-05-21T10:00:00+08:00"}]}</script>')
    assert _date_of(ld) == (datetime(2021, 5, 21, 2, 0, tzinfo=UTC), "json-ld")


def test_extract_date_from_meta_article_published_time():
    head = '<meta property="article:published_time" content="2021-06-18T09:30:00Z">'
    assert _date_of(head) == (datetime(2021, 6, 18, 9, 30, tzinfo=UTC), "meta")


def test_extract_date_from_itemprop():
    body = ('<article><span itemprop="datePublished" content="2020-03-04">4 March</span>'
            f'<p>{STORY[0]}</p></article>')
    assert _date_of(body=body) == (datetime(2020, 3, 4, tzinfo=UTC), "meta")
    head = '<meta itemprop="datePublished" content="2020-03-05">'
    assert _date_of(head)[0] == datetime(2020, 3, 5, tzinfo=UTC)


def test_extract_date_from_time_element_inside_the_article():
    body = ("<header><time datetime='2030-01-01'>today</time></header><article>"
            f"<time datetime='2019-11-20T08:00:00-05:00'>Nov 20</time><p>{STORY[0]}</p></article>")
    assert _date_of(body=body) == (datetime(2019, 11, 20, 13, 0, tzinfo=UTC), "time")


def test_extract_date_from_htmldate_when_markup_has_none():
    found, origin = _date_of(url="https://example.com/news/2018/07/09/china-mining.html")
    assert (found, origin) == (datetime(2018, 7, 9, tzinfo=UTC), "htmldate")


def test_extract_date_absent_is_none():
    assert _date_of() == (None, "")


def test_extract_date_in_the_future_is_ignored():
    soon = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    head = (f'<meta property="article:published_time" content="{soon}">'
            '<meta name="pubdate" content="2021-01-02">')
    assert _date_of(head)[0] == datetime(2021, 1, 2, tzinfo=UTC)


def test_extract_parse_date_forms():
    assert parse_date("2021-05-21") == datetime(2021, 5, 21, tzinfo=UTC)
    assert parse_date("Fri, 21 May 2021 10:00:00 GMT") == datetime(2021, 5, 21, 10, tzinfo=UTC)
    assert parse_date("May 21, 2021 10:00 EDT") == datetime(2021, 5, 21, 14, tzinfo=UTC)
    assert parse_date("1621591200") == datetime(2021, 5, 21, 10, tzinfo=UTC)
    assert parse_date("1621591200000") == datetime(2021, 5, 21, 10, tzinfo=UTC)
    for bad in ("", "not a date", "1850-01-01", "99999-99-99", "2021-02-30"):
        assert parse_date(bad) is None
    now = datetime(2021, 1, 1, tzinfo=UTC)
    assert parse_date("2021-01-01T20:00:00Z", now=now) is not None  # within the day of slack
    assert parse_date("2021-01-03", now=now) is None


def test_extract_article_carries_title_text_and_date():
    head = ('<meta property="og:title" content="China orders end to crypto mining">'
            '<meta property="article:published_time" content="2021-09-24T12:00:00+08:00">')
    article = extract_article(page(article_body(), head).encode(), "https://example.com/a")
    assert article.title == "China orders end to crypto mining"
    assert article.published == datetime(2021, 9, 24, 4, tzinfo=UTC)
    assert article.published.tzinfo is UTC
    assert STORY[2] in article.text


# --- decoding -----------------------------------------------------------------------------

CHINESE = ("国家发展改革委表示，将全面清理整顿虚拟货币挖矿活动，严禁新增项目投资建设。"
           "各地要加快存量项目有序退出，并按月报告工作进展情况。")


def gbk_page(declared: bool = True) -> bytes:
    meta = '<meta charset="gbk">' if declared else ""
    html = (f"<html><head>{meta}<title>发展改革委</title></head><body><article>"
            + f"<p>{CHINESE}</p>" * 3 + "</article></body></html>")
    return html.encode("gbk")


@pytest.mark.parametrize("declared", [True, False])
def test_extract_gbk_bytes_decode_through_the_http_layer(declared):
    from tracker.collect import http

    assert callable(http.decode_body)
    article = extract_article(gbk_page(declared), "https://www.ndrc.gov.cn/x")
    assert CHINESE in article.text
    assert article.title == "发展改革委"


def test_extract_decodes_without_the_http_layer(monkeypatch):
    monkeypatch.setitem(sys.modules, "tracker.collect.http", None)  # import now fails
    assert CHINESE in extract.decode(gbk_page(declared=True))
    assert extract.decode("café".encode()) == "café"
    assert CHINESE in extract.decode(gbk_page(declared=False))


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize("junk", [
    b"", "", b"   ", b"\x00\x01\x02", b"\xff\xfe\xfd\xfc" * 50, "<", "<<<>>>", "<html></html>",
    "https://example.com/article", b"<?xml version='1.0' encoding='utf-8'?><html><p>x</p></html>",
    "<?xml version='1.0' encoding='utf-8'?><html><body><p>x</p></body></html>",
    "<div>" * 5000 + "deep", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj",
])
def test_extract_garbage_never_raises(junk):
    article = extract_article(junk, "https://example.com/a", "article")
    assert isinstance(article.text, str)
    assert article.published is None


def test_extract_random_bytes_never_raise():
    rng = random.Random(3)
    for _ in range(20):
        blob = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 3000)))
        assert isinstance(extract_article(blob, "u").text, str)


def test_extract_empty_page_gives_empty_text():
    article = extract_article(b"<html><head><title>t</title></head><body></body></html>", "u")
    assert article.text == ""
    assert article.title == "t"


def test_extract_huge_page_is_capped_and_fast():
    paragraph = "<p>" + "Regulators widened the ban on mining in several provinces. " * 10 + "</p>"
    html = ("<html><body><article>" + paragraph * 20_000 + "</article></body></html>").encode()
    assert len(html) > 2 * MAX_HTML_BYTES
    started = time.perf_counter()
    article = extract_article(html, "https://example.com/a")
    assert time.perf_counter() - started < 15
    assert 0 < len(article.text.encode()) <= MAX_HTML_BYTES


def test_extract_huge_page_without_tags_is_cut_not_emptied():
    article = extract_article(("<p>" + "word " * 2_000_000).encode(), "u")
    assert article.text.startswith("word word")
    assert len(article.text) <= MAX_HTML_BYTES


# --- html_to_text ---------------------------------------------------------------------------


def test_html_to_text_drops_scripts_styles_and_comments():
    fragment = ("<p>Ban announced</p><script>alert('x')</script><style>p{color:red}</style>"
                "<!-- tracking --><noscript>enable js</noscript>")
    assert html_to_text(fragment) == "Ban announced"


def test_html_to_text_unescapes_entities():
    assert html_to_text("AT&amp;T &lt;b&gt; caf&eacute; &#8220;ok&#8221; &nbsp;x") == \
        "AT&T <b> café \u201cok\u201d x"


def test_html_to_text_blocks_become_paragraphs_and_br_a_line_break():
    fragment = ("<div>Intro <b>bold</b> text</div><p>First<br/>second line</p>"
                "<ul><li>one</li><li>two</li></ul>tail")
    assert html_to_text(fragment) == "Intro bold text\n\nFirst\nsecond line\n\none\n\ntwo\n\ntail"


def test_html_to_text_plain_text_and_whitespace():
    assert html_to_text("  plain\n  text  ") == "plain text"
    assert html_to_text("") == ""
    assert html_to_text("<p>  </p>") == ""
    assert html_to_text("5 < 6 and 7 > 3") == "5 < 6 and 7 > 3"
