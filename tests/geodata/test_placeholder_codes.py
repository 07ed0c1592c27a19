"""The rule that numbers townships and villages: stable, independent of source order."""

from __future__ import annotations

import random

import pytest

from geodata.codes import township_codes, village_codes

TOWNS = ["鲁沙尔镇", "多巴镇", "甘河滩镇", "上五庄镇", "田家寨镇"]
VILLAGES = ["大庄村委会", "新村村委会", "红卫村委会", "史纳社区居委会", "大庄村委会"]


def test_codes_follow_sorted_original_names():
    codes = dict(zip(TOWNS, township_codes("630106", TOWNS), strict=True))
    assert codes == {
        "上五庄镇": "630106001000",
        "多巴镇": "630106002000",
        "甘河滩镇": "630106003000",  # 甘 U+7518 sorts before 田 U+7530
        "田家寨镇": "630106004000",
        "鲁沙尔镇": "630106005000",
    }


def test_codes_do_not_depend_on_source_order():
    expected = dict(zip(TOWNS, township_codes("630106", TOWNS), strict=True))
    shuffled = TOWNS.copy()
    random.Random(7).shuffle(shuffled)
    assert dict(zip(shuffled, township_codes("630106", shuffled), strict=True)) == expected


def test_village_codes_are_unique_with_equal_names():
    codes = village_codes("630106002000", VILLAGES)
    assert codes == [
        "630106002002",
        "630106002004",
        "630106002005",
        "630106002001",
        "630106002003",
    ]
    assert village_codes("630106002000", VILLAGES) == codes  # same input, same codes


def test_invalid_parents_and_overflow():
    with pytest.raises(ValueError, match="six digits"):
        township_codes("6301", TOWNS)
    with pytest.raises(ValueError, match="ending 000"):
        village_codes("630106002", VILLAGES)
    with pytest.raises(ValueError, match="3 digits"):
        township_codes("630106", [str(i) for i in range(1000)])
