"""Plain data passed between pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class PageSelectors:
    """CSS selectors for a listing page (and optionally its article pages)."""

    item: str
    link: str = "a"
    title: str | None = None
    date: str | None = None
    body: str | None = None  # article-page selector for the main text


@dataclass
class Source:
    name: str
    kind: str  # "feed" | "page"
    url: str
    schedule: str = "every 60m"  # "every 30m" / "every 6h" or a 5-field cron line
    rhythm: str = "weekly"  # expected publishing rhythm: daily | weekly | monthly | "every 3d"
    language: str = "en"
    jurisdiction: str | None = None
    selectors: PageSelectors | None = None
    full_text: bool = False  # the feed carries the whole article: no page fetch
    enabled: bool = True
    origin: str = ""  # "file:line" the source was declared at, for messages
    timezone: str = "UTC"  # IANA zone of the times the source writes without one


@dataclass
class Entry:
    """One item found in a feed or on a listing page, before the article is fetched."""

    url: str
    source: str
    title: str = ""
    summary: str = ""  # plain text
    content: str = ""  # plain text of a full-text feed item
    published: datetime | None = None
    guid: str | None = None


@dataclass
class Document:
    url: str  # canonical URL
    source: str
    title: str = ""
    text: str = ""
    published: datetime | None = None
    guid: str | None = None
    language: str = "en"
    fetched_at: datetime | None = None
    content_hash: str = ""
    simhash: int = 0
    story_id: int | None = None
    extract_status: str = "ok"  # "ok" | "pending": the article page is still to be fetched
    id: int | None = None


@dataclass
class Entity:
    id: str  # canonical id, e.g. "cn-ndrc", "person:zhang-ming", "place:CN", "topic:crypto-mining"
    kind: str  # person | agency | organization | place | topic
    name: str
    aliases: list[str] = field(default_factory=list)
    jurisdiction: str | None = None


@dataclass
class Mention:
    entity_id: str
    surface: str
    start: int  # character offsets in the document text
    end: int
    title: str | None = None  # a person's role as the text states it
    rule_id: str | None = None


@dataclass
class EventRole:
    entity_id: str
    role: str  # actor | target | official | place


@dataclass
class Event:
    type: str
    evidence: str
    rule_id: str
    date: str | None = None  # ISO date, truncated to its precision ("2021-05", "2021")
    date_precision: str | None = None  # day | month | year
    jurisdiction: str | None = None
    modality: str = "happened"  # happened | planned | denied | hypothetical
    is_news: bool = True  # False: background ("the country banned trading in 2017")
    confidence: float = 1.0
    start: int = 0  # evidence sentence offsets in the text
    end: int = 0
    roles: list[EventRole] = field(default_factory=list)


@dataclass
class Tagged:
    """What the tag stage found in one document."""

    entities: list[Entity] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    rules_version: str = ""
    notes: list[str] = field(default_factory=list)  # e.g. "text truncated at 100000 chars"
    failed: bool = False  # tagging could not run: keep what is stored, tag again later
