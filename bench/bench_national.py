"""``make bench-national``: the ``make bench`` measurements on the national demo database.

``python -m bench.bench_national [--db PATH]`` builds the national demo (``burdenmap demo
--province all``, timed) when PATH is missing, then measures roll-up calls per level (p50/p95
over 30 uncached calls), a server-side rerun per level (AppTest), map payload bytes per level,
one import (copy + validate + publish), the app's peak RSS, and the two ratios; the figures go
into ``bench/results.json`` under ``national``. Targets (issue #10): roll-up p95 ≤ 100 ms, rerun
≤ 500 ms, national payload ≤ 1.5 MB, RSS ≤ 1.5 GB, build ≤ 15 min.
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd

from bench import bench_app
from bench.__main__ import RESULTS, flatten
from bench.bench_import import fixed_costs
from bench.timing import timed
from metrics import geometry, periods, queries, regions, registry, rollup, store
from metrics.importing import import_bytes
from metrics.scope import Scope

DEFAULT_DB = Path(tempfile.gettempdir()) / "burdenmap-national" / "burden.duckdb"
PARENT_LEVELS = ("country", "province", "prefecture", "county", "township")
LABELS = {"value_label": "负担指数", "rank_label": "排名", "change_label": "较基期变化"}
TARGETS = {"rollup_p95_ms": 100, "rerun_ms": 500, "payload_bytes": 1_500_000, "rss_mb": 1536}


def build(db_path: Path) -> dict:
    """Build the national demo at ``db_path`` (timed), or read the figures of the last build."""
    record = db_path.with_suffix(".build.json")
    if db_path.exists() and record.exists():
        return json.loads(record.read_text())
    from metrics.demo import build_demo

    db_path.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    summary = build_demo(db_path, province="all", progress=print)
    figures = {
        "seconds": round(time.perf_counter() - start, 1),
        "file_mb": round(summary["bytes"] / 1e6, 1),
        "villages": summary["village"],
        "observations": summary["observation"],
        "village_item": summary["village_item"],
    }
    record.write_text(json.dumps(figures))
    return figures


def _parents(db: store.Reader, level: str, n: int = 30) -> list[str]:
    return list(
        db.query(
            "SELECT code FROM region_tree WHERE level = $level AND child_level IS NOT NULL "
            "ORDER BY hash(code) LIMIT $n",
            {"level": level, "n": n},
        )["code"]
    )


def rollup_calls(db: store.Reader, period: str) -> dict:
    """The children roll-up of a parent of each level (the map's table), 30 uncached calls."""
    everything = Scope.everything()
    out = {}
    for level in PARENT_LEVELS:
        parents = itertools.cycle(_parents(db, level))
        out[level] = timed(
            lambda p=parents: queries.children(db, next(p), period, registry.INDEX_CODE, everything)
        )
    return out


def reruns(db_path: Path, db: store.Reader) -> dict:
    """Server-side run per level (AppTest): the first view of a region not seen before."""
    at = bench_app.warm_app(db_path, timeout=300)
    out = {}
    for level in (*PARENT_LEVELS, "village"):
        codes = list(
            db.query(
                "SELECT code FROM region WHERE level = $level AND kind IS DISTINCT FROM '社区' "
                "ORDER BY hash(code) LIMIT 4",
                {"level": level},
            )["code"]
        )
        ms = sorted(bench_app.first_views(at, codes))
        out[level] = {"first_view_p50_ms": round(ms[len(ms) // 2], 1), "max_ms": round(ms[-1], 1)}
    return out


def payloads(db: store.Reader) -> dict[str, int]:
    """Bytes of the deck JSON per map view; the country view sends province shapes only."""
    from dashboard.figures import maps

    everything = Scope.everything()
    out = {}
    views = {
        "country (provinces + inset)": ("province", regions.COUNTRY_CODE),
        "province (prefectures)": ("prefecture", "510000"),
        "prefecture (counties)": ("county", "513200"),
    }
    for name, (level, parent) in views.items():
        frame = queries.query(db, level, everything, parent)
        shapes = geometry.for_display(geometry.boundaries(db, list(frame["code"]), everything))
        mapped = gpd.GeoDataFrame(shapes[["code", "geometry"]].merge(frame, on="code"))
        mapped["colour"] = "#fd8d3c"
        for col in LABELS:
            mapped[col] = "12.3"
        inset = regions.map_inset() if parent == regions.COUNTRY_CODE else None
        out[name] = len(maps.region_deck(mapped, LABELS, inset=inset).to_json().encode())
    county = _parents(db, "county", 1)[0]
    villages = queries.query(db, "village", everything, county)
    points = villages.merge(
        geometry.village_points(db, list(villages["code"]), everything), on="code"
    )
    points["colour"], points["radius"] = "#fd8d3c", 5.0
    for col in LABELS:
        points[col] = "12.3"
    outline = geometry.for_display(geometry.boundaries(db, [county], everything))
    out["county (village points)"] = len(
        maps.village_deck(outline, points, LABELS).to_json().encode()
    )
    return out


def one_import(db_path: Path, db: store.Reader, period: str) -> dict:
    """Copy + validate + publish of one county's quarter (``--replace``), on a copy of the file."""
    county = _parents(db, "county", 1)[0]
    villages = db.query(
        "SELECT v.code, v.name FROM region v JOIN region t ON t.code = v.parent_code "
        "WHERE v.level = 'village' AND t.parent_code = $county ORDER BY v.code",
        {"county": county},
    )
    frame = pd.DataFrame({"村代码": villages["code"], "村名": villages["name"], "统计期": period})
    for k, indicator in enumerate(registry.INDICATORS):
        frame[indicator.header_zh] = (frame.index + k) % 7
    data = frame.to_csv(index=False).encode("utf-8")
    with tempfile.TemporaryDirectory(dir=db_path.parent) as tmp:
        folder = Path(tmp)
        out = fixed_costs(db_path, folder)
        copy = folder / "import.duckdb"
        shutil.copyfile(db_path, copy)
        start = time.perf_counter()
        result = import_bytes(copy, data, "bench.csv", replace=True, user="bench")
        out["one_county_import_s"] = round(time.perf_counter() - start, 1)
        out["one_county_rows"] = len(frame)
        assert result.status == "published", result.summary("en")
    return out


def ratios(db_path: Path, db: store.Reader, period: str) -> dict:
    """(a) naive pandas county roll-up ÷ the product's call; (b) full rebuild ÷ a bare scan."""
    everything = Scope.everything()
    prefecture = _parents(db, "prefecture", 1)[0]
    engine = timed(lambda: queries.children(db, prefecture, period, "index", everything))
    baseline = periods.baseline(db)

    def naive() -> None:
        obs = db.query(
            "SELECT village_code, period, indicator, value FROM observation "
            "WHERE period IN ($b, $p)",
            {"b": baseline, "p": period},
        )
        region = db.query("SELECT code, parent_code, kind FROM region")
        parent = region.set_index("code")["parent_code"]
        kind = obs["village_code"].map(region.set_index("code")["kind"])
        base = obs[(obs["period"] == baseline) & (kind == "村")].groupby("indicator")["value"]
        m = base.median().where(base.median() > 0, base.mean())
        cur = obs[obs["period"] == period]
        village = (100 * cur["value"] / cur["indicator"].map(m)).groupby(cur["village_code"]).mean()
        county = village.index.map(parent).map(parent)
        frame = pd.DataFrame({"index": village.to_numpy(), "county": county})
        frame = frame[frame["county"].map(parent) == prefecture]
        frame.groupby("county")["index"].agg(["mean", "median", lambda s: s.quantile(0.9)])

    slow = timed(naive, calls=3)
    scan = timed(
        lambda: db.query(
            "SELECT period, indicator, sum(value), count(*) FROM observation GROUP BY ALL"
        ),
        calls=5,
    )
    with tempfile.TemporaryDirectory(dir=db_path.parent) as tmp:
        copy = Path(tmp) / "rebuild.duckdb"
        shutil.copyfile(db_path, copy)
        start = time.perf_counter()
        store.publish(copy, rollup.rebuild)
        rebuild_s = time.perf_counter() - start
    return {
        "county_rollup_call": engine,
        "naive_pandas_county_rollup": slow,
        "naive_over_engine_ratio": round(slow["p50_ms"] / engine["p50_ms"], 1),
        "bare_scan": scan,
        "full_rebuild_publish_s": round(rebuild_s, 1),
        "rebuild_over_scan_ratio": round(rebuild_s * 1000 / scan["p50_ms"], 1),
    }


def verdicts(results: dict) -> dict[str, str]:
    """Every target measured against its figure: met, or missed by how much."""

    def judge(value: float, target: float) -> str:
        return (
            "met" if value <= target else f"missed by {value - target:.0f} ({value / target:.1f}×)"
        )

    out = {"build_s": judge(results["demo_build"]["seconds"], 15 * 60)}
    if "rollup_calls" in results:
        worst_p95 = max(v["p95_ms"] for v in results["rollup_calls"].values())
        out["rollup_p95_ms"] = judge(worst_p95, TARGETS["rollup_p95_ms"])
    if "app_reruns" in results:
        worst_rerun = max(v["first_view_p50_ms"] for v in results["app_reruns"].values())
        out["rerun_ms"] = judge(worst_rerun, TARGETS["rerun_ms"])
    if "map_payload_bytes" in results:
        country = results["map_payload_bytes"]["country (provinces + inset)"]
        out["payload_bytes"] = judge(country, TARGETS["payload_bytes"])
    if "browser" in results:
        out["rss_mb"] = judge(results["browser"]["server_peak_rss_mb"], TARGETS["rss_mb"])
    return out


def main() -> None:
    """Build if needed, measure, print the table and merge the figures into results.json."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_national")
    parser.add_argument("--db", default=str(DEFAULT_DB))
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        help="a measurement to leave out (repeatable): rollup_calls, map_payload_bytes, "
        "app_reruns, browser, import_publish, ratios",
    )
    args = parser.parse_args()
    db_path = Path(args.db).resolve()
    results: dict = {"database": str(db_path), "demo_build": build(db_path)}
    db = store.Reader(db_path)
    period = periods.latest(db)
    steps = {
        "rollup_calls": lambda: rollup_calls(db, period),
        "map_payload_bytes": lambda: payloads(db),
        "app_reruns": lambda: reruns(db_path, db),
        "browser": lambda: bench_app.first_map(db_path),
        "import_publish": lambda: one_import(db_path, db, period),
        "ratios": lambda: ratios(db_path, db, period),
    }
    for name, step in steps.items():
        if name in args.skip:
            continue
        start = time.perf_counter()
        results[name] = step()
        print(f"… {name} ({time.perf_counter() - start:.0f} s)", flush=True)
    db.close()
    results["targets"] = verdicts(results)
    merged = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    RESULTS.write_text(json.dumps(merged | {"national": results}, indent=2, ensure_ascii=False))
    rows = [row for name, value in results.items() for row in flatten(name, value)]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print(f"\nwritten to {RESULTS} (key: national)")


if __name__ == "__main__":
    main()
