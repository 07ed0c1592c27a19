"""A tiny national deployment built by code: two provinces with data and 台湾省 without.

Boxes stand in for boundaries (EPSG:4326); each province has 2 prefectures × 2 counties × 2
townships × 4 committees (the last of each township a 社区): 64 committees, built in seconds.
Only :data:`DETAIL` gets item-level detail, as in the real national build.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely import box

from metrics.regions import COUNTRY_CODE, Gazetteer

PROVINCES = {  # code -> (name, lower-left corner of its 4° × 4° box)
    "620000": ("甘肃省", (100.0, 34.0)),
    "640000": ("宁夏回族自治区", (104.0, 34.0)),
}
NO_DATA = ("710000", "台湾省", (120.0, 22.0))  # a province shown on the map, with no villages
DETAIL = ("640000",)
CRS = "EPSG:4326"


def _layer(rows: list[dict]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=CRS)


def gazetteer() -> Gazetteer:
    """The fixture's gazetteer (country ``100000``)."""
    provinces, prefectures, counties, towns, villages = [], [], [], [], []
    for code, (name, (x, y)) in PROVINCES.items():
        provinces.append({"code": code, "name": name, "geometry": box(x, y, x + 4, y + 4)})
        for p in range(2):
            pref = f"{code[:2]}{p + 1:02d}00"
            px = x + 2 * p
            prefectures.append(
                {
                    "code": pref,
                    "name": f"{name[:2]}第{p + 1}市",
                    "parent_code": code,
                    "geometry": box(px, y, px + 2, y + 4),
                }
            )
            for c in range(2):
                county = f"{pref[:4]}{c + 1:02d}"
                cy = y + 2 * c
                counties.append(
                    {
                        "code": county,
                        "name": f"{name[:2]}{p + 1}{c + 1}县",
                        "parent_code": pref,
                        "area_type": None,
                        "geometry": box(px, cy, px + 2, cy + 2),
                    }
                )
                for t in range(2):
                    town = f"{county}{t + 1:03d}000"
                    tx, ty = px + 0.5 + t, cy + 1.0
                    towns.append(
                        {
                            "code": town,
                            "name": f"第{t + 1}镇",
                            "county_code": county,
                            "lon": tx,
                            "lat": ty,
                            "position_approximate": True,
                        }
                    )
                    for v in range(4):
                        villages.append(
                            {
                                "code": f"{town[:9]}{v + 1:03d}",
                                "name": f"{county[-2:]}{t + 1}{v + 1}{'社区' if v == 3 else '村'}",
                                "kind": "社区" if v == 3 else "村",
                                "township_code": town,
                                "county_code": county,
                                "lon": tx + 0.1 * v,
                                "lat": ty + 0.1,
                                "position_approximate": True,
                            }
                        )
    code, name, (x, y) = NO_DATA
    provinces.append({"code": code, "name": name, "geometry": box(x, y, x + 2, y + 3)})
    return Gazetteer(
        province=_layer(provinces),
        prefectures=_layer(prefectures),
        counties=_layer(counties),
        townships=pd.DataFrame(towns),
        villages=pd.DataFrame(villages),
        country=COUNTRY_CODE,
    )
