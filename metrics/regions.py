"""Write the ``region`` and ``boundary`` tables of a deployment from the gazetteer (geodata).

Levels: province, prefecture, county (with boundaries), township and village (points only). A
national deployment adds the ``country`` (:data:`COUNTRY_CODE`, no boundary) above every
province. Townships and villages inherit their county's area type. Units with a boundary get its
representative point as position (exact, not approximate).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import geopandas as gpd
import pandas as pd
import shapely

import geodata

COUNTRY_CODE = "100000"  # GB/T 2260 code of the whole country (the top of a national deployment)
COUNTRY_NAME = "全国"
DEFAULT_PROVINCE = "630000"

REGION_COLUMNS = (
    "code level name name_original parent_code kind area_type lon lat position_approximate"
).split()


@dataclass(frozen=True)
class Gazetteer:
    """Everything the region tables are built from, for one province or the whole country.

    ``province`` has one row in a provincial deployment and every province in a national one,
    where ``country`` is :data:`COUNTRY_CODE` (``None``: provincial).
    """

    province: gpd.GeoDataFrame
    prefectures: gpd.GeoDataFrame
    counties: gpd.GeoDataFrame  # with area_type
    townships: pd.DataFrame
    villages: pd.DataFrame
    country: str | None = None

    @property
    def top_region(self) -> str:
        """Code of the deployment's top region: the country, or the one province."""
        return self.country or str(self.province["code"].iloc[0])

    @property
    def deployment(self) -> str:
        """``country`` (national deployment) or ``province``."""
        return "country" if self.country else "province"


def is_national(province: str) -> bool:
    """Whether ``province`` asks for a national deployment (``all`` or :data:`COUNTRY_CODE`).

    Examples
    --------
    >>> is_national("all"), is_national("100000"), is_national("630000")
    (True, True, False)

    """
    return province in ("all", COUNTRY_CODE)


def load_gazetteer(province: str = DEFAULT_PROVINCE) -> Gazetteer:
    """Read the shipped boundaries and gazetteer of ``province`` (see :mod:`geodata`).

    ``all`` (or :data:`COUNTRY_CODE`) gives the whole country: the shipped national boundaries,
    and townships and villages derived from the name tree at call time
    (:func:`geodata.national.gazetteer`, which needs the ``build`` extras).

    Raises
    ------
    geodata.GeodataNotBuiltError
        If the province has not been built.

    """
    if is_national(province):
        from geodata import national  # its sources are optional (build extras)

        towns, villages = national.gazetteer()
        return Gazetteer(
            province=geodata.load_boundaries("province", COUNTRY_CODE),
            prefectures=geodata.load_boundaries("prefecture", COUNTRY_CODE),
            counties=geodata.load_boundaries("county", COUNTRY_CODE),
            townships=towns,
            villages=villages,
            country=COUNTRY_CODE,
        )
    return Gazetteer(
        province=geodata.load_boundaries("province", province),
        prefectures=geodata.load_boundaries("prefecture", province),
        counties=geodata.load_boundaries("county", province),
        townships=geodata.load_townships(province),
        villages=geodata.load_villages(province),
    )


def map_inset() -> gpd.GeoDataFrame:
    """The 南海诸岛 inset drawn with the country view (``part``: frame, land or line; ``label``).

    Raises
    ------
    geodata.GeodataNotBuiltError
        If the national layers are not shipped.

    """
    from geodata import national

    return national.load_inset()


def _with_boundary(gdf: gpd.GeoDataFrame, level: str, country: str | None) -> pd.DataFrame:
    point = shapely.point_on_surface(gdf.geometry.to_numpy())
    return pd.DataFrame(
        {
            "code": gdf["code"],
            "level": level,
            "name": gdf["name"],
            "parent_code": gdf["parent_code"] if level != "province" else country,
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
    country = gazetteer.country
    top = [{"code": country, "level": "country", "name": COUNTRY_NAME}] if country else []
    parts = [
        pd.DataFrame(top, columns=["code", "level", "name"]),
        _with_boundary(gazetteer.province, "province", country),
        _with_boundary(gazetteer.prefectures, "prefecture", country),
        _with_boundary(gazetteer.counties, "county", country),
        towns,
        villages,
    ]
    frame = pd.concat([p.reindex(columns=REGION_COLUMNS) for p in parts], ignore_index=True)
    frame["position_approximate"] = frame["position_approximate"].eq(True)  # country: none
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
    con: duckdb.DuckDBPyConnection,
    province: str = DEFAULT_PROVINCE,
    *,
    gazetteer: Gazetteer | None = None,
) -> dict[str, int]:
    """Insert the ``region`` and ``boundary`` rows of ``province`` in the caller's transaction.

    Parameters
    ----------
    con
        Connection to a migrated database whose region tables hold nothing of this province.
    province
        Province code, or ``all`` for the whole country; read from the shipped files unless
        ``gazetteer`` is given.
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
