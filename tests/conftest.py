"""Fixtures shared across test folders."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The full Qinghai demo database, built once per session through the real path (~10 s).

    Read-only for tests: copy it before changing anything.
    """
    from metrics.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "burden.duckdb"
    build_demo(path, seed=7)
    return path
