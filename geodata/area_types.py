"""Area type (农区 | 牧区 | 半农半牧) of each county, for fair peer groups.

Qinghai's table follows the prefecture notes of ``domain/calibration.md`` §1.2; the reason for
each county is in ``geodata/README.md``. It is a default: a deployment may override it.
"""

from __future__ import annotations

AREA_TYPE_VALUES = ("农区", "牧区", "半农半牧")

_FARMING, _PASTORAL, _MIXED = AREA_TYPE_VALUES

AREA_TYPES: dict[str, str] = {
    # 西宁市: urban districts and the agricultural peri-urban belt (湟中, 大通, 湟源)
    "630102": _FARMING,  # 城东区
    "630103": _FARMING,  # 城中区
    "630104": _FARMING,  # 城西区
    "630105": _FARMING,  # 城北区
    "630106": _FARMING,  # 湟中区
    "630121": _FARMING,  # 大通回族土族自治县
    "630123": _FARMING,  # 湟源县
    # 海东市: the province's main farming area
    "630202": _FARMING,  # 乐都区
    "630203": _FARMING,  # 平安区
    "630222": _FARMING,  # 民和回族土族自治县
    "630223": _FARMING,  # 互助土族自治县
    "630224": _FARMING,  # 化隆回族自治县
    "630225": _FARMING,  # 循化撒拉族自治县
    # 海北州: pastoral, with the rapeseed and barley valley of 门源
    "632221": _MIXED,  # 门源回族自治县
    "632222": _PASTORAL,  # 祁连县
    "632223": _PASTORAL,  # 海晏县
    "632224": _PASTORAL,  # 刚察县
    # 黄南州: farming valleys (同仁, 尖扎) and pastoral 泽库, 河南
    "632301": _MIXED,  # 同仁市
    "632322": _MIXED,  # 尖扎县
    "632323": _PASTORAL,  # 泽库县
    "632324": _PASTORAL,  # 河南蒙古族自治县
    # 海南州: farming in 共和 and 贵德; 同德, 兴海, 贵南 pastoral
    "632521": _MIXED,  # 共和县
    "632522": _PASTORAL,  # 同德县
    "632523": _MIXED,  # 贵德县
    "632524": _PASTORAL,  # 兴海县
    "632525": _PASTORAL,  # 贵南县
    # 果洛州: pure pastoral
    "632621": _PASTORAL,  # 玛沁县
    "632622": _PASTORAL,  # 班玛县
    "632623": _PASTORAL,  # 甘德县
    "632624": _PASTORAL,  # 达日县
    "632625": _PASTORAL,  # 久治县
    "632626": _PASTORAL,  # 玛多县
    # 玉树州: pure pastoral
    "632701": _PASTORAL,  # 玉树市
    "632722": _PASTORAL,  # 杂多县
    "632723": _PASTORAL,  # 称多县
    "632724": _PASTORAL,  # 治多县
    "632725": _PASTORAL,  # 囊谦县
    "632726": _PASTORAL,  # 曲麻莱县
    # 海西州: east "农牧区" (德令哈, 乌兰, 都兰; 天峻 herding only); west mining towns with
    # oasis farms and herders (格尔木, 茫崖, 大柴旦)
    "632801": _MIXED,  # 格尔木市
    "632802": _MIXED,  # 德令哈市
    "632803": _MIXED,  # 茫崖市
    "632821": _MIXED,  # 乌兰县
    "632822": _MIXED,  # 都兰县
    "632823": _PASTORAL,  # 天峻县
    "632825": _MIXED,  # 大柴旦行委
}


def area_type(county_code: str) -> str | None:
    """Area type of a county, or ``None`` when the table has no entry for it.

    Examples
    --------
    >>> area_type("632626")
    '牧区'

    """
    return AREA_TYPES.get(county_code)
