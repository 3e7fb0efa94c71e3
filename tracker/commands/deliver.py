"""digest, alerts run|backtest, deliveries: the delivery commands."""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

import click

from ..cli import AppContext, pass_app
from ..deliver import outbox
from ..deliver.alerts import AlertRun, backtest, run_alerts
from ..deliver.digest import build_digest, parse_day
from ..deliver.html import render_html
from ..deliver.mail import deliver_pending
from ..deliver.outbox import Outcome
from ..deliver.render import plural, render_alert_text, render_markdown, render_text
from ..deliver.send import SendReport, digest_alerts, send_digest
from ..errors import TrackerError

RENDERERS = {"text": render_text, "markdown": render_markdown, "html": render_html}


def _outcomes(outcomes: list[Outcome]) -> bool:
    """Print what the SMTP server did; True when everything due was sent."""
    for o in outcomes:
        if o.state == "sent":
            click.echo(f"sent     {o.recipient}  ({o.key})")
        else:
            word = "FAILED " if o.state == "failed" else "waiting"
            click.echo(f"{word}  {o.recipient}  ({o.key}): {o.error}", err=True)
    unsent = [o for o in outcomes if o.state != "sent"]
    if unsent:
        click.echo(f"{plural(len(unsent), 'message')} not sent; `tracker deliveries` lists "
                   "them, and the next run retries the waiting ones.", err=True)
    return not unsent


@click.command()
@click.option("--date", "day_text", metavar="D",
              help="Day to digest: YYYY-MM-DD, today or yesterday (default: yesterday, the "
                   "last complete day, in digest.timezone).")
@click.option("--format", "fmt", type=click.Choice(list(RENDERERS)), default="text",
              show_default=True, help="Output format (without --send).")
@click.option("--send", is_flag=True,
              help="Mail it to digest.recipients (once per day and reader) instead of printing.")
@pass_app
def digest(app: AppContext, day_text: str | None, fmt: str, send: bool) -> None:
    """The daily digest: the day's events, top stories, counts and source health."""
    day = parse_day(day_text, app.config)
    if send:
        _send_digest(app, day)
        return
    result = build_digest(app.db, app.config, day)
    result.alerts = [m for m in digest_alerts(app.db, app.config, day) if m.events or m.documents]
    click.echo(RENDERERS[fmt](result), nl=False)


def _send_digest(app: AppContext, day: date) -> None:
    report: SendReport = send_digest(app.db, app.config, day)
    if not report.enqueued and not report.already:
        raise TrackerError("nobody to send the digest to",
                           hint="Set recipients in [digest] of tracker.toml, e.g. "
                                'recipients = ["ann@example.org"].')
    for message in report.already:
        click.echo(f"already queued {message.recipient}  ({message.key}): not sent again")
    if not _outcomes(report.outcomes):
        sys.exit(1)


@click.group()
def alerts() -> None:
    """Saved searches mailed when something new matches ([[alerts]] in tracker.toml)."""


def _describe(run: AlertRun) -> str:
    start = " (first run: looked back one day)" if run.first_run else ""
    if not run.count:
        return f"{run.alert.name}: nothing new{start}"
    return (f"{run.alert.name}: {plural(run.count, 'new match')} -> "
            f"{plural(len(run.messages), 'message')}{start}")


@alerts.command("run")
@click.option("--dry-run", is_flag=True, help="Print the messages; send and record nothing.")
@pass_app
def alerts_run(app: AppContext, dry_run: bool) -> None:
    """Match what is new since each alert last ran and mail it, one message per alert."""
    runs = run_alerts(app.db, app.config, dry_run=dry_run)
    if not runs:
        click.echo("No immediate alerts configured ([[alerts]] with delivery = \"immediate\").")
    for run in runs:
        click.echo(_describe(run))
        if dry_run and run.messages:
            first = run.messages[0]
            click.echo(f"  To: {', '.join(m.recipient for m in run.messages)}")
            click.echo(f"  Subject: {first.subject}")
            click.echo("  " + first.body_text.rstrip("\n").replace("\n", "\n  "))
    if dry_run:
        click.echo("Dry run: nothing was enqueued, sent or recorded.")
        return
    if not _outcomes(deliver_pending(app.db, app.config)):
        sys.exit(1)


@alerts.command("backtest")
@click.argument("name")
@click.option("--since", "since_text", required=True, metavar="D",
              help="First day to test from (YYYY-MM-DD).")
@pass_app
def alerts_backtest(app: AppContext, name: str, since_text: str) -> None:
    """What an alert would have matched over past data, day by day (nothing is sent)."""
    try:
        since = date.fromisoformat(since_text)
    except ValueError:
        raise TrackerError(f"--since {since_text!r} is not a date",
                           hint="Write it as YYYY-MM-DD.") from None
    result = backtest(app.db, app.config, name, since)
    click.echo(f"Alert {name!r} ({result.alert.query}) since {since.isoformat()}: "
               f"{plural(result.count, 'match')} on {plural(len(result.days), 'day')}.")
    if result.days:
        click.echo(f"Mailed once a day it would have sent {plural(len(result.days), 'message')} "
                   f"to {', '.join(result.alert.recipients)}.")
    for day, matches in result.days:
        n = len(matches.events) + len(matches.documents)
        click.echo(f"\n== {day.isoformat()}: {plural(n, 'match')} ==")
        click.echo("\n".join(render_alert_text(matches).splitlines()[3:]))


def _retrying(requeued: outbox.Requeued) -> str:
    text = f"Retrying {plural(requeued.retried, 'message')}."
    if requeued.being_sent:
        verb = "is" if requeued.being_sent == 1 else "are"
        text += (f" {plural(requeued.being_sent, 'message')} {verb} being sent right now by"
                 " another sender, and left to it.")
    return text


def _when(row: dict[str, Any]) -> str:
    """What happens next to a listed message."""
    if row["being_sent"]:
        return f"being sent now (claimed until {row['claimed_until']})"
    if row["state"] == "sent":
        return f"sent at {row['sent_at']}"
    if row["state"] == "failed":
        return "given up (--retry tries again)"
    return f"next try {row['next_attempt_at'] or 'now'}"


@click.command()
@click.option("--all", "show_all", is_flag=True, help="Include sent messages.")
@click.option("--retry", is_flag=True, help="Try every pending and failed message again now.")
@pass_app
def deliveries(app: AppContext, show_all: bool, retry: bool) -> None:
    """Messages in the outbox that are pending or failed (with --all, sent ones too)."""
    if retry:
        click.echo(_retrying(outbox.requeue_failed(app.db, app.config)))
        if not _outcomes(deliver_pending(app.db, app.config)):
            sys.exit(1)
        return
    rows = outbox.listing(app.db, app.config, include_sent=show_all)
    if not rows:
        click.echo("The outbox is empty: nothing pending or failed." if not show_all
                   else "No messages yet.")
        return
    for row in rows:
        click.echo(f"#{row['id']} {row['state']:<7} {row['kind']:<6} {row['recipient']}  "
                   f"{plural(row['attempts'], 'attempt')}, {_when(row)}")
        click.echo(f"    {row['subject']}")
        if row["last_error"]:
            click.echo(f"    last error: {row['last_error']}")


COMMANDS = [digest, alerts, deliveries]
