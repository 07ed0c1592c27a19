"""What each kind of import file holds: its columns, their headers and allowed values.

Chinese headers are canonical; English aliases are accepted. Headers are matched after
trimming, full-width → half-width, case folding and dropping a trailing note in brackets
(``协助事项数（项）`` is ``协助事项数``). Indicator columns come from the registry.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from geodata import AREA_TYPE_VALUES
from metrics import registry

Kind = Literal["observations", "items", "visits", "gazetteer"]
KINDS: tuple[str, ...] = ("observations", "items", "visits")  # what `burdenmap import` takes
CellKind = Literal["code", "text", "period", "count", "date", "choice", "coordinate"]


@dataclass(frozen=True)
class Column:
    """One column of an import file."""

    field: str  # name in the validated frame
    header_zh: str  # canonical header
    header_en: str  # accepted English header
    kind: CellKind
    required: bool = False
    help_zh: str = ""
    help_en: str = ""
    example: str = ""
    aliases: tuple[str, ...] = ()
    # canonical value → accepted spellings (choice columns)
    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()
    maximum: int | None = None  # count columns: the registry's plausible maximum

    @property
    def headers(self) -> tuple[str, ...]:
        """Every header this column is recognised by."""
        return (self.header_zh, self.header_en, *self.aliases)

    def allowed(self, lang: str = "zh") -> str:
        """The allowed values of a choice column, for messages and the template."""
        shown = [spellings[0] for _, spellings in self.choices]
        return ("、" if lang == "zh" else ", ").join(shown)


@dataclass(frozen=True)
class Layout:
    """The columns of one kind of file and the key a row must not repeat."""

    kind: Kind
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    one_of: tuple[str, ...] = field(default=())  # at least one of these columns must be there
    every_sheet: bool = False  # XLSX without a sheet named: read every sheet with this header

    @cached_property
    def by_header(self) -> dict[str, Column]:
        """Normalised header → column."""
        return {normalise_header(h): c for c in self.columns for h in c.headers}

    def match(self, header: str) -> Column | None:
        """The column a header names, if any."""
        return self.by_header.get(normalise_header(header))

    def is_header(self, cell: str) -> bool:
        """Whether ``cell`` is the header of the first column (finds the header row)."""
        return self.match(cell) is self.columns[0]

    def column(self, name: str) -> Column:
        """The column whose field is ``name``."""
        return next(c for c in self.columns if c.field == name)


_NOTE = re.compile(r"[(\[].*[)\]]$")
_SEPARATORS = re.compile(r"[\s_\-*]+")


def normalise_header(text: str) -> str:
    """A header reduced to what identifies it.

    Examples
    --------
    >>> normalise_header(" 协助事项数（项）"), normalise_header("Village Code")
    ('协助事项数', 'villagecode')

    """
    text = unicodedata.normalize("NFKC", text).strip().lower()
    return _SEPARATORS.sub("", _NOTE.sub("", text))


_VILLAGE = (
    Column(
        "village_code",
        "村代码",
        "village_code",
        "code",
        required=True,
        help_zh="12 位统计用区划代码，单元格须为文本格式",
        help_en="12-digit statistical code, as text",
        example="630102001001",
        aliases=("村（社区）代码", "行政村代码", "村社区代码"),
    ),
    Column(
        "village_name",
        "村名",
        "village_name",
        "text",
        help_zh="用于核对代码，与名录不符时给出警告",
        help_en="checked against the code; a mismatch is a warning",
        example="五一社区",
        aliases=("村名称", "村（社区）名称", "村社区名称"),
    ),
    Column(
        "township",
        "乡镇",
        "township",
        "text",
        help_zh="仅供阅读",
        help_en="for reading only",
        example="东关大街",
        aliases=("乡镇（街道）", "乡镇名称"),
    ),
    Column(
        "county",
        "县区",
        "county",
        "text",
        help_zh="仅供阅读",
        help_en="for reading only",
        example="城东区",
        aliases=("县（市、区）", "县区名称"),
    ),
    Column(
        "period",
        "统计期",
        "period",
        "period",
        required=True,
        help_zh="季度：2025Q4、2025-Q4、2025年第4季度 或 2025年四季度",
        help_en="quarter: 2025Q4, 2025-Q4, 2025年第4季度 or 2025年四季度",
        example="2025Q4",
        aliases=("季度", "统计季度", "quarter"),
    ),
)


def _counts(help_zh: str, help_en: str) -> tuple[Column, ...]:
    return tuple(
        Column(
            i.code,
            i.header_zh,
            i.code,
            "count",
            help_zh=f"{i.description_zh}；{help_zh}（0–{i.max_plausible}，单位：{i.unit_zh}）",
            help_en=f"{i.description_en}; {help_en} (0–{i.max_plausible} {i.unit_en})",
            example=str(min(6, i.max_plausible)),
            aliases=(i.name_zh, i.name_en),
            maximum=i.max_plausible,
        )
        for i in registry.INDICATORS
    )


_NOT_REPORTED_ZH = "整数，没有则填 0；留空表示未统计"
_NOT_REPORTED_EN = "whole number, 0 if none; blank means not counted"
_YES = ("是", "y", "yes", "true", "1", "在", "清单内")
_NO = ("否", "n", "no", "false", "0", "不在", "清单外")
_INDICATOR_CHOICES = tuple(
    (i.code, (i.name_zh, i.code, i.header_zh, i.name_en)) for i in registry.INDICATORS
)

OBSERVATIONS = Layout(
    "observations",
    (
        *_VILLAGE,
        *_counts(_NOT_REPORTED_ZH, _NOT_REPORTED_EN),
        Column(
            "reported_at",
            "报送时间",
            "reported_at",
            "date",
            help_zh="村里报送的日期（可带时间）；留空则记为导入时间",
            help_en="when the village reported (date, optionally time); blank: the import time",
            example="2026-01-10",
            aliases=("报送日期",),
        ),
    ),
    key=("village_code", "period"),
    one_of=registry.CODES,
)

ITEMS = Layout(
    "items",
    (
        *_VILLAGE,
        Column(
            "indicator",
            "事项类别",
            "indicator",
            "choice",
            required=True,
            help_zh="事项属于哪个指标",
            help_en="which indicator the item counts towards",
            example="协助事项",
            choices=_INDICATOR_CHOICES,
            aliases=("类别", "指标"),
        ),
        Column(
            "item",
            "事项名称",
            "item",
            "text",
            required=True,
            help_zh="事项、报表、平台、机制或证明的名称",
            help_en="name of the item",
            example="防汛值守",
            aliases=("事项",),
        ),
        Column(
            "department",
            "部门",
            "department",
            "text",
            required=True,
            help_zh="下派该事项的部门",
            help_en="the department that imposes it",
            example="县农业农村局",
            aliases=("责任部门", "下派部门"),
        ),
        Column(
            "on_list",
            "是否在清单内",
            "on_list",
            "choice",
            required=True,
            help_zh="是否在经批准的清单内",
            help_en="whether it is on the approved list",
            example="是",
            choices=(("true", _YES), ("false", _NO)),
            aliases=("清单内",),
        ),
        Column(
            "department_level",
            "部门层级",
            "department_level",
            "choice",
            help_zh="省级或县级；留空为县级",
            help_en="province or county; blank: county",
            example="县级",
            choices=(
                ("province", ("省级", "省", "province")),
                ("county", ("县级", "县", "county")),
            ),
        ),
        Column(
            "basis",
            "依据",
            "basis",
            "text",
            help_zh="清单内事项的政策依据（可留空）",
            help_en="legal or policy basis of an approved item (optional)",
            example="",
        ),
    ),
    key=("village_code", "period", "indicator", "item", "department"),
)

VISIT_KINDS = (("督查", ("督查", "inspection")), ("调研", ("调研", "research")))
VISIT_KINDS += (("抽查", ("抽查", "spot_check", "spot check")),)

VISITS = Layout(
    "visits",
    (
        *_VILLAGE,
        Column(
            "visit_kind",
            "核查方式",
            "visit_kind",
            "choice",
            required=True,
            help_zh="督查、调研或抽查",
            help_en="inspection (督查), research (调研) or spot check (抽查)",
            example="抽查",
            choices=VISIT_KINDS,
            aliases=("核查类型", "方式", "visit_type", "kind"),
        ),
        Column(
            "visited_on",
            "核查日期",
            "visited_on",
            "date",
            help_zh="实地核查的日期",
            help_en="date of the visit",
            example="2026-02-20",
            aliases=("日期", "date"),
        ),
        *_counts("实地核实的数量", "the count verified on site"),
    ),
    key=("village_code", "period", "visit_kind", "visited_on"),
    one_of=registry.CODES,
    every_sheet=True,  # the checklist workbook: one sheet per village (metrics.checklist)
)

GAZETTEER = Layout(
    "gazetteer",
    (
        Column(
            "code",
            "村代码",
            "code",
            "code",
            required=True,
            help_zh="12 位统计用区划代码（前 6 位为县区代码，7–9 位为乡镇）",
            help_en="12-digit statistical code (county code, then 3 digits of township)",
            example="630102001001",
            aliases=("village_code", "村（社区）代码"),
        ),
        Column(
            "name",
            "村名",
            "name",
            "text",
            required=True,
            help_zh="村或社区名称",
            help_en="name",
            example="五一社区",
            aliases=("village_name", "名称"),
        ),
        Column(
            "township",
            "乡镇",
            "township",
            "text",
            required=True,
            help_zh="乡镇（街道）名称",
            help_en="township name",
            example="东关大街街道",
            aliases=("乡镇（街道）",),
        ),
        Column(
            "township_code",
            "乡镇代码",
            "township_code",
            "code",
            help_zh="12 位；留空则取村代码前 9 位加 000",
            help_en="12 digits; blank: the village code's first 9 digits and 000",
            example="630102001000",
        ),
        Column(
            "county_code",
            "县区代码",
            "county_code",
            "code",
            required=True,
            help_zh="6 位县级区划代码（GB/T 2260）",
            help_en="6-digit county code (GB/T 2260)",
            example="630102",
        ),
        Column(
            "kind",
            "类型",
            "kind",
            "choice",
            help_zh="村或社区；留空按名称判断",
            help_en="村 (village) or 社区 (community); blank: from the name",
            example="社区",
            choices=(("村", ("村", "village")), ("社区", ("社区", "community"))),
        ),
        Column(
            "lon",
            "经度",
            "lon",
            "coordinate",
            help_zh="十进制度数；不知道则留空",
            help_en="decimal degrees; blank if unknown",
            example="101.78",
            aliases=("longitude",),
        ),
        Column(
            "lat",
            "纬度",
            "lat",
            "coordinate",
            help_zh="十进制度数；不知道则留空",
            help_en="decimal degrees; blank if unknown",
            example="36.62",
            aliases=("latitude",),
        ),
        Column(
            "area_type",
            "区域类型",
            "area_type",
            "choice",
            help_zh="农区、牧区或半农半牧；留空取县区的类型",
            help_en="farming, pastoral or mixed; blank: the county's",
            example="农区",
            choices=tuple((a, (a,)) for a in AREA_TYPE_VALUES),
        ),
    ),
    key=("code",),
)

LAYOUTS: dict[str, Layout] = {
    layout.kind: layout for layout in (OBSERVATIONS, ITEMS, VISITS, GAZETTEER)
}
