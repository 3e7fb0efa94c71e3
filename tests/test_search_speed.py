"""The fast paths of search, timelines and case histories give the answers of the plain SQL
they replace: bounded ranking, filter-driven candidates (sets, probes, slices), the IDF-free
scoring, the latest-cases walk, and the timeline cap."""

from __future__ import annotations

import json
import random

import pytest

from tracker.store import query as sq

WORDS = ["mining", "ban", "crypto", "energy", "coal", "bank", "token", "wallet", "fraud",
         "court", "fine", "pledge"]
TYPES = ["ban", "warning", "penalty", "pledge"]
SOURCES = ["reuters", "xinhua", "scmp"]


@pytest.fixture
def archive(db):
    """300 documents over 2020-2022 in storage order, ~1.5 events each, two entities."""
    rng = random.Random(3)
    db.execute("INSERT INTO entities (id, kind, name, aliases) VALUES "
               "('cn-ndrc', 'agency', 'NDRC', '[]'), ('person:li', 'person', 'Li Wei', '[]')")
    event_id = 0
    for i in range(1, 301):
        day = f"{2020 + (i - 1) // 100}-{(i - 1) % 100 // 9 + 1:02d}-{i % 28 + 1:02d}"
        title = " ".join(rng.choices(WORDS, k=rng.randint(2, 6)))
        body = " ".join(rng.choices(WORDS + ["the"] * 12, k=rng.randint(20, 80)))
        db.execute("INSERT INTO documents (id, url, source, title, body, published_at, "
                   "published_day, fetched_at, content_hash, story_id) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   [i, f"https://x.example/{i}", SOURCES[i % 3], title, body, day, day, day,
                    f"h{i}", i if i % 10 else i - 1])
        if i % 4 == 0:
            db.execute("INSERT INTO mentions (document_id, entity_id, surface, start, end) "
                       "VALUES (?, 'cn-ndrc', 'NDRC', 0, 4)", [i])
        for _ in range(rng.choice((0, 1, 2, 2))):
            event_id += 1
            db.execute("INSERT INTO events (id, document_id, type, date, evidence, rule_id, "
                       "created_at) VALUES (?, ?, ?, ?, 'e', 'r', 'now')",
                       [event_id, i, rng.choice(TYPES), day])
    return db


def plain_newest(db, match: str, where: str, params: list, k: int) -> list[int]:
    """The newest `k` matches passing `where`, the plainest way."""
    return [r[0] for r in db.execute(
        f"SELECT d.id FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid "
        f"WHERE documents_fts MATCH ? AND {where} ORDER BY d.id DESC LIMIT {k}",
        [match, *params])]


FILTERED = [
    ("mining type:ban", "EXISTS (SELECT 1 FROM events e WHERE e.document_id = d.id "
     "AND e.type = 'ban')", []),
    ("coal source:xinhua since:2021-03 until:2021-08",
     "d.source = 'xinhua' AND d.published_day >= '2021-03' AND d.published_day < '2021-09'",
     []),
    ("bank entity:NDRC -source:scmp", "d.id IN (SELECT document_id FROM mentions WHERE "
     "entity_id = 'cn-ndrc') AND d.source != 'scmp'", []),
    ("fraud type:pledge,warning since:2020-02-10", "d.published_day >= '2020-02-10' AND EXISTS "
     "(SELECT 1 FROM events e WHERE e.document_id = d.id AND e.type IN ('pledge', 'warning'))",
     []),
]


@pytest.mark.parametrize(("query", "where", "params"), FILTERED)
@pytest.mark.parametrize("path", ["default", "probe", "walk", "thin slices"])
def test_filtered_candidates_are_the_newest_passing_matches(archive, monkeypatch, query, where,
                                                             params, path):
    if path == "probe":  # ask the word index about each document the filter allows
        monkeypatch.setattr(sq, "WALK_US", 1e9)
    elif path == "walk":  # no filter set: walk the matches, check each
        monkeypatch.setattr(sq, "FILTER_SET_MAX", 0)
    elif path == "thin slices":
        monkeypatch.setattr(sq, "SLICE_MIN", 7)
        monkeypatch.setattr(sq, "WALK_CHUNK", 3)
    q = sq.parse(query)
    for k in (1, 5, 40):
        assert sq._candidates(archive, q, k) == plain_newest(archive, sq._match(q), where,
                                                             params, k)


def test_unbounded_window_ranks_exactly_like_bm25(archive):
    exact = [r[0] for r in archive.execute(
        "SELECT rowid FROM documents_fts WHERE documents_fts MATCH '\"coal\"' "
        "ORDER BY bm25(documents_fts, 5.0, 1.0), rowid DESC")]
    ranked = sq.ranked(archive, "coal", limit=1000, window=100_000)
    stories = {r[0]: r[1] for r in archive.execute("SELECT id, story_id FROM documents")}
    expected, seen = [], set()
    for i in exact:  # one per story, the best of each
        if stories[i] not in seen:
            seen.add(stories[i])
            expected.append(i)
    assert [r[0] for r in ranked] == expected


def test_window_ranks_only_the_newest_matches(archive):
    newest = [r[0] for r in archive.execute(
        "SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'energy' "
        "ORDER BY rowid DESC LIMIT 60")]
    ids = [r[0] for r in sq.ranked(archive, "energy", limit=10, window=60)]
    assert set(ids) <= set(newest) and len(ids) == 10
    # the same bounded question in plain SQL gives the same order
    plain = [r[0] for r in archive.execute(
        "SELECT * FROM (SELECT rowid, bm25(documents_fts, 5.0, 1.0) AS s FROM documents_fts "
        "WHERE documents_fts MATCH 'energy' ORDER BY rowid DESC LIMIT 60) ORDER BY s, rowid DESC")]
    stories = dict(archive.execute("SELECT id, story_id FROM documents").fetchall())
    best, seen = [], set()
    for i in plain:
        if stories[i] not in seen:
            seen.add(stories[i])
            best.append(i)
    assert ids == best[:10]


@pytest.mark.parametrize("query", ["mining", '"crypto mining"', "coal type:ban",
                                   "bank since:2021"])
def test_idf_free_scoring_keeps_bm25_order_for_one_term(archive, monkeypatch, query):
    exact = sq.ranked(archive, query, limit=50, window=80)
    monkeypatch.setattr(sq, "MARK_US", 0.0)  # marking always looks cheaper
    marks = sq.ranked(archive, query, limit=50, window=80)
    assert [r[0] for r in marks] == [r[0] for r in exact]
    assert all(r[1] > 0 for r in marks)


def test_idf_free_scoring_weighs_title_above_body(archive, monkeypatch):
    monkeypatch.setattr(sq, "MARK_US", 0.0)
    archive.execute("INSERT INTO documents (id, url, source, title, body, fetched_at, "
                    "content_hash) VALUES (1001, 'u1', 's', 'zircon', 'a b c', 'x', 'a'), "
                    "(1002, 'u2', 's', 'other', 'zircon a b zircon', 'x', 'b')")
    assert [r[0] for r in sq.ranked(archive, "zircon")] == [1001, 1002]


def test_search_hits_from_either_scoring_carry_marked_snippets(archive, monkeypatch):
    monkeypatch.setattr(sq, "MARK_US", 0.0)
    hits = sq.search(archive, "wallet type:penalty", limit=5)
    assert hits and all("[wallet]" in h.snippet for h in hits)
    assert all(any(e["type"] == "penalty" for e in h.events) for h in hits)


def test_snippets_window_the_body_and_fall_back_to_the_title(archive):
    words = [f"w{i}" for i in range(60)]
    words[40:42] = ["crypto", "mining"]
    archive.execute("INSERT INTO documents (id, url, source, title, body, fetched_at, "
                    "content_hash) VALUES (2001, 'u1', 's', 'a', ?, 'x', 'a'), "
                    "(2002, 'u2', 's', 'zircon crypto mining', 'nothing here', 'x', 'b')",
                    [" ".join(words)])
    o, c = sq.MARK_OPEN, sq.MARK_CLOSE
    found = sq._marked_documents(archive, sq.parse('"crypto mining"'), [2001, 2002])
    assert found[2002][0]["url"] == "u2"
    cut = {i: snippet for i, (_doc, snippet) in found.items()}
    assert cut[2001].startswith("…") and cut[2001].endswith("…")
    assert len(cut[2001].split()) <= sq.SNIPPET_TOKENS + 2
    assert f"{o}crypto mining{c}" in cut[2001] and cut[2001].count(o) == cut[2001].count(c) == 1
    assert cut[2002] == f"zircon {o}crypto mining{c}"


def test_varints_decode_fts5_totals(archive):
    rows, avg = sq._averages(archive)
    assert rows == 300
    total = archive.execute("SELECT sum(length(title) - length(replace(title, ' ', '')) + 1 + "
                            "length(body) - length(replace(body, ' ', '')) + 1) "
                            "FROM documents").fetchone()[0]
    assert avg == pytest.approx(total / 300)
    assert sq._varints(bytes([0x81, 0x00, 0x05])) == [128, 5]


@pytest.fixture
def cases_archive(db):
    """A person with seven cases: investigation -> expulsion -> sentence, each a year apart,
    the last one unfinished, plus events in other roles and modalities that don't count."""
    db.execute("INSERT INTO entities (id, kind, name, aliases) VALUES "
               "('person:li', 'person', 'Li Wei', '[]')")
    db.execute("INSERT INTO documents (id, url, source, title, body, fetched_at, "
               "content_hash) VALUES (1, 'u', 's', 't', 'b', 'x', 'h')")
    eid = 0
    for year in range(2010, 2017):
        for month, etype in ((1, "investigation"), (4, "expulsion"), (9, "sentence")):
            if year == 2016 and etype == "sentence":
                continue
            for role, modality in (("target", "happened"), ("actor", "happened"),
                                   ("target", "planned")):
                eid += 1
                date = f"{year}-{month:02d}-01"
                db.execute("INSERT INTO events (id, document_id, type, date, modality, evidence, "
                           "rule_id, created_at) VALUES (?, 1, ?, ?, ?, 'e', 'r', 'now')",
                           [eid, etype, date, modality])
                db.execute("INSERT INTO event_entities VALUES (?, 'person:li', ?, ?)",
                           [eid, role, date])
    return db


def test_latest_cases_are_the_tail_of_all_cases(cases_archive):
    every, more = sq.latest_cases(cases_archive, "person:li", None)
    assert not more and len(every) == 7
    assert [s["stage"] for s in every[-1]["stages"]] == ["investigation", "expulsion"]
    latest = sq.case_history(cases_archive, "Li Wei", max_cases=2)
    assert latest["earlier_cases"] is True
    shape = [[(s["stage"], s["date"], [e["id"] for e in s["events"]]) for s in c["stages"]]
             for c in latest["cases"]]
    assert shape == [[(s["stage"], s["date"], [e["id"] for e in s["events"]])
                      for s in c["stages"]] for c in every[-2:]]
    assert [c["case"] for c in latest["cases"]] == [1, 2]
    assert sq.case_history(cases_archive, "Li Wei", max_cases=7)["earlier_cases"] is False
    assert sq.cases(cases_archive, "person:li") == every


def test_timeline_without_limit_stops_at_the_cap(cases_archive, cli, monkeypatch):
    monkeypatch.setenv("TRACKER_TIMELINE_MAX_EVENTS", "4")
    result = cli("timeline", "entity:person:li", "--limit", "0", "--format", "json")
    assert result.exit_code == 0
    evs = json.loads(result.stdout)
    assert len(evs) == 4 and [e["date"] for e in evs] == sorted(e["date"] for e in evs)
    assert evs[-1]["date"] == "2016-04-01"
    assert "showing the latest 4 events" in result.stderr
    result = cli("timeline", "entity:person:li", "--limit", "3", "--format", "json")
    assert len(json.loads(result.stdout)) == 3 and "Note" not in result.stderr


def test_migrations_add_the_search_indexes(db):
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"events_type_document", "event_entities_target", "documents_month",
            "documents_id_cover", "documents_followers"} <= names
    plan = " ".join(r[3] for r in db.execute(
        "EXPLAIN QUERY PLAN SELECT min(id) FROM documents WHERE substr(published_day, 1, 7) = ?",
        ["2021-01"]))
    assert "documents_month" in plan
    plan = " ".join(r[3] for r in db.execute(
        "EXPLAIN QUERY PLAN SELECT ee.event_id FROM event_entities ee WHERE ee.entity_id = ? "
        f"AND ee.role = '{sq.CASE_ROLE}' ORDER BY ee.date DESC, ee.event_id DESC", ["x"]))
    assert "event_entities_target" in plan and "TEMP B-TREE" not in plan


def test_hits_leave_out_a_document_that_stopped_matching(archive):
    """Ranking and hits are separate statements: a document whose text changed in between
    (its article page arrived) is left out, not a crash."""
    match = [r[0] for r in archive.execute(
        "SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'wallet' LIMIT 1")]
    other = archive.execute("SELECT rowid FROM documents_fts WHERE rowid NOT IN (SELECT rowid "
                            "FROM documents_fts WHERE documents_fts MATCH 'wallet')").fetchone()
    hits = sq._hits(archive, sq.parse("wallet"), [(match[0], 2.0), (other[0], 1.0)])
    assert [h.document["id"] for h in hits] == match
