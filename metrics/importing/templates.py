"""Files to fill in: an XLSX with a data sheet and an instructions sheet, or the same as CSV.

The data sheet's code columns are formatted as text (Excel keeps every digit), count columns
accept only whole numbers from 0 to the registry's plausible maximum, choice columns offer their
values in a drop-down. With villages given (``--county``) the sheet is pre-filled with their
codes, names, township, county and the quarter, so a township only types numbers; a gazetteer
template is pre-filled with the villages as the database holds them. The instructions sheet
explains the columns and how to fill in and use that kind of file.
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
# Template field → column of :func:`villages_below` it is pre-filled from (the quarter aside).
_PREFILL = {
    "village_code": "village_code",
    "village_name": "village_name",
    "township": "township",
    "county": "county",
    # gazetteer files
    "code": "village_code",
    "name": "name_original",  # re-read, it gives back both the name and the original
    "township_code": "township_code",
    "county_code": "county_code",
    "kind": "kind",
    "lon": "lon",
    "lat": "lat",
    "area_type": "area_type",
}
# The instructions below the column table: for every kind, then for each kind.
_NOTES_ALL = {
    "zh": (
        "第 1 行是表头，请勿改动；中文或英文列名均可。",
        "代码列是文本格式，村代码为 12 位统计用区划代码；"
        "不要从 CSV 复制代码（Excel 会改成科学计数法）。",
        "不要填写公式，也不要以 = + - @ 开头。",
    ),
    "en": (
        "Row 1 is the header: do not change it (Chinese or English names both work).",
        "Code columns are text cells; village codes are 12-digit statistical codes. Do not paste "
        "codes from a CSV (Excel turns them into scientific notation).",
        "No formulas, and no cell starting with = + - @.",
    ),
}
_NOTES = {
    "observations": {
        "zh": (
            "每村每季度填一行。",
            "个数只填阿拉伯数字：没有则填 0，未统计则留空（留空不等于 0）。",
            "填好后用 burdenmap import 文件名 导入，或在“数据导入”页面上传；有问题会一次全部列出。",
        ),
        "en": (
            "One row per village and quarter.",
            "Counts are whole numbers: 0 if none, blank if not counted (blank is not 0).",
            "Import with burdenmap import FILE or upload on the 数据导入 page; every problem is "
            "listed at once.",
        ),
    },
    "items": {
        "zh": (
            "每村每季度的每个事项填一行：一个村有几个事项就填几行。",
            "“是否在清单内”填“是”或“否”；同一部门的同一事项在各行中必须一致。",
            "填好后用 burdenmap import --kind items 文件名 导入，或在“数据导入”页面选“事项明细”"
            "上传；有问题会一次全部列出。",
        ),
        "en": (
            "One row per village, quarter and item: a village with several items has several rows.",
            "On the list: 是 (yes) or 否 (no); an item of one department must be the same in "
            "every row.",
            "Import with burdenmap import --kind items FILE or upload it as item lists on the "
            "数据导入 page; every problem is listed at once.",
        ),
    },
    "visits": {
        "zh": (
            "每次实地核查填一行：村代码、所核查的统计期、核查方式和核查日期。",
            "个数填实地核实的数量，只填阿拉伯数字：没有则填 0，未核实则留空。",
            "核查日期不能晚于今天，也不能早于所核查季度的第一天；"
            "所核查季度的报送数据应先导入（否则核查结果记为“不一致”）。",
            "填好后用 burdenmap import --kind visits 文件名 导入，或在“数据导入”页面选"
            "“实地核查结果”上传；有问题会一次全部列出。",
        ),
        "en": (
            "One row per on-site visit: village code, the quarter checked, kind and date of the "
            "visit.",
            "Counts are those verified on site, whole numbers: 0 if none, blank if not verified.",
            "The visit date can be neither after today nor before the first day of the quarter "
            "checked; import that quarter's report first (otherwise the visit is recorded as a "
            "discrepancy).",
            "Import with burdenmap import --kind visits FILE or upload it as on-site visit "
            "results on the 数据导入 page; every problem is listed at once.",
        ),
    },
    "gazetteer": {
        "zh": (
            "每个村（社区）填一行，每个村代码只出现一次。",
            "县区代码为 6 位县级区划代码，村代码的前 6 位必须与它相同。",
            "类型、区域类型可留空（按名称、按县区判断）；经纬度不知道则留空（地图上为近似位置）。",
            "填好后用 burdenmap --db 新数据库文件 init --gazetteer 文件名 建立真实数据库；"
            "已有观测数据的数据库不能再导入名录。",
        ),
        "en": (
            "One row per village or community; each village code appears once.",
            "The county code has 6 digits; a village code starts with its county code.",
            "Kind and area type may be blank (from the name, from the county); leave longitude "
            "and latitude blank if unknown (the map then shows an approximate position).",
            "Create the real database with burdenmap --db NEW_FILE init --gazetteer FILE; a "
            "database that holds observations cannot take a gazetteer.",
        ),
    },
}


def villages_below(db: sql.Queryable, code: str, user_scope: scope.Scope) -> pd.DataFrame:
    """Villages under region ``code`` (a county, township or prefecture) for pre-filling.

    Columns: ``village_code``, ``village_name``, ``township``, ``county`` and, for a gazetteer,
    ``name_original``, ``township_code``, ``county_code``, ``kind``, ``lon`` and ``lat`` (blank
    where the position is only approximate) and ``area_type``.

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
               c.name AS county, COALESCE(v.name_original, v.name) AS name_original,
               t.code AS township_code, c.code AS county_code, v.kind,
               CASE WHEN v.position_approximate THEN NULL ELSE v.lon END AS lon,
               CASE WHEN v.position_approximate THEN NULL ELSE v.lat END AS lat, v.area_type
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
    if villages is None:
        return pd.DataFrame(columns=list(headers.values()))
    rows = pd.DataFrame(
        {f: villages[_PREFILL[f]] for f in headers if f in _PREFILL}, index=villages.index
    )
    if "period" in headers:
        rows["period"] = period
    return rows.reindex(columns=list(headers)).rename(columns=headers).astype(object)


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
    notes = (*_NOTES_ALL[lang], *_NOTES[layout.kind][lang])
    for i, note in enumerate(notes, start=line + 4):
        sheet.write_string(i, 0, note)
