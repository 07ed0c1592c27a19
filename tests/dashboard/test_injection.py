"""Injection strings through every user-facing input: refused or treated as text, never run.

URL parameters (region, indicator, period, level, lang), the village search box, the sign-in
form's user name, the metrics queries behind the region picker, upload file names and account
names. After all of it the published database is byte-identical.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from metrics import accounts, queries, store
from metrics.errors import BurdenmapError, InvalidInputError
from metrics.importing import import_bytes
from metrics.scope import Scope

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
NASTY = (
    "630000' OR '1'='1",
    "'; DROP TABLE observation; --",
    '" OR 1=1 --',
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "index; SELECT * FROM app_user",
    "2025Q4' UNION SELECT 1 --",
)


@pytest.fixture(scope="module")
def db(demo_db, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("inject") / "burden.duckdb"
    shutil.copyfile(demo_db, path)
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("param", ["region", "indicator", "period", "level", "lang"])
def test_url_parameters(db, monkeypatch, param):
    monkeypatch.setenv("BURDENMAP_DB", str(db))
    before = digest(db)
    for value in NASTY:
        at = AppTest.from_file(APP, default_timeout=90)
        at.query_params[param] = value
        at.run()
        assert not at.exception, (value, [e.value for e in at.exception])
        assert any(value[:40] in w.value for w in at.warning), "an invalid value is named"
    assert digest(db) == before


def test_village_search_box(db, monkeypatch):
    monkeypatch.setenv("BURDENMAP_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    box = next(t for t in at.text_input if t.label == "按名称查找（村、乡镇等）")
    for value in NASTY:
        box.input(value[:20]).run()
        assert not at.exception, value
        assert any("没有找到" in c.value for c in at.caption), value


def test_sign_in_user_name(db, monkeypatch, accounts_file):
    monkeypatch.setenv("BURDENMAP_DB", str(db))
    reader = store.Reader(db)
    accounts.add_user(accounts_file, "chief", "password-123", "province", regions=reader, actor="t")
    reader.close()
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    for value in ("' OR 1=1 --", "chief' --", "chief\x00"):
        at.text_input[0].input(value[:32])
        at.text_input[1].input("' OR '1'='1")
        at.button[0].click().run()
        assert not at.exception
        assert at.error[0].value == "用户名或密码错误。"
        assert "username" not in at.session_state
    for value in NASTY:
        with pytest.raises(InvalidInputError):
            accounts.check_username(value)


@pytest.mark.parametrize("value", NASTY)
def test_metrics_queries_refuse_injected_codes_and_names(db, value):
    reader = store.Reader(db)
    try:
        with pytest.raises(BurdenmapError):
            queries.region_info(reader, value, Scope.everything())
        with pytest.raises(BurdenmapError):
            queries.query(reader, "county", Scope.everything(), indicator=value)
        with pytest.raises(BurdenmapError):
            queries.query(reader, "county", Scope.everything(), period=value)
        with pytest.raises(BurdenmapError):
            queries.query(reader, value, Scope.everything())
        assert reader.scalar("SELECT count(*) FROM observation") > 0
    finally:
        reader.close()


def test_upload_file_names_are_kept_as_text(db):
    before = digest(db)
    for value in NASTY:
        result = import_bytes(db, "村代码,统计期\n".encode(), f"{value}.csv", dry_run=True)
        assert result.status in ("checked", "rejected")
    assert digest(db) == before
