"""Feed bytes -> entries, with feedparser. Ill-formed feeds keep what parsed, with a warning."""

from __future__ import annotations

import calendar
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

import feedparser

from ..errors import TrackerError
from ..models import Entry, Source
from .dates import has_date, localize, plausible, read_date, zone_named
from .extract import html_to_text

HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*(<!doctype\s+html|<html)", re.IGNORECASE | re.DOTALL)


# Raised for how a feed was served or declared, not for anything wrong in its entries.
HARMLESS = (feedparser.NonXMLContentType, feedparser.CharacterEncodingOverride)


class NotAFeed(TrackerError):
    exit_code = 1


@dataclass
class FeedResult:
    entries: list[Entry]
    warning: str | None = None
    title: str = ""


def parse_feed(data: bytes, source: Source, base_url: str | None = None,
               content_type: str | None = None) -> FeedResult:
    headers = {"content-location": base_url} if base_url else {}
    if content_type:
        headers["content-type"] = content_type
    # We keep text only, so feedparser's HTML sanitiser (a third of its time) buys nothing.
    parsed = feedparser.parse(data, response_headers=headers, sanitize_html=False)
    zone = zone_named(source.timezone)
    entries = [e for e in (_entry(raw, source, zone) for raw in parsed.entries) if e is not None]
    if not entries and not parsed.get("version"):
        if HTML_START.match(data[:2048]):
            raise NotAFeed(f"{source.name}: got an HTML page where a feed was expected",
                           hint='Check the source URL, or declare it as kind = "page" '
                                'with selectors.')
        if parsed.bozo:
            raise NotAFeed(f"{source.name}: not a feed: {_reason(parsed)}")
    warning = None
    if parsed.bozo and not isinstance(parsed.get("bozo_exception"), HARMLESS):
        warning = f"ill-formed feed, kept {len(entries)} entries: {_reason(parsed)}"
    elif not entries:
        warning = "feed has no entries"
    return FeedResult(entries, warning, html_to_text(parsed.feed.get("title", "")))


def _reason(parsed: feedparser.FeedParserDict) -> str:
    exc = parsed.get("bozo_exception")
    return (str(exc) or type(exc).__name__)[:200] if exc else "unknown parse error"


def _entry(raw: feedparser.FeedParserDict, source: Source, zone: tzinfo) -> Entry | None:
    guid = (raw.get("id") or "").strip() or None
    link = (raw.get("link") or "").strip()
    if not link:
        if not guid:
            return None
        is_url = guid.startswith(("http://", "https://"))
        link = guid if is_url else f"urn:tracker:{source.name}:{guid}"
    content = max((c.get("value", "") for c in raw.get("content", [])), key=len, default="")
    return Entry(
        url=link,
        source=source.name,
        title=html_to_text(raw.get("title", "")),
        summary=html_to_text(raw.get("summary", "")),
        content=html_to_text(content),
        published=_date(raw, zone),
        guid=guid,
    )


def _date(raw: feedparser.FeedParserDict, zone: tzinfo) -> datetime | None:
    for key in ("published", "updated", "created"):
        text = raw.get(key)
        text = text.strip() if isinstance(text, str) else ""
        value = read_date(text, zone) if text else None
        if value is None and not (text and has_date(text)):
            value = plausible(_feedparser_date(raw.get(f"{key}_parsed")))
        if value is not None:
            return localize(value, zone)
    return None


def _feedparser_date(value: time.struct_time | None) -> datetime | None:
    # feedparser gives UTC when the string had a zone but the bare wall time labelled UTC
    # when it had none (and 2021-11-01 for "2021年5月24日"), so it only reads what dateutil
    # cannot: RFC 822 with Greek or Korean names, which carry their zone.
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (OverflowError, ValueError, OSError):
        return None
