"""The table builders of the departments and inspection pages: headers, values, safe cells."""

import io

import openpyxl
import pandas as pd
import pytest

from dashboard.exports import tables
from dashboard.exports.titles import Caption
from metrics import registry

CAP = Caption("标题", "贵南县 · 2025年第四季度", "资料来源：测试", "模拟数据", "筛选：无")
NAMES = {"heaping": "数值取整", "late": "逾期报送"}


def _rows(table: tables.Table, lang: str = "zh") -> list[dict]:
    """The data sheet of ``table`` as written to XLSX, one dict per row keyed by header."""
    book = openpyxl.load_workbook(io.BytesIO(tables.write(table, "xlsx")))
    sheet = book["数据" if lang == "zh" else "Data"]
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


def _villages(**columns: list) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "village_code": ["632525001001", "632525001002"],
            "name": ["=加斯村", "塔秀村"],  # a formula-like name must come out as text
            "township": ["塔秀乡", "塔秀乡"],
            "county": ["贵南县", "贵南县"],
            **columns,
        }
    )


def test_department_items_in_the_readers_language():
    items = pd.DataFrame(
        {
            "name": ["村级防汛台账", "+出具居住证明"],
            "indicator": ["forms", "certificates"],
            "on_list": [True, False],
            "basis": ["某文件", None],
            "villages_reached": [12, 3],
            "reached_share": [0.5, 0.125],
        }
    )
    rows = _rows(tables.department_items_table(items, CAP))
    assert list(rows[0]) == ["事项", "指标", "在清单内", "覆盖村数", "覆盖村比例（%）", "依据"]
    assert [r["在清单内"] for r in rows] == ["是", "否"]
    assert [r["指标"] for r in rows] == [registry.label("forms"), registry.label("certificates")]
    assert rows[1]["覆盖村比例（%）"] == pytest.approx(12.5)
    assert rows[1]["事项"] == "'+出具居住证明"
    english = _rows(tables.department_items_table(items, CAP, "en"), "en")
    assert [r["On the list"] for r in english] == ["Yes", "No"]


def test_sample_table_names_draws_and_flags():
    picks = _villages(
        draw=["risk", "random"],
        flags=[("heaping", "late"), ()],
        reasons=["【数值取整】…", ""],
        index=[31.54, 39.65],
        **{code: [float(n), None] for n, code in enumerate(registry.CODES)},
    )
    rows = _rows(tables.sample_table(picks, CAP, NAMES))
    assert rows[0]["抽取方式"] == "风险加权" and rows[1]["抽取方式"] == "随机对照"
    assert rows[0]["风险标记"] == "数值取整、逾期报送" and not rows[1]["风险标记"]
    assert rows[0]["村代码"] == "632525001001" and rows[0]["村（社区）"] == "'=加斯村"
    assert rows[0][tables.value_header("index")] == pytest.approx(31.54)
    last = registry.CODES[-1]
    assert rows[0][tables.value_header(last)] == len(registry.CODES) - 1
    assert rows[1][tables.value_header(last)] is None  # not reported stays empty


def test_flags_table_keeps_the_reasons_of_the_language():
    flagged = _villages(
        flags=[("late",), ("heaping",)],
        risk=[30.0, 2.5],
        reasons_zh=["逾期 20 天", "连续取整"],
        reasons_en=["20 days late", "round numbers"],
    )
    rows = _rows(tables.flags_table(flagged, CAP, NAMES))
    assert [r["理由"] for r in rows] == ["逾期 20 天", "连续取整"]
    assert [r["风险倍数"] for r in rows] == [30.0, 2.5]
    english = _rows(
        tables.flags_table(flagged, CAP, {"late": "Late", "heaping": "Heaping"}, "en"), "en"
    )
    assert [r["Reasons"] for r in english] == ["20 days late", "round numbers"]
    assert [r["Flags"] for r in english] == ["Late", "Heaping"]


def test_flag_counts_table_by_name():
    counts = pd.Series([7, 2], index=["late", "heaping"])
    rows = _rows(tables.flag_counts_table(counts, CAP, NAMES))
    assert rows == [{"风险标记": "逾期报送", "村数": 7}, {"风险标记": "数值取整", "村数": 2}]


def test_discrepancies_table_in_percent():
    gaps = pd.DataFrame(
        {
            "name": ["塔秀乡"],
            "visits": [8],
            "inconsistent_share": [0.5],
            "gap_share": [0.25],
            "under_share": [0.125],
            "mean_abs_gap": [1.75],
        }
    )
    (row,) = _rows(tables.discrepancies_table(gaps, CAP))
    assert row == {
        "乡镇": "塔秀乡",
        "核查次数": 8,
        "不一致（%）": 50.0,
        "差距大（%）": 25.0,
        "少报（%）": 12.5,
        "平均差距": 1.75,
    }


def test_tables_carry_the_caption_to_the_description_sheet():
    counts = pd.Series([1], index=["late"])
    book = openpyxl.load_workbook(
        io.BytesIO(tables.write(tables.flag_counts_table(counts, CAP, NAMES), "xlsx"))
    )
    about = {r[0]: r[1] for r in book["说明"].iter_rows(values_only=True) if r[0]}
    assert about["筛选条件"] == "筛选：无" and about["来源"] == "资料来源：测试"
    csv = tables.write(tables.flag_counts_table(counts, CAP, NAMES), "csv")
    assert csv.startswith(b"\xef\xbb\xbf") and "逾期报送" in csv.decode("utf-8-sig")
