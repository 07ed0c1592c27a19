"""The named problems an import can find, with their Chinese and English messages.

Every problem names the file, the row as the user sees it in Excel (the header is row 1), the
column (letter and header), the value, and what to do. Errors reject the whole file; warnings are
printed and the file is imported. ``CATALOGUE`` is the one list of problem codes: the importer,
the error report, the app and the bad-input corpus in ``tests/importing/corpus`` all use it.

The fix speaks to where it is read (``channel``). On the command line (``"cli"``, the default) it
names commands and options (``--replace``, ``burdenmap rollback`` …). The few problems whose fix
does so also carry an app fix for the 数据导入 page (``"app"``), which names the page's tabs and
boxes instead (their labels are those of ``dashboard/i18n.py``; a test keeps them in step) and
sends what the page cannot do to the system administrator. Every other fix reads the same in both.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from metrics.importing.files import format_of, table_bytes

Severity = Literal["error", "warning"]
Channel = Literal["cli", "app"]


@dataclass(frozen=True)
class ProblemType:
    """One kind of problem: severity, a short title, the message and the fix, in both languages.

    ``text`` and ``fix`` may use ``{value}`` (the cell as found) and ``{detail}`` (what the
    check adds: the allowed values, the first duplicate row, the name on record …). ``app_fix_*``
    replaces ``fix_*`` in the app when the fix names a command or option (``None``: no need).
    """

    code: str
    severity: Severity
    title_zh: str
    title_en: str
    text_zh: str
    text_en: str
    fix_zh: str
    fix_en: str
    app_fix_zh: str | None = None
    app_fix_en: str | None = None

    def fix(self, lang: str = "zh", channel: Channel = "cli") -> str:
        """What to do, for the command line or the app, with its ``{value}``/``{detail}``."""
        zh = lang == "zh"
        app = self.app_fix_zh if zh else self.app_fix_en
        if channel == "app" and app is not None:
            return app
        return self.fix_zh if zh else self.fix_en


def _p(
    code: str, severity: Severity, *texts: str, app: tuple[str, str] | None = None
) -> ProblemType:
    return ProblemType(code, severity, *texts, *(app or ()))


_AS_TEXT_ZH = (
    "请把该列设置为“文本”格式后重新输入完整的 12 位代码，"
    "或使用预填代码的模板（burdenmap template --county）。"
)
_AS_TEXT_EN = (
    "Format the column as Text and type the full 12-digit code again, or use the template "
    "with pre-filled codes (burdenmap template --county)."
)
_AS_TEXT_APP = (
    "请把该列设置为“文本”格式后重新输入完整的 12 位代码，"
    "或使用预填代码的模板（在“下载模板”标签页选择县区）。",
    "Format the column as Text and type the full 12-digit code again, or use the template "
    'with pre-filled codes (choose a county on the "Templates" tab).',
)

CATALOGUE: dict[str, ProblemType] = {
    p.code: p
    for p in (
        # --- the file as a whole
        _p(
            "empty_file",
            "error",
            "空文件",
            "Empty file",
            "文件是空的，没有任何内容。",
            "The file is empty.",
            "请选择填好的文件重新上传（模板：burdenmap template）。",
            "Upload the filled-in file (template: burdenmap template).",
            app=(
                "请选择填好的文件重新上传（模板见“下载模板”标签页）。",
                'Upload the filled-in file (templates: the "Templates" tab).',
            ),
        ),
        _p(
            "header_only",
            "error",
            "只有表头",
            "Header only",
            "只有表头，没有任何数据行。",
            "The file has a header but no data rows.",
            "请在表头下方逐行填写各村数据后再上传。",
            "Fill in one row per village below the header, then upload again.",
        ),
        _p(
            "wrong_format",
            "error",
            "文件格式不符",
            "Not the format its name says",
            "文件内容与文件类型不符：{detail}。",
            "The file is not what its name says: {detail}.",
            "请在 Excel 中“另存为” Excel 工作簿（.xlsx）或 CSV UTF-8（.csv）后重新上传。",
            "In Excel, use Save As → Excel Workbook (.xlsx) or CSV UTF-8 (.csv), then upload "
            "again.",
        ),
        _p(
            "sheet_missing",
            "error",
            "工作表不存在",
            "Sheet not found",
            "{detail}。",
            "{detail}.",
            "请用 --sheet 指定正确的工作表名，或把数据放在第一个工作表。",
            "Name the right sheet with --sheet, or put the data on the first sheet.",
            app=(
                "请在“工作表”中选择正确的工作表，或把数据放在第一个工作表。",
                'Choose the right sheet under "Sheet", or put the data on the first sheet.',
            ),
        ),
        _p(
            "encoding",
            "error",
            "编码无法识别",
            "Unreadable encoding",
            "文字编码无法识别（既不是 UTF-8，也不是 GB18030/GBK）：无法解码的字节 {value}。",
            "The text encoding is neither UTF-8 nor GB18030/GBK: undecodable bytes {value}.",
            "请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”，或直接上传 .xlsx 文件。",
            "In Excel, use Save As → CSV UTF-8 (comma delimited), or upload the .xlsx file.",
        ),
        _p(
            "simulated_target",
            "warning",
            "模拟数据库",
            "Simulated database",
            "目标数据库是模拟数据库：导入的数据仅供测试，数据库仍标记为模拟数据。",
            "The target database is simulated: imported data is for testing only and the "
            "database stays marked simulated.",
            "真实部署请先用 burdenmap init --gazetteer 建立真实数据库。",
            "For a real deployment, create a real database with burdenmap init --gazetteer.",
            app=(
                "真实部署请联系系统管理员用村庄名录新建真实数据库。",
                "For a real deployment, ask the system administrator to create a real database "
                "from the village gazetteer.",
            ),
        ),
        # --- the header row
        _p(
            "missing_column",
            "error",
            "缺少必填列",
            "Missing required column",
            "缺少必填列“{value}”。",
            'Required column "{value}" is missing.',
            "请按模板在第 1 行补上这一列（中文或英文列名均可：{detail}）。",
            "Add this column to the header row as in the template (Chinese or English name: "
            "{detail}).",
        ),
        _p(
            "duplicate_column",
            "error",
            "列名重复",
            "Duplicate column",
            "列“{value}”出现了两次（另一列在 {detail} 列）。",
            'Column "{value}" appears twice (the other one is column {detail}).',
            "请删除或改名其中一列。",
            "Delete or rename one of them.",
        ),
        _p(
            "unknown_column",
            "warning",
            "无法识别的列",
            "Unknown column",
            "无法识别的列“{value}”，已忽略这一列。",
            'Unknown column "{value}"; it is ignored.',
            "如果这是指标列，请改用模板中的标准列名（见模板“说明”工作表）。",
            "If it is an indicator, use the column name of the template (see its instructions "
            "sheet).",
        ),
        # --- cells
        _p(
            "missing_value",
            "error",
            "必填项为空",
            "Required cell empty",
            "必填单元格为空。",
            "A required cell is empty.",
            "请补填后重新上传。",
            "Fill it in and upload again.",
        ),
        _p(
            "formula",
            "error",
            "公式或可疑内容",
            "Formula or unsafe cell",
            "单元格以“{detail}”开头，是公式或可能被当作公式执行的内容：“{value}”。",
            'The cell starts with "{detail}": a formula, or text a spreadsheet would run as one: '
            '"{value}".',
            "请只填写数值或文字：把公式替换为计算结果（复制 → 选择性粘贴 → 数值），"
            "并删掉开头的 = + - @。",
            "Enter plain values: replace formulas by their results (Copy → Paste Special → "
            "Values) and remove the leading = + - @.",
        ),
        _p(
            "unknown_village",
            "error",
            "村代码不存在",
            "Unknown village code",
            "村代码“{value}”不在本库的村庄名录中{detail}。",
            'Village code "{value}" is not in the gazetteer{detail}.',
            "请对照模板核对代码（12 位统计用区划代码，列须设为文本格式）。",
            "Check the code against the template (12-digit statistical code, column formatted "
            "as Text).",
        ),
        _p(
            "outside_scope",
            "error",
            "不在本账户的辖区内",
            "Outside your region",
            "村代码“{value}”的村不在您的权限范围（{detail}）内。",
            'Village "{value}" lies outside your region ({detail}).',
            "只能导入本辖区的数据：删除这一行，或请该村所在辖区的数据管理员导入。",
            "You may import data of your own region only: delete the row, or ask the data admin "
            "of the village's region to import it.",
        ),
        _p(
            "code_scientific",
            "error",
            "代码变成科学计数法",
            "Code in scientific notation",
            "村代码“{value}”被 Excel 变成了科学计数法，末尾的数字已经丢失。",
            'Excel turned village code "{value}" into scientific notation; its last digits are '
            "lost.",
            _AS_TEXT_ZH,
            _AS_TEXT_EN,
            app=_AS_TEXT_APP,
        ),
        _p(
            "code_leading_zeros",
            "error",
            "代码丢失开头的 0",
            "Code lost its leading zeros",
            "村代码“{value}”丢失了开头的 0，应为“{detail}”。",
            'Village code "{value}" lost its leading zeros; it should be "{detail}".',
            _AS_TEXT_ZH,
            _AS_TEXT_EN,
            app=_AS_TEXT_APP,
        ),
        _p(
            "name_mismatch",
            "warning",
            "村名与代码不符",
            "Name does not match code",
            "村名“{value}”与该代码在名录中的村名“{detail}”不一致。",
            'Village name "{value}" differs from the gazetteer\'s name "{detail}" for this code.',
            "已按代码导入；如果代码填错了，请改正后用 --replace 重新导入。",
            "Imported by code; if the code is wrong, correct it and import again with --replace.",
            app=(
                "已按代码导入；如果代码填错了，请改正后勾选“替换已导入的数值”重新导入。",
                "Imported by code; if the code is wrong, correct it and import again with "
                '"Replace published values" ticked.',
            ),
        ),
        _p(
            "duplicate_in_file",
            "error",
            "文件内重复",
            "Duplicate in file",
            "“{value}”与第 {detail} 行重复。",
            '"{value}" duplicates row {detail}.',
            "请删除重复的行（数值：每村每季度一行；事项：每村每季度每个事项一行；"
            "核查：每次核查一行；名录：每个村代码一行）。",
            "Delete the duplicate (figures: one row per village and quarter; items: one per "
            "village, quarter and item; visits: one per visit; gazetteer: one per code).",
        ),
        _p(
            "already_published",
            "error",
            "已导入过",
            "Already published",
            "该村 {value} 的数据已经导入过（批次 #{detail}）。",
            "Data of this village for {value} is already published (batch #{detail}).",
            "如需更正，请加 --replace 重新导入（原数据会保留，可用 burdenmap rollback 恢复）。",
            "To correct it, import again with --replace (the old values are kept and "
            "burdenmap rollback restores them).",
            app=(
                "如需更正，请勾选“替换已导入的数值”后重新导入"
                "（原数据会保留，可在“导入记录与回滚”标签页回滚恢复）。",
                'To correct it, import again with "Replace published values" ticked (the old '
                'values are kept and a rollback on the "History and rollback" tab restores them).',
            ),
        ),
        _p(
            "negative_value",
            "error",
            "负数",
            "Negative value",
            "数值“{value}”是负数。",
            'Value "{value}" is negative.',
            "个数不能小于 0：请填写实际数量（没有则填 0）。",
            "Counts cannot be below 0: enter the actual count (0 if none).",
        ),
        _p(
            "not_integer",
            "error",
            "不是整数",
            "Not a whole number",
            "数值“{value}”不是整数。",
            'Value "{value}" is not a whole number.',
            "这一列是个数，请填写整数。",
            "This column is a count: enter a whole number.",
        ),
        _p(
            "text_in_count",
            "error",
            "不是数字",
            "Text in a count",
            "“{value}”不是数字。",
            '"{value}" is not a number.',
            "请只填写阿拉伯数字，不带单位或文字（没有则填 0，未统计则留空）。",
            "Enter digits only, without units or words (0 if none, blank if not counted).",
        ),
        _p(
            "above_maximum",
            "error",
            "超过合理上限",
            "Above the plausible maximum",
            "数值 {value} 超过了该指标的合理上限 {detail}。",
            "Value {value} is above this indicator's plausible maximum of {detail}.",
            "请核对是否多打了数字；确属实情的，请联系省级数据管理员。",
            "Check for an extra digit; if the figure is real, contact the provincial data "
            "administrator.",
        ),
        _p(
            "bad_period",
            "error",
            "统计期无法识别",
            "Unrecognised period",
            "无法识别的统计期“{value}”。",
            'Unrecognised period "{value}".',
            "请写作 2025Q4、2025-Q4、2025年第4季度 或 2025年四季度。",
            "Write it as 2025Q4, 2025-Q4, 2025年第4季度 or 2025年四季度.",
        ),
        _p(
            "future_period",
            "error",
            "统计期在未来",
            "Future period",
            "统计期 {value} 还没有到（当前是 {detail}）。",
            "Period {value} is in the future (the current quarter is {detail}).",
            "请核对年份和季度。",
            "Check the year and the quarter.",
        ),
        _p(
            "unfinished_period",
            "warning",
            "季度尚未结束",
            "Quarter not over",
            "统计期 {value} 尚未结束（{detail}），数据可能不完整。",
            "Period {value} has not ended yet ({detail}); the data may be incomplete.",
            "已照常导入；如果这是季度中途的数据，请在季度结束后用 --replace 导入完整数据，"
            "否则请核对统计期。",
            "It is imported as usual; if these are interim figures, import the complete ones "
            "with --replace after the quarter ends, otherwise check the period.",
            app=(
                "已照常导入；如果这是季度中途的数据，请在季度结束后勾选“替换已导入的数值”"
                "导入完整数据，否则请核对统计期。",
                "It is imported as usual; if these are interim figures, import the complete ones "
                'with "Replace published values" ticked after the quarter ends, otherwise check '
                "the period.",
            ),
        ),
        _p(
            "bad_choice",
            "error",
            "取值不在可选范围",
            "Value not allowed",
            "“{value}”不是允许的取值。",
            '"{value}" is not an allowed value.',
            "请填写以下之一：{detail}。",
            "Enter one of: {detail}.",
        ),
        _p(
            "bad_date",
            "error",
            "日期无法识别",
            "Unrecognised date",
            "无法识别的日期“{value}”。",
            'Unrecognised date "{value}".',
            "请写作 2026-01-10 或 2026-01-10 09:30。",
            "Write it as 2026-01-10 or 2026-01-10 09:30.",
        ),
        _p(
            "no_values",
            "warning",
            "没有数值",
            "No values",
            "这一行没有任何指标数值，已跳过。",
            "This row has no indicator values; it is skipped.",
            "如该村本季度已报送，请补填数值（没有则填 0）。",
            "If the village has reported, fill in its values (0 if none).",
        ),
        _p(
            "item_conflict",
            "error",
            "事项属性矛盾",
            "Conflicting item",
            "事项“{value}”{detail}。",
            'Item "{value}" {detail}.',
            "同一部门的同一事项只能有一个“是否在清单内”；请统一后重新上传。",
            "An item of one department is either on the approved list or not; make the rows agree.",
        ),
        # --- visits files
        _p(
            "future_visit_date",
            "error",
            "核查日期在未来",
            "Visit date in the future",
            "核查日期 {value} 晚于今天（{detail}）。",
            "Visit date {value} is after today ({detail}).",
            "只能导入已经完成的核查：请核对年、月、日。",
            "Only visits that have taken place can be imported: check the year, month and day.",
        ),
        _p(
            "visit_before_period",
            "error",
            "核查日期早于所核查的季度",
            "Visit before its quarter",
            "核查日期 {value} 早于所核查的统计期 {detail}。",
            "Visit date {value} is before the quarter it checks, {detail}.",
            "核查的是该季度报送的数据，不能早于季度开始：请核对核查日期或统计期。",
            "A visit checks that quarter's report and cannot come before the quarter began: "
            "check the visit date or the period.",
        ),
        _p(
            "visit_without_report",
            "warning",
            "所核查的季度没有报送数据",
            "No report for the visited quarter",
            "该村 {value} 还没有已导入的报送数据，核查数量无从比对，将记为“不一致”。",
            "This village has no published report for {value}: the verified counts have "
            "nothing to compare with and the visit is recorded as a discrepancy.",
            "请核对村代码和统计期；如果该村该季度的数值还没有导入，请先导入数值，"
            "再用 burdenmap rollback 撤销本次核查批次并重新导入。",
            "Check the village code and the period; if the village's figures for that quarter "
            "are not imported yet, import them first, then undo this visits batch with "
            "burdenmap rollback and import it again.",
            app=(
                "请核对村代码和统计期；如果该村该季度的数值还没有导入，请先导入数值，"
                "再在“导入记录与回滚”标签页回滚本次核查批次并重新导入。",
                "Check the village code and the period; if the village's figures for that quarter "
                "are not imported yet, import them first, then roll back this visits batch on the "
                '"History and rollback" tab and import it again.',
            ),
        ),
        # --- gazetteer files
        _p(
            "bad_code",
            "error",
            "代码格式不对",
            "Malformed code",
            "代码“{value}”不是 12 位数字。",
            'Code "{value}" is not 12 digits.',
            "统计用区划代码为 12 位数字（如 630102001001），单元格须为文本格式。",
            "Statistical codes have 12 digits (such as 630102001001), in text cells.",
        ),
        _p(
            "has_data",
            "error",
            "数据库已有数据",
            "Database holds data",
            "数据库 {value} 已经有观测数据，不能再导入村庄名录。",
            "Database {value} already holds observations; a gazetteer cannot be imported into it.",
            "已有数值对应现有名录中的村，名录不能替换：请用 burdenmap --db 新文件 init "
            "--gazetteer 名录文件 为新名录新建数据库。",
            "Its figures belong to the villages of its current gazetteer, which cannot be "
            "swapped: create a new database for the new gazetteer with burdenmap --db NEW_FILE "
            "init --gazetteer FILE.",
            app=(
                "已有数值对应现有名录中的村，名录不能替换：请联系系统管理员为新名录新建数据库。",
                "Its figures belong to the villages of its current gazetteer, which cannot be "
                "swapped: ask the system administrator to create a new database for the new "
                "gazetteer.",
            ),
        ),
        _p(
            "unknown_county",
            "error",
            "县区代码不存在",
            "Unknown county code",
            "县区代码“{value}”不是本省的县级区划。",
            '"{value}" is not a county of this province.',
            "请填写 6 位县级区划代码（GB/T 2260），如 {detail}。",
            "Enter the 6-digit county code (GB/T 2260), such as {detail}.",
        ),
        _p(
            "code_county_mismatch",
            "error",
            "村代码与县区不符",
            "Code outside its county",
            "村代码“{value}”的前 6 位不是所填县区 {detail}。",
            'Village code "{value}" does not start with its county code {detail}.',
            "请核对村代码或县区代码。",
            "Check the village code or the county code.",
        ),
        _p(
            "bad_coordinate",
            "error",
            "坐标无效",
            "Invalid coordinate",
            "“{value}”不是有效的{detail}。",
            '"{value}" is not a valid {detail}.',
            "请填写十进制度数（如 101.78），不知道则留空。",
            "Enter decimal degrees (such as 101.78), or leave it blank.",
        ),
    )
}

SEVERITY_ZH = {"error": "错误", "warning": "警告"}


@dataclass(frozen=True)
class Problem:
    """One problem found in a file.

    ``row`` is the row number Excel shows (the header is row 1; ``None`` for the file as a
    whole); ``column`` the column letter and ``header`` its header as written; ``sheet`` the
    XLSX sheet when a file is read from several. ``detail_en`` replaces ``detail`` in English
    messages when the detail has words in it.
    """

    code: str
    file: str
    row: int | None = None
    column: str | None = None
    header: str | None = None
    value: str | None = None
    detail: str = ""
    detail_en: str | None = None
    sheet: str | None = None

    @property
    def type(self) -> ProblemType:
        """The catalogue entry."""
        return CATALOGUE[self.code]

    @property
    def severity(self) -> Severity:
        """``error`` (rejects the file) or ``warning``."""
        return self.type.severity

    def where(self, lang: str = "zh") -> str:
        """File, row and column as the user sees them."""
        zh = lang == "zh"
        parts = [self.file]
        if self.sheet is not None:
            parts.append(f"工作表“{self.sheet}”" if zh else f'sheet "{self.sheet}"')
        if self.row is not None:
            parts.append(f"第 {self.row} 行" if zh else f"row {self.row}")
        if self.column:
            column = f"{self.column} 列" if zh else f"column {self.column}"
            if self.header:
                column += f"（{self.header}）" if zh else f" ({self.header})"
            parts.append(column)
        return (" " if zh else ", ").join(parts)

    def text(self, lang: str = "zh", channel: Channel = "cli") -> str:
        """What is wrong and what to do, without the location.

        Examples
        --------
        >>> p = Problem("already_published", "a.csv", 3, "C", "统计期", "2025Q3", "1")
        >>> p.text()
        '该村 2025Q3 的数据已经导入过（批次 #1）。如需更正，请加 --replace 重新导入...'
        >>> p.text(channel="app")
        '该村 2025Q3 的数据已经导入过（批次 #1）。如需更正，请勾选“替换已导入的数值”后重新导入...'

        """
        kind = self.type
        detail = self.detail_en if lang != "zh" and self.detail_en is not None else self.detail
        fields = {"value": "" if self.value is None else self.value, "detail": detail}
        fix = kind.fix(lang, channel).format(**fields)
        if lang == "zh":
            return kind.text_zh.format(**fields) + fix
        return kind.text_en.format(**fields) + " " + fix

    def message(self, lang: str = "zh", channel: Channel = "cli") -> str:
        """The full message: location, what is wrong, what to do (for ``channel``).

        Examples
        --------
        >>> Problem("not_integer", "a.csv", 5, "F", "协助事项数", "2.5").message()
        '[错误] a.csv 第 5 行 F 列（协助事项数）：数值“2.5”不是整数。这一列是个数，请填写整数。'

        """
        label = SEVERITY_ZH[self.severity] if lang == "zh" else self.severity
        sep = "：" if lang == "zh" else ": "
        return f"[{label}] {self.where(lang)}{sep}{self.text(lang, channel)}"


def errors(problems: Iterable[Problem]) -> list[Problem]:
    """The problems that reject a file."""
    return [p for p in problems if p.severity == "error"]


def warnings(problems: Iterable[Problem]) -> list[Problem]:
    """The problems that are only reported."""
    return [p for p in problems if p.severity == "warning"]


REPORT_COLUMNS = {
    "file": ("文件", "File"),
    "sheet": ("工作表", "Sheet"),  # only when a file was read from several sheets
    "row": ("行", "Row"),
    "column": ("列", "Column"),
    "header": ("列名", "Header"),
    "value": ("值", "Value"),
    "severity": ("级别", "Severity"),
    "code": ("问题代码", "Code"),
    "title": ("问题", "Problem"),
    "message": ("说明", "What to do"),
}


def to_frame(
    problems: Sequence[Problem], lang: str = "zh", channel: Channel = "cli"
) -> pd.DataFrame:
    """The problems as a table with headers in ``lang``, file-level first, then by row.

    A ``sheet`` column follows ``file`` when a problem names its sheet; the fixes are those of
    ``channel``.
    """
    zh = lang == "zh"
    rows = ordered(problems)
    sheets = [p.sheet for p in rows]
    frame = pd.DataFrame(
        {
            "file": [p.file for p in rows],
            **({"sheet": sheets} if any(sheets) else {}),
            "row": pd.array([p.row for p in rows], dtype="Int64"),
            "column": [p.column for p in rows],
            "header": [p.header for p in rows],
            "value": [p.value for p in rows],
            "severity": [SEVERITY_ZH[p.severity] if zh else p.severity for p in rows],
            "code": [p.code for p in rows],
            "title": [p.type.title_zh if zh else p.type.title_en for p in rows],
            "message": [p.text(lang, channel) for p in rows],
        }
    )
    return frame.rename(columns={k: v[0 if zh else 1] for k, v in REPORT_COLUMNS.items()})


def ordered(problems: Sequence[Problem]) -> list[Problem]:
    """``problems`` as a reader scans a file: file-level first, then by sheet, row and column."""
    return sorted(
        problems,
        key=lambda p: (
            p.row is not None,
            p.sheet or "",
            p.row or 0,
            len(p.column or ""),
            p.column or "",
        ),
    )


def report_bytes(
    problems: Sequence[Problem], fmt: str, lang: str = "zh", channel: Channel = "cli"
) -> bytes:
    """The full problem list as an XLSX (errors red, warnings amber) or CSV (UTF-8, BOM) file.

    Cells are written as text, so a value such as ``=cmd|...`` is never run as a formula when
    the report is opened. The fixes are those of ``channel``.
    """
    severities = [p.severity for p in ordered(problems)]
    return table_bytes(to_frame(problems, lang, channel), fmt, highlight=severities)


def write_report(
    problems: Sequence[Problem], path: str | os.PathLike[str], lang: str = "zh"
) -> None:
    """Write :func:`report_bytes` to ``path`` in the format its extension names."""
    Path(path).write_bytes(report_bytes(problems, format_of(path), lang))
