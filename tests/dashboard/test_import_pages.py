"""AppTest smoke tests of 数据导入 and 填报进度 (and the map's tables) on the tiny import database.

2025Q4 is reported by the five villages of 城东区 only: 玛沁县 (果洛州) has no data for it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "importing"))
import tiny_db

from metrics.importing import import_bytes
from tests.dashboard.shown_cells import STREAMLIT_MISSING, shown_cells

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tiny_db.published(tmp_path_factory.mktemp("pages") / "burden.duckdb")
    late = {code: (1, 1, 1, 1, 1, 1, 1) for code in tiny_db.CODES[:5]}
    rows = tiny_db.csv_rows("2025Q4", late).decode().splitlines()
    rows = [rows[0] + ",报送时间"] + [r + ",2026-01-25 09:00" for r in rows[1:]]
    result = import_bytes(path, ("\n".join(rows) + "\n").encode(), "q4.csv", now=tiny_db.NOW)
    assert result.status == "published"
    return path


def run(db: Path, monkeypatch, page: str, **session: object) -> AppTest:
    monkeypatch.setenv("BURDENMAP_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in session.items():
        at.session_state[key] = value
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_reporting_page_shows_progress_and_the_list_to_chase(db, monkeypatch, signed_in):
    at = run(db, monkeypatch, "app_pages/reporting.py", **signed_in("province", db=db))
    assert at.title[0].value == "填报进度"
    assert at.selectbox[0].value == "2025Q4"  # the latest quarter with reports
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["逾期报送"] == "5"
    assert metrics["未报送（已逾期）"] == "3"  # judged today, long after the deadline
    assert metrics["报送率"] == "62.5%"
    chase = at.dataframe[-1].value
    assert chase["状态"].value_counts().to_dict() == {"逾期报送": 5, "未报送（已逾期）": 3}
    assert list(chase["村代码"]) == sorted(chase["村代码"])  # by county and township
    assert [b.label for b in at.get("download_button")] == [
        "下载催报清单（XLSX）",
        "下载催报清单（CSV）",
    ]


def test_a_quarter_overdue_with_no_report_is_pointed_out(db, monkeypatch, signed_in):
    at = run(db, monkeypatch, "app_pages/reporting.py", **signed_in("province", db=db))
    assert at.selectbox[0].value == "2025Q4"
    (warning,) = [w.value for w in at.warning if "截止日" in w.value]
    assert "还没有村报送" in warning and "催报清单" in warning
    assert warning.startswith(at.selectbox[0].options[0])  # newest first: the quarter due now
    at.selectbox[0].select_index(0).run()
    assert at.selectbox[0].value > "2025Q4"
    assert not [w for w in at.warning if "截止日" in w.value]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["未报送（已逾期）"] == "8"  # every village of the tiny province


def test_villages_yet_to_report_show_no_reporting_time_rather_than_none(db, monkeypatch, signed_in):
    at = run(db, monkeypatch, "app_pages/reporting.py", **signed_in("province", db=db))
    chase = at.dataframe[-1]
    missing = chase.value["状态"] == "未报送（已逾期）"
    assert chase.value.loc[missing, "报送时间"].isna().all()
    cells = shown_cells(chase)
    assert set(cells.loc[missing, "报送时间"]) == {"—"}
    for table in at.dataframe:
        assert STREAMLIT_MISSING not in shown_cells(table).to_numpy()


def test_map_regions_without_data_in_the_quarter_show_no_none(db, open_app, signed_in):
    at = open_app(db, session=signed_in("province", db=db), period="2025Q4")
    table = at.dataframe[0]
    cells = shown_cells(table).set_index("名称")
    assert cells.loc["果洛州"].tolist() == ["—"] * 4  # value, rank, change, targets met
    assert STREAMLIT_MISSING not in cells.to_numpy()


def test_import_page_renders_upload_history_and_templates(db, monkeypatch, signed_in):
    at = run(db, monkeypatch, "app_pages/import_data.py", **signed_in("admin", db=db))
    assert at.title[0].value == "数据导入"
    assert [t.label for t in at.tabs] == ["上传文件", "导入记录与回滚", "下载模板"]
    history = at.dataframe[0].value
    assert list(history["批次"]) == ["#2", "#1"]
    assert set(history["状态"]) == {"已发布"}
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["下载模板（XLSX）", "下载模板（CSV）"]


@pytest.mark.parametrize("role", ["province", "inspector", "county"])
def test_import_page_is_not_offered_to_roles_that_may_not_import(db, monkeypatch, signed_in, role):
    session = signed_in(role, "632621" if role == "county" else None, db=db)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        run(db, monkeypatch, "app_pages/import_data.py", **session)


def test_import_page_in_english(db, monkeypatch, signed_in):
    monkeypatch.setenv("BURDENMAP_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "en"
    at.session_state["token"] = signed_in("admin", db=db)["token"]
    at.switch_page("app_pages/import_data.py")
    at.run()
    assert not at.exception
    assert at.title[0].value == "Data import"
