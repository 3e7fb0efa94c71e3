"""Listing pages -> entries, with BeautifulSoup and the source's CSS selectors."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from urllib.parse import urldefrag, urljoin

from bs4 import BeautifulSoup, Tag

from ..models import Entry, PageSelectors, Source
from .dates import read_date, zone_named

__all__ = ["parse_listing", "parse_date"]

_SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "data:")


def parse_listing(html_text: str, base_url: str, source: Source) -> list[Entry]:
    """One entry per item matched by selectors.item that has a link; in page order, no repeats."""
    selectors = source.selectors or PageSelectors(item="a")
    soup = BeautifulSoup(html_text, "lxml")
    base = _base(soup, base_url)
    entries: list[Entry] = []
    seen: set[str] = set()
    zone = zone_named(source.timezone)
    for item in soup.select(selectors.item):
        entry = _entry(item, selectors, base, source.name, zone)
        if entry and entry.url not in seen:
            seen.add(entry.url)
            entries.append(entry)
    return entries


def _base(soup: BeautifulSoup, base_url: str) -> str:
    tag = soup.find("base", href=True)
    return urljoin(base_url, str(tag["href"])) if isinstance(tag, Tag) else base_url


def _entry(item: Tag, selectors: PageSelectors, base: str, source: str,
           zone: tzinfo) -> Entry | None:
    link = _link(item, selectors.link)
    if link is None:
        return None
    href = str(link.get("href", "")).strip()
    if not href or href.startswith("#") or href.lower().startswith(_SKIP_SCHEMES):
        return None
    url = urldefrag(urljoin(base, href)).url
    title = _text(item, selectors.title) if selectors.title else ""
    return Entry(url=url, source=source, title=title or link.get_text(" ", strip=True),
                 published=_date(item, selectors.date, zone))


def _link(item: Tag, selector: str) -> Tag | None:
    found = item.select_one(selector)
    if found is not None and not found.get("href"):
        found = found.find("a", href=True)  # the selector named the heading around the link
    if found is None and item.name == "a" and item.get("href"):
        found = item  # the item is itself the link
    return found if isinstance(found, Tag) and found.get("href") else None


def _text(item: Tag, selector: str) -> str:
    found = item.select_one(selector)
    return " ".join(found.get_text(" ", strip=True).split()) if found else ""


def _date(item: Tag, selector: str | None, zone: tzinfo) -> datetime | None:
    if not selector:
        return None
    found = item.select_one(selector)
    if found is None:
        return None
    for value in (found.get("datetime"), found.get("content"), found.get_text(" ", strip=True)):
        parsed = parse_date(str(value), zone) if value else None
        if parsed:
            return parsed
    return None


def parse_date(text: str, zone: tzinfo = UTC, now: datetime | None = None) -> datetime | None:
    """A date from listing-page text, tolerant of surrounding words, in `zone` (the source's),
    where a time written without a zone is read; a date alone is midnight there. None without
    a year ("June 3": better none than a wrong one) or when implausible."""
    return read_date(text, zone, now=now, fuzzy=True)
