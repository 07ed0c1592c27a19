"""Fixtures shared across test folders."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

sys.path.insert(0, str(Path(__file__).resolve().parent / "importing"))
import tiny_db

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The full Qinghai demo database, built once per session through the real path (~10 s).

    Read-only for tests: copy it before changing anything.
    """
    from metrics.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "burden.duckdb"
    build_demo(path, seed=7)
    return path


@pytest.fixture(scope="session")
def published_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny import database (``tests/importing/tiny_db.py``) with 2025Q3 published.

    Built once; never changed: copy it (``published_copy``) before writing.
    """
    return tiny_db.published(tmp_path_factory.mktemp("template") / "burden.duckdb")


@pytest.fixture
def published_copy(published_template: Path, tmp_path: Path) -> Path:
    """A private copy of the published tiny database (its uploads go to ``imports/`` beside it)."""
    path = tmp_path / "burden.duckdb"
    shutil.copyfile(published_template, path)
    return path


@pytest.fixture
def accounts_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh accounts file for this test (fast bcrypt), named by the ``accounts`` setting."""
    path = tmp_path / "accounts.sqlite"
    monkeypatch.setenv("BURDENMAP_ACCOUNTS", str(path))
    monkeypatch.setenv("BURDENMAP_BCRYPT_COST", "4")
    return path


@pytest.fixture
def signed_in(accounts_file: Path, demo_db: Path):
    """``signed_in(role, code)``: session state of a new account of ``role`` (AppTest)."""
    from metrics import accounts, store

    made: list[str] = []

    def make(role: str, code: str | None = None, db: Path = demo_db) -> dict[str, str]:
        reader = store.Reader(db)
        try:
            user = accounts.add_user(
                accounts_file,
                f"{role}{len(made) + 1}",
                "password-123",
                role,
                code,
                regions=reader,
                actor="test",
            )
        finally:
            reader.close()
        made.append(user.username)
        return {"token": accounts.issue_token(user, accounts.secret(accounts_file))}

    return make


@pytest.fixture
def open_app(monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """``open_app(db, page=None, session=None, timeout=60, **params)``: the dashboard on ``db``.

    Run in AppTest with URL ``params`` and ``session`` state, then switched to ``page``;
    asserts that no run raised.
    """

    def run(
        db: Path,
        page: str | None = None,
        session: dict | None = None,
        timeout: float = 60,
        **params: str,
    ) -> AppTest:
        monkeypatch.setenv("BURDENMAP_DB", str(db))
        at = AppTest.from_file(APP, default_timeout=timeout)
        for key, value in params.items():
            at.query_params[key] = value
        for key, value in (session or {}).items():
            at.session_state[key] = value
        at.run()
        if page:
            at.switch_page(page)
            at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run
