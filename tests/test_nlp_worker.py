"""Tagging in worker processes: same results as in-process tagging, one worker reused across
calls and threads, a worker killed mid-batch restarted with its batch retried once, a worker
stuck on a batch killed after nlp.batch_timeout with that batch stored untagged, closing
quickly, and the daemon stopping its worker on SIGTERM within 10 seconds."""

from __future__ import annotations

import json
import logging
import os
import signal
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest_daemon import Feed, daemon_process, serve_site, write_config
from tracker.config import Config
from tracker.errors import ConfigError
from tracker.models import Document, Tagged
from tracker.nlp import load_tagger
from tracker.nlp.tagger import Tagger, pipe_batch
from tracker.nlp.worker import TaggerClosed, WorkerPool, WorkerSpec

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold" / "tagging"


def gold_documents() -> list[Document]:
    rows = [json.loads(line) for name in ("news.jsonl", "holdout.jsonl")
            for line in (GOLD / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Document(url=f"https://example.org/{i}", source="gold", text=row["text"],
                     published=datetime.fromisoformat(row["published"])
                     if row.get("published") else datetime(2021, 5, 21))
            for i, row in enumerate(rows)]


@pytest.fixture(scope="module")
def in_process():
    return load_tagger(Config(base=ROOT), workers=0)


@pytest.fixture(scope="module")
def expected(in_process) -> list[Tagged]:
    return list(in_process.tag(gold_documents()))


@pytest.fixture
def worker():
    tagger = load_tagger(Config(base=ROOT), workers=1)
    assert tagger.wait_ready(120), "the tagging worker did not start"
    yield tagger
    tagger.close()


def big_document(i: int = 0) -> Document:
    """Slow enough (about a second of NER) to be killed while the worker is on it."""
    sentence = f"The SEC fined Firm{i} Capital 2 million dollars on Monday, Gary Gensler said. "
    return Document(url=f"https://example.org/big{i}", source="gold", text=sentence * 350,
                    published=datetime(2022, 2, 16))


def test_workers_tag_the_gold_texts_exactly_as_in_process(worker, in_process, expected):
    docs = gold_documents()
    assert len(docs) >= 100 and sum(len(t.events) for t in expected) > 50
    assert list(worker.tag(docs)) == expected
    assert worker.rules_version == in_process.rules_version
    two = load_tagger(Config(base=ROOT), workers=2)
    try:
        assert list(two.tag(docs)) == expected
        assert len(set(two.pids())) == 2
    finally:
        two.close()


def test_one_worker_process_serves_every_call_and_thread(worker, expected):
    docs = gold_documents()
    (pid,) = worker.pids()
    assert pid != os.getpid()
    results: dict[int, list[Tagged]] = {}

    def run(k: int) -> None:  # each thread its own slice, all at once
        results[k] = list(worker.tag(docs[k::4]))

    threads = [threading.Thread(target=run, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for k in range(4):
        assert results[k] == expected[k::4]
    assert list(worker.tag(docs[:3])) == expected[:3]
    assert worker.pids() == [pid] and worker._pool.restarts == 0


def _kill_when_busy(tagger, not_pid: int | None = None, after: float = 0.3) -> int:
    """Wait for a worker (other than `not_pid`) to be ready, let it start on its batch, then
    kill -9 it; its pid."""
    slot = tagger._pool.slots[0]
    limit = time.monotonic() + 120
    while not (slot.ready.is_set() and tagger.pids() and tagger.pids() != [not_pid]):
        assert time.monotonic() < limit, "no worker became ready"
        time.sleep(0.05)
    time.sleep(after)
    (pid,) = tagger.pids()
    os.kill(pid, signal.SIGKILL)
    return pid


def test_a_killed_worker_is_restarted_and_its_batch_tagged_again(worker, in_process):
    docs = [big_document(1), *gold_documents()[:6]]
    want = list(in_process.tag(docs))
    got: list[Tagged] = []
    thread = threading.Thread(target=lambda: got.extend(worker.tag(docs)))
    thread.start()
    killed = _kill_when_busy(worker)
    thread.join(120)
    assert got == want  # nothing lost, nothing changed
    assert worker._pool.restarts == 1 and worker.pids() and worker.pids() != [killed]


def test_a_batch_that_kills_its_worker_twice_is_returned_untagged_with_a_note(worker):
    docs = [big_document(2)]
    got: list[Tagged] = []
    thread = threading.Thread(target=lambda: got.extend(worker.tag(docs)))
    thread.start()
    first = _kill_when_busy(worker)
    second = _kill_when_busy(worker, not_pid=first)
    thread.join(120)
    assert first != second and worker._pool.restarts == 2
    (tagged,) = got
    assert tagged.events == [] and tagged.rules_version == ""
    assert "died twice" in tagged.notes[-1] and "tracker retag" in tagged.notes[-1]
    # the restarted worker goes on tagging what comes next
    assert next(worker.tag(gold_documents()[:1])).rules_version == worker.rules_version


def test_close_ends_a_busy_worker_quickly_and_fails_what_waits(worker):
    pool = worker._pool
    (pid,) = worker.pids()
    futures = [pool.submit([(big_document(i).text, None, None)]) for i in range(4)]
    time.sleep(0.3)  # the worker is on the first one
    started = time.monotonic()
    worker.close(timeout=0.5)
    assert time.monotonic() - started < 4
    assert not os.path.exists(f"/proc/{pid}") or "zombie" in _state(pid)
    assert any(isinstance(f.exception(timeout=1), TaggerClosed) for f in futures)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:")[1].split("\n")[0].lower()
    except (OSError, IndexError):
        return "gone"


def test_workers_setting_zero_is_in_process_and_negative_is_refused(tmp_path: Path):
    assert load_tagger(Config(base=ROOT, values={"nlp.workers": 0})).pids() == []
    config = tmp_path / "tracker.toml"
    config.write_text("[nlp]\nworkers = -1\n", encoding="utf-8")
    from tracker.config import load_config

    with pytest.raises(ConfigError, match="nlp.workers"):
        load_config(config, env={})


def test_daemon_tags_in_its_worker_and_stops_it_on_sigterm(tmp_path: Path):
    db = tmp_path / "t.db"
    with serve_site() as site:
        site.add(Feed("wire", entries=4))
        config = write_config(tmp_path, site, ["wire"], {"nlp": {"workers": 1}})
        with daemon_process(tmp_path, db, config, "--for", "90") as proc:
            loaded = proc.wait_event(lambda e: e.get("event") == "nlp.loaded", 60)
            assert loaded and len(loaded["pids"]) == 1, proc.text()
            assert proc.wait_event(lambda e: e.get("event") == "fetch.ok", 60), proc.text()
            (pid,) = loaded["pids"]
            assert os.path.exists(f"/proc/{pid}")
            started = time.monotonic()
            proc.signal(signal.SIGTERM)
            proc.popen.wait(timeout=10)
            assert time.monotonic() - started < 10 and proc.popen.returncode == 0
            assert not os.path.exists(f"/proc/{pid}") or "zombie" in _state(pid)
    import sqlite3

    with sqlite3.connect(db) as conn:
        tagged = conn.execute("SELECT count(*) FROM documents WHERE rules_version != ''"
                              ).fetchone()[0]
        events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    assert tagged == 4 and events >= 4


HANG = "Regulators looped forever over this one."


def tag_or_hang(nlp, items):
    """The worker's batch function in the hang test: spins forever on a batch holding HANG, as
    a component caught in a loop by an odd document would; tags any other batch as usual."""
    if any(HANG in text for text, *_ in items):
        while True:
            pass
    return pipe_batch(nlp, items)


def test_a_document_stuck_past_the_timeout_is_stored_untagged_and_the_worker_restarted(
        in_process, expected, caplog):
    gold = gold_documents()
    stuck = Document(url="https://example.org/stuck", source="gold", text=HANG,
                     published=datetime(2022, 2, 16))
    docs = [*gold[:4], stuck, *gold[5:12]]  # batches of 4: the second one hangs
    tagger = Tagger(None, in_process.rules, batch_size=8, workers=1, model=in_process.model)
    tagger._pool = WorkerPool(WorkerSpec(in_process.model, in_process.rules, batch=tag_or_hang),
                              1, batch_timeout=5.0)
    try:
        assert tagger.wait_ready(120), "the tagging worker did not start"
        (pid,) = tagger.pids()
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="tracker.nlp"):
            got = list(tagger.tag(docs))
        elapsed = time.monotonic() - started
        # the stuck batch is tagged again one document at a time: only the stuck one is lost
        assert got[:4] == expected[:4] and got[5:] == expected[5:12]
        assert got[4].failed and got[4].rules_version == ""
        assert "nlp.batch_timeout" in got[4].notes[-1]
        assert 10 <= elapsed < 90 and tagger._pool.restarts == 2  # the batch, then it alone
        assert tagger.pids() and tagger.pids() != [pid]
        assert not os.path.exists(f"/proc/{pid}") or "zombie" in _state(pid)
        logged = caplog.text
        assert "spent over 5s on a batch of 4" in logged and repr(HANG) in logged
        assert "https://example.org/stuck" in logged
    finally:
        tagger.close()
