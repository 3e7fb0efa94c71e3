"""The daemon's log: one line per event worth knowing, as text for people or JSON for collectors.

Every line names its event (`fetch.ok`, `fetch.failed`, `source.broken`, `digest.sent`, ...)
and carries the fields a reader needs (source, counts, seconds). An error says what failed and
what happens next ("retry at 14:30", "marked broken after 5 failures"). Records from other
tracker modules (a traceback from a parser bug, say) go through the same formatter.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import IO, Any

__all__ = ["setup", "teardown", "event", "TextFormatter", "JsonFormatter", "LOGGER"]

LOGGER = "tracker.daemon"
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def _timestamp(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="seconds")


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in vars(record).items() if k not in _STANDARD}


class TextFormatter(logging.Formatter):
    """`2024-05-20T07:00:01+00:00 INFO  fetch.ok  policy-wire: 3 new, 2 already stored (1.2s)`"""

    def format(self, record: logging.LogRecord) -> str:
        name = getattr(record, "event", None) or record.name
        line = f"{_timestamp(record)} {record.levelname:<5} {name:<16} {record.getMessage()}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, event, message and the event's own fields."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {"time": _timestamp(record), "level": record.levelname.lower(),
                               "event": getattr(record, "event", None) or record.name,
                               "message": record.getMessage()}
        out.update({k: v for k, v in _fields(record).items() if k != "event"})
        if record.exc_info:
            out["traceback"] = self.formatException(record.exc_info)
        return json.dumps(out, default=str, ensure_ascii=False)


def setup(fmt: str = "text", stream: IO[str] | None = None,
          level: int = logging.INFO) -> logging.Handler:
    """Send tracker's log records to `stream` (stderr) in `fmt`; returns the handler so the
    caller can remove it again (tests run several daemons in one process)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger("tracker")
    root.addHandler(handler)
    root.setLevel(level)
    # APScheduler's own chatter ("Added job", "Running job") would double every line
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    return handler


def teardown(handler: logging.Handler) -> None:
    handler.flush()
    logging.getLogger("tracker").removeHandler(handler)


def event(name: str, message: str, level: int = logging.INFO, **fields: Any) -> None:
    """Log one event: `name` is its kind, `message` the sentence, `fields` the data."""
    logging.getLogger(LOGGER).log(level, message, extra={"event": name, **fields})
