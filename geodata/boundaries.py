"""Boundaries per level, read from the shipped GeoJSON files."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import mapping

from geodata.files import BOUNDARY_FILES, shipped_file

LEVELS = tuple(BOUNDARY_FILES)  # ("province", "prefecture", "county")
CRS = "EPSG:4326"


def check_level(level: str) -> str:
    """The level, validated against :data:`LEVELS`.

    Raises
    ------
    ValueError
        If ``level`` is unknown; the message lists the valid levels.

    """
    if level not in BOUNDARY_FILES:
        raise ValueError(f"Invalid level {level!r}; must be one of {', '.join(LEVELS)}")
    return level


def load_boundaries(level: str, province: str = "630000") -> gpd.GeoDataFrame:
    """Shipped boundaries of one level of a province.

    Parameters
    ----------
    level : {"province", "prefecture", "county"}
        Which layer.
    province : str
        Six-digit province code.

    Returns
    -------
    GeoDataFrame
        In EPSG:4326 with columns ``code, name, parent_code, level`` (``area_type`` too for
        counties) and ``geometry``, one row per unit, sorted by code.

    Raises
    ------
    ValueError
        If the level or the province code is invalid.
    GeodataNotBuiltError
        If the province has not been built.

    Examples
    --------
    >>> load_boundaries("prefecture").shape[0]
    8

    """
    path = shipped_file(province, BOUNDARY_FILES[check_level(level)])
    gdf = read_features(path)
    columns = [c for c in gdf.columns if c != "geometry"] + ["geometry"]
    return gdf[columns].sort_values("code", ignore_index=True)


def read_features(path: Path) -> gpd.GeoDataFrame:
    """A shipped GeoJSON file (``.geojson``, or gzip-compressed ``.geojson.gz``) in EPSG:4326."""
    raw = path.read_bytes()
    text = gzip.decompress(raw) if path.suffix == ".gz" else raw
    return gpd.GeoDataFrame.from_features(json.loads(text)["features"], crs=CRS)


def _json_value(value: object) -> object:
    """``None`` for pandas' missing values (NaN is not valid JSON)."""
    return None if pd.isna(value) else value


def write_boundaries(gdf: gpd.GeoDataFrame, path: Path, compress: bool = False) -> int:
    """Write ``gdf`` as compact GeoJSON (coordinates as stored, no whitespace).

    With ``compress`` the text is gzip-compressed (no timestamp: the same input gives the same
    bytes).

    Returns
    -------
    int
        Bytes written.

    """
    features = [
        {
            "type": "Feature",
            "properties": {k: _json_value(v) for k, v in row.items() if k != "geometry"},
            "geometry": mapping(row["geometry"]),
        }
        for row in gdf.to_dict("records")
    ]
    text = json.dumps(
        {"type": "FeatureCollection", "features": features},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    data = (text + "\n").encode("utf-8")
    path.write_bytes(gzip.compress(data, mtime=0) if compress else data)
    return path.stat().st_size
