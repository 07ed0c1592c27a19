"""Boundaries and village points as geo frames, read from the published database.

The app and exports draw maps from these; the shapes were simplified per level as coverages
when the database was built (``geodata``), so a level's payload stays small.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from metrics import sql
from metrics.scope import Scope, require_all

_BOUNDARIES = """
SELECT b.code, r.name, r.parent_code, r.level, ST_AsWKB(b.geometry) AS wkb
FROM boundary b JOIN region r ON r.code = b.code
WHERE list_contains($codes::VARCHAR[], b.code)
ORDER BY b.code
"""


def boundaries(db: sql.Queryable, codes: list[str], scope: Scope) -> gpd.GeoDataFrame:
    """Shapes of ``codes`` (EPSG:4326) with ``code, name, parent_code, level, geometry``.

    Codes without a stored boundary are simply absent; codes outside ``scope`` are refused,
    except the ancestors of the scope's regions (an outline drawn as context around them).
    """
    require_all(db, scope, [c for c in codes if c not in scope.above])
    df = db.query(_BOUNDARIES, {"codes": list(codes)})
    geometry = shapely.from_wkb([bytes(w) for w in df.pop("wkb")]) if len(df) else []
    return gpd.GeoDataFrame(df, geometry=geometry, crs="EPSG:4326")


# A clicked deck.gl feature travels back to the server whole; Streamlit 1.67 drops the click of a
# feature with ~1,800+ vertices (measured: 1,172 works, 1,876 does not). Keep every feature below
# this, which is also far more detail than a ~500-px map can show.
MAX_VERTICES = 1000


def for_display(
    shapes: gpd.GeoDataFrame, width_px: int = 520, max_vertices: int = MAX_VERTICES
) -> gpd.GeoDataFrame:
    """The same regions simplified together for a map ``width_px`` wide.

    Parts smaller than a pixel (islands nobody could see or click) are dropped, keeping each
    region's largest part; then a coverage simplification (shared edges stay shared) with a
    tolerance of about one pixel, raised until no feature exceeds ``max_vertices`` — or until
    raising it no longer helps (a region of many visible islands keeps four points per island).
    """
    if shapes.empty:
        return shapes
    minx, _, maxx, _ = shapes.total_bounds
    tolerance = max(maxx - minx, 1e-6) / width_px
    geoms = _without_specks(shapes.geometry.to_numpy(), tolerance**2)
    before = None
    while True:
        simple = shapely.coverage_simplify(geoms, tolerance)
        most = shapely.get_num_coordinates(simple).max()
        if most <= max_vertices or most == before:
            break
        before, tolerance = most, tolerance * 1.5
    out = shapes.copy()
    out["geometry"] = simple
    return out


def _without_specks(geoms: np.ndarray, min_area: float) -> np.ndarray:
    """``geoms`` without polygon parts smaller than ``min_area`` (each keeps its largest part)."""
    parts, owner = shapely.get_parts(geoms, return_index=True)
    if len(parts) == len(geoms):  # no multi-part region: nothing to drop
        return geoms
    area = shapely.area(parts)
    largest = pd.Series(area).groupby(owner).transform("max").to_numpy()
    keep = (area >= min_area) | (area == largest)
    out = geoms.copy()
    for i in np.unique(owner[~keep]):
        kept = parts[(owner == i) & keep]
        out[i] = kept[0] if len(kept) == 1 else shapely.multipolygons(kept)
    return out


_POINTS = """
SELECT code, name, parent_code, kind, lon, lat, position_approximate
FROM region WHERE level = 'village' AND list_contains($codes::VARCHAR[], code)
ORDER BY code
"""


def village_points(db: sql.Queryable, codes: list[str], scope: Scope) -> pd.DataFrame:
    """Positions of the given villages; codes outside ``scope`` are refused."""
    require_all(db, scope, codes)
    return db.query(_POINTS, {"codes": list(codes)})
