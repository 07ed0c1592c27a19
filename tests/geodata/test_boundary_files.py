"""Shipped boundaries: counts, codes, nesting, no overlaps, area and size."""

from __future__ import annotations

import itertools
import json

import pytest
import shapely

from geodata import LEVELS, GeodataNotBuiltError, load_boundaries
from geodata.files import BOUNDARY_FILES, DATA_DIR

QINGHAI = DATA_DIR / "630000"
EQUAL_AREA = "EPSG:6933"  # World Cylindrical Equal Area


def test_levels_and_counts(province, prefectures, counties):
    assert LEVELS == ("province", "prefecture", "county")
    assert len(province) == 1
    assert len(prefectures) == 8
    assert len(counties) == 45
    assert province.loc[0, "name"] == "青海省"
    assert set(prefectures["code"]) == {
        "630100",
        "630200",
        "632200",
        "632300",
        "632500",
        "632600",
        "632700",
        "632800",
    }


def test_columns_crs_and_parents(province, prefectures, counties):
    for gdf, level in ((province, "province"), (prefectures, "prefecture"), (counties, "county")):
        assert gdf.crs == "EPSG:4326"
        assert {"code", "name", "parent_code", "geometry"} <= set(gdf.columns)
        assert (gdf["level"] == level).all()
        assert gdf["code"].str.fullmatch(r"\d{6}").all()
        assert gdf["code"].is_unique
        assert shapely.is_valid(gdf.geometry.array).all()
    assert (prefectures["parent_code"] == "630000").all()
    assert set(counties["parent_code"]) == set(prefectures["code"])
    assert (counties["code"].str[:4] == counties["parent_code"].str[:4]).all()
    assert "area_type" in counties.columns


@pytest.mark.parametrize(
    ("code", "name"),
    [("632825", "大柴旦行委"), ("630106", "湟中区"), ("632301", "同仁市"), ("632803", "茫崖市")],
)
def test_current_county_names(counties, code, name):
    assert counties.set_index("code").loc[code, "name"] == name


def test_province_area_in_equal_area_projection(province):
    area_km2 = province.to_crs(EQUAL_AREA).area.iloc[0] / 1e6
    assert 690_000 < area_km2 < 704_000  # source data ≈ 697,000 km² (official figure 722,300)


def test_levels_nest(province, prefectures, counties):
    """County union = prefecture union = province, within 0.5 % of the area."""
    county_union = shapely.union_all(counties.to_crs(EQUAL_AREA).geometry.array)
    prefecture_union = shapely.union_all(prefectures.to_crs(EQUAL_AREA).geometry.array)
    whole = province.to_crs(EQUAL_AREA).geometry.iloc[0]
    for a, b in ((county_union, prefecture_union), (prefecture_union, whole)):
        assert a.symmetric_difference(b).area / b.area < 0.005
    projected = counties.to_crs(EQUAL_AREA)
    for code, prefecture in prefectures.to_crs(EQUAL_AREA).set_index("code").geometry.items():
        own = shapely.union_all(projected.loc[projected["parent_code"] == code].geometry.array)
        assert own.symmetric_difference(prefecture).area / prefecture.area < 0.005, code


@pytest.mark.parametrize("level", ["prefecture", "county"])
def test_no_overlaps_no_gaps(level, province):
    """No pairwise overlap above 0.1 % of the smaller unit; the units fill the province."""
    gdf = load_boundaries(level).to_crs(EQUAL_AREA)
    geoms = gdf.geometry.array
    left, right = gdf.sindex.query(geoms, predicate="intersects")
    for i, j in zip(left, right, strict=True):
        if i < j:
            overlap = geoms[i].intersection(geoms[j]).area
            assert overlap <= 0.001 * min(geoms[i].area, geoms[j].area), (i, j)
    whole = province.to_crs(EQUAL_AREA).geometry.iloc[0]
    assert abs(sum(g.area for g in geoms) - whole.area) / whole.area < 0.001


def test_files_are_small():
    sizes = {p.name: p.stat().st_size for p in QINGHAI.iterdir()}
    assert sizes[BOUNDARY_FILES["prefecture"]] < 250_000  # the province view's payload
    assert max(sizes.values()) < 1_000_000
    assert sum(sizes.values()) < 3_000_000


def test_coordinates_have_five_decimals():
    text = (QINGHAI / BOUNDARY_FILES["county"]).read_text(encoding="utf-8")
    coords = json.loads(text)["features"][0]["geometry"]["coordinates"]
    flat = list(itertools.chain.from_iterable(itertools.chain.from_iterable(coords)))
    assert all(round(v, 5) == v for xy in flat for v in xy)


def test_unknown_level_lists_valid_ones():
    with pytest.raises(ValueError, match="province, prefecture, county"):
        load_boundaries("township")


def test_unbuilt_province_says_how_to_build():
    with pytest.raises(GeodataNotBuiltError, match="burdenmap geodata build --province 640000"):
        load_boundaries("county", province="640000")


def test_invalid_province_code():
    with pytest.raises(ValueError, match="six digits"):
        load_boundaries("county", province="63")
