"""Good files in every supported encoding and format import exactly their values."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
import xlsxwriter
from tiny_db import CODES, HEADER, NAMES, NOW

from metrics import registry, store
from metrics.importing import import_bytes

V1, V2, V3 = CODES[:3]
VALUES = {V1: (3, 14, 0, 2, 6, 5, 1), V2: (0, 0, 0, 0, 0, 0, 0), V3: (499, 7, 199, 3, 150, 8, 0)}


def published(db, period="2025Q4") -> dict[str, tuple[int, ...]]:
    """Values of ``period`` per village, in registry order."""
    reader = store.Reader(db)
    try:
        rows = reader.execute(
            "SELECT village_code, indicator, value FROM observation WHERE period = ?", [period]
        )
    finally:
        reader.close()
    found: dict[str, dict[str, int]] = {}
    for code, indicator, value in rows:
        found.setdefault(code, {})[indicator] = value
    return {code: tuple(v[c] for c in registry.CODES) for code, v in found.items()}


def csv_text(period: str = "2025Q4", header: str = HEADER) -> str:
    lines = [header] + [
        f"{c},{NAMES[c]},{period}," + ",".join(map(str, v)) for c, v in VALUES.items()
    ]
    return "\r\n".join(lines) + "\r\n"


def workbook(rows: list[list], sheets: tuple[str, ...] = ("数据",), numeric_codes=False) -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False})
    for name in sheets:
        ws = book.add_worksheet(name)
        if name.startswith("说明"):
            ws.write_string(0, 0, "说明文字")
            continue
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                if numeric_codes and j == 0 and i > 0:
                    ws.write_number(i, j, int(value))
                elif isinstance(value, str):
                    ws.write_string(i, j, value)
                else:
                    ws.write_number(i, j, value)
    book.close()
    return buf.getvalue()


def rows_of(header: str = HEADER) -> list[list]:
    return [header.split(",")] + [[c, NAMES[c], "2025Q4", *v] for c, v in VALUES.items()]


def imported(db, data: bytes, name: str, **options) -> dict:
    result = import_bytes(db, data, name, now=NOW, **options)
    assert result.status == "published", [p.message() for p in result.problems]
    assert not result.problems
    return published(db)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_csv_in_every_encoding(db, encoding):
    assert imported(db, csv_text().encode(encoding), f"{encoding}.csv") == VALUES


def test_xlsx_with_text_codes_and_an_instructions_sheet_first(db):
    data = workbook(rows_of(), sheets=("说明", "数据"))
    assert imported(db, data, "q4.xlsx") == VALUES


def test_xlsx_with_codes_stored_as_numbers(db):
    assert imported(db, workbook(rows_of(), numeric_codes=True), "q4.xlsx") == VALUES


def test_xlsx_sheet_chosen_by_name(db):
    data = workbook(rows_of(), sheets=("第三季度", "第四季度"))
    result = import_bytes(db, data, "q.xlsx", sheet="第四季度", now=NOW)
    assert result.status == "published"


@pytest.mark.parametrize(
    "period", ["2025Q4", "2025-Q4", "2025 q4", "2025年第4季度", "2025年四季度"]
)
def test_every_way_of_writing_the_quarter(db, period):
    assert imported(db, csv_text(period).encode(), "q4.csv") == VALUES


def test_english_headers(db):
    header = ",".join(["village_code", "village_name", "period", *registry.CODES])
    assert imported(db, csv_text(header=header).encode(), "en.csv") == VALUES


def test_full_width_digits_stray_spaces_and_a_title_row(db):
    text = csv_text().replace(V1, "　６３０１０２００１００１ ").replace(",3,", ",３,")
    text = text.replace("协助事项数", " 协助事项数（项） ")
    text = "2025年第四季度村级组织负担统计表,,,\r\n" + text
    assert imported(db, text.encode("gb18030"), "q4.csv") == VALUES


def test_a_missing_indicator_column_means_not_reported(db):
    header = "村代码,统计期,协助事项数,挂牌数"
    data = f"{header}\n{V1},2025Q4,3,6\n{V2},2025Q4,,7\n".encode()
    import_bytes(db, data, "two.csv", now=NOW)
    reader = store.Reader(db)
    rows = reader.execute(
        "SELECT village_code, indicator, value FROM observation "
        "WHERE period = '2025Q4' ORDER BY ALL"
    )
    assert rows == [(V1, "plaques", 6), (V1, "tasks", 3), (V2, "plaques", 7)]


def test_whole_numbers_written_with_decimals_and_a_report_time(db):
    header = "村代码,统计期,协助事项数,报送时间"
    data = f"{header}\n{V1},2025Q4,3.0,2026年1月10日 09:30\n".encode()
    import_bytes(db, data, "t.csv", now=NOW)
    reader = store.Reader(db)
    assert reader.execute("SELECT value FROM observation WHERE period = '2025Q4'") == [(3,)]
    assert reader.execute("SELECT reported_at FROM report WHERE period = '2025Q4'") == [
        (datetime(2026, 1, 10, 9, 30),)
    ]


def test_semicolon_and_tab_separated_files(db):
    text = csv_text().replace(",", "\t")
    assert imported(db, text.encode("utf-16"), "tabs.txt") == VALUES


def test_large_numbers_keep_their_digits_and_blank_rows_are_skipped(db):
    text = csv_text().replace("\r\n", "\r\n,,,,\r\n", 1)
    assert imported(db, text.encode(), "gaps.csv") == VALUES
