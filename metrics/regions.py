"""Write the ``region`` and ``boundary`` tables of a province from the gazetteer (geodata).

Levels: province, prefecture, county (with boundaries), township and village (points only).
Townships and villages inherit their county's area type. Units with a boundary get its
representative point as position (exact, not approximate).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import geopandas as gpd
import pandas as pd
import shapely

import geodata

REGION_COLUMNS = (
    "code level name name_original parent_code kind area_type lon lat position_approximate"
).split()


@dataclass(frozen=True)
class Gazetteer:
    """Everything the region tables are built from, for one province."""

    province: gpd.GeoDataFrame
    prefectures: gpd.GeoDataFrame
    counties: gpd.GeoDataFrame  # with area_type
    townships: pd.DataFrame
    villages: pd.DataFrame


def load_gazetteer(province: str = "630000") -> Gazetteer:
    """Read the shipped boundaries and gazetteer of ``province`` (see :mod:`geodata`).

    Raises
    ------
    geodata.GeodataNotBuiltError
        If the province has not been built.

    """
    return Gazetteer(
        province=geodata.load_boundaries("province", province),
        prefectures=geodata.load_boundaries("prefecture", province),
        counties=geodata.load_boundaries("county", province),
        townships=geodata.load_townships(province),
        villages=geodata.load_villages(province),
    )


def _with_boundary(gdf: gpd.GeoDataFrame, level: str) -> pd.DataFrame:
    point = shapely.point_on_surface(gdf.geometry.to_numpy())
    return pd.DataFrame(
        {
            "code": gdf["code"],
            "level": level,
            "name": gdf["name"],
            "parent_code": gdf["parent_code"] if level != "province" else None,
            "area_type": gdf["area_type"] if level == "county" else None,
            "lon": shapely.get_x(point),
            "lat": shapely.get_y(point),
            "position_approximate": False,
        }
    )


def region_frame(gazetteer: Gazetteer) -> pd.DataFrame:
    """The ``region`` rows, top level first.

    Examples
    --------
    >>> region_frame(load_gazetteer())["level"].value_counts()["prefecture"]
    np.int64(8)

    """
    area = gazetteer.counties.set_index("code")["area_type"]
    towns = gazetteer.townships.rename(columns={"county_code": "parent_code"})
    towns = towns.assign(level="township", area_type=towns["parent_code"].map(area))
    villages = gazetteer.villages.rename(columns={"township_code": "parent_code"})
    villages = villages.assign(level="village", area_type=villages["county_code"].map(area))
    parts = [
        _with_boundary(gazetteer.province, "province"),
        _with_boundary(gazetteer.prefectures, "prefecture"),
        _with_boundary(gazetteer.counties, "county"),
        towns,
        villages,
    ]
    frame = pd.concat([p.reindex(columns=REGION_COLUMNS) for p in parts], ignore_index=True)
    frame["position_approximate"] = frame["position_approximate"].astype(bool)
    return frame


def boundary_frame(gazetteer: Gazetteer) -> pd.DataFrame:
    """The ``boundary`` rows with geometry as WKB (``code, level, wkb``)."""
    layers = {
        "province": gazetteer.province,
        "prefecture": gazetteer.prefectures,
        "county": gazetteer.counties,
    }
    return pd.concat(
        [
            pd.DataFrame(
                {"code": g["code"], "level": level, "wkb": shapely.to_wkb(g.geometry.to_numpy())}
            )
            for level, g in layers.items()
        ],
        ignore_index=True,
    )


def write_regions(
    con: duckdb.DuckDBPyConnection, province: str = "630000", *, gazetteer: Gazetteer | None = None
) -> dict[str, int]:
    """Insert the ``region`` and ``boundary`` rows of ``province`` in the caller's transaction.

    Parameters
    ----------
    con
        Connection to a migrated database whose region tables hold nothing of this province.
    province
        Province code; read from the shipped files unless ``gazetteer`` is given.
    gazetteer
        The frames to write instead (tests, or a caller that loaded them already).

    Returns
    -------
    dict
        Rows written per level, and ``boundary``.

    """
    gaz = gazetteer if gazetteer is not None else load_gazetteer(province)
    regions = region_frame(gaz)
    bounds = boundary_frame(gaz)
    con.register("_regions", regions)
    con.register("_boundaries", bounds)
    try:
        con.execute("INSERT INTO region BY NAME SELECT * FROM _regions")
        con.execute("INSERT INTO boundary SELECT code, level, ST_GeomFromWKB(wkb) FROM _boundaries")
    finally:
        con.unregister("_regions")
        con.unregister("_boundaries")
    counts = regions["level"].value_counts()
    return {level: int(counts.get(level, 0)) for level in pd.unique(regions["level"])} | {
        "boundary": len(bounds)
    }
