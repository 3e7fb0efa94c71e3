"""Shared fixtures: a real SQLite file per test, the default config, a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.config import Config
from tracker.store.db import connect

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
needs_corpus = pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is absent")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "tracker.db"


@pytest.fixture
def db(db_path: Path):
    database = connect(db_path)
    yield database
    database.conn.close()


@pytest.fixture
def config() -> Config:
    return Config(base=ROOT)


@pytest.fixture
def cli(db_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run `tracker --db <tmp> ARGS...` in-process; returns click's Result."""
    from tracker.cli import main

    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("TRACKER_CONFIG", raising=False)
    runner = CliRunner()

    def run(*args: str, input: str | None = None):
        return runner.invoke(main, ["--db", str(db_path), *args], input=input,
                             catch_exceptions=False)

    return run
