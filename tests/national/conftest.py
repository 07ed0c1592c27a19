"""The small national database, built once per session through the real demo path."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.national import fixture


@pytest.fixture(scope="session")
def national_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A published national demo database of :mod:`tests.national.fixture` (read-only)."""
    from metrics.demo import build_demo

    path = tmp_path_factory.mktemp("national") / "burden.duckdb"
    build_demo(path, seed=3, province="all", gazetteer=fixture.gazetteer(), detail=fixture.DETAIL)
    return path
