"""XLSX and CSV tables: read back, typed, described, and formula-safe."""

import csv
import io

import openpyxl
import pandas as pd
import pytest

from metrics.exports.sheets import Column, Table, csv_bytes, display_width, xlsx_bytes

INJECTIONS = ["=1+1", "+1+1", "-1+1", "@SUM(A1:A2)", '=HYPERLINK("http://x")', "\t=1"]


@pytest.fixture
def table() -> Table:
    frame = pd.DataFrame(
        {
            "name": ["贵南县", *INJECTIONS],
            "code": ["632525", *["000000"] * len(INJECTIONS)],
            "mean": [39.123, *[-1.5] * len(INJECTIONS)],
            "rank": [1, *range(2, 2 + len(INJECTIONS))],
            "change": [-57.61, *[None] * len(INJECTIONS)],
        }
    )
    columns = (
        Column("name", "名称"),
        Column("code", "代码", "code"),
        Column("mean", "负担指数（基期中位村 = 100）", "number"),
        Column("rank", "排名", "int"),
        Column("change", "较基期变化（%）", "signed"),
    )
    about = (("内容", "青海省 · 负担指数 · 2025年第四季度"), ("来源", "各村季度报送"))
    return Table("各县区负担指数", frame, columns, about, marking="内部资料 注意保存")


def test_xlsx_reads_back_with_types_formats_and_a_frozen_header(table):
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(table)))
    assert book.sheetnames == ["数据", "说明"]
    sheet = book["数据"]
    assert [c.value for c in sheet[1]] == table.headers
    assert sheet.freeze_panes == "A2"
    assert sheet["A2"].value == "贵南县"
    assert sheet["B2"].value == "632525" and sheet["B2"].number_format == "@"
    assert sheet["C2"].value == pytest.approx(39.123) and sheet["C2"].number_format == "#,##0.0"
    assert sheet["D2"].value == 1 and sheet["D2"].number_format == "#,##0"
    assert sheet["E2"].number_format == "+0.0;-0.0;0.0"
    assert sheet["E3"].value is None  # missing stays empty, not 0
    assert sheet.column_dimensions["C"].width >= display_width(table.headers[2])
    assert "内部资料 注意保存" in sheet.oddHeader.right.text
    about = [[c.value for c in row] for row in book["说明"].iter_rows()]
    assert ["", "内部资料 注意保存"] in about or [None, "内部资料 注意保存"] in about
    assert ["来源", "各村季度报送"] in about


def test_csv_has_a_bom_and_the_shown_decimals(table):
    data = csv_bytes(table)
    assert data.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype={"代码": str})
    assert list(frame.columns) == table.headers
    assert frame.loc[0, "代码"] == "632525"
    assert frame.loc[0, "负担指数（基期中位村 = 100）"] == 39.1
    assert frame.loc[0, "较基期变化（%）"] == -57.6


@pytest.mark.parametrize("text", INJECTIONS)
def test_formula_like_text_is_neutralised_in_both_formats(table, text):
    row = 1 + INJECTIONS.index(text)  # in the frame; the header comes first in both files
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(table)))["数据"]
    cell = sheet.cell(row=row + 2, column=1)
    assert cell.data_type == "s" and cell.value == "'" + text
    rows = list(csv.reader(io.StringIO(csv_bytes(table).decode("utf-8-sig"))))
    assert rows[row + 1][0] == "'" + text


def test_numbers_are_numbers_not_neutralised_text(table):
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(table)))["数据"]
    assert sheet["C3"].value == -1.5 and sheet["C3"].data_type == "n"
