"""The shipped national layers (``geodata/data/100000/``) and the national view's payload."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from dashboard.figures import maps
from geodata.boundaries import load_boundaries
from geodata.coverage import check_coverage
from geodata.national import COUNTRY, NO_DATA_PROVINCES, load_inset, match_names
from metrics import geometry

PAYLOAD_LIMIT = 1_500_000  # bytes of the national view's deck JSON (issue #10)


@pytest.fixture(scope="module")
def layers() -> dict[str, gpd.GeoDataFrame]:
    return {
        level: load_boundaries(level, COUNTRY) for level in ("province", "prefecture", "county")
    }


def test_every_province_is_drawn_and_31_have_counties(layers):
    provinces = layers["province"]
    assert len(provinces) == 34
    with_counties = set(layers["prefecture"]["parent_code"])
    assert len(with_counties) == 31
    assert set(provinces["code"]) - with_counties == set(NO_DATA_PROVINCES)


def test_layers_nest_by_code(layers):
    assert set(layers["county"]["parent_code"]) <= set(layers["prefecture"]["code"])
    assert set(layers["prefecture"]["parent_code"]) <= set(layers["province"]["code"])
    codes = pd.concat([layers[level]["code"] for level in layers])
    assert codes.is_unique  # a store keyed by code can hold all three layers
    assert 2800 < len(layers["county"]) < 2900


@pytest.mark.parametrize("level", ["prefecture", "county"])
def test_each_level_is_a_clean_coverage(layers, level):
    check_coverage(layers[level].geometry.to_numpy(), level)


def test_main_frame_leaves_the_south_china_sea_to_the_inset(layers):
    _, miny, _, _ = layers["province"].total_bounds
    assert miny > 18  # 海南's southern tip; the islands are in the inset
    inset = load_inset()
    assert set(inset["part"]) == {"frame", "land", "line"}
    frame = inset[inset["part"] == "frame"].geometry.iloc[0]
    box = shapely.Polygon(frame.coords)
    assert shapely.contains(box.buffer(1e-6), inset.geometry).all()
    assert not box.intersects(layers["province"].union_all())  # in open sea, east of 台湾


def test_national_view_payload_is_province_shapes_only(layers):
    provinces = geometry.for_display(layers["province"][["code", "name", "geometry"]])
    provinces["colour"] = "#fd8d3c"
    labels = {"value_label": "负担指数", "rank_label": "排名", "change_label": "较基期变化"}
    for col in labels:
        provinces[col] = "12.3"
    deck = maps.region_deck(provinces, labels, inset=load_inset())
    assert len(deck.to_json().encode()) <= PAYLOAD_LIMIT


def test_renamed_and_special_counties_are_matched():
    counties = pd.DataFrame(
        {
            "code": ["630106", "441901", "429004", "429005"],
            "name": ["湟中区", "东莞市", "仙桃市", "潜江市"],
            "prefecture_name": ["西宁市", "东莞市", "仙桃市", "潜江市"],
        }
    )
    pairs = [
        ("西宁市", "湟中县"),  # 县 → 区
        ("东莞市", "东莞市无县级区划"),  # a prefecture city without counties
        ("省直辖县级行政区划", "仙桃市"),  # 省直辖: by its unique name
        ("西宁市", "不存在县"),
    ]
    matched, unmatched = match_names(pairs, counties)
    assert matched == {
        ("西宁市", "湟中县"): "630106",
        ("东莞市", "东莞市无县级区划"): "441901",
        ("省直辖县级行政区划", "仙桃市"): "429004",
    }
    assert unmatched == ["西宁市/不存在县"]
