"""Digest and alert messages as plain text and markdown, and the pieces the HTML shares.

Everything that came from a feed or a page is untrusted: plain text loses control characters
(a title cannot move the terminal cursor or fake a section), markdown escapes its punctuation
(a title cannot become a link or raw HTML), and only http(s) URLs become links.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from .digest import AlertMatches, Count, Digest, EventGroup, SourceHealth, Story

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]+")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~&])")
ROLE_TARGETS = ("target", "official")


def clean(text: Any) -> str:
    """One line of untrusted text: control and bidi characters become spaces, runs collapse."""
    return " ".join(_CONTROL.sub(" ", str(text or "")).split())


def md(text: Any) -> str:
    return _MD_SPECIAL.sub(r"\\\1", clean(text))


def safe_url(url: Any) -> str | None:
    """The URL when it is http(s) and printable, else None (no javascript:, data:, ...)."""
    url = str(url or "").strip()
    parts = urlsplit(url)
    if parts.scheme.lower() in ("http", "https") and parts.netloc and not _CONTROL.search(url) \
            and not any(c in url for c in ' "<>\'`'):
        return url
    return None


def label(type_: str) -> str:
    """"party_expulsion" -> "Party expulsion"."""
    words = type_.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def long_day(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _person(entity: dict[str, Any]) -> str:
    title = clean(entity.get("title"))
    return f"{clean(entity['name'])} ({title})" if title else clean(entity["name"])


def headline(event: dict[str, Any]) -> str:
    """"CCDI -> Zhang Ming (vice-governor)": who did it to whom, as the entities say."""
    entities = event.get("entities") or []
    actors = [_person(e) for e in entities if e["role"] == "actor"]
    targets = [_person(e) for e in entities if e["role"] in ROLE_TARGETS]
    left = ", ".join(actors) or "(actor not named)"
    return f"{left} \u2192 {', '.join(targets)}" if targets else left


def event_notes(event: dict[str, Any]) -> str:
    """Date and modality in a short parenthesis: "(2021-05-21, planned)"."""
    notes = [clean(event["date"])] if event.get("date") else []
    if event.get("modality") and event["modality"] != "happened":
        notes.append(clean(event["modality"]))
    return f"({', '.join(notes)})" if notes else ""


def signed(n: int) -> str:
    return f"+{n}" if n > 0 else ("\u00b10" if n == 0 else str(n))


def summary_line(digest: Digest) -> str:
    by_name = {c.name: c for c in digest.counts}
    docs, events = by_name.get("documents"), by_name.get("events")
    if docs is None or events is None:
        return plural(digest.event_count, "event")
    return (f"{plural(events.today, 'event')} in {plural(docs.today, 'new document')} "
            f"(previous day: {plural(events.previous, 'event')}, "
            f"{plural(docs.previous, 'document')})")


def plural(n: int, noun: str) -> str:
    if n == 1:
        return f"{n} {noun}"
    return f"{n} {noun}es" if noun.endswith(("ch", "sh", "s", "x")) else f"{n} {noun}s"


# --- plain text ---------------------------------------------------------------------------


def _text_event(event: dict[str, Any]) -> list[str]:
    doc = event["document"]
    lines = [f"  * {headline(event)} {event_notes(event)}".rstrip(),
             f"    \"{clean(event['evidence'])}\"",
             f"    {clean(doc['title']) or '(untitled)'} \u2014 {clean(doc['source'])}"]
    if url := safe_url(doc["url"]):
        lines.append(f"    {url}")
    if also := event.get("also_reported_by"):
        lines.append("    also reported by: " + ", ".join(clean(a["source"]) for a in also))
    return lines


def _text_groups(groups: list[EventGroup]) -> list[str]:
    if not groups:
        return ["No new events."]
    lines: list[str] = []
    for group in groups:
        lines += ["", f"{label(group.type)} \u2014 {clean(group.place)} ({len(group.events)})"]
        for event in group.events:
            lines += _text_event(event)
        if group.more:
            lines.append(f"  ... {more_note(group)}")
    return lines[1:]


def more_note(group: EventGroup) -> str:
    return (f"and {group.more} more; see `tracker timeline --type {clean(group.type)}`")


def _text_stories(stories: list[Story]) -> list[str]:
    if not stories:
        return ["No new documents."]
    lines = []
    for i, story in enumerate(stories, 1):
        lines.append(f"{i}. {clean(story.title) or '(untitled)'} \u2014 {clean(story.source)}")
        if url := safe_url(story.url):
            lines.append(f"   {url}")
        if story.also:
            sources = ", ".join(clean(a["source"]) for a in story.also)
            lines.append(f"   also reported by: {sources}")
    return lines


def _text_counts(counts: list[Count]) -> list[str]:
    width = max((len(label(c.name)) for c in counts), default=0)
    return [f"{label(c.name):<{width}}  {c.today:>5}  {signed(c.delta):>5}  (previous {c.previous})"
            for c in counts]


def _text_health(health: list[SourceHealth]) -> list[str]:
    if not health:
        return ["All sources healthy."]
    return [f"* {clean(h.name)}: {h.problem} \u2014 {clean(h.detail)}" for h in health]


def _text_alert(alert: AlertMatches) -> list[str]:
    lines = [f"Alert {clean(alert.name)!r} ({clean(alert.query)}): "
             f"{len(alert.events) + len(alert.documents)} matches"]
    for event in alert.events:
        lines += _text_event(event)
    for doc in alert.documents:
        title = clean(doc.get("title")) or "(untitled)"
        lines.append(f"  * {title} \u2014 {clean(doc.get('source'))}")
        if url := safe_url(doc.get("url")):
            lines.append(f"    {url}")
    return lines


TITLES = {"events": "Events", "stories": "Top stories", "counts": "Compared with the previous day",
          "health": "Source health", "alerts": "Your alerts"}


def _text_section(name: str, digest: Digest) -> list[str]:
    if name == "events":
        return _text_groups(digest.groups)
    if name == "stories":
        return _text_stories(digest.stories)
    if name == "counts":
        return _text_counts(digest.counts)
    if name == "health":
        return _text_health(digest.health)
    return [line for alert in digest.alerts for line in _text_alert(alert)]


def digest_sections(digest: Digest) -> list[str]:
    return (["alerts"] if digest.alerts else []) + digest.sections


def render_text(digest: Digest) -> str:
    title = f"tracker digest for {long_day(digest.day)} ({digest.timezone})"
    lines = [title, summary_line(digest)]
    for name in digest_sections(digest):
        heading = TITLES[name].upper()
        lines += ["", heading, "=" * len(heading), *_text_section(name, digest)]
    return "\n".join(lines) + "\n"


# --- markdown -----------------------------------------------------------------------------


def _md_link(text: Any, url: Any) -> str:
    shown = md(text) or "(untitled)"
    target = safe_url(url)
    return f"[{shown}](<{target}>)" if target else shown


def _md_event(event: dict[str, Any]) -> list[str]:
    doc = event["document"]
    return [f"- **{md(headline(event))}** {md(event_notes(event))}".rstrip(),
            f"  > {md(event['evidence'])}",
            f"  {_md_link(doc['title'], doc['url'])} \u2014 {md(doc['source'])}"
            + "".join(f", also {_md_link(a['source'], a['url'])}"
                      for a in event.get("also_reported_by", []))]


def _md_also(story: Story) -> str:
    if not story.also:
        return ""
    return f" (also reported by {', '.join(_md_link(a['source'], a['url']) for a in story.also)})"


def _md_section(name: str, digest: Digest) -> list[str]:
    if name == "events":
        out: list[str] = [] if digest.groups else ["No new events."]
        for group in digest.groups:
            out += [f"### {md(label(group.type))} \u2014 {md(group.place)} ({len(group.events)})",
                    ""]
            out += [line for event in group.events for line in _md_event(event)]
            out += ([f"- \u2026 {md(more_note(group))}"] if group.more else []) + [""]
        return out
    if name == "stories":
        return [f"{i}. {_md_link(s.title, s.url)} \u2014 {md(s.source)}{_md_also(s)}"
                for i, s in enumerate(digest.stories, 1)] or ["No new documents."]
    if name == "counts":
        return ["| | day | change | previous day |", "|---|---:|---:|---:|"] + [
            f"| {md(label(c.name))} | {c.today} | {signed(c.delta)} | {c.previous} |"
            for c in digest.counts]
    if name == "health":
        return [f"- **{md(h.name)}**: {h.problem} \u2014 {md(h.detail)}" for h in digest.health] \
            or ["All sources healthy."]
    out = []
    for alert in digest.alerts:
        out += [f"**{md(alert.name)}** (`{clean(alert.query).replace('`', '')}`)", ""]
        out += [line for event in alert.events for line in _md_event(event)]
        out += [f"- {_md_link(d.get('title'), d.get('url'))} \u2014 {md(d.get('source'))}"
                for d in alert.documents] + [""]
    return out


def render_markdown(digest: Digest) -> str:
    lines = [f"# tracker digest for {long_day(digest.day)}", "",
             f"*{md(digest.timezone)}* \u00b7 {summary_line(digest)}"]
    for name in digest_sections(digest):
        lines += ["", f"## {TITLES[name]}", "", *_md_section(name, digest)]
    return "\n".join(lines).rstrip() + "\n"


# --- alert messages -----------------------------------------------------------------------


def alert_subject(alert: AlertMatches) -> str:
    n = len(alert.events) + len(alert.documents)
    first = headline(alert.events[0]) if alert.events else clean(alert.documents[0].get("title"))
    subject = f"[tracker] {clean(alert.name)}: {plural(n, 'new match')} \u2014 {first}"
    return subject if len(subject) <= 120 else subject[:119] + "\u2026"


def render_alert_text(alert: AlertMatches) -> str:
    lines = [f"tracker alert {clean(alert.name)!r}", f"query: {clean(alert.query)}", ""]
    lines += _text_alert(alert)[1:]
    return "\n".join(lines) + "\n"
