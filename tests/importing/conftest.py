"""Fixtures of the importer tests: the tiny database (2025Q3 published), copied per test."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def db(published_copy: Path) -> Path:
    """The database the importer tests write to: a private copy of the published tiny one."""
    return published_copy
