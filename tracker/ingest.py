"""Ingest local files: feeds, saved article pages and JSON Lines, through the same pipeline
as fetched ones. One bad file is reported and skipped; the others still go in."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import sqlite_utils
from bs4 import BeautifulSoup, SoupStrainer
from dateutil import parser as dateparser

from .collect.extract import extract_article
from .collect.feeds import parse_feed
from .config import Config
from .errors import TrackerError
from .models import Entry, Source
from .pipeline import RunCounts, process_entries

FEED_SUFFIXES = {".xml", ".rss", ".atom", ".rdf", ".feed"}
PAGE_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED = FEED_SUFFIXES | PAGE_SUFFIXES | JSONL_SUFFIXES
CHUNK = 500  # entries tagged and stored together


class BadInput(TrackerError):
    exit_code = 1


@dataclass
class FileResult:
    path: Path
    counts: RunCounts = field(default_factory=RunCounts)
    error: str | None = None
    warning: str | None = None


def kind_of(path: Path) -> str | None:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    last = suffixes[-1] if suffixes else ""
    kinds = {"feed": FEED_SUFFIXES, "page": PAGE_SUFFIXES, "jsonl": JSONL_SUFFIXES}
    return next((kind for kind, known in kinds.items() if last in known), None)


def expand(paths: list[Path]) -> Iterator[Path]:
    """Files as given; folders walked for supported files, in name order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and kind_of(p))
        else:
            yield path


def read_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix.lower() == ".gz" else data


def local_source(name: str, kind: str = "feed") -> Source:
    return Source(name=name, kind=kind, url="", full_text=True)


Entries = tuple[list[Entry], str | None]  # entries and a warning


def entries_from(path: Path, data: bytes, source_name: str | None) -> Entries:
    kind = kind_of(path)
    stem = path.name.split(".")[0]
    if kind == "feed":
        result = parse_feed(data, local_source(source_name or stem))
        return result.entries, result.warning
    if kind == "page":
        article = extract_article(data, path.resolve().as_uri())
        if not article.text.strip():
            raise BadInput(f"{path}: no article text found in the page",
                           hint="Is it an article page? Save the page as HTML and try again.")
        url, site = page_meta(data)
        return [Entry(url=url or path.resolve().as_uri(), source=source_name or site or "local",
                      title=article.title,
                      content=article.text, published=article.published)], None
    if kind == "jsonl":
        return jsonl_entries(path, data, source_name)
    raise BadInput(f"{path}: unsupported file type",
                   hint="Use .xml/.rss/.atom/.rdf feeds, .html pages or .jsonl (optionally .gz).")


def page_meta(data: bytes) -> tuple[str | None, str | None]:
    """The URL a saved page declares for itself (canonical link, else og:url) and its site:
    og:site_name, else the URL's host."""
    head = BeautifulSoup(data[:200_000], "lxml", parse_only=SoupStrainer(["link", "meta"]))
    url = None
    for tag in head.find_all("link", rel="canonical") + head.find_all("meta", property="og:url"):
        value = (tag.get("href") or tag.get("content") or "").strip()
        if value.startswith(("http://", "https://")):
            url = value
            break
    site = head.find("meta", property="og:site_name")
    name = (site.get("content") or "").strip() if site else ""
    return url, name or (urlsplit(url).hostname if url else None)


def jsonl_entries(path: Path, data: bytes, source_name: str | None) -> Entries:
    entries, bad = [], []
    for number, line in enumerate(data.decode("utf-8", errors="replace").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entries.append(jsonl_entry(json.loads(line), source_name))
        except (ValueError, TypeError, KeyError, OverflowError) as exc:
            bad.append(f"line {number}: {exc}")
    if bad and not entries:
        raise BadInput(f"{path}: no valid line; " + "; ".join(bad[:3]),
                       hint="Each line is a JSON object with url, title, text, "
                            "and optionally published and source.")
    return entries, ("skipped " + "; ".join(bad[:5])) if bad else None


def jsonl_entry(obj: dict, source_name: str | None) -> Entry:
    if not isinstance(obj, dict):
        raise TypeError("not a JSON object")
    missing = [k for k in ("url", "title", "text") if not isinstance(obj.get(k), str)]
    if missing:
        raise KeyError(f"missing or non-text field(s): {', '.join(missing)}")
    published = obj.get("published")
    return Entry(url=obj["url"], source=obj.get("source") or source_name or "local",
                 title=obj["title"], content=obj["text"],
                 published=parse_date(published) if published else None, guid=obj.get("guid"))


def parse_date(value: str) -> datetime:
    try:
        parsed = dateparser.isoparse(value)
    except ValueError:
        parsed = dateparser.parse(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def ingest_file(db: sqlite_utils.Database, config: Config, path: Path, tagger=None,
                source_name: str | None = None) -> FileResult:
    result = FileResult(path)
    try:
        entries, result.warning = entries_from(path, read_bytes(path), source_name)
    except TrackerError as exc:
        result.error = str(exc)
        return result
    except (OSError, EOFError, gzip.BadGzipFile, ValueError, OverflowError) as exc:
        result.error = f"{path}: cannot read: {exc}"
        return result
    by_source: dict[str, list[Entry]] = {}
    for entry in entries:
        by_source.setdefault(entry.source, []).append(entry)
    for name, group in by_source.items():
        # in chunks: memory stays flat and a crash keeps every chunk stored before it
        for start in range(0, len(group), CHUNK):
            result.counts += process_entries(db, config, local_source(name),
                                             group[start:start + CHUNK], tagger=tagger)
    return result


def ingest_paths(db: sqlite_utils.Database, config: Config, paths: list[Path], tagger=None,
                 source_name: str | None = None) -> list[FileResult]:
    results = []
    for path in expand(paths):
        if not path.exists():
            results.append(FileResult(path, error=f"{path}: no such file"))
            continue
        results.append(ingest_file(db, config, path, tagger, source_name))
    return results
