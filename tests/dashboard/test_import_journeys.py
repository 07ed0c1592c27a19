"""数据导入 journeys in AppTest: upload, check, confirm, roll back, on a private tiny database."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pandas as pd
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "importing"))
import tiny_db

from dashboard import data
from metrics.importing import import_bytes
from tests.dashboard.shown_cells import STREAMLIT_MISSING, shown_cells

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
PAGE = "app_pages/import_data.py"
GOOD = tiny_db.csv_rows("2025Q4", {code: (1, 2, 3, 4, 5, 6, 7) for code in tiny_db.CODES[:3]})


@pytest.fixture
def page(published_copy, open_app, signed_in):
    """``page(**params)``: 数据导入 on a private copy of the tiny database, as a data admin."""
    session = signed_in("admin", db=published_copy)
    return lambda **params: open_app(published_copy, PAGE, session, **params)


def upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.file_uploader[0].upload(name, content, "text/csv")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> list[str]:
    """Every message, caption and label on the page."""
    found = [e.value for kind in ("error", "info", "success", "caption") for e in at.get(kind)]
    return found + [w.label for kind in ("button", "checkbox") for w in at.get(kind)]


def tabs_place(at: AppTest) -> int:
    """Where the tabs sit on the page (if they move, the browser reopens the first tab)."""
    return next(
        place
        for place, node in at.main.children.items()
        if any(getattr(n, "type", None) == "tab" for n in node)
    )


def whole_province_of_bad_rows() -> bytes:
    """4,612 rows with ``无`` in all seven counts: more problems than pandas Styler renders."""
    rows = [tiny_db.HEADER]
    rows += [f"63{n:010d},村{n},2025Q4," + ",".join(["无"] * 7) for n in range(4612)]
    return ("\n".join(rows) + "\n").encode()


def test_a_file_with_tens_of_thousands_of_problems_lists_the_first_and_offers_them_all(page):
    at = upload(page(), "全省.csv", whole_province_of_bad_rows())
    result = at.session_state["import_result"]
    columns = len(data.problem_table(result, "zh").columns)
    assert len(result.problems) * columns > pd.options.styler.render.max_elements
    assert at.error[0].value.startswith(f"全省.csv 未导入：{len(result.errors):,} 个错误")
    table = at.dataframe[0].value
    assert len(table) == 1_000
    assert set(table["级别"]) == {"错误"}  # errors first
    more = len(result.problems) - 1_000
    assert f"另有 {more:,} 个未列出" in " ".join(c.value for c in at.caption)
    assert [b.label for b in at.tabs[0].get("download_button")] == [
        "下载问题清单（Excel）",
        "下载问题清单（CSV）",
    ]
    report = pd.read_csv(io.BytesIO(data.problem_report(result, "csv", "zh")), dtype=str)
    assert len(report) == len(result.problems)  # the download holds every problem
    assert "问题代码" in report.columns


def test_file_level_problems_show_no_none_and_what_to_do_is_readable(page):
    at = upload(page(), "只有表头.csv", (tiny_db.HEADER + "\n").encode())
    table = at.dataframe[0]
    cells = shown_cells(table)
    assert STREAMLIT_MISSING not in cells.to_numpy()
    assert cells.loc[0, ["列", "列名", "值"]].tolist() == ["—", "—", "—"]
    assert "问题代码" not in table.value.columns  # an internal code: in the downloads only
    assert list(table.proto.column_order) == "行 列 列名 值 级别 问题 说明 文件".split()
    assert json.loads(table.proto.columns)["说明"]["width"] == "large"


def test_the_page_speaks_chinese_not_command_line(page):
    at = upload(page(), "good.csv", GOOD)
    assert at.info[0].value == "good.csv 检查通过，尚未导入：3 行，3 个村，统计期 2025Q4。"
    assert "替换已导入的数值" in texts(at)
    assert not [text for text in texts(at) if "--" in text]


def test_a_file_already_published_is_answered_with_the_page_s_replace_and_rollback(page):
    again = tiny_db.csv_rows("2025Q3", {tiny_db.CODES[0]: tiny_db.BASE[tiny_db.CODES[0]]})
    at = upload(page(), "again.csv", again)
    (fix,) = at.dataframe[0].value["说明"]
    assert "请勾选“替换已导入的数值”后重新导入" in fix and "“导入记录与回滚”标签页" in fix
    result = at.session_state["import_result"]
    for fmt in ("csv", "xlsx"):
        report = pd.read_excel if fmt == "xlsx" else pd.read_csv
        (fix,) = report(io.BytesIO(data.problem_report(result, fmt, "en")), dtype=str)["What to do"]
        assert 'import again with "Replace published values" ticked' in fix
        assert "--" not in fix and "burdenmap" not in fix


def test_after_confirming_only_the_import_and_an_empty_uploader_remain(page):
    at = upload(page(), "good.csv", GOOD)
    assert "确认导入" in [b.label for b in at.button]
    next(b for b in at.button if b.label == "确认导入").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    upload_tab = at.tabs[0]
    assert "确认导入" not in [b.label for b in at.button]
    assert not [c for c in upload_tab.caption if c.value.startswith("检查通过")]
    assert at.file_uploader[0].value is None  # ready for another file
    assert [s.value for s in upload_tab.success] == [
        "已导入 good.csv：批次 #2，3 行，3 个村，统计期 2025Q4；"
        "数值 21 个，替换 0 个，报送记录 3 条。"
    ]
    history = at.dataframe[-1].value
    assert history["说明"].tolist()[0] == "数值 21 个，替换 0 个，报送记录 3 条"


def test_a_rollback_answers_under_its_button_and_clears_the_old_import_message(page):
    at = upload(page(), "good.csv", GOOD)
    next(b for b in at.button if b.label == "确认导入").click()
    at.run()
    place = tabs_place(at)
    history_tab = at.tabs[1]
    next(c for c in history_tab.checkbox if c.label.startswith("我确认回滚")).check()
    at.run()
    next(b for b in at.tabs[1].button if b.label == "回滚").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert tabs_place(at) == place  # nothing new above the tabs: the history tab stays open
    assert [s.value for s in at.tabs[1].success] == ["已回滚批次 #2：删除 24 行，恢复 0 个数值。"]
    assert [s.value for s in at.success] == [s.value for s in at.tabs[1].success]
    notes = at.dataframe[-1].value["说明"].tolist()
    assert notes[0] == "回滚批次 #2：删除 24 个，恢复 0 个"
    at.run()  # the next action: the message has been read
    assert not at.success


def test_a_rollback_that_is_refused_says_why(page, published_copy):
    replace = tiny_db.csv_rows("2025Q3", {tiny_db.CODES[0]: (9, 9, 9, 9, 9, 9, 9)})
    assert import_bytes(published_copy, replace, "更正.csv", replace=True).status == "published"
    at = page()
    history_tab = at.tabs[1]
    history_tab.selectbox[0].set_value(1)
    next(c for c in history_tab.checkbox if c.label.startswith("我确认回滚")).check()
    at.run()
    next(b for b in at.tabs[1].button if b.label == "回滚").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "请先回滚 #2" in at.tabs[1].error[0].value


def test_history_notes_and_template_names_in_english(published_copy, monkeypatch, signed_in):
    assert import_bytes(published_copy, b"", "empty.csv", dry_run=True).status == "rejected"
    names: list[str | None] = []
    store = MemoryMediaFileStorage.load_and_get_id

    def saved(self, content, mimetype, kind, filename=None):
        names.append(filename)
        return store(self, content, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", saved)
    monkeypatch.setenv("BURDENMAP_DB", str(published_copy))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "en"
    at.session_state["token"] = signed_in("admin", db=published_copy)["token"]
    at.switch_page(PAGE)  # straight to the page: one run in English (see test_import_pages)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    notes = at.dataframe[0].value["Details"].tolist()
    assert notes == ["1 error, 0 warnings", "56 values, 0 replaced, 8 reports"]
    assert shown_cells(at.dataframe[0])["Batch"].tolist() == ["—", "#1"]  # a rejected upload
    assert "Quarterly counts template.xlsx" in names
    assert not [n for n in names if n and "模板" in n]
