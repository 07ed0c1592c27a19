"""Boundaries per level, read from the shipped GeoJSON files."""

from __future__ import annotations

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
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    gdf = gpd.GeoDataFrame.from_features(features, crs=CRS)
    columns = [c for c in gdf.columns if c != "geometry"] + ["geometry"]
    return gdf[columns].sort_values("code", ignore_index=True)


def _json_value(value: object) -> object:
    """``None`` for pandas' missing values (NaN is not valid JSON)."""
    return None if pd.isna(value) else value


def write_boundaries(gdf: gpd.GeoDataFrame, path: Path) -> int:
    """Write ``gdf`` as compact GeoJSON (coordinates as stored, no whitespace).

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
    path.write_text(text + "\n", encoding="utf-8")
    return path.stat().st_size
