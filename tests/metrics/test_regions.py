"""The region and boundary tables written from the gazetteer."""

from __future__ import annotations

import duckdb
import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import box

from metrics import regions, schema


def tiny() -> regions.Gazetteer:
    def layer(codes, parents, **extra) -> gpd.GeoDataFrame:
        geoms = [box(90 + i, 35, 91 + i, 36 + i) for i in range(len(codes))]
        frame = {"code": codes, "name": [f"名{c}" for c in codes], "parent_code": parents}
        return gpd.GeoDataFrame({**frame, **extra}, geometry=geoms, crs="EPSG:4326")

    return regions.Gazetteer(
        province=layer(["630000"], [None]),
        prefectures=layer(["630100", "632600"], ["630000", "630000"]),
        counties=layer(["630102", "632621"], ["630100", "632600"], area_type=["农区", "牧区"]),
        townships=pd.DataFrame(
            {
                "code": ["630102001000", "632621001000"],
                "name": ["镇甲", "乡乙"],
                "name_original": ["镇甲", "乡乙政府"],
                "county_code": ["630102", "632621"],
                "lon": [100.1, 100.2],
                "lat": [36.1, 36.2],
                "position_approximate": [True, True],
            }
        ),
        villages=pd.DataFrame(
            {
                "code": ["630102001001", "630102001002", "632621001001"],
                "name": ["红卫村", "东关社区", "牧场村"],
                "name_original": ["红卫村委会", "东关社区居民委员会", "牧场村牧委会"],
                "kind": ["村", "社区", "村"],
                "township_code": ["630102001000", "630102001000", "632621001000"],
                "township_name": ["镇甲", "镇甲", "乡乙"],
                "county_code": ["630102", "630102", "632621"],
                "lon": [100.11, 100.12, 100.21],
                "lat": [36.11, 36.12, 36.21],
                "position_approximate": [True, True, True],
            }
        ),
    )


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    schema.migrate(con)
    return con


def test_every_level_with_parents_and_area_types(con):
    counts = regions.write_regions(con, gazetteer=tiny())
    assert counts == {
        "province": 1,
        "prefecture": 2,
        "county": 2,
        "township": 2,
        "village": 3,
        "boundary": 5,
    }
    rows = con.execute(
        "SELECT r.code, r.level, r.parent_code, p.level, r.kind, r.area_type "
        "FROM region r LEFT JOIN region p ON p.code = r.parent_code ORDER BY r.code"
    ).fetchall()
    parent_level = {
        "prefecture": "province",
        "county": "prefecture",
        "township": "county",
        "village": "township",
    }
    for code, level, parent, parent_lvl, kind, area in rows:
        assert parent_lvl == parent_level.get(level), code
        assert (kind is not None) == (level == "village")
        assert (area is not None) == (level in {"county", "township", "village"})
        if parent is not None and level in {"township", "village"}:
            assert area == ("农区" if code.startswith("630102") else "牧区")


def test_villages_keep_names_kinds_and_approximate_positions(con):
    regions.write_regions(con, gazetteer=tiny())
    row = con.execute(
        "SELECT name, name_original, kind, lon, lat, position_approximate FROM region "
        "WHERE code = '630102001002'"
    ).fetchone()
    assert row == ("东关社区", "东关社区居民委员会", "社区", 100.12, 36.12, True)
    exact = con.execute(
        "SELECT bool_and(NOT position_approximate), count(lon) FROM region "
        "WHERE level IN ('province', 'prefecture', 'county')"
    ).fetchone()
    assert exact == (True, 5)


def test_boundaries_round_trip_as_geometry(con):
    gaz = tiny()
    regions.write_regions(con, gazetteer=gaz)
    stored = dict(
        con.execute(
            "SELECT code, ST_AsWKB(geometry) FROM boundary WHERE level = 'county'"
        ).fetchall()
    )
    for code, geom in zip(gaz.counties["code"], gaz.counties.geometry, strict=True):
        assert shapely.from_wkb(bytes(stored[code])).equals(geom)
    lon, lat = con.execute("SELECT lon, lat FROM region WHERE code = '632621'").fetchone()
    assert gaz.counties.geometry.iloc[1].contains(shapely.Point(lon, lat))


def test_shipped_qinghai_gazetteer(con):
    counts = regions.write_regions(con, "630000")
    assert counts == {
        "province": 1,
        "prefecture": 8,
        "county": 45,
        "township": 406,
        "village": 4612,
        "boundary": 54,
    }
    orphans = con.execute(
        "SELECT count(*) FROM region r LEFT JOIN region p ON p.code = r.parent_code "
        "WHERE r.level <> 'province' AND p.code IS NULL"
    ).fetchone()[0]
    assert orphans == 0
    assert (
        con.execute(
            "SELECT count(*) FROM region WHERE level = 'village' AND area_type IS NULL"
        ).fetchone()[0]
        == 0
    )
