"""Generate the bad-input corpus ``tests/importing/corpus/``: one file per named problem.

Run ``python tests/importing/make_corpus.py`` after changing a case; a test checks that the
committed files are exactly what this script writes. Every case states the problems the importer
must report (code, row as Excel shows it, column letter, value) against the tiny database of
``tiny_db`` (2025Q3 published, today 2026-01-20).
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tiny_db import CODES, HEADER, NAMES

CORPUS = Path(__file__).resolve().parent / "corpus"
V1, V2, V3 = CODES[:3]
Expected = tuple[str, int | None, str | None, str | None]  # code, row, column, value


@dataclass(frozen=True)
class Case:
    """One corpus file and what importing it must report."""

    name: str
    build: Callable[[], bytes]
    expect: tuple[Expected, ...]
    about: str
    kind: str = "observations"  # or items, visits, gazetteer
    options: dict = field(default_factory=dict)  # sheet, dry_run


def row(code: str, values: str = "10,20,5,4,8,6,1", period: str = "2025Q4", name: str = "") -> str:
    return f"{code},{name or NAMES.get(code, '')},{period},{values}"


def csv(*lines: str, header: str = HEADER, encoding: str = "utf-8") -> Callable[[], bytes]:
    return lambda: ("\n".join([header, *lines]) + "\n").encode(encoding)


def xlsx(
    rows: list[list], sheet: str = "数据", formulas: dict | None = None
) -> Callable[[], bytes]:
    """A workbook with ``rows`` (first is the header); ``formulas`` maps (row, col) → formula."""

    def build() -> bytes:
        buf = io.BytesIO()
        book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False})
        book.set_properties({"created": datetime(2026, 1, 1)})
        ws = book.add_worksheet(sheet)
        for i, values in enumerate(rows):
            for j, value in enumerate(values):
                if formulas and (i, j) in formulas:
                    ws.write_formula(i, j, formulas[(i, j)], None, value)
                elif isinstance(value, str):
                    ws.write_string(i, j, value)
                elif value is not None:
                    ws.write_number(i, j, value)
        book.close()
        return buf.getvalue()

    return build


def plain_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("readme.txt", (2026, 1, 1, 0, 0, 0)), "not a workbook")
    return buf.getvalue()


HEADER_CELLS = HEADER.split(",")
GOOD_XLSX_ROW = [V1, NAMES[V1], "2025Q4", 10, 20, 5, 4, 8, 6, 1]
ITEMS_HEADER = "村代码,统计期,事项类别,事项名称,部门,是否在清单内"
VISITS_HEADER = "村代码,统计期,核查方式,核查日期,协助事项数,挂牌数"
GAZ_HEADER = "村代码,村名,乡镇,县区代码,类型,经度,纬度,区域类型"

CASES: tuple[Case, ...] = (
    Case(
        "unknown_village.csv",
        csv(row(V1), row("630102009999", name="无名村")),
        (("unknown_village", 3, "A", "630102009999"),),
        "a 12-digit code that is not in the gazetteer",
    ),
    Case(
        "unknown_village_short.csv",
        csv(row("6301020010")),
        (("unknown_village", 2, "A", "6301020010"),),
        "a code with 10 digits (the message says so)",
    ),
    Case(
        "name_mismatch.csv",
        csv(row(V1), row(V2, name="南关村")),
        (("name_mismatch", 3, "B", "南关村"),),
        "the name does not match the code (warning: the file would import)",
        options={"dry_run": True},
    ),
    Case(
        "duplicate_in_file.csv",
        csv(row(V1), row(V2), row(V1, "11,20,5,4,8,6,1")),
        (("duplicate_in_file", 4, "A", V1),),
        "the same village and quarter twice",
    ),
    Case(
        "already_published.csv",
        csv(row(V1), row(V2, period="2025Q3")),
        (("already_published", 3, "C", "2025Q3"),),
        "2025Q3 of this village is published already (no --replace)",
    ),
    Case(
        "negative_value.csv",
        csv(row(V1), row(V2, "-4,20,5,4,8,6,1")),
        (("negative_value", 3, "D", "-4"),),
        "a count below zero",
    ),
    Case(
        "not_integer.csv",
        csv(row(V1, "10,2.5,5,4,8,6,1")),
        (("not_integer", 2, "E", "2.5"),),
        "a fraction in a count",
    ),
    Case(
        "text_in_count.csv",
        csv(row(V1), row(V2), row(V3, "10,20,三个,4,8,6,1")),
        (("text_in_count", 4, "F", "三个"),),
        "words in a count",
    ),
    Case(
        "text_in_count_units.xlsx",
        xlsx([HEADER_CELLS, [V1, NAMES[V1], "2025Q4", "12项", 20, 5, 4, 8, 6, 1]]),
        (("text_in_count", 2, "D", "12项"),),
        "a count typed with its unit, in a workbook",
    ),
    Case(
        "above_maximum.csv",
        csv(row(V1, "10,20,5,4,151,6,1")),
        (("above_maximum", 2, "H", "151"),),
        "plaques above the registry's plausible maximum (150)",
    ),
    Case(
        "bad_period.csv",
        csv(row(V1, period="2025年第五季度")),
        (("bad_period", 2, "C", "2025年第五季度"),),
        "a quarter that does not exist",
    ),
    Case(
        "future_period.csv",
        csv(row(V1, period="2027Q1")),
        (("future_period", 2, "C", "2027Q1"),),
        "a quarter after today's",
    ),
    Case(
        "unfinished_period.csv",
        csv(row(V1, period="2026Q1"), row(V2, period="2026Q1")),
        (("unfinished_period", 2, "C", "2026Q1"),),
        "today's quarter, not over yet (warning once, at its first row: the file would import)",
        options={"dry_run": True},
    ),
    Case(
        "missing_column.csv",
        csv(f"{V1},{NAMES[V1]},10", header="村代码,村名,协助事项数"),
        (("missing_column", 1, None, "统计期"),),
        "no period column",
    ),
    Case(
        "missing_indicator_columns.csv",
        csv(f"{V1},2025Q4", header="村代码,统计期"),
        (("missing_column", 1, None, "协助事项数…考核评比数"),),
        "not a single indicator column",
    ),
    Case(
        "missing_value.csv",
        csv(row(V1), row(V2, period="")),
        (("missing_value", 3, "C", None),),
        "a blank required cell (period)",
    ),
    Case(
        "duplicate_column.csv",
        csv(f"{V1},2025Q4,10,11", header="村代码,统计期,协助事项数,tasks"),
        (("duplicate_column", 1, "D", "tasks"),),
        "the same column twice (Chinese and English header)",
    ),
    Case(
        "unknown_column.csv",
        csv(row(V1) + ",已核对", header=HEADER + ",备注"),
        (("unknown_column", 1, "K", "备注"),),
        "an extra column (warning: ignored)",
        options={"dry_run": True},
    ),
    Case(
        "no_values.csv",
        csv(row(V1), row(V2, ",,,,,,")),
        (("no_values", 3, None, None),),
        "a row without any value (warning: skipped)",
        options={"dry_run": True},
    ),
    Case(
        "bad_date.csv",
        csv(row(V1) + ",2026-13-45", header=HEADER + ",报送时间"),
        (("bad_date", 2, "K", "2026-13-45"),),
        "a report time that is not a date",
    ),
    Case("empty_file.csv", lambda: b"", (("empty_file", None, None, None),), "0 bytes"),
    Case(
        "empty_blank_lines.csv",
        lambda: b"\xef\xbb\xbf\r\n , \r\n",
        (("empty_file", None, None, None),),
        "only a BOM, blanks and commas",
    ),
    Case(
        "empty_workbook.xlsx",
        xlsx([]),
        (("sheet_missing", None, None, None),),
        "a workbook whose only sheet is empty",
    ),
    Case(
        "header_only.csv",
        csv(),
        (("header_only", 1, None, None),),
        "a header and nothing else",
    ),
    Case(
        "header_only.xlsx",
        xlsx([HEADER_CELLS]),
        (("header_only", 1, None, None),),
        "a workbook with a header and nothing else",
    ),
    Case(
        "sheet_missing.xlsx",
        xlsx([HEADER_CELLS, GOOD_XLSX_ROW]),
        (("sheet_missing", None, None, "第二季度"),),
        "--sheet names a sheet the workbook does not have",
        options={"sheet": "第二季度"},
    ),
    Case(
        "fake_workbook.xlsx",
        csv(row(V1)),
        (("wrong_format", None, None, None),),
        "a CSV file renamed .xlsx",
    ),
    Case(
        "workbook_named_csv.csv",
        xlsx([HEADER_CELLS, GOOD_XLSX_ROW]),
        (("wrong_format", None, None, None),),
        "a real workbook renamed .csv",
    ),
    Case(
        "binary_garbage.csv",
        lambda: bytes((i * 37 + 11) % 256 for i in range(2048)),
        (("wrong_format", None, None, None),),
        "binary garbage named .csv",
    ),
    Case(
        "binary_garbage.xlsx",
        lambda: b"\x7fELF" + bytes((i * 91 + 7) % 256 for i in range(2048)),
        (("wrong_format", None, None, None),),
        "binary garbage named .xlsx",
    ),
    Case(
        "old_format.xlsx",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
        (("wrong_format", None, None, None),),
        "an old .xls (OLE) workbook named .xlsx",
    ),
    Case(
        "plain_zip.xlsx",
        plain_zip,
        (("wrong_format", None, None, None),),
        "a ZIP archive that is not a workbook",
    ),
    Case(
        "truncated.xlsx",
        lambda: xlsx([HEADER_CELLS, GOOD_XLSX_ROW])()[:700],
        (("wrong_format", None, None, None),),
        "a workbook cut short (damaged)",
    ),
    Case(
        "formula.xlsx",
        xlsx([HEADER_CELLS, GOOD_XLSX_ROW], formulas={(1, 3): "=SUM(5,5)"}),
        (("formula", 2, "D", "=SUM(5,5)"),),
        "a formula cell in a workbook",
    ),
    Case(
        "injection_equals.csv",
        csv(row(V1, "=1+1,20,5,4,8,6,1")),
        (("formula", 2, "D", "=1+1"),),
        "a cell starting with =",
    ),
    Case(
        "injection_at.csv",
        csv(row(V1, "10,@SUM(A1),5,4,8,6,1")),
        (("formula", 2, "E", "@SUM(A1)"),),
        "a cell starting with @",
    ),
    Case(
        "injection_plus.csv",
        csv(row(V1, "10,20,+cmd|' /C calc'!A0,4,8,6,1")),
        (("formula", 2, "F", "+cmd|' /C calc'!A0"),),
        "a cell starting with + (DDE payload)",
    ),
    Case(
        "injection_minus.csv",
        csv(row(V1, "10,20,5,-2+3+cmd|' /C calc'!A0,8,6,1")),
        (("formula", 2, "G", "-2+3+cmd|' /C calc'!A0"),),
        "a cell starting with - that is not a number",
    ),
    Case(
        "injection_in_name.csv",
        csv(row(V1, name='"=HYPERLINK(""http://x.invalid"",""点击"")"')),
        (("formula", 2, "B", '=HYPERLINK("http://x.invalid","点击")'),),
        "a formula in a text column",
    ),
    Case(
        "code_scientific.csv",
        csv(row("6.30102E+11")),
        (("code_scientific", 2, "A", "6.30102E+11"),),
        "a code Excel turned into scientific notation",
    ),
    Case(
        "encoding_broken_utf8.csv",
        lambda: csv(row(V1), row(V2))()[:-20] + b"\xe5\xff\xfe" + csv(row(V3))()[-15:],
        (("encoding", 3, None, "E5 FF FE 30"),),
        "UTF-8 with undecodable bytes in row 3",
    ),
    Case(
        "encoding_unknown.csv",
        lambda: HEADER.encode("utf-8") + b"\n" + bytes(range(0x80, 0xC0)) + b"\n",
        (("encoding", 2, None, "80 81 82 83"),),
        "bytes that are neither UTF-8 nor GB18030",
    ),
    Case(
        "items_bad_choice.csv",
        csv(f"{V1},2025Q4,协助事项,防汛值守,县应急局,也许", header=ITEMS_HEADER),
        (("bad_choice", 2, "F", "也许"),),
        "an items file whose on-list cell is neither 是 nor 否",
        kind="items",
    ),
    Case(
        "items_conflict.csv",
        csv(
            f"{V1},2025Q4,协助事项,防汛值守,县应急局,是",
            f"{V2},2025Q4,协助事项,防汛值守,县应急局,否",
            header=ITEMS_HEADER,
        ),
        (("item_conflict", 2, "F", "防汛值守"), ("item_conflict", 3, "F", "防汛值守")),
        "one item marked both on and off the list",
        kind="items",
    ),
    Case(
        "visits_bad_choice.csv",
        csv(f"{V1},2025Q3,暗访,2025-11-02,10,8", header=VISITS_HEADER),
        (("bad_choice", 2, "C", "暗访"),),
        "a visit kind that is not 督查, 调研 or 抽查",
        kind="visits",
    ),
    Case(
        "visits_future_date.csv",
        csv(
            f"{V1},2025Q3,抽查,2026-01-20,10,8",
            f"{V2},2025Q3,抽查,2026/1/21,10,8",
            header=VISITS_HEADER,
        ),
        (("future_visit_date", 3, "D", "2026-01-21"),),
        "a visit dated after today (today itself is fine)",
        kind="visits",
    ),
    Case(
        "visits_before_period.csv",
        csv(
            f"{V1},2025Q3,抽查,2025-07-01,10,8",
            f"{V2},2025Q3,抽查,2025-06-30,10,8",
            header=VISITS_HEADER,
        ),
        (("visit_before_period", 3, "D", "2025-06-30"),),
        "a visit dated before the quarter it checks began (its first day is fine)",
        kind="visits",
    ),
    Case(
        "visits_without_report.csv",
        csv(
            f"{V1},2025Q3,抽查,2025-11-02,10,8",
            f"{V2},2025Q4,抽查,2026-01-10,10,8",
            header=VISITS_HEADER,
        ),
        (("visit_without_report", 3, "B", "2025Q4"),),
        "a visit of a quarter the village has not reported (warning: the file would import)",
        kind="visits",
        options={"dry_run": True},
    ),
    Case(
        "gazetteer_bad_code.csv",
        csv("63010200100A,红卫村,东关大街,630102,村,101.8,36.6,农区", header=GAZ_HEADER),
        (("bad_code", 2, "A", "63010200100A"),),
        "a gazetteer code that is not 12 digits",
        kind="gazetteer",
    ),
    Case(
        "gazetteer_unknown_county.csv",
        csv("639999001001,红卫村,东关大街,639999,村,101.8,36.6,农区", header=GAZ_HEADER),
        (("unknown_county", 2, "D", "639999"),),
        "a county code that is not a county of the province",
        kind="gazetteer",
    ),
    Case(
        "gazetteer_code_county_mismatch.csv",
        csv("632621001001,红卫村,东关大街,630102,村,101.8,36.6,农区", header=GAZ_HEADER),
        (("code_county_mismatch", 2, "A", "632621001001"),),
        "a village code outside the county given",
        kind="gazetteer",
    ),
    Case(
        "gazetteer_bad_coordinate.csv",
        csv("630102001001,红卫村,东关大街,630102,村,201.8,36.6,农区", header=GAZ_HEADER),
        (("bad_coordinate", 2, "F", "201.8"),),
        "a longitude outside China",
        kind="gazetteer",
    ),
)


def write(folder: Path = CORPUS) -> list[Path]:
    """Write every case (and the corpus README) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for case in CASES:
        path = folder / case.name
        path.write_bytes(case.build())
        written.append(path)
    lines = [
        "# Bad-input corpus of the importer",
        "",
        "Generated by `tests/importing/make_corpus.py` (do not edit by hand; a test checks the",
        "files are what it writes). Each file shows one named problem of",
        "`metrics/importing/problems.py`; `test_import_corpus.py` imports it into a tiny",
        "database and asserts the problem, its row and column, and that nothing changed.",
        "",
        "| file | kind | problem | what |",
        "|---|---|---|---|",
    ]
    for case in CASES:
        codes = ", ".join(sorted({f"`{e[0]}`" for e in case.expect}))
        lines.append(f"| `{case.name}` | {case.kind} | {codes} | {case.about} |")
    readme = folder / "README.md"
    readme.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [*written, readme]


if __name__ == "__main__":
    for path in write():
        print(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path)
