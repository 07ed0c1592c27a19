"""Speed and size of the dashboard: server-side reruns, map payloads, first map in Chromium.

- rerun after a drill-down (AppTest, server side): for each level, the first run of a region
  not seen before (its data uncached; p50, p95, and the very first of the level) and a repeated
  run (cached); targets ≤ 300 ms;
- map payload per level: bytes of the deck JSON the browser receives (province view ≤ 500 KB);
- first page load → map canvas visible in headless Chromium, cold server (≤ 8 s), and the
  server's peak RSS after the browser visits.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

import duckdb
from streamlit.testing.v1 import AppTest

from bench.timing import timed

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
CANVAS = "[data-testid='stDeckGlJsonChart'] canvas"


def _regions(db_path: Path) -> dict[str, list[str]]:
    """A few regions per level, spread over the province."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        out = {}
        for level in ("prefecture", "county", "township", "village"):
            rows = con.execute(
                "SELECT code FROM region WHERE level = ? AND kind IS DISTINCT FROM '社区' "
                "ORDER BY hash(code) LIMIT 6",
                [level],
            ).fetchall()
            out[level] = [r[0] for r in rows]
        out["province"] = [
            con.execute("SELECT value FROM meta WHERE key = 'province'").fetchone()[0]
        ]
    finally:
        con.close()
    return out


def warm_app(db_path: Path, timeout: float = 120) -> AppTest:
    """The dashboard on ``db_path`` in AppTest, run once (imports, reader, top-level caches)."""
    os.environ["BURDENMAP_DB"] = str(db_path)
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.run()
    return at


def first_views(at: AppTest, codes: list[str]) -> list[float]:
    """Milliseconds of the server-side run opening each region of ``codes``, in order."""
    out = []
    for code in codes:
        at.query_params["region"] = code
        start = time.perf_counter()
        at.run()
        out.append((time.perf_counter() - start) * 1000)
        assert not at.exception, at.exception
    return out


def reruns(db_path: Path) -> dict:
    """Server-side run time per level: first view of a region, then a cached rerun."""
    at = warm_app(db_path)
    out = {}
    for level, codes in _regions(db_path).items():
        first = first_views(at, codes)
        cached = timed(at.run, calls=5)
        in_order, first = first, sorted(first)
        out[level] = {
            "first_view_p50_ms": round(statistics.median(first), 1),
            "first_view_p95_ms": round(first[int(0.95 * (len(first) - 1))], 1),
            "first_view_max_ms": round(first[-1], 1),
            # the quarter's first region of this level: nothing of the quarter cached yet
            "first_of_quarter_ms": round(in_order[0], 1),
            "cached_rerun_p50_ms": cached["p50_ms"],
            "cached_rerun_p95_ms": cached["p95_ms"],
        }
    return out


def payloads(db_path: Path) -> dict[str, int]:
    """Bytes of the deck JSON per map view (what the browser downloads for the map)."""
    import geopandas as gpd

    from dashboard.figures import maps
    from metrics import geometry, queries, store
    from metrics.scope import Scope

    reader = store.Reader(db_path)
    everything = Scope.everything()
    province = reader.meta()["province"]
    labels = {"value_label": "负担指数", "rank_label": "排名", "change_label": "较基期变化"}
    out = {}
    views = {
        "province (prefectures)": ("prefecture", province),
        "province (all counties)": ("county", province),
        "prefecture (counties)": ("county", "630200"),
    }
    for name, (level, parent) in views.items():
        frame = queries.query(reader, level, everything, parent)
        shapes = geometry.for_display(geometry.boundaries(reader, list(frame["code"]), everything))
        regions = gpd.GeoDataFrame(shapes[["code", "geometry"]].merge(frame, on="code"))
        regions["colour"] = "#fd8d3c"
        for col in labels:
            regions[col] = "12.3"
        out[name] = len(maps.region_deck(regions, labels).to_json().encode())
    county = reader.scalar(
        "SELECT code FROM region WHERE level = 'county' ORDER BY code LIMIT 1 OFFSET 10"
    )
    villages = queries.query(reader, "village", everything, county)
    points = villages.merge(
        geometry.village_points(reader, list(villages["code"]), everything),
        on="code",
        suffixes=("", "_pt"),
    )
    points["colour"], points["radius"] = "#fd8d3c", 5.0
    for col in labels:
        points[col] = "12.3"
    outline = geometry.for_display(geometry.boundaries(reader, [county], everything))
    out["county (village points)"] = len(
        maps.village_deck(outline, points, labels).to_json().encode()
    )
    reader.close()
    return out


def first_map(db_path: Path) -> dict[str, float]:
    """Cold server → page load → map canvas visible, in headless Chromium; then peak RSS."""
    from playwright.sync_api import sync_playwright

    from tests.browser.server import CHROMIUM_ARGS, AppServer

    server = AppServer(db_path)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(**CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            start = time.perf_counter()
            page.goto(server.url)
            page.locator(CANVAS).first.wait_for(state="visible", timeout=60_000)
            cold = time.perf_counter() - start
            start = time.perf_counter()
            page.goto(f"{server.url}/?region=630200")
            page.get_by_role("heading", name="海东市", exact=True).wait_for(timeout=60_000)
            page.locator(CANVAS).first.wait_for(state="visible", timeout=60_000)
            warm = time.perf_counter() - start
            browser.close()
        return {
            "cold_first_map_s": round(cold, 2),
            "prefecture_page_s": round(warm, 2),
            "server_peak_rss_mb": round(server.peak_rss_mb(), 0),
        }
    finally:
        server.stop()
