"""Ingest local files: feeds, saved article pages and JSON Lines, through the same pipeline
as fetched ones. One bad file is reported and skipped; the others still go in."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from urllib.parse import urlsplit

import sqlite_utils
from bs4 import BeautifulSoup, SoupStrainer

from .collect.dates import read_date, zone_named
from .collect.extract import extract_article
from .collect.feeds import parse_feed
from .config import Config
from .errors import TrackerError
from .models import Entry, Source
from .pipeline import RunCounts, process_entries
from .sources import load_sources

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


Sources = Mapping[str, Source]  # the configured sources, by name


def configured(config: Config) -> Sources:
    return {source.name: source for source in load_sources(config)}


def local_source(name: str, sources: Sources | None = None) -> Source:
    """The source files are stored under: a configured one keeps its settings (its time zone
    above all: a file is read as its fetches are), and none of them fetches pages."""
    known = (sources or {}).get(name)
    if known is not None:
        return replace(known, full_text=True)
    return Source(name=name, kind="feed", url="", full_text=True)


def zone_of(name: str, sources: Sources | None) -> tzinfo:
    return zone_named(local_source(name, sources).timezone)


Entries = tuple[list[Entry], str | None]  # entries and a warning


def entries_from(path: Path, data: bytes, source_name: str | None,
                 sources: Sources | None = None) -> Entries:
    kind = kind_of(path)
    stem = path.name.split(".")[0]
    if kind == "feed":
        result = parse_feed(data, local_source(source_name or stem, sources))
        return result.entries, result.warning
    if kind == "page":
        return page_entries(path, data, source_name, sources)
    if kind == "jsonl":
        return jsonl_entries(path, data, source_name, sources)
    raise BadInput(f"{path}: unsupported file type",
                   hint="Use .xml/.rss/.atom/.rdf feeds, .html pages or .jsonl (optionally .gz).")


def page_entries(path: Path, data: bytes, source_name: str | None,
                 sources: Sources | None) -> Entries:
    url, site = page_meta(data)
    name = source_name or site or "local"
    article = extract_article(data, path.resolve().as_uri(), zone=zone_of(name, sources))
    if not article.text.strip():
        raise BadInput(f"{path}: no article text found in the page",
                       hint="Is it an article page? Save the page as HTML and try again.")
    return [Entry(url=url or path.resolve().as_uri(), source=name, title=article.title,
                  content=article.text, published=article.published)], None


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


def jsonl_entries(path: Path, data: bytes, source_name: str | None,
                  sources: Sources | None = None) -> Entries:
    entries, bad = [], []
    for number, line in enumerate(data.decode("utf-8", errors="replace").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entries.append(jsonl_entry(json.loads(line), source_name, sources))
        except (ValueError, TypeError, KeyError, OverflowError) as exc:
            bad.append(f"line {number}: {exc}")
    if bad and not entries:
        raise BadInput(f"{path}: no valid line; " + "; ".join(bad[:3]),
                       hint="Each line is a JSON object with url, title, text, "
                            "and optionally published and source.")
    return entries, ("skipped " + "; ".join(bad[:5])) if bad else None


def jsonl_entry(obj: dict, source_name: str | None, sources: Sources | None = None) -> Entry:
    if not isinstance(obj, dict):
        raise TypeError("not a JSON object")
    missing = [k for k in ("url", "title", "text") if not isinstance(obj.get(k), str)]
    if missing:
        raise KeyError(f"missing or non-text field(s): {', '.join(missing)}")
    published = obj.get("published")
    source = obj.get("source") or source_name or "local"
    return Entry(url=obj["url"], source=source, title=obj["title"], content=obj["text"],
                 published=parse_date(published, zone_of(source, sources)) if published else None,
                 guid=obj.get("guid"))


def parse_date(value: str, zone: tzinfo = UTC) -> datetime:
    """A line's `published`, read as fetched dates are (a time without a zone is in `zone`);
    ValueError, which reports the line, when it is no date a fetch would keep."""
    parsed = read_date(str(value), zone)
    if parsed is None:
        raise ValueError(f"published {value!r} is not a date with a year, from 1900 to tomorrow")
    return parsed


def ingest_file(db: sqlite_utils.Database, config: Config, path: Path, tagger=None,
                source_name: str | None = None, sources: Sources | None = None) -> FileResult:
    result = FileResult(path)
    sources = configured(config) if sources is None else sources
    try:
        entries, result.warning = entries_from(path, read_bytes(path), source_name, sources)
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
            result.counts += process_entries(db, config, local_source(name, sources),
                                             group[start:start + CHUNK], tagger=tagger)
    return result


def ingest_paths(db: sqlite_utils.Database, config: Config, paths: list[Path], tagger=None,
                 source_name: str | None = None) -> list[FileResult]:
    results = []
    sources = configured(config)
    for path in expand(paths):
        if not path.exists():
            results.append(FileResult(path, error=f"{path}: no such file"))
            continue
        results.append(ingest_file(db, config, path, tagger, source_name, sources))
    return results
