"""Article page -> title, main text and publication date.

The body comes from the first of these that yields text: the source's CSS selector, trafilatura
(settings chosen on bench/eval_extraction.py), then a fallback of our own (the largest block of
<p> text). Nothing here talks to the network: trafilatura and its date finder only ever get
text or parsed trees, never a URL to fetch. Bad input gives an Article with empty text, never
an exception.
"""

from __future__ import annotations

import copy
import json
import logging
import re
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from .dates import read_date

log = logging.getLogger(__name__)

MAX_HTML_BYTES = 5_000_000  # larger pages are cut (at a tag end) before parsing
MIN_SELECTOR_WORDS = 20  # a selector match shorter than this is a teaser, not the article
# trafilatura and htmldate parse with module-level lxml parsers and caches shared by every
# thread; the daemon extracts in several threads, and one run aborted with heap corruption.
# The GIL serialises most of their work anyway, so a lock costs little and removes the risk.
LIBRARY_LOCK = threading.Lock()
MIN_BODY_WORDS = 5  # trafilatura output shorter than this counts as nothing
# trafilatura's time grows faster than linearly with the element count (20k elements: ~1 s,
# 80k: ~30 s). News pages have a few thousand (the benchmark's largest: 1,709); past this
# the fallback, linear and ~0.5 s for 5 MB, takes over.
MAX_TRAFILATURA_ELEMENTS = 20_000
# Measured on the extraction benchmark (docs/readme/extraction.md): favor_precision has the
# best F1; tables kept (dropping them lost recall); comments are never article text.
TRAFILATURA_OPTIONS = {"favor_precision": True, "include_comments": False, "include_tables": True}

BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "menu",
    "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul",
})
DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "svg", "math", "head",
             "object", "embed", "canvas", "select", "button", "textarea")
BOILERPLATE_TAGS = ("nav", "header", "footer", "aside", "form", "figure")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACE = re.compile(r"\s+")
_BREAK, _PARA = "\x00b", "\x00p"  # markers between text pieces; NUL never survives _CONTROL


@dataclass
class Article:
    title: str
    text: str  # paragraphs separated by blank lines
    published: datetime | None  # aware, in the zone extract_article was given (UTC)
    method: str  # "selector" | "trafilatura" | "fallback"


def extract_article(html: bytes | str, url: str, body_selector: str | None = None,
                    zone: tzinfo = UTC) -> Article:
    """Title, main text and publication date of one article page; a date written without a
    zone is in `zone` (the source's)."""
    try:
        source = _as_text(html)
        tree = _parse(source)
    except Exception:  # garbage in: an empty article out, whatever the parser thought of it
        log.warning("unreadable page %s", url, exc_info=True)
        return Article("", "", None, "fallback")
    if tree is None:
        return Article("", "", None, "fallback")
    title = page_title(tree, url)
    text, method = _body(source, tree, url, body_selector)
    return Article(title, text, published_date(tree, url, zone)[0], method)


def _body(source: str, tree: lxml.html.HtmlElement, url: str,
          selector: str | None) -> tuple[str, str]:
    if selector:
        text = select_text(source, selector)
        if len(text.split()) >= MIN_SELECTOR_WORDS:
            return text, "selector"
    if _size(tree) <= MAX_TRAFILATURA_ELEMENTS:
        text = trafilatura_text(source, url)
        if len(text.split()) >= MIN_BODY_WORDS:
            return text, "trafilatura"
    else:
        log.info("page %s too large for trafilatura; using the fallback extractor", url)
    return fallback_text(tree), "fallback"


def _size(tree: lxml.html.HtmlElement) -> int:
    return sum(1 for _ in tree.iter())


# --- decoding and parsing -----------------------------------------------------------------


def _as_text(html: bytes | str) -> str:
    if isinstance(html, bytes):
        html = decode(_cap(html))
    elif len(html) > MAX_HTML_BYTES:
        html = html[: html.rfind(">", MAX_HTML_BYTES - 65_536, MAX_HTML_BYTES) + 1
                    or MAX_HTML_BYTES]
    return _CONTROL.sub("", html)


def _cap(content: bytes) -> bytes:
    # Prefer to cut just after a '>' (never a trail byte in UTF-8 or GBK); with no tag end in
    # the last 64 KB, cut at the cap, stepping back off UTF-8 continuation bytes.
    if len(content) <= MAX_HTML_BYTES:
        return content
    end = content.rfind(b">", MAX_HTML_BYTES - 65_536, MAX_HTML_BYTES) + 1
    if end == 0:
        end = MAX_HTML_BYTES
        while end > MAX_HTML_BYTES - 4 and 0x80 <= content[end] <= 0xBF:
            end -= 1
    return content[:end]


def decode(content: bytes) -> str:
    """Bytes of a page -> text, through the HTTP layer's charset logic when it is there."""
    try:
        from .http import decode_body
    except ImportError:
        decode_body = None
    if decode_body is not None:
        try:
            return decode_body(content, None)[0]
        except Exception:
            log.warning("decode_body failed; decoding the page ourselves", exc_info=True)
    return _decode_fallback(content)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)


def _decode_fallback(content: bytes) -> str:
    declared = _META_CHARSET.search(content[:4096])
    names = ["utf-8-sig", declared.group(1).decode("ascii", "ignore") if declared else None]
    for name in names:
        try:
            return content.decode(name) if name else content.decode("utf-8-sig")
        except (UnicodeDecodeError, LookupError):
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(content[:200_000]).best()
    try:
        return content.decode(best.encoding if best else "utf-8", errors="replace")
    except LookupError:
        return content.decode("utf-8", errors="replace")


def _parse(source: str) -> lxml.html.HtmlElement | None:
    if not source.strip():
        return None
    try:
        return lxml.html.document_fromstring(source)
    except (etree.ParserError, ValueError):
        # ValueError: an XML encoding declaration in a str; parse the bytes instead.
        try:
            return lxml.html.document_fromstring(source.encode("utf-8"))
        except (etree.ParserError, ValueError):
            return None


# --- body ---------------------------------------------------------------------------------


def select_text(source: str, selector: str) -> str:
    """Text of every element the CSS selector matches (BeautifulSoup), paragraphs kept."""
    from bs4 import BeautifulSoup

    with warnings.catch_warnings():  # "looks like a URL / like XML": we know what we parse
        warnings.simplefilter("ignore")
        soup = BeautifulSoup(source, "lxml")
    try:
        matches = soup.select(selector)
    except Exception as exc:  # soupsieve raises its own SelectorSyntaxError
        log.warning("body selector %r is not valid CSS (%s); using the main-text extractor",
                    selector, exc)
        return ""
    return "\n\n".join(t for t in (html_to_text(str(m)) for m in matches) if t)


def trafilatura_text(source: str, url: str) -> str:
    """trafilatura's main text with our settings; one line per block becomes one paragraph."""
    import trafilatura

    try:
        with LIBRARY_LOCK:
            out = trafilatura.extract(source, url=url or None, **TRAFILATURA_OPTIONS)
    except Exception:  # a library bug on an odd page must not lose the article
        log.warning("trafilatura failed on %s", url, exc_info=True)
        return ""
    return _paragraphs((out or "").splitlines())


def fallback_text(tree: lxml.html.HtmlElement) -> str:
    """The <p> children of the element holding the most paragraph text, inside <article> or
    <main> when the page has one, else anywhere in the body."""
    tree = _cleaned(tree)
    scope = tree.xpath("//article | //main") or [tree]
    best, best_size = None, 0
    for parent in {p.getparent() for area in scope for p in area.iter("p")}:
        size = sum(len(p.text_content().strip()) for p in parent.iterchildren("p"))
        if size > best_size:
            best, best_size = parent, size
    if best is None:
        return _tree_text(tree)
    return _paragraphs(_SPACE.sub(" ", p.text_content()) for p in best.iterchildren("p"))


def _cleaned(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    tree = _copy(tree)
    etree.strip_elements(tree, *DROP_TAGS, *BOILERPLATE_TAGS, etree.Comment,
                         etree.ProcessingInstruction, with_tail=False)
    return tree


def _copy(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    return copy.deepcopy(tree)


def _paragraphs(lines: Iterator[str] | list[str]) -> str:
    return "\n\n".join(s for s in (line.strip() for line in lines) if s)


# --- HTML fragment -> text ----------------------------------------------------------------


def html_to_text(fragment: str | lxml.html.HtmlElement) -> str:
    """Readable plain text of an HTML fragment (a feed summary, a selected element): entities
    unescaped, scripts and styles dropped, blocks -> paragraphs (blank line), <br> -> newline."""
    if isinstance(fragment, str):
        if "<" not in fragment and "&" not in fragment:
            return _SPACE.sub(" ", fragment).strip()
        try:
            root = _parse("<html><body><div>" + _CONTROL.sub("", fragment) + "</div></body></html>")
        except Exception:
            return _SPACE.sub(" ", fragment).strip()
        if root is None:
            return ""
    else:
        root = _copy(fragment)
    return _tree_text(root)


def _tree_text(root: lxml.html.HtmlElement) -> str:
    etree.strip_elements(root, *DROP_TAGS, etree.Comment, etree.ProcessingInstruction,
                         with_tail=False)
    return _join(_pieces(root))


def _pieces(root: lxml.html.HtmlElement) -> Iterator[str]:
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in BLOCK_TAGS:
                yield _PARA
            elif tag == "br":
                yield _BREAK
            if el.text:
                yield el.text
        else:
            if tag in BLOCK_TAGS:
                yield _PARA
            if el.tail and el is not root:
                yield el.tail


def _join(pieces: Iterator[str]) -> str:
    flat = _SPACE.sub(" ", "".join(pieces))
    paragraphs = []
    for para in flat.split(_PARA):
        lines = [line.strip() for line in para.split(_BREAK)]
        text = "\n".join(line for line in lines if line)
        if text:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


# --- title --------------------------------------------------------------------------------

_TITLE_SEPARATOR = re.compile(r"\s+(?:[-|–—:·•»]|::)\s+")


def page_title(tree: lxml.html.HtmlElement, url: str = "") -> str:
    """og:title, else <title> without a trailing " - Site name", else the first <h1>."""
    meta = meta_values(tree)
    if meta.get("og:title"):
        return meta["og:title"]
    title = _SPACE.sub(" ", tree.findtext(".//title") or "").strip()
    if title:
        return strip_site_name(title, meta.get("og:site_name", ""), url)
    h1 = tree.find(".//h1")
    return _SPACE.sub(" ", h1.text_content()).strip() if h1 is not None else ""


def strip_site_name(title: str, site_name: str, url: str) -> str:
    """Drop the last " - part" only when that part names the site: it equals og:site_name or
    it and the host name share the site's label ("Reuters" / www.reuters.com)."""
    separators = list(_TITLE_SEPARATOR.finditer(title))
    if not separators:
        return title
    head, tail = title[: separators[-1].start()].strip(), title[separators[-1].end():].strip()
    return head if head and _names_site(tail, site_name, url) else title


def _names_site(part: str, site_name: str, url: str) -> bool:
    squashed = re.sub(r"\W+", "", part).lower()
    if len(squashed) < 3:
        return False
    if site_name and squashed == re.sub(r"\W+", "", site_name).lower():
        return True
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    labels = [x for x in host.split(".") if len(x) >= 3 and x not in ("com", "org", "net", "gov")]
    return any(label in squashed or squashed in label for label in labels[:2])


def meta_values(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """<meta> content by lower-cased property / name / itemprop; the first of each wins."""
    values: dict[str, str] = {}
    for el in tree.iter("meta"):
        content = _SPACE.sub(" ", el.get("content") or "").strip()
        for attr in ("property", "name", "itemprop"):
            key = (el.get(attr) or "").strip().lower()
            if key and content:
                values.setdefault(key, content)
    return values


# --- publication date ---------------------------------------------------------------------

DATE_META = (
    "article:published_time", "og:article:published_time", "og:published_time",
    "datepublished", "pubdate", "publishdate", "publish-date", "publish_date",
    "article.published", "parsely-pub-date", "sailthru.date", "dc.date.issued",
    "dcterms.issued", "dcterms.created", "dc.date", "date",
    "citation_publication_date",
)
ARTICLE_TYPES = ("article", "posting", "news", "report", "webpage")


def published_date(tree: lxml.html.HtmlElement, url: str = "",
                   zone: tzinfo = UTC) -> tuple[datetime | None, str]:
    """The publication date (in `zone`, see parse_date) and where it came from: "json-ld",
    "meta", "time", "htmldate"."""
    for origin, candidates in (("json-ld", _jsonld_dates(tree)), ("meta", _meta_dates(tree)),
                               ("time", _time_dates(tree)), ("htmldate", _htmldate(tree, url))):
        for value in candidates:
            parsed = parse_date(value, zone=zone)
            if parsed:
                return parsed, origin
    return None, ""


def _jsonld_dates(tree: lxml.html.HtmlElement) -> Iterator[str]:
    found: list[tuple[int, str]] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "", strict=False)
        except (ValueError, RecursionError):
            continue
        for node in _walk_json(data):
            value = node.get("datePublished") or node.get("dateCreated")
            if isinstance(value, str):
                kind = str(node.get("@type", "")).lower()
                found.append((0 if any(t in kind for t in ARTICLE_TYPES) else 1, value))
    yield from (value for _, value in sorted(found, key=lambda pair: pair[0]))


def _walk_json(data: object, depth: int = 0) -> Iterator[dict]:
    if depth > 8:
        return
    if isinstance(data, dict):
        yield data
        for value in data.values():
            if isinstance(value, (dict, list)):
                yield from _walk_json(value, depth + 1)
    elif isinstance(data, list):
        for item in data[:200]:
            yield from _walk_json(item, depth + 1)


def _meta_dates(tree: lxml.html.HtmlElement) -> Iterator[str]:
    meta = meta_values(tree)
    yield from (meta[name] for name in DATE_META if name in meta)
    for el in tree.xpath("//*[@itemprop='datePublished'][not(self::meta)]")[:3]:
        yield el.get("datetime") or el.get("content") or el.text_content()


def _time_dates(tree: lxml.html.HtmlElement) -> Iterator[str]:
    in_article = tree.xpath("//article//time[@datetime] | //time[@pubdate][@datetime]")
    for el in (in_article or tree.xpath("//time[@datetime]"))[:5]:
        yield el.get("datetime", "")


def _htmldate(tree: lxml.html.HtmlElement, url: str) -> Iterator[str]:
    # Given a tree (never a string, which htmldate would fetch if it looked like a URL).
    from htmldate import find_date

    if _size(tree) > MAX_TRAFILATURA_ELEMENTS:
        return
    try:
        with LIBRARY_LOCK:
            found = find_date(_copy(tree), extensive_search=False, original_date=True,
                              outputformat="%Y-%m-%d", url=url or None)
    except Exception:
        log.debug("htmldate failed on %s", url, exc_info=True)
        return
    if found:
        yield found


def parse_date(value: str, now: datetime | None = None,
               zone: tzinfo = UTC) -> datetime | None:
    """A date string (ISO 8601, RFC 822, "Nov 19, 2019", epoch seconds or milliseconds) ->
    aware datetime in `zone`, the source's, in which a time written without one is read (a
    date alone is midnight there). None when unparseable, without a year, before 1900 or more
    than a day in the future."""
    return read_date(value or "", zone, now=now)
