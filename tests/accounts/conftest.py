"""Fixtures of the accounts tests: a tiny region tree, a private accounts file, fast hashing."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from metrics import store

sys.path.insert(0, str(Path(__file__).resolve().parent))
import accounts_fixture


@pytest.fixture(scope="session")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny published database (never changed by the tests)."""
    return accounts_fixture.build(tmp_path_factory.mktemp("accounts_db") / "burden.duckdb")


@pytest.fixture
def regions(db: Path):
    """A reader on :func:`db`."""
    reader = store.Reader(db)
    yield reader
    reader.close()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """The accounts file of the test (not created yet)."""
    return tmp_path / "accounts.sqlite"


@pytest.fixture(autouse=True)
def settings_env(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap bcrypt, no configuration file or secret from outside, the test's accounts file."""
    for name in ("COOKIE_SECRET", "LOGIN_MAX_FAILURES", "LOGIN_LOCK_MINUTES", "SESSION_HOURS"):
        monkeypatch.delenv(f"BURDENMAP_{name}", raising=False)
    monkeypatch.delenv("BURDENMAP_LANG", raising=False)
    monkeypatch.setenv("BURDENMAP_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("BURDENMAP_BCRYPT_COST", "4")
    monkeypatch.setenv("BURDENMAP_ACCOUNTS", str(path))
