"""Old county names of the name tree map to today's county codes; unknown names fail loudly."""

from __future__ import annotations

import pandas as pd
import pytest

from geodata import GAZETTEER_COUNTIES, match_counties
from geodata.crosswalk import county_name


@pytest.fixture(scope="module")
def current(counties) -> pd.DataFrame:
    names = {"630100": "西宁市", "632300": "黄南藏族自治州", "632800": "海西蒙古族藏族自治州"}
    frame = pd.DataFrame(counties.drop(columns="geometry"))
    return frame.assign(prefecture_name=frame["parent_code"].map(names))


@pytest.mark.parametrize(
    ("prefecture", "old", "code", "name"),
    [
        ("西宁市", "湟中县", "630106", "湟中区"),
        ("黄南藏族自治州", "同仁县", "632301", "同仁市"),
        ("海西蒙古族藏族自治州", "茫崖行政委员会", "632803", "茫崖市"),
        ("海西蒙古族藏族自治州", "冷湖行政委员会", "632803", "茫崖市"),
        ("海西蒙古族藏族自治州", "大柴旦行政委员会", "632825", "大柴旦行委"),
    ],
)
def test_renamed_counties(current, prefecture, old, code, name):
    assert match_counties("630000", [(prefecture, old)], current) == {(prefecture, old): code}
    assert current.set_index("code").loc[code, "name"] == name


def test_unchanged_names_match_by_name(current):
    pair = ("西宁市", "湟源县")
    assert match_counties("630000", [pair], current) == {pair: "630123"}


def test_unmatched_names_fail_listing_all(current):
    pairs = [("西宁市", "不存在县"), ("西宁市", "湟源县"), ("海东市", "另一个县")]
    with pytest.raises(ValueError, match="西宁市/不存在县, 海东市/另一个县"):
        match_counties("630000", pairs, current)


def test_crosswalk_targets_are_shipped_counties(counties):
    assert set(GAZETTEER_COUNTIES["630000"].values()) <= set(counties["code"])


def test_shipped_villages_land_in_every_renamed_county(villages):
    per_county = villages["county_code"].value_counts()
    assert per_county["630106"] > 300  # 湟中
    assert per_county["632301"] > 50  # 同仁
    assert per_county["632803"] == 12  # 茫崖 (11) + 冷湖 (1)
    assert per_county["632825"] == 5  # 大柴旦


def test_placeholder_boundary_names_need_an_override():
    assert county_name("632825", "海西蒙古族藏族自治州直辖") == "大柴旦行委"
    with pytest.raises(ValueError, match="COUNTY_NAMES"):
        county_name("659000", "自治区直辖")
    assert county_name("630123", "湟源县") == "湟源县"
