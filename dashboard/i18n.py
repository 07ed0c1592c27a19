"""One message catalogue (Chinese first, English switchable) and number formatting.

Pure Python — no Streamlit — so figure builders, exports and the CLI share it. A test checks
that every key has both languages and that format fields agree between them.
"""

from __future__ import annotations

import math
import re

LANGS = ("zh", "en")

MESSAGES: dict[str, tuple[str, str]] = {
    # app frame
    "app_title": ("村级组织负担地图", "Village burden map"),
    "page_map": ("负担地图", "Burden map"),
    "page_trends": ("趋势", "Trends"),
    "page_method": ("方法与数据", "Methodology & data"),
    "language": ("语言 / Language", "Language / 语言"),
    "simulated_banner": (
        "本库数据为按公开资料校准的模拟数据，村庄位置为近似位置，不代表任何真实村庄。",
        "Figures are simulated (calibrated to published sources) and village positions are "
        "approximate; they describe no real village.",
    ),
    "simulated_mark": ("模拟数据", "Simulated data"),
    "no_database": (
        "尚未找到数据库 {path}。请先运行 `make run`（自动生成模拟数据）或 `burdenmap init`。",
        "No database at {path}. Run `make run` (builds the simulated demo) or `burdenmap init`.",
    ),
    # filters
    "indicator": ("指标", "Indicator"),
    "period": ("统计期", "Quarter"),
    "region": ("地区", "Region"),
    "show_counties": ("全省按县区显示", "Show all counties"),
    "scheme": ("分级方法", "Classification"),
    "scheme_quantiles": ("分位数", "Quantiles"),
    "scheme_natural_breaks": ("自然断点", "Natural breaks"),
    "scheme_equal_interval": ("等间距", "Equal interval"),
    "fixed_to_baseline": ("分级固定为基期", "Breaks fixed to baseline"),
    "include_communities": ("包含社区", "Include communities"),
    "map_renderer": ("地图方式", "Map renderer"),
    "renderer_webgl": ("WebGL 地图（默认）", "WebGL map (default)"),
    "renderer_svg": ("SVG 地图（旧电脑）", "SVG map (old PCs)"),
    # notices
    "invalid_param": (
        "链接参数 {name}={value} 无效，已改用 {fallback}。",
        "URL parameter {name}={value} is invalid; using {fallback} instead.",
    ),
    "out_of_scope": ("无权查看该地区。", "You may not view this region."),
    # map page
    "breadcrumb_home": ("全省", "Province"),
    "legend_title": ("图例（{scheme}）", "Legend ({scheme})"),
    "no_data": ("无数据", "No data"),
    "children_table": ("下级地区", "Sub-regions"),
    "col_name": ("名称", "Name"),
    "col_value": ("数值", "Value"),
    "col_rank": ("排名", "Rank"),
    "col_change": ("较基期变化", "Change since baseline"),
    "col_targets_met": ("达标率", "Targets met"),
    "kpi_villages": ("已报送村数（共 {total}）", "Villages reported (of {total})"),
    "kpi_mean_index": ("平均负担指数", "Mean burden index"),
    "kpi_heaviest": ("负担最重", "Heaviest"),
    "kpi_lightest": ("负担最轻", "Lightest"),
    "village_card": ("村情卡片", "Village card"),
    "drill_hint": (
        "点击地图或表格中的地区可下钻；面包屑可返回上级。",
        "Click a region on the map or in the table to drill down; the breadcrumb goes back up.",
    ),
    "kpi_villages_help": (
        "已报送村数 / 应报送村数（不含社区）",
        "Villages reported / villages expected (communities excluded)",
    ),
    "kpi_change_help": (
        "较基期变化；下降（绿色）表示减负",
        "Change since the baseline; a fall (green) means less burden",
    ),
    "kpi_targets": ("目标达标率", "Targets met"),
    "kpi_targets_help": (
        "各项可判定目标的平均达标村比例；缺少明细数据的目标计为“未知”，不计为达标",
        "Mean share of villages meeting each target; targets without item data "
        "count as unknown, never as met",
    ),
    "positions_note": (
        "村庄位置为近似位置（按乡镇在县域内生成），并非真实坐标。",
        "Village positions are approximate (placed by township within the "
        "county), not real coordinates.",
    ),
    "level_country": ("省份", "Provinces"),
    "level_province": ("省份", "Provinces"),
    "level_prefecture": ("市州", "Prefectures"),
    "level_county": ("县区", "Counties"),
    "level_township": ("乡镇", "Townships"),
    "level_village": ("村", "Villages"),
    "village_indicators": ("各项指标变化", "Indicators over time"),
    "targets_title": ("目标达标情况", "Targets"),
    "col_target": ("目标", "Target"),
    "col_checked": ("判定值", "Value judged"),
    "col_status": ("状态", "Status"),
    "status_met": ("达标", "Met"),
    "status_broken": ("未达标", "Broken"),
    "status_unknown": ("未知（缺明细）", "Unknown (no data)"),
    "items_by_department": ("各部门下派事项", "Items by department"),
    "col_department": ("部门", "Department"),
    "col_items": ("事项数", "Items"),
    "col_offlist": ("清单外", "Off the list"),
    "visits_title": ("实地核查记录", "On-site visits"),
    "no_visits": ("暂无核查记录。", "No visits recorded."),
    "rebound_warning": (
        "该地区出现反弹：在较基期下降 20% 以上后连续两个季度回升。",
        "This region rebounds: its value rose two quarters running after "
        "falling 20% or more below the baseline.",
    ),
    "targets_progress": (
        "目标进展（超标村比例，%）",
        "Progress toward targets (villages over target, %)",
    ),
    "col_over_first": ("{period}超标率", "Over target {period}"),
    "col_over_last": ("{period}超标率", "Over target {period}"),
    "children_trends": ("下级{level}趋势（统一刻度）", "{level} below, on one scale"),
    "m_code": ("代码", "Code"),
    "m_name": ("名称", "Name"),
    "m_counts": ("计数口径", "What it counts"),
    "m_unit": ("单位", "Unit"),
    "m_kind": ("类型", "Kind"),
    "m_kind_stock": ("存量（季度末）", "Stock (quarter end)"),
    "m_kind_flow": ("流量（季度内）", "Flow (in the quarter)"),
    "m_max": ("导入上限", "Import maximum"),
    "m_basis": ("依据", "Basis"),
    "m_needs_items": ("需明细", "Needs items"),
    "m_baseline": ("基期：{period}", "Baseline: {period}"),
    "m_weight": ("权重", "Weight"),
    "m_median": ("基期中位数", "Baseline median"),
    "m_mean": ("基期均值", "Baseline mean"),
    "m_source": ("标尺来源", "Yardstick"),
    "m_source_median": ("中位数", "Median"),
    "m_source_mean": ("均值（中位数为 0）", "Mean (median was 0)"),
    "m_source_excluded": ("不计入（均值为 0）", "Left out (mean was 0)"),
    "m_excluded": (
        "以下指标基期中位数和均值均为 0，未计入负担指数：{names}",
        "Left out of the index (baseline median and mean both 0): {names}",
    ),
    "m_vintage": ("数据版本", "Data vintage"),
}


def t(key: str, lang: str = "zh", **fields: object) -> str:
    """Message ``key`` in ``lang``, with ``fields`` formatted in.

    Examples
    --------
    >>> t("col_rank", "en")
    'Rank'

    """
    zh, en = MESSAGES[key]
    text = zh if lang == "zh" else en
    return text.format(**fields) if fields else text


def fmt_number(value: float | None, lang: str = "zh", digits: int = 1) -> str:
    """Format a number for readers (万 in Chinese, thousands separators in English).

    ``—`` stands for a missing value.

    Examples
    --------
    >>> fmt_number(123456, "zh")
    '12.3万'
    >>> fmt_number(123456, "en")
    '123,456'

    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if lang == "zh" and abs(value) >= 10_000:
        return f"{value / 10_000:.{digits}f}万"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{digits}f}"


def fmt_pct(value: float | None, digits: int = 1, signed: bool = False) -> str:
    """Format a percentage (``value`` already in percent); ``—`` when missing.

    Examples
    --------
    >>> fmt_pct(-12.345, signed=True)
    '-12.3%'

    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    value = round(value, digits) + 0.0  # + 0.0 turns -0.0 into 0.0
    return f"{value:+.{digits}f}%" if signed and value != 0 else f"{value:.{digits}f}%"


_PEOPLES = (
    "蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|拉祜|水|"
    "东乡|纳西|景颇|柯尔克孜|土|达斡尔|仫佬|羌|撒拉|毛南|仡佬|锡伯|普米|怒|鄂温克|保安|裕固|独龙|"
    "鄂伦春|各"
)
_AUTONOMOUS = re.compile(rf"^(.+?)(?:(?:{_PEOPLES})族)+自治(州|县)$")


def short_name(name: str) -> str:
    """Short form for tight places: 海北藏族自治州 → 海北州, 互助土族自治县 → 互助县.

    Examples
    --------
    >>> short_name("海西蒙古族藏族自治州"), short_name("大通回族土族自治县"), short_name("西宁市")
    ('海西州', '大通县', '西宁市')

    """
    m = _AUTONOMOUS.match(name)
    return f"{m.group(1)}{m.group(2)}" if m else name
