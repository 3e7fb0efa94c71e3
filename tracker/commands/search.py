"""search, timeline, entities, entity: questions answered from the store."""

from __future__ import annotations

import click

from .. import output
from ..cli import AppContext, pass_app
from ..errors import QueryError
from ..query import parse
from ..store import query as store

FORMAT = click.option("--format", "fmt", type=click.Choice(output.FORMATS), default="table",
                      show_default=True, help="table fits the terminal; json is one array.")


def filter_options(f):
    """--type/--entity/--source/--since/--until: the same filters as the query language."""
    for name, help_ in reversed([("type", "Event type, e.g. ban."),
                                 ("entity", "Entity name, alias or id."),
                                 ("source", "Source name."),
                                 ("since", "YYYY-MM-DD, YYYY-MM or YYYY."),
                                 ("until", "YYYY-MM-DD, YYYY-MM or YYYY (inclusive).")]):
        f = click.option(f"--{name}", f"opt_{name}", multiple=True, help=help_)(f)
    return f


def with_filters(query: str, options: dict) -> str:
    """The query text with --type/--entity/... appended as filters."""
    parts = [query] if query else []
    for key, values in options.items():
        for value in values:
            if '"' in value:
                raise QueryError(f"--{key[4:]} value {value!r} contains a double quote",
                                 hint="Leave the quote out; names match without it.")
            parts.append(f'{key[4:]}:"{value}"')
    return " ".join(parts)


@click.command()
@click.argument("query")
@filter_options
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@click.option("--offset", default=0, show_default=True, type=click.IntRange(0))
@FORMAT
@pass_app
def search(app: AppContext, query: str, limit: int, offset: int, fmt: str, **filters) -> None:
    """Documents ranked by relevance, one per story, with snippets and events.

    QUERY: words, "exact phrases", a OR b, -excluded, prefix*, and filters such as
    type:ban entity:NDRC place:CN topic:crypto-mining source:NAME since:2021-05 until:2021."""
    q = parse(with_filters(query, filters))
    hits = store.search(app.db, q, limit=limit, offset=offset,
                        window=max(app.config["search.rank_window"], 1))
    click.echo(output.render(hits, "hit", fmt, title=f"tracker search: {q.text}",
                             feed_id=f"urn:tracker:search:{q.text}"), nl=False)


@click.command()
@click.argument("query", required=False, default="")
@filter_options
@click.option("--limit", default=50, show_default=True, type=click.IntRange(0),
              help="The latest N events (0: all, up to the setting timeline.max_events).")
@FORMAT
@pass_app
def timeline(app: AppContext, query: str, limit: int, fmt: str, **filters) -> None:
    """Events in event-date order, oldest first, each with actor, target, place and evidence."""
    q = parse(with_filters(query, filters))
    cap = limit or max(app.config["timeline.max_events"], 1)
    evs = store.events(app.db, q, limit=cap + 1, newest_first=True)
    if len(evs) > cap:
        evs = evs[:cap]
        if not limit:
            click.echo(f"Note: showing the latest {cap} events; narrow the query or raise "
                       "timeline.max_events.", err=True)
    evs.reverse()
    evs = store.fold_repeats(evs)  # the same news from several outlets: one row
    click.echo(output.render(evs, "event", fmt, title=f"tracker timeline: {q.text}",
                             feed_id=f"urn:tracker:timeline:{q.text}"), nl=False)


@click.command()
@click.option("--kind", type=click.Choice(["person", "agency", "organization", "place",
                                           "topic"]), help="Only entities of this kind.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True)
@pass_app
def entities(app: AppContext, kind: str | None, fmt: str) -> None:
    """Entities with their mention and event counts, most mentioned first."""
    click.echo(output.render(store.entities(app.db, kind), "entity", fmt), nl=False)


@click.command()
@click.argument("name")
@FORMAT
@pass_app
def entity(app: AppContext, name: str, fmt: str) -> None:
    """One entity: aliases, titles seen over time, events and case histories."""
    cases = app.config["entity.max_cases"]
    ent = store.entity(app.db, name, max_cases=cases if cases > 0 else None)
    if fmt == "json":
        click.echo(output.to_json([ent]), nl=False)
    elif fmt in ("csv", "atom"):
        click.echo(output.render(ent["events"], "event", fmt, title=f"tracker: {ent['name']}",
                                 feed_id=f"urn:tracker:entity:{ent['id']}"), nl=False)
    else:
        click.echo(entity_text(ent), nl=False)


def entity_text(ent: dict) -> str:
    lines = [f"{ent['name']}  ({ent['kind']}, {ent['id']})"]
    if ent["aliases"]:
        lines.append("Also known as: " + ", ".join(ent["aliases"]))
    lines.append(f"Mentions: {ent['mentions']}   Events: {len(ent['events'])}")
    if ent["titles"]:
        lines += ["", "Titles over time:"]
        lines += [f"  {t['first_seen'][:10]} .. {t['last_seen'][:10]}  {t['title']}"
                  f"  ({t['mentions']}x)" for t in ent["titles"]]
    if ent["cases"]:
        lines += ["", "Case history:" + (f" (the latest {len(ent['cases'])}; earlier cases "
                                         "exist)" if ent.get("earlier_cases") else "")]
        for case in ent["cases"]:
            stages = " -> ".join(f"{s['stage']} {s['date']}" for s in case["stages"])
            lines.append(f"  case {case['case']}: {stages}")
    lines += ["", "Events:", output.render(ent["events"], "event", "table").rstrip("\n")]
    return "\n".join(lines) + "\n"


COMMANDS = [search, timeline, entities, entity]
