"""Tables as XLSX (typed, formatted, with a sheet on source and filters) or CSV with a BOM.

A :class:`Table` says what a table holds: its frame, each column's header (units included) and
kind, and the lines that describe where it came from. :func:`xlsx_bytes` and :func:`csv_bytes`
write it. Text cells a spreadsheet would run as formulas (``=``, ``+``, ``-``, ``@``) are
neutralised in both (:func:`metrics.importing.files.safe_text`).
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd
import xlsxwriter

from metrics.importing.files import safe_text

Kind = Literal["text", "code", "int", "number", "signed"]
# Excel number formats of the kinds (``code``: text, so codes keep their digits).
NUMBER_FORMATS: dict[str, str] = {
    "text": "General",
    "code": "@",
    "int": "#,##0",
    "number": "#,##0.0",
    "signed": "+0.0;-0.0;0.0",
}
DECIMALS = {"number": 1, "signed": 1}  # what CSV keeps (as shown in the app and the CLI)
MAX_WIDTH = 48


@dataclass(frozen=True)
class Column:
    """One exported column: ``key`` in the frame, its header (with unit) and kind."""

    key: str
    header: str
    kind: Kind = "text"


@dataclass(frozen=True)
class Table:
    """A table to export.

    Parameters
    ----------
    title
        What the table is (the printed page header and the first line of the ``about`` sheet).
    frame
        The data; only the columns named in ``columns`` are written, in that order.
    columns
        Headers and kinds.
    about
        ``(label, text)`` lines describing source, filters, period and data vintage.
    marking
        A marking line (e.g. 内部资料 注意保存) printed on every page; empty for none.
    sheet, about_sheet
        Sheet names.

    """

    title: str
    frame: pd.DataFrame
    columns: tuple[Column, ...]
    about: tuple[tuple[str, str], ...] = ()
    marking: str = ""
    sheet: str = "数据"
    about_sheet: str = "说明"

    @property
    def headers(self) -> list[str]:
        """The header row."""
        return [c.header for c in self.columns]


def display_width(text: str) -> int:
    """Width of ``text`` in Excel character units (Chinese characters count double).

    Examples
    --------
    >>> display_width("负担指数 (1)")
    12

    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _cells(table: Table) -> list[list[object]]:
    """Rows of plain values, text neutralised, missing values as ``None``."""
    rows = []
    for record in table.frame[[c.key for c in table.columns]].itertuples(index=False):
        row: list[object] = []
        for column, value in zip(table.columns, record, strict=True):
            if _missing(value):
                row.append(None)
            elif column.kind in ("text", "code"):
                row.append(safe_text(str(value)))
            elif column.kind == "int":
                row.append(int(value))
            else:
                row.append(float(value))
        rows.append(row)
    return rows


def csv_bytes(table: Table) -> bytes:
    """``table`` as CSV in UTF-8 with a BOM (Excel then reads the Chinese right).

    Numbers keep the decimals the app shows; missing values are empty.

    Examples
    --------
    >>> t = Table("t", pd.DataFrame({"a": ["=1+1"], "b": [2.345]}),
    ...           (Column("a", "名称"), Column("b", "指数", "number")))
    >>> csv_bytes(t).decode("utf-8-sig").splitlines()
    ['名称,指数', "'=1+1,2.3"]

    """
    rows = _cells(table)
    for row in rows:
        for j, column in enumerate(table.columns):
            if row[j] is not None and column.kind in DECIMALS:
                row[j] = round(row[j], DECIMALS[column.kind])
    frame = pd.DataFrame(rows, columns=table.headers)
    return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def xlsx_bytes(table: Table) -> bytes:
    """``table`` as an XLSX workbook: a data sheet and a sheet describing it.

    The data sheet has a bold, frozen header row with an auto-filter, number formats per
    column kind, column widths fitted to Chinese text, and prints landscape with the header row
    repeated, the title and marking at the top of every page and page numbers at the bottom.
    """
    buf = io.BytesIO()
    options = {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    with xlsxwriter.Workbook(buf, options) as book:
        _data_sheet(book, table)
        _about_sheet(book, table)
    return buf.getvalue()


def _page_setup(sheet: xlsxwriter.worksheet.Worksheet, table: Table) -> None:
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    header = f"&L{_escape_amp(table.title)}"
    if table.marking:
        header += f'&R&"-,Bold"{_escape_amp(table.marking)}'
    sheet.set_header(header)
    sheet.set_footer("&C&P / &N")


def _escape_amp(text: str) -> str:
    """Header/footer text with ``&`` doubled (Excel's control character)."""
    return text.replace("&", "&&")


def _data_sheet(book: xlsxwriter.Workbook, table: Table) -> None:
    sheet = book.add_worksheet(table.sheet)
    head = book.add_format(
        {"bold": True, "bg_color": "#EEEEEE", "border": 1, "text_wrap": True, "valign": "top"}
    )
    formats = {kind: book.add_format({"num_format": f}) for kind, f in NUMBER_FORMATS.items()}
    rows = _cells(table)
    for j, column in enumerate(table.columns):
        sheet.write_string(0, j, column.header, head)
        shown = [column.header] + [_shown(r[j], column.kind) for r in rows[:500]]
        width = min(MAX_WIDTH, max(display_width(s) for s in shown) + 2)
        sheet.set_column(j, j, width, formats[column.kind])
    for i, row in enumerate(rows, start=1):
        for j, (column, value) in enumerate(zip(table.columns, row, strict=True)):
            if value is None:
                continue
            if column.kind in ("text", "code"):
                sheet.write_string(i, j, value, formats[column.kind])
            else:
                sheet.write_number(i, j, value, formats[column.kind])
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), max(len(table.columns) - 1, 0))
    sheet.repeat_rows(0)
    _page_setup(sheet, table)


def _shown(value: object, kind: str) -> str:
    """Roughly how Excel shows ``value`` (for column widths)."""
    if value is None:
        return ""
    if kind in DECIMALS:
        return f"{value:+,.1f}"
    return f"{value:,}" if kind == "int" else str(value)


def _about_sheet(book: xlsxwriter.Workbook, table: Table) -> None:
    sheet = book.add_worksheet(table.about_sheet)
    bold = book.add_format({"bold": True, "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    lines: Sequence[tuple[str, str]] = [("", table.title), *table.about]
    if table.marking:
        lines = [("", table.marking), *lines]
    for i, (label, text) in enumerate(lines):
        sheet.write_string(i, 0, safe_text(label), bold)
        sheet.write_string(i, 1, safe_text(text), bold if not label else wrap)
    first = max((display_width(label) for label, _ in lines), default=8)
    sheet.set_column(0, 0, min(MAX_WIDTH, first + 2))
    sheet.set_column(1, 1, 90)
    _page_setup(sheet, table)
