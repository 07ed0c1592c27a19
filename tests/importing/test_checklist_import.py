"""The on-site checklist workbook (one sheet per village) read back in one visit import."""

from __future__ import annotations

import io
import sys
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from metrics import checklist, registry, sampling, store
from metrics.importing import import_bytes, to_frame
from metrics.scope import Scope

# The hand-built fixture of the metrics tests (tests/metrics/flags_fixture.py).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "metrics"))
from flags_fixture import Q, build

NOW = datetime(2025, 6, 30, 12, 0)
DATA_ROW = checklist.HEADER_ROW + 2  # 1-based: the row an inspector fills in
PICKS = 4


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "burden.duckdb"
    store.publish(path, build, create=True)
    return path


def filled(db: Path, fill) -> tuple[bytes, list[str]]:
    """A checklist workbook of a 4-village sample of ``Q[1]``, each sheet passed to ``fill``."""
    reader = store.Reader(db)
    picks = sampling.sample(
        reader, sampling.Design(n=PICKS, seed=3, period=Q[1]), Scope.everything()
    )
    reader.close()
    book = openpyxl.load_workbook(io.BytesIO(checklist.workbook(picks, "模拟数据", "测试省")))
    sheets = book.sheetnames[1:]
    for n, name in enumerate(sheets):
        fill(book[name], n)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), sheets


def verified(n: int) -> list[int]:
    """What the inspector counted at the ``n``-th village."""
    return [n + k for k in range(len(registry.CODES))]


def as_inspector(sheet, n: int) -> None:
    """Type the counts and the date; switch the second village to a spot check."""
    for k, value in enumerate(verified(n)):
        sheet.cell(DATA_ROW, 3 + k, value)
    sheet.cell(DATA_ROW, 3 + len(registry.CODES), "抽查" if n == 1 else "督查")
    sheet.cell(DATA_ROW, 4 + len(registry.CODES), date(2025, 5, 10 + n))


def test_the_whole_workbook_imports_as_one_visit_batch(db):
    data, sheets = filled(db, as_inspector)
    result = import_bytes(db, data, "checklists.xlsx", kind="visits", user="inspector", now=NOW)
    assert result.status == "published", [p.message() for p in result.errors]
    assert result.rows == PICKS and result.counts["visits"] == PICKS

    reader = store.Reader(db)
    visits = reader.query(
        "SELECT v.village_code, v.period, v.kind, v.visited_on, "
        "list(x.verified ORDER BY x.indicator) AS counts, "
        "list(x.indicator ORDER BY x.indicator) AS indicators FROM visit v "
        "JOIN visit_value x USING (visit_id) WHERE v.batch_id = $b GROUP BY ALL "
        "ORDER BY v.visited_on",
        {"b": result.batch_id},
    )
    reader.close()
    assert visits["village_code"].tolist() == [name.split()[0] for name in sheets]
    assert set(visits["period"]) == {Q[1]}
    assert visits["kind"].tolist() == ["督查", "抽查", "督查", "督查"]
    assert [d.day for d in visits["visited_on"]] == [10, 11, 12, 13]
    for n, row in visits.iterrows():
        by_code = dict(zip(row["indicators"], row["counts"], strict=True))
        assert [by_code[c] for c in registry.CODES] == verified(n)


def test_problems_name_the_sheet_row_and_column(db):
    def with_mistakes(sheet, n: int) -> None:
        as_inspector(sheet, n)
        if n == 2:
            sheet.cell(DATA_ROW, 4, "十二")  # forms, written out in words

    data, sheets = filled(db, with_mistakes)
    result = import_bytes(db, data, "checklists.xlsx", kind="visits", user="inspector", now=NOW)
    assert result.status == "rejected"
    [problem] = result.errors
    assert (problem.code, problem.sheet, problem.row, problem.column) == (
        "text_in_count",
        sheets[2],
        DATA_ROW,
        "D",
    )
    assert f"工作表“{sheets[2]}” 第 {DATA_ROW} 行 D 列（报表台账数）" in problem.message()
    report = to_frame(result.problems)
    assert list(report.columns[:4]) == ["文件", "工作表", "行", "列"]
    assert report[report["级别"] == "错误"].iloc[0, :4].tolist() == [
        "checklists.xlsx",
        sheets[2],
        DATA_ROW,
        "D",
    ]


def test_a_village_checked_twice_is_a_duplicate_across_sheets(db):
    def twice(sheet, n: int) -> None:
        as_inspector(sheet, 0 if n == 3 else n)  # the last sheet repeats the first's visit
        if n == 3:
            sheet.cell(DATA_ROW, 1, sheet.parent.worksheets[1].cell(DATA_ROW, 1).value)

    data, sheets = filled(db, twice)
    result = import_bytes(db, data, "checklists.xlsx", kind="visits", user="inspector", now=NOW)
    [problem] = result.errors
    assert (problem.code, problem.sheet, problem.row) == ("duplicate_in_file", sheets[3], DATA_ROW)
    assert problem.detail == f"{DATA_ROW}（{sheets[0]}）"


def test_verification_type_is_an_alias_of_the_method(db):
    def renamed(sheet, n: int) -> None:
        as_inspector(sheet, n)
        sheet.cell(DATA_ROW - 1, 3 + len(registry.CODES), "核查类型")

    data, _ = filled(db, renamed)
    result = import_bytes(db, data, "checklists.xlsx", kind="visits", user="inspector", now=NOW)
    assert result.status == "published", [p.message() for p in result.errors]
    assert result.counts["visits"] == PICKS


def test_a_named_sheet_still_imports_alone(db):
    data, sheets = filled(db, as_inspector)
    result = import_bytes(
        db, data, "checklists.xlsx", kind="visits", sheet=sheets[1], user="inspector", now=NOW
    )
    assert result.status == "published" and result.rows == 1
