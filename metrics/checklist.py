"""Exports of an inspection sample: the on-site checklist workbook (XLSX) and a CSV list.

The workbook has a summary sheet ``抽样名单`` and one checklist sheet per village, named
``<village code> <name>``. A checklist sheet shows who was picked and why, the village's
reported counts for reference (row 10, under a row of indicator headers; never imported), then
the data header (row 11) — :data:`DATA_HEADERS`: ``村代码`` (12 digits, text), ``统计期``
(``2025Q4``), one column per indicator headed with its ``header_zh`` from the registry, ``核查方式``
(督查/抽查/调研, pre-filled 督查) and ``核查日期`` (a date) — and exactly one data row (row 12)
whose indicator cells are blank for the verified counts. Nothing follows row 12, and no row
above row 11 has a ``村代码`` cell, so the visit import finds the header row and reads that one
row — of every checklist sheet at once when the workbook is imported whole (no sheet named),
each problem naming its sheet. The summary sheet has no ``村代码`` header (its code column is
``代码``), and reported counts are headed ``报送<header_zh>`` wherever they appear, so neither is
taken for verified counts.

Text from data is written as text, defused like every export (``metrics.importing.files``): a
cell starting with ``= + - @`` gets a leading apostrophe, so no spreadsheet runs it.
"""

from __future__ import annotations

import io
import re

import pandas as pd
import xlsxwriter

from metrics import flags, periods, registry
from metrics.importing.files import safe_text, table_bytes
from metrics.sampling import Sample

CODE, PERIOD, KIND, DATE = "村代码", "统计期", "核查方式", "核查日期"
DATA_HEADERS: tuple[str, ...] = (
    CODE,
    PERIOD,
    *(i.header_zh for i in registry.INDICATORS),
    KIND,
    DATE,
)
VISIT_KINDS = ("督查", "抽查", "调研")
DRAWS_ZH = {"risk": "风险加权", "random": "随机对照"}
SUMMARY_SHEET = "抽样名单"
HEADER_ROW = 10  # 0-based: the data header is row 11, the row to fill in row 12
REFERENCE_ROW = 9  # 0-based: reported counts (row 10), for reference only
REPORTED = tuple(f"报送{i.header_zh}" for i in registry.INDICATORS)
_SHEET_CHARS = re.compile(r"[\[\]:*?/\\']")


def _text(value: object) -> str:
    """A cell's text, defused (``safe_text``); empty for a missing value."""
    return str(safe_text("" if value is None or value != value else str(value)))


def _flag_names(codes: tuple[str, ...]) -> str:
    return "、".join(flags.BY_CODE[c].name_zh for c in codes)


def _count(value: object) -> int | None:
    return None if value is None or value != value else int(value)


def _title(sample: Sample, marking: str, area: str) -> list[tuple[str, str]]:
    """Label and value lines at the top of the summary sheet."""
    d = sample.design
    state = {"draft": "草稿", "released": "已发布"}.get(sample.status or "", "未保存")
    number = f"S{sample.sample_id}（{state}）" if sample.sample_id else state
    return [
        ("密级", marking),
        ("抽样编号", number),
        ("统计期", periods.label(d.period)),
        ("范围", area),
        (
            "样本量",
            f"{len(sample.picks)}（随机对照 {int((sample.picks['draw'] == 'random').sum())}）",
        ),
        ("随机种子", str(d.seed)),
        (
            "参数",
            f"随机对照比例 {d.random_share:.0%}；排除近 {d.exclude_visited} 个季度已核查的村；"
            f"按县{'等额' if d.allocation == 'equal' else '按比例'}分配；"
            f"{'含' if d.include_communities else '不含'}社区",
        ),
        ("可抽村数", f"{sample.eligible}（另有 {sample.excluded} 个近期已核查，未参与抽取）"),
    ]


def workbook(sample: Sample, marking: str, area: str) -> bytes:
    """The checklist workbook of ``sample`` (see the module description for the layout).

    ``marking`` is printed at the top of every sheet (``内部资料 注意保存``, or ``模拟数据``);
    ``area`` names the region sampled.
    """
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    fmt = _formats(book)
    _summary(book, fmt, sample, _title(sample, marking, area))
    used: set[str] = {SUMMARY_SHEET}
    for pick in sample.picks.to_dict("records"):
        name = _sheet_name(pick["village_code"], pick["name"], used)
        _checklist(book.add_worksheet(name), fmt, sample, pick, marking)
    book.close()
    return out.getvalue()


def _formats(book: xlsxwriter.Workbook) -> dict[str, object]:
    font = {"font_name": "Microsoft YaHei", "font_size": 10}
    return {
        "title": book.add_format({**font, "bold": True, "font_size": 14}),
        "label": book.add_format({**font, "bold": True, "bg_color": "#eeeeee", "border": 1}),
        "text": book.add_format({**font, "border": 1, "text_wrap": True, "valign": "top"}),
        "header": book.add_format(
            {**font, "bold": True, "bg_color": "#dde7f3", "border": 1, "text_wrap": True}
        ),
        "code": book.add_format({**font, "border": 1, "num_format": "@"}),
        "number": book.add_format({**font, "border": 1}),
        "fill": book.add_format({**font, "border": 2, "bg_color": "#fff4ce", "locked": False}),
        "date": book.add_format(
            {**font, "border": 2, "bg_color": "#fff4ce", "num_format": "yyyy-mm-dd"}
        ),
        "note": book.add_format({**font, "italic": True, "font_color": "#555555"}),
        "mark": book.add_format({**font, "bold": True, "font_color": "#b10026"}),
    }


def _sheet_name(code: str, name: str, used: set[str]) -> str:
    """A unique sheet name from the code and name (≤ 31 characters, none Excel forbids)."""
    text = _SHEET_CHARS.sub("", f"{code} {name}")[:31]
    while text in used:
        text = text[:28] + f"~{len(used) % 100:02d}"
    used.add(text)
    return text


def _summary(
    book: xlsxwriter.Workbook, fmt: dict, sample: Sample, lines: list[tuple[str, str]]
) -> None:
    sheet = book.add_worksheet(SUMMARY_SHEET)
    sheet.write_string(0, 0, "村级组织负担督查抽样名单", fmt["title"])
    for row, (label, value) in enumerate(lines, start=1):
        sheet.write_string(row, 0, label, fmt["label"])
        sheet.write_string(row, 1, _text(value), fmt["mark"] if row == 1 else fmt["text"])
    headers = ["序号", "县区", "乡镇", "村（社区）", "代码", "抽取方式", "风险标记", "理由"]
    headers += ["负担指数", *REPORTED]
    top = len(lines) + 2
    sheet.write_row(top, 0, headers, fmt["header"])
    for n, pick in enumerate(sample.picks.to_dict("records"), start=1):
        row = top + n
        texts = [pick["county"], pick["township"], pick["name"]]
        sheet.write_number(row, 0, n, fmt["number"])
        for col, text in enumerate(texts, start=1):
            sheet.write_string(row, col, _text(text), fmt["text"])
        sheet.write_string(row, 4, pick["village_code"], fmt["code"])
        sheet.write_string(row, 5, DRAWS_ZH[pick["draw"]], fmt["text"])
        sheet.write_string(row, 6, _flag_names(pick["flags"]), fmt["text"])
        sheet.write_string(row, 7, _text(pick["reasons"]), fmt["text"])
        for col, code in enumerate((registry.INDEX_CODE, *registry.CODES), start=8):
            value = pick[code]
            if value == value and value is not None:
                sheet.write_number(row, col, round(float(value), 1), fmt["number"])
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 3, 14)
    sheet.set_column(4, 4, 15)
    sheet.set_column(6, 6, 16)
    sheet.set_column(7, 7, 60)
    sheet.set_column(8, 15, 11)
    sheet.freeze_panes(top + 1, 0)


def _checklist(sheet, fmt: dict, sample: Sample, pick: dict, marking: str) -> None:
    """One village's sheet: identity, reasons, reported counts, the row to fill in."""
    period = sample.design.period
    sheet.write_string(0, 0, "村级组织负担现场核查表", fmt["title"])
    sheet.write_string(0, 6, _text(marking), fmt["mark"])
    lines = [
        ("村（社区）", pick["name"]),
        ("乡镇 / 县区", f"{pick['township']} / {pick['county']}"),
        ("统计期", periods.label(period)),
        ("抽取方式", f"{DRAWS_ZH[pick['draw']]}（权重 {pick['weight']:g}）"),
        ("风险提示", pick["reasons"] or "无"),
        (
            "填写说明",
            "在第 12 行（黄色）填写现场核实的数量（没有填 0），核查方式选督查/抽查/调研，核查日期填"
            "实际日期。第 10 行报送数仅供核对，不会导入；请勿改动第 11 行表头和村代码。",
        ),
    ]
    for row, (label, value) in enumerate(lines, start=1):
        sheet.write_string(row, 0, label, fmt["label"])
        sheet.merge_range(row, 1, row, len(DATA_HEADERS) - 1, _text(value), fmt["text"])
    sheet.set_row(5, 60)
    sheet.set_row(6, 30)
    indicators = [i.header_zh for i in registry.INDICATORS]
    sheet.write_row(REFERENCE_ROW - 1, 0, ["核对项", PERIOD, *indicators], fmt["header"])
    sheet.write_string(REFERENCE_ROW, 0, "报送数（供核对，不导入）", fmt["label"])
    sheet.write_string(REFERENCE_ROW, 1, period, fmt["code"])
    for col, code in enumerate(registry.CODES, start=2):
        reported = _count(pick[code])
        if reported is None:
            sheet.write_string(REFERENCE_ROW, col, "未报", fmt["text"])
        else:
            sheet.write_number(REFERENCE_ROW, col, reported, fmt["number"])
    sheet.write_row(HEADER_ROW, 0, DATA_HEADERS, fmt["header"])
    row = HEADER_ROW + 1
    sheet.write_string(row, 0, pick["village_code"], fmt["code"])
    sheet.write_string(row, 1, period, fmt["code"])
    last = 1 + len(registry.CODES)
    for col, ind in enumerate(registry.INDICATORS, start=2):
        sheet.write_blank(row, col, None, fmt["fill"])
        sheet.data_validation(
            row,
            col,
            row,
            col,
            {
                "validate": "integer",
                "criteria": "between",
                "minimum": 0,
                "maximum": ind.max_plausible,
                "error_message": f"请填写 0–{ind.max_plausible} 的整数",
            },
        )
    sheet.write_string(row, last + 1, VISIT_KINDS[0], fmt["fill"])
    sheet.data_validation(
        row, last + 1, row, last + 1, {"validate": "list", "source": list(VISIT_KINDS)}
    )
    sheet.write_blank(row, last + 2, None, fmt["date"])
    sheet.data_validation(
        row,
        last + 2,
        row,
        last + 2,
        {"validate": "date", "criteria": ">", "minimum": _first_day(period)},
    )
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, len(DATA_HEADERS) - 1, 12)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 1)


def _first_day(period: str) -> pd.Timestamp:
    """The first day of ``period`` (a visit is never before it)."""
    return pd.Period(period, freq="Q").start_time.to_pydatetime()


def csv(sample: Sample) -> bytes:
    """The picks as CSV (UTF-8 with BOM for Excel): code, names, draw, flags, reasons, values.

    Reported values are headed ``报送<header_zh>`` so the list is never taken for an import.
    """
    p = sample.picks
    frame = pd.DataFrame(
        {
            CODE: p["village_code"],
            "村（社区）": p["name"],
            "乡镇": p["township"],
            "县区": p["county"],
            PERIOD: sample.design.period,
            "抽取方式": p["draw"].map(DRAWS_ZH),
            "抽样权重": p["weight"],
            "风险标记": p["flags"].map(_flag_names),
            "理由": p["reasons"],
            "负担指数": p[registry.INDEX_CODE].round(1),
            **{
                h: p[i.code].astype("Int64")
                for h, i in zip(REPORTED, registry.INDICATORS, strict=True)
            },
        }
    )
    return table_bytes(frame, "csv")
