"""A tiny database of real shape for the import tests: 2 counties, 3 townships, 8 villages.

Built by code through the real paths (``store.init_database``, ``regions.write_regions``,
``rollup.rebuild``); ``published`` adds one observation batch for 2025Q3 through the importer.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from metrics import regions, rollup, store
from metrics.importing import import_bytes

NOW = datetime(2026, 1, 20, 10, 0)  # "today" of the tests: 2026Q1, so 2025Q4 is due
TOWNSHIPS = {
    "630102001000": ("东关大街", "630102"),
    "630102002000": ("乐家湾镇", "630102"),
    "632621001000": ("大武镇", "632621"),
}
VILLAGES = [  # code, name, kind
    ("630102001001", "五一社区", "社区"),
    ("630102001002", "北关村", "村"),
    ("630102001003", "东关村", "村"),
    ("630102002001", "乐家湾村", "村"),
    ("630102002002", "下铺村", "村"),
    ("632621001001", "大武村", "村"),
    ("632621001002", "格多村", "村"),
    ("632621001003", "雪山村", "村"),
]
CODES = [code for code, _, _ in VILLAGES]
NAMES = {code: name for code, name, _ in VILLAGES}
HEADER = (
    "村代码,村名,统计期,协助事项数,报表台账数,信息平台数,工作机制数,挂牌数,证明事项数,考核评比数"
)


def gazetteer() -> regions.Gazetteer:
    """The tiny gazetteer (square boundaries, real codes)."""

    def layer(rows: list[tuple[str, str, str | None]], **extra) -> gpd.GeoDataFrame:
        codes, names, parents = zip(*rows, strict=True)
        geoms = [box(96 + i, 34, 97 + i, 35) for i in range(len(rows))]
        frame = {"code": codes, "name": names, "parent_code": parents, **extra}
        return gpd.GeoDataFrame(frame, geometry=geoms, crs="EPSG:4326")

    towns = pd.DataFrame(
        [(c, n, n, county, 96.5, 34.5, True) for c, (n, county) in TOWNSHIPS.items()],
        columns="code name name_original county_code lon lat position_approximate".split(),
    )
    villages = pd.DataFrame(
        [
            (
                c,
                n,
                n + "委会",
                k,
                c[:9] + "000",
                TOWNSHIPS[c[:9] + "000"][0],
                c[:6],
                96.5,
                34.5,
                True,
            )
            for c, n, k in VILLAGES
        ],
        columns=(
            "code name name_original kind township_code township_name county_code lon lat "
            "position_approximate"
        ).split(),
    )
    return regions.Gazetteer(
        province=layer([("630000", "青海省", None)]),
        prefectures=layer([("630100", "西宁市", "630000"), ("632600", "果洛州", "630000")]),
        counties=layer(
            [("630102", "城东区", "630100"), ("632621", "玛沁县", "632600")],
            area_type=["农区", "牧区"],
        ),
        townships=towns,
        villages=villages,
    )


def build(path: Path, *, simulated: bool = False) -> Path:
    """An empty database of the tiny gazetteer at ``path``."""
    meta = {"simulated": str(simulated).lower(), "province": "630000", "top_region": "630000"}
    store.init_database(path, meta)
    store.publish(
        path,
        lambda con: (regions.write_regions(con, gazetteer=gazetteer()), rollup.rebuild(con)),
    )
    return path


def csv_rows(period: str, values: dict[str, tuple[int, ...]]) -> bytes:
    """A UTF-8 observations CSV: one row per village code with its seven values."""
    lines = [HEADER]
    lines += [f"{c},{NAMES[c]},{period}," + ",".join(map(str, v)) for c, v in values.items()]
    return ("\n".join(lines) + "\n").encode("utf-8")


BASE = {code: (10 + i, 20 + i, 5, 4, 8, 6, 1) for i, code in enumerate(CODES)}


def published(path: Path) -> Path:
    """The tiny database with 2025Q3 of every village published as batch 1."""
    build(path)
    result = import_bytes(path, csv_rows("2025Q3", BASE), "2025Q3.csv", user="fixture", now=NOW)
    assert result.status == "published", [p.message() for p in result.problems]
    return path


def sha256(path: Path) -> str:
    """Digest of a file (the published database must stay byte-identical on rejection)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
