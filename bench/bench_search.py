"""Search and timeline latency: tracker's query API against the plainest hand-written SQL.

    .venv/bin/python bench/bench_search.py --sizes 100000,1000000 [--queries 300]

Builds (once, cached under bench/.cache/) a database of N synthetic ~2 KB documents with a
Zipf vocabulary, entities, mentions and events, without the NLP model: bulk insert with the FTS
triggers dropped, one FTS rebuild, triggers restored. A cached file is upgraded in place by
the migrations `connect` applies. Then, for each kind of question, runs the same randomly
drawn queries through tracker, through the plainest SQL for the same bounded question, and
through the unbounded reference query, on the same connection, and prints p50/p95 in
milliseconds, the tracker/plain p95 ratio, and the database size. Searches get two plain
columns: "ids", the ranking alone (ids and scores), and "whole", the same ranking plus the
hits' documents, snippets, events with their entities and the story's other outlets, which
is what tracker's search returns; "ranking" is tracker's ranking alone against "ids". For
timelines and case histories the plain statement returns the whole answer: its figures are
printed under "whole".
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tracker.store import query as store_query  # noqa: E402
from tracker.store.db import connect  # noqa: E402

CACHE = ROOT / "bench" / ".cache"
BUILD_VERSION = 3  # bump when the generator changes, so cached files are rebuilt


def _split(text: str) -> list[str]:
    return text.split()


DOMAIN = _split("mining bitcoin crypto cryptocurrency ban crackdown regulator exchange trading "
                "token blockchain miners energy electricity coal emissions carbon climate pledge "
                "central bank digital currency yuan stablecoin fraud investigation discipline "
                "party official expelled prosecution sentence court fine penalty warning "
                "securities commission ministry province hydropower sichuan xinjiang inner "
                "mongolia kazakhstan texas hashrate wallet license compliance laundering "
                "sanctions approval regulation")
PHRASES = ["crypto mining", "central bank", "digital currency", "energy consumption",
           "carbon neutrality", "virtual currency", "illegal fundraising", "party discipline",
           "serious violations", "trading platforms", "financial risks", "power supply"]
TYPES = ["investigation", "expulsion", "prosecution", "sentence", "ban", "crackdown", "warning",
         "penalty", "regulation", "approval", "pledge", "appointment"]
CASE = ["investigation", "expulsion", "prosecution", "sentence"]
SYLL = _split("ba be bi bo bu ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu ra re "
              "ri ro ru sa se si so su ta te ti to tu va ve vi vo zu zhe qi xia")


def vocabulary(rng: random.Random, size: int = 30_000) -> list[str]:
    """Function words first (most frequent), then domain words, then pseudo-words."""
    common = _split("the of and to in a is that for on was with as by it said at from its be "
                    "has have are an this not were which will their been more after also over "
                    "new than other would about two into had year government people")
    words = list(dict.fromkeys(common + DOMAIN))
    seen = set(words)
    while len(words) < size:
        w = "".join(rng.choice(SYLL) for _ in range(rng.randint(2, 4)))
        if w not in seen:
            seen.add(w)
            words.append(w)
    return words


def _cum_weights(n: int, s: float = 1.05) -> list[float]:
    total, out = 0.0, []
    for rank in range(1, n + 1):
        total += 1.0 / rank ** s
        out.append(total)
    return out


class Generator:
    def __init__(self, n: int, seed: int = 7):
        self.rng = random.Random(seed)
        self.n = n
        self.vocab = vocabulary(self.rng)
        self.cw = _cum_weights(len(self.vocab))
        self.sources = [f"source{i:02d}" for i in range(30)]
        self.entities = self._entities()
        self.ecw = {k: _cum_weights(len(v), 1.1) for k, v in self.entities.items()}

    def _entities(self) -> dict[str, list[tuple]]:
        rng = self.rng
        ents: dict[str, list[tuple]] = {"agency": [], "person": [], "organization": [],
                                        "place": [], "topic": []}
        for i in range(60):
            name = f"{rng.choice(SYLL).title()}{rng.choice(SYLL)} Regulatory Commission {i}"
            abbrev = "".join(w[0] for w in name.split()[:3]).upper() + str(i)
            ents["agency"].append((f"ag-{i}", "agency", name, [abbrev]))
        for i in range(max(200, self.n // 100)):
            name = f"{rng.choice(SYLL).title()} {rng.choice(SYLL).title()}{rng.choice(SYLL)} {i}"
            ents["person"].append((f"person:p{i}", "person", name, []))
        for i in range(max(50, self.n // 1000)):
            ents["organization"].append((f"org:o{i}", "organization",
                                         f"{rng.choice(SYLL).title()}coin Exchange {i}", []))
        for code in _split("CN US KZ RU GB DE JP KR SG HK IN CA AU BR IR NO SE IS GE MY"):
            ents["place"].append((f"place:{code}", "place", f"Country {code}", [code]))
        for t in _split("crypto-mining crypto-trading stablecoins cbdc climate fraud"):
            ents["topic"].append((f"topic:{t}", "topic", t.replace("-", " "), []))
        return ents

    def pick(self, kind: str) -> tuple:
        return self.rng.choices(self.entities[kind], cum_weights=self.ecw[kind])[0]

    def words(self, k: int) -> list[str]:
        return self.rng.choices(self.vocab, cum_weights=self.cw, k=k)

    def document(self, i: int) -> tuple[tuple, list[tuple], list[tuple]]:
        rng = self.rng
        day = 2557 * i // self.n + rng.randint(-3, 3)  # 2017..2024, roughly in storage order
        published = _day(max(day, 0))
        people = [self.pick("person") for _ in range(rng.randint(0, 2))]
        agency, place, topic = self.pick("agency"), self.pick("place"), self.pick("topic")
        title = self.words(rng.randint(6, 11))
        title.insert(rng.randrange(len(title)), rng.choice(DOMAIN))
        body = self.words(rng.randint(260, 340))
        for phrase in rng.sample(PHRASES, 2):
            body.insert(rng.randrange(len(body)), phrase)
        named = [agency[2], place[2]] + [p[2] for p in people]
        for name in named:
            body.insert(rng.randrange(len(body)), name)
        story = i if rng.random() > 0.1 or i < 10 else i - rng.randint(1, 5)
        doc = (i, f"https://{self.sources[i % 30]}.example/{i}", self.sources[i % 30],
               " ".join(title).capitalize(), " ".join(body), published + "T08:00:00+00:00",
               published, published + "T09:00:00+00:00", f"h{i}", story)
        mentions = [(i, e[0], e[2]) for e in [agency, place, topic, *people]]
        events = self._events(i, day, agency, place, people)
        return doc, mentions, events

    def _events(self, i: int, day: int, agency, place, people) -> list[tuple]:
        rng, out = self.rng, []
        for k in range(rng.choice((0, 1, 1, 2, 2, 3))):
            target = people[k % len(people)] if people else self.pick("organization")
            etype = rng.choice(CASE) if people and rng.random() < 0.4 else rng.choice(TYPES)
            when = _day(max(day - (rng.randint(30, 2000) if rng.random() < 0.1 else 0), 0))
            roles = [(agency[0], "actor"), (target[0], "target"), (place[0], "place")]
            out.append((i, etype, when, place[0].split(":")[1], roles))
        return out


def _day(n: int) -> str:
    from datetime import date, timedelta
    return (date(2017, 1, 1) + timedelta(days=n)).isoformat()


def build(path: Path, n: int) -> None:
    """Bulk load without FTS triggers, then rebuild the index and restore the triggers."""
    tmp = path.with_suffix(".building")
    for p in (tmp, Path(str(tmp) + "-wal"), Path(str(tmp) + "-shm")):
        p.unlink(missing_ok=True)
    t0 = time.perf_counter()
    db = connect(tmp)
    conn = db.conn
    triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                            "AND tbl_name = 'documents'").fetchall()
    for name, _ in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("PRAGMA synchronous = OFF")
    gen = Generator(n)
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO entities (id, kind, name, aliases) VALUES (?, ?, ?, ?)",
                     [(e[0], e[1], e[2], json.dumps(e[3])) for es in gen.entities.values()
                      for e in es])
    event_id = 0
    for start in range(1, n + 1, 10_000):
        docs, mentions, events, roles = [], [], [], []
        for i in range(start, min(start + 10_000, n + 1)):
            doc, ms, evs = gen.document(i)
            docs.append(doc)
            mentions += [(d, e, s, 0, len(s)) for d, e, s in ms]
            for d, etype, when, jur, rs in evs:
                event_id += 1
                events.append((event_id, d, etype, when, "day", jur, f"Evidence {etype} {d}.",
                               f"bench-{etype}", "2024-01-01T00:00:00+00:00"))
                roles += [(event_id, ent, role, when) for ent, role in rs]
        _insert(conn, docs, mentions, events, roles)
        print(f"  {min(start + 9_999, n)} documents, {time.perf_counter() - t0:.0f}s",
              file=sys.stderr, end="\r")
    conn.execute("COMMIT")
    conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')")
    conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('optimize')")
    for _, sql in triggers:
        conn.execute(sql)
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    tmp.rename(path)
    print(f"built {path.name}: {n} documents in {time.perf_counter() - t0:.0f}s",
          file=sys.stderr)


def _insert(conn, docs, mentions, events, roles) -> None:
    conn.executemany("INSERT INTO documents (id, url, source, title, body, published_at, "
                     "published_day, fetched_at, content_hash, story_id) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", docs)
    conn.executemany("INSERT INTO mentions (document_id, entity_id, surface, start, end) "
                     "VALUES (?, ?, ?, ?, ?)", mentions)
    conn.executemany("INSERT INTO events (id, document_id, type, date, date_precision, "
                     "jurisdiction, evidence, rule_id, created_at) VALUES "
                     "(?, ?, ?, ?, ?, ?, ?, ?, ?)", events)
    conn.executemany("INSERT OR IGNORE INTO event_entities (event_id, entity_id, role, date) "
                     "VALUES (?, ?, ?, ?)", roles)


# ---- the questions -----------------------------------------------------------------------

# Each question is timed three ways: tracker; the plainest hand-written SQL for the same
# (bounded) question tracker answers; and, for reference, the unbounded question (exact BM25
# over every match, every case event), so the trade-off stays visible.
WINDOW = store_query.RANK_WINDOW
PLAIN_WORDS = f"""SELECT * FROM (SELECT rowid, bm25(documents_fts, 5.0, 1.0) AS s
FROM documents_fts WHERE documents_fts MATCH ? ORDER BY rowid DESC LIMIT {WINDOW})
ORDER BY s LIMIT 20"""
EXACT_WORDS = """SELECT rowid, bm25(documents_fts, 5.0, 1.0) AS s FROM documents_fts
WHERE documents_fts MATCH ? ORDER BY s LIMIT 20"""
PLAIN_FILTERED = f"""SELECT * FROM (SELECT d.id, bm25(documents_fts, 5.0, 1.0) AS s
FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid
WHERE documents_fts MATCH ? AND d.published_day >= ? AND d.published_day < ?
AND EXISTS (SELECT 1 FROM events e WHERE e.document_id = d.id AND e.type = ?)
ORDER BY documents_fts.rowid DESC LIMIT {WINDOW}) ORDER BY s LIMIT 20"""
EXACT_FILTERED = """SELECT d.id, bm25(documents_fts, 5.0, 1.0) AS s
FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid
WHERE documents_fts MATCH ? AND d.published_day >= ? AND d.published_day < ?
AND EXISTS (SELECT 1 FROM events e WHERE e.document_id = d.id AND e.type = ?)
ORDER BY s LIMIT 20"""
# The whole answer tracker's search returns, by the plainest SQL: the same bounded ranking as
# the ids-only query above, then for its 20 hits, in the same statement, the document's
# columns, FTS5 snippet() of the body with the matched terms marked, the document's events
# (type, date, evidence) with their entities (name, kind, role, a person's title in that
# document) and the other documents of the same story (source, url, title). It does not keep
# one hit per story as tracker does. The ranking comes first, so its `?` are numbered from 1
# and ?1 is the MATCH expression.
FULL_HITS = """WITH hit (id, s) AS ({ranking})
SELECT d.id, d.url, d.title, d.source, d.published_at, d.story_id, hit.s,
  (SELECT snippet(documents_fts, 1, '[', ']', '…', 24) FROM documents_fts
   WHERE documents_fts MATCH ?1 AND rowid = d.id),
  (SELECT group_concat(e.type || '|' || coalesce(e.date, '') || '|' || e.evidence || '|' || (
      SELECT group_concat(en.name || ':' || en.kind || ':' || x.role || ':' || coalesce((
          SELECT m.title FROM mentions m WHERE m.document_id = d.id AND m.entity_id = en.id
          AND m.title IS NOT NULL LIMIT 1), ''), ';')
      FROM event_entities x JOIN entities en ON en.id = x.entity_id WHERE x.event_id = e.id),
    char(10)) FROM events e WHERE e.document_id = d.id),
  (SELECT group_concat(o.source || ' ' || o.url || ' ' || o.title, char(10))
   FROM documents o WHERE o.story_id = d.story_id AND o.id != d.id)
FROM hit JOIN documents d ON d.id = hit.id ORDER BY hit.s"""
FULL_WORDS = FULL_HITS.format(ranking=PLAIN_WORDS)
FULL_FILTERED = FULL_HITS.format(ranking=PLAIN_FILTERED)
# an event with what tracker's event object holds: its document, and its entities with name,
# kind, role and, for people, the title their mention in that document gave them
EVENT_ROW = """e.*, d.url, d.title, d.source, d.published_at, d.story_id,
  (SELECT group_concat(en.name || ':' || en.kind || ':' || x.role || ':' || coalesce((
      SELECT m.title FROM mentions m WHERE m.document_id = e.document_id
      AND m.entity_id = en.id AND m.title IS NOT NULL LIMIT 1), ''))
   FROM event_entities x JOIN entities en ON en.id = x.entity_id WHERE x.event_id = e.id)"""
PLAIN_TIMELINE = f"""SELECT {EVENT_ROW}
FROM event_entities ee JOIN events e ON e.id = ee.event_id JOIN documents d ON d.id = e.document_id
WHERE ee.entity_id = (SELECT entity_id FROM entity_names WHERE name_key = lower(?))
ORDER BY ee.date DESC LIMIT 50"""
CASE_WHERE = """WHERE ee.entity_id = (SELECT entity_id FROM entity_names WHERE name_key = lower(?))
AND ee.role = 'target' AND e.modality = 'happened' AND e.type IN ('warning', 'investigation',
'expulsion', 'prosecution', 'penalty', 'sentence')"""
# the latest cases: the same newest-first rows tracker reads (their number is looked up per
# entity before timing), with their details
PLAIN_CASE = f"""SELECT {EVENT_ROW}
FROM event_entities ee JOIN events e ON e.id = ee.event_id JOIN documents d ON d.id = e.document_id
{CASE_WHERE} ORDER BY ee.date DESC LIMIT ?"""
EXACT_CASE = f"""SELECT {EVENT_ROW}
FROM event_entities ee JOIN events e ON e.id = ee.event_id JOIN documents d ON d.id = e.document_id
{CASE_WHERE} ORDER BY ee.date"""


def questions(db: sqlite3.Connection, gen: Generator, count: int) -> dict[str, list]:
    """For each kind of question: (tracker call, plain (sql, params), reference (sql, params),
    tracker's ranking alone, plain whole answer (sql, params)); the last two for searches."""
    rng = random.Random(11)
    content = DOMAIN + gen.vocab[len(DOMAIN) + 60:len(DOMAIN) + 5000]
    popular = [r[0] for r in db.execute(
        "SELECT entity_id FROM event_entities GROUP BY entity_id ORDER BY count(*) DESC "
        "LIMIT 300")]
    names = dict(db.execute("SELECT id, name FROM entities").fetchall())
    people = [e for e in popular if e.startswith("person:")] or popular
    out: dict[str, list] = {"one word": [], "phrase": [], "words + type + dates": [],
                            "entity timeline": [], "case history": []}
    for _ in range(count):
        word = rng.choice(content)
        out["one word"].append((lambda w=word: store_query.search(db_api, w),
                                (PLAIN_WORDS, [f'"{word}"']), (EXACT_WORDS, [f'"{word}"']),
                                lambda w=word: store_query.ranked(db_api, w),
                                (FULL_WORDS, [f'"{word}"'])))
        phrase = rng.choice(PHRASES)
        out["phrase"].append((lambda p=phrase: store_query.search(db_api, f'"{p}"'),
                              (PLAIN_WORDS, [f'"{phrase}"']), (EXACT_WORDS, [f'"{phrase}"']),
                              lambda p=phrase: store_query.ranked(db_api, f'"{p}"'),
                              (FULL_WORDS, [f'"{phrase}"'])))
        w2, t, y = rng.choice(DOMAIN), rng.choice(TYPES), rng.randint(2017, 2023)
        m = rng.randint(1, 7)
        since, until = f"{y}-{m:02d}", f"{y}-{m + 5:02d}"
        q = f"{w2} type:{t} since:{since} until:{until}"
        params = [f'"{w2}"', since, f"{y}-{m + 6:02d}", t]
        out["words + type + dates"].append((lambda q=q: store_query.search(db_api, q),
                                            (PLAIN_FILTERED, params), (EXACT_FILTERED, params),
                                            lambda q=q: store_query.ranked(db_api, q),
                                            (FULL_FILTERED, params)))
        ent = names[rng.choice(popular)]
        out["entity timeline"].append((
            lambda e=ent: store_query.events(db_api, f'entity:"{e}"', limit=50,
                                             newest_first=True), (PLAIN_TIMELINE, [ent]), None,
            None, None))
        person = names[rng.choice(people)]
        shown = store_query.case_history(db_api, person)["cases"]
        n = sum(len(s["events"]) for c in shown for s in c["stages"]) + 1
        out["case history"].append((lambda p=person: store_query.case_history(db_api, p),
                                    (PLAIN_CASE, [person, n]), (EXACT_CASE, [person]), None,
                                    None))
    return out


db_api = None  # the sqlite_utils Database the tracker calls use


def measure(db: sqlite3.Connection, qs: list, reference: int) -> tuple[list, ...]:
    ours, plain, ref, ranking, full = [], [], [], [], []
    for n, (call, (sql, params), exact, rank, whole) in enumerate(qs):
        # interleaved, so all see about the same cache state. The ids-only plain query runs
        # first: the word-index pages it reads are warm for what follows (which favours
        # tracker and the plain whole answer over it); those two alternate which goes first.
        if exact and n < reference:
            t = time.perf_counter()
            db.execute(exact[0], exact[1]).fetchall()
            ref.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        db.execute(sql, params).fetchall()
        plain.append((time.perf_counter() - t) * 1000)
        if whole and n % 2 == 0:
            full.append(_timed(lambda w=whole: db.execute(w[0], w[1]).fetchall()))
        ours.append(_timed(call))
        if whole and n % 2 == 1:
            full.append(_timed(lambda w=whole: db.execute(w[0], w[1]).fetchall()))
        if rank:  # the ranking alone (ids, as the plain query returns), pages now warm
            ranking.append(_timed(rank))
    return ours, plain, ref, ranking, full


def _timed(call) -> float:
    t = time.perf_counter()
    call()
    return (time.perf_counter() - t) * 1000


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100)[int(p) - 1] if len(values) > 1 else values[0]


def analyze_new_indexes(conn: sqlite3.Connection) -> None:
    """A migration applied to a cached database adds indexes without statistics: gather them."""
    known = {r[0] for r in conn.execute("SELECT idx FROM sqlite_stat1")}
    tables = {r[1] for r in conn.execute(
        "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        if r[0] not in known}
    for table in sorted(tables):
        conn.execute(f"ANALYZE {table}")


def run(n: int, count: int, reference: int) -> None:
    global db_api
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"search-{n}-v{BUILD_VERSION}.db"
    if not path.exists():
        build(path, n)
    db_api = connect(path)  # applies any new migration to the cached file
    conn = db_api.conn
    analyze_new_indexes(conn)
    gen = Generator(n)
    qs = questions(conn, gen, count)
    size = path.stat().st_size / 1e6
    print(f"\n{n:,} documents, database {size:,.0f} MB, {count} queries per row "
          f"(reference: {min(reference, count)}), rank window {WINDOW}, load average "
          f"{os.getloadavg()[0]:.2f}")
    print(f"{'question':<22} {'tracker p50':>11} {'p95':>7} {'ids p50':>7} {'p95':>7} "
          f"{'ratio':>6} {'whole p50':>9} {'p95':>7} {'ratio':>6} {'ranking p95':>11} "
          f"{'ratio':>6} {'reference p50':>13} {'p95':>8}")
    for name, items in qs.items():
        measure(conn, items[:10], 0)  # warm the page cache
        ours, plain, ref, ranking, full = measure(conn, items, reference)
        if not full:  # timelines, case histories: the plain statement is the whole answer
            full, plain = plain, []
        p95 = max(pct(plain, 95), 1e-9)
        print(f"{name:<22} {pct(ours, 50):>11.2f} {pct(ours, 95):>7.2f} {pct(plain, 50):>7.2f} "
              f"{pct(plain, 95):>7.2f} {pct(ours, 95) / p95:>5.2f}x {pct(full, 50):>9.2f} "
              f"{pct(full, 95):>7.2f} {pct(ours, 95) / max(pct(full, 95), 1e-9):>5.2f}x "
              f"{pct(ranking, 95):>11.2f} {pct(ranking, 95) / p95:>5.2f}x "
              f"{pct(ref, 50):>13.2f} {pct(ref, 95):>8.2f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000",
                        help="comma-separated document counts (e.g. 2000 for a smoke run)")
    parser.add_argument("--queries", type=int, default=300, help="queries per question")
    parser.add_argument("--reference", type=int, default=None,
                        help="time the unbounded reference queries on only the first N "
                             "(they take up to a second each at 1M documents)")
    args = parser.parse_args()
    for n in (int(s) for s in args.sizes.split(",")):
        run(n, args.queries, args.queries if args.reference is None else args.reference)


if __name__ == "__main__":
    main()
