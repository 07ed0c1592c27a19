"""The one registry of burden indicators and policy targets.

Everything that names an indicator — SQL whitelists, import headers, UI labels, the methodology
page, exports and tests — reads it from here. Adding an indicator is one entry in ``INDICATORS``.
Codes and meanings are fixed (Foundation B); sources are in ``shared/domain/calibration.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from metrics.errors import InvalidInputError

Kind = Literal["stock", "flow"]
TargetKind = Literal["max_value", "max_trailing4", "no_offlist_items"]


@dataclass(frozen=True)
class Target:
    """A checkable policy target for one indicator.

    ``kind`` decides how it is judged:

    - ``max_value``: the quarter's value must be ≤ ``threshold``;
    - ``max_trailing4``: the sum over the trailing four quarters must be ≤ ``threshold``
      (an annual rule judged on four quarters; unknown until four quarters are reported);
    - ``no_offlist_items``: the village holds no item of this indicator that is off the approved
      list; "unknown" (never "met") where the village has no item data for the period.
    """

    code: str
    indicator: str
    kind: TargetKind
    threshold: float
    rule_zh: str
    rule_en: str
    basis_zh: str
    basis_en: str

    @property
    def needs_items(self) -> bool:
        """Whether judging this target needs item-level data."""
        return self.kind == "no_offlist_items"


@dataclass(frozen=True)
class Indicator:
    """One burden indicator: what a village's quarterly value counts."""

    code: str
    name_zh: str
    name_en: str
    header_zh: str  # canonical import column header
    unit_zh: str
    unit_en: str
    kind: Kind
    description_zh: str
    description_en: str
    max_plausible: int  # values above this are rejected on import
    weight: float = 1.0  # default weight in the burden index (configurable)
    direction: Literal["lower_better"] = "lower_better"
    targets: tuple[Target, ...] = field(default=())

    def name(self, lang: str = "zh") -> str:
        """Display name in ``lang`` (zh or en)."""
        return self.name_zh if lang == "zh" else self.name_en


def _t(indicator: str, suffix: str, kind: TargetKind, threshold: float, *texts: str) -> Target:
    return Target(f"{indicator}_{suffix}", indicator, kind, threshold, *texts)


_BASIS_28 = (
    "中办、国办《关于规范村级组织工作事务、机制牌子和证明事项的意见》(厅字〔2022〕28号)",
    "General Offices' opinion on village organisations' tasks, mechanisms, plaques and "
    "certificates (厅字〔2022〕28号, 2022)",
)

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "tasks",
        "协助事项",
        "Assistance tasks",
        "协助事项数",
        "项",
        "items",
        "stock",
        "季度末各部门交由本村承担、仍在执行的协助事项（去重）",
        "Distinct assistance task items "
        "assigned to the village by departments and active at quarter end",
        max_plausible=500,
        targets=(
            _t(
                "tasks",
                "offlist",
                "no_offlist_items",
                0,
                "清单外协助事项为 0（需事项明细）",
                "No assistance task off the approved list (needs item data)",
                _BASIS_28[0] + "；山西“九个不得”第1条",
                _BASIS_28[1] + "; Shanxi rule 1",
            ),
        ),
    ),
    Indicator(
        "forms",
        "报表台账",
        "Forms and ledgers",
        "报表台账数",
        "张",
        "forms",
        "flow",
        "本季度为各部门填报的报表和建立的台账（去重）",
        "Distinct forms filled and ledgers kept for departments during the quarter",
        max_plausible=500,
        targets=(
            _t(
                "forms",
                "offlist",
                "no_offlist_items",
                0,
                "未经县级统一审核的报表为 0（需事项明细）",
                "No form outside the county-approved catalogue (needs item data)",
                _BASIS_28[0] + "；山西“九个不得”第4条",
                _BASIS_28[1] + "; Shanxi rule 4",
            ),
        ),
    ),
    Indicator(
        "platforms",
        "信息平台/APP",
        "Platforms and apps",
        "信息平台数",
        "个",
        "platforms",
        "stock",
        "季度末村干部须使用的政务信息平台、APP 和账号（去重）",
        "Distinct government platforms, "
        "apps and accounts the village cadres must use, at quarter end",
        max_plausible=200,
        targets=(
            _t(
                "platforms",
                "forced",
                "no_offlist_items",
                0,
                "带强制打卡、积分排名等功能的 APP 为 0（需事项明细）",
                "No app with forced check-in, points ranking or online-time rules "
                "(needs item data)",
                "国办函〔2026〕12号《政务移动互联网应用程序规范化管理办法》“五个不得”",
                "State Council General Office letter 〔2026〕12 on government apps, "
                "five prohibitions",
            ),
        ),
    ),
    Indicator(
        "mechanisms",
        "工作机制",
        "Working mechanisms",
        "工作机制数",
        "个",
        "mechanisms",
        "stock",
        "季度末延伸到村的领导小组和工作机制",
        "Leading groups and working mechanisms extended to the village, at quarter end",
        max_plausible=150,
        targets=(
            _t(
                "mechanisms",
                "offlist",
                "no_offlist_items",
                0,
                "未经省级批准的村级工作机制为 0（需事项明细）",
                "No village mechanism without provincial approval (needs item data)",
                _BASIS_28[0] + "；山西“九个不得”第6条",
                _BASIS_28[1] + "; Shanxi rule 6",
            ),
        ),
    ),
    Indicator(
        "plaques",
        "挂牌",
        "Plaques",
        "挂牌数",
        "块",
        "plaques",
        "stock",
        "季度末村级组织办公场所外悬挂的牌子",
        "Plaques hung outside the village office, at quarter end",
        max_plausible=150,
        targets=(
            _t(
                "plaques",
                "max",
                "max_value",
                6,
                "外挂牌子不超过 6 块（一横四竖一标识）",
                "At most 6 outside plaques (one horizontal, four vertical, one identifier)",
                "互助县村级标牌标识规范（2024）；" + _BASIS_28[0],
                "Huzhu county signage standard (2024); " + _BASIS_28[1],
            ),
        ),
    ),
    Indicator(
        "certificates",
        "证明事项",
        "Certificates",
        "证明事项数",
        "类",
        "types",
        "flow",
        "本季度要求村里出具的证明事项种类（去重）",
        "Distinct certificate types the village was asked to issue during the quarter",
        max_plausible=300,
        targets=(
            _t(
                "certificates",
                "max",
                "max_value",
                8,
                "出具证明不超过 8 类（可配置：青海保留清单未公开）",
                "At most 8 certificate types (configurable: Qinghai's positive list is not public)",
                _BASIS_28[0],
                _BASIS_28[1],
            ),
            _t(
                "certificates",
                "negative",
                "no_offlist_items",
                0,
                "不出具国家取消清单内的证明（需事项明细）",
                "No certificate from the national negative list (needs item data)",
                "民政部等《关于改进和规范基层群众性自治组织出具证明工作的指导意见》(民发〔2020〕20号)",
                "Ministry of Civil Affairs et al., 民发〔2020〕20号 (negative list of 20)",
            ),
        ),
    ),
    Indicator(
        "assessments",
        "考核评比",
        "Assessments",
        "考核评比数",
        "次",
        "assessments",
        "flow",
        "本季度针对村或村干部的单独考核、评比、排名和达标创建活动（不含日常走访）",
        "Separate assessments, appraisals and ranking/compliance campaigns aimed at the village "
        "or its cadres in the quarter (routine visits excluded)",
        max_plausible=100,
        targets=(
            _t(
                "assessments",
                "annual",
                "max_trailing4",
                1,
                "近四个季度单独考核评比合计不超过 1 次",
                "At most 1 separate assessment over the trailing four quarters",
                "《整治形式主义为基层减负若干规定》(2024)第21条；乡镇年度统一考核（规则原文待核）",
                "Rules on reducing formalism at the base level (2024), art. 21; one annual "
                "township review (wording unverified)",
            ),
        ),
    ),
)

BY_CODE: dict[str, Indicator] = {i.code: i for i in INDICATORS}
CODES: tuple[str, ...] = tuple(BY_CODE)
INDEX_CODE = "index"  # the composite burden index, a pseudo-indicator in roll-ups and queries
TARGETS: tuple[Target, ...] = tuple(t for i in INDICATORS for t in i.targets)


class UnknownIndicatorError(InvalidInputError):
    """Raised for an indicator code that is not in the registry."""


def get(code: str, *, allow_index: bool = False) -> Indicator | None:
    """Return the indicator for ``code``; ``None`` for the index when ``allow_index``.

    Raises
    ------
    UnknownIndicatorError
        If ``code`` is not a registered indicator, listing the valid ones.

    Examples
    --------
    >>> get("plaques").name_zh
    '挂牌'

    """
    if allow_index and code == INDEX_CODE:
        return None
    if code not in BY_CODE:
        valid = ([INDEX_CODE] if allow_index else []) + list(CODES)
        raise UnknownIndicatorError(
            f"未知指标 {code!r}；可选：{', '.join(valid)}",
            f"Invalid indicator {code!r}; must be one of {', '.join(valid)}",
        )
    return BY_CODE[code]


def label(code: str, lang: str = "zh") -> str:
    """Display label for an indicator code or the index."""
    if code == INDEX_CODE:
        return "负担指数" if lang == "zh" else "Burden index"
    return get(code).name(lang)
