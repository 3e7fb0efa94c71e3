"""Renderers shared by every command that prints records: table, json, csv and atom.

A record kind (hit, event, entity, ...) is described once by its flat row (for tables and CSV)
and its Atom entry; the formats are generic over those.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.sax.saxutils import escape, quoteattr

import click

FORMATS = ("table", "json", "csv", "atom")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    min: int = 4  # never narrower than this when the terminal is tight
    max: int = 60  # never wider, even when there is room
    flex: bool = False  # gives up width first when the row is too wide


def terminal_width(default: int = 100) -> int:
    return max(40, shutil.get_terminal_size((default, 24)).columns)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return " ".join(str(value).split())  # one line: newlines and tabs would break the grid


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def fit_widths(columns: list[Column], rows: list[dict], width: int) -> list[int]:
    """Natural widths capped at each column's max, then flexible columns shrink to fit."""
    widths = [min(c.max, max([len(c.header)] + [len(_cell(r.get(c.key))) for r in rows]))
              for c in columns]
    widths = [max(w, min(c.min, len(c.header))) for w, c in zip(widths, columns, strict=True)]
    excess = sum(widths) + 2 * (len(columns) - 1) - width
    for order in (True, False):  # flexible columns first, then the rest, widest first
        while excess > 0:
            idx = [i for i, c in enumerate(columns) if c.flex == order and widths[i] > c.min]
            if not idx:
                break
            i = max(idx, key=lambda k: widths[k])
            step = min(excess, widths[i] - columns[i].min, max(1, widths[i] // 4))
            widths[i] -= step
            excess -= step
    return widths


def table(rows: list[dict], columns: list[Column], width: int | None = None,
          detail: str | None = None) -> str:
    """An aligned text table no wider than the terminal; `detail` is a key printed as an
    indented second line under each row (a snippet, an evidence sentence)."""
    if not rows:
        return "(nothing found)\n"
    width = width or terminal_width()
    widths = fit_widths(columns, rows, width)
    def line(cells: Iterable[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()
    out = [line(c.header for c in columns), line("-" * w for w in widths)]
    for r in rows:
        out.append(line(_clip(_cell(r.get(c.key)), w) for c, w in zip(columns, widths,
                                                                    strict=True)))
        if detail and r.get(detail):
            out.append("    " + _clip(_cell(r[detail]), width - 4))
    return "\n".join(out) + "\n"


def to_json(items: list) -> str:
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def to_csv(rows: list[dict], columns: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: ("" if r.get(k) is None else r.get(k)) for k in columns})
    return buf.getvalue()


# ---- Atom -------------------------------------------------------------------------------

@dataclass
class AtomEntry:
    id: str
    title: str
    link: str
    updated: str  # any ISO date or datetime; normalised to RFC 3339
    summary: str = ""
    category: str | None = None


def rfc3339(value: str | None) -> str:
    """'2021-05', '2021-05-21' or a full ISO timestamp as an RFC 3339 UTC timestamp."""
    if not value:
        return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    parts = value.split("T")[0].split("-")
    if "T" in value:
        try:
            dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
            dt = dt if dt.tzinfo else dt.replace(tzinfo=UTC)
            return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            pass
    parts = (parts + ["01", "01"])[:3]
    return f"{parts[0]}-{parts[1]}-{parts[2]}T00:00:00Z"


def atom(entries: list[AtomEntry], title: str, feed_id: str) -> str:
    """A valid Atom 1.0 feed, so any search or timeline can be followed in a feed reader."""
    updated = max((rfc3339(e.updated) for e in entries), default=rfc3339(None))
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<feed xmlns="http://www.w3.org/2005/Atom">',
           f"  <title>{escape(title)}</title>", f"  <id>{escape(feed_id)}</id>",
           f"  <updated>{updated}</updated>",
           "  <author><name>tracker</name></author>",
           '  <generator uri="https://github.com/tracker-news/tracker">tracker</generator>']
    for e in entries:
        out += ["  <entry>", f"    <id>{escape(e.id)}</id>",
                f"    <title>{escape(e.title or e.link)}</title>",
                f"    <link rel=\"alternate\" href={quoteattr(e.link)}/>",
                f"    <updated>{rfc3339(e.updated)}</updated>"]
        if e.category:
            out.append(f"    <category term={quoteattr(e.category)}/>")
        if e.summary:
            out.append(f"    <summary>{escape(e.summary)}</summary>")
        out.append("  </entry>")
    return "\n".join(out + ["</feed>"]) + "\n"


# ---- record kinds ------------------------------------------------------------------------

@dataclass(frozen=True)
class Kind:
    """How one kind of record prints: its flat row, its table columns, its Atom entry."""

    flat: Callable[[dict], dict]
    columns: list[Column]
    csv_columns: list[str]
    entry: Callable[[dict], AtomEntry] | None = None
    detail: str | None = None


def _names(ev: dict, role: str) -> str:
    return "; ".join(x["name"] + (f" ({x['title']})" if x.get("title") else "")
                     for x in ev.get("entities", []) if x.get("role") == role)


def event_row(ev: dict) -> dict:
    doc = ev.get("document") or {}
    modality = ev.get("modality")
    marked = ev.get("type") if modality in (None, "happened") else f"{ev.get('type')} ({modality})"
    return {"id": ev["id"], "date": ev.get("date"), "type": ev.get("type"), "what": marked,
            "actor": _names(ev, "actor"), "target": _names(ev, "target"),
            "place": _names(ev, "place") or ev.get("jurisdiction"),
            "jurisdiction": ev.get("jurisdiction"), "modality": ev.get("modality"),
            "is_news": ev.get("is_news"), "evidence": ev.get("evidence"),
            "rule_id": ev.get("rule_id"), "confidence": ev.get("confidence"),
            "source": doc.get("source"), "url": doc.get("url"), "title": doc.get("title"),
            "published": doc.get("published"),
            "also": ", ".join(a["source"] for a in ev.get("also_reported_by", []))}


def event_entry(ev: dict) -> AtomEntry:
    row = event_row(ev)
    who = " -> ".join(x for x in (row["actor"], row["target"]) if x)
    return AtomEntry(id=f"{row['url']}#event-{ev['id']}", link=row["url"] or "",
                     title=f"{row['type']}: {who}" if who else row["type"],
                     updated=ev.get("date") or row["published"], summary=row["evidence"] or "",
                     category=row["type"])


def hit_row(hit) -> dict:
    h = hit.to_dict() if hasattr(hit, "to_dict") else hit
    doc = h["document"]
    return {"score": float(f"{h['score']:.4g}"), "id": doc["id"],
            "published": doc.get("day") or (doc.get("published") or "")[:10],
            "source": doc["source"],
            "title": doc["title"], "url": doc["url"], "story": doc.get("story"),
            "snippet": h["snippet"],
            "events": ", ".join(sorted({e["type"] for e in h["events"]})),
            "also": ", ".join(o["source"] for o in h["also_reported_by"])}


def hit_entry(hit) -> AtomEntry:
    row = hit_row(hit)
    return AtomEntry(id=row["url"], title=row["title"], link=row["url"],
                     updated=(hit.document if hasattr(hit, "document") else hit["document"])
                     .get("published"), summary=row["snippet"])


def entity_row(ent: dict) -> dict:
    return dict(ent, aliases=", ".join(ent.get("aliases") or []))


KINDS: dict[str, Kind] = {
    "hit": Kind(hit_row, [Column("published", "date", 10, 10), Column("source", "source", 6, 18),
                          Column("title", "title", 12, 70, flex=True),
                          Column("events", "events", 6, 24, flex=True),
                          Column("also", "also reported by", 6, 30, flex=True)],
                ["score", "id", "published", "source", "title", "url", "story", "snippet",
                 "events", "also"], hit_entry, detail="snippet"),
    "event": Kind(event_row, [Column("date", "date", 7, 10), Column("what", "type", 4, 22),
                              Column("actor", "actor", 6, 30, flex=True),
                              Column("target", "target", 6, 30, flex=True),
                              Column("place", "place", 4, 14, flex=True),
                              Column("source", "source", 6, 16, flex=True),
                              Column("also", "also reported by", 6, 20, flex=True)],
                  ["id", "date", "type", "actor", "target", "place", "jurisdiction", "modality",
                   "is_news", "evidence", "rule_id", "confidence", "source", "url", "title",
                   "published", "also"], event_entry, detail="evidence"),
    "entity": Kind(entity_row, [Column("id", "id", 8, 30, flex=True),
                                Column("kind", "kind", 4, 12), Column("name", "name", 8, 40,
                                                                      flex=True),
                                Column("aliases", "aliases", 6, 30, flex=True),
                                Column("mentions", "mentions", 8, 8),
                                Column("events", "events", 6, 6)],
                   ["id", "kind", "name", "aliases", "jurisdiction", "mentions", "events"]),
}


def render(items: list, kind: str, fmt: str, *, title: str = "tracker",
           feed_id: str = "urn:tracker") -> str:
    """Items of one kind in one format: table, json (one array), csv (flat) or atom."""
    k = KINDS[kind]
    if fmt == "json":
        return to_json([i.to_dict() if hasattr(i, "to_dict") else i for i in items])
    if fmt == "csv":
        return to_csv([k.flat(i) for i in items], k.csv_columns)
    if fmt == "atom":
        if k.entry is None:
            raise ValueError(f"{kind} records have no Atom form")
        return atom([k.entry(i) for i in items], title, feed_id)
    return table([k.flat(i) for i in items], k.columns, detail=k.detail)


def print_columns(rows: list[tuple[str, ...]]) -> None:
    """Rows of text (the first a header) in left-aligned columns, as `sources list` prints."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
