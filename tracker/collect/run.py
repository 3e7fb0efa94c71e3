"""One collection run: fetch sources concurrently, store in the calling thread.

Threads only do HTTP and parsing; every database write happens in the thread that called
`fetch_sources`, on its one SQLite connection. Sources are grouped by host so one slow or
politeness-delayed host holds one worker, not all of them.
"""

from __future__ import annotations

import dataclasses
import logging
import queue
import re
import sqlite3
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import sqlite_utils

from ..config import Config
from ..errors import ConfigError, TrackerError
from ..models import Entry, Source
from ..sources import load_sources, rhythm_days, sync_sources
from ..store.db import db_file, now_iso, transaction
from .dates import zone_named
from .http import Fetcher, FetchError, Response, host_key

if TYPE_CHECKING:
    from ..nlp import Tagger

__all__ = ["SourceResult", "CheckResult", "fetch_sources", "fetch_one", "check_sources",
           "select_sources", "fetch_and_parse"]

log = logging.getLogger(__name__)
# reasons that say "the site did not answer" rather than "the site answered wrongly"
PREFETCH_MAX = 200  # article pages fetched ahead per source; the rest are fetched when stored
UNREACHABLE = {"connection", "timeout", "retry-after-too-long"}


@dataclass
class SourceResult:
    name: str
    new: int = 0
    duplicate: int = 0
    pending: int = 0  # stored with the feed's text; the article page is retried later
    recovered: int = 0  # earlier pending documents whose article page came through now
    unchanged: bool = False  # 304 Not Modified: nothing parsed
    failed: bool = False
    reason: str | None = None  # short category: timeout, http-404, not-a-feed, ...
    error: str | None = None
    warning: str | None = None
    status: str = ""  # the source's status after this run: ok | failing | broken
    elapsed: float = 0.0


@dataclass
class _Fetched:
    """What a worker thread hands to the storing thread for one source."""

    source: Source
    response: Response | None = None
    entries: list[Entry] = dataclasses.field(default_factory=list)
    warning: str | None = None
    reason: str | None = None
    error: str | None = None
    elapsed: float = 0.0
    # article pages fetched ahead by the worker: canonical URL -> (final URL, bytes) or error
    pages: dict[str, tuple[str, bytes] | FetchError] = dataclasses.field(default_factory=dict)


# --- selecting sources ----------------------------------------------------------------------


def select_sources(config: Config, names: list[str] | None = None) -> tuple[list[Source],
                                                                            list[Source]]:
    """(all configured sources, the ones to fetch): every enabled one, or those named."""
    everything = load_sources(config)
    if not names:
        return everything, [s for s in everything if s.enabled]
    by_name = {s.name: s for s in everything}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise ConfigError(f"unknown source {unknown[0]!r}",
                          hint="Run `tracker sources list` for the configured names.")
    return everything, [by_name[n] for n in dict.fromkeys(names)]


# --- fetching (worker threads) ----------------------------------------------------------------


def fetch_and_parse(fetcher: Fetcher, source: Source, etag: str | None = None,
                    last_modified: str | None = None) -> _Fetched:
    """Fetch one source and parse it into entries; every failure becomes a reason, not a raise."""
    started = time.monotonic()
    out = _Fetched(source)
    try:
        out.response = fetcher.get(source.url, etag, last_modified)
        if not out.response.not_modified:
            out.entries, out.warning = parse_response(out.response, source)
    except FetchError as exc:
        out.reason, out.error = exc.reason, exc.message
    except TrackerError as exc:
        out.reason, out.error = _reason_of(exc), _message(exc, source)
    except Exception as exc:  # a parser bug must not stop the other sources
        log.exception("source %s: unexpected error while parsing", source.name)
        out.reason, out.error = "internal", f"{type(exc).__name__}: {exc}"
    out.elapsed = time.monotonic() - started
    return out


def parse_response(response: Response, source: Source) -> tuple[list[Entry], str | None]:
    notes = list(response.notes)
    if source.kind == "feed":
        from .feeds import parse_feed

        result = parse_feed(feed_bytes(response), source, base_url=response.url)
        entries = result.entries
        notes += [result.warning] if result.warning else []
    else:
        from .pages import parse_listing

        entries = parse_listing(response.text, response.url, source)
        if not entries:
            raise _NoItems(f"selectors.item {source.selectors.item if source.selectors else ''!r}"
                           " matched no item with a link on the page")
    return entries, "; ".join(notes) or None


_XML_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*)["']?[\w.:-]+["']?""", re.I)


def feed_bytes(response: Response) -> bytes:
    """The feed as UTF-8 bytes saying so. feedparser trusts a feed's own declaration and reads
    a GBK feed declared UTF-8 (or undeclared) as windows-1252; decode_body does not."""
    declared = _XML_ENCODING.match(response.text[:500])
    if response.encoding == "utf-8" and (not declared or "utf-8" in declared.group(0).lower()):
        return response.content
    text = _XML_ENCODING.sub(r'\1"utf-8"', response.text, count=1)
    return text.encode("utf-8")


class _NoItems(TrackerError):
    """A listing page whose selectors match nothing: the site changed its markup."""


def _message(exc: TrackerError, source: Source) -> str:
    """The first line, without the source's name: reports already put it in front."""
    return str(exc).split("\n")[0].removeprefix(f"{source.name}: ")


def _reason_of(exc: TrackerError) -> str:
    if isinstance(exc, _NoItems):
        return "no-items"
    return "not-a-feed" if type(exc).__name__ == "NotAFeed" else "parse"


def _by_host(sources: list[Source]) -> list[list[Source]]:
    groups: dict[str, list[Source]] = defaultdict(list)
    for source in sources:
        groups[host_key(source.url)].append(source)
    return list(groups.values())


def _fetch_all(fetcher: Fetcher, sources: list[Source],
               validators: dict[str, tuple[str | None, str | None]],
               workers: int, db_file: str | None = None) -> Iterator[_Fetched]:
    """Yield each source's fetch as it completes; hosts are fetched `workers` at a time.
    With `db_file`, workers also fetch the article pages of entries not yet stored, so pages
    on different hosts arrive in parallel while the calling thread stores."""
    done: queue.Queue[_Fetched] = queue.Queue()

    def work(group: list[Source]) -> None:
        reader = _reader(db_file)
        left = list(group)
        try:
            while left:
                fetched = fetch_and_parse(fetcher, left[0],
                                          *validators.get(left[0].name, (None, None)))
                if reader is not None:
                    _prefetch(fetcher, reader, fetched)
                done.put(fetched)
                left.pop(0)
        finally:  # even on a BaseException, the caller gets one result per source
            for source in left:
                done.put(_Fetched(source, reason="internal", error="fetch worker stopped"))
            if reader is not None:
                reader.close()

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fetch") as pool:
        for group in _by_host(sources):
            pool.submit(work, group)
        for _ in sources:
            yield done.get()


def _reader(db_file: str | None) -> sqlite3.Connection | None:
    """A read-only connection for a worker: WAL lets it read while the caller writes."""
    if not db_file:
        return None
    try:
        return sqlite3.connect(f"file:{db_file}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error:
        return None  # no prefetch: the storing thread fetches pages itself


def _prefetch(fetcher: Fetcher, reader: sqlite3.Connection, fetched: _Fetched) -> None:
    from ..dedupe import canonical_url

    if fetched.source.full_text or not fetched.entries:
        return
    urls = list(dict.fromkeys(canonical_url(e.url)
                              for e in fetched.entries if e.url.startswith(("http:", "https:"))))
    try:
        marks = ",".join("?" * len(urls))
        known = {r[0] for r in reader.execute(
            f"SELECT url FROM documents WHERE url IN ({marks})", urls)}
    except sqlite3.Error:
        return
    for url in [u for u in urls if u not in known][:PREFETCH_MAX]:
        try:
            response = fetcher.get(url)
            fetched.pages[url] = (response.url, response.content)
        except FetchError as exc:
            fetched.pages[url] = exc


# --- storing (calling thread) -----------------------------------------------------------------


def fetch_sources(db: sqlite_utils.Database, config: Config, names: list[str] | None = None,
                  tagger: Tagger | None = None) -> list[SourceResult]:
    """Fetch the enabled (or named) sources once through the whole way; one result each."""
    everything, sources = select_sources(config, names)
    sync_sources(db, everything)
    validators = {s.name: _validators(db, s.url) for s in sources}
    results: dict[str, SourceResult] = {}
    with Fetcher(config) as fetcher:
        for fetched in _fetch_all(fetcher, sources, validators, config["http.concurrency"],
                                  db_file(db) or None):
            results[fetched.source.name] = _store(db, config, fetched, fetcher, tagger)
    return [results[s.name] for s in sources]


def fetch_one(db: sqlite_utils.Database, config: Config, fetcher: Fetcher, source: Source,
              tagger: Tagger | None = None) -> SourceResult:
    """One source through the whole way with a caller's (shared, long-lived) Fetcher: what a
    scheduler job calls. The sources row must exist (sync_sources)."""
    fetched = fetch_and_parse(fetcher, source, *_validators(db, source.url))
    return _store(db, config, fetched, fetcher, tagger)


def _validators(db: sqlite_utils.Database, url: str) -> tuple[str | None, str | None]:
    row = db.execute("SELECT etag, last_modified FROM http_cache WHERE url = ?", [url]).fetchone()
    return (row[0], row[1]) if row else (None, None)


def _store(db: sqlite_utils.Database, config: Config, fetched: _Fetched, fetcher: Fetcher,
           tagger: Tagger | None) -> SourceResult:
    source = fetched.source
    result = SourceResult(source.name, warning=fetched.warning)
    started = time.monotonic()
    if fetched.error:
        result.failed, result.reason, result.error = True, fetched.reason, fetched.error
    elif fetched.response and fetched.response.not_modified:
        result.unchanged = True
    else:
        try:
            _process(db, config, fetched, fetcher, tagger, result)
        except Exception as exc:  # one failing source never stops the others
            log.exception("source %s: storing failed", source.name)
            result.failed, result.reason = True, "store"
            result.error = f"{type(exc).__name__}: {exc}".split("\n")[0]
    result.elapsed = fetched.elapsed + time.monotonic() - started
    result.status = _record(db, config, source, result)
    return result


def _process(db: sqlite_utils.Database, config: Config, fetched: _Fetched, fetcher: Fetcher,
             tagger: Tagger | None, result: SourceResult) -> None:
    from ..pipeline import process_entries, retry_pending

    def fetch_page(url: str) -> tuple[str, bytes]:
        ahead = fetched.pages.pop(url, None)
        if isinstance(ahead, FetchError):
            raise ahead
        if ahead is not None:
            return ahead
        response = fetcher.get(url)
        return response.url, response.content

    source, response = fetched.source, fetched.response
    assert response is not None
    counts = process_entries(db, config, source, fetched.entries, fetch_page=fetch_page,
                             tagger=tagger)
    result.new, result.duplicate, result.pending = counts.new, counts.duplicate, counts.pending
    result.recovered = retry_pending(db, config, fetch_page, tagger, source).new
    # only now are the documents committed: a crash before this line refetches the feed
    with transaction(db):
        db.execute("INSERT INTO http_cache (url, etag, last_modified, checked_at) "
                   "VALUES (?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, "
                   "last_modified = excluded.last_modified, checked_at = excluded.checked_at",
                   [source.url, response.etag, response.last_modified, now_iso()])


def _record(db: sqlite_utils.Database, config: Config, source: Source,
            result: SourceResult) -> str:
    """Update the source's row; return its status."""
    now = now_iso()
    with transaction(db):
        if not result.failed:
            db.execute("UPDATE sources SET last_fetch_at = ?, last_success_at = ?, "
                       "last_error = NULL, last_warning = ?, consecutive_failures = 0, "
                       "status = 'ok', last_new_at = CASE WHEN ? > 0 THEN ? ELSE last_new_at END "
                       "WHERE name = ?",
                       [now, now, result.warning, result.new, now, source.name])
            return "ok"
        row = db.execute("SELECT consecutive_failures FROM sources WHERE name = ?",
                         [source.name]).fetchone()
        failures = (row[0] if row else 0) + 1
        status = "broken" if failures >= config["health.broken_after"] else "failing"
        db.execute("UPDATE sources SET last_fetch_at = ?, last_error = ?, "
                   "consecutive_failures = ?, status = ? WHERE name = ?",
                   [now, f"{result.reason}: {result.error}", failures, status, source.name])
        return status


# --- health check -----------------------------------------------------------------------------


@dataclass
class CheckResult:
    name: str
    verdict: str  # ok | quiet | unreachable | broken
    detail: str
    entries: int = 0
    newest: datetime | None = None


def check_sources(db: sqlite_utils.Database, config: Config,
                  names: list[str] | None = None) -> list[CheckResult]:
    """Fetch each source once (no retries, nothing stored) and judge its health."""
    _, sources = select_sources(config, names)
    once = dataclasses.replace(config, values={**config.values, "http.retries": 0})
    # the source's own dates say whether it published; when it gives none, our last find does
    known = {r[0]: r[1] for r in db.execute(
        "SELECT s.name, coalesce((SELECT max(published_at) FROM documents d "
        "WHERE d.source = s.name), s.last_new_at) FROM sources s")}
    results: dict[str, CheckResult] = {}
    with Fetcher(once) as fetcher:
        for fetched in _fetch_all(fetcher, sources, {}, config["http.concurrency"]):
            results[fetched.source.name] = _verdict(fetched, known.get(fetched.source.name))
    return [results[s.name] for s in sources]


def _verdict(fetched: _Fetched, newest_known: str | None) -> CheckResult:
    name = fetched.source.name
    if fetched.error:
        verdict = "unreachable" if fetched.reason in UNREACHABLE or (
            fetched.reason or "").startswith(("http-5", "http-429")) else "broken"
        return CheckResult(name, verdict, f"{fetched.reason}: {fetched.error}")
    dates = [_aware(e.published) for e in fetched.entries if e.published]
    if newest_known:
        dates.append(_aware(datetime.fromisoformat(newest_known)))
    # the source's own calendar day, whether the newest came from this fetch or from the store
    newest = max(dates, default=None)
    newest = newest.astimezone(zone_named(fetched.source.timezone)) if newest else None
    days = rhythm_days(fetched.source.rhythm)
    detail = f"{len(fetched.entries)} entries"
    if not fetched.entries:
        return CheckResult(name, "quiet", "no entries" + _note(fetched.warning), 0)
    if newest and newest < datetime.now(UTC) - timedelta(days=days):
        return CheckResult(name, "quiet", f"{detail}, newest {newest:%Y-%m-%d}, expected "
                           f"{fetched.source.rhythm}" + _note(fetched.warning),
                           len(fetched.entries), newest)
    when = f", newest {newest:%Y-%m-%d}" if newest else ""
    return CheckResult(name, "ok", detail + when + _note(fetched.warning),
                       len(fetched.entries), newest)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _note(warning: str | None) -> str:
    return f" ({warning})" if warning else ""
