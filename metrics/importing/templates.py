"""Files to fill in: an XLSX with a data sheet and an instructions sheet, or the same as CSV.

The data sheet's code columns are formatted as text (Excel keeps every digit), count columns
accept only whole numbers from 0 to the registry's plausible maximum, choice columns offer their
values in a drop-down. With villages given (``--county``) the sheet is pre-filled with their
codes, names, township, county and the quarter, so a township only types numbers.
"""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import xlsxwriter

from metrics import hierarchy, periods, scope, sql
from metrics.errors import InvalidInputError
from metrics.importing.files import table_bytes, write_sheet
from metrics.importing.layouts import LAYOUTS, Layout

DATA_SHEET = ("数据", "data")
HELP_SHEET = ("说明", "instructions")
TEMPLATE_KINDS = (*LAYOUTS,)
_PREFILL = ("village_code", "village_name", "township", "county", "period")
_NOTES = {
    "zh": (
        "第 1 行是表头，请勿改动；中文或英文列名均可。每村每季度填一行。",
        "个数只填阿拉伯数字：没有则填 0，未统计则留空（留空不等于 0）。",
        "村代码为 12 位统计用区划代码，单元格是文本格式；"
        "不要从 CSV 复制代码（Excel 会改成科学计数法）。",
        "不要填写公式，也不要以 = + - @ 开头。",
        "填好后用 burdenmap import 文件名 导入，或在“数据导入”页面上传；有问题会一次全部列出。",
    ),
    "en": (
        "Row 1 is the header: do not change it (Chinese or English names both work). One row per "
        "village and quarter.",
        "Counts are whole numbers: 0 if none, blank if not counted (blank is not 0).",
        "Village codes are 12-digit statistical codes in text cells; do not paste codes from a "
        "CSV (Excel turns them into scientific notation).",
        "No formulas, and no cell starting with = + - @.",
        "Import with burdenmap import FILE or upload on the 数据导入 page; every problem is "
        "listed at once.",
    ),
}


def villages_below(db: sql.Queryable, code: str, user_scope: scope.Scope) -> pd.DataFrame:
    """Villages under region ``code`` (a county, township or prefecture) for pre-filling.

    Raises
    ------
    InvalidInputError
        If ``code`` is not a region of the database.
    ScopeError
        If it is outside ``user_scope``.

    """
    scope.require(db, user_scope, code)
    return sql.run(
        db,
        [hierarchy.BELOW],
        """
        SELECT v.code AS village_code, v.name AS village_name, t.name AS township,
               c.name AS county
        FROM region v JOIN region t ON t.code = v.parent_code
        JOIN region c ON c.code = t.parent_code
        WHERE v.level = 'village' AND v.code IN (SELECT code FROM below)
        ORDER BY v.code
        """,
        {"roots": [code]},
    )


def due_period(today: date | None = None) -> str:
    """The quarter being reported now: the last one that has ended.

    Examples
    --------
    >>> due_period(date(2026, 1, 20))
    '2025Q4'

    """
    return periods.shift(periods.of_date(today or date.today()), -1)


def template_bytes(
    kind: str = "observations",
    fmt: str = "xlsx",
    *,
    villages: pd.DataFrame | None = None,
    period: str | None = None,
    lang: str = "zh",
) -> bytes:
    """The template of ``kind`` as XLSX or CSV (UTF-8 with BOM).

    Parameters
    ----------
    kind
        ``observations``, ``items``, ``visits`` or ``gazetteer``.
    fmt
        ``xlsx`` or ``csv``.
    villages
        Rows to pre-fill (:func:`villages_below`); none by default.
    period
        Quarter written in pre-filled rows (default: :func:`due_period`).
    lang
        Language of the instructions sheet.

    """
    if kind not in LAYOUTS:
        raise InvalidInputError(
            f"未知的模板类型 {kind!r}；可选：{', '.join(TEMPLATE_KINDS)}",
            f"Invalid template kind {kind!r}; must be one of {', '.join(TEMPLATE_KINDS)}",
        )
    layout = LAYOUTS[kind]
    frame = _data_frame(layout, villages, periods.validate(period) if period else due_period())
    if fmt == "csv":
        return table_bytes(frame, "csv")
    buf = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False}
    with xlsxwriter.Workbook(buf, options) as book:
        book.set_properties({"title": f"burdenmap {kind} template"})
        zh = lang == "zh"
        texts = [c.header_zh for c in layout.columns if c.kind == "code"]
        sheet = write_sheet(book, DATA_SHEET[0 if zh else 1], frame, text_columns=texts)
        _validations(book, sheet, layout, max(len(frame), 1000))
        _instructions(book, layout, lang)
    return buf.getvalue()


def _data_frame(layout: Layout, villages: pd.DataFrame | None, period: str) -> pd.DataFrame:
    headers = {c.field: c.header_zh for c in layout.columns}
    if villages is None or layout.kind == "gazetteer":
        return pd.DataFrame(columns=list(headers.values()))
    rows = villages.reindex(columns=list(headers)).assign(period=period)
    rows = rows[[f for f in headers if f in _PREFILL]].reindex(columns=list(headers))
    return rows.rename(columns=headers).astype(object)


def _validations(
    book: xlsxwriter.Workbook, sheet: xlsxwriter.worksheet.Worksheet, layout: Layout, rows: int
) -> None:
    """Whole numbers within the plausible range in counts; drop-downs for choices."""
    for j, column in enumerate(layout.columns):
        if column.kind == "count":
            sheet.data_validation(
                1,
                j,
                rows,
                j,
                {
                    "validate": "integer",
                    "criteria": "between",
                    "minimum": 0,
                    "maximum": column.maximum,
                    "error_title": "个数",
                    "error_message": f"请填写 0–{column.maximum} 的整数；未统计则留空。",
                },
            )
        elif column.kind == "choice":
            sheet.data_validation(
                1, j, rows, j, {"validate": "list", "source": [s[0] for _, s in column.choices]}
            )


def _instructions(book: xlsxwriter.Workbook, layout: Layout, lang: str) -> None:
    zh = lang == "zh"
    table = pd.DataFrame(
        {
            ("列名" if zh else "Column"): [c.header_zh for c in layout.columns],
            ("英文列名" if zh else "English name"): [c.header_en for c in layout.columns],
            ("必填" if zh else "Required"): [
                ("是" if zh else "yes") if c.required else "" for c in layout.columns
            ],
            ("说明与可填的值" if zh else "Meaning and allowed values"): [
                (c.help_zh if zh else c.help_en)
                + (f"（{c.allowed('zh')}）" if zh and c.choices else "")
                + (f" ({c.allowed('en')})" if not zh and c.choices else "")
                for c in layout.columns
            ],
            ("示例" if zh else "Example"): [c.example for c in layout.columns],
        }
    )
    sheet = write_sheet(book, HELP_SHEET[0 if zh else 1], table)
    line = len(table) + 2
    bold = book.add_format({"bold": True})
    sheet.write_string(
        line,
        0,
        "示例行（请在“数据”表中填写）" if zh else "Example row (fill in the data sheet)",
        bold,
    )
    for j, column in enumerate(layout.columns):
        sheet.write_string(line + 1, j, column.header_zh, bold)
        sheet.write_string(line + 2, j, column.example)
    for i, note in enumerate(_NOTES[lang], start=line + 4):
        sheet.write_string(i, 0, note)
