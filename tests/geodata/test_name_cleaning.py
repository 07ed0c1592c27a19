"""Display names and kinds derived from the gazetteer's committee names."""

from __future__ import annotations

import pytest

from geodata import clean_township_name, clean_village_name, village_kind


@pytest.mark.parametrize(
    ("original", "name", "kind"),
    [
        ("红卫村委会", "红卫村", "村"),
        ("新村村委会", "新村", "村"),
        ("新村委会", "新村", "村"),
        ("上铺村村民委员会", "上铺村", "村"),
        ("韵家口村民委员会", "韵家口村", "村"),
        ("巴彦村牧委会", "巴彦村", "村"),
        ("杂娘牧委会", "杂娘村", "村"),
        ("峨堡村牧民委员会", "峨堡村", "村"),
        ("夏藏滩五村", "夏藏滩五村", "村"),
        ("居士浪村委会", "居士浪村", "村"),  # 居 in a village's own name
        ("史纳社区居委会", "史纳社区", "社区"),
        ("北关社区居民委员会", "北关社区", "社区"),
        ("新村社区居民委员会", "新村社区", "社区"),
        ("柯曲居委会", "柯曲社区", "社区"),
        ("城关居民委员会", "城关社区", "社区"),
        ("高庙镇社区", "高庙镇社区", "社区"),
        ("长江路居社区委会", "长江路社区", "社区"),  # source typo, fixed by table
    ],
)
def test_village_names(original, name, kind):
    assert clean_village_name(original) == name
    assert village_kind(original) == kind


@pytest.mark.parametrize(
    ("original", "name"),
    [
        ("马坊街道办事处", "马坊街道"),
        ("乐家湾镇政府", "乐家湾镇"),
        ("西海镇（海北州政府驻地）", "西海镇"),
        ("鲁沙尔镇", "鲁沙尔镇"),
        ("东关大街社区公共服务中心", "东关大街社区公共服务中心"),
    ],
)
def test_township_names(original, name):
    assert clean_township_name(original) == name


def test_shipped_originals_are_kept(villages):
    row = villages.loc[villages["name_original"] == "长江路居社区委会"].iloc[0]
    assert (row["name"], row["kind"]) == ("长江路社区", "社区")
