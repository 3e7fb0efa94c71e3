"""Tagging worker processes: started once, fed small batches through a pipe, reused by every
tag() call of the process (the daemon's fetch threads share them).

Why a process: extraction and storing are Python too, so in one process the GIL serialises
them with spaCy; a worker lets the NER run on one core while the caller fetches and
extracts on the other. Why "spawn": the daemon is multi-threaded (scheduler, fetch pool,
SQLite connections) and forking a threaded process can copy a held lock into the child;
a spawned worker starts clean and loads the model itself (~2 s, overlapping the caller's
own start).

Each worker has one parent thread (a "slot") that sends it at most two batches at a time,
so the worker never waits for the next one, and reads the results back in order. A worker
that dies is restarted; the batch it was working on is tried once more, and if it dies on
it again those documents come back as failed (the tagger stores them untagged with a note)
rather than being lost or retried forever. A worker stuck on one batch (a document that
sends a component into a loop) is killed once the batch has run `batch_timeout` seconds
(nlp.batch_timeout) and restarted; that batch comes back failed at once, without the retry
that would only hang again, and the batches queued behind it are sent to the new worker.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import queue
import signal
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from ..config import BY_NAME
from .rules import RuleSet

__all__ = ["WorkerSpec", "WorkerPool", "TaggerClosed", "TaggingFailed", "BatchFailed"]

log = logging.getLogger(__name__)
IN_FLIGHT = 2  # batches sent ahead to one worker
START_TIMEOUT = 180.0  # seconds a worker may take to load the model before it counts as dead
RESTART_BACKOFF = 30.0  # after a worker failed to start, batches fail at once for this long
BATCH_TIMEOUT: float = BY_NAME["nlp.batch_timeout"].default
Items = list[tuple[str, str | None]]  # (text, publication date) per document
BatchFunction = Callable[[Any, Items], list[Any]]  # (pipeline, items) -> one result per item


class TaggerClosed(Exception):  # noqa: N818 - a state, like BrokenPipe
    """The pool was closed while a batch waited for it (the daemon is stopping)."""


class TaggingFailed(Exception):  # noqa: N818
    """spaCy or a tracker component raised inside the worker; carries its traceback."""


@dataclass(frozen=True)
class WorkerSpec:
    """What a worker needs to build the same pipeline as the caller: the model and the very
    rules the caller loaded (pickled), so a restarted worker cannot pick up edited files."""

    model: str
    rules: RuleSet
    # what the worker runs per batch: None is tagger.pipe_batch; another module-level function
    # of the same shape (it is pickled by name) lets a benchmark or a test time something else
    batch: BatchFunction | None = None


# --- the worker process ----------------------------------------------------------------------


def serve(conn: Connection) -> None:
    """The worker's main: receive the spec, build the pipeline, then tag batches until told to
    stop or until the parent goes away (its end of the pipe closes)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the parent
    from .build import build_pipeline  # decides when we stop
    from .tagger import pipe_batch

    try:
        spec = conn.recv()
        nlp = build_pipeline(spec.model, spec.rules)
        run_batch = spec.batch or pipe_batch
    except BaseException as exc:  # reported to the parent, which logs it
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", os.getpid()))
    tasks: queue.Queue[Any] = queue.Queue()
    # read on a thread so the parent's send never blocks on a worker busy sending results
    threading.Thread(target=_read_tasks, args=(conn, tasks), daemon=True).start()
    while (task := tasks.get()) is not None:
        try:
            conn.send(("ok", run_batch(nlp, task)))
        except Exception:
            conn.send(("raised", traceback.format_exc(limit=8)))


def _read_tasks(conn: Connection, tasks: queue.Queue[Any]) -> None:
    try:
        while (task := conn.recv()) is not None:
            tasks.put(task)
    except (EOFError, OSError):
        pass  # the parent is gone
    tasks.put(None)


# --- the parent side -------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchFailed:
    """A future's result when a batch could not be tagged: it killed its worker twice, or no
    worker could start. The tagger stores those documents untagged, with `reason` as a note."""

    reason: str


class _Task:
    __slots__ = ("items", "future", "deaths")

    def __init__(self, items: Items):
        self.items = items
        self.future: Future[Any] = Future()
        self.deaths = 0  # times a worker died while this was its current batch


class _WorkerDied(Exception):  # noqa: N818
    pass


class WorkerPool:
    """`size` tagging processes behind one thread-safe `submit(items) -> Future`. A batch
    still running after `batch_timeout` seconds (0: no limit) fails and its worker restarts."""

    def __init__(self, spec: WorkerSpec, size: int, method: str = "spawn",
                 batch_timeout: float = BATCH_TIMEOUT):
        if size < 1:
            raise ValueError("a worker pool needs at least one worker")
        self.spec = spec
        self.size = size
        self.batch_timeout = batch_timeout
        self.context = multiprocessing.get_context(method)
        self.tasks: queue.Queue[_Task] = queue.Queue()
        self.closed = threading.Event()
        self.restarts = 0
        self.stop_timeout = 2.0
        self.broken: str | None = None  # a feeder thread crashed (a bug): batches fail
        self.slots = [_Slot(self, i) for i in range(size)]
        for slot in self.slots:  # in the caller's thread, so a failure to spawn is raised here
            slot.launch()
        for slot in self.slots:
            slot.thread.start()

    def submit(self, items: Items) -> Future[Any]:
        """Tag one batch; the future's result is one RESULT dict (or None) per item, or
        BatchFailed; it raises TaggingFailed or TaggerClosed."""
        task = _Task(items)
        if self.closed.is_set():
            task.future.set_exception(TaggerClosed("the tagging workers are closed"))
        elif self.broken:
            task.future.set_result(BatchFailed(self.broken))
        else:
            self.tasks.put(task)
        return task.future

    def pids(self) -> list[int]:
        return [p.pid for s in self.slots if (p := s.process) is not None and p.pid]

    def wait_ready(self, timeout: float = START_TIMEOUT) -> bool:
        """Block until every worker has loaded the model (tests and benchmarks)."""
        limit = time.monotonic() + timeout
        for slot in self.slots:
            slot.settled.wait(max(0.0, limit - time.monotonic()))
        return all(slot.ready.is_set() for slot in self.slots)

    def close(self, timeout: float = 2.0) -> None:
        """Stop the workers: a worker ends its current batch if it can within `timeout`, else
        it is terminated; batches still waiting fail with TaggerClosed."""
        self.stop_timeout = timeout
        self.closed.set()
        limit = time.monotonic() + timeout + 2.0  # the feeder's own terminate/kill steps
        for slot in self.slots:
            slot.thread.join(max(0.0, limit - time.monotonic()))
        for slot in self.slots:
            if slot.thread.is_alive():  # stuck: take its process from under it
                slot.stop_process(0.1)
        while True:
            try:
                task = self.tasks.get_nowait()
            except queue.Empty:
                break
            _fail(task, TaggerClosed("the tagging workers were closed"))


def _fail(task: _Task, exc: BaseException) -> None:
    if not task.future.done():
        task.future.set_exception(exc)


def _finish(task: _Task, result: Any) -> None:
    if not task.future.done():
        task.future.set_result(result)


class _Slot:
    """One worker process and the parent thread that feeds it."""

    def __init__(self, pool: WorkerPool, index: int):
        self.pool = pool
        self.index = index
        self.process: Any = None
        self.conn: Connection | None = None
        self.ready = threading.Event()
        self.settled = threading.Event()  # the first start succeeded or failed
        self.start_error: str | None = None
        self.failed_at = 0.0
        self.launched = 0.0
        self.inflight: deque[_Task] = deque()
        self.head_since = 0.0  # when the worker started on inflight[0] (its clock for timeouts)
        self.retry: deque[_Task] = deque()  # batches to resend first after a restart
        self.thread = threading.Thread(target=self.run, name=f"tag-worker-{index}", daemon=True)

    # -- the feeding thread --------------------------------------------------------------------

    def run(self) -> None:
        try:
            self.ready_or_failed()
            while not self.pool.closed.is_set():
                self.step()
        except Exception as exc:  # a bug here must not leave callers waiting forever
            log.exception("tagging worker %d: feeder crashed", self.index)
            self.pool.broken = f"the tagging worker's feeder crashed ({exc})"
            while (task := self.next_task(block=False)) is not None:
                _finish(task, BatchFailed(self.pool.broken))
        finally:
            self.stop_process(self.pool.stop_timeout)
            for task in [*self.inflight, *self.retry]:
                _fail(task, TaggerClosed("the tagging workers were closed"))
            self.inflight.clear()
            self.retry.clear()

    def step(self) -> None:
        self.fill()
        if not self.inflight:
            return
        try:
            self.receive()
        except _WorkerDied as exc:
            self.died(str(exc))

    def next_task(self, block: bool) -> _Task | None:
        if self.retry:
            return self.retry.popleft()
        try:
            return self.pool.tasks.get(timeout=0.2) if block else self.pool.tasks.get_nowait()
        except queue.Empty:
            return None

    def fill(self) -> None:
        """Send batches until IN_FLIGHT are out; wait (briefly) for one only when idle."""
        while len(self.inflight) < IN_FLIGHT and not self.pool.closed.is_set():
            task = self.next_task(block=not self.inflight)
            if task is None:
                return
            if not task.future.running() and not task.future.set_running_or_notify_cancel():
                continue  # the caller gave up on it
            if self.conn is None and not self.start():
                _finish(task, BatchFailed(f"tagging worker could not start: {self.start_error}"))
                continue
            try:
                assert self.conn is not None
                self.conn.send(task.items)
            except (OSError, ValueError):
                self.inflight.append(task)
                self.died("the pipe to it broke")
                return
            if not self.inflight:
                self.head_since = time.monotonic()
            self.inflight.append(task)

    def receive(self) -> None:
        conn, process = self.conn, self.process
        assert conn is not None and process is not None
        if not wait([conn, process.sentinel], timeout=0.2):
            if self.overdue():
                self.timed_out()
            return
        try:
            kind, payload = conn.recv()
        except (EOFError, OSError) as exc:
            raise _WorkerDied(f"exit code {self.exitcode()}") from exc
        task = self.inflight.popleft()
        self.head_since = time.monotonic()  # the worker goes straight on to the next one
        if kind == "ok":
            _finish(task, payload)
        else:
            _fail(task, TaggingFailed(f"tagging raised in the worker:\n{payload}"))

    # -- starting, losing and stopping the process ---------------------------------------------

    def launch(self) -> None:
        """Spawn the worker (it loads the model on its own; `ready_or_failed` waits)."""
        parent, child = self.pool.context.Pipe()
        # the spec (~150 KB of rules) goes through the pipe, not the spawn arguments: a child
        # that dies while reading those would leave its parent blocked on a full OS pipe
        process = self.pool.context.Process(target=serve, args=(child,),
                                            name=f"tracker-tag-{self.index}", daemon=True)
        try:
            process.start()
        finally:
            child.close()  # ours: so the worker's death reads as end-of-file
        self.process, self.conn = process, parent
        self.launched = time.monotonic()

    def start(self) -> bool:
        """Spawn the worker and wait for its model; False (batches fail) if it cannot start."""
        if self.start_error and time.monotonic() - self.failed_at < RESTART_BACKOFF:
            return False
        self.launch()
        return self.ready_or_failed()

    def ready_or_failed(self) -> bool:
        process, parent, started = self.process, self.conn, self.launched
        assert process is not None and parent is not None
        message = "the feeder failed"
        try:
            message = self.await_ready(parent, process)
        finally:
            if message is None:
                self.ready.set()
            self.settled.set()
        if message is None:
            self.start_error = None
            log.info("tagging worker %d ready: pid %s (%.1fs)", self.index, process.pid,
                     time.monotonic() - started,
                     extra={"event": "nlp.worker_ready", "pid": process.pid})
            return True
        self.stop_process(0.5)
        if self.pool.closed.is_set():
            return False
        self.start_error, self.failed_at = message, time.monotonic()
        log.error("tagging worker %d could not start (%s); documents are stored untagged "
                  "until it does (next try in %.0fs)", self.index, message, RESTART_BACKOFF,
                  extra={"event": "nlp.worker_failed", "error": message})
        return False

    def await_ready(self, conn: Connection, process: Any) -> str | None:
        try:
            conn.send(self.pool.spec)
        except (OSError, ValueError):
            return f"it exited with code {self.exitcode()} before loading"
        limit = time.monotonic() + START_TIMEOUT
        while time.monotonic() < limit and not self.pool.closed.is_set():
            if not wait([conn, process.sentinel], timeout=0.2):
                continue
            try:
                kind, payload = conn.recv()
            except (EOFError, OSError):
                return f"it exited with code {self.exitcode()} while loading"
            return None if kind == "ready" else str(payload)
        return "closed while loading" if self.pool.closed.is_set() else "model load timed out"

    def overdue(self) -> bool:
        limit = self.pool.batch_timeout
        return bool(self.inflight) and limit > 0 and time.monotonic() - self.head_since > limit

    def timed_out(self) -> None:
        """The batch at the head ran past batch_timeout: kill the worker, fail that batch
        (a second try would hang again) and restart with the batches queued behind it."""
        head, limit = self.inflight.popleft(), self.pool.batch_timeout
        try:
            texts = [" ".join(text[:60].split()) for text, *_ in head.items]
            log.error("tagging worker %d spent over %gs on a batch of %d document(s); killing "
                      "it; those documents are stored untagged (they begin: %s)", self.index,
                      limit, len(texts), "; ".join(repr(t) for t in texts),
                      extra={"event": "nlp.batch_timeout", "seconds": limit, "texts": texts})
        finally:  # whatever the message does, the batch is failed and the worker replaced
            self.stop_process(0.1)  # no grace: it is stuck, it will not finish the batch
            _finish(head, BatchFailed(f"tagging took over {limit:g}s (nlp.batch_timeout), "
                                      "so its worker was killed"))
            self.restart(f"stuck for over {limit:g}s")

    def died(self, why: str) -> None:
        """Restart after a death; the batch it was on gets one more try."""
        self.stop_process(0.5)
        if self.inflight:
            head = self.inflight[0]
            head.deaths += 1
            if head.deaths >= 2:
                self.inflight.popleft()
                _finish(head, BatchFailed(f"the tagging worker died twice on this batch ({why})"))
        self.restart(f"died ({why})")

    def restart(self, why: str) -> None:
        """Start a new worker for a lost one; the batches sent to the old one go first."""
        self.pool.restarts += 1
        retried = len(self.inflight)
        self.retry.extendleft(reversed(self.inflight))
        self.inflight.clear()
        log.warning("tagging worker %d %s; restarting it, %d batch(es) sent again",
                    self.index, why, retried,
                    extra={"event": "nlp.worker_died", "reason": why, "retried": retried})
        if not self.pool.closed.is_set():
            self.start()

    def exitcode(self) -> int | None:
        if self.process is None:
            return None
        self.process.join(0.5)
        return self.process.exitcode

    def stop_process(self, timeout: float) -> None:
        process, conn = self.process, self.conn
        self.process, self.conn = None, None
        self.ready.clear()
        if conn is not None:
            with contextlib.suppress(OSError, ValueError):
                conn.send(None)  # finish the current batch, then exit
        if process is not None:
            process.join(timeout)
            if process.is_alive():
                process.terminate()
                process.join(0.5)
            if process.is_alive():
                process.kill()
                process.join(0.5)
            with contextlib.suppress(ValueError):
                process.close()
        if conn is not None:
            conn.close()
