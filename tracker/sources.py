"""Sources: loaded from rules/sources.toml ([[source]]) and tracker.toml ([[sources]]),
validated with file and line in every message, and mirrored into the `sources` table."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import sqlite_utils

from .collect.dates import ZoneError, zone_named
from .config import Config
from .errors import ConfigError, RuleError
from .models import PageSelectors, Source
from .store.db import transaction

__all__ = ["load_sources", "sync_sources", "parse_schedule", "rhythm_days", "Schedule"]

KEYS = {"name", "kind", "url", "schedule", "rhythm", "language", "jurisdiction", "selectors",
        "full_text", "enabled", "timezone"}
SELECTOR_KEYS = {"item", "link", "title", "date", "body"}
KINDS = ("feed", "page")
_EVERY = re.compile(r"^every\s+(\d+)\s*([mhd])$")
_UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400}
_RHYTHMS = {"daily": 1.0, "weekly": 7.0, "monthly": 31.0}
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


@dataclass(frozen=True)
class Schedule:
    """A parsed schedule: an interval in seconds, or a 5-field cron line."""

    interval: int | None = None
    cron: str | None = None


def parse_schedule(text: str) -> Schedule:
    """'every 30m' / 'every 6h' / 'every 1d', or a 5-field cron line; ValueError otherwise."""
    text = text.strip()
    match = _EVERY.match(text)
    if match:
        seconds = int(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        if seconds < 60:
            raise ValueError("an interval must be at least 1 minute")
        return Schedule(interval=seconds)
    if len(text.split()) != 5:
        raise ValueError(f"{text!r} is neither 'every <N>m|h|d' nor a 5-field cron line")
    from apscheduler.triggers.cron import CronTrigger

    CronTrigger.from_crontab(text, timezone="UTC")  # raises ValueError naming the bad field
    return Schedule(cron=text)


def rhythm_days(text: str) -> float:
    """Days within which a source is expected to publish: daily, weekly, monthly, 'every Nd'."""
    text = text.strip().lower()
    if text in _RHYTHMS:
        return _RHYTHMS[text]
    match = re.match(r"^every\s+(\d+)\s*d$", text)
    if match and int(match.group(1)) > 0:
        return float(match.group(1))
    raise ValueError(f"{text!r} is not daily, weekly, monthly or 'every <N>d'")


# --- loading ------------------------------------------------------------------------------


class _Lines:
    """Finds the line of the n-th [[table]] header, and of a key inside it, in TOML text."""

    def __init__(self, text: str, table: str):
        self.lines = text.splitlines()
        header = re.compile(r"^\s*\[\[\s*" + re.escape(table) + r"\s*\]\]")
        self.starts = [i for i, line in enumerate(self.lines) if header.match(line)]

    def table(self, index: int) -> int | None:
        return self.starts[index] + 1 if index < len(self.starts) else None

    def key(self, index: int, key: str) -> int | None:
        if index >= len(self.starts):
            return None
        end = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.lines)
        # `key = ...`, `key.sub = ...` or a `[table.key]` sub-table header
        pattern = re.compile(r"^\s*(\[\s*[\w-]+\s*\.\s*)?" + re.escape(key) + r"\s*[=.\]]")
        for i in range(self.starts[index], end):
            if pattern.match(self.lines[i]):
                return i + 1
        return self.table(index)


def sources_if_valid(config: Config, warn: Callable[[str], None]) -> list[Source]:
    """The configured sources, or none when the file does not load (said through `warn`):
    a backup, a retag or tagging itself should not need valid source rules."""
    try:
        return load_sources(config)
    except ConfigError as exc:  # a rule file or an inline [[sources]] table
        warn(str(exc))
        return []


def source_zones(config: Config, warn: Callable[[str], None]) -> dict[str, tzinfo]:
    """Each configured source's time zone (`timezone`), by name: stored times are UTC, and
    work done again on stored documents reads them in their source's zone, as fetching did
    (in UTC when sources.toml does not load)."""
    read = sources_if_valid(config, lambda why: warn(f"{why}; stored times are read in UTC"))
    return {s.name: zone_named(s.timezone) for s in read}


def load_sources(config: Config) -> list[Source]:
    """Every configured source, validated; names are unique across both files."""
    sources: list[Source] = []
    path = config.sources_file
    if path.exists():
        sources += _load_file(path, "source")
    elif config["rules.sources"]:
        raise RuleError(path, None, "sources file does not exist",
                        hint="Fix rules.sources in tracker.toml, or create the file.")
    if config.sources and config.path:
        text = Path(config.path).read_text(encoding="utf-8")
        lines = _Lines(text, "sources")
        sources += [_source(raw, config.path, i, lines) for i, raw in enumerate(config.sources)]
    _check_unique(sources)
    return sources


def _load_file(path: Path, table: str) -> list[Source]:
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise RuleError(path, int(line.group(1)) if line else None, f"not valid TOML: {exc}",
                        hint="Fix the syntax on that line.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(path, None, f"cannot read: {exc}") from None
    extra = set(data) - {table}
    if extra:
        raise RuleError(path, None, f"unknown top-level key(s): {', '.join(sorted(extra))}",
                        hint=f"Declare each source as a [[{table}]] table.")
    items = data.get(table, [])
    if not isinstance(items, list):
        raise RuleError(path, None, f"'{table}' must be written as [[{table}]] tables")
    lines = _Lines(text, table)
    return [_source(raw, path, i, lines) for i, raw in enumerate(items)]


def _source(raw: dict[str, Any], path: Path | str, index: int, lines: _Lines) -> Source:
    def fail(message: str, key: str | None = None, hint: str | None = None) -> RuleError:
        line = lines.key(index, key) if key else lines.table(index)
        return RuleError(path, line, f"source #{index + 1}"
                         f"{' ' + repr(raw.get('name')) if raw.get('name') else ''}: {message}",
                         hint=hint)

    unknown = sorted(set(raw) - KEYS)
    if unknown:
        raise fail(f"unknown key '{unknown[0]}'", unknown[0],
                   hint=f"Known keys: {', '.join(sorted(KEYS))}.")
    for key in ("name", "kind", "url"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise fail(f"'{key}' is required and must be a non-empty string", key,
                       hint=f'Add a line like {key} = "..." to this [[source]] table.')
    _check_fields(raw, fail)
    return Source(
        name=raw["name"], kind=raw["kind"], url=raw["url"].strip(),
        schedule=raw.get("schedule", Source.schedule), rhythm=raw.get("rhythm", Source.rhythm),
        language=raw.get("language", "en"), jurisdiction=raw.get("jurisdiction"),
        selectors=_selectors(raw.get("selectors"), raw["kind"], fail),
        full_text=raw.get("full_text", False), enabled=raw.get("enabled", True),
        origin=f"{path}:{lines.table(index) or '?'}", timezone=raw.get("timezone", "UTC"),
    )


def _check_fields(raw: dict[str, Any], fail: Any) -> None:
    if not _NAME.match(raw["name"]):
        raise fail(f"name {raw['name']!r} must be lower-case letters, digits, '.', '_' or '-'",
                   "name", hint='For example name = "sec-press".')
    if raw["kind"] not in KINDS:
        raise fail(f"kind {raw['kind']!r} is not feed or page", "kind",
                   hint='Use kind = "feed" for RSS/Atom, kind = "page" for a listing page.')
    parts = urlsplit(raw["url"].strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise fail(f"url {raw['url']!r} is not an http(s) URL", "url")
    for key, kind in (("full_text", bool), ("enabled", bool), ("language", str),
                      ("jurisdiction", str), ("schedule", str), ("rhythm", str),
                      ("timezone", str)):
        if key in raw and not isinstance(raw[key], kind):
            raise fail(f"'{key}' must be a {kind.__name__}", key)
    try:
        parse_schedule(raw.get("schedule", Source.schedule))
    except ValueError as exc:
        raise fail(f"bad schedule: {exc}", "schedule",
                   hint='Write schedule = "every 30m" (m, h or d) or a cron line '
                   '"0 */6 * * *".') from None
    try:
        zone_named(raw.get("timezone", "UTC"))
    except ZoneError as exc:
        raise fail(f"bad timezone: {exc}", "timezone", hint=exc.hint) from None
    try:
        rhythm_days(raw.get("rhythm", Source.rhythm))
    except ValueError as exc:
        raise fail(f"bad rhythm: {exc}", "rhythm",
                   hint='How often the source publishes: "daily", "weekly", "monthly" or '
                   '"every 3d".') from None


def _selectors(raw: Any, kind: str, fail: Any) -> PageSelectors | None:
    if raw is None:
        if kind == "page":
            raise fail("a page source needs selectors with at least 'item'", "selectors",
                       hint='Add selectors = { item = "ul.news li", link = "a", '
                       'title = "a", date = "span.date" }.')
        return None
    if not isinstance(raw, dict):
        raise fail("'selectors' must be a table", "selectors")
    unknown = sorted(set(raw) - SELECTOR_KEYS)
    if unknown:
        raise fail(f"unknown selector '{unknown[0]}'", "selectors",
                   hint=f"Known selectors: {', '.join(sorted(SELECTOR_KEYS))}.")
    if any(not isinstance(v, str) or not v.strip() for v in raw.values()):
        raise fail("every selector must be a non-empty CSS selector string", "selectors")
    if kind == "page" and "item" not in raw:
        raise fail("a page source needs selectors.item (the CSS selector of one listed item)",
                   "selectors")
    _check_css(raw, fail)
    return PageSelectors(item=raw.get("item", ""), link=raw.get("link", "a"),
                         title=raw.get("title"), date=raw.get("date"), body=raw.get("body"))


def _check_css(raw: dict[str, str], fail: Any) -> None:
    import soupsieve

    for key, css in raw.items():
        try:
            soupsieve.compile(css)
        except soupsieve.SelectorSyntaxError as exc:
            raise fail(f"selectors.{key} {css!r} is not valid CSS: {exc.args[0]}",
                       "selectors") from None


def _check_unique(sources: list[Source]) -> None:
    seen: dict[str, Source] = {}
    for source in sources:
        if source.name in seen:
            path, _, line = source.origin.rpartition(":")
            raise RuleError(path, int(line) if line.isdigit() else None,
                            f"source name {source.name!r} is already used at "
                            f"{seen[source.name].origin}",
                            hint="Give each source a unique name.")
        seen[source.name] = source


# --- the sources table --------------------------------------------------------------------


def sync_sources(db: sqlite_utils.Database, sources: list[Source]) -> None:
    """Upsert configuration columns, keep status columns; a source removed from the files
    is disabled, not deleted: its documents still name it."""
    names = [s.name for s in sources]
    with transaction(db):
        for s in sources:
            db.execute(
                "INSERT INTO sources (name, kind, url, schedule, rhythm, enabled) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, "
                "url = excluded.url, schedule = excluded.schedule, rhythm = excluded.rhythm, "
                "enabled = excluded.enabled",
                [s.name, s.kind, s.url, s.schedule, s.rhythm, int(s.enabled)],
            )
        marks = ",".join("?" * len(names))
        db.execute(f"UPDATE sources SET enabled = 0 WHERE name NOT IN ({marks})", names)
