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
from datetime import date, timedelta
from functools import lru_cache
from operator import itemgetter
from typing import Any

import sqlite_utils

from ..errors import QueryError
from ..query import ENTITY_FILTERS, Filter, Query, parse

# bm25 column weights: a word in the title counts five times a word in the body
TITLE_WEIGHT, BODY_WEIGHT = 5.0, 1.0
MARK_OPEN, MARK_CLOSE = "\x02", "\x03"  # snippet markers, turned into [..] or <mark>
SNIPPET_TOKENS = 24
K1, B = 1.2, 0.75  # FTS5's bm25 constants
# Ranking window: the newest this many matches are scored (setting search.rank_window)
RANK_WINDOW = 200
WALK_CHUNK, WALK_CHUNK_MAX = 2000, 32_000  # matches read at once when filters thin them out
SPAN_MONTHS = 36  # a date range over more months than this is not worth narrowing the walk to
FILTER_SET_MAX = 50_000  # a filter holding fewer documents is read from its index as a set
SLICE_MIN = 2000  # ids per slice when a filter's documents are read a slice at a time
# Measured costs that choose between exact bm25 and its IDF-free form: bm25's IDF pass reads
# each matching document's entry in the index (~0.035 us for a word, ~0.35 us for a phrase or
# prefix); marking a candidate's text costs 30-60 us (its row is read, often from disk),
# asking the index about one row ~20 us, walking past one match ~0.5 us.
IDF_WORD_US, IDF_PHRASE_US, MARK_US, PROBE_US, WALK_US = 0.035, 0.35, 60.0, 20.0, 0.5
DENSE = 40  # ids closer than this on average are scored in one walk over their range
PROBE_CHUNK = 250  # ids probed against the index at once


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

DOC_COLUMNS = "d.id, d.url, d.title, d.source, d.published_at, d.story_id, d.published_day"


def _doc(row) -> dict:
    return {"id": row[0], "url": row[1], "title": row[2], "source": row[3],
            "published": row[4], "story": row[5], "day": row[6]}


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

EVENT_ONLY = ("e.id, e.type, e.date, e.date_precision, e.jurisdiction, e.modality, e.is_news, "
              "e.evidence, e.rule_id, e.confidence, e.document_id")
EVENT_COLUMNS = (EVENT_ONLY.removesuffix("e.document_id") + "d.id, d.url, d.title, d.source, "
                 "d.published_at, d.story_id, d.published_day")


def _load_events(db, ids: list[int]) -> list[dict]:
    """Event objects for `ids`, in that order: rows, entities and the titles people were given
    in the event's document, in three queries whatever the number (a page of a timeline)."""
    if not ids:
        return []
    rows = db.execute(
        f"SELECT {EVENT_COLUMNS} FROM json_each(?) AS j CROSS JOIN events e ON e.id = j.value "
        "JOIN documents d ON d.id = e.document_id", [json.dumps(ids)]).fetchall()
    return _events_from_rows(db, rows, ids)


def _events_from_rows(db, found: list[tuple], ids: list[int],
                      docs: dict[int, dict] | None = None) -> list[dict]:
    """Event objects from EVENT_COLUMNS rows (EVENT_ONLY rows and the documents by id in
    `docs`), in the order of `ids`; a person carries the title of their first titled mention
    in the event's document."""
    rows = {r[0]: r for r in found}
    ents: dict[int, list[dict]] = {}
    for event_id, ent_id, name, kind, role, title in db.execute(
            "SELECT ee.event_id, en.id, en.name, en.kind, ee.role, CASE en.kind WHEN 'person' "
            "THEN (SELECT m.title FROM mentions m WHERE m.entity_id = en.id AND m.document_id "
            "= e.document_id AND m.title IS NOT NULL ORDER BY m.id LIMIT 1) END "
            "FROM json_each(?) AS j CROSS JOIN event_entities ee ON ee.event_id = j.value "
            "JOIN events e ON e.id = ee.event_id JOIN entities en ON en.id = ee.entity_id "
            "ORDER BY ee.event_id, ee.entity_id, ee.role", [json.dumps(ids)]):
        ent = {"id": ent_id, "name": name, "kind": kind, "role": role}
        if title is not None:
            ent["title"] = title
        ents.setdefault(event_id, []).append(ent)
    return [{"id": row[0], "type": row[1], "date": row[2], "date_precision": row[3],
             "jurisdiction": row[4], "modality": row[5], "is_news": bool(row[6]),
             "evidence": row[7], "rule_id": row[8], "confidence": row[9],
             "entities": ents.get(i, []),
             "document": docs[row[10]] if docs is not None else _doc(row[10:17])}
            for i in ids if (row := rows.get(i)) is not None]


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
            "FROM event_entities ee JOIN events e ON e.id = ee.event_id")
        sql.where.insert(0, "ee.entity_id = ?")
        sql.params.insert(0, driver[1][0])
    else:
        date_col, tie, source = "e.date", "e.id", "FROM events e"
    if (since := q.since()) is not None:
        sql.add(f"{date_col} >= ?", since)
    if (until := q.until()) is not None:
        sql.add(f"{date_col} < ?", until)
    if "d." in sql.clause():  # the documents' rows are large: join them only to filter on them
        source += " JOIN documents d ON d.id = e.document_id"
    text = (f"SELECT e.id {source} WHERE {sql.clause()} "
            f"ORDER BY {date_col} {order}, {tie} {order}")
    return _load_events(db, _distinct_ids(db, text, sql.params, limit))


def _run(db: sqlite_utils.Database, text: str, params: list) -> list:
    try:
        return db.execute(text, params).fetchall()
    except Exception as exc:  # sqlite3.OperationalError from FTS5: a bug here, not the user's
        if "fts5" in str(exc).lower():
            raise QueryError(f"the search index rejected the query: {exc}",
                             hint="Quote unusual words; please report this query.") from None
        raise


def events_for_documents(db: sqlite_utils.Database, ids: list[int],
                         docs: dict[int, dict] | None = None) -> dict[int, list[dict]]:
    """The events of each document; `docs` (by id), when the caller holds them already, saves
    reading the documents again."""
    if not ids:
        return {}
    columns, join = ((EVENT_ONLY, "") if docs is not None else
                     (EVENT_COLUMNS, "JOIN documents d ON d.id = e.document_id "))
    rows = db.execute(f"SELECT {columns} FROM events e {join}WHERE e.document_id IN "
                      f"({_marks(len(ids))}) ORDER BY e.date, e.id", ids).fetchall()
    out: dict[int, list[dict]] = {}
    for ev in _events_from_rows(db, rows, [r[0] for r in rows], docs):
        out.setdefault(ev["document"]["id"], []).append(ev)
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
        sql.add("d.published_day >= ?", since)
    if (until := q.until()) is not None:
        sql.add("d.published_day < ?", until)
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
    return [dict(_doc(r), text=r[7]) for r in _run(db, text, sql.params)]


def search(db: sqlite_utils.Database, query: str | Query, limit: int = 20, offset: int = 0,
           *, window: int | None = None) -> list[Hit]:
    """The best `limit` documents among the newest `window` matches, one per story.

    Ranked by FTS5's bm25 (a title word counts five body words), newer first on a tie; with
    fewer than `window` matches every match is ranked. Where bm25's document-frequency pass
    would cost more than the scoring itself (very common words at a million documents), the
    same formula without its IDF factor (see `_scored_marks`)."""
    q = parse(query)
    if not q.clauses:
        return _browse(db, q, limit, offset)
    return _hits(db, q, ranked(db, q, limit, offset, window=window))


def ranked(db: sqlite_utils.Database, query: str | Query, limit: int = 20, offset: int = 0,
           *, window: int | None = None) -> list[tuple[int, float]]:
    """What `search` ranks, without building the hits: (id, score) of the best document per
    story, best first (none for a query without words)."""
    q = parse(query)
    if not q.clauses:
        return []
    want = offset + limit
    window = max(window or RANK_WINDOW, want * 3 + 10)
    match = _match(q)
    ids = _candidates(db, q, window)
    newest = ids is None
    single = newest and len(q.terms) == 1 and not q.excluded
    top = db.execute("SELECT max(id) FROM documents").fetchone()[0] or 0  # rows, or more
    if single and _bm25_is_bounded(q, window, top):
        scored = _bm25(db, match, None, window, "newest")
    else:
        if newest:  # no filters: the newest matches
            ids = [r[0] for r in _run(db, "SELECT rowid FROM documents_fts WHERE documents_fts"
                                      f" MATCH ? ORDER BY rowid DESC LIMIT {int(window)}",
                                      [match])]
        if not ids:
            return []
        if _bm25_is_cheaper(db, q, ids, newest, single, window, top):
            # bm25 per probe would redo its IDF pass
            scored = _bm25(db, match, ids, len(ids), "newest" if newest else "range")
        else:
            scored = _scored_marks(db, match, ids, "newest" if newest else "auto")
    scored.sort(key=itemgetter(1, 0), reverse=True)
    return _best_stories(db, scored, want)[offset:want]


def _bm25_is_bounded(q: Query, k: int, top: int) -> bool:
    """Is exact bm25 of one word or phrase the cheaper scoring whatever its count? Its IDF
    pass reads at most every document (`top` is the highest id); the other marks up to `k`."""
    term = q.terms[0]
    simple = not term.prefix and len(term.text.split()) == 1
    return top * (IDF_WORD_US if simple else IDF_PHRASE_US) < k * MARK_US


def _bm25(db, match: str, ids: list[int] | None, k: int, mode: str) -> list[tuple]:
    """(id, score) by exact bm25 (higher is better) for the newest `k` matches or `ids`."""
    expr = f"bm25(documents_fts, {TITLE_WEIGHT}, {BODY_WEIGHT})"
    return [(i, -s) for i, s in _score_rows(db, match, ids or [], expr, mode, k)]


def _bm25_is_cheaper(db, q: Query, ids: list[int], newest: bool, single: bool,
                     k: int, top: int) -> bool:
    """Would exact bm25 cost less than its IDF-free form? bm25 first reads every document
    holding each query term (its IDF); each term's document count is estimated from how
    densely its newest `k` matches lie among the row ids (`single`: `ids` are those)."""
    if single and len(ids) < k:  # every match is in hand: the IDF pass reads no more
        return True
    n_rows = _averages(db)[0] or top or 1
    idf_cost, density = 0.0, 1.0
    for term in [*q.terms, *q.excluded]:
        walked = ids if single else [r[0] for r in _run(
            db, "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? ORDER BY rowid "
            f"DESC LIMIT {int(k)}", [term.fts()])]
        docs = len(walked) if len(walked) < k else k * n_rows / max(top - walked[-1] + 1, 1)
        simple = not term.prefix and len(term.text.split()) == 1
        idf_cost += docs * (IDF_WORD_US if simple else IDF_PHRASE_US)
        if term in q.terms:
            density = min(density, docs / n_rows)
    if newest:
        return idf_cost < len(ids) * MARK_US
    span = max(ids) - min(ids) + 1  # bm25 walks every match in the candidates' id range
    probe = 0.0 if span < DENSE * len(ids) else PROBE_US
    return idf_cost + density * span * WALK_US < len(ids) * (MARK_US + probe)


def _score_rows(db, match: str, ids: list[int], expr: str, mode: str,
                k: int | None = None) -> list[tuple]:
    """(rowid, value of `expr`, an FTS5 auxiliary expression) for the matches among `ids`.
    mode "newest": the newest `k` matches (by default as many as `ids`, which are they);
    "range": walk the matches between the lowest and highest id; "auto": that, or ask the
    index about each id when they lie far apart."""
    if mode == "newest":
        return _run(db, f"SELECT rowid, {expr} FROM documents_fts WHERE documents_fts MATCH ? "
                    f"ORDER BY rowid DESC LIMIT {int(k or len(ids))}", [match])
    if mode == "range" or max(ids) - min(ids) < DENSE * len(ids):
        return [r for r in _run(
            db, f"SELECT rowid, CASE WHEN rowid IN (SELECT value FROM json_each(?2)) THEN "
            f"{expr} END FROM documents_fts WHERE documents_fts MATCH ?1 AND rowid BETWEEN ?3 "
            "AND ?4", [match, json.dumps(ids), min(ids), max(ids)]) if r[1] is not None]
    return _run(db, f"SELECT rowid, {expr} FROM documents_fts WHERE documents_fts MATCH ? AND "
                "rowid IN (SELECT value FROM json_each(?))", [match, json.dumps(ids)])


def _best_stories(db, scored: list[tuple], want: int) -> list[tuple[int, float]]:
    """(id, score) of the best document of each story, best first, until `want` stories.
    A story is known by its first document's id, which is that document's story_id; only the
    best candidates are looked up among the later ones, a slice at a time."""
    out: list[tuple[int, float]] = []
    seen: set[int] = set()
    step = want + 10  # most stories have one document among the best
    for start in range(0, len(scored), step):
        part = scored[start:start + step]
        later = dict(db.execute(
            "SELECT d.id, d.story_id FROM json_each(?) AS j CROSS JOIN documents d INDEXED BY "
            "documents_followers ON d.id = j.value WHERE d.story_id != d.id",
            [json.dumps([i for i, _ in part])]).fetchall())
        for doc_id, score in part:
            if (story := later.get(doc_id, doc_id)) not in seen:
                seen.add(story)
                out.append((doc_id, score))
        if len(out) >= want:
            break
    return out


def _match(q: Query) -> str:
    match = q.fts()
    if (excluded := q.fts_excluded()) is not None:
        match = f"({match}) NOT ({excluded})"
    return match


def _candidates(db, q: Query, k: int) -> list[int] | None:
    """Ids of the newest `k` documents that match the words and pass the filters, newest
    first (None: no filters). Drives from the smaller side: a date range bounds the ids, and
    the documents an indexed filter allows are read from its index a slice of ids at a time,
    newest slice first, each slice then walked in the word index (or, when the filter's
    documents are few, each of them looked up there)."""
    match = _match(q)
    sql = _document_filters(db, q)
    if not sql.where:
        return None
    span = _id_span(db, q)
    if span is None:
        return []
    lo, hi = span
    if lo is None:
        lo, hi = 1, db.execute("SELECT max(id) FROM documents").fetchone()[0] or 0
    out: list[int] = []
    sources = _filter_sources(db, q)
    step, upper = max((hi - lo + 1) // 4, SLICE_MIN), hi
    while upper >= lo and len(out) < k:
        lower = max(lo, upper - step + 1)
        docset = _filter_set(db, sources, (lower, upper))
        if docset is None:  # no filter narrows this enough: walk and check each match
            return out + _walk(db, match, (lo, upper), None, sql, k - len(out))
        found = _slice(db, match, docset, (lower, upper), sql, k - len(out))
        out += found
        # size the next slice by the yield of the ones so far
        rate = len(out) / (hi - lower + 1)
        step = int(min(max((k - len(out)) / max(rate, 1e-9) * 1.2, SLICE_MIN), hi - lo + 1))
        upper = lower - 1
    return out[:k]


def _slice(db, match: str, docset: set[int], span: tuple, sql: _Sql, k: int) -> list[int]:
    if not docset:
        return []
    if len(docset) * PROBE_US < (span[1] - span[0] + 1) * WALK_US:
        return _probe(db, match, sorted(docset, reverse=True), sql, k)
    return _walk(db, match, span, docset, sql, k)


def _keep(db, ids: list[int], sql: _Sql) -> list[int]:
    """The ids (newest first) that pass the filters."""
    if not ids:
        return []
    # CROSS JOIN keeps the id list outside (the planner would rather scan a date index); the
    # covering index answers date and source without reading the documents' large rows
    rows = db.execute(f"SELECT d.id FROM json_each(?) AS j CROSS JOIN documents d INDEXED BY "
                      f"documents_id_cover ON d.id = j.value WHERE {sql.clause()} "
                      "ORDER BY d.id DESC",
                      [json.dumps(ids), *sql.params]).fetchall()
    return [r[0] for r in rows]


def _walk(db, match: str, span: tuple, docset: set | None, sql: _Sql, k: int) -> list[int]:
    """Walk the matches newest first in chunks, keeping those that pass the filters."""
    lo, hi = span
    out: list[int] = []
    chunk, seen = WALK_CHUNK, 0
    while len(out) < k:
        where, params = ["documents_fts MATCH ?"], [match]
        if hi is not None:
            where.append("rowid <= ?")
            params.append(hi)
        if lo is not None:
            where.append("rowid >= ?")
            params.append(lo)
        rows = _run(db, f"SELECT rowid FROM documents_fts WHERE {' AND '.join(where)} "
                    f"ORDER BY rowid DESC LIMIT {chunk}", params)
        ids = [r[0] for r in rows]
        if docset is not None:
            ids = [i for i in ids if i in docset]
        while ids and len(out) < k:  # check only about as many as are still wanted
            batch, ids = ids[:2 * (k - len(out)) + 50], ids[2 * (k - len(out)) + 50:]
            out += _keep(db, batch, sql)
        if len(rows) < chunk:
            break
        # read about as many more as the yield so far says the rest needs
        seen += len(rows)
        need = (k - len(out)) * seen / max(len(out), 1) * 1.2
        hi, chunk = rows[-1][0] - 1, int(min(max(need, WALK_CHUNK), WALK_CHUNK_MAX))
    return out[:k]


def _probe(db, match: str, ids: list[int], sql: _Sql, k: int) -> list[int]:
    """Ask the index about a few known documents, newest first, until `k` match."""
    out: list[int] = []
    for start in range(0, len(ids), PROBE_CHUNK):
        part = _keep(db, ids[start:start + PROBE_CHUNK], sql)
        if not part:
            continue
        rows = _run(db, "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? AND rowid "
                    "IN (SELECT value FROM json_each(?))", [match, json.dumps(part)])
        found = {r[0] for r in rows}
        out += [i for i in part if i in found]
        if len(out) >= k:
            break
    return out[:k]


def _id_span(db, q: Query) -> tuple[int | None, int | None] | None:
    """(lowest, highest) id of the documents published in the months since:/until: touch, or
    (None, None) when that is too many months to narrow anything; None when there are none."""
    since, until = q.since(), q.until()
    if since is None:
        return None, None
    first = since[:7] if len(since) >= 7 else since + "-01"
    last = _month_before(until) if until else db.execute(
        "SELECT max(substr(published_day, 1, 7)) FROM documents").fetchone()[0]
    months = _months(first, last or first)
    if len(months) > SPAN_MONTHS:
        return None, None
    lo = hi = None
    for month in months:  # each is one seek at either end of the month in documents_month
        a, z = db.execute("SELECT (SELECT min(id) FROM documents WHERE substr(published_day, 1, "
                          "7) = ?1), (SELECT max(id) FROM documents WHERE substr(published_day, "
                          "1, 7) = ?1)", [month]).fetchone()
        if a is not None:
            lo, hi = min(lo or a, a), max(hi or z, z)
    return None if lo is None else (lo, hi)


def _month_before(until: str) -> str:
    """The last month an exclusive bound ('2022', '2021-09', '2021-05-16') still lets in."""
    if len(until) == 4:
        return f"{int(until) - 1:04d}-12"
    if len(until) == 7:
        y, m = int(until[:4]), int(until[5:7])
        return f"{y - 1:04d}-12" if m == 1 else f"{y:04d}-{m - 1:02d}"
    return (date.fromisoformat(until[:10]) - timedelta(days=1)).isoformat()[:7]


def _months(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    out: list[str] = []
    while f"{y:04d}-{m:02d}" <= last and len(out) <= SPAN_MONTHS:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _filter_set(db, sources: list[tuple], span: tuple) -> set[int] | None:
    """The documents passing the most selective indexed filter (type:, source:, an entity),
    read from its index alone; None when every such filter holds too many documents."""
    lo, hi = span
    bound, bparams = "", []
    if lo is not None:
        bound, bparams = " AND {col} BETWEEN ? AND ?", [lo, hi]
    best: set[int] | None = None
    for text, params, col in sources:
        rows = db.execute(f"{text}{bound.format(col=col)} LIMIT {FILTER_SET_MAX + 1}",
                          [*params, *bparams]).fetchall()
        if len(rows) <= FILTER_SET_MAX:
            found = {r[0] for r in rows}
            best = found if best is None else best & found
    return best


def _filter_sources(db, q: Query) -> list[tuple[str, list, str]]:
    out = []
    types = [v for f in q.get("type") if not f.negated for v in f.values]
    if types:
        out.append((f"SELECT document_id FROM events WHERE type IN ({_marks(len(types))})",
                    types, "document_id"))
    sources = [v for f in q.get("source") if not f.negated for v in f.values]
    if sources:
        out.append((f"SELECT id FROM documents WHERE source IN ({_marks(len(sources))})",
                    sources, "id"))
    for f, ids in _resolve_filters(db, q):
        if not f.negated and ids and f.name != "place":
            out.append((f"SELECT document_id FROM mentions WHERE entity_id IN "
                        f"({_marks(len(ids))})", ids, "document_id"))
    return out


def _scored_marks(db, match: str, ids: list[int], mode: str) -> list[tuple]:
    """(id, score) for `ids` by FTS5's bm25 formula without the IDF factor: FTS5 marks each
    matched word or phrase in the text (highlight), the marks counted per column are the term
    frequencies, the lengths come from its docsize table. For one word or phrase the order is
    exactly bm25's (IDF is then one constant factor); with several, each weighs the same."""
    title, body = (f"coalesce(highlight(documents_fts, {c}, '{MARK_OPEN}', '{MARK_CLOSE}'), '')"
                   for c in (0, 1))
    found = _score_rows(db, match, ids, f"{title} || '{MARK_CLOSE}{MARK_CLOSE}' || {body}",
                        mode)
    freq = {}
    for i, marked in found:
        t, _, b = marked.partition(MARK_CLOSE * 2)
        freq[i] = TITLE_WEIGHT * t.count(MARK_OPEN) + BODY_WEIGHT * b.count(MARK_OPEN)
    _rows, avg = _averages(db)
    out = []
    for doc_id, size in db.execute(
            "SELECT j.value, s.sz FROM json_each(?) AS j LEFT JOIN documents_fts_docsize s "
            "ON s.id = j.value", [json.dumps(list(freq))]):
        f = freq[doc_id]
        length = sum(_varints(size)) if size else avg
        out.append((doc_id, f * (K1 + 1) / (f + K1 * (1 - B + B * length / avg)) if f else 0.0))
    return out


def _averages(db) -> tuple[int, float]:
    """(documents, average tokens per document) from FTS5's own totals record."""
    row = db.execute("SELECT block FROM documents_fts_data WHERE id = 1").fetchone()
    values = _varints(row[0]) if row and row[0] else []
    if len(values) < 2 or values[0] == 0:
        return 0, 1.0
    return values[0], max(sum(values[1:]) / values[0], 1.0)


def _varints(blob: bytes) -> list[int]:
    """Decode SQLite/FTS5 varints (big-endian 7-bit groups; a ninth byte carries 8 bits)."""
    out, value, n = [], 0, 0
    for byte in blob:
        n += 1
        if n == 9:
            out.append((value << 8) | byte)
            value, n = 0, 0
        elif byte & 0x80:
            value = (value << 7) | (byte & 0x7F)
        else:
            out.append((value << 7) | byte)
            value, n = 0, 0
    return out



def _best_per_story(rows: list[tuple]) -> list[tuple[int, float]]:
    """(id, 0.0) of the first of each story among (id, story_id) rows."""
    seen, best = set(), []
    for doc_id, story in rows:
        if (key := story if story is not None else doc_id) not in seen:
            seen.add(key)
            best.append((doc_id, 0.0))
    return best


def _browse(db, q: Query, limit: int, offset: int) -> list[Hit]:
    """No words to rank by: the newest documents that pass the filters, one per story."""
    sql = _document_filters(db, q)
    _words(q, sql, "d.id")
    fetch = (offset + limit) * 3 + 10
    while True:
        text = (f"SELECT d.id, d.story_id FROM documents d "
                f"WHERE {sql.clause()} ORDER BY d.published_at DESC, d.id DESC LIMIT {fetch}")
        rows = _run(db, text, sql.params)
        best = _best_per_story(rows)
        if len(best) >= offset + limit or len(rows) < fetch:
            return _hits(db, q, best[offset:offset + limit])
        fetch *= 4


def _hits(db, q: Query, rows: list[tuple[int, float]]) -> list[Hit]:
    ids = [r[0] for r in rows]
    if not ids:
        return []
    found = _marked_documents(db, q, ids)
    # a document can stop matching between ranking and here (its page text arrived): left out
    rows = [r for r in rows if r[0] in found]
    ids = [r[0] for r in rows]
    evs = events_for_documents(db, ids, {i: found[i][0] for i in ids})
    others = _also_reported(db, [found[i][0]["story"] for i in ids], ids)
    return [Hit(document=found[i][0], snippet=_plain(found[i][1]), score=round(score, 6),
                events=evs.get(i, []), also_reported_by=others.get(found[i][0]["story"], []),
                raw_snippet=found[i][1])
            for i, score in rows]


def _marked_documents(db, q: Query, ids: list[int]) -> dict[int, tuple[dict, str]]:
    """Each document with its snippet: FTS5's snippet() of the body around the most matched
    words, else the title with its matched words marked; the body's lead without words.

    One statement, and snippet() picks and cuts the window in C: a Python window over
    highlight()'s whole body cost more than the rest of a search's hits together."""
    if (match := q.fts()) is None:
        return {r[0]: (_doc(r), _lead(r[7])) for r in db.execute(
            f"SELECT {DOC_COLUMNS}, d.body FROM documents d WHERE d.id IN "
            f"({_marks(len(ids))})", ids)}
    marks = f"'{MARK_OPEN}', '{MARK_CLOSE}'"
    # CROSS JOIN: the index answers the ids, then each row is read once (not scanned)
    return {r[0]: (_doc(r), r[7] if MARK_OPEN in (r[7] or "") else r[8] or "") for r in _run(
        db, f"SELECT {DOC_COLUMNS}, snippet(documents_fts, 1, {marks}, '…', {SNIPPET_TOKENS}), "
        f"highlight(documents_fts, 0, {marks}) FROM documents_fts CROSS JOIN documents d ON "
        f"d.id = documents_fts.rowid WHERE documents_fts MATCH ? AND documents_fts.rowid IN "
        f"({_marks(len(ids))})", [match, *ids])}


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

# Stages of one matter against a person or organisation, in the order they follow each other.
# A case advances through these; an event of an earlier stage after a later one opens a new case.
CASE_STAGES = ("warning", "investigation", "expulsion", "prosecution", "penalty", "sentence")
CASE_ROLE = "target"  # written into the SQL so the partial index event_entities_target serves
CASE_ROLES = (CASE_ROLE,)
CASE_GAP_DAYS = 3 * 365  # a matter quiet for longer than this is a new case when it resumes
ENTITY_EVENTS = 200  # `entity` shows this many of the latest events; event_count has them all
MAX_CASES = 20  # case histories show the latest this many cases (setting entity.max_cases)

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


def entity(db: sqlite_utils.Database, name_or_id: str, *,
           max_cases: int | None = MAX_CASES) -> dict:
    """One entity: aliases, the titles it was given over time, its events, its latest cases."""
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
    ent["events"] = fold_repeats(
        entity_events(db, ent["id"], limit=ENTITY_EVENTS, newest_first=True)[::-1])
    ent["cases"], ent["earlier_cases"] = latest_cases(db, ent["id"], max_cases)
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
    text = (f"SELECT e.id FROM event_entities ee JOIN events e ON e.id = ee.event_id "
            f"WHERE {sql.clause()} ORDER BY ee.date {order}, ee.rowid {order}")
    return _load_events(db, _distinct_ids(db, text, sql.params, limit))


def _distinct_ids(db, text: str, params: list, limit: int | None) -> list[int]:
    """Run an event-id query where an event may come twice (an entity in two roles); fetch a
    few spare rows and more only if duplicates ate them."""
    fetch = None if limit is None else limit + 10
    while True:
        rows = _run(db, text + (f" LIMIT {fetch}" if fetch else ""), params)
        out = list(dict.fromkeys(r[0] for r in rows))
        if fetch is None or len(rows) < fetch or len(out) >= limit:
            return out if limit is None else out[:limit]
        fetch *= 4




def case_history(db: sqlite_utils.Database, name_or_id: str, *,
                 max_cases: int | None = MAX_CASES) -> dict:
    """The successive events about the same matter for one entity, grouped as cases: the
    latest `max_cases` of them (None: all); `earlier_cases` says whether older ones exist."""
    ent = find_entity(db, name_or_id)
    ent["cases"], ent["earlier_cases"] = latest_cases(db, ent["id"], max_cases)
    return ent


def cases(db: sqlite_utils.Database, entity_id: str) -> list[dict]:
    """Every case of an entity, oldest first."""
    return latest_cases(db, entity_id, None)[0]


def latest_cases(db: sqlite_utils.Database, entity_id: str,
                 max_cases: int | None) -> tuple[list[dict], bool]:
    """The latest `max_cases` cases (oldest of them first) and whether earlier ones exist.

    Whether two successive events belong to one case depends on those two alone (stage order,
    gap), so the entity's case events are walked newest first and the walk stops at the
    boundary before the case one too many: a busy entity costs what its latest cases cost."""
    cur = db.execute(
        f"SELECT ee.date, {EVENT_COLUMNS} FROM event_entities ee JOIN events e ON e.id = "
        f"ee.event_id JOIN documents d ON d.id = e.document_id WHERE ee.entity_id = ? AND "
        f"ee.role = '{CASE_ROLE}' AND e.type IN ({_marks(len(CASE_STAGES))}) "
        "AND e.modality = 'happened' AND ee.date IS NOT NULL AND ee.date != '' "
        f"ORDER BY ee.date DESC, {_STAGE_ORDER} DESC, ee.event_id DESC",
        [entity_id, *CASE_STAGES])
    kept: list[tuple] = []  # (date, stage, event row), newest first
    count, more = 0, False
    for day, *row in cur:
        stage = CASE_STAGES.index(row[1])
        if not kept or kept[-1][1] < stage or _gap_days(day, kept[-1][0]) > CASE_GAP_DAYS:
            if max_cases is not None and count >= max_cases:
                more = True
                break
            count += 1
        kept.append((day, stage, row))
    cur.close()
    rows = [k[2] for k in reversed(kept)]
    return _cases(entity_id, _events_from_rows(db, rows, [r[0] for r in rows])), more


# Events of one day in stage order: two outlets' reports of an expulsion and a transfer to
# prosecutors that day are one case, whatever order they were stored in.
_STAGE_ORDER = "CASE e.type " + " ".join(
    f"WHEN '{stage}' THEN {n}" for n, stage in enumerate(CASE_STAGES)) + " END"


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
    if a == b:
        return 0
    first, second = _day(a), _day(b)
    return 0 if first is None or second is None else abs((second - first).days)


@lru_cache(maxsize=8192)
def _day(s: str) -> date | None:
    """'2021', '2021-05' or '2021-05-16[T...]' as a date (first day of a year or month)."""
    parts = (s.split("T")[0].split("-") + ["01", "01"])[:3]
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def _repeat_key(event: dict[str, Any]) -> tuple:
    who = frozenset((e["id"], e["role"]) for e in event["entities"])
    return (event["document"]["story"], event["type"], event["date"], event["modality"], who)


def fold_repeats(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One event per story, type, date and cast: the same news from two sources is listed
    once, the other reports under `also_reported_by` ({source, url, title})."""
    first: dict[tuple, dict[str, Any]] = {}
    out = []
    for event in events:
        key = _repeat_key(event)
        if event["document"]["story"] is None or key not in first:
            first[key] = event
            event.setdefault("also_reported_by", [])
            out.append(event)
            continue
        kept, doc = first[key], event["document"]
        sources = {kept["document"]["source"]} | {a["source"] for a in kept["also_reported_by"]}
        if doc["id"] != kept["document"]["id"] and doc["source"] not in sources:
            kept["also_reported_by"].append(
                {"source": doc["source"], "url": doc["url"], "title": doc["title"]})
    return out
