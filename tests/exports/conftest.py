"""Fixtures of the export tests: a writable copy of the demo database, one browser per session."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.exports import static


@pytest.fixture(scope="session", autouse=True)
def browser() -> Iterator[None]:
    """The persistent export browser, started once for the session (and stopped after)."""
    static.start()
    yield
    static.stop()


@pytest.fixture(scope="module")
def db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo database that CLI exports may audit into."""
    path = tmp_path_factory.mktemp("exports") / "burden.duckdb"
    shutil.copyfile(demo_db, path)
    return path
