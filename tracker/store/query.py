"""Read side of the store: search, event timelines, documents, entities and case histories.

Every query goes through tracker.query.parse; the SQL here is built from the parsed query with
parameters only, and the FTS5 expression is generated (each word quoted), so no user text can
make SQLite fail.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import asdict, dataclass, field

import sqlite_utils

from ..errors import QueryError
from ..query import ENTITY_FILTERS, Filter, Query, parse

# bm25 column weights: a word in the title counts five times a word in the body
TITLE_WEIGHT, BODY_WEIGHT = 5.0, 1.0
MARK_OPEN, MARK_CLOSE = "\x02", "\x03"  # snippet markers, turned into [..] or <mark>
SNIPPET_TOKENS = 24


@dataclass
class Hit:
    document: dict
    snippet: str  # matched terms marked [like this]
    score: float  # higher is better
    events: list[dict] = field(default_factory=list)
    also_reported_by: list[dict] = field(default_factory=list)
    raw_snippet: str = field(default="", repr=False)

    @property
    def snippet_html(self) -> str:
        text = html.escape(self.raw_snippet or self.snippet)
        return text.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("raw_snippet")
        return d


# ---- shared pieces -------------------------------------------------------------------------

DOC_COLUMNS = "d.id, d.url, d.title, d.source, d.published_at, d.story_id"


def _doc(row) -> dict:
    return {"id": row[0], "url": row[1], "title": row[2], "source": row[3],
            "published": row[4], "story": row[5]}


def _marks(n: int) -> str:
    return ", ".join("?" * n)


class _Sql:
    """WHERE fragments and their parameters, built up in order."""

    def __init__(self) -> None:
        self.where: list[str] = []
        self.params: list = []

    def add(self, fragment: str, *params) -> None:
        self.where.append(fragment)
        self.params.extend(params)

    def clause(self) -> str:
        return " AND ".join(self.where) if self.where else "1"


def resolve_entity(db: sqlite_utils.Database, value: str, kind: str | None = None) -> list[str]:
    """Entity ids for a name, alias or id (case-insensitive); word-prefix match as a fallback.

    "National Development and Reform Commission", "NDRC" and "cn-ndrc" give the same id."""
    key = value.strip().lower()
    kind_sql, kind_params = ("AND e.kind = ?", [kind]) if kind else ("", [])
    guesses = [key] + {"place": [f"place:{key}"], "topic": [f"topic:{key}"],
                       "person": [f"person:{_slug(key)}"]}.get(kind or "", [])
    rows = db.execute(
        f"SELECT DISTINCT e.id FROM entity_names n JOIN entities e ON e.id = n.entity_id "
        f"WHERE n.name_key IN ({_marks(len(guesses))}) {kind_sql}", [*guesses, *kind_params],
    ).fetchall()
    if not rows:
        rows = db.execute(
            f"SELECT DISTINCT e.id FROM entity_names n JOIN entities e ON e.id = n.entity_id "
            f"WHERE (n.name_key LIKE ? ESCAPE '\\' OR n.name_key LIKE ? ESCAPE '\\') {kind_sql} "
            "LIMIT 50", [_like(key) + "%", "% " + _like(key) + "%", *kind_params],
        ).fetchall()
    return [r[0] for r in rows]


def _slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-")


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _entity_ids(db: sqlite_utils.Database, f: Filter) -> list[str]:
    ids: list[str] = []
    for value in f.values:
        ids += resolve_entity(db, value, ENTITY_FILTERS[f.name])
    return sorted(set(ids))


def _field_filters(q: Query, sql: _Sql, columns: dict[str, str]) -> None:
    """type:, source:, modality: on the columns given (repeated filters mean any of)."""
    for name, column in columns.items():
        pos = [v for f in q.get(name) if not f.negated for v in f.values]
        neg = [v for f in q.get(name) if f.negated for v in f.values]
        if pos:
            sql.add(f"{column} IN ({_marks(len(pos))})", *pos)
        if neg:
            sql.add(f"{column} NOT IN ({_marks(len(neg))})", *neg)


def _resolve_filters(db, q: Query) -> list[tuple[Filter, list[str]]]:
    return [(f, _entity_ids(db, f)) for f in q.filters if f.name in ENTITY_FILTERS]


def _entity_filters(sql: _Sql, resolved: list[tuple[Filter, list[str]]], test) -> None:
    """Each entity filter must hold (or, negated, must not); `test(f, ids)` gives the SQL."""
    for f, ids in resolved:
        fragment, params = test(f, ids) if ids else ("0", [])
        sql.add(f"NOT ({fragment})" if f.negated else fragment, *params)


def _place_codes(f: Filter, ids: list[str]) -> list[str]:
    codes = {i.split(":", 1)[1] for i in ids if i.startswith("place:")}
    return sorted(codes | {v.upper() for v in f.values if len(v) == 2})


# ---- events ------------------------------------------------------------------------------

EVENT_SELECT = """
SELECT e.id, e.type, e.date, e.date_precision, e.jurisdiction, e.modality, e.is_news,
       e.evidence, e.rule_id, e.confidence,
       (SELECT json_group_array(json_object(
            'id', en.id, 'name', en.name, 'kind', en.kind, 'role', ee.role,
            'title', CASE WHEN en.kind = 'person' THEN (
                SELECT m.title FROM mentions m WHERE m.document_id = e.document_id
                AND m.entity_id = en.id AND m.title IS NOT NULL LIMIT 1) END))
        FROM event_entities ee JOIN entities en ON en.id = ee.entity_id
        WHERE ee.event_id = e.id) AS entities,
       d.id, d.url, d.title, d.source, d.published_at, d.story_id
"""


def _event(row) -> dict:
    entities = []
    for ent in json.loads(row[10] or "[]"):
        if ent.get("title") is None:
            ent.pop("title", None)
        entities.append(ent)
    return {"id": row[0], "type": row[1], "date": row[2], "date_precision": row[3],
            "jurisdiction": row[4], "modality": row[5], "is_news": bool(row[6]),
            "evidence": row[7], "rule_id": row[8], "confidence": row[9],
            "entities": entities, "document": _doc(row[11:17])}


def _event_entity_test(f: Filter, ids: list[str]) -> tuple[str, list]:
    sub = f"SELECT event_id FROM event_entities WHERE entity_id IN ({_marks(len(ids))})"
    parts, params = [f"e.id IN ({sub})"], list(ids)
    if f.name == "topic":  # topics are what a document is about, not an event role
        parts.append(f"e.document_id IN (SELECT document_id FROM mentions "
                     f"WHERE entity_id IN ({_marks(len(ids))}))")
        params += ids
    if f.name == "place" and (codes := _place_codes(f, ids)):
        parts.append(f"e.jurisdiction IN ({_marks(len(codes))})")
        params += codes
    return "(" + " OR ".join(parts) + ")", params


def _words(q: Query, sql: _Sql, id_column: str) -> None:
    if (match := q.fts()) is not None:
        sql.add(f"{id_column} IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)",
                match)
    if (excluded := q.fts_excluded()) is not None:
        sql.add(f"{id_column} NOT IN (SELECT rowid FROM documents_fts "
                "WHERE documents_fts MATCH ?)", excluded)


def events(db: sqlite_utils.Database, query: str | Query = "", *, after_id: int | None = None,
           limit: int | None = None, newest_first: bool = False) -> list[dict]:
    """Events matching `query` in event-date order (oldest first unless `newest_first`).

    Words match the event's document; since:/until: the event's own date. `after_id` keeps
    only events stored after that id (alerts)."""
    q = parse(query)
    sql = _Sql()
    _field_filters(q, sql, {"type": "e.type", "source": "d.source", "modality": "e.modality"})
    resolved = _resolve_filters(db, q)
    driver = next((r for r in resolved if not r[0].negated
                   and r[0].name not in ("topic", "place") and len(r[1]) == 1), None)
    _entity_filters(sql, [r for r in resolved if r is not driver], _event_entity_test)
    _words(q, sql, "e.document_id")
    if after_id is not None:
        sql.add("e.id > ?", after_id)
    order = "DESC" if newest_first else ""
    if driver:
        # one entity: walk its (entity_id, date) index in order, the cheapest timeline; the
        # index ends with the row id, so (date, rowid) order needs no sort
        date_col, tie, source = "ee.date", "ee.rowid", (
            "FROM event_entities ee JOIN events e ON e.id = ee.event_id "
            "JOIN documents d ON d.id = e.document_id")
        sql.where.insert(0, "ee.entity_id = ?")
        sql.params.insert(0, driver[1][0])
    else:
        date_col, tie, source = "e.date", "e.id", (
            "FROM events e JOIN documents d ON d.id = e.document_id")
    if (since := q.since()) is not None:
        sql.add(f"{date_col} >= ?", since)
    if (until := q.until()) is not None:
        sql.add(f"{date_col} < ?", until)
    text = (f"{EVENT_SELECT} {source} WHERE {sql.clause()} "
            f"ORDER BY {date_col} {order}, {tie} {order}")
    if driver:
        return _distinct_events(db, text, sql.params, limit)
    if limit is not None:
        text += f" LIMIT {int(limit)}"
    return [_event(row) for row in _run(db, text, sql.params)]


def _run(db: sqlite_utils.Database, text: str, params: list) -> list:
    try:
        return db.execute(text, params).fetchall()
    except Exception as exc:  # sqlite3.OperationalError from FTS5: a bug here, not the user's
        if "fts5" in str(exc).lower():
            raise QueryError(f"the search index rejected the query: {exc}",
                             hint="Quote unusual words; please report this query.") from None
        raise


def events_for_documents(db: sqlite_utils.Database, ids: list[int]) -> dict[int, list[dict]]:
    if not ids:
        return {}
    rows = db.execute(f"{EVENT_SELECT} FROM events e JOIN documents d ON d.id = e.document_id "
                      f"WHERE e.document_id IN ({_marks(len(ids))}) ORDER BY e.date, e.id",
                      ids).fetchall()
    out: dict[int, list[dict]] = {}
    for row in rows:
        out.setdefault(row[11], []).append(_event(row))
    return out


# ---- documents and search ------------------------------------------------------------------

def _document_entity_test(f: Filter, ids: list[str]) -> tuple[str, list]:
    parts = [f"EXISTS (SELECT 1 FROM mentions m WHERE m.document_id = d.id "
             f"AND m.entity_id IN ({_marks(len(ids))}))"]
    params = list(ids)
    if f.name == "place" and (codes := _place_codes(f, ids)):
        parts.append(f"EXISTS (SELECT 1 FROM events x WHERE x.document_id = d.id "
                     f"AND x.jurisdiction IN ({_marks(len(codes))}))")
        params += codes
    return "(" + " OR ".join(parts) + ")", params


def _document_filters(db, q: Query) -> _Sql:
    """Filters on documents: type:/modality: need an event of that kind in the document."""
    sql = _Sql()
    _field_filters(q, sql, {"source": "d.source"})
    inner = _Sql()
    _field_filters(q, inner, {"type": "x.type", "modality": "x.modality"})
    if inner.where:
        sql.add(f"EXISTS (SELECT 1 FROM events x WHERE x.document_id = d.id "
                f"AND {inner.clause()})", *inner.params)
    _entity_filters(sql, _resolve_filters(db, q), _document_entity_test)
    if (since := q.since()) is not None:
        sql.add("d.published_at >= ?", since)
    if (until := q.until()) is not None:
        sql.add("d.published_at < ?", until)
    return sql


def documents(db: sqlite_utils.Database, query: str | Query = "", *,
              after_id: int | None = None, limit: int | None = None) -> list[dict]:
    """Documents matching `query`, in the order they were stored (id), with their text."""
    q = parse(query)
    sql = _document_filters(db, q)
    _words(q, sql, "d.id")
    if after_id is not None:
        sql.add("d.id > ?", after_id)
    text = f"SELECT {DOC_COLUMNS}, d.body FROM documents d WHERE {sql.clause()} ORDER BY d.id"
    if limit is not None:
        text += f" LIMIT {int(limit)}"
    return [dict(_doc(r), text=r[6]) for r in _run(db, text, sql.params)]


def search(db: sqlite_utils.Database, query: str | Query, limit: int = 20,
           offset: int = 0) -> list[Hit]:
    """Documents ranked by BM25 (title above body, newer first on a tie), one per story."""
    q = parse(query)
    if not q.clauses:
        return _browse(db, q, limit, offset)
    want = offset + limit
    fetch = want * 3 + 10
    while True:
        rows = _ranked(db, q, fetch)
        best = _best_per_story(rows)
        if len(best) >= want or len(rows) < fetch:
            break
        fetch *= 4
    return _hits(db, q, best[offset:want])


def _ranked(db, q: Query, fetch: int) -> list[tuple]:
    """(id, story, published, score) of the best `fetch` matches, best first."""
    match = q.fts()
    if (excluded := q.fts_excluded()) is not None:
        match = f"({match}) NOT ({excluded})"
    score = f"bm25(documents_fts, {TITLE_WEIGHT}, {BODY_WEIGHT})"
    sql = _document_filters(db, q)
    if not sql.where:
        # rank inside the index first, then read only the winners' rows
        text = (f"SELECT r.id, d.story_id, d.published_at, r.score FROM ("
                f"SELECT rowid AS id, {score} AS score FROM documents_fts "
                f"WHERE documents_fts MATCH ? ORDER BY score LIMIT {int(fetch)}) r "
                f"JOIN documents d ON d.id = r.id ORDER BY r.score, d.published_at DESC")
        return _run(db, text, [match])
    text = (f"SELECT d.id, d.story_id, d.published_at, {score} AS score "
            f"FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid "
            f"WHERE documents_fts MATCH ? AND {sql.clause()} "
            f"ORDER BY score, d.published_at DESC LIMIT {int(fetch)}")
    return _run(db, text, [match, *sql.params])


def _best_per_story(rows: list[tuple]) -> list[tuple]:
    seen, best = set(), []
    for row in rows:
        story = row[1] if row[1] is not None else -row[0]
        if story not in seen:
            seen.add(story)
            best.append(row)
    return best


def _browse(db, q: Query, limit: int, offset: int) -> list[Hit]:
    """No words to rank by: the newest documents that pass the filters, one per story."""
    sql = _document_filters(db, q)
    _words(q, sql, "d.id")
    fetch = (offset + limit) * 3 + 10
    while True:
        text = (f"SELECT d.id, d.story_id, d.published_at, 0.0 FROM documents d "
                f"WHERE {sql.clause()} ORDER BY d.published_at DESC, d.id DESC LIMIT {fetch}")
        rows = _run(db, text, sql.params)
        best = _best_per_story(rows)
        if len(best) >= offset + limit or len(rows) < fetch:
            return _hits(db, q, best[offset:offset + limit])
        fetch *= 4


def _hits(db, q: Query, rows: list[tuple]) -> list[Hit]:
    ids = [r[0] for r in rows]
    if not ids:
        return []
    docs = {r[0]: _doc(r) for r in db.execute(
        f"SELECT {DOC_COLUMNS} FROM documents d WHERE d.id IN ({_marks(len(ids))})", ids)}
    snippets = _snippets(db, q, ids)
    evs = events_for_documents(db, ids)
    others = _also_reported(db, [docs[i]["story"] for i in ids], ids)
    return [Hit(document=docs[i], snippet=_plain(snippets.get(i, "")), score=-score,
                events=evs.get(i, []), also_reported_by=others.get(docs[i]["story"], []),
                raw_snippet=snippets.get(i, ""))
            for i, _story, _pub, score in rows]


def _snippets(db, q: Query, ids: list[int]) -> dict[int, str]:
    match = q.fts()
    if match is None:
        return {r[0]: _lead(r[1]) for r in db.execute(
            f"SELECT id, body FROM documents WHERE id IN ({_marks(len(ids))})", ids)}
    rows = db.execute(
        f"SELECT rowid, snippet(documents_fts, -1, '{MARK_OPEN}', '{MARK_CLOSE}', '…', "
        f"{SNIPPET_TOKENS}) FROM documents_fts WHERE documents_fts MATCH ? "
        f"AND rowid IN ({_marks(len(ids))})", [match, *ids]).fetchall()
    return dict(rows)


def _lead(body: str, words: int = SNIPPET_TOKENS) -> str:
    parts = (body or "").split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def _plain(snippet: str) -> str:
    return snippet.replace(MARK_OPEN, "[").replace(MARK_CLOSE, "]")


def _also_reported(db, stories: list[int | None], ids: list[int]) -> dict[int, list[dict]]:
    stories = [s for s in stories if s is not None]
    if not stories:
        return {}
    out: dict[int, list[dict]] = {}
    for story, source, url, title in db.execute(
        f"SELECT story_id, source, url, title FROM documents WHERE story_id IN "
        f"({_marks(len(stories))}) AND id NOT IN ({_marks(len(ids))}) "
        f"ORDER BY published_at, id", [*stories, *ids]):
        out.setdefault(story, []).append({"source": source, "url": url, "title": title})
    return out


# ---- entities and case histories -----------------------------------------------------------

def entities(db: sqlite_utils.Database, kind: str | None = None) -> list[dict]:
    """Every entity with its mention and event counts, most mentioned first."""
    where, params = ("WHERE e.kind = ?", [kind]) if kind else ("", [])
    rows = db.execute(
        f"SELECT e.id, e.kind, e.name, e.aliases, e.jurisdiction, "
        f"(SELECT count(*) FROM mentions m WHERE m.entity_id = e.id), "
        f"(SELECT count(DISTINCT ee.event_id) FROM event_entities ee WHERE ee.entity_id = e.id) "
        f"FROM entities e {where}", params).fetchall()
    out = [{"id": r[0], "kind": r[1], "name": r[2], "aliases": _aliases(r[3]),
            "jurisdiction": r[4], "mentions": r[5], "events": r[6]} for r in rows]
    return sorted(out, key=lambda e: (-e["mentions"], -e["events"], e["name"].lower()))


def _aliases(raw: str | None) -> list[str]:
    try:
        value = json.loads(raw or "[]")
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def find_entity(db: sqlite_utils.Database, name_or_id: str) -> dict:
    """The one entity a name, alias or id names; QueryError when none or several."""
    ids = resolve_entity(db, name_or_id)
    if not ids:
        raise QueryError(f"no entity named '{name_or_id}'",
                         hint="List them with `tracker entities`; names, aliases and ids work.")
    if len(ids) > 1:
        exact = [i for i in ids if i.lower() == name_or_id.strip().lower()]
        if len(exact) != 1:
            raise QueryError(f"'{name_or_id}' names {len(ids)} entities: {', '.join(ids[:10])}",
                             hint="Give the id, e.g. `tracker entity " + ids[0] + "`.")
        ids = exact
    r = db.execute("SELECT id, kind, name, aliases, jurisdiction FROM entities WHERE id = ?",
                   [ids[0]]).fetchone()
    return {"id": r[0], "kind": r[1], "name": r[2], "aliases": _aliases(r[3]),
            "jurisdiction": r[4]}


def entity(db: sqlite_utils.Database, name_or_id: str) -> dict:
    """One entity: aliases, the titles it was given over time, its events, its cases."""
    ent = find_entity(db, name_or_id)
    titles = db.execute(
        "SELECT m.title, min(coalesce(d.published_at, d.fetched_at)), "
        "max(coalesce(d.published_at, d.fetched_at)), count(*) "
        "FROM mentions m JOIN documents d ON d.id = m.document_id "
        "WHERE m.entity_id = ? AND m.title IS NOT NULL AND m.title != '' "
        "GROUP BY m.title ORDER BY 2", [ent["id"]]).fetchall()
    ent["titles"] = [{"title": t, "first_seen": a, "last_seen": b, "mentions": n}
                     for t, a, b, n in titles]
    ent["mentions"] = db.execute("SELECT count(*) FROM mentions WHERE entity_id = ?",
                                 [ent["id"]]).fetchone()[0]
    ent["event_count"] = db.execute(
        "SELECT count(DISTINCT event_id) FROM event_entities WHERE entity_id = ?",
        [ent["id"]]).fetchone()[0]
    ent["events"] = entity_events(db, ent["id"], limit=ENTITY_EVENTS, newest_first=True)[::-1]
    ent["cases"] = cases(db, ent["id"])
    return ent


def entity_events(db: sqlite_utils.Database, entity_id: str, *, limit: int | None = None,
                  newest_first: bool = False, types: tuple[str, ...] = (),
                  roles: tuple[str, ...] = ()) -> list[dict]:
    """The events an entity takes part in, in date order: one range scan of its index."""
    sql = _Sql()
    sql.add("ee.entity_id = ?", entity_id)
    if types:
        sql.add(f"e.type IN ({_marks(len(types))})", *types)
    if roles:
        sql.add(f"ee.role IN ({_marks(len(roles))})", *roles)
    order = "DESC" if newest_first else ""
    text = (f"{EVENT_SELECT} FROM event_entities ee JOIN events e ON e.id = ee.event_id "
            f"JOIN documents d ON d.id = e.document_id WHERE {sql.clause()} "
            f"ORDER BY ee.date {order}, ee.rowid {order}")
    return _distinct_events(db, text, sql.params, limit)


def _distinct_events(db, text: str, params: list, limit: int | None) -> list[dict]:
    """Run an event query driven by event_entities, where an event naming the entity in two
    roles comes twice; fetch a few spare rows and more only if duplicates ate them."""
    fetch = None if limit is None else limit + 10
    while True:
        rows = _run(db, text + (f" LIMIT {fetch}" if fetch else ""), params)
        out, seen = [], set()
        for row in rows:
            if row[0] not in seen:
                seen.add(row[0])
                out.append(_event(row))
        if fetch is None or len(rows) < fetch or len(out) >= limit:
            return out if limit is None else out[:limit]
        fetch *= 4


# Stages of one matter against a person or organisation, in the order they follow each other.
# A case advances through these; an event of an earlier stage after a later one opens a new case.
CASE_STAGES = ("warning", "investigation", "expulsion", "prosecution", "penalty", "sentence")
CASE_ROLES = ("target",)
CASE_GAP_DAYS = 3 * 365  # a matter quiet for longer than this is a new case when it resumes
ENTITY_EVENTS = 200  # `entity` shows this many of the latest events; event_count has them all


def case_history(db: sqlite_utils.Database, name_or_id: str) -> dict:
    """The successive events about the same matter for one entity, grouped as cases."""
    ent = find_entity(db, name_or_id)
    ent["cases"] = cases(db, ent["id"])
    return ent


def cases(db: sqlite_utils.Database, entity_id: str) -> list[dict]:
    evs = entity_events(db, entity_id, types=CASE_STAGES, roles=CASE_ROLES)
    return _cases(entity_id, evs)


def _cases(entity_id: str, evs: list[dict]) -> list[dict]:
    cases: list[dict] = []
    for ev in evs:
        if ev["type"] not in CASE_STAGES or ev["modality"] != "happened" or not ev["date"]:
            continue
        if not any(x["id"] == entity_id and x["role"] in CASE_ROLES for x in ev["entities"]):
            continue
        stage = CASE_STAGES.index(ev["type"])
        case = cases[-1] if cases else None
        if case is None or stage < case["_stage"] or _gap_days(case["end"], ev["date"]) \
                > CASE_GAP_DAYS:
            case = {"start": ev["date"], "end": ev["date"], "stages": [], "_stage": stage}
            cases.append(case)
        if not case["stages"] or case["stages"][-1]["stage"] != ev["type"]:
            case["stages"].append({"stage": ev["type"], "date": ev["date"],
                                   "date_precision": ev["date_precision"], "events": []})
        case["stages"][-1]["events"].append(ev)
        case["end"], case["_stage"] = max(case["end"], ev["date"]), stage
    for n, case in enumerate(cases, start=1):
        case["case"] = n
        case["latest_stage"] = case["stages"][-1]["stage"]
        del case["_stage"]
    return cases


def _gap_days(a: str, b: str) -> int:
    from datetime import date

    def day(s: str) -> date:
        parts = (s.split("T")[0].split("-") + ["01", "01"])[:3]
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    try:
        return abs((day(b) - day(a)).days)
    except ValueError:
        return 0
