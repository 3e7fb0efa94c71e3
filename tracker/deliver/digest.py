"""The daily digest as data: the day's events, top stories, counts and source health.

A document belongs to the day tracker first stored it (`fetched_at`, in digest.timezone).
Each document is fetched once, so each appears in exactly one digest: yesterday's news is not
repeated today, and an old article that turns up today is news to the reader today. Events
tagged as background (`is_news = 0`, "the country banned trading in 2017") are left out.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

import sqlite_utils

from ..collect.dates import ZoneError, zone_named
from ..config import Config
from ..errors import ConfigError, TrackerError
from ..query import ASSERTED
from ..sources import rhythm_days
from ..store import query as store_query

SECTIONS = ("events", "stories", "counts", "health")
# Gmail clips messages past ~100 KB: a busy type/jurisdiction shows its most reported events
MAX_PER_GROUP = 8
QUIET_FACTOR = 2.0  # a source is "quiet" after twice its rhythm without anything new
BROKEN_STATES = ("broken", "failing")
PROBLEM_ORDER = {"broken": 0, "failing": 1, "quiet": 2}


@dataclass
class EventGroup:
    type: str
    jurisdiction: str | None
    place: str  # "China (CN)", or "No jurisdiction"
    events: list[dict[str, Any]]
    more: int = 0  # events left out to keep the email short


@dataclass
class Story:
    title: str
    url: str
    source: str
    published: str | None
    events: int
    also: list[dict[str, Any]]  # other sources' documents of the story: {source, url, title}


@dataclass
class Count:
    name: str
    today: int
    previous: int

    @property
    def delta(self) -> int:
        return self.today - self.previous


@dataclass
class SourceHealth:
    name: str
    problem: str  # broken | failing | quiet
    detail: str


@dataclass
class AlertMatches:
    """A digest-delivery alert's matches of the day, folded into its recipients' digest."""

    name: str
    query: str
    events: list[dict[str, Any]]
    documents: list[dict[str, Any]]


@dataclass
class Digest:
    day: date
    timezone: str
    sections: list[str]
    groups: list[EventGroup] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    counts: list[Count] = field(default_factory=list)  # "documents", "events", then per type
    health: list[SourceHealth] = field(default_factory=list)
    alerts: list[AlertMatches] = field(default_factory=list)

    @property
    def event_count(self) -> int:
        return sum(len(g.events) + g.more for g in self.groups)


# --- the day ------------------------------------------------------------------------------


def zone(config: Config) -> tzinfo:
    try:
        return zone_named(config["digest.timezone"])
    except ZoneError as exc:
        raise ConfigError(f"digest.timezone: {exc}", hint=exc.hint) from None


def parse_day(text: str | None, config: Config, now: datetime | None = None) -> date:
    """--date: YYYY-MM-DD, 'today' or 'yesterday' (in digest.timezone); default yesterday."""
    today = (now or datetime.now(UTC)).astimezone(zone(config)).date()
    if text is None or text == "yesterday":
        return today - timedelta(days=1)
    if text == "today":
        return today
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise TrackerError(f"--date {text!r} is not a date",
                           hint="Write it as YYYY-MM-DD, 'today' or 'yesterday'.") from None


def day_bounds(day: date, config: Config) -> tuple[str, str]:
    """The day in digest.timezone as a half-open UTC interval, in the stored ISO format."""
    tz = zone(config)
    start = datetime.combine(day, time(0), tz).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tz).astimezone(UTC)
    return start.isoformat(timespec="seconds"), end.isoformat(timespec="seconds")


# --- events -------------------------------------------------------------------------------

def day_events(db: sqlite_utils.Database, start: str, end: str) -> list[dict[str, Any]]:
    """Event objects (as store.query gives them) of documents fetched in [start, end): the
    news that happened or is planned ("has no plans to ban" is listed under no ban)."""
    ids = [row[0] for row in db.execute(
        "SELECT id FROM documents WHERE fetched_at >= ? AND fetched_at < ? ORDER BY id",
        [start, end])]
    by_document = store_query.events_for_documents(db, ids)
    events = [e for doc_events in by_document.values() for e in doc_events
              if e["is_news"] and e["modality"] in ASSERTED]
    return sorted(events, key=lambda e: (e["date"] or e["document"]["published"] or "", e["id"]))


def place_names(db: sqlite_utils.Database, codes: set[str]) -> dict[str, str]:
    """ISO codes to "China (CN)" where the places registry knows the name."""
    ids = [f"place:{c}" for c in codes]
    names = {row["id"][6:]: row["name"] for row in db.query(
        "SELECT id, name FROM entities WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(ids)])}
    return {c: f"{names[c]} ({c})" if c in names else c for c in codes}


def group_events(db: sqlite_utils.Database, events: list[dict[str, Any]]) -> list[EventGroup]:
    """Types with the most events first; within a type, one group per jurisdiction."""
    buckets: dict[tuple[str, str | None], list[dict[str, Any]]] = defaultdict(list)
    for event in events:
        buckets[(event["type"], event["jurisdiction"])].append(event)
    per_type = Counter(event["type"] for event in events)
    places = place_names(db, {j for _, j in buckets if j})
    order = sorted(buckets, key=lambda k: (-per_type[k[0]], k[0], k[1] is None, k[1] or ""))
    return [_capped(EventGroup(t, j, places.get(j, "No jurisdiction") if j else "No jurisdiction",
                               buckets[(t, j)])) for t, j in order]


def _capped(group: EventGroup) -> EventGroup:
    if len(group.events) <= MAX_PER_GROUP:
        return group
    ranked = sorted(group.events, key=lambda e: (-len(e.get("also_reported_by", [])),
                                                 -e["confidence"], e["id"]))
    keep = {e["id"] for e in ranked[:MAX_PER_GROUP]}
    group.more = len(group.events) - MAX_PER_GROUP
    group.events = [e for e in group.events if e["id"] in keep]
    return group


# --- stories ------------------------------------------------------------------------------

_STORY_SQL = """
WITH today AS (
    SELECT DISTINCT coalesce(story_id, id) AS story FROM documents
    WHERE fetched_at >= ? AND fetched_at < ?
)
SELECT d.id, coalesce(d.story_id, d.id) AS story, d.url, d.title, d.source, d.published_at,
       (SELECT count(*) FROM events e WHERE e.document_id = d.id AND e.is_news = 1) AS events
FROM documents d
WHERE coalesce(d.story_id, d.id) IN (SELECT story FROM today)
ORDER BY coalesce(d.published_at, d.fetched_at), d.id
"""


def top_stories(db: sqlite_utils.Database, start: str, end: str, limit: int) -> list[Story]:
    """Stories with a document of the day, most widely reported first."""
    stories: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in db.query(_STORY_SQL, [start, end]):
        stories[row["story"]].append(row)
    ranked = sorted(stories.values(), key=lambda docs: (
        -len({d["source"] for d in docs}), -sum(d["events"] for d in docs),
        -max(d["id"] for d in docs)))
    return [_story(docs) for docs in ranked[:limit]]


def _story(docs: list[dict[str, Any]]) -> Story:
    lead = docs[0]  # the earliest report
    also, seen = [], {lead["source"]}
    for doc in docs[1:]:
        if doc["source"] not in seen:
            seen.add(doc["source"])
            also.append({"source": doc["source"], "url": doc["url"], "title": doc["title"]})
    return Story(title=lead["title"], url=lead["url"], source=lead["source"],
                 published=lead["published_at"], events=sum(d["events"] for d in docs),
                 also=also)


# --- counts -------------------------------------------------------------------------------


def _tally(db: sqlite_utils.Database, start: str, end: str) -> Counter[str]:
    """Documents, and events as the digest lists them (a story's repeats counted once)."""
    tally: Counter[str] = Counter()
    tally["documents"] = db.execute("SELECT count(*) FROM documents WHERE fetched_at >= ?"
                                    " AND fetched_at < ?", [start, end]).fetchone()[0]
    for event in store_query.fold_repeats(day_events(db, start, end)):
        tally["events"] += 1
        tally[f"type:{event['type']}"] += 1
    return tally


def counts(db: sqlite_utils.Database, day: date, config: Config) -> list[Count]:
    today = _tally(db, *day_bounds(day, config))
    previous = _tally(db, *day_bounds(day - timedelta(days=1), config))
    types = sorted({k for k in today | previous if k.startswith("type:")},
                   key=lambda k: (-today[k], -previous[k], k))
    return [Count(name.removeprefix("type:"), today[name], previous[name])
            for name in ("documents", "events", *types)]


# --- source health ------------------------------------------------------------------------


def source_health(db: sqlite_utils.Database, as_of: datetime) -> list[SourceHealth]:
    """Sources that are broken or failing, or quiet for longer than twice their rhythm."""
    out = []
    for row in db.query("SELECT * FROM sources WHERE enabled = 1 ORDER BY name"):
        if row["status"] in BROKEN_STATES:
            n = row["consecutive_failures"]
            detail = f"{n} failed fetch{'es' if n != 1 else ''} in a row"
            if row["last_error"]:
                detail += f"; last error: {row['last_error']}"
            out.append(SourceHealth(row["name"], row["status"], detail))
        elif quiet := _quiet(row, as_of):
            out.append(SourceHealth(row["name"], "quiet", quiet))
    return sorted(out, key=lambda h: (PROBLEM_ORDER[h.problem], h.name))


def _quiet(row: dict[str, Any], as_of: datetime) -> str | None:
    if not row["last_new_at"]:
        return None  # never had anything new: nothing to measure the silence from
    try:
        expected = rhythm_days(row["rhythm"] or "weekly")
    except ValueError:
        return None  # sources.py rejects a bad rhythm when it loads the source
    last = datetime.fromisoformat(row["last_new_at"])
    last = last if last.tzinfo else last.replace(tzinfo=UTC)
    silent = (as_of - last).total_seconds() / 86400
    if silent <= expected * QUIET_FACTOR:
        return None
    return (f"nothing new for {silent:.0f} days (expected {row['rhythm']}); "
            f"last new document {last.date().isoformat()}")


# --- assembling ---------------------------------------------------------------------------


def sections(config: Config) -> list[str]:
    chosen = list(config["digest.sections"])
    unknown = [s for s in chosen if s not in SECTIONS]
    if unknown:
        raise ConfigError(f"digest.sections: unknown section {unknown[0]!r}",
                          hint=f"Choose from {', '.join(SECTIONS)}.")
    return chosen


def build_digest(db: sqlite_utils.Database, config: Config, day: date,
                 now: datetime | None = None) -> Digest:
    now = now or datetime.now(UTC)
    start, end = day_bounds(day, config)
    digest = Digest(day=day, timezone=config["digest.timezone"], sections=sections(config))
    digest.groups = group_events(db, store_query.fold_repeats(day_events(db, start, end)))
    digest.stories = top_stories(db, start, end, config["digest.top_stories"])
    digest.counts = counts(db, day, config)
    digest.health = source_health(db, min(now, datetime.fromisoformat(end)))
    return digest
