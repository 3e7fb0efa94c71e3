"""Listing pages -> entries, with BeautifulSoup and the source's CSS selectors."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urldefrag, urljoin

from bs4 import BeautifulSoup, Tag
from dateutil import parser as dateparser

from ..models import Entry, PageSelectors, Source

__all__ = ["parse_listing", "parse_date"]

# 2021-05-24, 2021/5/24, 2021.05.24 and 2021年5月24日 (Chinese sites in English keep these)
_YMD = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "data:")


def parse_listing(html_text: str, base_url: str, source: Source) -> list[Entry]:
    """One entry per item matched by selectors.item that has a link; in page order, no repeats."""
    selectors = source.selectors or PageSelectors(item="a")
    soup = BeautifulSoup(html_text, "lxml")
    base = _base(soup, base_url)
    entries: list[Entry] = []
    seen: set[str] = set()
    for item in soup.select(selectors.item):
        entry = _entry(item, selectors, base, source.name)
        if entry and entry.url not in seen:
            seen.add(entry.url)
            entries.append(entry)
    return entries


def _base(soup: BeautifulSoup, base_url: str) -> str:
    tag = soup.find("base", href=True)
    return urljoin(base_url, str(tag["href"])) if isinstance(tag, Tag) else base_url


def _entry(item: Tag, selectors: PageSelectors, base: str, source: str) -> Entry | None:
    link = _link(item, selectors.link)
    if link is None:
        return None
    href = str(link.get("href", "")).strip()
    if not href or href.startswith("#") or href.lower().startswith(_SKIP_SCHEMES):
        return None
    url = urldefrag(urljoin(base, href)).url
    title = _text(item, selectors.title) if selectors.title else ""
    return Entry(url=url, source=source, title=title or link.get_text(" ", strip=True),
                 published=_date(item, selectors.date))


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


def _date(item: Tag, selector: str | None) -> datetime | None:
    if not selector:
        return None
    found = item.select_one(selector)
    if found is None:
        return None
    for value in (found.get("datetime"), found.get("content"), found.get_text(" ", strip=True)):
        parsed = parse_date(str(value)) if value else None
        if parsed:
            return parsed
    return None


def parse_date(text: str) -> datetime | None:
    """A date from listing-page text, tolerant of surrounding words; UTC when no zone given."""
    text = text.strip().strip("[]()")
    match = _YMD.search(text)
    try:
        if match:
            year, month, day = (int(g) for g in match.groups())
            value = datetime(year, month, day)
        else:
            value = dateparser.parse(text, fuzzy=True, default=datetime(1900, 1, 1))
    except (ValueError, OverflowError, TypeError):
        return None
    if value is None or value.year < 1990:  # the default year: no year in the text at all
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)
