"""Fixtures of the importer tests: the tiny database (2025Q3 published), copied per test."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import tiny_db


@pytest.fixture(scope="session")
def published_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny database with 2025Q3 published (built once; never changed)."""
    return tiny_db.published(tmp_path_factory.mktemp("template") / "burden.duckdb")


@pytest.fixture
def db(published_template: Path, tmp_path: Path) -> Path:
    """A private copy of the published tiny database (its uploads go to ``imports/`` beside it)."""
    path = tmp_path / "burden.duckdb"
    shutil.copyfile(published_template, path)
    return path
