"""The HTML digest and alert messages: one centred table, inline styles only (mail clients
drop <style> blocks and external CSS), every piece of text escaped with html.escape."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from html import escape
from typing import Any

from .digest import AlertMatches, Count, Digest, EventGroup, SourceHealth, Story
from .render import (
    TITLES,
    clean,
    digest_sections,
    event_notes,
    headline,
    label,
    long_day,
    more_note,
    plural,
    safe_url,
    signed,
    summary_line,
)

FONT = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;"
INK, MUTED, RULE, ACCENT = "#1f2933", "#616e7c", "#e4e7eb", "#0b5cad"
PROBLEM_COLOURS = {"broken": "#b42318", "failing": "#b54708", "quiet": "#616e7c"}


def e(text: Any) -> str:
    """Untrusted text, as one clean line, safe inside HTML text and attribute values."""
    return escape(clean(text), quote=True)


def link(text: Any, url: Any, style: str = "") -> str:
    shown = e(text) or "(untitled)"
    target = safe_url(url)
    if not target:
        return shown
    return (f'<a href="{escape(target, quote=True)}" style="color:{ACCENT};'
            f'text-decoration:none;{style}">{shown}</a>')


def _p(inner: str, style: str = "") -> str:
    return f'<p style="margin:0 0 6px 0;{style}">{inner}</p>'


def _heading(text: str) -> str:
    return (f'<h2 style="{FONT}font-size:17px;color:{INK};margin:28px 0 10px 0;'
            f'padding-bottom:6px;border-bottom:2px solid {INK};">{escape(text)}</h2>')


def _event(event: dict[str, Any]) -> str:
    doc = event["document"]
    notes = event_notes(event)
    return (
        f'<div style="margin:0 0 14px 0;padding:2px 0 2px 12px;border-left:3px solid {RULE};">'
        + _p(f'<strong>{e(headline(event))}</strong>'
             + (f' <span style="color:{MUTED};font-size:13px;">{e(notes)}</span>' if notes else ""))
        + _p(f'\u201c{e(event["evidence"])}\u201d', f"color:{INK};font-style:italic;")
        + _p(f'{link(doc["title"], doc["url"])} <span style="color:{MUTED};">\u2014 '
             f'{e(doc["source"])}</span>' + _also(event), "font-size:13px;")
        + "</div>")


def _also(event: dict[str, Any]) -> str:
    also = event.get("also_reported_by") or []
    if not also:
        return ""
    return (f' <span style="color:{MUTED};">\u00b7 also reported by</span> '
            + ", ".join(link(a["source"], a["url"]) for a in also))


def _groups(groups: list[EventGroup]) -> str:
    if not groups:
        return _p("No new events.", f"color:{MUTED};")
    out = []
    for group in groups:
        out.append(
            f'<h3 style="{FONT}font-size:15px;color:{INK};margin:18px 0 8px 0;">'
            f'{e(label(group.type))} <span style="color:{MUTED};font-weight:normal;">'
            f'\u2014 {e(group.place)} \u00b7 {len(group.events)}</span></h3>')
        out += [_event(event) for event in group.events]
        if group.more:
            out.append(_p(f"\u2026 {e(more_note(group))}", f"color:{MUTED};font-size:13px;"))
    return "".join(out)


def _stories(stories: list[Story]) -> str:
    if not stories:
        return _p("No new documents.", f"color:{MUTED};")
    rows = []
    for i, story in enumerate(stories, 1):
        also = ""
        if story.also:
            also = _p("also reported by " + ", ".join(link(a["source"], a["url"])
                                                      for a in story.also),
                      f"color:{MUTED};font-size:13px;")
        rows.append(
            f'<tr><td style="{FONT}vertical-align:top;padding:6px 10px 6px 0;color:{MUTED};'
            f'width:22px;">{i}.</td><td style="{FONT}padding:6px 0;">'
            + _p(f'{link(story.title, story.url, "font-weight:600;")} '
                 f'<span style="color:{MUTED};">\u2014 {e(story.source)}</span>')
            + also + "</td></tr>")
    return _table(rows)


def _table(rows: Iterable[str]) -> str:
    return ('<table role="presentation" cellpadding="0" cellspacing="0" border="0" '
            f'style="width:100%;border-collapse:collapse;">{"".join(rows)}</table>')


def _counts(counts: list[Count], day: date) -> str:
    cell = f"{FONT}padding:5px 8px;border-bottom:1px solid {RULE};"
    before = day - timedelta(days=1)
    head = "".join(f'<th style="{cell}text-align:{a};color:{MUTED};font-weight:normal;">{t}</th>'
                   for t, a in (("", "left"), (f"{day.day} {day:%b}", "right"),
                                ("change", "right"), (f"{before.day} {before:%b}", "right")))
    rows = [f"<tr>{head}</tr>"]
    for c in counts:
        colour = "#027a48" if c.delta > 0 else (MUTED if c.delta == 0 else "#b42318")
        weight = "font-weight:600;" if c.name in ("documents", "events") else ""
        rows.append(
            f'<tr><td style="{cell}{weight}">{e(label(c.name))}</td>'
            f'<td style="{cell}text-align:right;{weight}">{c.today}</td>'
            f'<td style="{cell}text-align:right;color:{colour};">{signed(c.delta)}</td>'
            f'<td style="{cell}text-align:right;color:{MUTED};">{c.previous}</td></tr>')
    return _table(rows)


def _health(health: list[SourceHealth]) -> str:
    if not health:
        return _p("All sources healthy.", f"color:{MUTED};")
    items = []
    for h in health:
        colour = PROBLEM_COLOURS.get(h.problem, MUTED)
        items.append(_p(
            f'<span style="display:inline-block;min-width:58px;padding:1px 6px;border-radius:3px;'
            f'background:{colour};color:#ffffff;font-size:12px;text-align:center;">'
            f'{escape(h.problem)}</span> <strong>{e(h.name)}</strong> '
            f'<span style="color:{MUTED};font-size:13px;">{e(h.detail)}</span>',
            "margin:0 0 8px 0;"))
    return "".join(items)


def alert_block(alert: AlertMatches) -> str:
    docs = "".join(_p(f'{link(d.get("title"), d.get("url"))} <span style="color:{MUTED};">'
                      f'\u2014 {e(d.get("source"))}</span>') for d in alert.documents)
    return (f'<h3 style="{FONT}font-size:15px;color:{INK};margin:18px 0 8px 0;">{e(alert.name)} '
            f'<span style="color:{MUTED};font-weight:normal;font-family:monospace;">'
            f'{e(alert.query)}</span></h3>'
            + "".join(_event(event) for event in alert.events) + docs)


def _section(name: str, digest: Digest) -> str:
    if name == "events":
        return _groups(digest.groups)
    if name == "stories":
        return _stories(digest.stories)
    if name == "counts":
        return _counts(digest.counts, digest.day)
    if name == "health":
        return _health(digest.health)
    return "".join(alert_block(alert) for alert in digest.alerts)


def page(title: str, subtitle: str, body: str) -> str:
    """The email frame: a grey background and one white 640px column."""
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title></head>"
        f'<body style="margin:0;padding:0;background:#f5f7fa;">'
        '<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" '
        'style="background:#f5f7fa;"><tr><td align="center" style="padding:24px 12px;">'
        '<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="640" '
        'style="width:100%;max-width:640px;background:#ffffff;border:1px solid #e4e7eb;">'
        f'<tr><td style="{FONT}padding:24px 28px;color:{INK};font-size:14px;line-height:1.45;">'
        f'<h1 style="{FONT}font-size:22px;margin:0 0 4px 0;color:{INK};">{escape(title)}</h1>'
        f'<p style="margin:0;color:{MUTED};">{subtitle}</p>'
        f"{body}"
        f'<p style="margin:28px 0 0 0;color:{MUTED};font-size:12px;">Sent by tracker. '
        "Links go to the original publishers.</p>"
        "</td></tr></table></td></tr></table></body></html>")


def render_html(digest: Digest) -> str:
    body = "".join(_heading(TITLES[name]) + _section(name, digest)
                   for name in digest_sections(digest))
    subtitle = f"{e(digest.timezone)} \u00b7 {e(summary_line(digest))}"
    return page(f"tracker digest \u2014 {long_day(digest.day)}", subtitle, body) + "\n"


def render_alert_html(alert: AlertMatches) -> str:
    n = len(alert.events) + len(alert.documents)
    subtitle = (f'<span style="font-family:monospace;">{e(alert.query)}</span> \u00b7 '
                f'{plural(n, "new match")}')
    body = "".join(_event(event) for event in alert.events)
    body += "".join(_p(f'{link(d.get("title"), d.get("url"))} <span style="color:{MUTED};">'
                       f'\u2014 {e(d.get("source"))}</span>') for d in alert.documents)
    return page(f"tracker alert: {clean(alert.name)}", subtitle,
                f'<div style="margin-top:20px;">{body}</div>') + "\n"
