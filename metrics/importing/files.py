"""Writing tables for people: CSV with a BOM (Excel reads it as UTF-8) or XLSX, injection-safe."""

from __future__ import annotations

import io
import numbers
import os
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import xlsxwriter

from metrics.errors import InvalidInputError

FORMATS = ("xlsx", "csv")
# A cell a spreadsheet would run as a formula (OWASP "CSV injection"), unless it is a number.
_UNSAFE = re.compile(r"^[=+\-@\t\r](?![0-9.]+$)")
FILLS = {"error": "#FBD5D0", "warning": "#FFF4CE"}


def format_of(path: str | os.PathLike[str]) -> str:
    """``xlsx`` or ``csv`` from the extension of ``path``.

    Raises
    ------
    InvalidInputError
        For any other extension.

    Examples
    --------
    >>> format_of("错误清单.XLSX")
    'xlsx'

    """
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise InvalidInputError(
            f"不支持的文件类型：{Path(path).name}（应为 .xlsx 或 .csv）",
            f"Unsupported file type: {Path(path).name} (use .xlsx or .csv)",
        )
    return suffix


def safe_text(value: object) -> object:
    """``value`` with a leading ``'`` when a spreadsheet would run it as a formula.

    Examples
    --------
    >>> safe_text("=1+2"), safe_text("-3"), safe_text(7)
    ("'=1+2", '-3', 7)

    """
    if isinstance(value, str) and _UNSAFE.match(value):
        return "'" + value
    return value


def table_bytes(
    frame: pd.DataFrame,
    fmt: str,
    *,
    sheet: str = "Sheet1",
    highlight: Sequence[str] | None = None,
    text_columns: Sequence[str] = (),
) -> bytes:
    """``frame`` as a CSV (UTF-8 with BOM) or XLSX file.

    Parameters
    ----------
    frame
        The table; its column names become the header row.
    fmt
        ``csv`` or ``xlsx``.
    sheet
        Name of the XLSX sheet.
    highlight
        Per row, a key of :data:`FILLS` (or anything else for no fill); XLSX only.
    text_columns
        Columns formatted as text in the XLSX (codes keep their digits when edited).

    """
    if fmt == "csv":
        return frame.map(safe_text).to_csv(index=False).encode("utf-8-sig")
    buf = io.BytesIO()
    options = {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    with xlsxwriter.Workbook(buf, options) as book:
        write_sheet(book, sheet, frame, highlight=highlight, text_columns=text_columns)
    return buf.getvalue()


def write_sheet(
    book: xlsxwriter.Workbook,
    name: str,
    frame: pd.DataFrame,
    *,
    highlight: Sequence[str] | None = None,
    text_columns: Sequence[str] = (),
) -> xlsxwriter.worksheet.Worksheet:
    """Add sheet ``name`` holding ``frame`` (bold frozen header, fitted widths) to ``book``."""
    sheet = book.add_worksheet(name)
    bold = book.add_format({"bold": True, "bg_color": "#EEEEEE", "border": 1})
    text = book.add_format({"num_format": "@"})
    fills = {k: book.add_format({"bg_color": v}) for k, v in FILLS.items()}
    for j, column in enumerate(frame.columns):
        sheet.write_string(0, j, str(column), bold)
        width = max([len(str(column)) * 2, *(len(str(v)) for v in frame[column].head(200))])
        sheet.set_column(j, j, min(60, width + 2), text if column in text_columns else None)
    for i, row in enumerate(frame.itertuples(index=False), start=1):
        fill = fills.get(highlight[i - 1]) if highlight is not None else None
        for j, value in enumerate(row):
            if value is None or value is pd.NA or (isinstance(value, float) and value != value):
                if fill is not None:
                    sheet.write_blank(i, j, None, fill)
            elif isinstance(value, numbers.Real) and not isinstance(value, bool):
                sheet.write_number(i, j, value, fill)
            else:
                sheet.write_string(i, j, str(value), fill)
    sheet.freeze_panes(1, 0)
    return sheet
